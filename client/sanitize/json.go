package sanitize

import (
	"unicode/utf16"
	"unicode/utf8"
)

// JSON makes encoded JSON safe to print on a terminal without changing what it means: it
// \u-escapes DEL, the C1 controls U+0080–U+009F, the bidirectional controls, the line and
// paragraph separators U+2028 and U+2029 and the other runes [Text] escapes, and replaces
// every invalid UTF-8 byte with \ufffd. encoding/json already escapes the C0 controls in the
// strings it encodes, but not these, and it copies a json.RawMessage (a vendor's record) as it
// is, invalid UTF-8 included.
//
// b must be valid JSON apart from its UTF-8: outside strings JSON is printable ASCII, so
// every byte this rewrites is inside a string, where the escape stands for the same
// character. The result decodes to the same values (invalid bytes to U+FFFD, as
// encoding/json decodes them). b is returned as it is when nothing needs escaping.
func JSON(b []byte) []byte {
	i := firstUnsafeJSON(b)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		c := b[i]
		if c < 0x7f {
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = append(out, `\ufffd`...)
		case r == 0x7f || escapeRune(r):
			if r >= 0x10000 {
				hi, lo := utf16.EncodeRune(r)
				out = appendJSONEscape(appendJSONEscape(out, hi), lo)
			} else {
				out = appendJSONEscape(out, r)
			}
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// firstUnsafeJSON is the index of the first byte JSON rewrites, or -1.
func firstUnsafeJSON(b []byte) int {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r == utf8.RuneError && n == 1) || escapeRune(r) {
			return i
		}
		i += n
	}
	return -1
}

// appendJSONEscape appends \uNNNN (lower-case hex) for r ≤ U+FFFF.
func appendJSONEscape(out []byte, r rune) []byte {
	return append(out, '\\', 'u', hexDigits[(r>>12)&0xf], hexDigits[(r>>8)&0xf], hexDigits[(r>>4)&0xf], hexDigits[r&0xf])
}
