package pane

import (
	"context"
	"errors"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
)

// Retries made visible. A page or thread request runs with a context that reports each retry
// the HTTP layer is about to make (client.WithRetryNotify). The report comes on the request's
// goroutine, so it never touches the pane: it drops the event on a small channel that belongs
// to that request, and a "listen" Cmd, started beside the request and re-armed after each event,
// turns it into a retryMsg for the Bubble Tea loop. The listen Cmd ends when the request ends
// (its done channel closes) or is cancelled. Events carry the pane id, the request's target and
// generation, so those of a superseded request are dropped. While a retry is pending the footer
// counts down to it once a second (retryTickMsg, tagged so a stale countdown stops); rows already
// loaded stay, and every key keeps working.

// retryTarget says which request a retry belongs to.
type retryTarget int

const (
	retryPage retryTarget = iota
	retryThread
)

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

// listen is the Cmd that waits for the next retry event of the request: it returns a retryMsg,
// or nil once the request has ended or was cancelled. Pending events win over the end, so a
// test that runs the request first still sees them (and drops them as stale).
func (w watch) listen(id ID, target retryTarget, gen uint64) tea.Cmd {
	return func() tea.Msg {
		select {
		case ev := <-w.ch:
			return retryMsg{pane: id, target: target, gen: gen, ev: ev}
		default:
		}
		select {
		case ev := <-w.ch:
			return retryMsg{pane: id, target: target, gen: gen, ev: ev}
		case <-w.done:
			return nil
		case <-w.ctx.Done():
			return nil
		}
	}
}

// retryMsg is one retry the HTTP layer is about to make for a request of the pane.
type retryMsg struct {
	pane   ID
	target retryTarget
	gen    uint64
	ev     client.RetryEvent
}

// retryTickMsg advances a retry countdown.
type retryTickMsg struct {
	pane   ID
	target retryTarget
	tag    uint64
}

func (m retryMsg) PaneID() ID     { return m.pane }
func (m retryTickMsg) PaneID() ID { return m.pane }

// retryState is the retry a request is waiting for.
type retryState struct {
	active  bool
	reason  string // "rate limited", "server error", …
	attempt int
	until   time.Time // when the retry is made
	tag     uint64    // bumped by every event, so an older countdown stops
}

// clear forgets the pending retry (the request ended or was superseded); it keeps tag growing.
func (r *retryState) clear() { r.active = false }

// remaining is the countdown's whole seconds left at now (at least 0, rounded up).
func (r *retryState) remaining(now time.Time) int {
	d := r.until.Sub(now)
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}

// text is the countdown shown in the footer: "rate limited — retrying in 12 s", or
// "server error — retrying in 2 s (attempt 2)"; "" when no retry is pending.
func (r *retryState) text(now time.Time) string {
	if !r.active {
		return ""
	}
	when := "retrying now…"
	if n := r.remaining(now); n > 0 {
		when = "retrying in " + strconv.Itoa(n) + " s"
	}
	s := r.reason + " — " + when
	if r.reason != "rate limited" && r.attempt > 1 {
		s += " (attempt " + strconv.Itoa(r.attempt) + ")"
	}
	return s
}

// retryReason names why a request is retried, for the countdown.
func retryReason(err error) string {
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

// stateFor is the retry state of target.
func (p *Pane) stateFor(target retryTarget) *retryState {
	if target == retryThread {
		return &p.thRetry
	}
	return &p.pageRetry
}

// handleRetry shows a retry of the current request and keeps listening for the next one.
func (p *Pane) handleRetry(msg retryMsg) tea.Cmd {
	var w watch
	switch msg.target {
	case retryPage:
		if msg.gen != p.gen || !p.loading {
			return nil // superseded or finished: its listener has ended with it
		}
		w = p.pageWatch
	case retryThread:
		if msg.gen != p.thGen || p.thState != threadLoading {
			return nil
		}
		w = p.thWatch
	default:
		return nil
	}
	r := p.stateFor(msg.target)
	r.tag++
	r.active = true
	r.reason = retryReason(msg.ev.Err)
	r.attempt = msg.ev.Attempt + 1 // the retry is the request's next attempt
	r.until = p.cfg.Now().Add(msg.ev.Wait)
	return tea.Batch(w.listen(p.cfg.ID, msg.target, msg.gen), p.retryTick(msg.target, r))
}

// retryTick schedules the next second of r's countdown.
func (p *Pane) retryTick(target retryTarget, r *retryState) tea.Cmd {
	if r.remaining(p.cfg.Now()) <= 0 {
		return nil
	}
	id, tag := p.cfg.ID, r.tag
	return p.cfg.Tick(time.Second, func(time.Time) tea.Msg { return retryTickMsg{pane: id, target: target, tag: tag} })
}

// handleRetryTick re-renders the countdown (the View reads the clock) and schedules the next
// second while it runs.
func (p *Pane) handleRetryTick(msg retryTickMsg) tea.Cmd {
	r := p.stateFor(msg.target)
	if msg.tag != r.tag || !r.active {
		return nil
	}
	return p.retryTick(msg.target, r)
}
