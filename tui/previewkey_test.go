package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestPreviewedKeypressAllocs bounds what a key allocates over rows whose threads are in the
// pane's cache (BenchmarkKeypress/previewed): each key shows a whole cached thread, drawn
// once and kept with it (pane/preview.go threadBody, threadview.Built).
func TestPreviewedKeypressAllocs(t *testing.T) {
	tab, src := fakeTab("moveworks", 1000)
	src.PageSize = 1000
	d := testDeps(tab) // the thread cache on: the setup previews and prefetches the rows
	st := NewStyles(DefaultPalette(), true)
	d.styles = &st
	a := start(t, newTestApp(t, d))
	update(t, a, press("G"))
	for range 20 {
		update(t, a, press("k"))
	}
	var down, up tea.Msg = press("j"), press("k")
	i := 0
	allocs := testing.AllocsPerRun(600, func() {
		k := down
		if i%60 >= 30 {
			k = up
		}
		i++
		a.Update(k)
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
