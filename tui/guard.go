package tui

import (
	"context"
	"fmt"
	"reflect"
	"runtime/debug"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Recovery. Bubble Tea v2.1.1 recovers panics itself (in Update, View, Init and in every Cmd
// goroutine), restores the terminal and returns tea.ErrProgramPanic, but it prints the panic
// and its stack on stderr and keeps nothing for a crash report. So Run wraps the root model in
// a guard that recovers first, wherever a panic happens:
//
//   - Init, Update and View are called under a recover;
//   - every Cmd they return is wrapped in one that recovers, and so are the Cmds inside the
//     tea.Batch and tea.Sequence messages those return, recursively (Bubble Tea runs each of
//     them on its own goroutine);
//
// The first panic is kept (value, goroutine stack, where) and the program's context is
// cancelled, which makes Bubble Tea shut down and restore the terminal (leave the alternate
// screen, show the cursor, leave raw mode). Run then cancels every request and returns a
// *PanicError; the caller writes the crash file. Bubble Tea's own recovery stays on as a last
// resort (Run still returns a *PanicError then, without a stack).

// PanicError is the error Run returns after a panic in the TUI; the terminal has been restored
// by the time it is returned.
type PanicError struct {
	Where string // "init", "update", "view", "command", or "bubbletea"
	Value any    // what was passed to panic
	Stack []byte // the stack of the goroutine that panicked (nil when Bubble Tea caught it)
	Time  time.Time
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("the TUI panicked in %s: %v", e.Where, e.Value)
}

// guard is the root model that recovers panics (see above).
type guard struct {
	inner tea.Model
	kill  context.CancelFunc // cancels the program's context

	mu    sync.Mutex
	crash *PanicError
}

func newGuard(inner tea.Model, kill context.CancelFunc) *guard {
	return &guard{inner: inner, kill: kill}
}

// recovered records the panic r (the first one wins) and stops the program.
func (g *guard) recovered(where string, r any) {
	g.mu.Lock()
	if g.crash == nil {
		g.crash = &PanicError{Where: where, Value: r, Stack: debug.Stack(), Time: time.Now()}
	}
	g.mu.Unlock()
	g.kill()
}

// crashed is the recorded panic, or nil.
func (g *guard) crashed() *PanicError {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.crash
}

func (g *guard) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.recovered("init", r)
			cmd = nil
		}
	}()
	return g.wrap(g.inner.Init())
}

func (g *guard) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if g.crashed() != nil {
		return g, nil // shutting down: the model may be half-updated
	}
	defer func() {
		if r := recover(); r != nil {
			g.recovered("update", r)
			m, cmd = g, nil
		}
	}()
	next, c := g.inner.Update(msg)
	g.inner = next
	return g, g.wrap(c)
}

func (g *guard) View() (v tea.View) {
	if g.crashed() != nil {
		return tea.View{}
	}
	defer func() {
		if r := recover(); r != nil {
			g.recovered("view", r)
			v = tea.View{}
		}
	}()
	return g.inner.View()
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// wrap returns cmd under a recover; the Cmds in the batch or sequence it returns are wrapped
// too.
func (g *guard) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				g.recovered("command", r)
				msg = nil
			}
		}()
		return g.wrapMsg(cmd())
	}
}

// wrapMsg wraps the Cmds of a tea.BatchMsg, or of tea.Sequence's (unexported) slice of Cmds,
// in place: those slices are built afresh by tea.Batch and tea.Sequence for this message.
func (g *guard) wrapMsg(msg tea.Msg) tea.Msg {
	if b, ok := msg.(tea.BatchMsg); ok {
		for i := range b {
			b[i] = g.wrap(b[i])
		}
		return b
	}
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return msg
	}
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i)
		if e.IsNil() || !e.CanSet() {
			continue
		}
		e.Set(reflect.ValueOf(g.wrap(e.Interface().(tea.Cmd))))
	}
	return msg
}

// Test panics (Deps.TestPanic): a hook for the crash-recovery tests only.

// testPanicDelay is how long after start a test panic fires: long enough for the first frame.
const testPanicDelay = 400 * time.Millisecond

// testPanicMsg makes Update (or the View after it) panic.
type testPanicMsg struct{}

// testPanicCmd is the Cmd that sets off the test panic of Deps.TestPanic, or nil.
func (a *App) testPanicCmd() tea.Cmd {
	switch a.testPanic {
	case "cmd":
		return a.tick(testPanicDelay, func(time.Time) tea.Msg { panic("confab test panic in a command") })
	case "update", "view":
		return a.tick(testPanicDelay, func(time.Time) tea.Msg { return testPanicMsg{} })
	}
	return nil
}

// handleTestPanic panics in Update, or arms the panic in View.
func (a *App) handleTestPanic() {
	if a.testPanic == "update" {
		panic("confab test panic in Update")
	}
	a.panicInView = a.testPanic == "view"
}
