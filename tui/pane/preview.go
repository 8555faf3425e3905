package pane

import (
	clist "container/list"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/threadview"
)

// The thread preview while the selection moves (issue 18, item 5):
//
//   - One pending timer a pane (settleBinding): every move re-arms it instead of starting a
//     tea.Tick of its own, so the ticks of selections already left never reach the program
//     (Bubble Tea renders after every message). With the real clock (Config.Tick nil) the
//     timer is a goroutine that waits until the selection has not moved for PreviewDelay and
//     only then sends one previewMsg; with an injected Tick (tests) a tick that finds the
//     selection moved is re-armed for what is left of the pause.
//   - Built threads are kept in a small LRU (threadCache): a thread loaded, refreshed or
//     prefetched shows in the frame of the key that selects its row; so does a thread the
//     local store holds (a bounded synchronous read, storedNow).
//   - Once the selection settles and its thread is shown, the threads of the rows around the
//     cursor are prefetched (prefetchBinding): at most MaxPrefetch requests in flight, those
//     of rows left far behind cancelled, none after a rate limit for a while.
//   - While the next preview loads, the last one stays on screen, dimmed, with "loading…" in
//     the title (dimMemo), instead of "Loading thread…".

// DefaultThreadCache is how many built threads a pane keeps (Config.ThreadCache).
const DefaultThreadCache = 64

// threadCacheItems bounds the interactions the cache of built threads holds in all: a few
// huge threads do not stay in memory with 63 others.
const threadCacheItems = 100_000

// DefaultPrefetchRows is how many rows on each side of the cursor have their threads
// prefetched once the selection settles (Config.PrefetchRows).
const DefaultPrefetchRows = 2

// DefaultMaxPrefetch is how many prefetch requests a pane has in flight at most
// (Config.MaxPrefetch).
const DefaultMaxPrefetch = 2

// storedReadBudget bounds the synchronous read of a stored thread on the UI loop: a read
// that takes longer is cancelled and the thread loads the usual way after the pause.
const storedReadBudget = 20 * time.Millisecond

// threadFresh is how long a thread loaded live is shown from the cache without a refresh.
const threadFresh = time.Minute

// prefetchPause is how long a pane prefetches nothing after a prefetch was rate limited.
const prefetchPause = 30 * time.Second

// loadingMark starts the thread column's title while the last preview shows dimmed.
const loadingMark = "loading… "

// ---- the pending timer

// settleBinding is the pane's one pending preview timer.
type settleBinding struct {
	real  bool          // the real clock: a goroutine timer (settleTimer), no stale messages
	armed bool          // a timer is pending (its previewMsg not handled yet)
	moves uint64        // selection changes so far
	due   time.Time     // when the selection settles: the last move + PreviewDelay
	moved *settleShared // moves and due for the real timer's goroutine
}

// settleShared is what the real timer's goroutine reads of the pane: written by the UI loop.
type settleShared struct {
	moves atomic.Uint64
	due   atomic.Int64 // unix nanoseconds
}

// previewMsg fires when the selection may have settled: moves is the count of selection
// changes when it was armed (or last found the selection moved).
type previewMsg struct {
	pane  ID
	moves uint64
	at    time.Time // when the tick fired (an injected Tick's time)
}

func (m previewMsg) PaneID() ID { return m.pane }

// armPreview records a selection change and makes sure one timer is pending.
func (p *Pane) armPreview() tea.Cmd {
	s := &p.pv
	s.moves++
	if s.real {
		s.due = time.Now().Add(p.cfg.PreviewDelay)
		s.moved.due.Store(s.due.UnixNano())
		s.moved.moves.Store(s.moves)
	} else {
		s.due = p.cfg.Now().Add(p.cfg.PreviewDelay)
	}
	p.pf.settled = false
	p.pf.dropFar(p.ls.cursor, 2*p.prefetchRows()+1)
	if s.armed {
		return nil
	}
	return p.startTimer(p.cfg.PreviewDelay)
}

// startTimer arms the pane's timer for d.
func (p *Pane) startTimer(d time.Duration) tea.Cmd {
	s := &p.pv
	s.armed = true
	id, moves := p.cfg.ID, s.moves
	if s.real {
		return settleTimer(p.cfg.Context, s.moved, d, id, moves)
	}
	return p.cfg.Tick(d, func(t time.Time) tea.Msg { return previewMsg{pane: id, moves: moves, at: t} })
}

