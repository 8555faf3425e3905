package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui"
	"github.com/confab-dev/confab/tui/pane"
)

// The TUI's local store: `confab` opens confab.db, `confab demo` its own demo file (the demo's
// sources are named like real ones, so their rows never mix), and gives each tab a
// pane.Local: stored rows at once, a background refresh, everything loaded written through.

// tuiStore opens the store at path for the TUI. With --no-cache, or when it cannot be opened,
// it returns nil and (for the latter) a one-line warning: the TUI then runs live.
func (a *app) tuiStore(ctx context.Context, path string) (*cache.Store, string) {
	if a.noCache {
		return nil, ""
	}
	st, err := cache.Open(ctx, path, a.cacheOptions(path)...)
	if err != nil {
		msg := sanitize.Line(err.Error())
		if ee, ok := cacheFailure(path, err).(*exitError); ok && ee.hint != "" {
			msg += "; " + ee.hint
		}
		return nil, "local store not used: " + msg
	}
	return st, ""
}

// defaultTUIStore opens the user's store ($XDG_CACHE_HOME/confab/confab.db) for the TUI.
func (a *app) defaultTUIStore(ctx context.Context) (*cache.Store, string) {
	if a.noCache {
		return nil, ""
	}
	p, err := cache.DefaultPath(a.getenv)
	if err != nil {
		return nil, "local store not used: " + err.Error() + "; set HOME or XDG_CACHE_HOME"
	}
	return a.tuiStore(ctx, p)
}

// storeWriteWait bounds how long closeTUIStore waits for the writes in flight.
const storeWriteWait = 3 * time.Second

// closeTUIStore closes the TUI's store once the panes' writes in flight are done (at most
// storeWriteWait): a page shown before it was written (the first rows of a listing) is
// still kept when the user quits at once.
func (a *app) closeTUIStore(st *cache.Store) {
	a.writes.wait(storeWriteWait)
	_ = st.Close()
}

// tuiSink is the store as the panes' pane.Sink: it counts the writes of conversations in
// flight (writes) so that closeTUIStore waits for them.
type tuiSink struct {
	*cache.Store
	writes *writeCount
}

// PutConversations writes cs to the store, counted in flight.
func (s tuiSink) PutConversations(ctx context.Context, source string, cs []client.Conversation) error {
	s.writes.add(1)
	defer s.writes.add(-1)
	return s.Store.PutConversations(ctx, source, cs)
}

// Begin marks a write in flight until the func it returns is called (pane.WriteTracker): the
// pane calls it when it makes the Cmd that writes, and around a page written source by
// source, so the count never drops to 0 between the parts of one write.
func (s tuiSink) Begin() (end func()) {
	s.writes.add(1)
	var once sync.Once
	return func() { once.Do(func() { s.writes.add(-1) }) }
}

// writeCount counts writes in flight; its zero value is ready.
type writeCount struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to 0 (nil while none was in flight)
}

func (w *writeCount) add(d int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == 0 && d > 0 {
		w.idle = make(chan struct{})
	}
	w.n += d
	if w.n == 0 && w.idle != nil {
		close(w.idle)
		w.idle = nil
	}
}

// wait returns once no write is in flight, or after d.
func (w *writeCount) wait(d time.Duration) {
	w.mu.Lock()
	idle := w.idle
	w.mu.Unlock()
	if idle == nil {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	}
}

// demoStorePath is the demo's store: beside confab.db, one file per corpus (seed, hostile).
func demoStorePath(getenv func(string) string, seed int64, hostile bool) (string, error) {
	p, err := cache.DefaultPath(getenv)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("demo-seed%d.db", seed)
	if hostile {
		name = fmt.Sprintf("demo-seed%d-hostile.db", seed)
	}
	return filepath.Join(filepath.Dir(p), name), nil
}

