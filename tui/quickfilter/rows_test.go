package quickfilter

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/rowstore"
)

// TestRowsLikeSlice: over the pane's row store the quick filter finds exactly what it finds
// over the same conversations in a slice, with and without the index, from any row.
func TestRowsLikeSlice(t *testing.T) {
	items := corpus(5000)
	view := rowstore.FromSlice(items, false).View()
	xs, err := NewIndex(t.Context(), items[:4000])
	if err != nil {
		t.Fatal(err)
	}
	xv, err := NewIndexRows(t.Context(), view.Slice(0, 4000))
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"vpn", "vpn !hr", "domain:it", "nomatchatall", "re:(?i)vpn", "re:^Reset", "re:[0-9]{5}$", "re:[0-9]{3}"}
	for _, q := range queries {
		for _, from := range []int{0, 1234, 4500} {
			m, err := Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			want, err := FilterIndexed(t.Context(), xs, items, m, from)
			if err != nil {
				t.Fatal(err)
			}
			got, err := FilterIndexedRows(t.Context(), xv, view, m, from)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%q from %d: %d rows over the store, %d over the slice", q, from, len(got), len(want))
			}
			plain, err := FilterRows(t.Context(), view.Slice(from, view.Len()), m, from)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(plain, want) {
				t.Fatalf("%q from %d: %d rows without the index, want %d", q, from, len(plain), len(want))
			}
		}
	}
}

// BenchmarkFilter1MStore is BenchmarkFilter1M over the pane's row store (rowstore.View),
// the rows the TUI filters.
func BenchmarkFilter1MStore(b *testing.B) {
	items := corpus(1_000_000)
	view := rowstore.FromSlice(items, false).View()
	items = nil
	x, err := NewIndexRows(context.Background(), view)
	if err != nil {
		b.Fatal(err)
	}
	// Every query of BenchmarkFilter1M and BenchmarkFilter1MForms: the row store is what the
	// pane filters.
	for _, q := range append(slices.Clip(benchQueries), benchForms...) {
		b.Run(q, func(b *testing.B) {
			m, err := Parse(q)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := FilterIndexedRows(context.Background(), x, view, m, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRowsBufferPerWorker: rows read through Rows.At (a term the index cannot answer,
// checked row by row on the few candidates) share one buffer a worker, not one a row.
func TestRowsBufferPerWorker(t *testing.T) {
	items := make([]client.Conversation, 30000)
	for i := range items {
		items[i] = client.Conversation{ID: fmt.Sprint("c", i), Summary: "other", Attrs: client.Attrs{{Key: "k", Value: "v"}}}
		if i%30 == 0 {
			items[i].Summary = "vpn"
		}
	}
	view := rowstore.FromSlice(items, false).View()
	x, err := NewIndexRows(t.Context(), view)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("vpn !a\x00b")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	allocs := testing.AllocsPerRun(5, func() {
		if got, err = FilterIndexedRows(context.Background(), x, view, m, 0); err != nil {
			t.Fatal(err)
		}
	})
	if len(got) != 1000 {
		t.Fatalf("%d rows match, want 1000", len(got))
	}
	if allocs > 100 {
		t.Fatalf("%.0f allocations for 1000 candidate rows", allocs)
	}
}
