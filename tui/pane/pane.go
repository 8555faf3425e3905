// Package pane is one source's pane in the confab TUI: a virtualized conversation list with
// lazy cursor paging, its loading, empty, error and ready states, and the thread of the
// selected conversation (a preview on the right on wide terminals, full width on narrow ones).
//
// Contract with the root model (tui): the root owns layout and focus and routes to a pane only
// the key messages of the focused pane and the async results that name it (Routed). Every
// request the pane starts carries the pane's ID and a generation; results of a superseded
// request are dropped, and its context is cancelled. Commands capture values only: no Cmd reads
// or writes the pane.
package pane

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/filterbar"
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

// Keys are the bindings a pane reacts to; tui/keys.go builds them.
type Keys struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open, Back, Retry                     key.Binding
	Toggle, Collapse, Expand              key.Binding
	Copy                                  CopyKeys // copy.go
}

// Styles are the pane's styles; tui/theme.go builds them from the palette.
type Styles struct {
	Header    lipgloss.Style // column headers and the thread title
	Time      lipgloss.Style
	User      lipgloss.Style
	Attrs     lipgloss.Style // the attributes shown when a conversation has no summary
	Selected  lipgloss.Style // the selected row when the list has focus
	Unfocused lipgloss.Style // the selected row when it does not
	Footer    lipgloss.Style
	Spinner   lipgloss.Style
	Title     lipgloss.Style // headings of the empty, error and unavailable states
	Error     lipgloss.Style
	Hint      lipgloss.Style
	Muted     lipgloss.Style
	Divider   lipgloss.Style // the line between the list and the thread
	Thread    threadview.Styles
	Filter    filterbar.Styles
}

// Config is everything a pane needs; the root fills it from tui.Deps.
type Config struct {
	ID     ID
	Name   string
	Kind   string
	Source client.Source // nil when Err is set
	Query  client.Query
	// Err, when set, makes the pane show this problem (and what to do) instead of a list.
	Err    error
	Keys   Keys
	Styles Styles
	// Context is the parent of every request; cancelling it cancels them all.
	Context context.Context
	// Now and Location decide how times are shown (nil: time.Now, time.Local).
	Now      func() time.Time
	Location *time.Location
	// Tick schedules a message after a delay (nil: tea.Tick). Tests replace it.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Redact removes secrets from the error text the pane shows (nil: credential-looking
	// text only).
	Redact func(string) string
	// PreviewDelay is the pause on a selection before its thread preview loads (0: 150ms).
	PreviewDelay time.Duration
	// PageAhead is how many rows before the end of the loaded list the next page is
	// requested (0: two screens).
	PageAhead int
	// MaxPagesPerJump is how many pages the pane loads on its own after one keypress (G or
	// End, a move near the end of the list, a refresh) before it stops and asks for another
	// (0: DefaultMaxPagesPerJump). It keeps one key from paging through a whole source.
	MaxPagesPerJump int
	// FilterKeys are the filter bar's bindings (filter.go).
	FilterKeys FilterKeys
	// FilterDelay is the pause in typing after which a valid filter applies (0: 300ms).
	FilterDelay time.Duration
	// HistoryDir is where filter history files live ("": history is kept in memory only).
	HistoryDir string
	// ConfigPath is the config file saved views are appended to ("": views cannot be saved).
	ConfigPath string
	// Views are the saved views of every source; the pane offers those of its source.
	Views []View
}

// Mode is what the pane is showing, for the root's help and title.
type Mode int

// The pane's modes.
const (
	ModeUnavailable Mode = iota // the tab has a configuration problem (Config.Err)
	ModeList                    // the list has focus
	ModeThread                  // the thread has focus
	ModeFilter                  // the filter bar, quick filter, view picker or a prompt takes keys
)

type area int

const (
	areaList area = iota
	areaThread
)

// threadState is the state of the thread shown for the selected conversation.
type threadState int

const (
	threadNone    threadState = iota // nothing selected yet
	threadPending                    // waiting for the selection to settle (preview)
	threadLoading                    // request in flight
	threadReady
	threadFailed
)

const spinInterval = 100 * time.Millisecond

