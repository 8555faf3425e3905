// Package sanitize makes untrusted vendor text safe to show in a terminal and
// to put on the clipboard in text form, and measures it the way lipgloss does.
//
// Every string that comes from a vendor API goes through [Text] (multi-line
// content, clipboard text) or [Line] (a single-line cell) before it reaches
// lipgloss or the clipboard. Neither ever passes a control character or an
// escape sequence through; they show it visibly instead:
//
//   - C0 controls other than newline and tab, DEL and NUL become `\xNN`
//     ("\x1b[2J" becomes the seven visible characters `\x1b[2J`, so CSI, OSC
//     — OSC 52 clipboard writes, OSC 0/2 window titles — DCS, APC, SOS and PM
//     sequences all lose their introducer and print as plain text);
//   - C1 controls U+0080–U+009F become `\xNN` too, and so do the bytes
//     0x80–0x9F when they are not part of valid UTF-8 (8-bit C1 controls, as
//     a terminal in 8-bit mode would read them);
//   - every other invalid UTF-8 byte becomes U+FFFD;
//   - bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
//     U+2066–U+2069), the line and paragraph separators U+2028 and U+2029, and
//     the prepended concatenation marks (U+0600–U+0605, U+06DD, U+070F,
//     U+0890, U+0891, U+08E2, U+110BD, U+110CD) become `\uNNNN` (or
//     `\UNNNNNNNN` above U+FFFF). The prepended marks are included because
//     they fuse with the next character into one grapheme cluster that
//     lipgloss measures as 0 cells although the terminal prints it, which
//     would shift every border after it.
//
// Widths ([Width], [Truncate], [Pad]) are measured after sanitizing, by
// grapheme cluster, with the same function lipgloss.Width uses
// (github.com/charmbracelet/x/ansi StringWidth), so emoji, ZWJ sequences,
// flags, CJK and combining marks are measured as lipgloss measures them.
//
// Sanitizing adds no width beyond the escapes it shows: Width(Text(s)) is at
// most 4 cells per control character or invalid byte in s (a `\xNN` escape),
// 10 per format character or separator (at most `\UNNNNNNNN`), 1 per \n or
// \t, and 2 per any other character (the widest a grapheme cluster can be).
// FuzzText checks that bound, together with the safety of the output.
//
// The escapes are plain ASCII, so sanitizing is idempotent:
// Text(Text(s)) == Text(s) and Line(Line(s)) == Line(s). A literal backslash
// in the input is kept as it is, so the text `\x1b` and an escaped ESC look
// alike; that is the price of a readable, copyable form.
package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis is the tail [Pad] appends when it has to cut.
const Ellipsis = "…"

const hexDigits = "0123456789abcdef"

// ellipsisWidth is 1, or 2 where RUNEWIDTH_EASTASIAN makes ambiguous-width
// characters wide (as it does for lipgloss).
var ellipsisWidth = cellWidth(Ellipsis)

// asciiClass classifies the bytes below utf8.RuneSelf.
type asciiClass uint8

const (
	printable asciiClass = iota // kept as is
	space                       // ' ': kept, but collapsed and trimmed by Line
	lineWS                      // '\n', '\t': kept by Text, a space in Line and cells
	carriage                    // '\r': escaped by Text, a space in Line
	control                     // every other C0 control and DEL: escaped
)

var asciiClasses = func() (t [utf8.RuneSelf]asciiClass) {
	for b := range t {
		switch {
		case b == ' ':
			t[b] = space
		case b == '\n' || b == '\t':
			t[b] = lineWS
		case b == '\r':
			t[b] = carriage
		case b < 0x20 || b == 0x7f:
			t[b] = control
		}
	}
	return t
}()

// textSafe marks the bytes that Text keeps as they are without looking
// further: printable ASCII, space, \n and \t. Bytes from 0x80 start a
// multi-byte sequence that has to be decoded.
var textSafe = func() (t [256]bool) {
	for b := range utf8.RuneSelf {
		t[b] = asciiClasses[b] <= lineWS
	}
	return t
}()

