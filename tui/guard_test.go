package tui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/tui/internal/testpanic"
)

// panicky is a model that panics where told. Like App, it wraps the Cmds of the sequences it
// builds with the guard's wrapper (cmdGuarded).
type panicky struct {
	where string
	wrap  func(tea.Cmd) tea.Cmd
}

func (m *panicky) guardCmds(wrap func(tea.Cmd) tea.Cmd) { m.wrap = wrap }

type goMsg struct{}

func (m *panicky) Init() tea.Cmd { return nil }

func (m *panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	boom := func() tea.Msg { panic("boom in a command") }
	switch m.where {
	case "update":
		panic("boom in update")
	case "command":
		return m, boom
	case "batch":
		return m, tea.Batch(func() tea.Msg { return goMsg{} }, boom)
	case "nested":
		return m, tea.Batch(func() tea.Msg { return goMsg{} }, tea.Batch(func() tea.Msg { return nil }, boom))
	case "sequence":
		return m, tea.Sequence(m.wrap(func() tea.Msg { return goMsg{} }), m.wrap(boom))
	}
	return m, nil
}

func (m *panicky) View() tea.View {
	if m.where == "view" {
		panic("boom in view")
	}
	return tea.NewView("ok")
}

// runAll runs cmd and every Cmd of the batches and sequences it returns, as Bubble Tea would
// (in one goroutine here: the guard's recovery does not depend on which).
func runAll(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			runAll(c)
		}
		return
	}
	if cmds, ok := asCmds(msg); ok {
		for _, c := range cmds {
			runAll(c)
		}
	}
}

func TestGuardRecoversEverywhere(t *testing.T) {
	for _, tt := range []struct{ where, want string }{
		{"update", "update"}, {"view", "view"}, {"command", "command"}, {"batch", "command"},
		{"nested", "command"}, {"sequence", "command"},
	} {
		t.Run(tt.where, func(t *testing.T) {
			killed := false
			g := newGuard(&panicky{where: tt.where}, func() { killed = true })
			_, cmd := g.Update(goMsg{})
			runAll(cmd)
			_ = g.View()
			pe := g.crashed()
			if pe == nil {
				t.Fatal("no panic recorded")
			}
			if pe.Where != tt.want || !strings.Contains(pe.Error(), "boom") {
				t.Errorf("recorded %q in %q, want a boom in %q", pe.Error(), pe.Where, tt.want)
			}
			if !strings.Contains(string(pe.Stack), "guard_test.go") {
				t.Errorf("the stack does not show where it panicked:\n%s", pe.Stack)
			}
			if !killed {
				t.Error("the program was not stopped")
			}
			// After a crash the guard neither updates nor renders the model.
			if _, cmd := g.Update(goMsg{}); cmd != nil {
				t.Error("Update after the crash returned a Cmd")
			}
			if v := g.View(); v.Content != "" {
				t.Errorf("View after the crash rendered %q", v.Content)
			}
		})
	}
}

func TestGuardPassesThrough(t *testing.T) {
	g := newGuard(&panicky{}, func() { t.Error("killed without a panic") })
	_, cmd := g.Update(goMsg{})
	runAll(cmd)
	if v := g.View(); v.Content != "ok" || g.crashed() != nil {
		t.Errorf("view %q, crash %v", v.Content, g.crashed())
	}
}

func TestTestPanicHook(t *testing.T) {
	for _, where := range []string{"update", "view", "cmd"} {
		t.Run(where, func(t *testing.T) {
			tab, _ := fakeTab("fake", 5)
			d := testDeps(tab)
			a := newTestApp(t, d)
			g := newGuard(testpanic.Wrap(a, where, instantTick), func() {})
			runAllInto(g, g.Init())
			pe := g.crashed()
			want := map[string]string{"update": "update", "view": "view", "cmd": "command"}[where]
			if pe == nil || pe.Where != want {
				t.Fatalf("crash %v, want one in %s", pe, want)
			}
		})
	}
	// Without the hook nothing panics.
	tab, _ := fakeTab("fake", 5)
	g := newGuard(newTestApp(t, testDeps(tab)), func() {})
	runAllInto(g, g.Init())
	if pe := g.crashed(); pe != nil {
		t.Fatalf("crash without the hook: %v", pe)
	}
}

// runAllInto runs cmd breadth first, feeding messages back to g and rendering after each.
func runAllInto(g *guard, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 10000; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, b...)
			continue
		}
		if cmds, ok := asCmds(msg); ok {
			queue = append(queue, cmds...)
			continue
		}
		if msg == nil {
			continue
		}
		_, next := g.Update(msg)
		_ = g.View()
		queue = append(queue, next)
	}
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// asCmds reads tea.Sequence's unexported message.
func asCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return nil, false
	}
	out := make([]tea.Cmd, v.Len())
	for i := range out {
		out[i], _ = v.Index(i).Interface().(tea.Cmd)
	}
	return out, true
}

// TestAppSequenceGuarded checks that the App's own tea.Sequences (the OSC 52 copy) carry the
// guard's recover, which the guard cannot add from outside.
func TestAppSequenceGuarded(t *testing.T) {
	tab, _ := fakeTab("fake", 5)
	a := newTestApp(t, testDeps(tab))
	g := newGuard(a, func() {})
	runAll(a.sequence(func() tea.Msg { return goMsg{} }, func() tea.Msg { panic("boom in a sequence") }))
	if pe := g.crashed(); pe == nil || pe.Where != "command" {
		t.Fatalf("crash %v, want one in command", pe)
	}
}