// DefaultMaxPagesPerJump is the number of pages one keypress loads at most (Config.MaxPagesPerJump).
const DefaultMaxPagesPerJump = 20

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

	// The thread of the selected conversation.
	th      *threadview.Model
	thConv  string // id of the conversation the thread state is about
	thTitle string // its sanitized title
	thState threadState
	thErr   error
	thReq   request.Call // the thread request: generation, cancel, retry countdown

	paints paints // the list's styles, reduced for speed

	cp copyState // copy.go

	// The spinner: busy while it runs, its generation tags its ticks.
	spinner request.Lifecycle
	frame   int

	fl filterState // the filter bar, quick filter, history and views (filter.go)
	br broadState  // the question about a range too broad to walk (broad.go)
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
	if cfg.Tick == nil {
		cfg.Tick = tea.Tick
	}
	if cfg.PreviewDelay <= 0 {
		cfg.PreviewDelay = 150 * time.Millisecond
	}
	p := &Pane{
		cfg:    cfg,
		paints: newPaints(cfg.Styles),
		ls:     newList(),
		th:     threadview.New(cfg.Styles.Thread, cfg.Location),
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
	p.th.SetStyles(s.Thread)
}

// Mode says what the pane shows, for help and titles.
func (p *Pane) Mode() Mode {
	switch {
	case p.cfg.Err != nil:
		return ModeUnavailable
	case p.Capturing():
		return ModeFilter
	case p.area == areaThread:
		return ModeThread
	}
	return ModeList
}

// Wide reports whether the thread previews beside the list.
func (p *Pane) Wide() bool { return p.listW < p.w }

// Len is the number of loaded conversations.
func (p *Pane) Len() int { return len(p.ls.items) }

// Close cancels the pane's requests in flight.
func (p *Pane) Close() {
	p.pageReq.Release()
	p.thReq.Release()
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
	if p.Wide() && !wasWide && p.thState == threadNone {
		return p.selectionChanged()
	}
	return nil
}

// sizeThread gives the thread view the space under its title.
func (p *Pane) sizeThread() {
	tw, _ := p.threadBox()
	p.th.SetSize(tw, max(0, p.h-1))
}

// threadBox is the width and left edge of the thread column.
func (p *Pane) threadBox() (w, x int) {
	if p.Wide() {
		return max(0, p.w-p.listW-1), p.listW + 1
	}
	return p.w, 0
}

// Init starts loading the first page (nothing for an unavailable tab).
func (p *Pane) Init() tea.Cmd {
	if p.cfg.Err != nil || p.cfg.Source == nil {
		return nil
	}
	return tea.Batch(p.fetch(""), p.loadHistory())
}

// Update handles a key (when focused) or a result addressed to this pane.
func (p *Pane) Update(msg tea.Msg) (*Pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p, p.handleKey(msg)
	case pageMsg:
		return p, p.handlePage(msg)
	case threadMsg:
		return p, p.handleThread(msg)
	case previewMsg:
		return p, p.handlePreview(msg)
	case spinMsg:
		return p, p.handleSpin(msg)
	case retryMsg:
		return p, p.handleRetry(msg)
	case retryTickMsg:
		return p, p.handleRetryTick(msg)
	default:
		if cmd, ok := p.handleFilterMsg(msg); ok {
			return p, cmd
		}
	}
	return p, nil
}

// --- messages -------------------------------------------------------------------------------

// pageMsg is the result of one page request.
type pageMsg struct {
	pane   ID
	gen    uint64
	cursor string
	page   client.Page
	err    error
}

// threadMsg is the result of one thread request.
type threadMsg struct {
	pane   ID
	gen    uint64
	convID string
	items  []client.Interaction
	err    error
}

// previewMsg fires when the selection may have settled.
type previewMsg struct {
	pane ID
	gen  uint64
}

// spinMsg advances the spinner.
type spinMsg struct {
	pane ID
	tag  uint64
}

func (m pageMsg) PaneID() ID    { return m.pane }
func (m threadMsg) PaneID() ID  { return m.pane }
func (m previewMsg) PaneID() ID { return m.pane }
func (m spinMsg) PaneID() ID    { return m.pane }

// --- commands (they capture values; none touches the pane) ---------------------------------

