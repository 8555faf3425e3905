package tui

import (
	"reflect"
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
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		requireMsg(t, msg)
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			quit = true
		default:
			_, next := a.Update(msg)
			queue = append(queue, next)
		}
	}
	return quit
}

// collect runs cmd (expanding batches) without feeding the messages back.
func collect(t testing.TB, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		requireMsg(t, msg)
		if b, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, b...)
			continue
		}
		if msg != nil {
			out = append(out, msg)
		}
	}
	return out
}

// requireMsg fails if msg is a Cmd (a func) where a Msg was expected.
func requireMsg(t testing.TB, msg tea.Msg) {
	t.Helper()
	if msg == nil {
		return
	}
	if _, ok := msg.(tea.Cmd); ok {
		t.Fatalf("a Cmd returned a tea.Cmd (%T) as its Msg", msg)
	}
	if _, ok := msg.(func() tea.Msg); ok {
		t.Fatalf("a Cmd returned a func() tea.Msg as its Msg")
	}
	if reflect.TypeOf(msg).Kind() == reflect.Func {
		t.Fatalf("a Cmd returned a function (%T) as its Msg", msg)
	}
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func keys(ss ...string) []tea.Msg {
	out := make([]tea.Msg, len(ss))
	for i, s := range ss {
		out[i] = press(s)
	}
	return out
}

func lipglossWidth(s string) int { return lipgloss.Width(s) }
