package tui

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkKeypress measures one keypress in a list of n loaded conversations at 120x40:
// Update (move the selection, schedule the preview) plus View (the whole frame). The target
// is at most 0.3 ms, flat in n.
//
// The plain sub-benchmarks (n=…) walk rows whose threads were never previewed (the thread
// cache off): the column keeps the last preview, dimmed, as when holding j through a list.
// The "previewed" ones walk rows whose threads the setup loaded (and prefetched), so each key
// draws a whole thread from the cache.
func BenchmarkKeypress(b *testing.B) {
	for _, previewed := range []bool{false, true} {
		for _, n := range []int{1_000, 100_000, 1_000_000} {
			name := fmt.Sprintf("n=%d", n)
			if previewed {
				name = "previewed/" + name
			}
			b.Run(name, func(b *testing.B) { benchKeypress(b, n, previewed) })
		}
	}
}

func benchKeypress(b *testing.B, n int, previewed bool) {
	a, key := keypressApp(b, n, previewed)
	runtime.GC() // collect the setup garbage outside the timing
	gc0, cpu0, flt0 := gcCPU(), cpuTime(b), minorFaults(b)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for ; b.Loop(); i++ {
		a.Update(key(i))
		_ = a.View()
	}
	b.StopTimer()
	// The process's CPU time a key (Update, View and the garbage collector's workers):
	// on a shared machine it counts less of the waiting for a core than ns/op does.
	b.ReportMetric(float64((cpuTime(b)-cpu0).Nanoseconds())/float64(i), "cpu-ns/key")
	// Pages the kernel mapped in a key: the heap growing into memory it never touched
	// (at 1M rows, between two cycles of the collector).
	b.ReportMetric(float64(minorFaults(b)-flt0)/float64(i), "faults/key")
	// The garbage collector's share: the same bytes a key at every n, but each cycle
	// marks every loaded row.
	gc := gcCPU()
	b.ReportMetric((gc.seconds-gc0.seconds)*1e9/float64(i), "gc-cpu-ns/key")
	b.ReportMetric(float64(gc.cycles-gc0.cycles)*1000/float64(i), "gc/1000keys")
}

// keypressApp is the App of BenchmarkKeypress and the keypress allocation tests: n loaded
// rows, 120x40, colour, the selection 20 rows above the end; previewed: with the thread cache
// on (the setup previews and prefetches the rows walked), else off (rows never previewed,
// as when holding j). key(i) is the i-th key: j 30 times, then k 30 times, boxed once, as the
// program's input reader delivers them (a KeyPressMsg put into a tea.Msg on every call would
// charge an allocation a key).
func keypressApp(tb testing.TB, n int, previewed bool) (*App, func(i int) tea.Msg) {
	tb.Helper()
	tab, src := fakeTab("moveworks", n)
	src.PageSize = n
	d := testDeps(tab)
	if !previewed {
		d.threadCache = -1
	}
	st := NewStyles(DefaultPalette(), true)
	d.styles = &st
	a := start(tb, newTestApp(tb, d))
	if a.panes[0].Len() != n {
		tb.Fatalf("%d loaded", a.panes[0].Len())
	}
	update(tb, a, press("G"))
	for range 20 {
		update(tb, a, press("k")) // scroll off the end
	}
	var down, up tea.Msg = press("j"), press("k")
	return a, func(i int) tea.Msg {
		if i%60 >= 30 {
			return up
		}
		return down
	}
}

// gcStats are the garbage collector's CPU time (runtime/metrics' estimate, all threads) and
// cycles so far.
type gcStats struct {
	seconds float64
	cycles  uint64
}

// minorFaults is the process's minor page faults so far.
func minorFaults(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Minflt
}

func gcCPU() gcStats {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return gcStats{seconds: s[0].Value.Float64(), cycles: s[1].Value.Uint64()}
}
