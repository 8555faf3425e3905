package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/table"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui/pane"
)

// storedFixture fills a SQLite store in dir with n conversations of one source ("mw"),
// through the store's own PutConversations, 20,000 rows a transaction.
func storedFixture(b *testing.B, dir string, n int) *cache.Store {
	b.Helper()
	st, err := cache.Open(b.Context(), filepath.Join(dir, fmt.Sprintf("stored-%d.db", n)))
	if err != nil {
		b.Fatal(err)
	}
	if have, err := st.Count(b.Context(), "mw"); err != nil || have == n {
		return st // kept from an earlier run (CONFAB_TUI_BENCH_DIR)
	}
	start := time.Now()
	const batch = 20_000
	summaries := []string{"Reset my VPN password", "Laptop will not boot after update",
		"How many vacation days do I have left?", "Request access to the finance share",
		"eduroam does not connect on the 3rd floor", "Benefits enrollment deadline"}
	cs := make([]client.Conversation, 0, batch)
	for lo := 0; lo < n; lo += batch {
		cs = cs[:0]
		for i := lo; i < min(n, lo+batch); i++ {
			t := fixedNow.Add(-time.Duration(i) * 30 * time.Second)
			cs = append(cs, client.Conversation{ID: fmt.Sprintf("c%07d", i), UserID: fmt.Sprintf("u%05d", i%50000),
				Started: t, Updated: t.Add(time.Minute), Summary: summaries[i%len(summaries)],
				Attrs: client.Attrs{{Key: "domain", Value: []string{"IT", "HR", "Finance"}[i%3]}}})
		}
		if err := st.PutConversations(b.Context(), "mw", cs); err != nil {
			b.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "stored fixture: %d conversations in %v\n", n, time.Since(start).Round(time.Millisecond))
	return st
}

// BenchmarkFirstFrameStored measures the first frame of the TUI over a real SQLite store
// (CONFAB_TUI_BENCH_N sets the large size, default 1,000,000; CONFAB_TUI_BENCH_DIR keeps the
// fixture files between runs, as building 1,000,000 rows takes minutes): a new app at 120x40 with one
// cache-first tab (offline, so no vendor is involved), Init, the first stored page, View.
// The target is 200 ms at 1,000,000 stored rows; heap-B is the heap in use after the first
// frame (flat in the number stored). The anchor renders the same first screen with a stock
// bubbles table over in-memory rows.
func BenchmarkFirstFrameStored(b *testing.B) {
	large := 1_000_000
	if v := os.Getenv("CONFAB_TUI_BENCH_N"); v != "" {
		if _, err := fmt.Sscan(v, &large); err != nil {
			b.Fatalf("CONFAB_TUI_BENCH_N=%q: %v", v, err)
		}
	}
	dir := os.Getenv("CONFAB_TUI_BENCH_DIR") // keeps the fixtures between runs ("": a temp dir)
	if dir == "" {
		dir = b.TempDir()
	}
	var first []client.Conversation
	for _, n := range []int{10_000, large} {
		st := storedFixture(b, dir, n)
		b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
			var heap uint64
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				b.StartTimer()
				stored := cache.NewSource(st, "mw", "moveworks")
				d := testDeps(Tab{Name: "mw", Kind: "moveworks", Source: stored,
					Local: &pane.Local{Stored: stored, Sink: st, Offline: true}})
				a := newTestApp(b, d)
				drain(b, a, a.Init())
				v := a.View().Content
				b.StopTimer()
				if a.panes[0].Len() == 0 || !strings.Contains(v, "loaded") {
					b.Fatalf("no stored rows on the first frame:\n%s", v)
				}
				runtime.GC()
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				heap = after.HeapInuse
				if first == nil {
					p, _ := stored.Conversations(b.Context(), client.Query{}, "")
					first = p.Conversations
				}
				runtime.KeepAlive(a)
				a.close()
				b.StartTimer()
			}
			b.ReportMetric(float64(heap), "heap-B")
		})
		st.Close()
	}
	b.Run("anchor=bubbles-table", func(b *testing.B) {
		rows := make([]table.Row, len(first))
		for b.Loop() {
			for i, c := range first {
				rows[i] = table.Row{c.Started.Format("01-02 15:04"), c.UserID, c.Summary}
			}
			t := table.New(table.WithColumns([]table.Column{{Title: "Time", Width: 12}, {Title: "User", Width: 10},
				{Title: "Summary", Width: 90}}), table.WithRows(rows), table.WithHeight(36), table.WithWidth(120))
			_ = t.View()
		}
	})
}

// BenchmarkKeypressStored measures one keypress (j, Update with its Cmds run, then View) in a
// cache-first tab over a real SQLite store of CONFAB_TUI_BENCH_N conversations (default
// 1,000,000; CONFAB_TUI_BENCH_DIR keeps the fixture): the selection walks down the list, so
// every 100th key also reads the next page from the store, the cost a user pays while
// scrolling. The anchor is a stock bubbles table holding the same number of rows in memory
// (what listing them without a store takes), moving down one row and rendering.
func BenchmarkKeypressStored(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("CONFAB_TUI_BENCH_N"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil {
			b.Fatalf("CONFAB_TUI_BENCH_N=%q: %v", v, err)
		}
	}
	dir := os.Getenv("CONFAB_TUI_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	st := storedFixture(b, dir, n)
	defer st.Close()
	b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
		stored := cache.NewSource(st, "mw", "moveworks")
		d := testDeps(Tab{Name: "mw", Kind: "moveworks", Source: stored,
			Local: &pane.Local{Stored: stored, Sink: st, Offline: true}})
		s := NewStyles(DefaultPalette(), true)
		d.styles = &s
		a := start(b, newTestApp(b, d))
		down := press("j")
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			update(b, a, down)
			_ = a.View()
		}
		b.StopTimer()
		if a.panes[0].Len() == 0 {
			b.Fatal("no rows loaded")
		}
	})
	b.Run(fmt.Sprintf("anchor=bubbles-table-in-memory-%d", n), func(b *testing.B) {
		rows := make([]table.Row, n)
		for i := range rows {
			rows[i] = table.Row{fixedNow.Add(-time.Duration(i) * 30 * time.Second).Format("01-02 15:04"),
				fmt.Sprintf("u%05d", i%50000), "Reset my VPN password"}
		}
		t := table.New(table.WithColumns([]table.Column{{Title: "Time", Width: 12}, {Title: "User", Width: 10},
			{Title: "Summary", Width: 90}}), table.WithRows(rows), table.WithHeight(36), table.WithWidth(120), table.WithFocused(true))
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			t.MoveDown(1)
			_ = t.View()
		}
	})
}
