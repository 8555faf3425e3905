// Package pane is one source's pane in the confab TUI: a virtualized conversation list with
// lazy cursor paging, its loading, empty, error and ready states, and the thread of the
// selected conversation (a preview on the right on wide terminals, full width on narrow ones).
//
// Contract with the root model (tui): the root owns layout and focus and routes to a pane only
// the key messages of the focused pane and the async results that name it (Routed). Every
// request the pane starts carries the pane's ID and a generation; results of a superseded
// request are dropped, and its context is cancelled. Commands capture values only: no Cmd reads
// or writes the pane.
//
// The pane composes parts with one job each:
//
//   - request (package tui/pane/request): the lifecycle of every kind of async work, one
//     Lifecycle per kind: its generation, the cancel of the request in flight, and for page
//     and thread requests (a Call) the countdown to the retry they wait for (retry.go).
//   - list (list.go): the loaded rows, the selection and window, the lazy paging state; the
//     pane starts page requests (paging.go) and renders the list (listview.go).
//   - threadBinding (thread.go): the thread of the selected conversation and its request.
//   - summaryBinding (summary.go): the summaries a client.Summarizer source (Moveworks)
//     fetches for the rows on screen, in the background, a few requests at a time.
//   - barBinding (bar.go): the filter bar and the filter it applies; the lines above the list
//     are laid out in head.go.
//   - quickBinding (quick.go): the quick filter narrowing the loaded rows off the UI loop.
//   - viewsBinding (views.go): saved views and the filter history.
//   - copy.go and broad.go: copy requests for the root, the question about a range too broad.
//   - localBinding (local.go): with Config.Local, the cache-first mode over the local store:
//     stored pages first, a background refresh from the vendor, write-through, the live
//     tail past the stored rows, stored threads, the status bar's sync mark.
//
// Keys are dispatched in keys.go; view.go renders the pane's states.
package pane

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/pager"
	"github.com/confab-dev/confab/tui/pane/request"
	"github.com/confab-dev/confab/tui/threadview"
)

// ID names a pane; async results carry it so the root can route them.
type ID int

// Routed is implemented by every message a pane's commands produce: the root delivers it to the
// pane named by PaneID, and to no other.
type Routed interface {
	PaneID() ID
}

// Notice asks the root to show a line in the status bar (the pane never writes app state).
type Notice struct {
	Pane ID
	Err  bool
	Text string
}

// Mode is what the pane is showing, for the root's help and title.
type Mode int

// The pane's modes.
const (
	ModeUnavailable Mode = iota // the tab has a configuration problem (Config.Err)
	ModeList                    // the list has focus
	ModeThread                  // the thread has focus
	ModeFilter                  // the filter bar, quick filter, view picker or a prompt takes keys
	ModePager                   // the pager over the thread has focus (pager.go)
)

type area int

const (
	areaList area = iota
	areaThread
)

// Pane is one source's pane. Create it with New; it is not safe for concurrent use (the
// Bubble Tea loop owns it).
type Pane struct {
	cfg     Config
	focused bool
	area    area
	w, h    int
	listW   int // width of the list; == w when there is no preview column

	// The conversation list and the page request that fills it.
	ls      list         // list.go
	pageReq request.Call // the page request: generation, cancel, retry countdown

	thr threadBinding   // the thread of the selected conversation (thread.go)
	pv  settleBinding   // the one pending preview timer (preview.go)
	tc  threadCache     // built threads, shown at once when selected again (preview.go)
	pf  prefetchBinding // the threads of the rows around the cursor, prefetched (preview.go)
	pg  pagerBinding    // the pager over the thread (pager.go)

	sum summaryBinding // the summaries fetched for the rows on screen (summary.go)

	loc localBinding // the local store, when cache-first (local.go)

	paints      paints      // the list's styles, reduced for speed
	rows        rowCache    // the list's rendered rows, kept between frames (rowcache.go)
	vm          viewMemos   // the titles, the header and the footer, kept between frames (view.go)
	loadingMemo loadingMemo // the thread column's "Loading thread…", kept between frames (thread.go)

	cp copyState // copy.go

	// The spinner: busy while it runs, its generation tags its ticks.
	spinner request.Lifecycle
	frame   int

	// The lines above the list: the filter bar, the quick filter, the saved views.
	fullH int          // the pane's height including them
	bar   barBinding   // bar.go
	quick quickBinding // quick.go
	views viewsBinding // views.go
	seen  seenValues   // attribute values seen, for completion (quick.go)
	br    broadState   // the question about a range too broad to walk (broad.go)
}

// New returns a pane for cfg; call Init to start loading.
func New(cfg Config) *Pane {
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	realTime := cfg.Tick == nil
	if realTime {
		cfg.Tick = tea.Tick
	}
	if cfg.PreviewDelay <= 0 {
		cfg.PreviewDelay = 100 * time.Millisecond
	}
	summarizer := cfg.Source
	if cfg.Local != nil && cfg.Local.Offline {
		summarizer = nil // offline: no live request, summaries included
	}
	p := &Pane{
		cfg:    cfg,
		paints: newPaints(cfg.Styles),
		ls:     newList(),
		thr:    threadBinding{view: threadview.New(cfg.Styles.Thread, cfg.Location)},
		pg:     pagerBinding{view: pager.New(cfg.Styles.Pager, cfg.Keys.Pager.View)},
		sum:    newSummaryBinding(summarizer, cfg.MaxSummaries),
		pv:     settleBinding{real: realTime, moved: &settleShared{}},
		tc:     newThreadCache(cfg.ThreadCache),
	}
	p.initFilter()
	return p
}

