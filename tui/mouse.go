package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client/sanitize"
)

// wheelRows is how many rows one notch of the mouse wheel scrolls.
const wheelRows = 3

// mouseMode is the View's mouse mode: clicks and the wheel (cell motion) unless Deps.NoMouse
// leaves the mouse to the terminal, whose text selection then works as usual.
func (a *App) mouseMode() tea.MouseMode {
	if a.noMouse {
		return tea.MouseModeNone
	}
	return tea.MouseModeCellMotion
}

// handleMouse routes a mouse message by where the pointer is (the layout's rectangles): a
// left click on the tab bar switches to the tab under it; in the pane, the wheel scrolls the
// part under the pointer and a left click selects a row (pane.Pane Click and Wheel). Other
// mouse messages (release, motion, other buttons), the mouse over the status and help lines,
// and any mouse while the search overlay or a filter bar takes input do nothing.
func (a *App) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if a.noMouse || a.searching() || len(a.panes) > 0 && a.panes[a.active].Capturing() {
		return nil // the search overlay or a pane's text input has the keyboard: leave them be
	}
	if tooSmall(a.width, a.height) {
		return nil // only the "terminal too small" line is drawn: nothing to point at
	}
	m := msg.Mouse()
	l := a.layout
	in := func(r Rect) bool { return m.X >= r.X && m.X < r.X+r.W && m.Y >= r.Y && m.Y < r.Y+r.H }
	switch msg.(type) {
	case tea.MouseClickMsg:
		if m.Button != tea.MouseLeft {
			return nil
		}
		switch {
		case in(l.Tabs):
			if i := a.tabAt(m.X-l.Tabs.X, l.Tabs.W); i >= 0 && i != a.active {
				a.switchTab(i)
			}
		case in(l.Body) && len(a.panes) > 0:
			return a.panes[a.active].Click(m.X-l.Body.X, m.Y-l.Body.Y)
		}
	case tea.MouseWheelMsg:
		delta := 0
		switch m.Button {
		case tea.MouseWheelUp:
			delta = -wheelRows
		case tea.MouseWheelDown:
			delta = wheelRows
		}
		if delta != 0 && in(l.Body) && len(a.panes) > 0 {
			return a.panes[a.active].Wheel(m.X-l.Body.X, m.Y-l.Body.Y, delta)
		}
	}
	return nil
}

// tabAt is the tab drawn at cell x of a tab bar w cells wide, or -1: it hit-tests the labels
// viewTabs draws (tabLabels), each followed by a one-cell gap.
func (a *App) tabAt(x, w int) int {
	titles := make([]string, len(a.panes))
	for i, p := range a.panes {
		titles[i] = p.Title()
	}
	used := 0
	for i, lbl := range a.tabLabels(titles, w) {
		lw := sanitize.Width(lbl)
		if x >= used && x < used+lw {
			return i
		}
		used += lw + 1
	}
	return -1
}
