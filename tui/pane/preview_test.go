package pane

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// TestPreviewInTheFrameOfTheKey: the thread of a row the local store holds, or whose thread
// was prefetched, shows in the frame of the key that selects the row (before any Cmd runs);
// a row with neither keeps the last preview on screen, dimmed, "loading…" in the title;
// "Loading thread…" shows only when no preview was shown before.
func TestPreviewInTheFrameOfTheKey(t *testing.T) {
	const marker = "the stored thread of row 5"
	tests := []struct {
		name   string
		local  bool   // cache-first over a store holding row 5's thread
		noLRU  bool   // no cache of built threads (Config.ThreadCache < 0)
		moves  int    // rows moved (drained) before the key
		key    string // the key whose frame is checked
		row    int    // the row it selects
		ready  bool   // the row's thread shows in that frame
		want   []string
		lacks  []string
		before bool // check the frame before the first preview ever showed
	}{
		{name: "a stored thread", local: true, moves: 4, key: "j", row: 5, ready: true,
			want: []string{marker}, lacks: []string{"Loading thread…", loadingMark}},
		{name: "a stored thread, no cache", local: true, noLRU: true, moves: 4, key: "j", row: 5, ready: true,
			want: []string{marker}, lacks: []string{"Loading thread…", loadingMark}},
		{name: "a prefetched neighbour", key: "j", row: 1, ready: true,
			want: []string{"[orphan]"}, lacks: []string{"Loading thread…", loadingMark}},
		{name: "neither: the last preview, dimmed", key: "pgdown", row: 27,
			want: []string{loadingMark, "[orphan]"}, lacks: []string{"Loading thread…"}},
		{name: "nothing before: Loading thread…", before: true,
			want: []string{"Loading thread…"}, lacks: []string{loadingMark}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live := fake.New("fake", 60, 1)
			var p *Pane
			if tt.local {
				convs := corpus(t, live)
				st, _ := openStore(t, convs)
				items := fake.Thread(convs[5])
				items[0].Text = marker
				if err := st.PutThread(t.Context(), "fake", convs[5].ID, items); err != nil {
					t.Fatal(err)
				}
				p = newTestPane(t, live, 120, 30, 60, func(cfg *Config) {
					cfg.Local = &Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: st}
					cfg.PrefetchRows = -1 // the store read, not a prefetch, shows it
					if tt.noLRU {
						cfg.ThreadCache = -1
					}
				})
			} else {
				p = newTestPane(t, live, 120, 30, 60, nil)
			}
			if tt.before {
				_, cmd := p.Update(collect(t, p.Init())[0]) // the first page; its preview's timer not run
				_ = cmd
				requireView(t, p, tt.want...)
				requireLacksView(t, p, tt.lacks...)
				return
			}
			drain(t, p, p.Init())
			if !p.thr.loaded(p.ls.items.ID(0)) {
				t.Fatalf("the first preview did not load: %s", p.View())
			}
			for range tt.moves {
				send(t, p, press("j"))
			}
			p.Update(press(tt.key)) // its Cmds are not run: this is the key's own frame
			if got, want := p.ls.cursor, tt.row; got != want {
				t.Fatalf("cursor %d, want %d", got, want)
			}
			if got := p.thr.loaded(p.ls.items.ID(tt.row)); got != tt.ready {
				t.Errorf("the row's thread shown: %v, want %v", got, tt.ready)
			}
			requireView(t, p, tt.want...)
			requireLacksView(t, p, tt.lacks...)
		})
	}
}

// requireLacksView fails if the pane's view holds any of lacks.
func requireLacksView(t testing.TB, p *Pane, lacks ...string) {
	t.Helper()
	v := p.View()
	for _, l := range lacks {
		if strings.Contains(v, l) {
			t.Fatalf("the view holds %q:\n%s", l, v)
		}
	}
}

// previewTicks counts the preview timers a pane arms through its Tick (every other tick
// fires at once too, uncounted).
type previewTicks struct{ n int }

func (c *previewTicks) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if _, ok := fn(fixedNow).(previewMsg); ok {
		c.n++
	}
	return instantTick(d, fn)
}

