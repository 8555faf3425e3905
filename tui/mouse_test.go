package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/pane"
)

// screen is the app's view as plain text lines.
func screen(a *App) []string {
	return strings.Split(ansi.Strip(a.View().Content), "\n")
}

// findLine is the first screen line whose cells [from, to) contain s, or -1.
func findLine(a *App, from, to int, s string) int {
	for y, l := range screen(a) {
		if strings.Contains(ansi.Cut(l, from, to), s) {
			return y
		}
	}
	return -1
}

// mouseApp is a started app at w×h on one fake source of n conversations.
func mouseApp(t *testing.T, w, h, n int, tweak func(*Deps)) (*App, []client.Conversation) {
	t.Helper()
	tab, src := fakeTab("mw", n)
	deps := testDeps(tab)
	if tweak != nil {
		tweak(&deps)
	}
	a := start(t, newTestApp(t, deps))
	update(t, a, tea.WindowSizeMsg{Width: w, Height: h})
	var convs []client.Conversation
	for i := range n {
		c, err := src.Conversation(t.Context(), fmt.Sprintf("conv-%06d", i))
		if err != nil {
			t.Fatal(err)
		}
		c.UserID = sanitize.Line(c.UserID) // as the list shows it
		convs = append(convs, c)
	}
	return a, convs
}

// selectedID is the id of the selected conversation, as i copies it.
func selectedID(t *testing.T, a *App) string {
	t.Helper()
	r := runCopy(t, a, press("i"))
	if len(r.osc) != 1 {
		t.Fatalf("i copied %d texts", len(r.osc))
	}
	return r.osc[0]
}

func click(x, y int) tea.Msg { return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft} }

func wheel(x, y int, down bool) tea.Msg {
	b := tea.MouseWheelUp
	if down {
		b = tea.MouseWheelDown
	}
	return tea.MouseWheelMsg{X: x, Y: y, Button: b}
}

// TestMouseClickSelectsRow: a click on a list row selects it; a click on the selected row
// opens its thread, as enter does.
func TestMouseClickSelectsRow(t *testing.T) {
	a, convs := mouseApp(t, 200, 50, 30, nil)
	lw := a.layout.ListW
	y := findLine(a, 0, lw, convs[5].UserID)
	if y < 0 {
		t.Fatalf("conversation 5 (%s) is not on screen:\n%s", convs[5].UserID, a.View().Content)
	}
	update(t, a, click(10, y))
	if got := selectedID(t, a); got != convs[5].ID || a.mode() != pane.ModeList {
		t.Fatalf("after the click: %s selected in mode %v, want %s in the list", got, a.mode(), convs[5].ID)
	}
	update(t, a, click(10, y))
	if a.mode() != pane.ModeThread {
		t.Errorf("a click on the selected row left mode %v, want the thread", a.mode())
	}
	// A click on the list header or past the last row changes nothing.
	update(t, a, press("esc"))
	update(t, a, click(10, findLine(a, 0, lw, "Time")), click(10, y+40))
	if got := selectedID(t, a); got != convs[5].ID || a.mode() != pane.ModeList {
		t.Errorf("a click off the rows: %s selected in mode %v", got, a.mode())
	}
}

// TestMouseWheelScrollsList: the wheel over the list moves its window by three rows, the
// selection pulled along at the top edge.
func TestMouseWheelScrollsList(t *testing.T) {
	a, convs := mouseApp(t, 200, 20, 40, nil)
	lw := a.layout.ListW
	top := findLine(a, 0, lw, convs[0].UserID)
	if top < 0 {
		t.Fatalf("the first row is not on screen:\n%s", a.View().Content)
	}
	update(t, a, wheel(10, top+2, true))
	if y := findLine(a, 0, lw, convs[3].UserID); y != top {
		t.Errorf("after one notch down, conversation 3 is on line %d, want the top row %d:\n%s", y, top, a.View().Content)
	}
	if findLine(a, 0, lw, convs[0].UserID) >= 0 {
		t.Error("conversation 0 is still on screen")
	}
	if got := selectedID(t, a); got != convs[3].ID {
		t.Errorf("selection %s, want %s (pulled along)", got, convs[3].ID)
	}
	update(t, a, wheel(10, top+2, false))
	if y := findLine(a, 0, lw, convs[0].UserID); y != top {
		t.Errorf("after one notch up, conversation 0 is on line %d, want %d", y, top)
	}
	if got := selectedID(t, a); got != convs[3].ID {
		t.Errorf("scrolling back moved the selection to %s", got)
	}
	// The tab bar and the status line do not scroll anything.
	update(t, a, wheel(10, 0, true), wheel(10, a.layout.Status.Y, true))
	if y := findLine(a, 0, lw, convs[0].UserID); y != top {
		t.Errorf("the wheel off the pane scrolled the list")
	}
}

