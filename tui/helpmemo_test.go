package tui

import (
	"image/color"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestHelpMemoFollowsItsInputs checks that the help line kept from the frame before is byte
// for byte the help line drawn from scratch, whatever changed in between.
func TestHelpMemoFollowsItsInputs(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, a *App)
	}{
		{"a key that changes nothing", func(t *testing.T, a *App) { update(t, a, press("j")) }},
		{"the thread opens", func(t *testing.T, a *App) { update(t, a, press("enter")) }},
		{"the filter bar is edited", func(t *testing.T, a *App) { update(t, a, press("f")) }},
		{"a light terminal", func(t *testing.T, a *App) {
			update(t, a, tea.BackgroundColorMsg{Color: color.White})
		}},
		{"narrower", func(t *testing.T, a *App) { update(t, a, tea.WindowSizeMsg{Width: 70, Height: 40}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", "")
			tab, _ := fakeTab("moveworks", 100)
			// Styles that follow the terminal's background (not fixed, in colour).
			d := Deps{Tabs: []Tab{tab}, Now: func() time.Time { return fixedNow }, Location: time.UTC, tick: instantTick}
			a := start(t, newTestApp(t, d))
			update(t, a, tea.BackgroundColorMsg{Color: color.Black})
			_ = content(a) // fills the memo
			tt.change(t, a)
			l := a.layout.Help
			got := a.viewHelp(l.W, l.H)
			a.helpMemo = helpMemo{}
			if want := a.viewHelp(l.W, l.H); got != want {
				t.Errorf("the kept help line differs from a fresh one:\ngot:  %q\nwant: %q", got, want)
			}
		})
	}
}