// fetch starts a request for the page at cursor ("" = first page, which replaces the list),
// superseding any request in flight.
func (p *Pane) fetch(cursor string) tea.Cmd {
	p.ls.started(cursor, p.maxPages())
	ctx, end, gen := p.pageReq.Start(p.cfg.Context)
	return tea.Batch(loadPage(ctx, end, p.cfg.Source, p.cfg.Query, p.cfg.ID, gen, cursor),
		p.listen(retryPage, gen), p.spin())
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

// loadThread is the Cmd of one thread request; it uses only its arguments and calls end
// when the request ends.
func loadThread(ctx context.Context, end func(), src client.Source, c client.Conversation, id ID, gen uint64) tea.Cmd {
	return func() tea.Msg {
		defer end()
		items, err := src.Thread(ctx, c)
		return threadMsg{pane: id, gen: gen, convID: c.ID, items: items, err: err}
	}
}

// notify is a Cmd that puts a line in the status bar.
func notify(id ID, isErr bool, text string) tea.Cmd {
	return func() tea.Msg { return Notice{Pane: id, Err: isErr, Text: text} }
}

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

// --- handlers ------------------------------------------------------------------------------

func (p *Pane) handleSpin(msg spinMsg) tea.Cmd {
	if !p.spinner.Current(msg.tag) || !p.spinner.Busy() {
		return nil
	}
	if !p.pageReq.Busy() && p.thState != threadLoading {
		p.spinner.End()
		return nil
	}
	p.frame++
	return p.spinTick()
}

func (p *Pane) handlePage(msg pageMsg) tea.Cmd {
	if !p.pageReq.Done(msg.gen) {
		return nil // superseded
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) && p.cfg.Context.Err() != nil {
			return nil // shutting down
		}
		p.ls.failed(msg.cursor, msg.err)
		p.pageFailed(msg.err)
		p.clampList()
		if ask := p.askBroad(msg.err); ask != nil {
			return ask
		}
		if !p.focused {
			return notify(p.cfg.ID, true, p.cfg.Name+": "+msg.err.Error())
		}
		return nil
	}
	var cmds []tea.Cmd
	if p.ls.add(msg.cursor, msg.page) {
		cmds = append(cmds, p.selectionChanged()) // G: the selection follows the rows
	}
	p.clampList()
	if msg.cursor == "" && len(p.ls.items) > 0 && p.Wide() {
		cmds = append(cmds, p.selectionChanged())
	}
	cmds = append(cmds, p.itemsChanged(msg.cursor == ""), p.prefetch())
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
	if p.thState == threadLoading {
		p.cancelThread()
		stopped = true
	}
	return stopped
}

func (p *Pane) handleThread(msg threadMsg) tea.Cmd {
	if !p.thReq.Done(msg.gen) {
		return nil
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) && p.cfg.Context.Err() != nil {
			return nil
		}
		p.thState, p.thErr = threadFailed, msg.err
		return p.threadFailed(msg.convID, msg.err)
	}
	p.thState, p.thErr = threadReady, nil
	p.th.SetItems(msg.items)
	p.sizeThread()
	return p.threadArrived(msg.convID)
}

func (p *Pane) handlePreview(msg previewMsg) tea.Cmd {
	if !p.thReq.Current(msg.gen) || p.thState != threadPending {
		return nil
	}
	if c, ok := p.ls.selected(); ok && c.ID == p.thConv {
		return p.openThread(c)
	}
	return nil
}

// selectionChanged schedules the preview of the newly selected conversation (wide only) and
// invalidates the thread request of the previous one.
func (p *Pane) selectionChanged() tea.Cmd {
	c, ok := p.ls.selected()
	if !ok {
		return nil
	}
	if c.ID == p.thConv && p.thState != threadNone {
		return nil
	}
	p.resetThread(c)
	if !p.Wide() {
		p.thState = threadNone
		return nil
	}
	p.thState = threadPending
	id, gen := p.cfg.ID, p.thReq.Gen()
	return p.cfg.Tick(p.cfg.PreviewDelay, func(time.Time) tea.Msg { return previewMsg{pane: id, gen: gen} })
}

// resetThread forgets the thread shown and cancels its request.
func (p *Pane) resetThread(c client.Conversation) {
	p.thReq.Stop()
	p.thConv = c.ID
	p.thTitle = conversationTitle(c)
	p.th.SetNote(c.Attrs.Value("note"))
	p.thErr = nil
	p.th.Clear()
	p.sizeThread()
}

// openThread starts loading c's thread now.
func (p *Pane) openThread(c client.Conversation) tea.Cmd {
	p.resetThread(c)
	ctx, end, gen := p.thReq.Start(p.cfg.Context)
	p.thState = threadLoading
	return tea.Batch(loadThread(ctx, end, p.cfg.Source, c, p.cfg.ID, gen),
		p.listen(retryThread, gen), p.spin())
}

