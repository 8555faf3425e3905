package thread

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/confab-dev/confab/client"
)

var base = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// it makes an interaction: id, parent id, minute offset. Text is the id unless label is set.
func it(id, parent string, minute int) client.Interaction {
	return client.Interaction{ID: id, ParentID: parent, Time: base.Add(time.Duration(minute) * time.Minute), Text: id}
}

// labelled returns x with its Text replaced (to tell duplicates apart in expectations).
func labelled(x client.Interaction, text string) client.Interaction {
	x.Text = text
	return x
}

// render shows rows as "prefix+text" with markers: "+" has children, "[c]" collapsed,
// "!orphan", "!cycle", "!dup", and "@depth" so depth is asserted too.
func render(t *Tree, rows []Row) []string { return renderView(t, viewRows(rows)) }

// renderView is render for rows seen through their accessors (or made by the reference).
func renderView(t *Tree, rows []refRow) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		var b strings.Builder
		b.WriteString(r.Prefix)
		b.WriteString(t.Item(int(r.Index)).Text)
		fmt.Fprintf(&b, " @%d", r.Depth)
		if r.HasChildren {
			b.WriteString(" +")
		}
		if r.Collapsed {
			b.WriteString(" [c]")
		}
		if r.Orphan {
			b.WriteString(" !orphan")
		}
		if r.Cycle {
			b.WriteString(" !cycle")
		}
		if r.Duplicate {
			b.WriteString(" !dup")
		}
		out = append(out, b.String())
	}
	return out
}

// nested is a small tree with two roots and three levels, given out of order.
func nested() []client.Interaction {
	return []client.Interaction{
		it("a2x", "a2", 5),
		it("b", "r", 6),
		it("r", "", 0),
		it("a", "r", 1),
		it("s", "", 10),
		it("a1", "a", 2),
		it("a2", "a", 3),
		it("b1", "b", 7),
	}
}

// reversedGroup is a root with n children listed latest first.
func reversedGroup(n int) []client.Interaction {
	items := []client.Interaction{it("r", "", 0)}
	for i := n - 1; i >= 0; i-- {
		items = append(items, it(fmt.Sprintf("c%02d", i), "r", 1+i))
	}
	return items
}

var nestedRows = []string{
	"r @0 +",
	"├─ a @1 +",
	"│  ├─ a1 @2",
	"│  └─ a2 @2 +",
	"│     └─ a2x @3",
	"└─ b @1 +",
	"   └─ b1 @2",
	"s @0",
}

