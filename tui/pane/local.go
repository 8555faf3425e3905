package pane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/rowstore"
	"github.com/confab-dev/confab/tui/pane/request"
)

// Local is the local store's part of a pane (Config.Local): with it the pane is cache-first.
// While its filter is empty the list pages through the stored rows (Stored), so the first
// frame shows them at once and memory grows only with the rows scrolled through; meanwhile a
// background refresh fetches the vendor's newest pages (Config.Source) until it reaches rows
// already stored unchanged, writing every page through to Sink, and the rows on screen are
// re-read from the store, the cursor kept on the same conversation. Past the last stored row
// the list continues live. A vendor filter runs live, written through. A stored thread shows
// at once and is refreshed live in the background. Offline, nothing live is ever requested.
type Local struct {
	// Stored reads the store's rows of this tab's source (cache.NewSource); it never
	// touches the network.
	Stored client.Source
	// Sink is where everything loaded live is written (the store; nil: nothing is written).
	Sink Sink
	// Offline: no live request, ever (--offline); vendor filters are refused.
	Offline bool
	// Spec is the vendor's filter language (nil: none): a filter that is only a time window
	// (client.WindowFilter, e.g. Talkdesk's since:28d) is listed from the store too.
	Spec client.FilterSpec
	// Synced is when the store last synced this source (zero: unknown), for the status bar
	// until the pane's own refresh succeeds.
	Synced time.Time
}

// Sink takes what the pane loaded live (store/cache.Store implements it). Its methods are
// called in Cmds, off the UI loop; an error costs one status line, never the pane.
type Sink interface {
	PutConversations(ctx context.Context, source string, cs []client.Conversation) error
	PutThread(ctx context.Context, source, conversationID string, items []client.Interaction) error
}

// WriteTracker is implemented by a Sink that wants to know of a write before it starts: the
// TUI waits for the writes in flight before it closes the store. Begin marks one (it may be
// called on the UI loop, when the Cmd that writes is made); the func it returns ends it.
type WriteTracker interface {
	Begin() (end func())
}

// beginWrite marks a write to sink in flight when sink tracks them (WriteTracker).
func beginWrite(sink Sink) (end func()) {
	if t, ok := sink.(WriteTracker); ok {
		return t.Begin()
	}
	return func() {}
}

// errFilterOffline is what a vendor filter gets under --offline.
var errFilterOffline = errors.New("offline: the vendor's filter cannot run on the local store (a time window can); clear it or use the quick filter (/)")

// errThreadNotStored is what a thread not in the store shows under --offline.
var errThreadNotStored = errors.New("not in the local store — run confab sync --threads")

// tailStart is the cursor of the first live page after the last stored row (the list's
// "" means no next page).
const tailStart = "\x00live"

// localBinding is the cache-first state of a pane (unused without Config.Local).
type localBinding struct {
	tail     bool            // the list continues live past the stored rows
	seen     map[string]bool // ids of the listed rows while the tail loads (dedupe)
	refresh  request.Lifecycle
	reload   request.Lifecycle
	thread   request.Lifecycle // the live refresh of a stored thread
	synced   time.Time         // the last successful refresh (or Local.Synced)
	failed   string            // the last refresh's error, short ("" if it succeeded)
	storeErr string            // the last store error reported (reported once)
}

// SummarySink is a Sink that also keeps the summaries fetched for the rows on screen
// (Moveworks' first user messages), so the next start shows them from the store
// (store/cache.Store implements it).
type SummarySink interface {
	PutSummary(ctx context.Context, source, conversationID, text string) error
}

// summarySink is where fetched summaries are kept, nil when nowhere.
func (p *Pane) summarySink() SummarySink {
	if s, ok := p.sink().(SummarySink); ok {
		return s
	}
	return nil
}

// local reports whether the pane is cache-first.
func (p *Pane) local() bool { return p.cfg.Local != nil && p.cfg.Local.Stored != nil }

// offline reports whether the pane must never make a live request.
func (p *Pane) offline() bool { return p.local() && p.cfg.Local.Offline }

// storedList reports whether the list's pages come from the store: an empty filter, or one
// that is only a time window (storedQuery).
func (p *Pane) storedList() bool {
	_, ok := p.storedQuery()
	return ok
}

