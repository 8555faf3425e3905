package pane

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// openStore opens a real SQLite store in a temp dir holding convs (stored as "fake").
func openStore(t *testing.T, convs []client.Conversation) (*cache.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "confab.db")
	st, err := cache.Open(t.Context(), path, cache.WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if len(convs) > 0 {
		if err := st.PutConversations(t.Context(), "fake", convs); err != nil {
			t.Fatal(err)
		}
	}
	return st, path
}

// corpus is every conversation of src, newest first.
func corpus(t *testing.T, src *fake.Source) []client.Conversation {
	t.Helper()
	page, err := src.Conversations(t.Context(), client.Query{PageSize: 100000}, "")
	if err != nil {
		t.Fatal(err)
	}
	return page.Conversations
}

// newLocalPane is a pane on live, cache-first over st.
func newLocalPane(t *testing.T, live client.Source, st *cache.Store, local func(*Local)) *Pane {
	t.Helper()
	return newTestPane(t, live, 120, 30, 120, func(cfg *Config) {
		cfg.Local = &Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: st}
		if local != nil {
			local(cfg.Local)
		}
	})
}

// gate blocks the live source's requests whose call starts with prefix until released.
type gate struct {
	prefix string
	ch     chan struct{}
	once   sync.Once
	mu     sync.Mutex
	hits   int
}

func newGate(t *testing.T, src *fake.Source, prefix string) *gate {
	g := &gate{prefix: prefix, ch: make(chan struct{})}
	src.Before = func(ctx context.Context, call string) {
		if !strings.HasPrefix(call, g.prefix) {
			return
		}
		g.mu.Lock()
		g.hits++
		g.mu.Unlock()
		select {
		case <-g.ch:
		case <-ctx.Done():
		}
	}
	t.Cleanup(g.release)
	return g
}

func (g *gate) release() { g.once.Do(func() { close(g.ch) }) }

func (g *gate) waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.hits
}

// driver runs a pane's Cmds concurrently, as Bubble Tea does, and feeds their messages back
// on the test's goroutine: a blocked request blocks only itself.
type driver struct {
	t    *testing.T
	p    *Pane
	msgs chan tea.Msg
	out  []tea.Msg // messages for the root
}

func newDriver(t *testing.T, p *Pane) *driver {
	return &driver{t: t, p: p, msgs: make(chan tea.Msg, 4096)}
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd != nil {
		go func() { d.msgs <- cmd() }()
	}
}

func (d *driver) send(msgs ...tea.Msg) {
	for _, m := range msgs {
		_, cmd := d.p.Update(m)
		d.run(cmd)
	}
}

func (d *driver) handle(msg tea.Msg) {
	requireMsg(d.t, msg)
	switch m := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			d.run(c)
		}
	case Routed:
		_, cmd := d.p.Update(m)
		d.run(cmd)
	default:
		d.out = append(d.out, m)
	}
}

// until handles messages until cond holds; it fails after a generous timeout (a hang, not
// a result).
func (d *driver) until(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(20 * time.Second)
	poll := time.NewTicker(time.Millisecond) // cond may hold with every Cmd blocked
	defer poll.Stop()
	for !cond() {
		select {
		case m := <-d.msgs:
			d.handle(m)
		case <-poll.C:
		case <-deadline:
			d.t.Fatalf("timed out waiting for %s; view:\n%s", what, d.p.View())
		}
	}
}

func TestLocalStoredRowsBeforeLive(t *testing.T) {
	live := fake.New("fake", 120, 1)
	st, _ := openStore(t, corpus(t, live)[10:])
	g := newGate(t, live, "page:")
	p := newLocalPane(t, live, st, nil)
	d := newDriver(t, p)
	d.run(p.Init())
	d.until("the stored rows", func() bool { return p.Len() > 0 })
	d.until("the refresh to reach the vendor", func() bool { return g.waiting() > 0 })
	if p.ls.items.ID(0) != "conv-000010" {
		t.Errorf("first row %s, want the newest stored conv-000010", p.ls.items.ID(0))
	}
	requireView(t, p, "100 of 110 loaded")
	if got := p.SyncMark(); got != "syncing…" {
		t.Errorf("SyncMark = %q while the vendor has not answered, want syncing…", got)
	}
	if got := p.Title(); got != "110" {
		t.Errorf("Title = %q, want the stored total 110", got)
	}
}