// TestPreviewOneTimer: moves while the preview timer is pending arm no other; the timer of a
// selection left behind is re-armed for the rest of the pause instead of loading anything;
// when it fires on the settled selection, that row's thread, and only it, is requested. With
// the tests' instant tick (a fixed clock) the re-armed timer does not loop.
func TestPreviewOneTimer(t *testing.T) {
	tests := []struct {
		name  string
		moves int
		ticks int // timers armed by the moves
	}{
		{"one move", 1, 1},
		{"ten moves", 10, 1},
		{"thirty moves", 30, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 60, 1)
			ticks := &previewTicks{}
			p := newTestPane(t, src, 120, 40, 60, func(cfg *Config) {
				cfg.Tick = ticks.tick
				cfg.PrefetchRows = -1
			})
			drain(t, p, p.Init())
			ticks.n = 0
			var timers []tea.Cmd
			for range tt.moves {
				_, cmd := p.Update(press("j"))
				timers = append(timers, cmd)
			}
			if ticks.n != tt.ticks {
				t.Fatalf("%d moves armed %d preview timers, want %d", tt.moves, ticks.n, tt.ticks)
			}
			calls := len(src.Calls())
			var later []tea.Msg
			for _, m := range collect(t, tea.Batch(timers...)) {
				_, next := p.Update(m)
				later = append(later, collect(t, next)...)
			}
			wantRearm := 0
			if tt.moves > 1 {
				wantRearm = 1 // the first move's timer found the selection moved
				if got := src.Calls()[calls:]; len(got) != 0 {
					t.Fatalf("the timer of a selection left behind made requests: %v", got)
				}
			}
			send(t, p, later...)
			if ticks.n != tt.ticks+wantRearm {
				t.Errorf("%d preview timers in all, want %d", ticks.n, tt.ticks+wantRearm)
			}
			want := []string{fmt.Sprintf("thread:conv-%06d", tt.moves)}
			if got := src.Calls()[calls:]; !slices.Equal(got, want) {
				t.Errorf("requests after the pause %v, want %v", got, want)
			}
		})
	}
}

// threadGate holds the fake source's thread requests of some conversations until released,
// counting those in flight and those cancelled.
type threadGate struct {
	mu                      sync.Mutex
	hold                    func(id string) bool
	ch                      chan struct{}
	flying, most, cancelled int
	started                 []string
}

func newThreadGate(t *testing.T, src *fake.Source, hold func(id string) bool) *threadGate {
	g := &threadGate{hold: hold, ch: make(chan struct{})}
	src.Before = func(ctx context.Context, call string) {
		id, ok := strings.CutPrefix(call, "thread:")
		if !ok {
			return
		}
		g.mu.Lock()
		g.started = append(g.started, id)
		g.flying++
		g.most = max(g.most, g.flying)
		g.mu.Unlock()
		if g.hold(id) {
			select {
			case <-g.ch:
			case <-ctx.Done():
				g.mu.Lock()
				g.cancelled++
				g.mu.Unlock()
			}
		}
		g.mu.Lock()
		g.flying--
		g.mu.Unlock()
	}
	t.Cleanup(g.release)
	return g
}

func (g *threadGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.ch:
	default:
		close(g.ch)
	}
}

func (g *threadGate) get() (flying, most, cancelled int, started []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.flying, g.most, g.cancelled, slices.Clone(g.started)
}

// TestPrefetchBounded: once the selection rests, the threads of the two rows on each side
// are prefetched, at most MaxPrefetch at a time; moving far away cancels those in flight;
// a prefetch that lands starts the next, and nothing beyond the rows around the cursor is
// ever requested.
func TestPrefetchBounded(t *testing.T) {
	src := fake.New("fake", 200, 1)
	p := newTestPane(t, src, 120, 40, 60, nil)
	convs := corpus(t, src)
	row := func(i int) string { return convs[i].ID }
	settledAt := 10
	g := newThreadGate(t, src, func(id string) bool { return id != row(0) && id != row(settledAt) })
	d := newDriver(t, p)
	d.run(p.Init())
	d.until("the first preview", func() bool { return p.thr.loaded(row(0)) })
	d.until("the first prefetches", func() bool { f, _, _, _ := g.get(); return f == 2 })
	for range settledAt {
		d.send(press("j"))
	}
	// The moves dropped no prefetch yet (rows 1 and 2 are near); the selection settles on
	// row 10, its own request passes, and its neighbours wait for the two slots.
	d.until("the preview of row 10", func() bool { return p.thr.loaded(row(settledAt)) })
	time.Sleep(20 * time.Millisecond) // let a fan-out, if there were one, show
	d.until("quiet", func() bool { return len(d.msgs) == 0 })
	flying, most, _, started := g.get()
	if flying > DefaultMaxPrefetch || most > DefaultMaxPrefetch+1 {
		t.Fatalf("%d thread requests in flight (%d at most), want ≤ %d prefetches: %v", flying, most, DefaultMaxPrefetch, started)
	}
	// Far away: the prefetches in flight are cancelled.
	d.send(press("pgdown"), press("pgdown"))
	d.until("the far prefetches cancelled", func() bool { _, _, c, _ := g.get(); return c >= 2 })
	g.release()
	d.until("the preview far away", func() bool { c, ok := p.ls.selected(); return ok && p.thr.loaded(c.ID) })
	d.until("every prefetch landed", func() bool { f, _, _, _ := g.get(); return f == 0 && len(p.pf.flying) == 0 })
	_, most, _, started = g.get()
	if most > DefaultMaxPrefetch+1 {
		t.Errorf("%d thread requests in flight at once, want ≤ %d", most, DefaultMaxPrefetch+1)
	}
	near := map[string]bool{}
	for _, at := range []int{0, settledAt, p.ls.cursor} {
		for i := at - DefaultPrefetchRows; i <= at+DefaultPrefetchRows; i++ {
			if i >= 0 && i < len(convs) {
				near[row(i)] = true
			}
		}
	}
	for _, id := range started {
		if !near[id] {
			t.Errorf("the thread of %s, not near a resting selection, was requested: %v", id, started)
		}
	}
}

