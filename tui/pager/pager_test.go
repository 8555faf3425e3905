package pager

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/tui/internal/cmdtest"
)

// press is the key press named s (cmdtest.Key).
func press(s string) tea.KeyPressMsg { return cmdtest.Key(s) }

// numbered is n lines "line 1" … "line n".
func numbered(n int) string {
	ls := make([]string, n)
	for i := range ls {
		ls[i] = "line " + strconv.Itoa(i+1)
	}
	return strings.Join(ls, "\n")
}

func newPager(w, h int, c Content) *Model {
	m := New(Styles{}, DefaultKeys())
	m.SetSize(w, h)
	m.SetContent(c)
	return m
}

// TestScrollKeys: every scrolling key moves the top line by what it promises, clamped to the
// text (100 lines, 10 on screen).
func TestScrollKeys(t *testing.T) {
	tests := []struct {
		keys []string
		top  int
	}{
		{nil, 0},
		{[]string{"j"}, 1},
		{[]string{"down", "down", "k"}, 1},
		{[]string{"up"}, 0},
		{[]string{"space"}, 10},
		{[]string{"f"}, 10},
		{[]string{"pgdown", "pgdown", "b"}, 10},
		{[]string{"space", "pgup"}, 0},
		{[]string{"ctrl+d"}, 5},
		{[]string{"ctrl+d", "ctrl+d", "ctrl+u"}, 5},
		{[]string{"G"}, 90},
		{[]string{"end", "j"}, 90},
		{[]string{"G", "g"}, 0},
		{[]string{"G", "home"}, 0},
		{[]string{"G", "k"}, 89},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			m := newPager(40, 12, Content{Title: "t", Body: numbered(100)})
			for _, k := range tt.keys {
				if a := m.Update(press(k)); a != Handled {
					t.Fatalf("%s: action %d, want Handled", k, a)
				}
			}
			if m.Top() != tt.top {
				t.Fatalf("top %d, want %d", m.Top(), tt.top)
			}
			first := strings.Split(m.View(), "\n")[1]
			if want := "line " + strconv.Itoa(tt.top+1); strings.TrimSpace(first) != want {
				t.Fatalf("first body line %q, want %q", first, want)
			}
		})
	}
}

// TestActions: esc and q ask to close, o for the raw record; other keys are the owner's.
func TestActions(t *testing.T) {
	m := newPager(40, 12, Content{Body: "x"})
	for k, want := range map[string]Action{"esc": Close, "q": Close, "o": Raw, "x": Ignored, "c": Ignored, "j": Handled} {
		if got := m.Update(press(k)); got != want {
			t.Errorf("%s: action %d, want %d", k, got, want)
		}
	}
	if m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown}) != Handled {
		t.Error("the mouse wheel is not handled")
	}
}

// TestMouseWheel scrolls three lines a notch.
func TestMouseWheel(t *testing.T) {
	m := newPager(40, 12, Content{Body: numbered(100)})
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if m.Top() != 3 {
		t.Fatalf("top %d, want 3", m.Top())
	}
}

// TestPosition: the footer says which lines show, of how many, and how far that is.
func TestPosition(t *testing.T) {
	m := newPager(60, 40, Content{Body: numbered(212)})
	if got, want := m.Position(), "lines 1–38 of 212 · 17%"; got != want {
		t.Fatalf("position %q, want %q", got, want)
	}
	m.GotoBottom()
	if got, want := m.Position(), "lines 175–212 of 212 · 100%"; got != want {
		t.Fatalf("position %q, want %q", got, want)
	}
	if foot := lastLine(m.View()); !strings.Contains(foot, "lines 175–212 of 212 · 100%") || !strings.Contains(foot, "esc/q back") {
		t.Fatalf("footer %q", foot)
	}
}

func lastLine(s string) string { ls := strings.Split(s, "\n"); return ls[len(ls)-1] }

// body is the body lines of the view, trailing spaces trimmed.
func body(m *Model) []string {
	ls := strings.Split(m.View(), "\n")
	ls = ls[1 : len(ls)-1]
	for i := range ls {
		ls[i] = strings.TrimRight(ls[i], " ")
	}
	return ls
}

// TestWrap: prose wraps at the last space that fits; a word, CJK or an emoji sequence longer
// than the width is cut between grapheme clusters, never inside one, and never past the width.
func TestWrap(t *testing.T) {
	family := "👩\u200d👩\u200d👧\u200d👦"
	tests := []struct {
		name string
		w    int
		text string
		want []string
	}{
		{"words", 10, "the quick brown fox jumps", []string{"the quick", "brown fox", "jumps"}},
		{"long word", 8, "abcdefghijklmnopqrst uv", []string{"abcdefgh", "ijklmnop", "qrst uv"}},
		{"cjk", 7, "日本語の長い文章", []string{"日本語", "の長い", "文章"}},
		{"emoji", 5, family + family + family, []string{family + family, family}},
		{"tabs", 20, "a\tb", []string{"a    b"}},
		{"blank lines kept", 20, "a\n\nb", []string{"a", "", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newPager(tt.w, len(tt.want)+2+3, Content{Body: tt.text})
			got := body(m)[:len(tt.want)]
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("lines %q, want %q", got, tt.want)
			}
			if m.Lines() != len(tt.want) {
				t.Fatalf("%d lines, want %d", m.Lines(), len(tt.want))
			}
		})
	}
}