func TestLocalRefreshKeepsCursor(t *testing.T) {
	live := fake.New("fake", 120, 1)
	st, _ := openStore(t, corpus(t, live)[5:])
	g := newGate(t, live, "page:")
	p := newLocalPane(t, live, st, func(l *Local) { l.Synced = fixedNow.Add(-3 * time.Hour) })
	d := newDriver(t, p)
	d.run(p.Init())
	d.until("the stored rows", func() bool { return p.Len() > 0 && g.waiting() > 0 })
	d.send(keys("j", "j", "j")...)
	sel, _ := p.ls.selected()
	if sel.ID != "conv-000008" {
		t.Fatalf("selected %s, want conv-000008", sel.ID)
	}
	screen := p.ls.cursor - p.ls.offset
	g.release()
	d.until("the refresh and the re-read", func() bool { return strings.HasPrefix(p.SyncMark(), "synced") && p.ls.items.ID(0) == "conv-000000" })
	if got, _ := p.ls.selected(); got.ID != sel.ID {
		t.Errorf("after the refresh %s is selected, want %s (the cursor stays)", got.ID, sel.ID)
	}
	if got := p.ls.cursor - p.ls.offset; got != screen {
		t.Errorf("the selection moved on screen: row %d, want %d", got, screen)
	}
	if got := p.SyncMark(); got != "synced just now" {
		t.Errorf("SyncMark = %q, want synced just now", got)
	}
	n, err := st.Count(t.Context(), "fake")
	if err != nil || n != 120 {
		t.Errorf("stored %d rows (%v), want 120 after the refresh wrote the new ones", n, err)
	}
}

func TestLocalRefreshStopsAtStoredRows(t *testing.T) {
	live := fake.New("fake", 500, 1)
	st, _ := openStore(t, corpus(t, fake.New("fake", 500, 1))[60:])
	p := newLocalPane(t, live, st, nil)
	drain(t, p, p.Init())
	// Page 1 (0-49) is new, page 2 (50-99) reaches stored rows: two pages, not ten.
	var pages int
	for _, c := range live.Calls() {
		if strings.HasPrefix(c, "page:") {
			pages++
		}
	}
	if pages != 2 {
		t.Errorf("the refresh made %d page requests (%v), want 2", pages, live.Calls())
	}
	if p.ls.items.ID(0) != "conv-000000" {
		t.Errorf("first row %s after the refresh, want conv-000000", p.ls.items.ID(0))
	}
}

func TestLocalRefreshFailureKeepsRows(t *testing.T) {
	live := fake.New("fake", 120, 1)
	st, _ := openStore(t, corpus(t, live))
	live.FailOnce("", client.ErrUnavailable)
	p := newLocalPane(t, live, st, nil)
	drain(t, p, p.Init())
	if p.Len() != 100 {
		t.Errorf("%d rows, want the first stored page of 100", p.Len())
	}
	if got := p.SyncMark(); !strings.HasPrefix(got, "offline · vendor unreachable: ") {
		t.Errorf("SyncMark = %q, want offline · vendor unreachable: …", got)
	}
}

func TestLocalWriteThrough(t *testing.T) {
	tests := []struct {
		name   string
		filter string
		want   int // conversations stored after the first page
	}{
		{"an empty store goes on live", "", 50},
		{"a vendor filter runs live", "VPN", 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live := fake.New("fake", 120, 1)
			st, path := openStore(t, nil)
			p := newLocalPane(t, live, st, nil)
			p.cfg.Query.Filter = tt.filter
			drain(t, p, p.Init())
			if p.Len() == 0 {
				t.Fatalf("no rows:\n%s", p.View())
			}
			if got := p.SyncMark(); got != "synced just now" {
				t.Errorf("SyncMark = %q after the live pages, want synced just now", got)
			}
			sel, _ := p.ls.selected()
			send(t, p, press("enter"))
			if !p.thr.loaded(sel.ID) {
				t.Fatalf("the thread of %s did not open:\n%s", sel.ID, p.View())
			}
			st.Close()
			re, err := cache.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer re.Close()
			if n, err := re.Count(t.Context(), "fake"); err != nil || n != tt.want {
				t.Errorf("stored %d conversations (%v), want %d", n, err, tt.want)
			}
			items, err := re.Thread(t.Context(), "fake", sel.ID)
			if err != nil || len(items) != len(fake.Thread(sel)) {
				t.Errorf("stored thread: %d interactions (%v), want %d", len(items), err, len(fake.Thread(sel)))
			}
		})
	}
}