// TestPrefetchPausesWhenRateLimited: a prefetch answered "rate limited" stops prefetching for
// a while (no other prefetch starts at the next rest).
func TestPrefetchPausesWhenRateLimited(t *testing.T) {
	src := &limitedThreads{Source: fake.New("fake", 60, 1)}
	p := newTestPane(t, src, 120, 40, 60, nil)
	drain(t, p, p.Init()) // row 0's preview; its prefetches are rate limited
	if !p.thr.loaded(src.first()) {
		t.Fatalf("the first preview did not load")
	}
	n := src.count()
	send(t, p, keys("pgdown")...)
	if got := src.count() - n; got != 1 {
		t.Errorf("%d thread requests after a rate limit, want 1 (the preview, no prefetch)", got)
	}
}

// TestPrefetchSendsOnceWhenRateLimited: over real HTTP (the mock Moveworks on loopback), a
// prefetch the vendor answers 429 with a Retry-After is sent exactly once, not retried by
// the HTTP layer, and prefetching pauses: the rows around the next selection are not
// prefetched. The user's own request (the preview of the selected row) still retries a 429.
func TestPrefetchSendsOnceWhenRateLimited(t *testing.T) {
	srv := newLimitedServer(t)
	p := newTestPane(t, srv.src, 120, 40, 60, nil)
	drain(t, p, p.Init()) // row 0's preview (429 once, retried); its prefetches are rate limited
	reqs := srv.requests()
	if len(reqs) == 0 || !p.thr.loaded(reqs[0]) {
		t.Fatalf("the first preview did not load (thread requests %v)", reqs)
	}
	first := reqs[0]
	n := counts(reqs)
	if n[first] != 2 {
		t.Errorf("the preview sent %d requests, want 2 (a 429, then its retry)", n[first])
	}
	prefetched := 0
	for id, k := range n {
		if id == first {
			continue
		}
		prefetched++
		if k != 1 {
			t.Errorf("the prefetch of %s sent %d requests to a vendor answering 429, want 1", id, k)
		}
	}
	if prefetched == 0 {
		t.Fatalf("no row was prefetched (thread requests %v)", reqs)
	}
	srv.serveAll()
	send(t, p, keys("pgdown")...)
	after := srv.requests()[len(reqs):]
	if len(after) != 1 || !p.thr.loaded(after[0]) {
		t.Errorf("thread requests after a rate limit %v, want one: the preview, no prefetch", after)
	}
}

// limitedServer is the mock Moveworks over real HTTP, recording the thread requests by
// conversation id. Until serveAll, the first conversation asked for is answered 429 (no
// Retry-After) once and then served; every other one is answered 429 with Retry-After: 1.
type limitedServer struct {
	src  *moveworks.Source
	mu   sync.Mutex
	reqs []string
	all  bool
}

var threadFilterRe = regexp.MustCompile(`^conversation_id eq '((?:[^']|'')*)'$`)

