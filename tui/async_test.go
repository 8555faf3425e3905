package tui

import (
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// asyncHarness runs an App the way Bubble Tea does — every Cmd on its own goroutine, results
// back on one channel — but with a manual clock: ticks are parked until the test advances
// the clock past them, so countdowns are deterministic. Only the test goroutine calls Update
// and View.
type asyncHarness struct {
	t    *testing.T
	a    *App
	msgs chan tea.Msg

	mu     sync.Mutex
	now    time.Time
	timers []parkedTimer
}

type parkedTimer struct {
	at time.Time
	fn func(time.Time) tea.Msg
}

func newAsyncHarness(t *testing.T, tabs ...Tab) *asyncHarness {
	t.Helper()
	h := &asyncHarness{t: t, msgs: make(chan tea.Msg, 64), now: fixedNow}
	deps := testDeps(tabs...)
	deps.Now = h.clock
	deps.tick = h.tick
	h.a = New(deps)
	h.a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	t.Cleanup(h.a.close)
	return h
}

func (h *asyncHarness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

// tick parks fn until the clock passes now+d.
func (h *asyncHarness) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		h.mu.Lock()
		h.timers = append(h.timers, parkedTimer{at: h.now.Add(d), fn: fn})
		h.mu.Unlock()
		return nil
	}
}

// spawn runs cmd (and the Cmds of the batches it returns) on goroutines.
func (h *asyncHarness) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				h.spawn(c)
			}
			return
		}
		if msg != nil {
			h.msgs <- msg
		}
	}()
}

// update feeds msg to the app and spawns the Cmd it returns.
func (h *asyncHarness) update(msg tea.Msg) {
	_, cmd := h.a.Update(msg)
	h.spawn(cmd)
}

// until handles messages as they come until cond holds (checked after each); it fails the
// test if that takes more than 20 s (a hang guard, not a timing assertion).
func (h *asyncHarness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for !cond() {
		select {
		case msg := <-h.msgs:
			h.update(msg)
		case <-deadline.C:
			h.t.Fatalf("never happened: %s\n%s", what, content(h.a))
		}
	}
}

// advance moves the clock by d and fires, in order, the parked timers that are due.
func (h *asyncHarness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	var due []parkedTimer
	rest := h.timers[:0]
	for _, tm := range h.timers {
		if !tm.at.After(h.now) {
			due = append(due, tm)
		} else {
			rest = append(rest, tm)
		}
	}
	h.timers = rest
	now := h.now
	h.mu.Unlock()
	for _, tm := range due {
		if msg := tm.fn(now); msg != nil {
			h.update(msg)
		}
	}
}