// forbidden is a live source that fails the test when it is asked anything.
type forbidden struct {
	t *testing.T
	*fake.Source
}

func (f forbidden) Conversations(context.Context, client.Query, string) (client.Page, error) {
	f.t.Error("offline: the live source was asked for a page")
	return client.Page{}, errors.New("forbidden")
}

func (f forbidden) Thread(context.Context, client.Conversation) ([]client.Interaction, error) {
	f.t.Error("offline: the live source was asked for a thread")
	return nil, errors.New("forbidden")
}

func (f forbidden) Summary(context.Context, client.Conversation) (string, error) {
	f.t.Error("offline: the live source was asked for a summary")
	return "", errors.New("forbidden")
}

func TestLocalOfflineNeverCallsLive(t *testing.T) {
	src := fake.New("fake", 300, 1)
	convs := corpus(t, src)
	for i := range convs {
		convs[i].Summary = "" // a Summarizer would be asked for these
	}
	st, _ := openStore(t, convs)
	if err := st.PutThread(t.Context(), "fake", convs[1].ID, fake.Thread(convs[1])); err != nil {
		t.Fatal(err)
	}
	p := newTestPane(t, forbidden{t, src}, 120, 30, 60, func(cfg *Config) {
		cfg.Local = &Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: st, Offline: true}
	})
	drain(t, p, p.Init())
	if p.Len() != 100 {
		t.Fatalf("%d rows, want a stored page of 100", p.Len())
	}
	if got := p.SyncMark(); got != "offline" {
		t.Errorf("SyncMark = %q, want offline", got)
	}
	// The first row's thread is not stored; the second's is.
	requireView(t, p, "not in the local store — run confab sync --threads", "press r once it is synced")
	if strings.Contains(p.View(), "press r to retry") {
		t.Errorf("offline, an unstored thread offers a retry that can only read the store again:\n%s", p.View())
	}
	send(t, p, press("j"))
	if !p.thr.loaded(convs[1].ID) {
		t.Errorf("the stored thread of %s is not shown:\n%s", convs[1].ID, p.View())
	}
	// G pages through the store to its end, never live.
	for range 5 {
		send(t, p, press("G"))
	}
	if p.Len() != 300 || p.ls.hasMore() {
		t.Errorf("%d rows (more: %v), want the 300 stored and no more", p.Len(), p.ls.hasMore())
	}
	// The filter bar refuses a vendor filter.
	send(t, p, press("f"))
	send(t, p, typed("VPN")...)
	requireView(t, p, "cannot run on the local store")
	if p.Filter() != "" {
		t.Errorf("filter %q applied offline", p.Filter())
	}
}

func TestLocalStoredThreadAtOnce(t *testing.T) {
	live := fake.New("fake", 60, 1)
	convs := corpus(t, live)
	st, _ := openStore(t, convs)
	stored := fake.Thread(convs[0])
	stored[0].Text = "the stored version"
	if err := st.PutThread(t.Context(), "fake", convs[0].ID, stored); err != nil {
		t.Fatal(err)
	}
	g := newGate(t, live, "thread:")
	p := newLocalPane(t, live, st, nil)
	d := newDriver(t, p)
	d.run(p.Init())
	d.until("the stored rows", func() bool { return p.Len() > 0 })
	d.send(press("enter"))
	d.until("the stored thread", func() bool { return p.thr.loaded(convs[0].ID) })
	requireView(t, p, "the stored version")
	d.until("the live refresh of the thread", func() bool { return g.waiting() > 0 })
	d.send(press("j"))
	cur := p.thr.view.Cursor()
	g.release()
	d.until("the live thread", func() bool { return !strings.Contains(p.View(), "the stored version") })
	requireView(t, p, convs[0].Summary)
	if got := p.thr.view.Cursor(); got != cur {
		t.Errorf("thread cursor %d after the live refresh, want %d", got, cur)
	}
}

