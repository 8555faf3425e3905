package tui

import "fmt"

// Rect is a rectangle of cells.
type Rect struct{ X, Y, W, H int }

// Breakpoints and proportions of the layout.
const (
	// wideMin is the narrowest terminal whose panes preview the thread beside the list.
	wideMin = 120
	// listMinW and listMaxW bound the list column in the wide layout.
	listMinW = 50
	listMaxW = 100
	// minW and minH are the smallest terminal confab draws in; below either, the screen is
	// one line saying so (tooSmall).
	minW = 60
	minH = 15
)

// tooSmall reports whether a w×h terminal is below minW×minH.
func tooSmall(w, h int) bool { return w < minW || h < minH }

// tooSmallText is the one line a terminal too small shows.
func tooSmallText(w, h int) string {
	return fmt.Sprintf("terminal too small: %dx%d, confab needs at least %dx%d", w, h, minW, minH)
}

// layoutState is what, besides the terminal size, changes the layout.
type layoutState struct {
	helpRows int // rows of the help area: 1 for the short help, more while full help is open
	// fullHelp: the full help is open, and may take all but fullHelpBodyMin rows of the pane.
	fullHelp bool
}

// fullHelpBodyMin is the fewest rows the pane keeps while the full help is open.
const fullHelpBodyMin = 3

// fullHelpMaxRows is the most rows the full help may take on a terminal h rows high: all but
// the tab bar, the status line and fullHelpBodyMin rows of the pane.
func fullHelpMaxRows(h int) int { return max(1, h-2-fullHelpBodyMin) }

// Layout is where everything goes.
type Layout struct {
	Tabs   Rect
	Body   Rect // the active pane
	ListW  int  // width of the pane's list column; == Body.W when there is no preview column
	Status Rect
	Help   Rect
}

// Wide reports whether the pane shows the thread beside the list.
func (l Layout) Wide() bool { return l.ListW < l.Body.W }

// layout computes the layout of a w×h terminal: the tab bar on top, the pane, the status line,
// the help at the bottom. Sizes never go negative; on short terminals help shrinks first.
func layout(w, h int, s layoutState) Layout {
	w, h = max(0, w), max(0, h)
	var l Layout
	l.Tabs = Rect{0, 0, w, min(1, h)}
	helpRows := max(1, s.helpRows)
	// Leave the pane at least half of what remains.
	if s.fullHelp {
		// The help was asked for: it may take the rows it needs (fullhelp.go).
		helpRows = max(0, min(helpRows, h-2-fullHelpBodyMin))
	} else {
		helpRows = max(0, min(helpRows, (h-2)/2))
	}
	l.Help = Rect{0, max(0, h-helpRows), w, helpRows}
	statusY := max(l.Tabs.H, l.Help.Y-1)
	l.Status = Rect{0, statusY, w, min(1, max(0, h-l.Tabs.H-helpRows))}
	bodyH := max(0, h-l.Tabs.H-l.Status.H-helpRows)
	l.Body = Rect{0, l.Tabs.H, w, bodyH}
	l.ListW = w
	if w >= wideMin {
		l.ListW = min(listMaxW, max(listMinW, w*9/20))
	}
	return l
}
