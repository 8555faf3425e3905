package tui

import (
	"github.com/confab-dev/confab/tui/internal/cmdtest"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/tui/internal/fake"
)

// fixedNow is the tests' clock: a little after the newest fake conversation.
var fixedNow = fake.Base.Add(3 * time.Hour)

// instantTick replaces tea.Tick in tests: the message is produced at once, at fixedNow.
func instantTick(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return fn(fixedNow) }
}

// testDeps are deterministic deps: fixed clock, UTC, instant ticks, no-colour styles.
func testDeps(tabs ...Tab) Deps {
	st := NoColorStyles()
	return Deps{Tabs: tabs, Now: func() time.Time { return fixedNow }, Location: time.UTC,
		tick: instantTick, styles: &st}
}

func fakeTab(name string, n int) (Tab, *fake.Source) {
	src := fake.New(name, n, 1)
	return Tab{Name: name, Kind: src.Kind(), Source: src}, src
}

// newTestApp returns an app of size 120x40 that has not run Init.
func newTestApp(t testing.TB, deps Deps) *App {
	t.Helper()
	a := New(deps)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return a
}

// start runs Init and everything it leads to.
func start(t testing.TB, a *App) *App {
	t.Helper()
	drain(t, a, a.Init())
	return a
}

// update feeds msgs to a, running every Cmd they return (and the Cmds those messages return)
// by hand until nothing is left.
func update(t testing.TB, a *App, msgs ...tea.Msg) {
	t.Helper()
	for _, m := range msgs {
		_, cmd := a.Update(m)
		drain(t, a, cmd)
	}
}

// drain runs cmd and feeds its messages back, breadth first, until no Cmd is left. It fails
// the test if a Cmd produces a Cmd instead of a Msg (STYLE.md §6). It returns true if a Cmd
// asked to quit.
func drain(t testing.TB, a *App, cmd tea.Cmd) (quit bool) {
	t.Helper()
	cmdtest.Drain(t, cmd, func(msg tea.Msg) tea.Cmd {
		if _, ok := msg.(tea.QuitMsg); ok {
			quit = true
			return nil
		}
		_, next := a.Update(msg)
		return next
	})
	return quit
}

func lipglossWidth(s string) int { return lipgloss.Width(s) }

// The shared drivers (tui/internal/cmdtest), under this package's old names.
var (
	collect    = cmdtest.Collect
	requireMsg = cmdtest.RequireMsg
	press      = cmdtest.Key
	keys       = cmdtest.Keys
)
