package thread

import (
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// synthetic returns n interactions shaped like a long help-desk log: user turns are roots,
// each with 1–3 bot replies; a fifth of the replies lead to a button click answered by the
// bot, and some of those go on for a few more levels. Times advance with jitter (so equal
// and out-of-order times occur), the input order is the time order with local swaps, ids are
// 18-character random strings, and about one item in a thousand is an orphan.
func synthetic(n int) []client.Interaction {
	rng := rand.New(rand.NewPCG(42, 7))
	items := make([]client.Interaction, 0, n)
	id := func() string { return "i_" + strconv.FormatUint(rng.Uint64()|1<<63, 16)[:16] }
	t0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	sec := 0
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	add := func(parent string, s int) string {
		x := client.Interaction{ID: id(), ParentID: parent, Time: at(s), Actor: client.ActorBot, Kind: client.KindBot}
		if rng.IntN(1000) == 0 {
			x.ParentID = "gone_" + x.ID
		}
		items = append(items, x)
		return x.ID
	}
	for len(items) < n {
		sec += 5 + rng.IntN(60)
		user := add("", sec+rng.IntN(3))
		items[len(items)-1].Actor, items[len(items)-1].Kind = client.ActorUser, client.KindText
		for r := 1 + rng.IntN(3); r > 0 && len(items) < n; r-- {
			reply := add(user, sec+rng.IntN(4))
			parent := reply
			for d := 0; rng.IntN(5) == 0 && d < 6 && len(items) < n; d++ {
				parent = add(parent, sec+4+d+rng.IntN(3))
			}
		}
	}
	for k := 0; k < n/10; k++ {
		i := rng.IntN(n - 1)
		items[i], items[i+1] = items[i+1], items[i]
	}
	return items
}

var (
	sinkRows    []Row
	sinkRefRows []refRow
)

// cpuTime is the user and system CPU time this process has used, in nanoseconds, and its
// minor page faults (each a page of fresh memory the kernel had to map and zero).
func cpuTime() (ns, faults int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), ru.Minflt
}

// reportCPU reports the CPU time and page faults per op since cpu0 and flt0 (from cpuTime).
func reportCPU(b *testing.B, cpu0, flt0 int64) {
	cpu, flt := cpuTime()
	b.ReportMetric(float64(cpu-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(flt-flt0)/float64(b.N), "faults/op")
}

func benchBuildFlatten(b *testing.B, n int) {
	items := synthetic(n)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, flt0 := cpuTime()
	for b.Loop() {
		sinkRows = Build(items).Flatten(nil)
	}
	// On a shared machine wall time includes waiting for a core; the process's CPU time
	// (all threads, so the garbage collector's work counts too) shows the cost itself.
	reportCPU(b, cpu0, flt0)
	if len(sinkRows) != n {
		b.Fatalf("%d rows, want %d", len(sinkRows), n)
	}
}

// BenchmarkBuildFlatten100k: target ≤ 30 ms per op.
func BenchmarkBuildFlatten100k(b *testing.B) { benchBuildFlatten(b, 100_000) }

// BenchmarkBuildFlatten1M: goal ≤ 250 ms per op (issue 18); its anchor, measured in the same
// run, is BenchmarkMapAnchorBuildFlatten1M.
func BenchmarkBuildFlatten1M(b *testing.B) { benchBuildFlatten(b, 1_000_000) }

// BenchmarkBuildFlatten1MCold is BenchmarkBuildFlatten1M as the first build of a program:
// before each op (untimed) the scratch memory Build reuses is dropped and the heap's free
// memory is returned to the system, so the op works in fresh pages (a page fault each).
func BenchmarkBuildFlatten1MCold(b *testing.B) {
	items := synthetic(1_000_000)
	b.ReportAllocs()
	var cpu, flt int64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		scratchPool = sync.Pool{}
		debug.FreeOSMemory()
		cpu0, flt0 := cpuTime()
		b.StartTimer()
		sinkRows = Build(items).Flatten(nil)
		b.StopTimer()
		cpu1, flt1 := cpuTime()
		cpu, flt = cpu+cpu1-cpu0, flt+flt1-flt0
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(flt)/float64(b.N), "faults/op")
}

func BenchmarkBuild1M(b *testing.B) {
	items := synthetic(1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Build(items)
	}
}

func BenchmarkFlatten1M(b *testing.B) {
	tr := Build(synthetic(1_000_000))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sinkRows = tr.Flatten(nil)
	}
}

func BenchmarkFlattenFiltered1M(b *testing.B) {
	tr := Build(synthetic(1_000_000))
	keep := func(i int) bool { return i%97 == 0 }
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sinkRows = tr.FlattenFiltered(map[string]bool{"x": true}, keep)
	}
}

// BenchmarkMapAnchorBuildFlatten1M is the anchor for BenchmarkBuildFlatten1M, measured in
// the same run: the same items through the straightforward map-of-pointers implementation
// (reference_test.go).
func BenchmarkMapAnchorBuildFlatten1M(b *testing.B) {
	items := synthetic(1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, flt0 := cpuTime()
	for b.Loop() {
		sinkRefRows = refBuild(items).flatten(nil, nil, nil)
	}
	reportCPU(b, cpu0, flt0)
	if len(sinkRefRows) != len(items) {
		b.Fatalf("%d rows, want %d", len(sinkRefRows), len(items))
	}
}
