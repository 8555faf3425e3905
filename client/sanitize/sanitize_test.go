package sanitize

import (
	"strings"
	"testing"
	"unsafe"

	"charm.land/lipgloss/v2"
)

const family = "👨\u200d👩\u200d👧" // man, ZWJ, woman, ZWJ, girl: one cluster, 2 cells

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain ASCII", "hello, world", "hello, world"},
		{"newline and tab kept", "a\nb\tc", "a\nb\tc"},
		{"CSI clear screen", "\x1b[2J", `\x1b[2J`},
		{"CSI SGR around text", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"OSC 52 clipboard write", "\x1b]52;c;ZXZpbA==\x07", `\x1b]52;c;ZXZpbA==\x07`},
		{"OSC 0 title with BEL", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"OSC 2 title with ST", "\x1b]2;pwned\x1b\\", `\x1b]2;pwned\x1b\`},
		{"OSC 8 hyperlink", "\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\", `\x1b]8;;http://evil\x1b\x\x1b]8;;\x1b\`},
		{"DCS", "\x1bP+q544e\x1b\\", `\x1bP+q544e\x1b\`},
		{"APC kitty graphics", "\x1b_Gf=100;AAAA\x1b\\", `\x1b_Gf=100;AAAA\x1b\`},
		{"SOS", "\x1bXsos\x1b\\", `\x1bXsos\x1b\`},
		{"PM", "\x1b^pm\x1b\\", `\x1b^pm\x1b\`},
		{"C1 CSI as UTF-8", "\u009b2J", `\x9b2J`},
		{"C1 OSC and ST as UTF-8", "\u009d0;t\u009c", `\x9d0;t\x9c`},
		{"C1 NEL and DCS as UTF-8", "a\u0085b\u0090c", `a\x85b\x90c`},
		{"C1 first and last as UTF-8", "\u0080\u009f", `\x80\x9f`},
		{"8-bit CSI (invalid UTF-8)", "\x9b2J", `\x9b2J`},
		{"8-bit OSC and ST (invalid UTF-8)", "\x9d0;t\x9c", `\x9d0;t\x9c`},
		{"8-bit C1 range ends", "\x80\x9f", `\x80\x9f`},
		{"NUL", "a\x00b", `a\x00b`},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"CR", "a\r\nb", "a\\x0d\nb"},
		{"backspace and bell", "\b\a", `\x08\x07`},
		{"bidi RLO", "invoice\u202etxt.exe", `invoice\u202etxt.exe`},
		{"bidi embeddings and PDF", "\u202a\u202b\u202c\u202d", `\u202a\u202b\u202c\u202d`},
		{"bidi isolates", "\u2066a\u2067b\u2068c\u2069", `\u2066a\u2067b\u2068c\u2069`},
		{"bidi marks", "\u200ex\u200fy\u061cz", `\u200ex\u200fy\u061cz`},
		{"line and paragraph separator", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"prepended concatenation mark", "\u0600a", `\u0600a`},
		{"astral prepended mark", "\U000110bdx", `\U000110bdx`},
		{"invalid byte", "a\xffb", "a\ufffdb"},
		{"truncated UTF-8", "\xe4\xb8", "\ufffd\ufffd"},
		{"truncated sequence ending in C1-range byte", "\xe2\x80", "\ufffd\\x80"},
		{"legitimate U+FFFD kept", "\ufffd", "\ufffd"},
		{"ZWJ emoji family", family, family},
		{"flags", "🇺🇸🇫🇷", "🇺🇸🇫🇷"},
		{"subdivision flag with tags", "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"},
		{"CJK", "中文字", "中文字"},
		{"combining marks", "e\u0301a\u0308", "e\u0301a\u0308"},
		{"keycap", "1\ufe0f\u20e3", "1\ufe0f\u20e3"},
		{"ZWNJ and ZWJ kept", "a\u200cb\u200dc", "a\u200cb\u200dc"},
		{"literal backslash kept", `C:\x1b`, `C:\x1b`},
		{"mixed", "ok\x1b[2J中\u202e\x00", `ok\x1b[2J中\u202e\x00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			if got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Text(got); again != got {
				t.Errorf("Text not idempotent: Text(%q) = %q", got, again)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "hello world", "hello world"},
		{"newline", "a\nb", "a b"},
		{"CRLF", "a\r\nb", "a b"},
		{"tab", "a\tb", "a b"},
		{"runs collapse", "a \t\r\n  b", "a b"},
		{"double space", "a  b", "a b"},
		{"trim", "  \n a b \t ", "a b"},
		{"only whitespace", " \n\t\r ", ""},
		{"single space", " ", ""},
		{"trailing space", "ab ", "ab"},
		{"space before newline", "a \nb", "a b"},
		{"escape after space", "a \x1b[2J", `a \x1b[2J`},
		{"escape then space", "\x1b \x1b", `\x1b \x1b`},
		{"controls escaped", "x\x00\x7f\u009b", `x\x00\x7f\x9b`},
		{"bidi escaped", "a\u202eb", `a\u202eb`},
		{"invalid UTF-8 after space", "a \xff", "a \ufffd"},
		{"CJK and emoji kept", " 中 " + family + " ", "中 " + family},
		{"vertical tab is a control, not whitespace", "a\vb", `a\x0bb`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Line(tt.in)
			if got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Line(got); again != got {
				t.Errorf("Line not idempotent: Line(%q) = %q", got, again)
			}
		})
	}
}