// localOf is the pane.Local of source name (kind) over st: the store as both reader and
// sink, Synced from the source's sync watermark for filter (zero when never synced).
func (a *app) localOf(ctx context.Context, st *cache.Store, name, kind, filter string) *pane.Local {
	if st == nil {
		return nil
	}
	l := &pane.Local{Stored: cache.NewSource(st, name, kind), Sink: tuiSink{st, &a.writes}, Offline: a.offline}
	if v, ok := a.vendor(kind); ok && v.FilterSpec != nil {
		l.Spec = v.FilterSpec(a.now) // a time-window filter (since:28d) lists from the store too
	}
	if mark, ok, err := st.Watermark(ctx, name, filter); err == nil && ok {
		l.Synced = mark
	}
	return l
}

// offlineTab is the tab of source name under --offline: the store is its only source, so
// no vendor (nor any credential) is ever asked.
func offlineTab(tab tui.Tab, local *pane.Local) tui.Tab {
	tab.Local = local
	if local == nil {
		tab.Err = fmt.Errorf("--offline: the local store could not be opened, so %s has nothing to show; leave out --offline", tab.Name)
		return tab
	}
	tab.Source = local.Stored
	return tab
}

// offlineStoreError is the error of --offline when the TUI has no store to read.
func (a *app) offlineStoreError(warning string) error {
	if a.noCache {
		return &exitError{code: exitUsage, what: "--offline with --no-cache: the TUI has nothing to read",
			hint: "leave out one of them"}
	}
	return &exitError{code: exitFailure, what: "--offline: " + warning, hint: "leave out --offline to read the vendors live"}
}

// waitSource is a client.Source whose client is built once the mock vendors have started:
// the demo's TUI opens on the stored rows at once while the mock corpus is generated. Its
// name, kind, filter language and order come from a client built for the same source ahead
// (no I/O); every request waits for the real one, honouring its context.
type waitSource struct {
	// asked, when set, is signalled by the first request to any waitSource sharing it.
	asked *askSignal
	shape client.Source // the same kind of client, built ahead, never asked anything
	ready chan struct{}
	src   client.Source // set before ready is closed
	err   error         // set before ready is closed: the mock or the client failed
}

func (w *waitSource) wait(ctx context.Context) (client.Source, error) {
	if w.asked != nil {
		w.asked.once.Do(func() { close(w.asked.ch) })
	}
	select {
	case <-w.ready:
		return w.src, w.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// askSignal's ch is closed by the first request to any of the waitSources sharing it.
type askSignal struct {
	once sync.Once
	ch   chan struct{}
}

// resolve makes the source ready with src, or with err.
func (w *waitSource) resolve(src client.Source, err error) {
	w.src, w.err = src, err
	close(w.ready)
}

func (w *waitSource) Name() string                  { return w.shape.Name() }
func (w *waitSource) Kind() string                  { return w.shape.Kind() }
func (w *waitSource) FilterSpec() client.FilterSpec { return w.shape.FilterSpec() }

// Orders is the order support of the client built ahead.
func (w *waitSource) Orders() bool {
	o, ok := w.shape.(interface{ Orders() bool })
	return ok && o.Orders()
}

func (w *waitSource) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	src, err := w.wait(ctx)
	if err != nil {
		return client.Page{}, err
	}
	return src.Conversations(ctx, q, cursor)
}

func (w *waitSource) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	src, err := w.wait(ctx)
	if err != nil {
		return nil, err
	}
	return src.Thread(ctx, c)
}

func (w *waitSource) Conversation(ctx context.Context, id string) (client.Conversation, error) {
	src, err := w.wait(ctx)
	if err != nil {
		return client.Conversation{}, err
	}
	return src.Conversation(ctx, id)
}

// waitSummarizer is a waitSource of a client that fetches summaries (Moveworks).
type waitSummarizer struct{ *waitSource }

func (w waitSummarizer) Summary(ctx context.Context, c client.Conversation) (string, error) {
	src, err := w.wait(ctx)
	if err != nil {
		return "", err
	}
	s, ok := src.(client.Summarizer)
	if !ok {
		return "", nil
	}
	return s.Summary(ctx, c)
}

// newWaitSource wraps shape's kind of client until resolve; it is a client.Summarizer when
// shape is.
func newWaitSource(shape client.Source) (*waitSource, client.Source) {
	w := &waitSource{shape: shape, ready: make(chan struct{})}
	if _, ok := shape.(client.Summarizer); ok {
		return w, waitSummarizer{w}
	}
	return w, w
}
