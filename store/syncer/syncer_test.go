package syncer

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/store/cache"
)

// corpusEnd is where the mock corpus ends; the tests' clock starts an hour later.
var corpusEnd = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

const pageSize = 25

// vendor is the mock Moveworks over HTTP on loopback, counting the requests per endpoint.
type vendor struct {
	src           client.Source
	conversations atomic.Int64 // GET …/conversations
	interactions  atomic.Int64 // GET …/interactions
	total         int          // conversations in the corpus
}

func newVendor(t *testing.T, days int) *vendor {
	t.Helper()
	m := mock.NewMoveworks(mock.Options{Seed: 7, End: corpusEnd, Days: days, PageSize: pageSize})
	v := &vendor{}
	v.total, _ = m.Counts()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/conversations"):
			v.conversations.Add(1)
		case strings.HasSuffix(r.URL.Path, "/interactions"):
			v.interactions.Add(1)
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	v.src = src
	return v
}

// requests returns and resets the conversation and interaction request counts.
func (v *vendor) requests() (convs, items int64) {
	return v.conversations.Swap(0), v.interactions.Swap(0)
}

func openStore(t *testing.T) *cache.Store {
	t.Helper()
	st, err := cache.Open(context.Background(), filepath.Join(t.TempDir(), "confab.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// clockAt is a fixed clock.
func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

func count(t *testing.T, st *cache.Store) int {
	t.Helper()
	n, err := st.Count(context.Background(), "mw")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func pagesOf(n int) int64 { return int64((n + pageSize - 1) / pageSize) }

// TestRunIncremental: the first sync stores the whole corpus, one request per page; the
// second starts from the first's start less the overlap and asks for one page only.
func TestRunIncremental(t *testing.T) {
	ctx := context.Background()
	v := newVendor(t, 7)
	st := openStore(t)
	start := corpusEnd.Add(time.Hour)
	res, err := Run(ctx, Options{Store: st, Source: v.src, Now: clockAt(start)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != v.total || count(t, st) != v.total {
		t.Fatalf("first sync: %d rows, %d stored; the corpus has %d", res.Rows, count(t, st), v.total)
	}
	if c, _ := v.requests(); c != pagesOf(v.total) {
		t.Errorf("first sync: %d page requests for %d conversations, want %d", c, v.total, pagesOf(v.total))
	}
	if !res.Since.Equal(start.Add(-DefaultSince)) || res.Resumed {
		t.Errorf("first sync since %v (resumed %v), want %v", res.Since, res.Resumed, start.Add(-DefaultSince))
	}
	if mark, ok, _ := st.Watermark(ctx, "mw", ""); !ok || !mark.Equal(start) {
		t.Errorf("watermark %v %v, want %v", mark, ok, start)
	}

	later := start.Add(2 * time.Hour)
	res, err = Run(ctx, Options{Store: st, Source: v.src, Now: clockAt(later)})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := v.requests(); c != 1 {
		t.Errorf("second sync: %d page requests, want 1 (only what is new since the watermark)", c)
	}
	if !res.Since.Equal(start.Add(-Overlap)) {
		t.Errorf("second sync since %v, want the watermark less an hour %v", res.Since, start.Add(-Overlap))
	}
	if count(t, st) != v.total {
		t.Errorf("%d stored after the second sync, want %d", count(t, st), v.total)
	}
}

// TestRunResumes: a sync cancelled after a few pages keeps them; the next sync fetches the
// rest and what is new, not the pages already stored, and ends with the whole corpus; the
// one after that is incremental again (the checkpoint is cleared).
func TestRunResumes(t *testing.T) {
	for _, tc := range []struct {
		name             string
		threads, midPage bool // midPage: cancel while a page's threads are being fetched
	}{{"conversations", false, false}, {"threads", true, false}, {"threads mid-page", true, true}} {
		threads := tc.threads
		t.Run(tc.name, func(t *testing.T) {
			v := newVendor(t, 7)
			st := openStore(t)
			start := corpusEnd.Add(time.Hour)
			full := pagesOf(v.total)
			if full < 8 {
				t.Fatalf("only %d pages in the corpus", full)
			}
			const stopAfter = 4
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res, err := Run(ctx, Options{Store: st, Source: v.src, Threads: threads, Now: clockAt(start),
				Progress: func(p Progress) {
					if p.Pages == stopAfter && p.Partial == tc.midPage {
						cancel() // as ctrl+c would, between two pages
					}
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled sync: %v, want context.Canceled", err)
			}
			kept, wantPages := count(t, st), stopAfter
			if tc.midPage {
				wantPages-- // the fourth page's rows are stored, not all its threads
			}
			if res.Pages != wantPages || kept != stopAfter*pageSize {
				t.Fatalf("cancelled sync stored %d pages, %d rows; want %d pages, %d rows", res.Pages, kept, wantPages, stopAfter*pageSize)
			}
			if _, ok, _ := st.Watermark(context.Background(), "mw", ""); ok {
				t.Error("a cancelled sync set the watermark")
			}
			c1, i1 := v.requests()

			res, err = Run(context.Background(), Options{Store: st, Source: v.src, Threads: threads, Now: clockAt(start.Add(time.Minute))})
			if err != nil {
				t.Fatal(err)
			}
			c2, i2 := v.requests()
			if !res.Resumed {
				t.Error("the second sync did not resume")
			}
			// The rest of the pages, one for the new part on top, at most one at the edge (and
			// the page whose threads were cut short, again).
			done := int64(wantPages)
			if c2 > full-done+2 {
				t.Errorf("resumed sync: %d page requests; the walk has %d, %d were stored: it fetched covered pages again", c2, full, done)
			}
			if c1+c2 > full+2+int64(stopAfter-wantPages) {
				t.Errorf("cancelled + resumed: %d page requests, a whole sync takes %d", c1+c2, full)
			}
			if threads && i1+i2 > int64(v.total)+2*pageSize {
				t.Errorf("cancelled + resumed: %d thread requests for %d conversations", i1+i2, v.total)
			}
			if n := count(t, st); n != v.total {
				t.Errorf("after resuming %d stored, the corpus has %d", n, v.total)
			}
			if threads {
				cs, err := st.Conversations(context.Background(), cache.ListQuery{Sources: []string{"mw"}, Limit: cache.MaxLimit})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cs {
					if items, err := st.Thread(context.Background(), "mw", c.ID); err != nil || len(items) == 0 {
						t.Errorf("conversation %s: no thread after resuming (%v)", c.ID, err)
					}
				}
			}
			if !res.Since.Equal(start.Add(-DefaultSince)) {
				t.Errorf("resumed sync since %v, want the interrupted one's %v", res.Since, start.Add(-DefaultSince))
			}

			if _, err := Run(context.Background(), Options{Store: st, Source: v.src, Threads: threads, Now: clockAt(start.Add(2 * time.Minute))}); err != nil {
				t.Fatal(err)
			}
			if c3, _ := v.requests(); c3 != 1 {
				t.Errorf("third sync: %d page requests, want 1: the checkpoint was not cleared", c3)
			}
		})
	}
}

// TestRunKilledByVendor: a sync that fails mid-way (the vendor starts failing, as a killed
// process stops: no clean-up) keeps its pages, and the next one resumes below them.
func TestRunKilledByVendor(t *testing.T) {
	m := mock.NewMoveworks(mock.Options{Seed: 7, End: corpusEnd, Days: 7, PageSize: pageSize})
	total, _ := m.Counts()
	var served, failAfter atomic.Int64
	failAfter.Store(3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := served.Add(1)
		if f := failAfter.Load(); f > 0 && n > f {
			http.Error(w, `{"code":"UNAVAILABLE","message":"down"}`, http.StatusServiceUnavailable)
			return
		}
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	now := clockAt(corpusEnd.Add(time.Hour))
	if _, err := Run(context.Background(), Options{Store: st, Source: src, Now: now}); err == nil {
		t.Fatal("the sync did not fail with the vendor down")
	}
	if n := count(t, st); n != 3*pageSize {
		t.Fatalf("%d rows kept, want %d", n, 3*pageSize)
	}
	failAfter.Store(0)
	served.Store(0)
	res, err := Run(context.Background(), Options{Store: st, Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := pagesOf(total) - 3 + 2; served.Load() > want || !res.Resumed {
		t.Errorf("resumed sync: %d requests (resumed %v), want at most %d", served.Load(), res.Resumed, want)
	}
	if n := count(t, st); n != total {
		t.Errorf("%d stored, want %d", n, total)
	}
}

// TestRunThreads: with Threads every conversation's interactions are stored (one request
// per conversation, more for a long one) and counted, with progress within each page.
func TestRunThreads(t *testing.T) {
	ctx := context.Background()
	v := newVendor(t, 2)
	st := openStore(t)
	partial, pages := 0, 0
	res, err := Run(ctx, Options{Store: st, Source: v.src, Threads: true, Now: clockAt(corpusEnd.Add(time.Hour)),
		Progress: func(p Progress) {
			if p.Partial {
				partial++
			} else {
				pages++
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	// A report every threadReport threads within a page (none at its start), one per page.
	if want := (res.Pages - 1) * ((pageSize - 1) / threadReport); partial < want || partial == 0 || pages != res.Pages {
		t.Errorf("%d partial and %d page reports for %d pages", partial, pages, res.Pages)
	}
	if _, i := v.requests(); i < int64(v.total) {
		t.Errorf("%d thread requests for %d conversations", i, v.total)
	}
	cs, err := st.Conversations(ctx, cache.ListQuery{Sources: []string{"mw"}, Limit: cache.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	msgs := 0
	for _, c := range cs {
		items, err := st.Thread(ctx, "mw", c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			t.Errorf("conversation %s stored without its thread", c.ID)
		}
		msgs += len(items)
	}
	if msgs == 0 || res.Messages != msgs {
		t.Errorf("Result.Messages %d, stored %d", res.Messages, msgs)
	}
}

// TestRunProgress: progress after every page, rows and pages growing, the done fraction
// growing to 1, and a rate and an ETA once time passes (a clock that ticks a second a read).
func TestRunProgress(t *testing.T) {
	v := newVendor(t, 7)
	st := openStore(t)
	var mu sync.Mutex
	tick := corpusEnd.Add(time.Hour)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		tick = tick.Add(time.Second)
		return tick
	}
	var got []Progress
	res, err := Run(context.Background(), Options{Store: st, Source: v.src, Now: clock, Progress: func(p Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(got)) != pagesOf(v.total) {
		t.Fatalf("%d progress reports for %d pages", len(got), pagesOf(v.total))
	}
	for i, p := range got {
		if p.Pages != i+1 || p.Rows != min((i+1)*pageSize, v.total) || p.Source != "mw" {
			t.Errorf("report %d: %+v", i, p)
		}
		if p.Done < 0 || p.Done > 1 || i > 0 && p.Done < got[i-1].Done {
			t.Errorf("report %d: done %v after %v", i, p.Done, got[max(i-1, 0)].Done)
		}
		if p.Rate <= 0 || p.Elapsed <= 0 {
			t.Errorf("report %d: rate %v elapsed %v", i, p.Rate, p.Elapsed)
		}
	}
	mid := got[len(got)/2]
	if !mid.HasETA || mid.ETA <= 0 || mid.Done <= 0 || mid.Done >= 1 {
		t.Errorf("half-way report without an estimate: %+v", mid)
	}
	if last := got[len(got)-1]; last.Done != 1 || last.ETA != 0 || last.Rows != res.Rows {
		t.Errorf("last report %+v, result %+v", last, res)
	}
}

// unordered is a source whose pages are not newest first (a vendor that lists a window's
// rows in its own order): a sync over it must not leave a checkpoint that would skip rows.
type unordered struct {
	client.Source
	pages [][]client.Conversation
	fail  int // fail the page with this index (0: none)
}

func (u *unordered) Name() string { return "mw" }
func (u *unordered) Conversations(_ context.Context, _ client.Query, cursor string) (client.Page, error) {
	i := 0
	if cursor != "" {
		i = int(cursor[0] - '0')
	}
	if u.fail > 0 && i == u.fail {
		return client.Page{}, errors.New("connection reset")
	}
	p := client.Page{Conversations: u.pages[i], Total: -1}
	if i+1 < len(u.pages) {
		p.Next = string(rune('0' + i + 1))
	}
	return p, nil
}

// TestRunUnorderedSourceNoCheckpoint: once a page comes newer than the rows before it, the
// checkpoint is dropped, so the next sync walks everything instead of skipping rows.
func TestRunUnorderedSourceNoCheckpoint(t *testing.T) {
	ctx := context.Background()
	base := corpusEnd.Add(-48 * time.Hour)
	conv := func(id string, h int) client.Conversation {
		return client.Conversation{ID: id, Started: base.Add(time.Duration(h) * time.Hour)}
	}
	src := &unordered{pages: [][]client.Conversation{
		{conv("a", 40), conv("b", 30)},
		{conv("c", 35), conv("d", 10)}, // c is newer than b: not newest first
		{conv("e", 5)},
	}, fail: 2}
	st := openStore(t)
	now := clockAt(corpusEnd)
	if _, err := Run(ctx, Options{Store: st, Source: src, Now: now}); err == nil {
		t.Fatal("want the third page's failure")
	}
	cp, err := loadCheckpoint(ctx, st, "mw", "", false)
	if err != nil {
		t.Fatal(err)
	}
	if cp.ok {
		t.Errorf("checkpoint [%v, %v] kept over an unordered walk", cp.low, cp.high)
	}
	src.fail = 0
	res, err := Run(ctx, Options{Store: st, Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Resumed || res.Rows != 5 {
		t.Errorf("second sync: %+v, want a whole walk of 5 rows", res)
	}
}

// TestRunSinceAboveCheckpoint: a sync asked only for the last half hour after an interrupted
// one walks that half hour (it does not claim to resume what it did not ask for).
func TestRunSinceAboveCheckpoint(t *testing.T) {
	v := newVendor(t, 7)
	st := openStore(t)
	start := corpusEnd.Add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := Run(ctx, Options{Store: st, Source: v.src, Now: clockAt(start),
		Progress: func(p Progress) { cancel() }}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want the cancelled sync, got %v", err)
	}
	v.requests()
	since := start.Add(-30 * time.Minute)
	res, err := Run(context.Background(), Options{Store: st, Source: v.src, Since: since, Now: clockAt(start.Add(time.Minute))})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := v.requests(); res.Resumed || !res.Since.Equal(since) || c != 1 {
		t.Errorf("resumed %v since %v with %d requests; want a one-page walk from %v", res.Resumed, res.Since, c, since)
	}
}

// stuck is a source whose every page names the same next cursor.
type stuck struct{ client.Source }

func (stuck) Conversations(context.Context, client.Query, string) (client.Page, error) {
	return client.Page{Total: -1, Next: "again"}, nil
}

// TestWalkPagesSameCursor: a source that hands back the cursor it was given ends the walk
// with ErrBadResponse rather than walking for ever; each saw the pages before.
func TestWalkPagesSameCursor(t *testing.T) {
	var pages []int
	err := WalkPages(context.Background(), stuck{}, client.Query{}, func(page int, _ client.Page) (bool, error) {
		pages = append(pages, page)
		return false, nil
	})
	if !errors.Is(err, client.ErrBadResponse) {
		t.Errorf("WalkPages = %v; want ErrBadResponse", err)
	}
	if len(pages) != 2 || pages[0] != 1 || pages[1] != 2 {
		t.Errorf("pages handed over = %v; want [1 2]", pages)
	}
}