// storedQuery is the pane's query as the store can answer it: the query itself when it has
// no filter, or the window of a filter that is only a time window (Local.Spec), as Since
// and Until. ok is false when the store cannot answer it.
func (p *Pane) storedQuery() (q client.Query, ok bool) {
	q = p.cfg.Query
	if !p.local() {
		return q, false
	}
	if q.Filter == "" {
		return q, true
	}
	since, until, ok := client.FilterWindow(p.cfg.Local.Spec, q.Filter, p.cfg.Now())
	if !ok {
		return q, false
	}
	q.Filter = ""
	if since.After(q.Since) {
		q.Since = since
	}
	if !until.IsZero() && (q.Until.IsZero() || until.Before(q.Until)) {
		q.Until = until
	}
	return q, true
}

// storeName is the source name rows are stored under.
func (p *Pane) storeName() string { return p.cfg.Local.Stored.Name() }

// sink is the store to write through to, nil when there is none.
func (p *Pane) sink() Sink {
	if p.local() {
		return p.cfg.Local.Sink
	}
	return nil
}

// pageCmd is the Cmd of the page request for cursor: live as ever without a store;
// cache-first, from the store (an empty filter), live past the stored rows, or live with a
// filter, written through.
func (p *Pane) pageCmd(ctx context.Context, end func(), gen uint64, cursor string) tea.Cmd {
	if !p.local() {
		return loadPage(ctx, end, p.cfg.Source, p.cfg.Query, p.cfg.ID, gen, cursor)
	}
	if cursor == "" {
		p.loc.tail, p.loc.seen = false, nil
	}
	id := p.cfg.ID
	switch {
	case p.storedList() && !p.loc.tail:
		q, _ := p.storedQuery()
		load := loadPage(ctx, end, p.cfg.Local.Stored, q, id, gen, cursor)
		return func() tea.Msg {
			msg := load().(pageMsg)
			msg.stored = true // read from the store: it keeps the raw records
			return msg
		}
	case p.offline() || p.cfg.Source == nil:
		return func() tea.Msg {
			end()
			return pageMsg{pane: id, gen: gen, cursor: cursor, err: errFilterOffline}
		}
	}
	live, sink, name, q := p.cfg.Source, p.cfg.Local.Sink, p.storeName(), p.cfg.Query
	// The first rows of a listing show at once and are written after (writeLater): on a
	// new store the write takes longer than the page. Later pages are written before they
	// show, so that the list keeps the raw records of one page at most.
	later := cursor == "" || p.ls.items.Len() == 0
	return func() tea.Msg {
		defer end()
		c := cursor
		if c == tailStart {
			c = ""
		}
		page, err := live.Conversations(ctx, q, c)
		msg := pageMsg{pane: id, gen: gen, cursor: cursor, page: page, err: err}
		if err == nil && sink != nil && len(page.Conversations) > 0 {
			if later {
				msg.writeLater = true
				return msg
			}
			msg.storeErr = putRows(ctx, sink, name, page.Conversations)
			msg.stored = msg.storeErr == nil
		}
		return msg
	}
}

// putMsg is the result of writing a page shown before it was stored (writeLater).
type putMsg struct {
	pane ID
	err  error
}

func (m putMsg) PaneID() ID { return m.pane }

// writeLater is the Cmd that writes cs, a page already shown (its rows keep their raw
// records: the list holds them until then), through to the store. Neither the page request
// superseded nor the pane closing cancels it (a local write, bounded by the store's busy
// timeout): rows shown just before quitting are still kept if the program waits for the
// store's writes before closing it (cmd/confab does).
func (p *Pane) writeLater(cs []client.Conversation) tea.Cmd {
	sink := p.sink()
	if sink == nil || len(cs) == 0 {
		return nil
	}
	ctx := context.Background()
	if p.cfg.Context != nil {
		ctx = context.WithoutCancel(p.cfg.Context)
	}
	name, id := p.storeName(), p.cfg.ID
	end := beginWrite(sink) // now: a quit before the Cmd starts still waits for it
	return func() tea.Msg {
		defer end()
		return putMsg{pane: id, err: putRows(ctx, sink, name, cs)}
	}
}

// handlePut reports a failed write of a page shown before it was stored, as a failed
// write-through would have been (storeFailed).
func (p *Pane) handlePut(msg putMsg) tea.Cmd {
	if msg.err == nil || p.closing(msg.err) {
		return nil
	}
	return p.storeFailed(msg.err)
}

