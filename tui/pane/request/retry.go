package request

import (
	"context"
	"errors"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
)

// Retries made visible. A Call's request runs with a context that reports each retry the
// HTTP layer is about to make (client.WithRetryNotify). The report comes on the request's
// goroutine, so it never touches the pane: it drops the event on a small channel that belongs
// to that request, and a Listen Cmd, started beside the request and re-armed after each event,
// turns it into a message for the Bubble Tea loop. The Listen Cmd ends when the request ends
// or is cancelled. While a retry is pending, the Countdown says how long until it is made.

// Call is a Lifecycle whose requests report their retries, and the countdown to the retry
// the current one waits for.
type Call struct {
	Lifecycle
	// Retry is the retry the current request waits for.
	Retry Countdown
	w     watch
}

// Start supersedes the request in flight and starts a new one. ctx reports retries to the
// call; the request's Cmd must call end when it returns (that ends its Listen Cmd).
func (c *Call) Start(parent context.Context) (ctx context.Context, end func(), gen uint64) {
	ctx, gen = c.Lifecycle.Start(parent)
	c.Retry.Clear()
	c.w = newWatch(ctx)
	done := c.w.done
	return c.w.context(), func() { close(done) }, gen
}

// Done is Lifecycle.Done; the countdown of a current request stops.
func (c *Call) Done(gen uint64) bool {
	if !c.Lifecycle.Done(gen) {
		return false
	}
	c.Retry.Clear()
	return true
}

// Stop is Lifecycle.Stop; the countdown stops.
func (c *Call) Stop() {
	c.Lifecycle.Stop()
	c.Retry.Clear()
}

// Listen is the Cmd that waits for the next retry event of the current request: it returns
// wrap(ev), or nil once the request has ended or was cancelled. Pending events win over the
// end, so a test that runs the request first still sees them.
func (c *Call) Listen(wrap func(client.RetryEvent) tea.Msg) tea.Cmd {
	return c.w.listen(wrap)
}

// watch is the retry-event channel of one request.
type watch struct {
	ctx  context.Context // the request's context (its cancel ends the listener)
	ch   chan client.RetryEvent
	done chan struct{} // closed when the request's Cmd returns
}

func newWatch(ctx context.Context) watch {
	return watch{ctx: ctx, ch: make(chan client.RetryEvent, 4), done: make(chan struct{})}
}

// context returns the request's context, reporting retries to the watch. The report never
// blocks the request: an event the pane has not read yet is superseded by newer ones (the
// buffer keeps four).
func (w watch) context() context.Context {
	return client.WithRetryNotify(w.ctx, func(ev client.RetryEvent) {
		select {
		case w.ch <- ev:
		default:
		}
	})
}

func (w watch) listen(wrap func(client.RetryEvent) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		select {
		case ev := <-w.ch:
			return wrap(ev)
		default:
		}
		select {
		case ev := <-w.ch:
			return wrap(ev)
		case <-w.done:
			return nil
		case <-w.ctx.Done():
			return nil
		}
	}
}

// Countdown is the retry a request waits for: why, which attempt, and when it is made. Its
// ticks carry the generation Set returns, so an older countdown stops.
type Countdown struct {
	tick    Lifecycle
	reason  string // "rate limited", "server error", …
	attempt int
	until   time.Time
}

// Set shows the retry ev announces, made ev.Wait after now, and returns the generation its
// countdown ticks carry.
func (r *Countdown) Set(ev client.RetryEvent, now time.Time) uint64 {
	r.reason = Reason(ev.Err)
	r.attempt = ev.Attempt + 1 // the retry is the request's next attempt
	r.until = now.Add(ev.Wait)
	return r.tick.Mark()
}

// Clear forgets the pending retry (the request ended or was superseded).
func (r *Countdown) Clear() { r.tick.End() }

// Active reports whether a retry is pending.
func (r *Countdown) Active() bool { return r.tick.Busy() }

// Current reports whether a tick of generation gen belongs to the pending retry.
func (r *Countdown) Current(gen uint64) bool { return r.tick.Current(gen) && r.tick.Busy() }

// Gen is the generation of the countdown's ticks.
func (r *Countdown) Gen() uint64 { return r.tick.Gen() }

// Remaining is the countdown's whole seconds left at now (at least 0, rounded up).
func (r *Countdown) Remaining(now time.Time) int {
	d := r.until.Sub(now)
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}

// Text is the countdown as the pane shows it: "rate limited — retrying in 12 s", or
// "server error — retrying in 2 s (attempt 2)"; "" when no retry is pending.
func (r *Countdown) Text(now time.Time) string {
	if !r.Active() {
		return ""
	}
	when := "retrying now…"
	if n := r.Remaining(now); n > 0 {
		when = "retrying in " + strconv.Itoa(n) + " s"
	}
	s := r.reason + " — " + when
	if r.reason != "rate limited" && r.attempt > 1 {
		s += " (attempt " + strconv.Itoa(r.attempt) + ")"
	}
	return s
}

// Reason names why a request is retried, for the countdown.
func Reason(err error) string {
	var ae *client.APIError
	switch {
	case errors.Is(err, client.ErrRateLimited):
		return "rate limited"
	case errors.As(err, &ae) && ae.Status >= 500:
		return "server error"
	case errors.Is(err, client.ErrBadResponse):
		return "bad response"
	case errors.As(err, &ae) && ae.Status == 0:
		return "network error"
	}
	return "request failed"
}
