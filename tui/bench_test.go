package tui

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkKeypress measures one keypress in a list of n loaded conversations at 120x40:
// Update (move the selection, schedule the preview) plus View (the whole frame). The target
// is at most 0.3 ms, flat in n.
func BenchmarkKeypress(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			tab, src := fakeTab("moveworks", n)
			src.PageSize = n
			d := testDeps(tab)
			st := NewStyles(DefaultPalette(), true)
			d.styles = &st
			a := start(b, newTestApp(b, d))
			if a.panes[0].Len() != n {
				b.Fatalf("%d loaded", a.panes[0].Len())
			}
			update(b, a, press("G"))
			for range 20 {
				update(b, a, press("k")) // scroll off the end
			}
			down, up := press("j"), press("k")
			runtime.GC() // collect the setup garbage outside the timing
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				k := down
				if i%60 >= 30 {
					k = up
				}
				a.Update(k)
				_ = a.View()
			}
		})
	}
}
