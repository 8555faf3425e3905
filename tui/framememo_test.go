package tui

import (
	"image/color"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestAppFrameFollowsItsInputs checks that the frame App.View writes from what it kept (the
// status line, the window title, the tab bar and the help line (helpmemo.go, tabsmemo.go),
// the builder's size) is byte for byte the frame drawn from scratch, whatever changed in
// between.
func TestAppFrameFollowsItsInputs(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, a *App)
	}{
		{"a key that moves the selection", func(t *testing.T, a *App) { update(t, a, press("j")) }},
		{"a status message", func(t *testing.T, a *App) {
			update(t, a, statusMsg{Level: LevelInfo, Text: "Copied the thread", TTL: time.Minute})
		}},
		{"an error message", func(t *testing.T, a *App) {
			update(t, a, statusMsg{Level: LevelError, Text: "Could not copy", TTL: time.Minute})
		}},
		{"redaction toggled", func(t *testing.T, a *App) { update(t, a, press("R")) }},
		{"a light terminal", func(t *testing.T, a *App) {
			update(t, a, tea.BackgroundColorMsg{Color: color.White})
		}},
		{"narrower", func(t *testing.T, a *App) { update(t, a, tea.WindowSizeMsg{Width: 70, Height: 40}) }},
		{"shorter", func(t *testing.T, a *App) { update(t, a, tea.WindowSizeMsg{Width: 120, Height: 12}) }},
		{"the other tab", func(t *testing.T, a *App) { update(t, a, press("2")) }},
		{"the thread opens", func(t *testing.T, a *App) { update(t, a, press("enter")) }},
		{"the filter bar is edited", func(t *testing.T, a *App) { update(t, a, press("f")) }},
		{"the full help", func(t *testing.T, a *App) { update(t, a, press("?")) }},
		{"more rows loaded", func(t *testing.T, a *App) { update(t, a, press("G")) }},
		{"the full help, then a key", func(t *testing.T, a *App) {
			update(t, a, press("?"))
			_ = a.View()
			update(t, a, press("j"))
		}},
		{"the full help, then the thread", func(t *testing.T, a *App) {
			update(t, a, press("?"))
			_ = a.View()
			update(t, a, press("enter"))
		}},
		{"the full help, then narrower", func(t *testing.T, a *App) {
			update(t, a, press("?"))
			_ = a.View()
			update(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
		}},
		{"the full help, then a light terminal", func(t *testing.T, a *App) {
			update(t, a, press("?"))
			_ = a.View()
			update(t, a, tea.BackgroundColorMsg{Color: color.White})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", "")
			tab, _ := fakeTab("moveworks", 100)
			other, _ := fakeTab("talkdesk", 7)
			d := Deps{Tabs: []Tab{tab, other}, Now: func() time.Time { return fixedNow }, Location: time.UTC, tick: instantTick}
			a := start(t, newTestApp(t, d))
			update(t, a, tea.BackgroundColorMsg{Color: color.Black})
			_ = a.View() // fills the memos
			tt.change(t, a)
			got := a.View()
			a.frame, a.helpMemo, a.tabsMemo, a.fullHelpMemo = frameMemo{}, helpMemo{}, tabsMemo{}, fullHelpMemo{}
			want := a.View()
			if got.Content != want.Content {
				t.Errorf("the frame from kept parts differs from a fresh one:\ngot:\n%s\nwant:\n%s", got.Content, want.Content)
			}
			if got.WindowTitle != want.WindowTitle {
				t.Errorf("window title %q, fresh %q", got.WindowTitle, want.WindowTitle)
			}
		})
	}
}

// TestKeypressAllocs checks the bound of issue 18 on what a keypress allocates through the
// whole App (Update and the frame), as BenchmarkKeypress measures it: 1,000 loaded rows,
// 120x40, colour, the selection moving up and down inside the screen. The messages come
// boxed, as the program's input reader delivers them.
//
// Never previewed: 93 before, 4 now: the frame's string, the thread's title (header.go,
// view.go) and the preview's timer in Update. Previewed (the rows' threads in the pane's
// cache, BenchmarkKeypress/previewed: each key shows a whole cached thread, drawn once and
// kept with it: pane/preview.go threadBody, threadview.Built): 88 before (the thread built,
// flattened and drawn each key), 10 now.
func TestKeypressAllocs(t *testing.T) {
	for _, tt := range []struct {
		name      string
		previewed bool
		most      float64
	}{
		{"never previewed", false, 10},
		{"previewed", true, 12},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, key := keypressApp(t, 1000, tt.previewed) // bench_test.go
			i := 0
			allocs := testing.AllocsPerRun(600, func() {
				a.Update(key(i))
				i++
				_ = a.View()
			})
			if allocs > tt.most {
				t.Errorf("%.1f allocations a keypress, want at most %.0f", allocs, tt.most)
			}
			t.Logf("%.1f allocations a keypress", allocs)
		})
	}
}