// escapeRune reports whether the valid, non-ASCII rune r is shown escaped.
func escapeRune(r rune) bool {
	switch {
	case r <= 0x9f: // C1 controls (r >= 0x80 here)
		return true
	case r < 0x0600:
		return false
	case r <= 0x08e2:
		return r <= 0x0605 || r == 0x061c || r == 0x06dd || r == 0x070f ||
			r == 0x0890 || r == 0x0891 || r == 0x08e2
	case r < 0x200e:
		return false
	case r <= 0x2069:
		return r <= 0x200f || (r >= 0x2028 && r <= 0x2029) ||
			(r >= 0x202a && r <= 0x202e) || r >= 0x2066
	default:
		return r == 0x110bd || r == 0x110cd
	}
}

// firstUnsafe returns the index of the first byte at which Text has to change
// s, or -1 when s is already safe.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		b := s[i]
		if textSafe[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			return i
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || escapeRune(r) {
			return i
		}
		i += n
	}
	return -1
}

// writeHexByte writes `\xNN`.
func writeHexByte(sb *strings.Builder, b byte) {
	sb.WriteString(`\x`)
	sb.WriteByte(hexDigits[b>>4])
	sb.WriteByte(hexDigits[b&0x0f])
}

// writeEscapedRune writes the visible form of an escaped rune: `\xNN` below
// U+0100, `\uNNNN` below U+10000, `\UNNNNNNNN` above.
func writeEscapedRune(sb *strings.Builder, r rune) {
	digits := 8
	switch {
	case r < 0x100:
		writeHexByte(sb, byte(r))
		return
	case r < 0x10000:
		sb.WriteString(`\u`)
		digits = 4
	default:
		sb.WriteString(`\U`)
	}
	for shift := (digits - 1) * 4; shift >= 0; shift -= 4 {
		sb.WriteByte(hexDigits[(r>>shift)&0x0f])
	}
}

// mode selects what happens to whitespace while sanitizing.
type mode uint8

const (
	modeText mode = iota // keep \n and \t
	modeCell             // \n and \t each become one space (Width, Truncate, Pad)
	modeLine             // \n, \r, \t and spaces collapse to one space, trimmed
)

// sanitize is the slow path shared by Text, Line and the cell form. start is
// an index up to which s is known to need no change.
func sanitize(s string, start int, m mode) string {
	var sb strings.Builder
	// Most hostile strings grow by a few escapes; grow once for the common case.
	sb.Grow(len(s) + len(s)/4 + 16)
	pendingSpace := false
	if m == modeLine && start > 0 && s[start-1] == ' ' {
		// The clean prefix ends in a space that Line may have to drop (if it
		// is trailing) or merge with the whitespace that follows: hold it back.
		start--
		pendingSpace = true
	}
	sb.WriteString(s[:start])
	if pendingSpace {
		start++
	}
	// flush writes the space Line held back, before a non-space piece; a
	// leading space is dropped.
	flush := func() {
		if pendingSpace {
			if sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			pendingSpace = false
		}
	}
	for i := start; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			i++
			switch c := asciiClasses[b]; {
			case c == printable:
				flush()
				sb.WriteByte(b)
			case m == modeLine && c <= carriage: // space, \n, \t, \r
				pendingSpace = true
			case c == space:
				sb.WriteByte(b)
			case c == lineWS:
				if m == modeCell {
					sb.WriteByte(' ')
				} else {
					sb.WriteByte(b)
				}
			default: // control, or \r outside Line
				flush()
				writeHexByte(&sb, b)
			}
			continue
		}
		flush()
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if b <= 0x9f {
				writeHexByte(&sb, b) // an 8-bit C1 control
			} else {
				sb.WriteRune(utf8.RuneError)
			}
		case escapeRune(r):
			writeEscapedRune(&sb, r)
		default:
			sb.WriteString(s[i : i+n])
		}
		i += n
	}
	return sb.String()
}

