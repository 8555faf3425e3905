package pane

import (
	"github.com/confab-dev/confab/tui/internal/paint"
)

// paints are the list's hot-path styles (see package paint): lipgloss.Style.Render per row is
// too slow for a 1,000,000-row list.
type paints struct {
	time, user, attrs, selected, unfocused paint.Paint
	divider                                string // the line between the list and the thread, styled
}

func newPaints(s Styles) paints {
	return paints{
		time:      paint.New(s.Time),
		user:      paint.New(s.User),
		attrs:     paint.New(s.Attrs),
		selected:  paint.New(s.Selected),
		unfocused: paint.New(s.Unfocused),
		divider:   s.Divider.Render("│"),
	}
}