// TestViewSize: whatever the text, the view is exactly h lines of exactly w cells, at every
// size, scrolled anywhere; no line break is lost or invented.
func TestViewSize(t *testing.T) {
	hostile := strings.Join(mock.HostileStrings(), "\n")
	for _, c := range []Content{
		{Title: "hostile " + mock.HostileString(0), Body: hostile},
		{Title: "long", Body: mock.HostileLong(20_000, false)},
		{Title: "json", Body: `{"a":"` + strings.Repeat("日本語 ", 200) + `","b":[1,2,3]}`, Kind: JSON},
		{Title: "empty", Empty: "no raw record", Kind: JSON},
	} {
		for _, size := range [][2]int{{1, 1}, {2, 3}, {7, 5}, {13, 9}, {80, 24}, {200, 50}} {
			m := newPager(size[0], size[1], c)
			for step := 0; step < 5; step++ {
				ls := strings.Split(m.View(), "\n")
				if len(ls) != size[1] {
					t.Fatalf("%s %v: %d lines, want %d", c.Title, size, len(ls), size[1])
				}
				for i, l := range ls {
					if w := lipgloss.Width(l); w != size[0] {
						t.Fatalf("%s %v step %d: line %d is %d cells, want %d: %q", c.Title, size, step, i, w, size[0], l)
					}
				}
				m.Update(press("space"))
			}
		}
	}
}

// rawControl reports the first character a terminal would interpret: C0 but \n, DEL, C1,
// ESC, bidi controls, invalid UTF-8.
func rawControl(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "invalid UTF-8", true
	}
	for i, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f ||
			r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c {
			return fmt.Sprintf("U+%04X at byte %d", r, i), true
		}
	}
	return "", false
}

// TestHostileTextEscaped: escape sequences, controls, bidi overrides and invalid UTF-8 in the
// title, the text and a raw record show as visible escapes; nothing reaches the terminal raw.
func TestHostileTextEscaped(t *testing.T) {
	hs := mock.HostileStrings()
	rawJSON := `{"esc":"\u001b[2J\u001b]52;c;cm0=\u0007","c1":"` + "\u009b2J" + `","bidi":"` + "a\u202eb" + `","bad":"` + "\xff" + `"}`
	for _, c := range []Content{
		{Title: hs[0], Body: strings.Join(hs, "\n")},
		{Title: hs[1], Body: mock.HostileLong(mock.HostileLongSize, true)},
		{Title: "raw", Body: rawJSON, Kind: JSON},
		{Title: "not json", Body: "{\x1b[2J", Kind: JSON},
	} {
		m := newPager(80, 24, c)
		saw := false
		for range 200 {
			v := m.View()
			if bad, ok := rawControl(v); ok {
				t.Fatalf("%q: raw control in the view: %s", c.Title, bad)
			}
			saw = saw || strings.Contains(v, `\x1b`) || strings.Contains(v, `\u001b`)
			if m.Top()+22 >= m.Lines() {
				break
			}
			m.Update(press("space"))
		}
		if !saw {
			t.Errorf("%q: no escaped ESC shown", c.Title)
		}
	}
}