// localPage adjusts a page before the list takes it: the live tail drops the rows already
// listed. It returns the Cmds the page leads to (a store error's line).
func (p *Pane) localPage(msg *pageMsg) tea.Cmd {
	if !p.local() {
		return nil
	}
	if (msg.cursor == tailStart || (msg.cursor == "" && !p.storedList())) && msg.err == nil {
		p.loc.synced, p.loc.failed = p.cfg.Now(), "" // the vendor's first page, written through
	}
	if p.loc.tail && msg.cursor != "" {
		kept := msg.page.Conversations[:0:0]
		for _, c := range msg.page.Conversations {
			if !p.loc.seen[c.ID] {
				p.loc.seen[c.ID] = true
				kept = append(kept, c)
			}
		}
		msg.page.Conversations = kept
		msg.page.Total = -1
	}
	return p.storeFailed(msg.storeErr)
}

// afterStoredPage runs once a page has been added: at the end of the stored rows an online
// pane continues live (the tail); the first stored page starts the background refresh (or,
// when nothing is stored, the live tail does its work).
func (p *Pane) afterStoredPage(cursor string) tea.Cmd {
	if !p.storedList() || p.offline() || p.cfg.Source == nil || p.loc.tail {
		return nil
	}
	first := cursor == ""
	if !p.ls.hasMore() {
		p.startTail()
		if first && p.ls.items.Len() == 0 {
			return nil // nothing stored: the tail loads the vendor's first pages
		}
	}
	if first {
		return p.startRefresh()
	}
	return nil
}

// storedPageFailed: a page the store could not read costs a status line; an online pane
// goes on live from there. ok is false when the failure is the list's to show.
func (p *Pane) storedPageFailed(msg pageMsg) (tea.Cmd, bool) {
	if !p.storedList() || p.loc.tail || p.offline() || p.cfg.Source == nil || errors.Is(msg.err, context.Canceled) {
		return nil, false
	}
	p.startTail()
	return tea.Batch(p.storeFailed(msg.err), p.fetch(tailStart)), true
}

// startTail makes the list continue live after its last stored row.
func (p *Pane) startTail() {
	p.loc.tail = true
	p.loc.seen = make(map[string]bool, p.ls.items.Len())
	for i := range p.ls.items.Len() {
		p.loc.seen[p.ls.items.ID(i)] = true
	}
	p.ls.next = tailStart
	p.ls.total = -1
}

// refreshMsg is the result of a background refresh.
type refreshMsg struct {
	pane     ID
	gen      uint64
	changed  int // rows new or changed in the store
	err      error
	storeErr error
}

func (m refreshMsg) PaneID() ID { return m.pane }

// startRefresh fetches the vendor's newest pages in the background.
func (p *Pane) startRefresh() tea.Cmd {
	if !p.local() || p.offline() || p.cfg.Source == nil {
		return nil
	}
	ctx, gen := p.loc.refresh.Start(p.cfg.Context)
	q := p.cfg.Query
	q.Filter, q.Order = "", client.NewestFirst
	return refreshCmd(ctx, p.cfg.Source, p.cfg.Local.Stored, p.cfg.Local.Sink, p.storeName(), q, p.maxPages(), p.cfg.ID, gen)
}

// refreshCmd pages the live source from its newest row until a page holds a row already
// stored unchanged (same id and Updated), its end, or maxPages pages, writing every page to
// sink. It uses only its arguments.
func refreshCmd(ctx context.Context, live, stored client.Source, sink Sink, name string, q client.Query, maxPages int, id ID, gen uint64) tea.Cmd {
	return func() tea.Msg {
		msg := refreshMsg{pane: id, gen: gen}
		cursor := ""
		for range maxPages {
			page, err := live.Conversations(ctx, q, cursor)
			if err != nil {
				msg.err = err
				return msg
			}
			known := false
			for _, c := range page.Conversations {
				old, err := stored.Conversation(ctx, c.ID)
				if err == nil && old.ID == c.ID && old.Updated.Equal(c.Updated) {
					known = true
					continue
				}
				msg.changed++
			}
			if sink != nil && len(page.Conversations) > 0 {
				if err := putRows(ctx, sink, name, page.Conversations); err != nil {
					msg.storeErr = err
					msg.changed = 0 // nothing new to re-read
					return msg
				}
			}
			if known || page.Next == "" {
				break
			}
			cursor = page.Next
		}
		return msg
	}
}

