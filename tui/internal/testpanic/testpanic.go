// Package testpanic is a hook for confab's crash-recovery tests: it wraps the TUI's root model
// so that it panics in a command, in Update or in View shortly after it starts. Only test files
// and builds with the confab_testpanic tag (tui/testpanic_hook.go) import it, so the shipped
// binary does not contain it.
package testpanic

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// Delay is how long after start the panic fires: long enough for the first frame.
const Delay = 400 * time.Millisecond

// Tick is tea.Tick's signature (tests pass an instant one).
type Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd

// Wrap returns inner made to panic where says: "cmd" (in a command), "update" or "view". Any
// other value returns inner unchanged.
func Wrap(inner tea.Model, where string, tick Tick) tea.Model {
	switch where {
	case "cmd", "update", "view":
		return &model{inner: inner, where: where, tick: tick}
	}
	return inner
}

// panicMsg makes Update panic, or arms the panic in View.
type panicMsg struct{}

type model struct {
	inner tea.Model
	where string
	tick  Tick
	armed bool // View panics
}

func (m *model) Init() tea.Cmd {
	var fire tea.Cmd
	if m.where == "cmd" {
		fire = m.tick(Delay, func(time.Time) tea.Msg { panic("confab test panic in a command") })
	} else {
		fire = m.tick(Delay, func(time.Time) tea.Msg { return panicMsg{} })
	}
	return tea.Batch(m.inner.Init(), fire)
}

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(panicMsg); ok {
		if m.where == "update" {
			panic("confab test panic in Update")
		}
		m.armed = m.where == "view"
		return m, nil
	}
	next, cmd := m.inner.Update(msg)
	m.inner = next
	return m, cmd
}

func (m *model) View() tea.View {
	if m.armed {
		panic("confab test panic in View")
	}
	return m.inner.View()
}
