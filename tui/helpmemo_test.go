package tui

import (
	"image/color"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestHelpMemoFollowsItsInputs checks that the help line and the tab bar kept from the frame
// before are byte for byte the ones drawn from scratch, whatever changed in between.
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
		{"the other tab", func(t *testing.T, a *App) { update(t, a, press("2")) }},
		{"more rows loaded", func(t *testing.T, a *App) { update(t, a, press("G")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", "")
			tab, _ := fakeTab("moveworks", 100)
			other, _ := fakeTab("talkdesk", 7)
			// Styles that follow the terminal's background (not fixed, in colour).
			d := Deps{Tabs: []Tab{tab, other}, Now: func() time.Time { return fixedNow }, Location: time.UTC, tick: instantTick}
			a := start(t, newTestApp(t, d))
			update(t, a, tea.BackgroundColorMsg{Color: color.Black})
			_ = content(a) // fills the memo
			tt.change(t, a)
			l := a.layout.Help
			got, gotTabs := a.viewHelp(l.W, l.H), a.viewTabs(a.layout.Tabs.W)
			a.helpMemo, a.tabsMemo = helpMemo{}, tabsMemo{}
			if want := a.viewHelp(l.W, l.H); got != want {
				t.Errorf("the kept help line differs from a fresh one:\ngot:  %q\nwant: %q", got, want)
			}
			if want := a.viewTabs(a.layout.Tabs.W); gotTabs != want {
				t.Errorf("the kept tab bar differs from a fresh one:\ngot:  %q\nwant: %q", gotTabs, want)
			}
		})
	}
}
