package sanitize

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
)

// forbidden reports whether the rune r must never appear in sanitized output.
// It restates the package contract independently of the implementation.
func forbidden(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f: // C0, DEL, C1
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, // bidi marks
		r >= 0x202a && r <= 0x202e, // embeddings, overrides, PDF
		r >= 0x2066 && r <= 0x2069, // isolates
		r == 0x2028, r == 0x2029,   // line and paragraph separator
		r >= 0x0600 && r <= 0x0605, r == 0x06dd, r == 0x070f, // prepended marks
		r == 0x0890, r == 0x0891, r == 0x08e2, r == 0x110bd, r == 0x110cd:
		return true
	}
	return false
}

// checkSafe fails the test if out contains a forbidden byte or rune or is not
// valid UTF-8.
func checkSafe(t *testing.T, fn, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q is not valid UTF-8", fn, in, out)
	}
	for i, r := range out {
		if forbidden(r) {
			t.Fatalf("%s(%q) = %q keeps %U at byte %d", fn, in, out, r, i)
		}
	}
}

// widthBound is the most cells Text(s) may take, measured on the input: a
// control character or an invalid byte costs at most its 4-character `\xNN`
// escape, a format character or separator (the bidi controls, U+2028/9 and the
// prepended marks are all of these) at most the 10-character `\UNNNNNNNN`
// escape, \n and \t one cell (Width counts them as a space), and any other
// character at most 2 cells, the widest a grapheme cluster can be. So
// sanitizing adds no width beyond that of the escapes it shows.
func widthBound(s string) int {
	bound := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			bound += 4
		case r == '\n' || r == '\t':
			bound++
		case unicode.Is(unicode.Cc, r):
			bound += 4
		case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			bound += 10
		default:
			bound += 2
		}
		i += n
	}
	return bound
}

// unescape reverses the escapes of Text for input without backslashes.
func unescape(t *testing.T, s string) string {
	t.Helper()
	var sb strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			_, n := utf8.DecodeRuneInString(s[i:])
			sb.WriteString(s[i : i+n])
			i += n
			continue
		}
		digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[i+1]]
		v, err := strconv.ParseUint(s[i+2:i+2+digits], 16, 32)
		if err != nil {
			t.Fatalf("bad escape in %q at %d: %v", s, i, err)
		}
		sb.WriteRune(rune(v))
		i += 2 + digits
	}
	return sb.String()
}

// FuzzText checks, for any input: Text, Line, Width, Truncate and Pad do not
// panic; Text and Line output is valid UTF-8 with no byte below 0x20 other than
// \n and \t (none at all for Line), no DEL, no U+0080–U+009F and no bidi
// control; both are idempotent; input that needs no change comes back as is;
// for valid UTF-8 without backslashes the escapes are lossless; the width of
// Text(s) never exceeds widthBound(s); Truncate keeps within its width and Pad
// hits it exactly, as lipgloss measures.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"", "plain", "\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\u202eabc", family, "中文",
		"\x9b\u009b\x00\x7f", " a \r\n b\t", "\xff\xe4\xb8", "\u0600a", "1\ufe0f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := Text(s)
		checkSafe(t, "Text", s, text)
		if again := Text(text); again != text {
			t.Fatalf("Text not idempotent: Text(%q) = %q, Text of that = %q", s, text, again)
		}
		needsNoChange := utf8.ValidString(s) && !strings.ContainsFunc(s, forbidden)
		if needsNoChange != (text == s) {
			t.Fatalf("Text(%q) = %q, but the input needs no change: %v", s, text, needsNoChange)
		}
		if utf8.ValidString(s) && !strings.Contains(s, `\`) {
			if back := unescape(t, text); back != s {
				t.Fatalf("Text(%q) = %q unescapes to %q", s, text, back)
			}
		}

		line := Line(s)
		checkSafe(t, "Line", s, line)
		if strings.ContainsAny(line, "\n\t\r") || strings.Contains(line, "  ") ||
			strings.HasPrefix(line, " ") || strings.HasSuffix(line, " ") {
			t.Fatalf("Line(%q) = %q is not a clean line", s, line)
		}
		if again := Line(line); again != line {
			t.Fatalf("Line not idempotent: Line(%q) = %q, Line of that = %q", s, line, again)
		}

		w := Width(s)
		if b := widthBound(s); w > b {
			t.Fatalf("Width(Text(%q)) = %d exceeds the bound %d", s, w, b)
		}
		if w != Width(text) {
			t.Fatalf("Width(%q) = %d but Width(Text) = %d", s, w, Width(text))
		}
		if !strings.ContainsAny(s, "\n\t") {
			if lw := lipgloss.Width(text); lw != w {
				t.Fatalf("Width(%q) = %d but lipgloss.Width(Text) = %d", s, w, lw)
			}
		}
		for _, cw := range []int{0, 1, 2, 3, w / 2, w - 1, w, w + 1} {
			tr := Truncate(s, cw, Ellipsis)
			checkSafe(t, "Truncate", s, tr)
			if got := lipgloss.Width(tr); got > max(cw, 0) || Width(tr) != got {
				t.Fatalf("Truncate(%q, %d) = %q is %d cells (Width %d)", s, cw, tr, got, Width(tr))
			}
			if cw >= w && cw > 0 && tr != cell(s) {
				t.Fatalf("Truncate(%q, %d) = %q cut although it fits", s, cw, tr)
			}
			p := Pad(s, cw)
			checkSafe(t, "Pad", s, p)
			if got := lipgloss.Width(p); got != max(cw, 0) || strings.ContainsAny(p, "\n\t") {
				t.Fatalf("Pad(%q, %d) = %q is %d cells", s, cw, p, got)
			}
		}
	})
}