// TestMouseWheelOverThread: the wheel over the thread preview moves the thread's selection,
// not the list's, and does not take focus.
func TestMouseWheelOverThread(t *testing.T) {
	a, convs := mouseApp(t, 200, 50, 30, nil)
	lw := a.layout.ListW
	items := fake.Thread(convs[0])
	y := findLine(a, lw+1, 200, "Actually, talk to an agent")
	if y < 0 {
		t.Fatalf("the thread preview is not on screen:\n%s", a.View().Content)
	}
	update(t, a, wheel(lw+10, y, true))
	if a.mode() != pane.ModeList {
		t.Errorf("the wheel over the preview gave it focus")
	}
	if got := selectedID(t, a); got != convs[0].ID {
		t.Errorf("the list selection moved to %s", got)
	}
	update(t, a, press("enter")) // focus the thread: its selection stays
	r := runCopy(t, a, press("c"))
	if len(r.osc) != 1 || r.osc[0] != items[3].Text {
		t.Errorf("the thread's selection after one notch: %q, want row 3 %q", r.osc, items[3].Text)
	}
}

// TestMouseClickThreadRow: a click on a thread row focuses the thread and selects the row.
func TestMouseClickThreadRow(t *testing.T) {
	a, convs := mouseApp(t, 200, 50, 30, nil)
	lw := a.layout.ListW
	y := findLine(a, lw+1, 200, "Actually, talk to an agent")
	if y < 0 {
		t.Fatalf("the thread preview is not on screen:\n%s", a.View().Content)
	}
	update(t, a, click(lw+20, y))
	if a.mode() != pane.ModeThread {
		t.Fatalf("mode %v after a click on the thread, want the thread", a.mode())
	}
	r := runCopy(t, a, press("c"))
	if want := fake.Thread(convs[0])[4].Text; len(r.osc) != 1 || r.osc[0] != want {
		t.Errorf("selected message %q, want %q", r.osc, want)
	}
	// The wheel over the list gives it focus back (the preview follows its selection).
	update(t, a, wheel(10, y, true))
	if a.mode() != pane.ModeList {
		t.Errorf("mode %v after the wheel over the list, want the list", a.mode())
	}
	update(t, a, click(lw+20, y))
	// A click on the list gives it focus back and selects the row clicked.
	update(t, a, click(10, findLine(a, 0, lw, convs[2].UserID)))
	if a.mode() != pane.ModeList || selectedID(t, a) != convs[2].ID {
		t.Errorf("a click on the list: mode %v", a.mode())
	}
	// The divider is neither.
	update(t, a, click(lw, y))
	if a.mode() != pane.ModeList {
		t.Errorf("a click on the divider focused the thread")
	}
}

// TestMouseClickTab: a click on a tab's label switches to that tab, at widths where labels
// fit and where they are cut.
func TestMouseClickTab(t *testing.T) {
	for _, w := range []int{200, 120, 60} {
		tabs := []Tab{}
		for _, n := range []string{"moveworks-prod", "talkdesk", "od"} {
			tab, _ := fakeTab(n, 5)
			tabs = append(tabs, tab)
		}
		a := start(t, newTestApp(t, testDeps(tabs...)))
		update(t, a, tea.WindowSizeMsg{Width: w, Height: 30})
		bar := screen(a)[0]
		// Each label runs up to the next gap: click every cell of it.
		x := 0
		for i, lbl := range strings.Split(bar, "│") {
			lw := ansi.StringWidth(lbl)
			if i >= len(tabs) {
				break
			}
			for c := x; c < x+lw; c++ {
				update(t, a, click(c, 0))
				if a.active != i {
					t.Fatalf("width %d: a click at %d (in %q) selected tab %d, want %d", w, c, lbl, a.active, i)
				}
			}
			x += lw + 1
		}
		update(t, a, click(1, 0))
		if a.active != 0 {
			t.Errorf("width %d: back to the first tab: active %d", w, a.active)
		}
	}
}