// ID is the pane's id.
func (p *Pane) ID() ID { return p.cfg.ID }

// Name is the configured source name.
func (p *Pane) Name() string { return p.cfg.Name }

// Focus gives the pane the keyboard; Blur takes it away.
func (p *Pane) Focus() { p.focused = true }

// Blur takes the keyboard away from the pane.
func (p *Pane) Blur() { p.focused = false }

// SetStyles replaces the styles (after a background-colour change).
func (p *Pane) SetStyles(s Styles) {
	p.cfg.Styles = s
	p.paints = newPaints(s)
	p.loadingMemo = loadingMemo{} // drawn with the old styles
	p.thr.dim = dimMemo{}
	p.thr.view.SetStyles(s.Thread)
	p.pg.view.SetStyles(s.Pager)
}

// Mode says what the pane shows, for help and titles.
func (p *Pane) Mode() Mode {
	switch {
	case p.cfg.Err != nil:
		return ModeUnavailable
	case p.Capturing():
		return ModeFilter
	case p.Paging():
		return ModePager
	case p.area == areaThread:
		return ModeThread
	}
	return ModeList
}

// Wide reports whether the thread previews beside the list.
func (p *Pane) Wide() bool { return p.listW < p.w }

// Len is the number of loaded conversations.
func (p *Pane) Len() int { return p.ls.items.Len() }

// Close cancels the pane's requests in flight.
func (p *Pane) Close() {
	p.pageReq.Release()
	p.thr.req.Release()
	p.loc.refresh.Release()
	p.loc.reload.Release()
	p.loc.thread.Release()
	p.sum.release()
	p.pf.release()
}

// SetSize sets the pane's size and the width of its list column: listW == w means no preview
// column (narrow terminals). It returns a Cmd when the change needs one (a pane that became
// wide schedules the preview of its selection).
func (p *Pane) SetSize(w, h, listW int) tea.Cmd {
	wasWide := p.Wide()
	p.w, p.h = max(0, w), max(0, h)
	p.sizeHead(p.w, p.h)
	p.h = max(0, p.h-p.headLines())
	p.listW = max(0, min(listW, p.w))
	p.clampList()
	p.sizeThread()
	if p.Wide() && !wasWide && p.thr.state == threadNone {
		return tea.Batch(p.selectionChanged(), p.summarize())
	}
	return p.summarize()
}

// Init starts loading the first page (nothing for an unavailable tab).
func (p *Pane) Init() tea.Cmd {
	if p.cfg.Err != nil || (p.cfg.Source == nil && !p.local()) {
		return nil
	}
	return tea.Batch(p.fetch(""), p.loadHistory())
}

// Update handles a key (when focused) or a result addressed to this pane. Whatever it
// changed, the summaries fetched for the rows on screen follow (summary.go).
func (p *Pane) Update(msg tea.Msg) (*Pane, tea.Cmd) {
	cmd := p.update(msg)
	if sum := p.summarize(); sum != nil {
		cmd = tea.Batch(cmd, sum)
	}
	return p, cmd
}

func (p *Pane) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p.handleKey(msg)
	case pageMsg:
		return p.handlePage(msg)
	case threadMsg:
		return p.handleThread(msg)
	case refreshMsg:
		return p.handleRefresh(msg)
	case reloadMsg:
		return p.handleReload(msg)
	case liveThreadMsg:
		return p.handleLiveThread(msg)
	case putMsg:
		return p.handlePut(msg) // local.go
	case summaryMsg:
		p.handleSummary(msg)
	case previewMsg:
		return p.handlePreview(msg) // preview.go
	case prefetchMsg:
		return p.handlePrefetch(msg)
	case rawMsg:
		p.handleRaw(msg) // pager.go
	case tea.MouseWheelMsg:
		p.pagerWheel(msg) // pager.go
	case spinMsg:
		return p.handleSpin(msg)
	case retryMsg:
		return p.handleRetry(msg)
	case retryTickMsg:
		return p.handleRetryTick(msg)
	default:
		if cmd, ok := p.handleFilterMsg(msg); ok {
			return cmd
		}
	}
	return nil
}

// notify is a Cmd that puts a line in the status bar.
func notify(id ID, isErr bool, text string) tea.Cmd {
	return func() tea.Msg { return Notice{Pane: id, Err: isErr, Text: text} }
}

// Capturing reports whether the pane is taking text input (the filter bar, the quick filter,
// the view picker, the save prompt or the search in the thread): the root then sends it every key but ctrl+c.
func (p *Pane) Capturing() bool {
	return p.FindEditing() || p.bar.Model != nil && (p.bar.Editing() || p.quick.Editing() || p.views.name.Editing() || p.views.picking)
}

// Filter is the applied filter.
func (p *Pane) Filter() string { return p.cfg.Query.Filter }

// Order is the pane's sort order.
func (p *Pane) Order() client.Order { return p.cfg.Query.Order }

// CanOrder reports whether the source can change its sort order.
func (p *Pane) CanOrder() bool { return p.bar.orders }

// HasViews reports whether the source has saved views.
func (p *Pane) HasViews() bool { return len(p.views.list) > 0 }

// closing reports whether err is a request's cancellation because the pane's context ended
// (the program is shutting down): its result is dropped without a word.
func (p *Pane) closing(err error) bool {
	return errors.Is(err, context.Canceled) && p.cfg.Context.Err() != nil
}
