package tui

import (
	"context"
	"fmt"
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
//     tea.BatchMsg those return, recursively (Bubble Tea runs each of them on its own
//     goroutine); a tea.Sequence's Cmds are not visible in its message, so the model wraps
//     them itself where it builds one, with the function the guard hands it (cmdGuarded);
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
	g := &guard{inner: inner, kill: kill}
	if m, ok := inner.(cmdGuarded); ok {
		m.guardCmds(g.wrap)
	}
	return g
}

// cmdGuarded is a model that builds Cmds the guard cannot see into (tea.Sequence): it wraps
// them with the function it is given.
type cmdGuarded interface {
	guardCmds(wrap func(tea.Cmd) tea.Cmd)
}

// testHook, when set (only by builds with the confab_testpanic tag, testpanic_hook.go), wraps
// the root model inside the guard for the crash-recovery tests.
var testHook func(tea.Model) tea.Model

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
	return trimView(g.inner.View()) // without the frame's unstyled padding (frametrim.go)
}

// wrap returns cmd under a recover; the Cmds in the batch it returns are wrapped too.
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

// wrapMsg wraps the Cmds of a tea.BatchMsg in place: tea.Batch builds that slice afresh for
// this message.
func (g *guard) wrapMsg(msg tea.Msg) tea.Msg {
	if b, ok := msg.(tea.BatchMsg); ok {
		for i := range b {
			b[i] = g.wrap(b[i])
		}
		return b
	}
	return msg
}