// settleTimer waits until the selection has not moved for the pause (re-arming itself while
// it moves) and only then produces one previewMsg. It reads only s.
func settleTimer(ctx context.Context, s *settleShared, d time.Duration, id ID, moves uint64) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		for {
			var at time.Time
			select {
			case at = <-t.C:
			case <-ctx.Done():
				return nil
			}
			m := s.moves.Load()
			if m == moves {
				return previewMsg{pane: id, moves: m, at: at}
			}
			moves = m
			left := time.Duration(s.due.Load() - at.UnixNano())
			if left <= 0 {
				return previewMsg{pane: id, moves: m, at: at}
			}
			t.Reset(min(left, d))
		}
	}
}

// handlePreview: the timer fired. A selection that moved since re-arms it for what is left of
// the pause; a settled one loads its thread, or refreshes the one shown from the cache, and
// prefetches the rows around it.
func (p *Pane) handlePreview(msg previewMsg) tea.Cmd {
	s := &p.pv
	s.armed = false
	if msg.moves != s.moves {
		now := p.cfg.Now()
		if s.real {
			now = time.Now()
		}
		if left := s.due.Sub(now); left > 0 {
			return p.startTimer(min(left, p.cfg.PreviewDelay))
		}
	}
	return p.settled()
}

// settled runs once the selection has rested for the pause.
func (p *Pane) settled() tea.Cmd {
	c, ok := p.ls.selected()
	if !ok || c.ID != p.thr.c.ID {
		return nil
	}
	p.pf.settled = true
	switch p.thr.state {
	case threadPending:
		if p.pf.adopt(p.threadKey(c)) { // its prefetch is in flight: it shows when it lands
			p.thr.state = threadLoading
			return tea.Batch(p.spin(), p.prefetchThreads())
		}
		return p.openThread(c)
	case threadReady:
		var cmd tea.Cmd
		if p.thr.refresh {
			p.thr.refresh = false
			cmd = p.refreshThread(c) // local.go
		}
		return tea.Batch(cmd, p.prefetchThreads())
	}
	return nil
}

// ---- the cache of built threads

// threadKey names a conversation's thread in the cache: its stored source and id.
type threadKey struct{ src, id string }

func (p *Pane) threadKey(c client.Conversation) threadKey {
	return threadKey{rowSource(c, p.cfg.Name), c.ID}
}

// cachedThread is one built thread.
type cachedThread struct {
	key     threadKey
	items   []client.Interaction
	stored  bool      // read from the local store, not refreshed live since
	at      time.Time // when it was loaded live
	updated time.Time // the conversation's Updated when it was loaded
	// The thread view's body as last drawn from these items, and the key of that drawing
	// (threadBody): showing the thread again, as a key in the list does, draws nothing.
	viewKey threadview.ViewKey
	body    string
	colHead string // the title line over body in col (column)
	col     string
	built   threadview.Built // the thread view's tree and rows of these items (showCached)
}

// threadCache is a bounded LRU of built threads: at most max threads and threadCacheItems
// interactions in all (the most recent thread is kept whatever its size).
type threadCache struct {
	max   int
	items int         // interactions held
	ll    *clist.List // of *cachedThread, most recent first
	m     map[threadKey]*clist.Element
}

func newThreadCache(n int) threadCache {
	if n == 0 {
		n = DefaultThreadCache
	}
	return threadCache{max: n, ll: clist.New(), m: map[threadKey]*clist.Element{}}
}

// get is the thread of k, made the most recent.
func (c *threadCache) get(k threadKey) (*cachedThread, bool) {
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*cachedThread), true
}

// peek is the thread of k, without touching its place.
func (c *threadCache) peek(k threadKey) (*cachedThread, bool) {
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	return e.Value.(*cachedThread), true
}

// has reports whether k is cached, without touching its place.
func (c *threadCache) has(k threadKey) bool {
	_, ok := c.m[k]
	return ok
}

// put keeps t, dropping the least recent beyond max.
func (c *threadCache) put(t cachedThread) {
	if c.max < 0 {
		return
	}
	if e, ok := c.m[t.key]; ok {
		old := e.Value.(*cachedThread)
		c.items += len(t.items) - len(old.items)
		*old = t
		c.ll.MoveToFront(e)
	} else {
		c.m[t.key] = c.ll.PushFront(&t)
		c.items += len(t.items)
	}
	for c.ll.Len() > 1 && (c.ll.Len() > c.max || c.items > threadCacheItems) {
		last := c.ll.Back()
		c.ll.Remove(last)
		old := last.Value.(*cachedThread)
		c.items -= len(old.items)
		delete(c.m, old.key)
	}
}

