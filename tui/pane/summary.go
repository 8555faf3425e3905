package pane

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/rowstore"
	"github.com/confab-dev/confab/tui/pane/request"
	"github.com/confab-dev/confab/tui/quickfilter"
)

// DefaultMaxSummaries is how many summary requests a pane has in flight at most
// (Config.MaxSummaries).
const DefaultMaxSummaries = 4

// summaryClip bounds the text kept of a summary: more than a list row of any width shows.
const summaryClip = 2048

// summaryBinding fetches the summaries of the rows on screen whose source gives none in its
// listing (a client.Summarizer: Moveworks), in the background and bounded: at most max
// requests in flight, only for the visible rows without a summary, each conversation once.
// A result, text or failure, is remembered by conversation id for the pane's life, so a
// failed fetch is not retried on its own (r, a refresh, clears the failures). A request whose
// row scrolls away, or that a new listing (a filter change, a refresh) supersedes, is
// cancelled and its result dropped: each request has a request.Lifecycle, kept per
// conversation id so that a later request for the same id has a newer generation.
//
// The texts live here, not in the list's conversations: the quick filter reads those off
// the UI loop.
type summaryBinding struct {
	src    client.Summarizer // nil: the source lists its summaries (nothing to fetch)
	max    int
	text   map[string]string // fetched summaries by conversation id ("" for none)
	failed map[string]bool   // conversation ids whose fetch failed
	reqs   map[string]*request.Lifecycle
	flying map[string]bool // conversation ids with a request in flight
	// row is where each conversation whose summary is fetched was last seen in the list's
	// items (checked against its id before use: a refresh replaces the items).
	row map[string]int
	// shown is summarize's scratch set of the ids on screen, reused between calls.
	shown map[string]bool
}

// summaryMsg is the result of one summary request.
type summaryMsg struct {
	pane   ID
	gen    uint64
	convID string
	text   string
	err    error
}

func (m summaryMsg) PaneID() ID { return m.pane }

func newSummaryBinding(src client.Source, max int) summaryBinding {
	s, _ := src.(client.Summarizer)
	if max <= 0 {
		max = DefaultMaxSummaries
	}
	return summaryBinding{src: s, max: max, text: map[string]string{}, failed: map[string]bool{},
		reqs: map[string]*request.Lifecycle{}, flying: map[string]bool{}, row: map[string]int{},
		shown: map[string]bool{}}
}

// summary is conversation c's summary: the listing's, else the one fetched.
func (s *summaryBinding) summary(c *client.Conversation) string {
	if c.Summary != "" || s.src == nil {
		return c.Summary
	}
	return s.text[c.ID]
}

// stop cancels the request for id and makes its result stale.
func (s *summaryBinding) stop(id string) {
	if r := s.reqs[id]; r != nil {
		r.Stop()
	}
	delete(s.flying, id)
}

// stopAll cancels every request in flight (a new listing supersedes them).
func (s *summaryBinding) stopAll() {
	for id := range s.flying {
		s.stop(id)
	}
}

// release cancels every request in flight without changing generations (the pane closes).
func (s *summaryBinding) release() {
	for id := range s.flying {
		s.reqs[id].Release()
	}
}

// forgetFailures lets the rows whose fetch failed be fetched again (r: the user asks).
func (s *summaryBinding) forgetFailures() { clear(s.failed) }

// summarize brings the summary requests in line with the rows on screen: it cancels the
// requests of rows no longer shown, and starts requests for shown rows without a summary,
// top to bottom, while fewer than max are in flight. Nothing is fetched while a new listing
// loads (its rows will replace these). It does no I/O itself and moves nothing.
func (p *Pane) summarize() tea.Cmd {
	s := &p.sum
	if s.src == nil || p.cfg.Err != nil {
		return nil
	}
	if p.pageReq.Busy() && p.ls.loadCursor == "" {
		s.stopAll()
		return nil
	}
	start, end := p.ls.offset, min(p.ls.rowCount(), p.ls.offset+p.listRows())
	if len(s.flying) > 0 {
		clear(s.shown) // kept between calls: no map is allocated per keypress
		for i := start; i < end; i++ {
			s.shown[p.ls.items.ID(p.ls.rowAt(i))] = true
		}
		for id := range s.flying {
			if !s.shown[id] {
				s.stop(id)
			}
		}
	}
	var cmds []tea.Cmd
	for i := start; i < end; i++ {
		r := p.ls.rowAt(i)
		if p.ls.items.Summary(r) != "" {
			continue
		}
		cv := p.ls.items.Conv(r)
		c := &cv
		if c.Summary != "" {
			continue
		}
		s.row[c.ID] = r
		if len(s.flying) >= s.max || c.ID == "" || s.flying[c.ID] || s.failed[c.ID] {
			continue
		}
		if _, ok := s.text[c.ID]; ok {
			continue
		}
		req := s.reqs[c.ID]
		if req == nil {
			req = &request.Lifecycle{}
			s.reqs[c.ID] = req
		}
		ctx, gen := req.Start(p.cfg.Context)
		s.flying[c.ID] = true
		keep, source := p.summarySink(), ""
		if keep != nil {
			source = rowSource(*c, p.storeName())
		}
		cmds = append(cmds, loadSummary(ctx, s.src, keep, source, *c, p.cfg.ID, gen))
	}
	return tea.Batch(cmds...)
}

// loadSummary is the Cmd of one summary request, keeping what it fetched in keep (nil: no
// store) under source; it uses only its arguments. A summary the store could not keep is
// only asked again next time, so that error is not shown.
func loadSummary(ctx context.Context, src client.Summarizer, keep SummarySink, source string, c client.Conversation, id ID, gen uint64) tea.Cmd {
	return func() tea.Msg {
		text, err := src.Summary(ctx, c)
		if err == nil && keep != nil {
			_ = keep.PutSummary(ctx, source, c.ID, text)
		}
		return summaryMsg{pane: id, gen: gen, convID: c.ID, text: text, err: err}
	}
}

// handleSummary records a summary request's result, unless it is stale (its row scrolled
// away, or a new listing superseded it). A failure leaves the row as it was.
func (p *Pane) handleSummary(msg summaryMsg) {
	s := &p.sum
	r := s.reqs[msg.convID]
	if r == nil || !s.flying[msg.convID] || !r.Done(msg.gen) {
		return
	}
	delete(s.flying, msg.convID)
	if msg.err != nil {
		if p.closing(msg.err) {
			return // shutting down
		}
		s.failed[msg.convID] = true
		return
	}
	s.text[msg.convID] = sanitize.Clip(msg.text, summaryClip)
	if r, ok := s.row[msg.convID]; ok && r < p.ls.items.Len() && p.ls.items.ID(r) == msg.convID {
		p.summaryArrived(r) // quick.go
	}
}

// patches are the summaries fetched for items[from:], for the quick filter's run: a copy,
// since the run reads it off the UI loop while this loop adds to s.text.
func (s *summaryBinding) patches(items rowstore.View, from int) []quickfilter.Patch {
	var out []quickfilter.Patch
	for id, r := range s.row {
		if r < from || r >= items.Len() || items.ID(r) != id || items.Summary(r) != "" {
			continue
		}
		if text := s.text[id]; text != "" {
			out = append(out, quickfilter.Patch{Row: r, Summary: text})
		}
	}
	return out
}