// Text makes s safe to print and to copy: it keeps \n and \t, shows every
// other control character visibly (ESC as `\x1b`, so "\x1b[2J" becomes the 7
// visible characters `\x1b[2J`; C1 as `\x9b` etc.; NUL as `\x00`; DEL as
// `\x7f`), shows bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C), U+2028, U+2029 and the prepended concatenation marks as `\u202e`
// etc., shows stray bytes 0x80–0x9F as `\x9b` etc. and replaces every other
// invalid UTF-8 byte with U+FFFD.
//
// It returns s itself, without allocating, when s is already safe.
func Text(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	return sanitize(s, i, modeText)
}

// lineSafePrefix returns the index of the first byte at which Line has to
// change s, or -1 when s is already a clean line.
func lineSafePrefix(s string) int {
	if len(s) > 0 && s[0] == ' ' {
		return 0
	}
	prevSpace := false
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch asciiClasses[b] {
			case printable:
				prevSpace = false
			case space:
				if prevSpace || i == len(s)-1 {
					return i
				}
				prevSpace = true
			default:
				return i
			}
			i++
			continue
		}
		prevSpace = false
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || escapeRune(r) {
			return i
		}
		i += n
	}
	return -1
}

// Line is [Text] for a single-line cell: additionally every run of spaces,
// \n, \r and \t becomes a single space, and leading and trailing spaces are
// trimmed. It returns s itself, without allocating, when s is already a clean
// line.
func Line(s string) string {
	i := lineSafePrefix(s)
	if i < 0 {
		return s
	}
	return sanitize(s, i, modeLine)
}

// cell is the form Width, Truncate and Pad work on: Text(s) with each \n and
// \t replaced by one space, so that its width is exactly what it prints as.
func cell(s string) string {
	start := firstUnsafe(s)
	if k := strings.IndexAny(s, "\n\t"); k >= 0 && (start < 0 || k < start) {
		start = k
	}
	if start < 0 {
		return s
	}
	return sanitize(s, start, modeCell)
}

// isPlainASCII reports whether s is only printable ASCII (the common case,
// one cell per byte).
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b >= utf8.RuneSelf || asciiClasses[b] > space {
			return false
		}
	}
	return true
}

// Width is the display width of sanitized s in terminal cells, measured by
// grapheme cluster exactly as lipgloss.Width measures a single line. It
// measures s as one line: \n and \t count one cell each (they are a space in
// [Truncate] and [Pad]), and escapes count as the characters they show, so
// Width("\x1b[2J") is 7. For a single line without tabs,
// Width(s) == lipgloss.Width(Text(s)).
func Width(s string) int {
	if isPlainASCII(s) {
		return len(s)
	}
	return cellWidth(cell(s))
}

// nextCluster returns the length in bytes and the width in cells of the first
// grapheme cluster of the non-empty sanitized cell c. It agrees with
// ansi.StringWidth, which lipgloss.Width uses: that also measures the cluster
// starting at each position with ansi.FirstGraphemeCluster. A printable ASCII
// byte followed by another (or by nothing) is a cluster of its own, which
// saves the segmenter for runs of ASCII.
func nextCluster(c string) (n, w int) {
	if c[0] < utf8.RuneSelf && (len(c) == 1 || c[1] < utf8.RuneSelf) {
		return 1, 1
	}
	cluster, w := ansi.FirstGraphemeCluster(c, ansi.GraphemeWidth)
	return len(cluster), w
}

// cellWidth is the width of the sanitized cell c.
func cellWidth(c string) int {
	w := 0
	for i := 0; i < len(c); {
		n, cw := nextCluster(c[i:])
		w += cw
		i += n
	}
	return w
}

// cut returns the longest prefix of the sanitized cell c that is at most w
// cells wide and ends at a grapheme cluster boundary, and its width.
func cut(c string, w int) (string, int) {
	used := 0
	for i := 0; i < len(c); {
		n, cw := nextCluster(c[i:])
		if used+cw > w {
			return c[:i], used
		}
		used += cw
		i += n
	}
	return c, used
}

