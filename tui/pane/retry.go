package pane

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/pane/request"
)

// Retries made visible (see package request): the page and thread requests report the
// retries the HTTP layer makes; the pane shows a countdown to each, once a second, in the
// footer or the thread's loading message. Rows already loaded stay, and every key keeps working.

// retryTarget says which request a retry belongs to.
type retryTarget int

const (
	retryPage retryTarget = iota
	retryThread
)

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

// call is the request of target.
func (p *Pane) call(target retryTarget) *request.Call {
	if target == retryThread {
		return &p.thr.req
	}
	return &p.pageReq
}

// listen is the Cmd that turns the next retry of target's request gen into a retryMsg.
func (p *Pane) listen(target retryTarget, gen uint64) tea.Cmd {
	id := p.cfg.ID
	return p.call(target).Listen(func(ev client.RetryEvent) tea.Msg {
		return retryMsg{pane: id, target: target, gen: gen, ev: ev}
	})
}

// handleRetry shows a retry of the current request and keeps listening for the next one.
func (p *Pane) handleRetry(msg retryMsg) tea.Cmd {
	if msg.target != retryPage && msg.target != retryThread {
		return nil
	}
	c := p.call(msg.target)
	if !c.Current(msg.gen) || !c.Busy() {
		return nil // superseded or finished: its listener has ended with it
	}
	c.Retry.Set(msg.ev, p.cfg.Now())
	return tea.Batch(p.listen(msg.target, msg.gen), p.retryTick(msg.target))
}

// retryTick schedules the next second of target's countdown.
func (p *Pane) retryTick(target retryTarget) tea.Cmd {
	r := &p.call(target).Retry
	if r.Remaining(p.cfg.Now()) <= 0 {
		return nil
	}
	id, tag := p.cfg.ID, r.Gen()
	return p.cfg.Tick(time.Second, func(time.Time) tea.Msg { return retryTickMsg{pane: id, target: target, tag: tag} })
}

// handleRetryTick re-renders the countdown (the View reads the clock) and schedules the next
// second while it runs.
func (p *Pane) handleRetryTick(msg retryTickMsg) tea.Cmd {
	if !p.call(msg.target).Retry.Current(msg.tag) {
		return nil
	}
	return p.retryTick(msg.target)
}