func (p *Pane) handleRefresh(msg refreshMsg) tea.Cmd {
	if !p.loc.refresh.Done(msg.gen) {
		return nil
	}
	if msg.err != nil {
		if p.closing(msg.err) {
			return nil
		}
		p.loc.failed = shortErr(p.errText(msg.err))
		return nil
	}
	p.loc.failed = ""
	p.loc.synced = p.cfg.Now()
	cmd := p.storeFailed(msg.storeErr)
	if msg.changed > 0 && p.storedList() {
		cmd = tea.Batch(cmd, p.startReload(msg.changed))
	}
	return cmd
}

// reloadMsg is the store's rows re-read after a refresh.
type reloadMsg struct {
	pane  ID
	gen   uint64
	items []client.Conversation
	next  string
	total int
	err   error
}

func (m reloadMsg) PaneID() ID { return m.pane }

// startReload re-reads from the store as many rows as the list holds, plus the added ones.
func (p *Pane) startReload(added int) tea.Cmd {
	ctx, gen := p.loc.reload.Start(p.cfg.Context)
	want := p.ls.items.Len() + added
	q, _ := p.storedQuery()
	stored, id := p.cfg.Local.Stored, p.cfg.ID
	return func() tea.Msg {
		msg := reloadMsg{pane: id, gen: gen}
		cursor := ""
		for {
			page, err := stored.Conversations(ctx, q, cursor)
			if err != nil {
				msg.err = err
				return msg
			}
			msg.items = append(msg.items, page.Conversations...)
			msg.next, msg.total = page.Next, page.Total
			if page.Next == "" || len(msg.items) >= want {
				return msg
			}
			cursor = page.Next
		}
	}
}

// handleReload replaces the list's rows with the store's, keeping the selected conversation
// selected at the same place on screen.
func (p *Pane) handleReload(msg reloadMsg) tea.Cmd {
	if !p.loc.reload.Done(msg.gen) || !p.storedList() {
		return nil
	}
	if msg.err != nil {
		if p.closing(msg.err) {
			return nil
		}
		return p.storeFailed(msg.err)
	}
	if p.pageReq.Busy() {
		p.pageReq.Stop() // a page of the old listing: its cursor is stale now
	}
	sel, hadSel := p.ls.selected()
	screen := p.ls.cursor - p.ls.offset
	p.ls.items = rowstore.FromSlice(msg.items, false) // read from the store: it keeps the raw records
	p.ls.next, p.ls.total, p.ls.err = msg.next, msg.total, nil
	p.loc.tail, p.loc.seen = false, nil
	if hadSel {
		for i := range p.ls.items.Len() {
			if p.ls.items.ID(i) == sel.ID {
				p.ls.cursor = i
				p.ls.offset = max(0, i-screen)
				break
			}
		}
	}
	p.clampList()
	var cmds []tea.Cmd
	if !p.ls.hasMore() && !p.offline() && p.cfg.Source != nil {
		p.startTail()
	}
	cmds = append(cmds, p.itemsChanged(true), p.prefetch())
	return tea.Batch(cmds...)
}

// storeFailed reports a store error in one status line (the same error once).
func (p *Pane) storeFailed(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	text := p.errText(err)
	if text == p.loc.storeErr {
		return nil
	}
	p.loc.storeErr = text
	return notify(p.cfg.ID, true, p.cfg.Name+": local store: "+sanitize.Line(text))
}

// threadCmd is the Cmd of a thread request: live without a store; cache-first, the stored
// thread (stored reports it), else live written through, or under --offline
// errThreadNotStored.
func (p *Pane) threadCmd(ctx context.Context, end func(), c client.Conversation, gen uint64) tea.Cmd {
	if !p.local() {
		return loadThread(ctx, end, p.cfg.Source, c, p.cfg.ID, gen)
	}
	stored, live, sink, name := p.threadSources()
	id := p.cfg.ID
	endWrite := beginWrite(sink) // now: a quit before the Cmd starts waits for its write-through
	return func() tea.Msg {
		defer end()
		defer endWrite()
		msg := storedThenLive(ctx, stored, live, sink, name, c)
		if errors.Is(msg.err, errThreadNotStored) && ctx.Err() != nil {
			msg.err = ctx.Err() // cancelled, not missing
		}
		msg.pane, msg.gen = id, gen
		return msg
	}
}

