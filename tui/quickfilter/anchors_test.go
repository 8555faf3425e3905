package quickfilter

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/list" // the anchor only: the package itself never imports Bubble Tea
)

// BenchmarkFilterAnchors are the anchors of BenchmarkFilter1M, on the same 1,000,000 rows in
// the same run (docs/PERFORMANCE.md): "substring" is the plain way, strings.Contains over
// one lower-cased filter value per row, one goroutine; "fuzzy" is the stock bubbles
// list's filter (list.DefaultFilter, sahilm/fuzzy) over the same filter values as written
// (the user id, the summary and the values, joined), built beforehand.
func BenchmarkFilterAnchors(b *testing.B) {
	items := corpus(1_000_000)
	targets := make([]string, len(items))
	for i := range items {
		c := &items[i]
		vals := []string{c.UserID, c.Summary}
		for _, a := range c.Attrs {
			vals = append(vals, a.Value)
		}
		targets[i] = strings.Join(vals, " ")
	}
	lowered := make([]string, len(targets))
	for i, t := range targets {
		lowered[i] = strings.ToLower(t)
	}
	b.Run("substring/vpn", func(b *testing.B) {
		b.ReportAllocs()
		cpu0 := cpuTime()
		for b.Loop() {
			var out []int
			for i, t := range lowered {
				if strings.Contains(t, "vpn") {
					out = append(out, i)
				}
			}
			if len(out) == 0 {
				b.Fatal("no match")
			}
		}
		reportCPU(b, cpu0)
	})
	b.Run("fuzzy/vpn", func(b *testing.B) {
		b.ReportAllocs()
		cpu0 := cpuTime()
		for b.Loop() {
			if len(list.DefaultFilter("vpn", targets)) == 0 {
				b.Fatal("no match")
			}
		}
		reportCPU(b, cpu0)
	})
}

// BenchmarkFilter1MForms is BenchmarkFilter1M's other query forms: anchored ignoring case, a
// suffix, unanchored classes with no literal (the index is scanned for a run of classes:
// classseq.go), one with a literal too short to search for, field terms and a negation.
func BenchmarkFilter1MForms(b *testing.B) {
	benchFilter1M(b, benchForms)
}