func TestWidth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"中文", 4},
		{"ｱ", 1}, // half-width katakana
		{family, 2},
		{"🇺🇸", 2},
		{"🇺🇸🇫🇷", 4},
		{"e\u0301", 1},
		{"1\ufe0f\u20e3", 2},
		{"\x1b[2J", 7}, // shown as `\x1b[2J`
		{"\x00", 4},
		{"\u202e", 6},
		{"\U000110bd", 10},
		{"\xff", 1}, // U+FFFD
		{"\x9b", 4},
		{"a\tb", 3},
		{"a\nb", 3},
		{"中\x1b", 6},
	}
	for _, tt := range tests {
		if got := Width(tt.in); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		w    int
		tail string
		want string
	}{
		{"fits", "abc", 10, Ellipsis, "abc"},
		{"exact fit", "abcde", 5, Ellipsis, "abcde"},
		{"ASCII cut", "hello world", 5, Ellipsis, "hell…"},
		{"no tail", "hello world", 5, "", "hello"},
		{"zero width", "abc", 0, Ellipsis, ""},
		{"negative width", "abc", -3, Ellipsis, ""},
		{"tail wider than w", "abcdef", 2, "...", "ab"},
		{"CJK even", "中文字", 5, Ellipsis, "中文…"},
		{"CJK wide char does not fit", "中文字", 4, Ellipsis, "中…"},
		{"CJK no tail odd width", "中文字", 3, "", "中"},
		{"ZWJ family never split", "ab" + family + "c", 4, Ellipsis, "ab…"},
		{"ZWJ family fits", "ab" + family, 4, "", "ab" + family},
		{"ZWJ family kept whole", "ab" + family + "cd", 5, Ellipsis, "ab" + family + "…"},
		{"flags never split", "🇺🇸🇫🇷", 3, "", "🇺🇸"},
		{"combining marks stay", "e\u0301e\u0301e\u0301", 2, "", "e\u0301e\u0301"},
		{"escape is cut as text", "\x1b[2J", 6, Ellipsis, `\x1b[…`},
		{"newline becomes space", "a\nb", 10, "", "a b"},
		{"tab becomes space", "a\tb", 10, "", "a b"},
		{"hostile tail sanitized", "abcdef", 5, "\x1b", `a\x1b`},
		{"tail with VS16 cannot widen", "12345", 3, "\ufe0f", "12\ufe0f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.w, tt.tail)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d, %q) = %q, want %q", tt.in, tt.w, tt.tail, got, tt.want)
			}
			if w := lipgloss.Width(got); w > max(tt.w, 0) {
				t.Errorf("lipgloss.Width(%q) = %d > %d", got, w, tt.w)
			}
		})
	}
}