// threadSources is what a thread's Cmd (request, refresh, prefetch) reads and writes: the
// local store (nil without one), the vendor (nil offline), the store written through (nil
// without one) and the name the rows are stored under.
func (p *Pane) threadSources() (stored, live client.Source, sink Sink, name string) {
	if !p.local() {
		return nil, p.cfg.Source, nil, p.cfg.Name
	}
	if !p.offline() {
		live = p.cfg.Source
	}
	return p.cfg.Local.Stored, live, p.cfg.Local.Sink, p.storeName()
}

// storedThenLive is c's thread from stored when it holds it (stored set in the message), else
// loaded live and written through to sink; errThreadNotStored when live is nil (offline). A nil
// stored is not read. It uses only its arguments: the body of a thread request's or a
// prefetch's Cmd.
func storedThenLive(ctx context.Context, stored, live client.Source, sink Sink, name string, c client.Conversation) threadMsg {
	if stored != nil {
		if items, err := stored.Thread(ctx, c); err == nil && len(items) > 0 {
			return threadMsg{convID: c.ID, items: items, stored: true}
		}
	}
	if live == nil {
		return threadMsg{convID: c.ID, err: errThreadNotStored}
	}
	// The vendor's client may need the raw record (Talkdesk, OpenDialog read the thread from
	// it); the list keeps none of a stored row.
	return liveThread(ctx, live, sink, name, rawFrom(ctx, stored, c))
}

// threadWriteBudget bounds the write of a thread that arrived, which its request's
// cancellation no longer stops.
const threadWriteBudget = 10 * time.Second

// liveThread loads c's thread live and writes it through.
func liveThread(ctx context.Context, live client.Source, sink Sink, name string, c client.Conversation) threadMsg {
	items, err := live.Thread(ctx, c)
	msg := threadMsg{convID: c.ID, items: items, err: err}
	if err == nil && sink != nil {
		// The thread arrived: it is written even if its request is cancelled now (a move
		// away, a quit, which waits for the write), within threadWriteBudget.
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), threadWriteBudget)
		msg.storeErr = sink.PutThread(wctx, rowSource(c, name), c.ID, items)
		cancel()
	}
	return msg
}

// liveThreadMsg is the live refresh of a thread shown from the store.
type liveThreadMsg struct{ threadMsg }

// refreshThread starts the live refresh of the thread of c shown from the store or the
// cache (preview.go).
func (p *Pane) refreshThread(c client.Conversation) tea.Cmd {
	if p.offline() || p.cfg.Source == nil {
		return nil
	}
	ctx, gen := p.loc.thread.Start(p.cfg.Context)
	stored, live, sink, name := p.threadSources()
	id := p.cfg.ID
	endWrite := beginWrite(sink) // the thread written through at the end
	return func() tea.Msg {
		defer endWrite()
		msg := liveThread(ctx, live, sink, name, rawFrom(ctx, stored, c))
		msg.pane, msg.gen = id, gen
		return liveThreadMsg{msg}
	}
}

// handleLiveThread replaces the stored thread shown by the live one, keeping its cursor.
func (p *Pane) handleLiveThread(msg liveThreadMsg) tea.Cmd {
	if !p.loc.thread.Done(msg.gen) {
		return nil
	}
	cmd := p.storeFailed(msg.storeErr)
	if msg.err != nil || !p.thr.loaded(msg.convID) {
		return cmd // the stored thread stays
	}
	p.remember(p.thr.c, msg.items, false) // preview.go
	cur := p.thr.view.Cursor()
	p.thr.view.SetItems(msg.items)
	p.thr.view.Move(cur)
	p.sizeThread()
	return cmd
}

// SyncMark is the pane's local-store mark for the status bar: "" without a store, else
// "offline", "syncing…", "synced 2 min ago" or "offline · vendor unreachable: …".
func (p *Pane) SyncMark() string {
	if !p.local() {
		return ""
	}
	switch {
	case p.offline():
		return "offline"
	case p.loc.refresh.Busy(), p.loc.tail && p.pageReq.Busy():
		return "syncing…"
	case p.loc.failed != "":
		return "offline · vendor unreachable: " + p.loc.failed
	}
	t := p.loc.synced
	if t.IsZero() {
		t = p.cfg.Local.Synced
	}
	if t.IsZero() {
		return "local store"
	}
	return "synced " + ago(p.cfg.Now().Sub(t))
}