// cancelThread cancels the thread request in flight (Esc while it loads): the thread goes back
// to "not opened", so enter opens it again.
func (p *Pane) cancelThread() {
	if p.thState != threadLoading {
		return
	}
	p.thReq.Stop() // its result, cancelled or not, is stale now
	p.thState = threadNone
	p.thConv = ""
	p.cp.pending = false // a copy waiting for this thread is cancelled with it
}

func (p *Pane) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if p.cfg.Err != nil {
		return nil
	}
	if cmd, ok := p.broadKey(msg); ok {
		return cmd
	}
	if p.area == areaList && !p.Capturing() && key.Matches(msg, p.cfg.Keys.Back) && p.cancelLoads() {
		return nil // Esc stops what is loading before it does anything else
	}
	if cmd, ok := p.handleFilterKey(msg); ok {
		return cmd
	}
	if cmd, ok := p.copyKey(msg); ok {
		return cmd
	}
	if p.area == areaThread {
		return p.handleThreadKey(msg)
	}
	k := p.cfg.Keys
	switch {
	case key.Matches(msg, k.Up):
		return p.moveKey(-1)
	case key.Matches(msg, k.Down):
		return p.moveKey(1)
	case key.Matches(msg, k.PageUp):
		return p.moveKey(-max(1, p.listRows()))
	case key.Matches(msg, k.PageDown):
		return p.moveKey(max(1, p.listRows()))
	case key.Matches(msg, k.Home):
		return p.moveKey(-p.ls.rowCount())
	case key.Matches(msg, k.End):
		return p.jumpToEnd()
	case key.Matches(msg, k.Open):
		c, ok := p.ls.selected()
		if !ok {
			return nil
		}
		p.area = areaThread
		if c.ID == p.thConv && (p.thState == threadReady || p.thState == threadLoading) {
			return nil
		}
		return p.openThread(c)
	case key.Matches(msg, k.Retry):
		return p.retry()
	}
	return nil
}

// retry re-requests what failed, or refreshes the list from its first page.
func (p *Pane) retry() tea.Cmd {
	if p.ls.err != nil {
		p.ls.err = nil
		p.clampList()
		p.keypress()
		return p.fetch(p.ls.failedCursor)
	}
	return p.fetch("") // supersedes (and cancels) any request in flight
}

func (p *Pane) handleThreadKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.cfg.Keys
	switch {
	case key.Matches(msg, k.Back):
		p.area = areaList
		p.cancelThread()
	case key.Matches(msg, k.Up):
		p.th.Move(-1)
	case key.Matches(msg, k.Down):
		p.th.Move(1)
	case key.Matches(msg, k.PageUp):
		p.th.Move(-p.th.Page())
	case key.Matches(msg, k.PageDown):
		p.th.Move(p.th.Page())
	case key.Matches(msg, k.Home):
		p.th.Home()
	case key.Matches(msg, k.End):
		p.th.End()
	case key.Matches(msg, k.Toggle):
		p.th.Toggle()
	case key.Matches(msg, k.Collapse):
		p.th.Collapse()
	case key.Matches(msg, k.Expand):
		p.th.Expand()
	case key.Matches(msg, k.Retry):
		if c, ok := p.ls.selected(); ok && p.thState != threadLoading {
			return p.openThread(c)
		}
	}
	return nil
}

// moveKey is moveList for a key that moves the selection: it ends a jump to the end and
// gives the pane a new keypress's worth of pages.
func (p *Pane) moveKey(delta int) tea.Cmd {
	p.ls.jumping = false
	p.keypress()
	return p.moveList(delta)
}

// moveList moves the list selection and returns the Cmds that follow: the preview of the new
// selection and the next page when the selection nears the end.
func (p *Pane) moveList(delta int) tea.Cmd {
	if p.ls.rowCount() == 0 {
		return nil
	}
	if !p.ls.move(delta, p.listRows()) {
		return p.prefetch()
	}
	return tea.Batch(p.selectionChanged(), p.prefetch())
}

// listRows is the number of conversation rows the list shows.
func (p *Pane) listRows() int {
	return max(0, p.h-1-p.ls.footerLines())
}

// clampList keeps the selection on a row and in the list's window.
func (p *Pane) clampList() { p.ls.clamp(p.listRows()) }