func TestFlatten(t *testing.T) {
	tests := []struct {
		name      string
		items     []client.Interaction
		collapsed map[string]bool
		want      []string
	}{
		{name: "empty", items: nil, want: []string{}},
		{name: "single item", items: []client.Interaction{it("a", "", 0)}, want: []string{"a @0"}},
		{
			name: "many children per parent",
			items: []client.Interaction{
				it("r", "", 0), it("c3", "r", 3), it("c1", "r", 1), it("c4", "r", 4), it("c2", "r", 2),
			},
			want: []string{"r @0 +", "├─ c1 @1", "├─ c2 @1", "├─ c3 @1", "└─ c4 @1"},
		},
		{name: "nested levels", items: nested(), want: nestedRows},
		{
			name: "order by time then id then input position",
			items: []client.Interaction{
				it("r2", "", 0), // same time as r1: ordered by id
				it("r1", "", 0),
				it("r0", "", 1), // a smaller id but a later time: last
				labelled(it("z", "r1", 5), "z-first"),
				it("y", "r1", 5),
				labelled(it("z", "r1", 5), "z-second"), // duplicate id, same time: input order
				it("x", "r1", 6),
				it("w", "r1", 4),
			},
			want: []string{
				"r1 @0 +",
				"├─ w @1",
				"├─ y @1",
				"├─ z-first @1",
				"├─ z-second @1 !dup",
				"└─ x @1",
				"r2 @0",
				"r0 @0",
			},
		},
		{
			name: "sub-second times and zones compare as instants",
			items: []client.Interaction{
				{ID: "b", Text: "b", Time: base.Add(time.Nanosecond)},
				{ID: "a", Text: "a", Time: base.Add(2 * time.Nanosecond)},
				{ID: "c", Text: "c", Time: base.In(time.FixedZone("X", 3600))},
				{ID: "zero", Text: "zero"},
			},
			want: []string{"zero @0", "c @0", "b @0", "a @0"},
		},
		{
			name: "times outside 1678-2262 still order exactly",
			items: []client.Interaction{
				{ID: "y3000", Text: "y3000", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
				{ID: "y1500", Text: "y1500", Time: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)},
				{ID: "zero-b", Text: "zero-b"},
				{ID: "y2500", Text: "y2500", Time: time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC)},
				{ID: "now", Text: "now", Time: base},
				{ID: "y1000", Text: "y1000", Time: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)},
				{ID: "zero-a", Text: "zero-a"},
			},
			want: []string{"zero-a @0", "zero-b @0", "y1000 @0", "y1500 @0", "now @0", "y2500 @0", "y3000 @0"},
		},
		{
			name:  "a large sibling group in reverse order",
			items: reversedGroup(20),
			want: func() []string {
				w := []string{"r @0 +"}
				for i := range 20 {
					g := "├─ "
					if i == 19 {
						g = "└─ "
					}
					w = append(w, fmt.Sprintf("%sc%02d @1", g, i))
				}
				return w
			}(),
		},
		{
			name:  "a large sibling group already in order",
			items: append(reversedGroup(0), it("d1", "r", 1), it("d2", "r", 2), it("d3", "r", 3), it("d4", "r", 4), it("d5", "r", 5), it("d6", "r", 6), it("d7", "r", 7), it("d8", "r", 8), it("d9", "r", 9), it("e1", "r", 10), it("e2", "r", 11), it("e3", "r", 12), it("e4", "r", 13)),
			want: []string{
				"r @0 +", "├─ d1 @1", "├─ d2 @1", "├─ d3 @1", "├─ d4 @1", "├─ d5 @1", "├─ d6 @1", "├─ d7 @1",
				"├─ d8 @1", "├─ d9 @1", "├─ e1 @1", "├─ e2 @1", "├─ e3 @1", "└─ e4 @1",
			},
		},
		{
			name: "orphans sit at the root, ordered by time, with their children",
			items: []client.Interaction{
				it("r", "", 0),
				it("o", "missing", 2),
				it("oc", "o", 3),
				it("o0", "gone", -1),
				it("rc", "r", 1),
			},
			want: []string{
				"o0 @0 !orphan",
				"r @0 +",
				"└─ rc @1",
				"o @0 + !orphan",
				"└─ oc @1",
			},
		},
		{
			name:  "self-parent",
			items: []client.Interaction{it("a", "a", 0), it("b", "a", 1)},
			want:  []string{"a @0 + !cycle", "└─ b @1"},
		},
		{
			name:  "2-cycle cut at the earliest",
			items: []client.Interaction{it("b", "a", 1), it("a", "b", 0)},
			want:  []string{"a @0 + !cycle", "└─ b @1"},
		},
		{
			name:  "2-cycle with equal times cut at the smaller id",
			items: []client.Interaction{it("b", "a", 0), it("a", "b", 0)},
			want:  []string{"a @0 + !cycle", "└─ b @1"},
		},
		{
			name: "3-cycle with a branch and a tail",
			items: []client.Interaction{
				it("a", "c", 3), // parent links a→c→b→a; b is earliest
				it("tail", "a", 9),
				it("c", "b", 2),
				it("b", "a", 1),
				it("side", "b", 5),
			},
			want: []string{
				"b @0 + !cycle",
				"├─ c @1 +",
				"│  └─ a @2 +",
				"│     └─ tail @3",
				"└─ side @1",
			},
		},
		{
			name: "3-cycle entered from outside: every member reachable once",
			items: []client.Interaction{
				it("in", "c", 0), // walking from here enters the cycle at c
				it("a", "c", 1),
				it("b", "a", 2),
				it("c", "b", 3),
			},
			want: []string{
				"a @0 + !cycle",
				"└─ b @1 +",
				"   └─ c @2 +",
				"      └─ in @3",
			},
		},
		{
			name: "cycle beside a real root",
			items: []client.Interaction{
				it("root", "", 0),
				it("x", "root", 1),
				it("p", "q", 2),
				it("q", "p", 3),
				it("z", "q", 4),
				it("y", "x", 5),
			},
			want: []string{
				"root @0 +",
				"└─ x @1 +",
				"   └─ y @2",
				"p @0 + !cycle",
				"└─ q @1 +",
				"   └─ z @2",
			},
		},
		{
			name: "duplicate ids: first is the parent, later ones are leaves",
			items: []client.Interaction{
				labelled(it("a", "", 0), "a#0"),
				it("b", "a", 1),
				labelled(it("a", "", 2), "a#2"),       // duplicate at the root
				labelled(it("a", "b", 3), "a#3"),      // duplicate under b
				it("c", "a", 4),                       // attaches to a#0
				labelled(it("a", "a", 5), "a#5"),      // duplicate naming itself: under a#0
				labelled(it("", "", 6), "noid1"),      // empty ids are not duplicates
				labelled(it("", "b", 7), "noid2"),     //
				labelled(it("d", "", 8), "d"),         //
				labelled(it("e", "noid", 9), "e-orp"), // nothing is found by an empty id
			},
			want: []string{
				"a#0 @0 +",
				"├─ b @1 +",
				"│  ├─ a#3 @2 !dup",
				"│  └─ noid2 @2",
				"├─ c @1",
				"└─ a#5 @1 !dup",
				"a#2 @0 !dup",
				"noid1 @0",
				"d @0",
				"e-orp @0 !orphan",
			},
		},
		{
			name:      "collapse a middle node",
			items:     nested(),
			collapsed: map[string]bool{"a": true},
			want: []string{
				"r @0 +",
				"├─ a @1 + [c]",
				"└─ b @1 +",
				"   └─ b1 @2",
				"s @0",
			},
		},
		{
			name:      "collapse a deeper middle node and a leaf",
			items:     nested(),
			collapsed: map[string]bool{"a2": true, "a1": true, "s": true, "nope": true, "b": false},
			want: []string{
				"r @0 +",
				"├─ a @1 +",
				"│  ├─ a1 @2",
				"│  └─ a2 @2 + [c]",
				"└─ b @1 +",
				"   └─ b1 @2",
				"s @0",
			},
		},
		{
			name:      "collapse a root",
			items:     nested(),
			collapsed: map[string]bool{"r": true, "a": true},
			want:      []string{"r @0 + [c]", "s @0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(tc.items)
			tr := Build(tc.items)
			got := render(tr, tr.Flatten(tc.collapsed))
			if !slices.Equal(got, tc.want) {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if !reflect.DeepEqual(before, tc.items) {
				t.Errorf("Build modified its input")
			}
			if tr.Len() != len(tc.items) {
				t.Errorf("Len = %d, want %d", tr.Len(), len(tc.items))
			}
		})
	}
}