func TestPad(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want string
	}{
		{"abc", 5, "abc  "},
		{"abc", 3, "abc"},
		{"abcdef", 4, "abc…"},
		{"中文字", 5, "中文…"},
		{"中文字", 4, "中… "},
		{"中", 1, "…"},
		{family, 3, family + " "},
		{"", 2, "  "},
		{"x", 0, ""},
		{"\x1b[2J", 8, `\x1b[2J `},
		{"a\nb", 4, "a b "},
		{"\u0d4e", 3, "\u0d4e   "}, // a prepend letter swallows the first space
	}
	for _, tt := range tests {
		got := Pad(tt.in, tt.w)
		if got != tt.want {
			t.Errorf("Pad(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
		if w := lipgloss.Width(got); w != tt.w {
			t.Errorf("lipgloss.Width(Pad(%q, %d)) = %d", tt.in, tt.w, w)
		}
	}
}

// lipglossSamples are single-line, tab-free strings for which Width must agree
// with lipgloss.Width of the sanitized text.
var lipglossSamples = []string{
	"", "plain", "中文字", "ｱｲｳ", family, "🇺🇸🇫🇷", "e\u0301a\u0308", "1\ufe0f\u20e3",
	"🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "mixed 中 " + family + " é",
	"\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\u202eabc", "\xff\xfe", "\u009b\x9b", "한국어",
	"👍🏽", "✔️", "☺", "…", "\u00ad", "\u200b",
}

func TestWidthAgreesWithLipgloss(t *testing.T) {
	for _, s := range lipglossSamples {
		if got, want := Width(s), lipgloss.Width(Text(s)); got != want {
			t.Errorf("Width(%q) = %d, lipgloss.Width(Text) = %d", s, got, want)
		}
		if got, want := Width(s), lipgloss.Width(Line(s)); got != want {
			t.Errorf("Width(%q) = %d, lipgloss.Width(Line) = %d", s, got, want)
		}
		for w := 0; w <= Width(s)+2; w++ {
			if got := lipgloss.Width(Pad(s, w)); got != w {
				t.Errorf("lipgloss.Width(Pad(%q, %d)) = %d", s, w, got)
			}
			if got := lipgloss.Width(Truncate(s, w, Ellipsis)); got > w {
				t.Errorf("lipgloss.Width(Truncate(%q, %d)) = %d", s, w, got)
			}
		}
	}
}

// TestPadInBorder checks the point of it all: padded cells in a bordered box
// give lines of one width.
func TestPadInBorder(t *testing.T) {
	var rows []string
	for _, s := range lipglossSamples {
		rows = append(rows, Pad(s, 6)+"|"+Pad(s, 3))
	}
	box := lipgloss.NewStyle().Border(lipgloss.NormalBorder()).Render(strings.Join(rows, "\n"))
	for i, l := range strings.Split(box, "\n") {
		if w := lipgloss.Width(l); w != 12 {
			t.Errorf("line %d %q is %d cells wide, want 12", i, l, w)
		}
	}
}

func TestSafeInputIsReturnedWithoutAllocating(t *testing.T) {
	for _, s := range []string{"plain ASCII text", "中文 " + family + " 🇺🇸 e\u0301 \ufffd"} {
		if n := testing.AllocsPerRun(100, func() { _ = Text(s) }); n != 0 {
			t.Errorf("Text(%q) allocates %v times", s, n)
		}
		if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
			t.Errorf("Line(%q) allocates %v times", s, n)
		}
		if n := testing.AllocsPerRun(100, func() { _ = Width(s) }); n != 0 {
			t.Errorf("Width(%q) allocates %v times", s, n)
		}
		// The very same string comes back, not a copy.
		if got := Text(s); unsafe.StringData(got) != unsafe.StringData(s) || len(got) != len(s) {
			t.Errorf("Text(%q) = %q is not s itself", s, got)
		}
		if got := Line(s); unsafe.StringData(got) != unsafe.StringData(s) || len(got) != len(s) {
			t.Errorf("Line(%q) = %q is not s itself", s, got)
		}
	}
}

func TestCaretColumn(t *testing.T) {
	tests := []struct {
		text string
		pos  int
		want int
	}{
		{"abc", 0, 0}, {"abc", 2, 2}, {"abc", 9, 3}, {"打印 x", 7, 5}, {"打印 x", 4, 2}, {"é x", 3, 2}, {"x", -1, 0},
	}
	for _, tt := range tests {
		if got := CaretColumn(tt.text, tt.pos); got != tt.want {
			t.Errorf("CaretColumn(%q, %d) = %d, want %d", tt.text, tt.pos, got, tt.want)
		}
	}
}
