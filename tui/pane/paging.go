package pane

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
)

// DefaultMaxPagesPerJump is the number of pages one keypress loads at most (Config.MaxPagesPerJump).
const DefaultMaxPagesPerJump = 20

// pageMsg is the result of one page request.
type pageMsg struct {
	pane   ID
	gen    uint64
	cursor string
	page   client.Page
	err    error
	// storeErr is the local store's failure to keep the page (local.go); the page stands.
	storeErr error
	// stored: the local store holds the page's rows, raw records included (read from it, or
	// written through): the list keeps no raw record of its own (Pane.rawRead reads it).
	stored bool
	// writeLater: the page is to be written through to the store once it shows
	// (Pane.writeLater, local.go); until then its rows keep their raw records.
	writeLater bool
}

func (m pageMsg) PaneID() ID { return m.pane }

// fetch starts a request for the page at cursor ("" = first page, which replaces the list),
// superseding any request in flight.
func (p *Pane) fetch(cursor string) tea.Cmd {
	p.ls.started(cursor, p.maxPages())
	ctx, end, gen := p.pageReq.Start(p.cfg.Context)
	return tea.Batch(p.pageCmd(ctx, end, gen, cursor), p.listen(retryPage, gen), p.spin())
}

// loadPage is the Cmd of one page request; it uses only its arguments and calls end when
// the request ends (which ends its retry listener).
func loadPage(ctx context.Context, end func(), src client.Source, q client.Query, id ID, gen uint64, cursor string) tea.Cmd {
	return func() tea.Msg {
		defer end()
		page, err := src.Conversations(ctx, q, cursor)
		return pageMsg{pane: id, gen: gen, cursor: cursor, page: page, err: err}
	}
}

func (p *Pane) handlePage(msg pageMsg) tea.Cmd {
	if !p.pageReq.Done(msg.gen) {
		return nil // superseded
	}
	if msg.err != nil {
		if p.closing(msg.err) {
			return nil // shutting down
		}
		if cmd, ok := p.storedPageFailed(msg); ok { // local.go: the list goes on live
			return cmd
		}
		p.ls.failed(msg.cursor, msg.err)
		p.pageFailed(msg.err)
		p.clampList()
		if ask := p.askBroad(msg.err); ask != nil {
			return ask
		}
		if !p.focused && !errors.Is(msg.err, errFilterOffline) { // the tab says it; no need to shout
			return notify(p.cfg.ID, true, p.cfg.Name+": "+msg.err.Error())
		}
		return nil
	}
	rows := msg.page.Conversations       // all of them: localPage may drop the rows already listed
	cmds := []tea.Cmd{p.localPage(&msg)} // local.go
	if p.ls.add(msg.cursor, msg.page, !msg.stored) {
		cmds = append(cmds, p.selectionChanged()) // G: the selection follows the rows
	}
	p.clampList()
	if msg.cursor == "" && p.ls.items.Len() > 0 && p.Wide() {
		cmds = append(cmds, p.selectionChanged())
	}
	if msg.writeLater {
		cmds = append(cmds, p.writeLater(rows))
	}
	cmds = append(cmds, p.afterStoredPage(msg.cursor), p.itemsChanged(msg.cursor == ""), p.prefetch())
	return tea.Batch(cmds...)
}

// prefetch requests the next page when the selection is near the end of the loaded rows, or
// during a jump to the end (G), while the pages of the last keypress last; then it pauses and
// the footer asks for another keypress.
func (p *Pane) prefetch() tea.Cmd {
	ahead := p.cfg.PageAhead
	if ahead <= 0 {
		ahead = 2 * max(1, p.listRows())
	}
	if !p.ls.wantPage(p.pageReq.Busy(), ahead) {
		return nil
	}
	return p.fetch(p.ls.next)
}

// maxPages is the number of pages one keypress may load.
func (p *Pane) maxPages() int {
	if p.cfg.MaxPagesPerJump > 0 {
		return p.cfg.MaxPagesPerJump
	}
	return DefaultMaxPagesPerJump
}

// keypress gives the pane a new keypress's worth of pages to load.
func (p *Pane) keypress() {
	p.ls.keypress(p.maxPages())
}

// jumpToEnd selects the last row and keeps loading pages, the selection following them, until
// the end of the list or the pages of this keypress are spent (G, End).
func (p *Pane) jumpToEnd() tea.Cmd {
	p.keypress()
	p.ls.jumping = p.ls.hasMore()
	if p.ls.rowCount() == 0 {
		return p.prefetch()
	}
	return p.moveList(p.ls.rowCount())
}

// cancelLoads stops the page and thread requests in flight (Esc in the list); it reports
// whether there was one. Rows already loaded stay; G or a move near the end loads again, r
// retries a first page.
func (p *Pane) cancelLoads() bool {
	stopped := false
	if p.pageReq.Busy() {
		p.pageReq.Stop() // its result, cancelled or not, is stale now
		p.ls.stopped()
		p.clampList()
		stopped = true
	}
	if p.thr.state == threadLoading {
		p.cancelThread()
		stopped = true
	}
	return stopped
}

// retry re-requests what failed, or refreshes the list from its first page.
func (p *Pane) retry() tea.Cmd {
	p.sum.forgetFailures() // the rows whose summary failed may be fetched again
	if p.ls.err != nil {
		p.ls.err = nil
		p.clampList()
		p.keypress()
		return p.fetch(p.ls.failedCursor)
	}
	return p.fetch("") // supersedes (and cancels) any request in flight
}

const spinInterval = 100 * time.Millisecond

// spinMsg advances the spinner.
type spinMsg struct {
	pane ID
	tag  uint64
}

func (m spinMsg) PaneID() ID { return m.pane }

// spin starts the spinner if it is not running.
func (p *Pane) spin() tea.Cmd {
	if p.spinner.Busy() {
		return nil
	}
	p.spinner.Mark()
	return p.spinTick()
}

func (p *Pane) spinTick() tea.Cmd {
	id, tag := p.cfg.ID, p.spinner.Gen()
	return p.cfg.Tick(spinInterval, func(time.Time) tea.Msg { return spinMsg{pane: id, tag: tag} })
}

func (p *Pane) handleSpin(msg spinMsg) tea.Cmd {
	if !p.spinner.Current(msg.tag) || !p.spinner.Busy() {
		return nil
	}
	if !p.pageReq.Busy() && p.thr.state != threadLoading {
		p.spinner.End()
		return nil
	}
	p.frame++
	return p.spinTick()
}
