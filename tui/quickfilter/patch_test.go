package quickfilter

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestFilterPatched checks, over random rows, queries and fetched summaries, that a patched
// row is matched as if its summary were the fetched one, and only a row that lists none.
func TestFilterPatched(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	items := randRows(r, 2000)
	x, err := NewIndex(context.Background(), items[:1500])
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"step", "!step", "summary:step", "re:^Step", "re:(?i)step 1$", "vpn !step"}
	for range 200 {
		queries = append(queries, randQuery(r))
	}
	for _, q := range queries {
		m, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		var patches []Patch
		sums := map[int]string{}
		for range 1 + r.IntN(40) {
			row := r.IntN(len(items))
			sum := []string{"Step 1: reset the VPN", "step", randText(r), ""}[r.IntN(4)]
			patches = append(patches, Patch{Row: row, Summary: sum})
			sums[row] = sum // the last patch of a row wins
		}
		// Duplicates would be ambiguous: keep the last patch of each row only.
		var uniq []Patch
		seen := map[int]bool{}
		for i := len(patches) - 1; i >= 0; i-- {
			if !seen[patches[i].Row] {
				seen[patches[i].Row] = true
				uniq = append(uniq, patches[i])
			}
		}
		from := r.IntN(len(items))
		var want []int
		for i := from; i < len(items); i++ {
			c := items[i]
			if s, ok := sums[i]; ok && c.Summary == "" {
				c.Summary = s
			}
			if refMatch(t, q, &c) {
				want = append(want, i)
			}
		}
		got, err := FilterPatched(context.Background(), x, items, m, from, uniq)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("FilterPatched(%q, from %d) = %v, want %v", q, from, got, want)
		}
	}
}