// brokenSink is a store that cannot write.
type brokenSink struct{}

func (brokenSink) PutConversations(context.Context, string, []client.Conversation) error {
	return errors.New("disk full")
}

func (brokenSink) PutThread(context.Context, string, string, []client.Interaction) error {
	return errors.New("disk full")
}

func TestLocalStoreErrorsOneLine(t *testing.T) {
	live := fake.New("fake", 200, 1)
	st, _ := openStore(t, nil)
	p := newLocalPane(t, live, st, func(l *Local) { l.Sink = brokenSink{} })
	out := drain(t, p, p.Init())
	out = append(out, send(t, p, press("G"), press("enter"))...)
	if p.Len() != 200 {
		t.Errorf("%d rows, want the 200 loaded live despite the store", p.Len())
	}
	var lines []string
	for _, n := range notices(out) {
		if strings.Contains(n, "disk full") {
			lines = append(lines, n)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "local store") {
		t.Errorf("store errors reported as %q, want one line naming the local store", lines)
	}
}

func TestLocalPaneWithoutStoreUnchanged(t *testing.T) {
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 120, nil)
	drain(t, p, p.Init())
	if got := p.SyncMark(); got != "" {
		t.Errorf("SyncMark = %q without a store, want none", got)
	}
	if got := src.Calls(); len(got) != 1 || got[0] != "page:" {
		t.Errorf("calls %v, want the one first page", got)
	}
}