func TestAccessors(t *testing.T) {
	items := nested()
	items = append(items, it("o", "missing", 20), it("c", "c", 21), labelled(it("a", "", 22), "dup"))
	tr := Build(items)
	idx := func(text string) int32 {
		for i := range items {
			if items[i].Text == text {
				return int32(i)
			}
		}
		t.Fatalf("no item %q", text)
		return -1
	}
	names := func(ix []int32) []string {
		var s []string
		for _, i := range ix {
			s = append(s, items[i].Text)
		}
		return s
	}
	if got, want := names(tr.Roots()), []string{"r", "s", "o", "c", "dup"}; !slices.Equal(got, want) {
		t.Errorf("Roots = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		node string
		kids []string
	}{
		{"r", []string{"a", "b"}},
		{"a", []string{"a1", "a2"}},
		{"a2", []string{"a2x"}},
		{"a2x", nil},
		{"dup", nil},
	} {
		if got := names(tr.Children(int(idx(tc.node)))); !slices.Equal(got, tc.kids) {
			t.Errorf("Children(%s) = %v, want %v", tc.node, got, tc.kids)
		}
	}
	// The returned slices are capped: appending must not overwrite the tree.
	k := tr.Children(int(idx("a")))
	_ = append(k, 0)
	if got := names(tr.Children(int(idx("a2")))); !slices.Equal(got, []string{"a2x"}) {
		t.Errorf("appending to Children changed the tree: %v", got)
	}
	if tr.Parent(int(idx("a2x"))) != int(idx("a2")) || tr.Parent(int(idx("r"))) != -1 || tr.Parent(int(idx("o"))) != -1 {
		t.Errorf("Parent wrong")
	}
	if i, ok := tr.Lookup("a"); !ok || i != int(idx("a")) {
		t.Errorf("Lookup(a) = %d %v", i, ok)
	}
	if _, ok := tr.Lookup(""); ok {
		t.Errorf("Lookup(\"\") found something")
	}
	if _, ok := Build(nil).Lookup("a"); ok {
		t.Errorf("Lookup in an empty tree found something")
	}
	if _, ok := tr.Lookup("missing"); ok {
		t.Errorf("Lookup(missing) found something")
	}
	if !tr.Orphan(int(idx("o"))) || tr.Orphan(int(idx("r"))) {
		t.Errorf("Orphan wrong")
	}
	if !tr.Cycle(int(idx("c"))) || tr.Cycle(int(idx("o"))) {
		t.Errorf("Cycle wrong")
	}
	if !tr.Duplicate(int(idx("dup"))) || tr.Duplicate(int(idx("a"))) {
		t.Errorf("Duplicate wrong")
	}
	if tr.Item(int(idx("b1"))) != &items[idx("b1")] {
		t.Errorf("Item does not point into the input slice")
	}
}

func TestFlattenFiltered(t *testing.T) {
	tests := []struct {
		name      string
		keep      []string // texts to keep; nil keeps all (nil func)
		none      bool     // keep nothing
		collapsed map[string]bool
		want      []string
	}{
		{name: "nil keep is Flatten", want: nestedRows},
		{name: "keep nothing", none: true, want: []string{}},
		{
			name: "deep match keeps ancestors; a becomes the last child",
			keep: []string{"a2x"},
			want: []string{
				"r @0 +",
				"└─ a @1 +",
				"   └─ a2 @2 +",
				"      └─ a2x @3",
			},
		},
		{
			name: "two branches; a1 becomes last under a",
			keep: []string{"a1", "b1"},
			want: []string{
				"r @0 +",
				"├─ a @1 +",
				"│  └─ a1 @2",
				"└─ b @1 +",
				"   └─ b1 @2",
			},
		},
		{
			name: "matching an inner node alone hides its children",
			keep: []string{"a"},
			want: []string{"r @0 +", "└─ a @1"},
		},
		{
			name: "a root alone",
			keep: []string{"s"},
			want: []string{"s @0"},
		},
		{
			name: "middle sibling kept, last one filtered",
			keep: []string{"a", "a2", "r"},
			want: []string{
				"r @0 +",
				"└─ a @1 +",
				"   └─ a2 @2",
			},
		},
		{
			name:      "collapsing still applies to kept rows",
			keep:      []string{"a2x", "b1"},
			collapsed: map[string]bool{"a": true},
			want: []string{
				"r @0 +",
				"├─ a @1 + [c]",
				"└─ b @1 +",
				"   └─ b1 @2",
			},
		},
		{
			name:      "collapsing a node whose kept children are none is not marked",
			keep:      []string{"a"},
			collapsed: map[string]bool{"a": true},
			want:      []string{"r @0 +", "└─ a @1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items := nested()
			tr := Build(items)
			var keep func(int) bool
			switch {
			case tc.none:
				keep = func(int) bool { return false }
			case tc.keep != nil:
				keep = func(i int) bool { return slices.Contains(tc.keep, items[i].Text) }
			}
			got := render(tr, tr.FlattenFiltered(tc.collapsed, keep))
			if !slices.Equal(got, tc.want) {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestSubtree(t *testing.T) {
	items := nested()
	tr := Build(items)
	at := func(id string) int {
		i, ok := tr.Lookup(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		return i
	}
	tests := []struct {
		name      string
		i         int
		collapsed map[string]bool
		want      []string
	}{
		{
			name: "inner node, depth relative",
			i:    at("a"),
			want: []string{"a @0 +", "├─ a1 @1", "└─ a2 @1 +", "   └─ a2x @2"},
		},
		{name: "leaf", i: at("b1"), want: []string{"b1 @0"}},
		{name: "whole root", i: at("r"), want: nestedRows[:7]},
		{
			name:      "collapsed inside",
			i:         at("r"),
			collapsed: map[string]bool{"a": true},
			want:      []string{"r @0 +", "├─ a @1 + [c]", "└─ b @1 +", "   └─ b1 @2"},
		},
		{name: "collapsed itself", i: at("a"), collapsed: map[string]bool{"a": true}, want: []string{"a @0 + [c]"}},
		{name: "out of range", i: len(items), want: []string{}},
		{name: "negative", i: -1, want: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := render(tr, tr.Subtree(tc.i, tc.collapsed))
			if !slices.Equal(got, tc.want) {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestGuideDepthCap(t *testing.T) {
	// A chain 0←1←…←39 with an extra leaf "x" beside item 36, so a deep row has a sibling.
	var items []client.Interaction
	for i := range 40 {
		parent := ""
		if i > 0 {
			parent = fmt.Sprint(i - 1)
		}
		items = append(items, it(fmt.Sprint(i), parent, i))
	}
	items = append(items, it("x", "35", 100))
	tr := Build(items)
	rows := tr.Flatten(nil)
	byText := map[string]Row{}
	for _, r := range rows {
		byText[items[r.Index].Text] = r
	}
	full := func(levels int) string { return strings.Repeat(guideSpace, levels-1) + guideLast }
	tests := []struct {
		text, prefix string
		depth        int
	}{
		{"0", "", 0},
		{"1", "└─ ", 1},
		{"3", "      └─ ", 3},
		{"31", full(31), 31},
		{"32", full(32), 32},
		{"33", full(32), 33},
		{"36", strings.Repeat(guideSpace, 31) + guideBranch, 36},
		{"37", full(32), 37},
		{"x", full(32), 36},
		{"39", full(32), 39},
	}
	for _, tc := range tests {
		r := byText[tc.text]
		if r.Prefix() != tc.prefix || r.Depth() != tc.depth {
			t.Errorf("%s: prefix %q depth %d, want %q depth %d", tc.text, r.Prefix(), r.Depth(), tc.prefix, tc.depth)
		}
	}
}

// TestDeepChain checks that a chain a million levels deep (and a cycle as long) is handled
// without recursion and with bounded prefixes.
func TestDeepChain(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 50_000
	}
	items := make([]client.Interaction, n)
	for i := range items {
		items[i] = client.Interaction{ID: fmt.Sprint(i), Time: base.Add(time.Duration(i) * time.Second)}
		if i > 0 {
			items[i].ParentID = fmt.Sprint(i - 1)
		}
	}
	tr := Build(items)
	rows := tr.Flatten(nil)
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	last := rows[n-1]
	if last.Index != int32(n-1) || last.Depth() != n-1 || len([]rune(last.Prefix())) != 3*MaxGuideDepth {
		t.Errorf("last row %+v", last)
	}
	if sub := tr.Subtree(n/2, nil); len(sub) != n-n/2 || sub[len(sub)-1].Depth() != n-n/2-1 {
		t.Errorf("Subtree of the middle: %d rows", len(sub))
	}
	if f := tr.FlattenFiltered(nil, func(i int) bool { return i == n-1 }); len(f) != n {
		t.Errorf("FlattenFiltered on the deepest item: %d rows, want %d", len(f), n)
	}
	// Close the chain into one huge cycle: item 0 is earliest, so it is cut there.
	items[0].ParentID = fmt.Sprint(n - 1)
	tr = Build(items)
	if rows := tr.Flatten(nil); len(rows) != n || !rows[0].Cycle() || rows[0].Index != 0 || rows[n-1].Depth() != n-1 {
		t.Errorf("cycle of %d: %d rows, first %+v", n, len(rows), rows[0])
	}
}

// TestRandomAgainstReference compares Build and the flatteners with the map-of-pointers
// reference (reference_test.go) on random forests with orphans, cycles and duplicates.
func TestRandomAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		n := 1 + rng.IntN(MaxGuideDepth-2) // the reference draws no depth cap
		items := make([]client.Interaction, n)
		for i := range items {
			items[i] = client.Interaction{
				ID:   fmt.Sprint(rng.IntN(n + 3)), // some duplicates
				Time: base.Add(time.Duration(rng.IntN(5)) * time.Minute),
			}
			switch rng.IntN(5) {
			case 0:
				// root
			case 1:
				items[i].ParentID = fmt.Sprint(n + 10) // orphan
			default:
				items[i].ParentID = fmt.Sprint(rng.IntN(n + 3)) // may be missing or cyclic
			}
			items[i].Text = fmt.Sprintf("%d:%s", i, items[i].ID)
		}
		tr := Build(items)
		checkStructure(t, round, items, tr)

		var collapsed map[string]bool
		if rng.IntN(2) == 0 {
			collapsed = map[string]bool{}
			for range rng.IntN(4) {
				collapsed[fmt.Sprint(rng.IntN(n))] = true
			}
		}
		ref := refBuild(items)
		want := ref.flatten(collapsed, nil, nil)
		if got := tr.Flatten(collapsed); !reflect.DeepEqual(viewRows(got), nilIfEmpty(want)) {
			t.Fatalf("round %d Flatten:\n%s\nwant\n%s", round, strings.Join(render(tr, got), "\n"), strings.Join(renderView(tr, want), "\n"))
		}
		kept := make([]bool, n)
		for i := range kept {
			kept[i] = rng.IntN(4) == 0
		}
		keep := func(i int) bool { return kept[i] }
		want = ref.flatten(collapsed, keep, nil)
		if got := tr.FlattenFiltered(collapsed, keep); !reflect.DeepEqual(viewRows(got), nilIfEmpty(want)) {
			t.Fatalf("round %d FlattenFiltered:\n%s\nwant\n%s", round, strings.Join(render(tr, got), "\n"), strings.Join(renderView(tr, want), "\n"))
		}
	}
}

// TestHashCollisions reruns the randomized comparison with hash functions that collide
// constantly (whole hashes, or the slot bits with the tag bits), so the exact fallbacks run.
func TestHashCollisions(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    func(string) uint64
	}{
		{"constant", func(string) uint64 { return 0x9e3779b97f4a7c15 }},
		{"by length", func(s string) uint64 { return uint64(len(s)) << 60 }},
		{"same tag", func(s string) uint64 {
			var x uint64
			for _, c := range []byte(s) {
				x = x*31 + uint64(c)
			}
			return x%3<<62 | 7
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testHash = tc.h
			defer func() { testHash = nil }()
			TestRandomAgainstReference(t)
			TestFlatten(t)
			tr := Build(nested())
			for _, id := range []string{"r", "a2x", "s"} {
				if i, ok := tr.Lookup(id); !ok || tr.Item(i).ID != id {
					t.Errorf("Lookup(%s) = %d %v", id, i, ok)
				}
			}
			if _, ok := tr.Lookup("zz"); ok {
				t.Errorf("Lookup(zz) found something")
			}
		})
	}
}

func nilIfEmpty[R any](r []R) []R {
	if len(r) == 0 {
		return nil
	}
	return r
}

// checkStructure verifies the tree's shape from first principles: every item appears exactly
// once, a non-root's parent is the first item with its ParentID, roots are exactly the items
// with an empty, missing or cut parent, siblings are ordered, and no parent chain loops.
func checkStructure(t *testing.T, round int, items []client.Interaction, tr *Tree) {
	t.Helper()
	first := map[string]int{}
	for i, x := range items {
		if _, ok := first[x.ID]; !ok && x.ID != "" {
			first[x.ID] = i
		}
	}
	seen := make([]int, len(items))
	order := func(g []int32) {
		for k := 1; k < len(g); k++ {
			a, b := items[g[k-1]], items[g[k]]
			if a.Time.After(b.Time) || (a.Time.Equal(b.Time) && (a.ID > b.ID || (a.ID == b.ID && g[k-1] > g[k]))) {
				t.Fatalf("round %d: siblings out of order: %v", round, g)
			}
		}
	}
	order(tr.Roots())
	for _, r := range tr.Roots() {
		seen[r]++
		x := items[r]
		_, found := first[x.ParentID]
		switch {
		case x.ParentID == "":
		case !found:
			if !tr.Orphan(int(r)) {
				t.Fatalf("round %d: root %d should be an orphan", round, r)
			}
		default:
			if !tr.Cycle(int(r)) {
				t.Fatalf("round %d: root %d has a parent but is not a cut cycle", round, r)
			}
		}
	}
	for i := range items {
		kids := tr.Children(i)
		order(kids)
		if len(kids) > 0 && first[items[i].ID] != i {
			t.Fatalf("round %d: duplicate %d has children", round, i)
		}
		for _, c := range kids {
			seen[c]++
			if items[c].ParentID != items[i].ID || tr.Parent(int(c)) != i {
				t.Fatalf("round %d: %d under %d", round, c, i)
			}
		}
		steps := 0
		for j := i; j >= 0; j = tr.Parent(j) {
			if steps++; steps > len(items) {
				t.Fatalf("round %d: parent chain of %d loops", round, i)
			}
		}
	}
	for i, s := range seen {
		if s != 1 {
			t.Fatalf("round %d: item %d placed %d times", round, i, s)
		}
	}
}

// TestSeqOrdersSiblings: the vendor's own order (Seq) comes before times, so a thread whose
// times are missing, equal or wrong keeps that order; items without a Seq come after those
// with one; without any Seq the order is Time, then ID, as before.
func TestSeqOrdersSiblings(t *testing.T) {
	seq := func(x client.Interaction, n int) client.Interaction { x.Seq = n; return x }
	zero := func(x client.Interaction) client.Interaction { x.Time = time.Time{}; return x }
	cases := []struct {
		name  string
		items []client.Interaction
		want  []string
	}{
		{"seq over scrambled times", []client.Interaction{seq(it("c", "", 1), 3), seq(it("a", "", 9), 1), seq(it("b", "", 5), 2)},
			[]string{"a @0", "b @0", "c @0"}},
		{"seq over missing times and ids", []client.Interaction{seq(zero(it("z", "", 0)), 1), seq(zero(it("y", "", 0)), 3), seq(zero(it("x", "", 0)), 2)},
			[]string{"z @0", "x @0", "y @0"}},
		{"more than twelve siblings (the sorting path)", func() []client.Interaction {
			var xs []client.Interaction
			for i := range 20 {
				xs = append(xs, seq(it(fmt.Sprintf("m%02d", i), "", 100-i), 20-i))
			}
			return xs
		}(), func() []string {
			var w []string
			for i := 19; i >= 0; i-- {
				w = append(w, fmt.Sprintf("m%02d @0", i))
			}
			return w
		}()},
		{"without seq after those with", []client.Interaction{it("late", "", 0), seq(it("b", "", 9), 2), seq(it("a", "", 8), 1)},
			[]string{"a @0", "b @0", "late @0"}},
		{"children by seq too", []client.Interaction{it("root", "", 0), seq(it("k2", "root", 1), 2), seq(it("k1", "root", 2), 1)},
			[]string{"root @0 +", "├─ k1 @1", "└─ k2 @1"}},
		{"no seq: time, then id", []client.Interaction{it("b", "", 1), it("c", "", 0), it("a", "", 1)},
			[]string{"c @0", "a @0", "b @0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := Build(tc.items)
			if got := render(tr, tr.Flatten(nil)); !slices.Equal(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestRowIsPointerFree checks what makes a flattened million-item thread cheap to keep: a Row
// is 16 bytes and holds no pointer, so the garbage collector never scans the rows.
func TestRowIsPointerFree(t *testing.T) {
	if s := unsafe.Sizeof(Row{}); s != 16 {
		t.Errorf("Row is %d bytes, want 16", s)
	}
	rt := reflect.TypeFor[Row]()
	for i := range rt.NumField() {
		switch f := rt.Field(i); f.Type.Kind() {
		case reflect.Int32, reflect.Uint32, reflect.Uint8:
		default:
			t.Errorf("Row.%s is a %s: a Row must hold no pointer", f.Name, f.Type)
		}
	}
}

// TestPrefixCache checks Row.Prefix against prefixes built the reference's way (string
// concatenation) for every shape up to 12 levels and for the capped depths, from several
// goroutines at once (run with -race), with far more shapes than the cache keeps, so slots
// are replaced while others read them; and that a prefix asked for again does not allocate.
func TestPrefixCache(t *testing.T) {
	want := func(levels int, bits uint32) string {
		s := ""
		for k := range levels - 1 {
			if bits>>k&1 != 0 {
				s += guideSpace
			} else {
				s += guideLine
			}
		}
		if bits>>(levels-1)&1 != 0 {
			return s + guideLast
		}
		return s + guideBranch
	}
	type shape struct {
		depth int32
		bits  uint32
	}
	var shapes []shape
	for levels := 1; levels <= 12; levels++ {
		for bits := range uint32(1) << levels {
			shapes = append(shapes, shape{int32(levels), bits})
		}
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for range 500 {
		shapes = append(shapes, shape{int32(MaxGuideDepth + rng.IntN(3)), rng.Uint32()})
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			for k := range shapes {
				s := shapes[(k*(2*g+1))%len(shapes)]
				levels := min(int(s.depth), MaxGuideDepth)
				if got, w := (Row{depth: s.depth, guides: s.bits}).Prefix(), want(levels, s.bits); got != w {
					select {
					case errs <- fmt.Sprintf("depth %d bits %b: %q, want %q", s.depth, s.bits, got, w):
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := (Row{}).Prefix(); got != "" {
		t.Errorf("depth 0: %q, want empty", got)
	}
	r := Row{depth: 3, guides: 0b101}
	_ = r.Prefix()
	if a := testing.AllocsPerRun(100, func() { _ = r.Prefix() }); a != 0 {
		t.Errorf("Prefix asked for again: %v allocations, want 0", a)
	}
}

// TestIDPrefixOrder checks the property the sibling order relies on: when two IDs' prefixes
// differ, they compare as the IDs do (short IDs, IDs that are prefixes of others, NUL and
// high bytes included).
func TestIDPrefixOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	alphabet := []byte{0, 1, 'a', 'b', 0x7f, 0x80, 0xff}
	ids := []string{"", "a", "a\x00", "ab", "abcdefgh", "abcdefghi", "abcdefgg\xff", "\xff\xff\xff\xff\xff\xff\xff\xff"}
	for range 400 {
		b := make([]byte, rng.IntN(11))
		for k := range b {
			b[k] = alphabet[rng.IntN(len(alphabet))]
		}
		ids = append(ids, string(b))
	}
	for _, a := range ids {
		for _, b := range ids {
			pa, pb := idPrefix(a), idPrefix(b)
			if pa != pb && cmp.Compare(pa, pb) != strings.Compare(a, b) {
				t.Fatalf("idPrefix(%q) = %#x, idPrefix(%q) = %#x: order differs from the IDs'", a, pa, b, pb)
			}
		}
	}
}

// TestLookupConcurrent calls Lookup on a fresh tree from several goroutines at once (the
// first call indexes the IDs; run with -race), and on an empty tree.
func TestLookupConcurrent(t *testing.T) {
	items := synthetic(5_000)
	tr := Build(items)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := g; k < len(items); k += 7 {
				id := items[k].ID
				if i, ok := tr.Lookup(id); !ok || items[i].ID != id || i > k {
					t.Errorf("Lookup(%q) = %d %v", id, i, ok)
					return
				}
			}
			if _, ok := tr.Lookup("nowhere"); ok {
				t.Errorf("Lookup(nowhere) found something")
			}
		})
	}
	wg.Wait()
	if _, ok := Build(nil).Lookup("x"); ok {
		t.Errorf("Lookup on an empty tree found something")
	}
}

// TestLookupScanThenIndex checks that the first Lookup (a scan of the items) and the later
// ones (through the index) give the same answers, the first item of duplicates included,
// whichever ID is asked for first.
func TestLookupScanThenIndex(t *testing.T) {
	items := []client.Interaction{it("a", "", 0), it("b", "a", 1), it("a", "b", 2), it("", "a", 3), it("c", "zz", 4)}
	want := map[string]int{"a": 0, "b": 1, "c": 4, "zz": -1, "": 0}
	for _, first := range []string{"a", "b", "c", "zz", ""} {
		tr := Build(items)
		for _, id := range []string{first, "a", "b", "c", "zz", "", first} {
			i, ok := tr.Lookup(id)
			w := want[id]
			if id == "" {
				if ok {
					t.Errorf("first %q: Lookup(\"\") found %d", first, i)
				}
				continue
			}
			if ok != (w >= 0) || ok && i != w {
				t.Errorf("first %q: Lookup(%q) = %d %v, want %d", first, id, i, ok, w)
			}
		}
	}
}

// TestRandomNearParents checks the structure of larger trees whose parents are mostly near
// their replies, before or after them, within and beyond Build's look-around (nearParent),
// with duplicate IDs and cycles: the paths the small randomized rounds cannot reach (the
// look-ahead's window moving along a long input).
func TestRandomNearParents(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 200 {
		n := 50 + rng.IntN(500)
		items := make([]client.Interaction, n)
		for i := range items {
			id := i
			if rng.IntN(8) == 0 {
				id = max(0, i-rng.IntN(3*nearParent)) // a duplicate of an earlier or nearby ID
			}
			items[i] = client.Interaction{
				ID:   fmt.Sprint(id),
				Time: base.Add(time.Duration(rng.IntN(5)) * time.Minute),
			}
			if rng.IntN(6) != 0 {
				off := rng.IntN(6*nearParent) - 3*nearParent // before or after, near or beyond
				items[i].ParentID = fmt.Sprint(i + off)
			}
		}
		checkStructure(t, round, items, Build(items))
	}
}