// ago says how long d is, roughly: "just now", "2 min ago", "3 h ago", "2 days ago".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

// shortErr is the first line of an error's text, cut to a status bar's share.
func shortErr(s string) string {
	return sanitize.Truncate(sanitize.Line(s), 60, "…")
}

// offlineSpec is a vendor's filter language under --offline: completion still helps, but
// every filter is refused with what to do instead.
type offlineSpec struct {
	client.FilterSpec
	now func() time.Time
}

func (s offlineSpec) Fields() []client.Field {
	if s.FilterSpec == nil {
		return nil
	}
	return s.FilterSpec.Fields()
}

func (s offlineSpec) Operators() []string {
	if s.FilterSpec == nil {
		return nil
	}
	return s.FilterSpec.Operators()
}

func (s offlineSpec) Examples() []string { return nil }

// Validate accepts only a time window (client.WindowFilter), which the store can list.
func (s offlineSpec) Validate(text string) error {
	if _, _, ok := client.FilterWindow(s.FilterSpec, text, s.now()); ok {
		return nil
	}
	return &client.FilterError{Msg: errFilterOffline.Error(), Pos: -1}
}

func (s offlineSpec) Complete(text string, cursor int) client.Completion {
	if s.FilterSpec == nil {
		return client.Completion{}
	}
	return s.FilterSpec.Complete(text, cursor)
}

// rowSource is the stored source a row belongs to: its own (the All tab lists several), else
// the pane's.
func rowSource(c client.Conversation, name string) string {
	if c.Source != "" {
		return c.Source
	}
	return name
}

// putRows writes cs through to sink, each row under its own source (rowSource): the All tab's
// pages mix sources, and the store keeps each under its own name.
func putRows(ctx context.Context, sink Sink, name string, cs []client.Conversation) error {
	defer beginWrite(sink)() // one write in flight across the calls, one a source
	start := 0
	for i := 1; i <= len(cs); i++ {
		if i < len(cs) && rowSource(cs[i], name) == rowSource(cs[start], name) {
			continue
		}
		if err := sink.PutConversations(ctx, rowSource(cs[start], name), cs[start:i]); err != nil {
			return err
		}
		start = i
	}
	return nil
}

// RawReader reads a stored conversation's raw vendor record (store/cache.Source implements
// it): the list keeps no raw record of the rows the store holds.
type RawReader interface {
	Raw(ctx context.Context, c client.Conversation) (json.RawMessage, error)
}

// rawTimeout bounds the store read of one raw record (a key asked for it; the read runs in
// a Cmd, off the UI loop).
const rawTimeout = 2 * time.Second

// needsRaw reports whether c's raw vendor record must be read from the local store: c has none
// of its own (a stored row: the list keeps no raw record of those) and the pane has a store.
func (p *Pane) needsRaw(c client.Conversation) bool { return len(c.Raw) == 0 && p.local() }

// rawRead is the read, for a Cmd, of c's raw vendor record from the local store: it returns c
// with it (c as it is when the store has none, or the read fails or takes over rawTimeout). The
// pager's raw view and a JSON copy ask for it, one row at a time. It uses only what it captures
// here, never the pane.
func (p *Pane) rawRead(c client.Conversation) func() client.Conversation {
	parent := p.cfg.Context
	if parent == nil {
		parent = context.Background()
	}
	stored := p.cfg.Local.Stored
	return func() client.Conversation {
		ctx, cancel := context.WithTimeout(parent, rawTimeout)
		defer cancel()
		return rawFrom(ctx, stored, c)
	}
}

// rawMsg is a conversation read with its raw record from the local store for the pager's raw
// view (pager.go: showPager, handleRaw).
type rawMsg struct {
	pane ID
	conv client.Conversation
}

func (m rawMsg) PaneID() ID { return m.pane }

// rawFrom returns c with the raw record stored reads for it (c unchanged when none).
func rawFrom(ctx context.Context, stored client.Source, c client.Conversation) client.Conversation {
	if len(c.Raw) > 0 {
		return c
	}
	if r, ok := stored.(RawReader); ok {
		if raw, err := r.Raw(ctx, c); err == nil && len(raw) > 0 {
			c.Raw = raw
		}
	}
	return c
}