// TestRawJSON: the raw record is indented by two, keys in the vendor's order (not sorted, as a
// round trip through a map would), and text that is not JSON is shown with a note.
func TestRawJSON(t *testing.T) {
	raw := `{"zeta":1,"alpha":{"b":-2.5e3,"a":[true,null,"x y"]},"mid":"s","empty":{}}`
	m := newPager(60, 20, Content{Body: raw, Kind: JSON})
	want := []string{
		`{`,
		`  "zeta": 1,`,
		`  "alpha": {`,
		`    "b": -2.5e3,`,
		`    "a": [`,
		`      true,`,
		`      null,`,
		`      "x y"`,
		`    ]`,
		`  },`,
		`  "mid": "s",`,
		`  "empty": {}`,
		`}`,
	}
	if got := body(m)[:len(want)]; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("raw record:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m.SetContent(Content{Body: `{"a":`, Kind: JSON})
	if got := body(m)[0]; !strings.HasPrefix(got, "(not valid JSON") {
		t.Fatalf("invalid JSON: first line %q", got)
	}
	m.SetContent(Content{Kind: JSON, Empty: "no raw record"})
	if got := body(m)[0]; got != "no raw record" {
		t.Fatalf("no record: first line %q", got)
	}
}

// TestJSONColours: keys, strings, numbers and literals are painted with their styles, also on
// the screen lines a long string wraps to; punctuation is not.
func TestJSONColours(t *testing.T) {
	st := Styles{
		Key:    lipgloss.NewStyle().Foreground(lipgloss.Color("#010101")),
		String: lipgloss.NewStyle().Foreground(lipgloss.Color("#020202")),
		Number: lipgloss.NewStyle().Foreground(lipgloss.Color("#030303")),
		Bool:   lipgloss.NewStyle().Foreground(lipgloss.Color("#040404")),
	}
	m := New(st, DefaultKeys())
	m.SetSize(20, 12)
	m.SetContent(Content{Body: `{"key":"` + strings.Repeat("v", 30) + `","n":42,"t":true}`, Kind: JSON})
	ls := strings.Split(m.View(), "\n")
	paint := func(s lipgloss.Style, text string) string { return s.Render(text) }
	checks := []struct {
		line int
		want string
	}{
		{2, paint(st.Key, `"key"`)},
		{2, paint(st.String, `"vvvvvvvvvv`)},
		{3, paint(st.String, strings.Repeat("v", 20))},
		{4, paint(st.String, `"`)},
		{5, paint(st.Key, `"n"`)},
		{5, paint(st.Number, `42`)},
		{6, paint(st.Bool, `true`)},
	}
	for _, c := range checks {
		if !strings.Contains(ls[c.line], c.want) {
			t.Errorf("line %d %q lacks %q", c.line, ls[c.line], c.want)
		}
	}
}

// TestHugeBodyCapped: a 5 MB message is cut at Cap with a line that says so, and the last
// screen is that line; the pager holds lines for Cap bytes only.
func TestHugeBodyCapped(t *testing.T) {
	huge := mock.HostileLong(5<<20, true)
	m := newPager(80, 24, Content{Title: "huge", Body: huge, CutNote: "c copies it"})
	m.GotoBottom()
	ls := body(m)
	if got, want := ls[len(ls)-1], "… cut at 512 KB of 5,120 KB · c copies it"; got != want {
		t.Fatalf("last line %q, want %q", got, want)
	}
	if n := m.Lines(); n < 1000 || n > Cap/10 {
		t.Fatalf("%d lines for a body cut at %d bytes", n, Cap)
	}
	short := newPager(80, 24, Content{Body: numbered(3)})
	short.GotoBottom()
	for _, l := range body(short) {
		if strings.Contains(l, "cut at") {
			t.Fatal("a short body says it was cut")
		}
	}
}

// TestResizeKeepsPlace: after a width change the line that was at the top is still there.
func TestResizeKeepsPlace(t *testing.T) {
	text := strings.Repeat("word ", 40) + "\n"
	var b strings.Builder
	for i := range 50 {
		b.WriteString("para " + strconv.Itoa(i) + " " + text)
	}
	m := newPager(40, 20, Content{Body: b.String()})
	for m.Top() < 40 {
		m.Update(press("j"))
	}
	for !strings.HasPrefix(body(m)[0], "para ") {
		m.Update(press("j"))
	}
	top := body(m)[0][:8]
	m.SetSize(90, 20)
	if got := body(m)[0]; !strings.HasPrefix(got, top) {
		t.Fatalf("after resize the top line is %q, want it to start %q", got, top)
	}
}

// TestResizeHardWrap: a line cut without spaces keeps its top byte on screen through widths
// that cut it at the very byte the top starts at.
func TestResizeHardWrap(t *testing.T) {
	m := newPager(10, 5, Content{Body: strings.Repeat("0123456789", 10)})
	m.ScrollBy(2)
	for _, step := range []struct{ w, top int }{{20, 1}, {10, 2}, {7, 2}, {10, 1}} {
		m.SetSize(step.w, 5)
		if m.Top() != step.top {
			t.Fatalf("width %d: top %d, want %d", step.w, m.Top(), step.top)
		}
	}
}

// TestFooterSaysWhereOGoes: o toggles between a message and its raw record, and the footer
// names where it goes: "o raw" over a message, "o message" over a raw record.
func TestFooterSaysWhereOGoes(t *testing.T) {
	tests := []struct {
		name    string
		content Content
		want    string
		not     string
	}{
		{"message", Content{Body: "hello"}, "o raw", "o message"},
		{"raw record", Content{Body: `{"id":"1"}`, Kind: JSON}, "o message", "o raw"},
		{"no raw record", Content{Kind: JSON, Empty: "no raw record"}, "o message", "o raw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			foot := lastLine(newPager(120, 20, tt.content).View())
			if !strings.Contains(foot, tt.want) || strings.Contains(foot, tt.not) {
				t.Errorf("footer %q: want %q, not %q", foot, tt.want, tt.not)
			}
		})
	}
}