// TestNoMouse: the View asks for mouse events unless Deps.NoMouse, and with NoMouse mouse
// messages change nothing.
func TestNoMouse(t *testing.T) {
	a, convs := mouseApp(t, 200, 50, 30, nil)
	if m := a.View().MouseMode; m != tea.MouseModeCellMotion {
		t.Errorf("mouse mode %v, want cell motion", m)
	}
	a, convs = mouseApp(t, 200, 50, 30, func(d *Deps) { d.NoMouse = true })
	if m := a.View().MouseMode; m != tea.MouseModeNone {
		t.Errorf("with NoMouse the mouse mode is %v, want none", m)
	}
	update(t, a, click(10, findLine(a, 0, a.layout.ListW, convs[5].UserID)))
	if got := selectedID(t, a); got != convs[0].ID {
		t.Errorf("with NoMouse a click selected %s", got)
	}
}

// TestMouseNarrow: on a terminal too narrow for the preview, a second click opens the thread
// full width, where a click selects a message and the wheel moves through it.
func TestMouseNarrow(t *testing.T) {
	a, convs := mouseApp(t, 100, 30, 30, nil)
	if a.layout.Wide() {
		t.Fatal("the layout should be narrow")
	}
	y := findLine(a, 0, 100, convs[2].UserID)
	update(t, a, click(5, y), click(5, y))
	if a.mode() != pane.ModeThread {
		t.Fatalf("mode %v after two clicks, want the thread", a.mode())
	}
	items := fake.Thread(convs[2])
	ty := findLine(a, 0, 100, "Actually, talk to an agent")
	if ty < 0 {
		t.Fatalf("the thread is not on screen:\n%s", a.View().Content)
	}
	update(t, a, click(30, ty))
	if r := runCopy(t, a, press("c")); len(r.osc) != 1 || r.osc[0] != items[4].Text {
		t.Errorf("after a click: %q selected, want %q", r.osc, items[4].Text)
	}
	update(t, a, wheel(30, ty, false))
	if r := runCopy(t, a, press("c")); len(r.osc) != 1 || r.osc[0] != items[1].Text {
		t.Errorf("after a notch up: %q selected, want %q", r.osc, items[1].Text)
	}
}

// TestMouseWhileEditing: while the filter bar takes input, clicks and the wheel change
// nothing (not the selection, not the tab).
func TestMouseWhileEditing(t *testing.T) {
	a, convs := mouseApp(t, 200, 50, 30, nil)
	y := findLine(a, 0, a.layout.ListW, convs[5].UserID)
	update(t, a, press("f"))
	if a.mode() != pane.ModeFilter {
		t.Fatalf("f left mode %v", a.mode())
	}
	update(t, a, click(10, y), wheel(10, y, true))
	update(t, a, press("esc"))
	if got := selectedID(t, a); got != convs[0].ID {
		t.Errorf("a click while editing selected %s", got)
	}
}

// TestMouseTooSmall: below the smallest size only the "terminal too small" line is drawn, so
// a click or the wheel changes nothing.
func TestMouseTooSmall(t *testing.T) {
	a, _ := mouseApp(t, 200, 50, 30, nil)
	update(t, a, tea.WindowSizeMsg{Width: 40, Height: 30})
	before := selectedID(t, a)
	update(t, a, click(13, 0), click(5, 5), tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelDown})
	if a.active != 0 || selectedID(t, a) != before {
		t.Errorf("a click on the too-small screen changed tab %d or selection", a.active)
	}
}
