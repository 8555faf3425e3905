package tui

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/tui/pane"
)

// threadRequests counts the thread requests a mock vendor serves (Moveworks: the
// interactions of one conversation, $count=true; a summary asks $top=1) and how many were in
// flight at once at most.
type threadRequests struct {
	total, flying, most atomic.Int64
}

func (c *threadRequests) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/interactions") || r.URL.Query().Get("$count") != "true" {
			h.ServeHTTP(w, r)
			return
		}
		c.total.Add(1)
		n := c.flying.Add(1)
		defer c.flying.Add(-1)
		for {
			m := c.most.Load()
			if n <= m || c.most.CompareAndSwap(m, n) {
				break
			}
		}
		h.ServeHTTP(w, r)
	})
}

// slowMoveworksTab is a tab on the real Moveworks client over HTTP against the mock
// Moveworks, every response delayed by latency (mock.Faults), its thread requests counted.
func slowMoveworksTab(tb testing.TB, latency time.Duration) (Tab, *threadRequests) {
	tb.Helper()
	m := mock.NewMoveworks(mock.Options{Seed: 11, End: fixedNow, Days: 7})
	reqs := &threadRequests{}
	srv := httptest.NewServer(reqs.wrap(mock.Faults{Latency: latency}.Wrap(m, 1)))
	tb.Cleanup(srv.Close)
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		tb.Fatal(err)
	}
	return Tab{Name: "mw", Kind: moveworks.Kind, Source: src}, reqs
}

// holdFrame is what one frame (one View) showed of the thread column.
type holdFrame struct {
	keys    int       // keys handled before it
	at      time.Time // when it was made
	loading bool      // "Loading thread…"
	shown   bool      // a thread, not dimmed: the preview of the selection
}

// holdModel wraps the App in a real program and keeps what each frame showed.
type holdModel struct {
	inner  tea.Model
	mu     sync.Mutex
	keys   int
	frames []holdFrame
}

func (m *holdModel) Init() tea.Cmd { return m.inner.Init() }

func (m *holdModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.inner.Update(msg)
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.mu.Lock()
		m.keys++
		m.mu.Unlock()
	}
	return m, cmd
}

func (m *holdModel) View() tea.View {
	v := m.inner.View()
	s := v.Content
	f := holdFrame{at: time.Now(), loading: strings.Contains(s, "Loading thread…")}
	f.shown = !f.loading && strings.Contains(s, "── Detail") && !strings.Contains(s, "loading… ")
	m.mu.Lock()
	f.keys = m.keys
	m.frames = append(m.frames, f)
	m.mu.Unlock()
	return v
}

// since is the frames made after the first i.
func (m *holdModel) since(i int) []holdFrame {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]holdFrame(nil), m.frames[min(i, len(m.frames)):]...)
}

func (m *holdModel) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.frames)
}

// holdResult is what holding j over a slow vendor showed.
type holdResult struct {
	loadingFrames int           // frames showing "Loading thread…" after the first preview
	frames        int           // frames while j was held
	toPreview     time.Duration // from the last key to the frame showing its row's preview (-1: none)
	during        int64         // thread requests started while j was held
	most          int64         // thread requests in flight at once at most, over the whole run
}

// holdJ runs the App on a Moveworks tab whose every response takes latency, through a real
// tea.Program at 200x50 (real timers): it waits for the first preview and its prefetches,
// holds j for keys keys (one every interval, as a key repeat does), then waits for the
// preview of the row it stopped on.
func holdJ(tb testing.TB, latency time.Duration, keys int, interval time.Duration) holdResult {
	tb.Helper()
	tab, reqs := slowMoveworksTab(tb, latency)
	d := testDeps(tab)
	d.tick = nil // real timers, as in the program
	a := New(d)
	defer a.close()
	hm := &holdModel{inner: a}
	ctx, cancel := context.WithCancel(tb.Context())
	defer cancel()
	p := tea.NewProgram(hm, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithWindowSize(200, 50), tea.WithFPS(120), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	defer func() {
		p.Quit()
		<-done
	}()

	wait := func(what string, cond func() bool) {
		tb.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				tb.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	wait("the first preview", func() bool {
		for _, f := range hm.since(0) {
			if f.shown {
				return true
			}
		}
		return false
	})
	// The first preview's prefetches land.
	quiet := func() bool { return reqs.flying.Load() == 0 }
	wait("the prefetches", quiet)
	time.Sleep(3 * latency)
	wait("the prefetches", quiet)

	from, before := hm.count(), reqs.total.Load()
	tick := time.NewTicker(interval)
	for range keys {
		p.Send(press("j"))
		<-tick.C
	}
	tick.Stop()
	stop := time.Now().Add(-interval) // the last key was sent an interval ago: measure from it
	var res holdResult
	res.during = reqs.total.Load() - before
	res.toPreview = -1
	wait("the preview of the row stopped on", func() bool {
		for _, f := range hm.since(from) {
			if f.keys == keys && f.shown {
				res.toPreview = f.at.Sub(stop)
				return true
			}
		}
		return false
	})
	for _, f := range hm.since(from) {
		if f.keys < keys {
			res.frames++
			if f.loading {
				res.loadingFrames++
			}
		}
	}
	res.most = reqs.most.Load()
	return res
}

// TestHoldJOverSlowVendor: holding j over a vendor that answers in 100 ms never shows
// "Loading thread…" once a preview was shown (the last one stays, dimmed; the prefetched
// rows show at once), the row stopped on shows its preview, and prefetching keeps at most
// 1 + DefaultMaxPrefetch thread requests in flight (counted on the server). How soon the
// preview shows, and how few requests holding j makes, depend on the machine's load: they
// are logged here and measured by BenchmarkPreviewHoldJ (docs/PERFORMANCE.md), not asserted.
func TestHoldJOverSlowVendor(t *testing.T) {
	if testing.Short() {
		t.Skip("real time")
	}
	const latency, keys, interval = 100 * time.Millisecond, 15, 33 * time.Millisecond
	r := holdJ(t, latency, keys, interval) // fails if the stopped row's preview never shows
	t.Logf("%d frames while j was held, %d with Loading thread…; preview %v after the last key; %d thread requests while held, %d in flight at most",
		r.frames, r.loadingFrames, r.toPreview, r.during, r.most)
	if r.loadingFrames > 0 {
		t.Errorf("%d of %d frames showed Loading thread… while j was held", r.loadingFrames, r.frames)
	}
	if r.most > 1+pane.DefaultMaxPrefetch {
		t.Errorf("%d thread requests in flight at once, want ≤ %d (the preview and the prefetches)", r.most, 1+pane.DefaultMaxPrefetch)
	}
	if r.toPreview < 0 {
		t.Errorf("the row stopped on never showed its preview")
	}
}

// BenchmarkPreviewHoldJ measures holding j (15 keys, one every 33 ms) over a vendor that
// answers in 100 ms, through a real program: the frames showing "Loading thread…" while j
// is held (loading-frames/hold) and the time from the last key to its row's preview
// (ms-to-preview).
func BenchmarkPreviewHoldJ(b *testing.B) {
	var loading, frames int
	var wait time.Duration
	n := 0
	for b.Loop() {
		r := holdJ(b, 100*time.Millisecond, 15, 33*time.Millisecond)
		loading += r.loadingFrames
		frames += r.frames
		wait += r.toPreview
		n++
	}
	b.ReportMetric(float64(loading)/float64(n), "loading-frames/hold")
	b.ReportMetric(float64(frames)/float64(n), "frames/hold")
	b.ReportMetric(float64(wait.Milliseconds())/float64(n), "ms-to-preview")
}