func newLimitedServer(t *testing.T) *limitedServer {
	t.Helper()
	m := mock.NewMoveworks(mock.Options{Seed: 11, End: fixedNow, Days: 7})
	s := &limitedServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sm := threadFilterRe.FindStringSubmatch(r.URL.Query().Get("$filter")); sm != nil {
			id := strings.ReplaceAll(sm[1], "''", "'")
			s.mu.Lock()
			s.reqs = append(s.reqs, id)
			first, tries, all := s.reqs[0] == id, counts(s.reqs)[id], s.all
			s.mu.Unlock()
			if !all && (!first || tries == 1) {
				if !first {
					w.Header().Set("Retry-After", "1")
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"code":"RESOURCE_EXHAUSTED","message":"slow down"}`))
				return
			}
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	// The user's request waits out a 429 without Retry-After briefly, and gives up at a
	// second Retry-After: 1 (a prefetch retried as one would send two requests).
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{RateLimitBackoff: 10 * time.Millisecond, RateLimitWait: 1500 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	s.src = src
	return s
}

// requests are the conversation ids of the thread requests so far, in arrival order.
func (s *limitedServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// serveAll answers every thread request from now on.
func (s *limitedServer) serveAll() {
	s.mu.Lock()
	s.all = true
	s.mu.Unlock()
}

// limitedThreads answers the first thread request and rate-limits every other one.
type limitedThreads struct {
	*fake.Source
	mu    sync.Mutex
	calls []string
}

func (s *limitedThreads) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	s.mu.Lock()
	s.calls = append(s.calls, c.ID)
	n := len(s.calls)
	s.mu.Unlock()
	if n == 1 {
		return s.Source.Thread(ctx, c)
	}
	return nil, fmt.Errorf("vendor: %w", client.ErrRateLimited)
}

func (s *limitedThreads) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

func (s *limitedThreads) first() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[0]
}

// BenchmarkStoredThreadNow measures the synchronous read of a stored thread on the UI loop
// (threadNow past the cache): a stored thread of fake.Thread's size, and a row whose thread
// is not stored, over a real SQLite store of 1,000 rows.
func BenchmarkStoredThreadNow(b *testing.B) {
	live := fake.New("fake", 1000, 1)
	page, err := live.Conversations(b.Context(), client.Query{PageSize: 100000}, "")
	if err != nil {
		b.Fatal(err)
	}
	convs := page.Conversations
	st, err := cache.Open(b.Context(), b.TempDir()+"/confab.db")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.PutConversations(b.Context(), "fake", convs); err != nil {
		b.Fatal(err)
	}
	for _, c := range convs[:500] {
		if err := st.PutThread(b.Context(), "fake", c.ID, fake.Thread(c)); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		from int
	}{{"stored", 0}, {"not-stored", 500}} {
		b.Run(bc.name, func(b *testing.B) {
			p := newTestPane(b, live, 120, 40, 60, func(cfg *Config) {
				cfg.Local = &Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: st}
				cfg.ThreadCache = -1 // every read goes to the store
			})
			i := 0
			for b.Loop() {
				p.threadNow(convs[bc.from+i%500])
				i++
			}
		})
	}
}

// TestThreadCacheBounds: the cache of built threads keeps at most its number of threads and
// threadCacheItems interactions, dropping the least recently used; the most recent stays
// whatever its size.
func TestThreadCacheBounds(t *testing.T) {
	thread := func(n int) []client.Interaction { return make([]client.Interaction, n) }
	key := func(i int) threadKey { return threadKey{"fake", fmt.Sprint(i)} }
	tests := []struct {
		name  string
		max   int
		sizes []int // the threads put, in order (key i for the i-th)
		kept  []int // the keys kept
	}{
		{"under both bounds", 3, []int{1, 2, 3}, []int{0, 1, 2}},
		{"by count", 2, []int{1, 2, 3}, []int{1, 2}},
		{"by interactions", 64, []int{60_000, 30_000, 20_000}, []int{1, 2}},
		{"a huge one alone", 64, []int{10, threadCacheItems + 1}, []int{1}},
		{"none", -1, []int{1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newThreadCache(tt.max)
			for i, n := range tt.sizes {
				c.put(cachedThread{key: key(i), items: thread(n)})
			}
			var kept []int
			for i := range tt.sizes {
				if c.has(key(i)) {
					kept = append(kept, i)
				}
			}
			if !slices.Equal(kept, tt.kept) {
				t.Errorf("kept %v, want %v", kept, tt.kept)
			}
			total := 0
			for _, k := range kept {
				total += tt.sizes[k]
			}
			if c.items != total {
				t.Errorf("items %d, want %d", c.items, total)
			}
		})
	}
}