func TestAgo(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Second, "just now"},
		{2 * time.Minute, "2 min ago"},
		{3 * time.Hour, "3 h ago"},
		{50 * time.Hour, "2 days ago"},
	}
	for _, tt := range tests {
		if got := ago(tt.d); got != tt.want {
			t.Errorf("ago(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestLocalLiveTailPastStoredRows(t *testing.T) {
	live := fake.New("fake", 120, 1)
	st, _ := openStore(t, corpus(t, fake.New("fake", 120, 1))[:30])
	p := newLocalPane(t, live, st, nil)
	drain(t, p, p.Init())
	for range 5 {
		send(t, p, press("G"))
	}
	if p.Len() != 120 || p.ls.hasMore() {
		t.Fatalf("%d rows (more: %v), want the vendor's 120", p.Len(), p.ls.hasMore())
	}
	for i, c := range loadedRows(p) {
		if want := fmt.Sprintf("conv-%06d", i); c.ID != want {
			t.Fatalf("row %d is %s, want %s (no repeats, newest first)", i, c.ID, want)
		}
	}
	if n, err := st.Count(t.Context(), "fake"); err != nil || n != 120 {
		t.Errorf("stored %d (%v), want all 120 written through", n, err)
	}
}

// windowSpec is a filter language whose since:RFC3339 alone is a time window.
type windowSpec struct{ client.FilterSpec }

func (windowSpec) Window(text string, _ time.Time) (since, until time.Time, ok bool) {
	v, found := strings.CutPrefix(text, "since:")
	if !found {
		return time.Time{}, time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	return t, time.Time{}, err == nil
}

// TestLocalWindowFilterFromStore: a filter that is only a time window (Talkdesk's since:28d)
// lists from the store, offline too, and only the rows in the window; any other filter is
// refused offline.
func TestLocalWindowFilterFromStore(t *testing.T) {
	src := fake.New("fake", 300, 1)
	convs := corpus(t, src)
	st, _ := openStore(t, convs)
	cut := convs[49].Started // newest first: 50 rows at or after it (the fake spaces them apart)
	filter := "since:" + cut.Format(time.RFC3339Nano)
	p := newTestPane(t, forbidden{t, src}, 120, 30, 60, func(cfg *Config) {
		cfg.Query.Filter = filter
		cfg.Local = &Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: st, Offline: true,
			Spec: windowSpec{src.FilterSpec()}}
	})
	drain(t, p, p.Init())
	for range 3 {
		send(t, p, press("G"))
	}
	if p.Len() != 50 || p.ls.err != nil {
		t.Fatalf("%d rows (err %v), want the 50 stored since %s", p.Len(), p.ls.err, cut)
	}
	for _, c := range loadedRows(p) {
		if c.Started.Before(cut) {
			t.Fatalf("row %s started %s, before the window", c.ID, c.Started)
		}
	}
	// Offline, the bar takes a window but not a condition.
	send(t, p, press("f"))
	send(t, p, typed(" x")...)
	requireView(t, p, "cannot run on the local store")
}

// TestStoredThenLive: the thread request's and the prefetch's shared body reads the store
// first, else the vendor (written through), else says the thread is not stored.
func TestStoredThenLive(t *testing.T) {
	live := fake.New("fake", 10, 1)
	convs := corpus(t, live)
	st, _ := openStore(t, convs)
	if err := st.PutThread(t.Context(), "fake", convs[0].ID, fake.Thread(convs[0])); err != nil {
		t.Fatal(err)
	}
	stored := cache.NewSource(st, "fake", "fake")
	var calls []string
	live.Before = func(_ context.Context, call string) { calls = append(calls, call) }
	tests := []struct {
		name       string
		c          client.Conversation
		live       client.Source
		wantStored bool
		wantErr    error
		wantCalls  int
	}{
		{"stored", convs[0], live, true, nil, 0},
		{"not stored: live, written through", convs[1], live, false, nil, 1},
		{"not stored, offline", convs[2], nil, false, errThreadNotStored, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = nil
			msg := storedThenLive(t.Context(), stored, tt.live, st, "fake", tt.c)
			if !errors.Is(msg.err, tt.wantErr) || msg.stored != tt.wantStored || len(calls) != tt.wantCalls {
				t.Fatalf("err %v stored %v vendor calls %q; want %v %v %d", msg.err, msg.stored, calls,
					tt.wantErr, tt.wantStored, tt.wantCalls)
			}
			if tt.wantErr == nil && len(msg.items) != len(fake.Thread(tt.c)) {
				t.Fatalf("%d items, want %d", len(msg.items), len(fake.Thread(tt.c)))
			}
			if tt.live != nil && !tt.wantStored {
				again := storedThenLive(t.Context(), stored, nil, nil, "fake", tt.c)
				if !again.stored {
					t.Fatalf("the live thread was not written through: %v", again.err)
				}
			}
		})
	}
}

// TestThreadSources: a thread's Cmd reads the store only with one, the vendor only when not
// offline, and writes through to the store under its name.
func TestThreadSources(t *testing.T) {
	st, _ := openStore(t, nil)
	tests := []struct {
		name                 string
		local                bool
		offline              bool
		wantStored, wantLive bool
		wantSink             bool
		wantName             string
	}{
		{"no store", false, false, false, true, false, "fake"},
		{"store", true, false, true, true, true, "fake"},
		{"store, offline", true, true, true, false, true, "fake"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live := fake.New("fake", 5, 1)
			var p *Pane
			if tt.local {
				p = newLocalPane(t, live, st, func(l *Local) { l.Offline = tt.offline })
			} else {
				p = newTestPane(t, live, 120, 30, 120, nil)
			}
			stored, src, sink, name := p.threadSources()
			if (stored != nil) != tt.wantStored || (src != nil) != tt.wantLive || (sink != nil) != tt.wantSink ||
				name != tt.wantName {
				t.Fatalf("stored %v live %v sink %v name %q; want %v %v %v %q", stored != nil, src != nil,
					sink != nil, name, tt.wantStored, tt.wantLive, tt.wantSink, tt.wantName)
			}
		})
	}
}

// TestErrorLinesRetry: the full-pane error offers r only where r can help: "press r to retry"
// for a failure that may pass, "once it is synced" for a thread the store lacks offline (r
// reads the store again), nothing for a vendor filter offline (r would fail the same way).
func TestErrorLinesRetry(t *testing.T) {
	p := &Pane{}
	tests := []struct {
		name string
		err  error
		want string // the last line ("": no retry line)
	}{
		{"a vendor failure", errors.New("503 Service Unavailable"), "press r to retry"},
		{"a thread not stored, offline", errThreadNotStored, "press r once it is synced"},
		{"a vendor filter, offline", errFilterOffline, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := p.errorLines("Could not load", tt.err)
			var last string
			for _, l := range lines {
				if strings.HasPrefix(l.text, "press r") {
					last = l.text
				}
			}
			if last != tt.want {
				t.Errorf("retry line %q, want %q", last, tt.want)
			}
		})
	}
}
