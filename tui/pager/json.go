package pager

import (
	"strings"

	"github.com/confab-dev/confab/tui/internal/paint"
)

// The JSON lexer's state at a byte of an indented record's line: outside a string, inside a
// value string or inside a key, and whether the byte before was a backslash in a string.
// json.Indent puts every string on one line (a newline in a string is the escape \n), so a
// line starts outside any string; a screen line inside a long string starts in the state the
// lexer had there (seg.st).
const (
	stOut     uint8 = 0
	stString  uint8 = 1
	stKey     uint8 = 2
	stEscaped uint8 = 4
)

// JSON token classes.
const (
	clPlain = iota
	clKey
	clString
	clNumber
	clLiteral
)

// isKey reports whether the string opening at l[i] (a quote) is an object key: the next
// non-space after its closing quote is a colon.
func isKey(l string, i int) bool {
	esc := false
	for j := i + 1; j < len(l); j++ {
		switch {
		case esc:
			esc = false
		case l[j] == '\\':
			esc = true
		case l[j] == '"':
			rest := strings.TrimLeft(l[j+1:], " ")
			return strings.HasPrefix(rest, ":")
		}
	}
	return false
}

// step advances the lexer over l[i] and returns the new state and the class of that byte.
func step(l string, i int, st uint8) (uint8, int) {
	c := l[i]
	in := st &^ stEscaped
	if in != stOut {
		cl := clString
		if in == stKey {
			cl = clKey
		}
		switch {
		case st&stEscaped != 0:
			return in, cl
		case c == '\\':
			return st | stEscaped, cl
		case c == '"':
			return stOut, cl
		}
		return st, cl
	}
	switch {
	case c == '"':
		if isKey(l, i) {
			return stKey, clKey
		}
		return stString, clString
	case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
		return stOut, clNumber
	case (c == 'e' || c == 'E') && i > 0 && (l[i-1] == '.' || (l[i-1] >= '0' && l[i-1] <= '9')):
		return stOut, clNumber // an exponent
	case c >= 'a' && c <= 'z':
		return stOut, clLiteral
	}
	return stOut, clPlain
}

// scanJSON is the lexer's state after l[from:to], starting in st.
func scanJSON(l string, from, to int, st uint8) uint8 {
	for i := from; i < to; i++ {
		if l[i] == '"' || l[i] == '\\' || st != stOut {
			st, _ = step(l, i, st)
		}
	}
	return st
}

// paintJSON writes l[start:end] (one screen line of an indented record) with its keys,
// strings, numbers and literals painted, starting in lexer state st.
func (m *Model) paintJSON(b *strings.Builder, l string, start, end int, st uint8) {
	ps := [...]paint.Paint{clPlain: m.paints.text, clKey: m.paints.key, clString: m.paints.str,
		clNumber: m.paints.num, clLiteral: m.paints.lit}
	run, cl := start, -1
	for i := start; i < end; i++ {
		var c int
		st, c = step(l, i, st)
		if l[i] >= 0x80 && c != clKey && c != clString {
			c = clPlain // outside strings JSON is ASCII; keep multi-byte runs whole anyway
		}
		if c != cl {
			if cl >= 0 {
				ps[cl].Write(b, l[run:i])
			}
			run, cl = i, c
		}
	}
	if cl >= 0 {
		ps[cl].Write(b, l[run:end])
	}
}
