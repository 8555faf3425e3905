package thread

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// randomForest returns n interactions drawn to hit every rule: IDs from a small pool (so
// duplicates) and some empty, parents that are empty, missing, the item itself, the previous
// item (long chains, deeper than MaxGuideDepth) or any pool ID (so cycles); times from a few
// values (so ties), the zero time, and times outside the int64-nanosecond range that differ by
// less than a second; Seq on some items when withSeq.
func randomForest(rng *rand.Rand, n int, withSeq bool) []client.Interaction {
	pool := 1 + rng.IntN(n+3)
	id := func() string { return fmt.Sprint(rng.IntN(pool)) }
	far := time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]client.Interaction, n)
	for i := range items {
		x := &items[i]
		x.ID = id()
		if rng.IntN(15) == 0 {
			x.ID = ""
		}
		switch rng.IntN(8) {
		case 0, 1:
			// a root
		case 2:
			x.ParentID = "gone" // an orphan
		case 3:
			x.ParentID = x.ID // its own parent (or a root, when the ID is empty)
		case 4, 5:
			if i > 0 {
				x.ParentID = items[i-1].ID
			}
		default:
			x.ParentID = id()
		}
		switch rng.IntN(10) {
		case 0:
			// the zero time
		case 1:
			x.Time = far.Add(time.Duration(rng.IntN(3)) * time.Millisecond)
		case 2:
			x.Time = time.Date(9999, 1, 1, 0, 0, 0, rng.IntN(3), time.UTC)
		default:
			x.Time = base.Add(time.Duration(rng.IntN(4)) * time.Minute).Add(time.Duration(rng.IntN(2)))
		}
		if withSeq && rng.IntN(3) > 0 {
			x.Seq = rng.IntN(6) - 1 // some 0 and -1: no Seq
		}
		x.Text = fmt.Sprintf("%d:%s<%s", i, x.ID, x.ParentID)
	}
	return items
}

// TestBuildAgainstMapReference checks Build and every flattener against the map-of-pointers
// reference (reference_test.go) on random forests, with the real hash and with hashes that
// collide all the time.
func TestBuildAgainstMapReference(t *testing.T) {
	for _, h := range []struct {
		name string
		f    func(string) uint64
	}{
		{"maphash", nil},
		{"constant", func(string) uint64 { return 0x9e3779b97f4a7c15 }},
		{"low bits", func(s string) uint64 { return uint64(len(s)) }},
	} {
		t.Run(h.name, func(t *testing.T) {
			testHash = h.f
			defer func() { testHash = nil }()
			rng := rand.New(rand.NewPCG(18, 3))
			for round := range 600 {
				n := 1 + rng.IntN(12)
				if round%4 == 0 {
					n = 1 + rng.IntN(120)
				}
				items := randomForest(rng, n, round%3 != 0)
				compareWithReference(t, fmt.Sprintf("round %d", round), rng, items)
			}
		})
	}
}

func compareWithReference(t *testing.T, name string, rng *rand.Rand, items []client.Interaction) {
	t.Helper()
	n := len(items)
	tr := Build(items)
	ref := refBuild(items)
	fail := func(what string, got, want any) {
		t.Helper()
		var b strings.Builder
		for i, x := range items {
			fmt.Fprintf(&b, "  %d id=%q parent=%q time=%s seq=%d\n", i, x.ID, x.ParentID, x.Time.Format(time.RFC3339Nano), x.Seq)
		}
		t.Fatalf("%s: %s:\n got  %v\n want %v\nitems:\n%s", name, what, got, want, b.String())
	}
	rowsEqual := func(what string, got []Row, want []refRow) {
		t.Helper()
		if !reflect.DeepEqual(viewRows(got), nilIfEmpty(want)) {
			fail(what, "\n"+strings.Join(render(tr, got), "\n"), "\n"+strings.Join(renderView(tr, want), "\n"))
		}
	}
	indexes := func(g []*refNode) []int32 {
		s := []int32{}
		for _, x := range g {
			s = append(s, int32(x.idx))
		}
		return s
	}
	if got, want := append([]int32{}, tr.Roots()...), indexes(ref.roots); !slices.Equal(got, want) {
		fail("Roots", got, want)
	}
	for i, x := range ref.nodes {
		wantParent := -1
		if x.parent != nil {
			wantParent = x.parent.idx
		}
		if tr.Parent(i) != wantParent || tr.Orphan(i) != x.orphan || tr.Cycle(i) != x.cycle || tr.Duplicate(i) != x.dup {
			fail(fmt.Sprintf("item %d parent/orphan/cycle/dup", i),
				[]any{tr.Parent(i), tr.Orphan(i), tr.Cycle(i), tr.Duplicate(i)}, []any{wantParent, x.orphan, x.cycle, x.dup})
		}
		if got, want := append([]int32{}, tr.Children(i)...), indexes(x.kids); !slices.Equal(got, want) {
			fail(fmt.Sprintf("Children(%d)", i), got, want)
		}
		if id := items[i].ID; id != "" {
			if j, ok := tr.Lookup(id); !ok || ref.byID[id].idx != j {
				fail("Lookup "+id, j, ref.byID[id].idx)
			}
		}
	}
	if _, ok := tr.Lookup("gone"); ok {
		fail("Lookup(gone)", ok, false)
	}

	var collapsed map[string]bool
	if rng.IntN(2) == 0 {
		collapsed = map[string]bool{}
		for range rng.IntN(4) {
			collapsed[fmt.Sprint(rng.IntN(n+3))] = true
		}
	}
	rowsEqual("Flatten", tr.Flatten(collapsed), ref.flatten(collapsed, nil, nil))
	kept := make([]bool, n)
	for i := range kept {
		kept[i] = rng.IntN(4) == 0
	}
	keep := func(i int) bool { return kept[i] }
	rowsEqual("FlattenFiltered", tr.FlattenFiltered(collapsed, keep), ref.flatten(collapsed, keep, nil))
	s := rng.IntN(n)
	rowsEqual(fmt.Sprintf("Subtree(%d)", s), tr.Subtree(s, collapsed), ref.flatten(collapsed, nil, ref.nodes[s]))
}

// TestReferenceOnSynthetic compares Build with the reference on the benchmarks' data.
func TestReferenceOnSynthetic(t *testing.T) {
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	items := synthetic(n)
	tr, ref := Build(items), refBuild(items)
	if got, want := tr.Flatten(nil), ref.flatten(nil, nil, nil); !reflect.DeepEqual(viewRows(got), want) {
		t.Fatalf("Flatten of synthetic(%d) differs from the reference", n)
	}
}
