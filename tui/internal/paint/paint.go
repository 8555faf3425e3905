// Package paint reduces a lipgloss style to the escape sequences around its text, for the hot
// paths of the TUI (the list's rows, the thread's rows): lipgloss.Style.Render costs
// microseconds (it measures, splits lines and checks borders), which a 1,000,000-row list or a
// 100,000-row thread cannot afford on every span of every frame.
//
// Only styles of colours and text attributes may be painted (no width, padding, border or
// margin); the theme builds exactly those. For one line of sanitized text s, Paint.String(s)
// shows what st.Render(s) shows, and is byte for byte the same except for underline and
// strikethrough styles (which Render applies rune by rune).
package paint

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Paint is a style's opening and closing sequences.
type Paint struct{ Open, Close string }

// New extracts st's opening and closing sequences by rendering a sentinel.
func New(st lipgloss.Style) Paint {
	const sentinel = "\u2063" // invisible separator: never in our sanitized cell text
	out := st.Render(sentinel)
	i := strings.Index(out, sentinel)
	if i < 0 {
		return Paint{}
	}
	return Paint{Open: out[:i], Close: out[i+len(sentinel):]}
}

// Write writes s painted to b.
func (p Paint) Write(b *strings.Builder, s string) {
	b.WriteString(p.Open)
	b.WriteString(s)
	b.WriteString(p.Close)
}

// String is s painted.
func (p Paint) String(s string) string { return p.Open + s + p.Close }
