package pane

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// paint is a lipgloss style reduced to the escape sequences around its text, for the hot path
// of the list: lipgloss.Style.Render costs microseconds (it measures, splits lines and checks
// borders), which a 1,000,000-row list cannot afford on every row of every frame. Only styles
// of colours and text attributes (no width, padding, border or margin) may be painted; the
// theme builds exactly those.
type paint struct{ open, close string }

// newPaint extracts st's opening and closing sequences by rendering a sentinel.
func newPaint(st lipgloss.Style) paint {
	const sentinel = "\u2063" // invisible separator: never in our sanitized cell text
	out := st.Render(sentinel)
	i := strings.Index(out, sentinel)
	if i < 0 {
		return paint{}
	}
	return paint{open: out[:i], close: out[i+len(sentinel):]}
}

// write writes s painted to b.
func (p paint) write(b *strings.Builder, s string) {
	b.WriteString(p.open)
	b.WriteString(s)
	b.WriteString(p.close)
}

// paints are the list's hot-path styles.
type paints struct {
	time, user, attrs, selected, unfocused paint
}

func newPaints(s Styles) paints {
	return paints{
		time:      newPaint(s.Time),
		user:      newPaint(s.User),
		attrs:     newPaint(s.Attrs),
		selected:  newPaint(s.Selected),
		unfocused: newPaint(s.Unfocused),
	}
}
