package sanitize

import "unicode/utf8"

// Clip cuts untrusted s to at most n bytes, on a rune boundary, and ends it with [Ellipsis]
// when it cut anything. Renderers clip a vendor string to a generous bound for the cells it
// will fill before sanitizing and measuring it, so a 200 KB message costs what a screenful
// costs. s itself is returned, without allocating, when it is short enough; n <= 0 gives "".
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + Ellipsis
}

// ClipBytes is a byte bound that is enough for w cells of any ordinary text: four bytes a
// cell (the longest UTF-8 sequence), doubled for combining marks and escapes, plus slack.
// Text that needs more (long runs of zero-width characters) is cut with [Ellipsis] early.
func ClipBytes(w int) int { return 8*max(0, w) + 256 }