// remember keeps a thread just loaded for c.
func (p *Pane) remember(c client.Conversation, items []client.Interaction, stored bool) {
	p.tc.put(cachedThread{key: p.threadKey(c), items: items, stored: stored, at: p.cfg.Now(), updated: c.Updated})
}

// threadNow is c's thread if it can show at once: from the cache, else from the local
// store (a read bounded by storedReadBudget).
func (p *Pane) threadNow(c client.Conversation) (*cachedThread, bool) {
	k := p.threadKey(c)
	if t, ok := p.tc.get(k); ok {
		return t, true
	}
	if !p.local() {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(p.cfg.Context, storedReadBudget)
	items, err := p.cfg.Local.Stored.Thread(ctx, c)
	cancel()
	if err != nil || len(items) == 0 {
		return nil, false
	}
	t := cachedThread{key: k, items: items, stored: true, at: p.cfg.Now(), updated: c.Updated}
	p.tc.put(t)
	return &t, true
}

// showCached shows t, c's thread from the cache, as loaded; the pause decides whether it
// is refreshed live (stored, loaded a while ago, or the conversation changed since).
func (p *Pane) showCached(c client.Conversation, t *cachedThread) tea.Cmd {
	p.thr.req.Stop()
	p.thr.state, p.thr.err = threadReady, nil
	p.thr.view.SetBuilt(t.items, t.built) // built once a cached thread
	t.built, _ = p.thr.view.Built()
	p.sizeThread()
	p.selectFocus() // open.go
	p.thr.refresh = t.stored || !t.updated.Equal(c.Updated) || p.cfg.Now().Sub(t.at) > threadFresh
	return p.threadArrived(c.ID) // copy.go
}

// threadBody is the thread view's body, View(focused): kept with the cached thread the view
// shows, by everything it is drawn from (threadview.ViewKey), so that a thread shown again
// unchanged (the list's cursor back on its row) is not drawn again. t is the cached thread
// that keeps the body, nil when none does.
func (p *Pane) threadBody(focused bool) (body string, t *cachedThread) {
	v := p.thr.view
	k, ok := v.ViewKey(focused)
	if !ok || p.tc.max < 0 {
		return v.View(focused), nil
	}
	t, ok = p.tc.peek(p.threadKey(p.thr.c))
	// Only the items cached are drawn from the entry: a thread loaded but not cached (its
	// conversation changed meanwhile) or replaced in the cache since is drawn afresh.
	if !ok || len(t.items) == 0 || &t.items[0] != &v.Items()[0] || len(t.items) != len(v.Items()) {
		return v.View(focused), nil
	}
	if t.body == "" || t.viewKey != k {
		t.viewKey, t.body, t.col = k, v.View(focused), ""
	}
	return t.body, t
}

// column is the thread column: head, the title line, over the kept body; kept too while
// the title is the same.
func (t *cachedThread) column(head string) string {
	if t.col == "" || t.colHead != head {
		t.colHead, t.col = head, head+"\n"+t.body
		t.body = t.col[len(head)+1:] // one copy of the body kept, not two
	}
	return t.col
}

// ---- the last preview, dimmed

// dimMemo is the last preview's body, shown dimmed while the next one loads: src is the
// body as it was shown, out the same without its styles, dimmed, drawn when first shown (a
// move from a thread to a row whose thread is cached shows no dimmed body: nothing to
// draw); w and h are the column's size when it was shown.
type dimMemo struct {
	ok, drawn bool
	w, h      int
	src, out  string
}

// shownBody is the thread view's body as the last frame showed it: its size, and which
// items and cursor it showed.
type shownBody struct {
	ok     bool
	w, h   int
	out    string
	first  *client.Interaction
	n, cur int
}

// shownNow is the body of the view as it is now, the shown one when it still is.
func (p *Pane) shownNow(w, h int) string {
	s, items := p.thr.shown, p.thr.view.Items()
	if s.ok && s.w == w && s.h == h && s.n == len(items) && len(items) > 0 && s.first == &items[0] && s.cur == p.thr.view.Cursor() {
		return s.out
	}
	return p.thr.view.View(false)
}

// keepShown records body, the thread view's as drawn at w×h.
func (p *Pane) keepShown(w, h int, body string) {
	items := p.thr.view.Items()
	if len(items) == 0 {
		p.thr.shown = shownBody{}
		return
	}
	p.thr.shown = shownBody{ok: true, w: w, h: h, out: body, first: &items[0], n: len(items), cur: p.thr.view.Cursor()}
}

// keepDim keeps the thread shown (if one is) as the dimmed body to show while the next
// loads; call it before the thread view is cleared.
func (p *Pane) keepDim() {
	if p.thr.state != threadReady || p.thr.view.Len() == 0 || !p.Wide() {
		if p.thr.state != threadPending && p.thr.state != threadLoading {
			p.thr.dim = dimMemo{} // what was shown was not a thread: nothing to keep
		}
		return
	}
	w, _ := p.threadBox()
	h := max(0, p.h-1)
	p.thr.dim = dimMemo{ok: true, w: w, h: h, src: p.shownNow(w, h)}
}

// body is the dimmed body, drawn on first use: the source without its styles or trailing
// blanks, each line faint in the muted style.
func (d *dimMemo) body(s Styles) string {
	if d.drawn {
		return d.out
	}
	st := s.Muted.Faint(true)
	var b strings.Builder
	for i, l := range strings.Split(d.src, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		// The column is the frame's last: its blank cells need not be written (each frame
		// the renderer parses every byte; the padding was most of the column's).
		if l = strings.TrimRight(ansi.Strip(l), " "); l != "" {
			b.WriteString(st.Render(l))
		}
	}
	d.out, d.drawn, d.src = b.String(), true, ""
	return d.out
}

// ---- prefetch

// prefetchBinding is the threads of the rows around the cursor being prefetched.
type prefetchBinding struct {
	flying  map[threadKey]*prefetchReq
	seq     uint64
	until   time.Time // no prefetch before this (a prefetch was rate limited)
	settled bool      // the selection rests: a prefetch that lands starts the next
	adopted threadKey // the selected row's thread, whose prefetch the preview waits for
	want    []client.Conversation
}

type prefetchReq struct {
	seq    uint64
	row    int // the row's index in the list when it started
	cancel context.CancelFunc
	c      client.Conversation
}

// prefetchMsg is the result of one prefetch.
type prefetchMsg struct {
	pane     ID
	key      threadKey
	seq      uint64
	items    []client.Interaction
	err      error
	stored   bool
	storeErr error
}

func (m prefetchMsg) PaneID() ID { return m.pane }

// adopt reports whether k's prefetch is in flight; if it is, its result is the preview.
func (b *prefetchBinding) adopt(k threadKey) bool {
	if _, ok := b.flying[k]; !ok {
		return false
	}
	b.adopted = k
	return true
}

// stop cancels the prefetch of k.
func (b *prefetchBinding) stop(k threadKey) {
	if r, ok := b.flying[k]; ok {
		r.cancel()
		delete(b.flying, k)
	}
}

// dropFar cancels the prefetches of rows more than far rows from cursor.
func (b *prefetchBinding) dropFar(cursor, far int) {
	for k, r := range b.flying {
		if d := r.row - cursor; (d > far || d < -far) && k != b.adopted {
			b.stop(k)
		}
	}
}

// release cancels every prefetch.
func (b *prefetchBinding) release() {
	for k := range b.flying {
		b.stop(k)
	}
}

func (p *Pane) prefetchRows() int {
	switch {
	case p.cfg.PrefetchRows < 0:
		return 0
	case p.cfg.PrefetchRows == 0:
		return DefaultPrefetchRows
	}
	return p.cfg.PrefetchRows
}

func (p *Pane) maxPrefetch() int {
	if p.cfg.MaxPrefetch <= 0 {
		return DefaultMaxPrefetch
	}
	return p.cfg.MaxPrefetch
}

// canPrefetch reports whether the pane may prefetch at all.
func (p *Pane) canPrefetch() bool {
	if !p.Wide() || p.prefetchRows() == 0 || p.tc.max < 0 || p.cfg.Now().Before(p.pf.until) {
		return false
	}
	return p.local() || p.cfg.Source != nil
}

// prefetchThreads starts the prefetch of the threads of the rows around the cursor not
// cached yet, nearest first, up to MaxPrefetch in flight; a prefetch of a row no longer
// around it is cancelled.
func (p *Pane) prefetchThreads() tea.Cmd {
	if !p.canPrefetch() {
		p.pf.release()
		return nil
	}
	rows, n := p.prefetchRows(), p.ls.rowCount()
	want := p.pf.want[:0]
	for d := 1; d <= rows; d++ {
		for _, i := range [2]int{p.ls.cursor + d, p.ls.cursor - d} {
			if i < 0 || i >= n {
				continue
			}
			at := p.ls.rowAt(i)
			c := p.ls.items.Conv(at)
			if !p.tc.has(p.threadKey(c)) {
				// A vendor's Thread may read the conversation's raw record: kept in the row
				// without a store (with one, the Cmd reads it: rawFrom).
				c.Raw = p.ls.items.Raw(at)
				want = append(want, c)
			}
		}
	}
	p.pf.want = want
	for k := range p.pf.flying {
		keep := k == p.pf.adopted
		for _, c := range want {
			keep = keep || p.threadKey(c) == k
		}
		if !keep {
			p.pf.stop(k)
		}
	}
	var cmds []tea.Cmd
	for _, c := range want {
		if len(p.pf.flying) >= p.maxPrefetch() {
			break
		}
		k := p.threadKey(c)
		if _, ok := p.pf.flying[k]; ok {
			continue
		}
		cmds = append(cmds, p.startPrefetch(c, k))
	}
	return tea.Batch(cmds...)
}

// startPrefetch starts the prefetch of c's thread: from the store when it holds it, else
// live (written through), never live when offline.
func (p *Pane) startPrefetch(c client.Conversation, k threadKey) tea.Cmd {
	if p.pf.flying == nil {
		p.pf.flying = map[threadKey]*prefetchReq{}
	}
	p.pf.seq++
	// A prefetch is speculative: each request is sent once and gives up at a 429 or 5xx
	// without waiting (handlePrefetch then pauses after a rate limit); the user's own
	// request for the thread retries as usual.
	ctx, cancel := context.WithCancel(client.WithoutRetries(p.cfg.Context))
	row := p.ls.cursor
	for d := -p.prefetchRows(); d <= p.prefetchRows(); d++ {
		if i := p.ls.cursor + d; i >= 0 && i < p.ls.rowCount() && p.ls.items.ID(p.ls.rowAt(i)) == c.ID {
			row = i
		}
	}
	p.pf.flying[k] = &prefetchReq{seq: p.pf.seq, row: row, cancel: cancel, c: c}
	id, seq := p.cfg.ID, p.pf.seq
	stored, live, sink, name := p.threadSources() // local.go
	endWrite := beginWrite(sink)                  // local.go: the thread written through
	return func() tea.Msg {
		defer endWrite()
		t := storedThenLive(ctx, stored, live, sink, name, c) // local.go
		return prefetchMsg{pane: id, key: k, seq: seq, items: t.items, stored: t.stored, err: t.err, storeErr: t.storeErr}
	}
}

// handlePrefetch keeps a prefetched thread, shows it if its row is selected and waiting for
// it, and starts the next prefetch while the selection rests.
func (p *Pane) handlePrefetch(msg prefetchMsg) tea.Cmd {
	r, ok := p.pf.flying[msg.key]
	if !ok || r.seq != msg.seq {
		return nil
	}
	r.cancel()
	delete(p.pf.flying, msg.key)
	adopted := p.pf.adopted == msg.key
	if adopted {
		p.pf.adopted = threadKey{}
	}
	sel, hasSel := p.ls.selected()
	waiting := hasSel && sel.ID == r.c.ID && p.thr.c.ID == r.c.ID &&
		(p.thr.state == threadPending || p.thr.state == threadLoading)
	cmd := p.storeFailed(msg.storeErr)
	if msg.err != nil {
		if p.closing(msg.err) || errors.Is(msg.err, context.Canceled) {
			return cmd
		}
		if errors.Is(msg.err, client.ErrRateLimited) {
			p.pf.until = p.cfg.Now().Add(prefetchPause)
			p.pf.release()
		}
		if waiting && adopted && p.thr.state == threadLoading {
			return tea.Batch(cmd, p.openThread(sel)) // the preview's own request says what failed
		}
		return cmd
	}
	t := cachedThread{key: msg.key, items: msg.items, stored: msg.stored, at: p.cfg.Now(), updated: r.c.Updated}
	p.tc.put(t)
	if waiting && (adopted || p.thr.state == threadPending) {
		cmd = tea.Batch(cmd, p.showCached(sel, &t))
		if p.pf.settled && p.thr.refresh {
			p.thr.refresh = false
			cmd = tea.Batch(cmd, p.refreshThread(sel))
		}
	}
	if p.pf.settled {
		cmd = tea.Batch(cmd, p.prefetchThreads())
	}
	return cmd
}
