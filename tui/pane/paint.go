package pane

import (
	"github.com/confab-dev/confab/tui/internal/paint"
)

// paints are the list's hot-path styles (see package paint): lipgloss.Style.Render per row is
// too slow for a 1,000,000-row list.
type paints struct {
	time, user, attrs, selected, unfocused paint.Paint
	header, headerFocus, footer            paint.Paint // the columns' title lines, the list's footer
	divider                                string      // the line between the list and the thread, styled
}

func newPaints(s Styles) paints {
	return paints{
		time:        paint.New(s.Time),
		user:        paint.New(s.User),
		attrs:       paint.New(s.Attrs),
		selected:    paint.New(s.Selected),
		unfocused:   paint.New(s.Unfocused),
		header:      paint.New(s.Header),
		headerFocus: paint.New(s.HeaderFocus),
		footer:      paint.New(s.Footer),
		divider:     s.Divider.Render("│"),
	}
}
