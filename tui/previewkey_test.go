package tui

import "testing"

// TestPreviewedKeypressAllocs bounds what a key allocates over rows whose threads are in the
// pane's cache (BenchmarkKeypress/previewed): each key shows a whole cached thread, drawn
// once and kept with it (pane/preview.go threadBody, threadview.Built).
func TestPreviewedKeypressAllocs(t *testing.T) {
	a, key := keypressApp(t, 1000, true) // bench_test.go; the setup previews and prefetches
	i := 0
	allocs := testing.AllocsPerRun(600, func() {
		a.Update(key(i))
		i++
		_ = a.View()
	})
	// 88 before (the thread built, flattened and drawn each key); 7 now: those of the plain
	// keypress (TestKeypressAllocs) less the "Loading thread…" line.
	const most = 12
	if allocs > most {
		t.Errorf("%.1f allocations a keypress over previewed rows, want at most %d", allocs, most)
	}
	t.Logf("%.1f allocations a keypress over previewed rows", allocs)
}
