package cache

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// benchEnv sets the number of stored conversations and interactions the benchmarks run
// over (default 100000): CONFAB_CACHE_BENCH_N=1000000 go test ./store/cache -run '^$' -bench .
const benchEnv = "CONFAB_CACHE_BENCH_N"

// benchDBEnv names a database file to keep the fixture in between runs (it is filled when
// empty, reused as is otherwise); by default the fixture is built in a temp dir and removed.
const benchDBEnv = "CONFAB_CACHE_BENCH_DB"

var (
	benchOnce  sync.Once
	benchStore *Store
	benchDir   string
	benchErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchN is the benchmarks' row count.
func benchN(b *testing.B) int {
	n := 100_000
	if v := os.Getenv(benchEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("%s=%q: want a number ≥ 1000", benchEnv, v)
		}
	}
	return n
}

// benchWords is a vocabulary of made-up words; word i is drawn with weight ~1/(i+1).
var benchWords = func() []string {
	syll := []string{"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "dor"}
	var out []string
	for i := 0; len(out) < 5000; i++ {
		out = append(out, syll[i%12]+syll[(i/12)%12]+syll[(i/144)%12]+strconv.Itoa(i/1728))
	}
	return out
}()

func benchText(r *rand.Rand, words int) string {
	z := rand.NewZipf(r, 1.1, 1, uint64(len(benchWords)-1))
	var sb strings.Builder
	for i := range words {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(benchWords[z.Uint64()])
	}
	if r.IntN(1000) == 0 {
		sb.WriteString(" eduroam")
	}
	return sb.String()
}

// benchFixture stores n conversations and n interactions (5 per thread for the first n/5
// conversations), with text of about 12 words each, once per process.
func benchFixture(b *testing.B) *Store {
	n := benchN(b)
	benchOnce.Do(func() {
		path := os.Getenv(benchDBEnv)
		if path == "" {
			benchDir, benchErr = os.MkdirTemp("", "confab-cache-bench")
			if benchErr != nil {
				return
			}
			path = filepath.Join(benchDir, "confab.db")
		}
		benchStore, benchErr = Open(ctx, path, WithClock(fixedClock))
		if benchErr != nil {
			return
		}
		if have, _ := benchStore.Count(ctx); have > 0 {
			if have != n {
				benchErr = fmt.Errorf("%s holds %d conversations, not %d", path, have, n)
			}
			return
		}
		start := time.Now()
		benchErr = fillBench(benchStore, n)
		fmt.Fprintf(os.Stderr, "bench fixture: %d conversations and %d interactions stored in %v\n", n, n, time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

// fillBench stores n conversations and n interactions (5 per thread for the first n/5
// conversations), with text of about 12 words each, conversation i started 30 s after
// conversation i-1, in three sources.
func fillBench(s *Store, n int) error {
	r := rand.New(rand.NewPCG(1, 2))
	sources := []string{"moveworks", "talkdesk", "opendialog"}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 10_000
	for lo := 0; lo < n; lo += batch {
		err := s.tx(ctx, "write", func(tx *sql.Tx) error {
			cst, err := tx.PrepareContext(ctx, `INSERT INTO conversations (source, id, user_id, started, updated, summary, attrs, raw, fetched_at, tkey) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`)
			if err != nil {
				return err
			}
			defer cst.Close()
			ist, err := tx.PrepareContext(ctx, `INSERT INTO interactions (source, conversation_id, id, pos, actor, kind, text, time, user_id, attrs, raw, fetched_at, tkey) VALUES (?, ?, ?, ?, 'user', 'text', ?, ?, ?, '[]', ?, 0, ?)`)
			if err != nil {
				return err
			}
			defer ist.Close()
			for i := lo; i < min(n, lo+batch); i++ {
				src, id := sources[i%3], "c"+strconv.Itoa(i)
				started := t0.Add(time.Duration(i) * 30 * time.Second)
				attrs := fmt.Sprintf(`[{"key":"domain","value":"%s"}]`, benchWords[i%50])
				if _, err := cst.ExecContext(ctx, src, id, "u"+strconv.Itoa(i%5000), started.UnixNano(), started.Add(time.Minute).UnixNano(),
					benchText(r, 8), attrs, []byte(`{"id":"`+id+`"}`), benchKey(started)); err != nil {
					return err
				}
			}
			// Interactions i in [lo, lo+batch) belong to conversation i/5.
			for i := lo; i < min(n, lo+batch); i++ {
				c := i / 5
				src, cid := sources[c%3], "c"+strconv.Itoa(c)
				tm := t0.Add(time.Duration(c)*30*time.Second + time.Duration(i%5)*time.Second)
				if _, err := ist.ExecContext(ctx, src, cid, "i"+strconv.Itoa(i), i%5, benchText(r, 12), tm.UnixNano(),
					"u"+strconv.Itoa(c%5000), []byte(`{"n":`+strconv.Itoa(i)+`}`), benchKey(tm)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// benchKey is the full-text key of a fixture row at t (each has its own millisecond).
func benchKey(t time.Time) int64 {
	lo, _, _ := tkeyRange(t)
	return lo
}

// BenchmarkFirstScreen reads the first window a list shows: 50 conversations of every
// source, newest first.
func BenchmarkFirstScreen(b *testing.B) {
	s := benchFixture(b)
	b.ResetTimer()
	for b.Loop() {
		cs, err := s.Conversations(ctx, ListQuery{Limit: 50})
		if err != nil || len(cs) != 50 {
			b.Fatal(len(cs), err)
		}
	}
}

// BenchmarkFirstScreenOneSource is BenchmarkFirstScreen for one source of three.
func BenchmarkFirstScreenOneSource(b *testing.B) {
	s := benchFixture(b)
	b.ResetTimer()
	for b.Loop() {
		cs, err := s.Conversations(ctx, ListQuery{Sources: []string{"talkdesk"}, Limit: 50})
		if err != nil || len(cs) != 50 {
			b.Fatal(len(cs), err)
		}
	}
}

// BenchmarkDeepWindow reads 50 conversations half-way down the list (OFFSET costs grow
// with depth).
func BenchmarkDeepWindow(b *testing.B) {
	s := benchFixture(b)
	off := benchN(b) / 2
	b.ResetTimer()
	for b.Loop() {
		cs, err := s.Conversations(ctx, ListQuery{Offset: off, Limit: 50})
		if err != nil || len(cs) != 50 {
			b.Fatal(len(cs), err)
		}
	}
}

// BenchmarkSearch runs queries of increasing breadth over the stored interactions and
// conversations, 50 hits at most.
func BenchmarkSearch(b *testing.B) {
	s := benchFixture(b)
	for _, q := range []struct{ name, text string }{
		{"rare word", "eduroam"},
		{"mid word", benchWords[200]},
		{"common word", benchWords[3]},
		{"phrase", `"` + benchWords[0] + " " + benchWords[1] + `"`},
		{"prefix", benchWords[300][:5] + "*"},
		{"and not", benchWords[10] + " NOT " + benchWords[0]},
	} {
		b.Run(q.name, func(b *testing.B) {
			hits, err := s.Search(ctx, SearchQuery{Text: q.text, Limit: 50})
			if err != nil || len(hits) == 0 {
				b.Fatalf("%q: %d hits, %v", q.text, len(hits), err)
			}
			var matches int
			if err := s.db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM interactions_fts WHERE interactions_fts MATCH ?) + (SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH ?)",
				q.text, q.text).Scan(&matches); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := s.Search(ctx, SearchQuery{Text: q.text, Limit: 50}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(matches), "matches")
		})
	}
}

// BenchmarkAnchorCount is the anchor for the figures above: a plain count(*) of the
// stored interactions.
func BenchmarkAnchorCount(b *testing.B) {
	s := benchFixture(b)
	for b.Loop() {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM interactions").Scan(&n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnchorLike is the anchor a search without the index would cost: a LIKE scan
// of every interaction's text.
func BenchmarkAnchorLike(b *testing.B) {
	s := benchFixture(b)
	for b.Loop() {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM interactions WHERE text LIKE '%eduroam%'").Scan(&n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSourceFirstPage reads the first page (100 rows) a cache-first list shows
// through Source, with its exact total: one source of three, and the All tab.
func BenchmarkSourceFirstPage(b *testing.B) {
	s := benchFixture(b)
	for _, src := range []*Source{NewSource(s, "talkdesk", "talkdesk"), NewSource(s, "All", "", "moveworks", "talkdesk", "opendialog")} {
		b.Run(src.Name(), func(b *testing.B) {
			for b.Loop() {
				p, err := src.Conversations(ctx, client.Query{}, "")
				if err != nil || len(p.Conversations) != DefaultPageSize || p.Total <= 0 {
					b.Fatal(len(p.Conversations), err)
				}
			}
		})
	}
}

// BenchmarkSourceDeepPage reads a page half-way down the list through Source (a keyset
// cursor: the cost does not grow with depth, unlike BenchmarkDeepWindow's OFFSET).
func BenchmarkSourceDeepPage(b *testing.B) {
	s := benchFixture(b)
	n := benchN(b)
	for _, src := range []*Source{NewSource(s, "talkdesk", "talkdesk"), NewSource(s, "All", "", "moveworks", "talkdesk", "opendialog")} {
		b.Run(src.Name(), func(b *testing.B) {
			// The row half-way down, as the page before it would leave the cursor.
			mid := n / 2
			if len(src.sources) == 1 {
				mid = mid - mid%3 + 1 // a talkdesk row
			}
			t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			cur := cursor{Started: t0.Add(time.Duration(mid) * 30 * time.Second).UnixNano(), Source: []string{"moveworks", "talkdesk", "opendialog"}[mid%3], ID: "c" + strconv.Itoa(mid)}.String()
			for b.Loop() {
				p, err := src.Conversations(ctx, client.Query{}, cur)
				if err != nil || len(p.Conversations) != DefaultPageSize {
					b.Fatal(len(p.Conversations), err)
				}
			}
		})
	}
}

// BenchmarkSourceWindow is BenchmarkSourceFirstPage with a time window holding half the
// rows (the exact total counts them).
func BenchmarkSourceWindow(b *testing.B) {
	s := benchFixture(b)
	n := benchN(b)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	q := client.Query{Since: t0.Add(time.Duration(n/4) * 30 * time.Second), Until: t0.Add(time.Duration(3*n/4) * 30 * time.Second)}
	for _, src := range []*Source{NewSource(s, "talkdesk", "talkdesk"), NewSource(s, "All", "", "moveworks", "talkdesk", "opendialog")} {
		b.Run(src.Name(), func(b *testing.B) {
			for b.Loop() {
				p, err := src.Conversations(ctx, q, "")
				if err != nil || len(p.Conversations) != DefaultPageSize {
					b.Fatal(len(p.Conversations), err)
				}
			}
		})
	}
}

// BenchmarkSourceMemory reads the first three pages (100 rows each) of the All tab through
// Source, over 10,000 stored rows and over the benchmark's fixture (CONFAB_CACHE_BENCH_N):
// the bytes allocated per page (B/page) and the Go heap in use after the pages
// (heap-inuse-B) stay the same whatever the number of stored rows. (SQLite's own page
// cache is bounded by its cache_size, 2000 KiB per connection by default.)
func BenchmarkSourceMemory(b *testing.B) {
	small, err := Open(ctx, filepath.Join(b.TempDir(), "confab.db"), WithClock(fixedClock))
	if err != nil {
		b.Fatal(err)
	}
	defer small.Close()
	if err := fillBench(small, 10_000); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		rows int
		st   *Store
	}{{10_000, small}, {benchN(b), benchFixture(b)}} {
		b.Run(fmt.Sprintf("rows=%d", tc.rows), func(b *testing.B) {
			src := NewSource(tc.st, "All", "", "moveworks", "talkdesk", "opendialog")
			pages := func() {
				cur := ""
				for range 3 {
					p, err := src.Conversations(ctx, client.Query{}, cur)
					if err != nil || len(p.Conversations) != DefaultPageSize || p.Total != tc.rows {
						b.Fatal(len(p.Conversations), p.Total, err)
					}
					cur = p.Next
				}
			}
			pages() // warm: the connection pool and its statements
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			n := 0
			for b.Loop() {
				pages()
				n++
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(3*n), "B/page")
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapInuse), "heap-inuse-B")
		})
	}
}