// joinsAcross reports whether, in the sanitized cell r, the character that
// ends at byte i and the ordinary character (ASCII, or "…") that starts there
// fall into one grapheme cluster, which changes the width of the two
// together. Only a character with Grapheme_Cluster_Break=Prepend joins an
// ordinary follower (rule GB9b), and that depends on the two characters
// alone, so segmenting from the one before i is exact.
func joinsAcross(r string, i int) bool {
	if i == 0 || i >= len(r) {
		return false
	}
	last, n := utf8.DecodeLastRuneInString(r[:i])
	if n == 1 || last == '…' {
		return false // neither joins a following ordinary character
	}
	cluster, _ := ansi.FirstGraphemeCluster(r[i-n:], ansi.GraphemeWidth)
	return len(cluster) > n
}

// Truncate cuts sanitized s to at most w cells without splitting a grapheme
// cluster, appending the sanitized tail (e.g. [Ellipsis]) when it cuts; the
// result including the tail is at most w cells wide. Like [Width] it treats s
// as one line: each \n and \t in s becomes one space. If the tail alone is
// wider than w, s is cut to w cells without a tail. The result can be
// narrower than w when a wide character did not fit; [Pad] fills that up.
func Truncate(s string, w int, tail string) string {
	r, _ := truncate(s, w, tail)
	return r
}

// truncate is Truncate that also returns the width of its result.
func truncate(s string, w int, tail string) (string, int) {
	if w <= 0 {
		return "", 0
	}
	c := cell(s)
	cw := cellWidth(c)
	if cw <= w {
		return c, cw
	}
	t, tw := tail, ellipsisWidth
	if tail != Ellipsis {
		t = cell(tail)
		tw = cellWidth(t)
	}
	if tw > w {
		t, tw = "", 0
	}
	prefix, used := cut(c, w-tw)
	if t == "" {
		return prefix, used
	}
	r := prefix + t
	if t[0] < utf8.RuneSelf || strings.HasPrefix(t, Ellipsis) {
		// An ordinary first character joins the prefix only after a prepend
		// character, and then the pair is narrower, never wider.
		if joinsAcross(r, len(prefix)) {
			return r, cellWidth(r)
		}
		return r, used + tw
	}
	// Any other tail may begin with a variation selector or a combining mark
	// that fuses with the last cluster kept and may widen it ("1" + U+FE0F is
	// an emoji, 2 cells): measure the joined result and give up cells while it
	// is too wide.
	for budget := w - tw; ; budget-- {
		rw := cellWidth(r)
		if budget <= 0 || rw <= w {
			return r, rw
		}
		prefix, _ = cut(c, budget-1)
		r = prefix + t
	}
}

// Pad truncates sanitized s to w cells with [Ellipsis] as the tail and then
// right-pads it with spaces to exactly w cells; it returns "" for w <= 0.
func Pad(s string, w int) string {
	t, tw := truncate(s, w, Ellipsis)
	if tw >= w {
		return t
	}
	var sb strings.Builder
	sb.Grow(len(t) + w - tw)
	sb.WriteString(t)
	for range w - tw {
		sb.WriteByte(' ')
	}
	r := sb.String()
	if joinsAcross(r, len(t)) {
		// A space after a prepend character (U+0D4E and a few others) joins
		// its cluster; measure and top up until exact.
		for cellWidth(r) < w {
			r += " "
		}
	}
	return r
}

// CaretColumn is the cell column of byte offset pos in text: the width of the text before it
// (see Width). A pos inside a multi-byte character points at that character; a pos past the
// end points just after the text. Error carets (the filter bar, `confab list`) use it.
func CaretColumn(text string, pos int) int {
	if pos <= 0 {
		return 0
	}
	if pos > len(text) {
		pos = len(text)
	}
	for pos > 0 && pos < len(text) && !utf8.RuneStart(text[pos]) {
		pos--
	}
	return Width(text[:pos])
}
