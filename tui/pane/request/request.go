// Package request is the lifecycle of the pane's asynchronous work: which generation of a
// request kind is current, how to cancel the one in flight, and the countdown to the retry a
// request waits for. Every async result and every timer a pane schedules carries the
// generation of its kind; a result whose generation is no longer current is dropped.
//
// One Lifecycle is kept per kind of request (a page, a thread, a quick-filter run, an index
// build) and per kind of timer (the spinner, a retry countdown). A Call is a Lifecycle whose
// requests report the retries the HTTP layer makes (client.WithRetryNotify).
package request

import "context"

// Lifecycle is the generation, cancel and busy state of one kind of request or timer. The
// zero value is ready to use: generation 0, nothing in flight. It is not safe for concurrent
// use (the Bubble Tea loop owns it); Cmds capture the generation, never the Lifecycle.
type Lifecycle struct {
	gen    uint64
	cancel context.CancelFunc
	busy   bool
}

// Start supersedes the request in flight (its context is cancelled and its result will be
// stale) and starts a new one: it returns the new request's context, derived from parent, and
// its generation.
func (l *Lifecycle) Start(parent context.Context) (context.Context, uint64) {
	l.release()
	l.gen++
	ctx, cancel := context.WithCancel(parent)
	l.cancel, l.busy = cancel, true
	return ctx, l.gen
}

// Mark starts a new generation with no context (a timer: a spinner, a countdown): older
// timers of this kind become stale. It returns the new generation.
func (l *Lifecycle) Mark() uint64 {
	l.release()
	l.gen++
	l.busy = true
	return l.gen
}

// Done reports whether gen is the current generation; if it is, the request has ended: its
// context is released and the kind is no longer busy. A stale gen changes nothing.
func (l *Lifecycle) Done(gen uint64) bool {
	if gen != l.gen {
		return false
	}
	l.release()
	l.busy = false
	return true
}

// End marks the current generation finished without making it stale (a timer that stops).
func (l *Lifecycle) End() { l.busy = false }

// Stop cancels the request in flight, if any, and makes its generation stale: its result,
// should it still arrive, is dropped.
func (l *Lifecycle) Stop() {
	l.release()
	l.gen++
	l.busy = false
}

// Release cancels the request in flight without changing the generation (the pane closes).
func (l *Lifecycle) Release() { l.release() }

func (l *Lifecycle) release() {
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
}

// Gen is the current generation (0: nothing was ever started).
func (l *Lifecycle) Gen() uint64 { return l.gen }

// Current reports whether gen is the current generation.
func (l *Lifecycle) Current(gen uint64) bool { return gen == l.gen }

// Busy reports whether the current generation is in flight (started, not done or ended).
func (l *Lifecycle) Busy() bool { return l.busy }
