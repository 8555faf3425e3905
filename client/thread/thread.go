// Package thread arranges a conversation's interactions into a tree by their parent ids and
// flattens that tree into display rows with tree guides ("├─ ", "└─ ", "│  ").
//
// It is pure: no I/O, no Bubble Tea. The thread view windows and renders the []Row that
// Flatten returns, and the exporters walk the same rows, so the on-screen order and the
// export order cannot disagree.
//
// The tree is index based: nodes are positions in the slice given to Build, and the parent
// and child links are int32 arrays (children in one compressed array), which is several times
// faster and smaller than a map of pointers. Every walk is iterative, so a chain a million
// levels deep cannot exhaust the stack.
//
// Rules Build applies to imperfect data:
//   - Siblings, and the roots, are ordered by Seq (the vendor's own order, when an item has
//     one; items without come after those with), then Time, then ID, then input position.
//   - An item whose ParentID is empty is a root.
//   - An item whose ParentID is not the ID of any item is a root marked Orphan.
//   - Parent links that form a cycle (including an item that is its own parent) are cut: in
//     each cycle, the earliest member (by Seq, Time, ID, then input position) loses its parent
//     link, becomes a root and is marked Cycle. The rest of the cycle hangs below it.
//   - When several items share an ID, the first one (in input order) is the node that
//     children attach to. The later ones are still placed, as leaves under their own
//     ParentID, and marked Duplicate; nothing can be their child.
//   - An item with an empty ID can never be a parent and is never a duplicate.
package thread

import (
	"cmp"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/confab-dev/confab/client"
)

// MaxGuideDepth is the deepest level whose tree guides are drawn in full. A row deeper than
// this keeps a prefix of MaxGuideDepth levels (3·MaxGuideDepth cells): the guides stop
// growing, and only the row's own branch ("├─ " or "└─ ") is exact. Row.Depth stays exact, so
// a view can show the real depth; without the cap a deep chain would need prefixes whose
// total size grows with the square of its depth.
const MaxGuideDepth = 32

// The tree guides, each 3 cells wide.
const (
	guideBranch = "├─ " // a child that has later siblings
	guideLast   = "└─ " // the last child
	guideLine   = "│  " // an ancestor level that has later siblings
	guideSpace  = "   " // an ancestor level that was the last child
)

// Per-item flags.
const (
	flagOrphan uint8 = 1 << iota
	flagCycle
	flagDuplicate
	flagHashed // internal to Build: hs[i] holds the hash of item i's ID
	flagLookup // internal to Build: parent[i] holds the hash of item i's ParentID, to look up
	flagOnPath // internal to breakCycles
	flagDone   // internal to breakCycles
)

// Tree is an index-based tree over a slice of interactions (no map of pointers). It is
// immutable once built and safe for concurrent use. It refers to the slice given to Build,
// which the caller must not modify while the tree is in use.
type Tree struct {
	items []client.Interaction
	// parent[i] is the index of item i's parent, or -1 for a root (after cycles are cut).
	parent []int32
	// The children of item i are kids[start[i]:start[i+1]], in display order.
	start []int32
	kids  []int32
	roots []int32
	flags []uint8
	// byID finds the index of an ID's first occurrence (empty IDs are absent). Build indexes
	// the IDs in scratch memory it reuses; the tree's own index is made by the second Lookup.
	byID     idIndex
	byIDOnce sync.Once
	lookups  atomic.Int64 // calls of Lookup so far
}

// Row is one line of the flattened tree. It holds no pointers and is 16 bytes, so a
// flattened million-item thread is one 16 MB array the garbage collector never scans; the
// row's tree guides are kept as bits and Prefix makes their string when asked (for the rows
// shown or exported, not for every row).
type Row struct {
	Index int32 // index into the items given to Build

	depth int32
	// guides holds min(depth, MaxGuideDepth) bits, one per level of the prefix: bit k set for
	// k below the last level means "   " (that ancestor was the last of its siblings), clear
	// "│  "; the last level's bit set means "└─ " (the row is the last of its siblings),
	// clear "├─ ".
	guides uint32
	flags  uint8 // rowHasChildren, rowCollapsed and the item's flagOrphan, flagCycle, flagDuplicate
}

// Row flags beside the item flags flagOrphan, flagCycle and flagDuplicate.
const (
	rowHasChildren uint8 = 1 << 6
	rowCollapsed   uint8 = 1 << 7
	rowItemFlags         = flagOrphan | flagCycle | flagDuplicate
)

// Depth is the row's depth: 0 for a root (or for the item Subtree starts from).
func (r Row) Depth() int { return int(r.depth) }

// HasChildren reports whether the row has children in the shape being flattened (even if
// collapsed).
func (r Row) HasChildren() bool { return r.flags&rowHasChildren != 0 }

// Collapsed reports whether the row has children and they are hidden because it is collapsed.
func (r Row) Collapsed() bool { return r.flags&rowCollapsed != 0 }

// Orphan reports whether the row's parent id was not found.
func (r Row) Orphan() bool { return r.flags&flagOrphan != 0 }

// Cycle reports whether a parent link was cut at this row to break a cycle.
func (r Row) Cycle() bool { return r.flags&flagCycle != 0 }

// Duplicate reports whether an earlier item has the same ID (this one is then a leaf).
func (r Row) Duplicate() bool { return r.flags&flagDuplicate != 0 }

// Prefix is the row's tree guides, e.g. "", "├─ ", "└─ ", "│  ├─ ", "   └─ " (each level 3
// cells, at most MaxGuideDepth levels). The strings are shared: a prefix asked for again
// (the rows on screen, frame after frame) is found in a small cache without allocating.
func (r Row) Prefix() string {
	levels := min(r.depth, MaxGuideDepth)
	if levels <= 0 {
		return ""
	}
	key := uint64(levels)<<32 | uint64(r.guides)
	slot := &prefixCache[(key*0x9e3779b97f4a7c15)>>(64-prefixCacheBits)]
	if e := slot.Load(); e != nil && e.key == key {
		return e.s
	}
	s := buildPrefix(int(levels), r.guides)
	slot.Store(&prefixEntry{key: key, s: s})
	return s
}

// prefixCacheBits is log2 of the number of prefixes kept by Prefix.
const prefixCacheBits = 10

// prefixEntry is a prefix string with its key: levels<<32 | guide bits.
type prefixEntry struct {
	key uint64
	s   string
}

// prefixCache keeps the prefixes made last, by a hash of their key; a slot holds one entry,
// replaced whole (safe for concurrent use).
var prefixCache [1 << prefixCacheBits]atomic.Pointer[prefixEntry]

// buildPrefix makes the prefix of levels levels from its guide bits (see Row.guides).
func buildPrefix(levels int, bits uint32) string {
	var b strings.Builder
	b.Grow(levels * len(guideLine))
	for k := range levels - 1 {
		if bits>>k&1 != 0 {
			b.WriteString(guideSpace)
		} else {
			b.WriteString(guideLine)
		}
	}
	if bits>>(levels-1)&1 != 0 {
		b.WriteString(guideLast)
	} else {
		b.WriteString(guideBranch)
	}
	return b.String()
}

// Build arranges items by ParentID (see the package documentation for the rules it applies
// to orphans, cycles and duplicate IDs). Build does not modify items; the tree refers to them.
func Build(items []client.Interaction) *Tree {
	n := len(items)
	t := &Tree{
		items:  items,
		parent: make([]int32, n),
		flags:  make([]uint8, n),
	}
	if n == 0 {
		t.start = []int32{0}
		return t
	}
	if int64(n) > int64(maxItems) {
		panic("thread: too many interactions")
	}

	// The one pass over the items (which are large and may be many): everything later steps
	// need goes into compact arrays: the sort keys, the ID hashes, and each item's parent when
	// the ParentID is empty or names one of the nearParent items around it (logs list a reply
	// soon after what it answers, sometimes just before; those items are still in the cache),
	// else the hash of the ParentID to look up (kept in parent[i] until it is looked up,
	// flagged flagLookup).
	sc := getScratch(n)
	defer scratchPool.Put(sc)
	key := sc.key[:n]
	var seq []int // nil when no item has a Seq
	// The ID hashes are needed only until the parents are resolved: they live in the array
	// that becomes start.
	t.start = make([]int32, n+1)
	hs := t.start[:n]
	var byID idIndex
	byID.init(n, sc.slots)
	sc.slots = byID.slots[:cap(byID.slots)]
	// pending lists the items of the last nearParent whose parent is still to be found: the
	// items after them, hashing their IDs, look for it too (a reply listed before what it
	// answers).
	var pendingBuf [2 * nearParent]int32
	pending := pendingBuf[:0]
	for i := range items {
		for len(pending) > 0 && pending[0] < int32(i-nearParent) {
			pending = pending[1:]
		}
		x := &items[i]
		key[i] = sortKey{time: timeKey(x.Time), id: idPrefix(x.ID)}
		if x.Seq > 0 {
			if seq == nil {
				seq = make([]int, n)
			}
			seq[i] = x.Seq
		}
		if x.ID != "" {
			h := int32(byID.hash(x.ID))
			hs[i] = h
			t.flags[i] |= flagHashed
			// Items just before that named this ID as their parent and did not find it.
			for k := 0; k < len(pending); k++ {
				if c := pending[k]; t.parent[c] == h && items[c].ParentID == x.ID {
					t.parent[c] = int32(i) // unless this item turns out a duplicate
					t.flags[c] &^= flagLookup
					pending = slices.Delete(pending, k, k+1)
					k--
				}
			}
		}
		p := x.ParentID
		if p == "" {
			t.parent[i] = -1
			continue
		}
		if i > 0 && items[i-1].ID == p {
			t.parent[i] = int32(i - 1) // unless that item turns out a duplicate
			continue
		}
		h := int32(byID.hash(p))
		t.parent[i] = h
		t.flags[i] |= flagLookup
		for j := i - 2; j >= max(0, i-nearParent); j-- {
			if hs[j] == h && t.flags[j]&flagHashed != 0 && items[j].ID == p {
				t.parent[i] = int32(j) // unless that item turns out a duplicate
				t.flags[i] &^= flagLookup
				break
			}
		}
		if t.flags[i]&flagLookup != 0 {
			if len(pending) == cap(pending) {
				// Move the window (at most nearParent items) to the array's front.
				pending = append(pendingBuf[:0], pending...)
			}
			pending = append(pending, int32(i))
		}
	}

	// Index the IDs, visiting them in hash order so the table is filled front to back
	// (cache friendly); the order is stable, so the first of several equal IDs is indexed and
	// the later ones are marked duplicates.
	work := bucketOrder(hs, t.flags, flagHashed, sc.work[:n])
	for _, e := range work {
		if i := e.index(); !byID.insert(items, e.hash(), i) {
			t.flags[i] |= flagDuplicate
		}
	}

	// A duplicate cannot be a parent: an item whose parent was found just before it, a
	// duplicate, looks its parent up like the rest (the hash of its ParentID is that item's
	// ID hash). The rest are looked up in hash order, by hash alone, and then checked against
	// the real IDs in input order (where a parent is usually close by).
	for i := range n {
		t.flags[i] &^= flagHashed
		if t.flags[i]&flagLookup == 0 {
			if j := t.parent[i]; j >= 0 && t.flags[j]&flagDuplicate != 0 {
				t.parent[i] = hs[j]
				t.flags[i] |= flagLookup
			}
		}
	}
	for _, e := range bucketOrder(t.parent, t.flags, flagLookup, work) {
		t.parent[e.index()] = byID.candidate(e.hash())
	}
	for i := range items {
		if t.flags[i]&flagLookup == 0 {
			continue
		}
		t.flags[i] &^= flagLookup
		j := t.parent[i]
		if j >= 0 && items[j].ID != items[i].ParentID {
			j = byID.find(items, items[i].ParentID) // a hash collision: look up exactly
		}
		if j < 0 {
			t.flags[i] |= flagOrphan
		}
		t.parent[i] = j
	}

	less := order{key: key, seq: seq, items: items}
	t.breakCycles(less)

	// Children in compressed form: count per parent, running sums (start[p] is then the end
	// of p's group), and a backward fill that leaves start[p] at the group's beginning with
	// the children in input order; then sort each group.
	clear(t.start) // it held the ID hashes
	nroots := 0
	for _, p := range t.parent {
		if p < 0 {
			nroots++
		} else {
			t.start[p]++
		}
	}
	var sum int32
	for i := range n {
		sum += t.start[i]
		t.start[i] = sum
	}
	t.start[n] = sum
	t.kids = make([]int32, n-nroots)
	t.roots = make([]int32, nroots)
	r := nroots
	for i := n - 1; i >= 0; i-- {
		p := t.parent[i]
		if p < 0 {
			r--
			t.roots[r] = int32(i)
			continue
		}
		t.start[p]--
		t.kids[t.start[p]] = int32(i)
	}
	for i := range n {
		if a, b := t.start[i], t.start[i+1]; b-a > 1 {
			sortGroup(t.kids[a:b], less)
		}
	}
	sortGroup(t.roots, less)
	return t
}

// scratch is Build's working memory that the tree does not keep: the sort keys, the
// hash-ordered work list and the ID index. It is reused from one Build to the next (scratchPool), so a large
// build does not ask the system for tens of fresh megabytes (and take a page fault for each
// page of them) every time. Build writes every element it reads.
type scratch struct {
	key   []sortKey
	work  []hashed
	slots []idSlot // the ID index's table while Build resolves parents
}

var scratchPool sync.Pool // of *scratch

// getScratch returns scratch space for n items from the pool, or new.
func getScratch(n int) *scratch {
	sc, _ := scratchPool.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	if cap(sc.key) < n {
		sc.key = make([]sortKey, n)
		sc.work = make([]hashed, n)
	}
	return sc
}

// timeKey is t in nanoseconds since 1970 when that fits in an int64 (years 1678 to 2262),
// else math.MinInt64 or math.MaxInt64, and the comparison falls back to time.Time.Compare.
func timeKey(t time.Time) int64 {
	const lim = math.MaxInt64/int64(time.Second) - 1
	s := t.Unix()
	switch {
	case s < -lim:
		return math.MinInt64
	case s > lim:
		return math.MaxInt64
	}
	return s*1e9 + int64(t.Nanosecond())
}

// idPrefix is the first 8 bytes of id as a big-endian number, zero-padded: when two IDs'
// prefixes differ, they order as the IDs do (a shorter ID's padding is below any byte).
func idPrefix(id string) uint64 {
	if len(id) >= 8 {
		_ = id[7]
		return uint64(id[0])<<56 | uint64(id[1])<<48 | uint64(id[2])<<40 | uint64(id[3])<<32 |
			uint64(id[4])<<24 | uint64(id[5])<<16 | uint64(id[6])<<8 | uint64(id[7])
	}
	var p uint64
	for k := range len(id) {
		p |= uint64(id[k]) << (56 - 8*k)
	}
	return p
}

// sortKey is what the sibling order compares before it needs the items: the time key and
// the ID's first bytes, side by side so a comparison touches one cache line.
type sortKey struct {
	time int64  // timeKey of the item's Time
	id   uint64 // idPrefix of the item's ID
}

// order is the display order of siblings: Seq (when set), then Time, then ID, then input
// position.
type order struct {
	key   []sortKey
	seq   []int // Seq of each item (0: none); nil when no item has one
	items []client.Interaction
}

// seqKey orders items without a Seq after those with one.
func seqKey(s int) int {
	if s <= 0 {
		return math.MaxInt
	}
	return s
}

func (o order) cmp(a, b int32) int {
	if o.seq != nil {
		if c := cmp.Compare(seqKey(o.seq[a]), seqKey(o.seq[b])); c != 0 {
			return c
		}
	}
	ka, kb := &o.key[a], &o.key[b]
	if c := cmp.Compare(ka.time, kb.time); c != 0 {
		return c
	}
	if k := ka.time; k == math.MinInt64 || k == math.MaxInt64 {
		if c := o.items[a].Time.Compare(o.items[b].Time); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(ka.id, kb.id); c != 0 {
		return c
	}
	if c := strings.Compare(o.items[a].ID, o.items[b].ID); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// hashed is an item index (low 32 bits) with a hash to process (high 32 bits).
type hashed uint64

func (e hashed) index() int32 { return int32(uint32(e)) }
func (e hashed) hash() uint32 { return uint32(e >> 32) }

// bucketBits is how many top hash bits bucketOrder sorts by.
const bucketBits = 12

// bucketOrder returns, in buf (which must be long enough), the items whose flags have flag
// with their hashes h[i], ordered by the top bucketBits bits of the hash and, within a
// bucket, by index.
func bucketOrder[H uint32 | int32](h []H, flags []uint8, flag uint8, buf []hashed) []hashed {
	var at [1<<bucketBits + 1]int32
	for i, f := range flags {
		if f&flag != 0 {
			at[uint32(h[i])>>(32-bucketBits)+1]++
		}
	}
	for b := 1; b < len(at); b++ {
		at[b] += at[b-1]
	}
	out := buf[:at[len(at)-1]]
	for i, f := range flags {
		if f&flag != 0 {
			b := uint32(h[i]) >> (32 - bucketBits)
			out[at[b]] = hashed(uint32(h[i]))<<32 | hashed(i)
			at[b]++
		}
	}
	return out
}

// nearParent is how many items before and after an item Build searches for its parent by
// ID hash in its pass over the items, before leaving it to the ID index.
const nearParent = 24

// maxItems is the most items a tree can index with int32.
const maxItems = 1<<31 - 1

// breakCycles cuts every cycle of parent links, at the earliest member of each cycle by less.
// A cycle holds at least one item whose parent comes after it in the input (the indexes
// cannot all decrease around a loop; an item can be its own parent), so only the chains of those items are followed; each
// item is visited once, so it runs in linear time, and in next to none when logs list
// parents before their replies.
func (t *Tree) breakCycles(less order) {
	// The walk's state is kept in two flag bits (no array of its own): flagOnPath while an
	// item is on the chain being followed, flagDone once its chain is known to end.
	var path []int32
	for i, p := range t.parent {
		if p < int32(i) || t.flags[i]&flagDone != 0 {
			continue
		}
		path = path[:0]
		j := int32(i)
		for j >= 0 && t.flags[j]&flagDone == 0 {
			if t.flags[j]&flagOnPath != 0 {
				// path from the first occurrence of j to its end is a cycle.
				k := len(path) - 1
				for path[k] != j {
					k--
				}
				cut := path[k]
				for _, c := range path[k+1:] {
					if less.cmp(c, cut) < 0 {
						cut = c
					}
				}
				t.parent[cut] = -1
				t.flags[cut] |= flagCycle
				break
			}
			t.flags[j] |= flagOnPath
			path = append(path, j)
			j = t.parent[j]
		}
		for _, c := range path {
			t.flags[c] = t.flags[c]&^flagOnPath | flagDone
		}
	}
	for i := range t.flags {
		t.flags[i] &^= flagDone
	}
}

// sortGroup sorts a sibling group. Groups are mostly small or nearly in order already (a log
// lists its items roughly by time), so it starts with an insertion sort, which is linear on
// such input, and hands over to slices.SortFunc once a large group has needed more moves than
// it has items; the work before the hand-over is at most linear too.
func sortGroup(g []int32, o order) {
	budget := len(g)
	if len(g) <= 12 {
		budget = len(g) * len(g)
	}
	for i := 1; i < len(g); i++ {
		j := i
		for ; j > 0; j-- {
			a, b := g[j], g[j-1]
			if o.seq != nil {
				if o.cmp(a, b) >= 0 {
					break
				}
			} else if ka, kb := o.key[a].time, o.key[b].time; ka > kb || ka == kb && o.cmp(a, b) >= 0 {
				// The time keys are compared inline; only equal keys need the full comparison.
				break
			}
			g[j], g[j-1] = b, a
		}
		if budget -= i - j; budget < 0 {
			slices.SortFunc(g, o.cmp)
			return
		}
	}
}

// Len is the number of items the tree was built from.
func (t *Tree) Len() int { return len(t.items) }

// Item returns item i of the slice given to Build (a pointer into that slice).
func (t *Tree) Item(i int) *client.Interaction { return &t.items[i] }

// Children returns the indexes of item i's children in display order. The slice belongs to
// the tree: do not modify it.
func (t *Tree) Children(i int) []int32 {
	a, b := t.start[i], t.start[i+1]
	return t.kids[a:b:b]
}

// Roots returns the indexes of the roots in display order. The slice belongs to the tree: do
// not modify it.
func (t *Tree) Roots() []int32 { return t.roots[:len(t.roots):len(t.roots)] }

// Parent returns the index of item i's parent, or -1 when i is a root (including an orphan
// and an item whose parent link was cut to break a cycle).
func (t *Tree) Parent(i int) int { return int(t.parent[i]) }

// Lookup returns the index of the first item whose ID is id. The first call reads the items
// in order (linear time, no memory); the second indexes the IDs, and from then on a call
// takes constant time. A program mostly looks up once per tree, if at all, so Build leaves
// the index out.
func (t *Tree) Lookup(id string) (int, bool) {
	if id == "" {
		return 0, false
	}
	if t.lookups.Add(1) == 1 {
		for i := range t.items {
			if t.items[i].ID == id {
				return i, true
			}
		}
		return -1, false
	}
	t.byIDOnce.Do(t.indexIDs)
	i := t.byID.find(t.items, id)
	return int(i), i >= 0
}

// indexIDs fills t.byID, inserting the IDs in hash order as Build does.
func (t *Tree) indexIDs() {
	n := len(t.items)
	if n == 0 {
		return
	}
	t.byID.init(n, nil)
	hs := make([]uint32, n)
	fl := make([]uint8, n)
	for i := range t.items {
		if id := t.items[i].ID; id != "" {
			hs[i] = t.byID.hash(id)
			fl[i] = flagHashed
		}
	}
	sc := getScratch(n)
	defer scratchPool.Put(sc)
	for _, e := range bucketOrder(hs, fl, flagHashed, sc.work[:n]) {
		t.byID.insert(t.items, e.hash(), e.index())
	}
}

// Orphan reports whether item i's ParentID was not found.
func (t *Tree) Orphan(i int) bool { return t.flags[i]&flagOrphan != 0 }

// Cycle reports whether item i's parent link was cut to break a cycle.
func (t *Tree) Cycle(i int) bool { return t.flags[i]&flagCycle != 0 }

// Duplicate reports whether an earlier item has the same ID as item i.
func (t *Tree) Duplicate(i int) bool { return t.flags[i]&flagDuplicate != 0 }

// Flatten walks the tree depth-first in order; the children of a collapsed node (keyed by
// interaction ID) are hidden. collapsed may be nil. A node listed in collapsed that has no
// children is not marked Collapsed.
func (t *Tree) Flatten(collapsed map[string]bool) []Row {
	return t.walk(t.roots, collapsed, nil, len(t.items))
}

// FlattenFiltered keeps rows whose index satisfies keep, plus all their ancestors, and
// recomputes the prefixes for the filtered shape: a row is drawn as the last child when no
// later sibling is kept, and HasChildren counts only kept children. Collapsing still applies,
// so a kept row below a collapsed node is hidden; pass a nil collapsed to reveal every match.
// A nil keep keeps every row.
func (t *Tree) FlattenFiltered(collapsed map[string]bool, keep func(i int) bool) []Row {
	if keep == nil {
		return t.Flatten(collapsed)
	}
	visible := make([]bool, len(t.items))
	count := 0
	for i := range t.items {
		if visible[i] || !keep(i) {
			continue
		}
		for j := int32(i); j >= 0 && !visible[j]; j = t.parent[j] {
			visible[j] = true
			count++
		}
	}
	if count == 0 {
		return nil
	}
	return t.walk(t.roots, collapsed, visible, count)
}

// Subtree flattens only the subtree rooted at item i (for copying a subtree), depth relative
// to i: item i is the first row, at depth 0 with an empty prefix. Collapsing applies as in
// Flatten (including to i itself); pass a nil collapsed to copy everything. An index out of
// range gives nil.
func (t *Tree) Subtree(i int, collapsed map[string]bool) []Row {
	if i < 0 || i >= len(t.items) {
		return nil
	}
	return t.walk([]int32{int32(i)}, collapsed, nil, 0)
}

// frame is one pending row of the depth-first walk.
type frame struct {
	idx   int32
	depth int32
	guide uint32 // the guide bits of the row's ancestor levels (see Row.guides)
	last  bool   // the row is the last of its (shown) siblings
}

// walk flattens the subtrees rooted at starts, in order. visible, when not nil, hides the
// items it marks false. hint is the expected number of rows.
func (t *Tree) walk(starts []int32, collapsed map[string]bool, visible []bool, hint int) []Row {
	if hint <= 0 {
		hint = 16
	}
	rows := make([]Row, 0, hint)
	stack := make([]frame, 0, 64)
	for _, s := range starts {
		if visible == nil || visible[s] {
			rows, stack = t.walkFrom(s, collapsed, visible, rows, stack[:0])
		}
	}
	return rows
}

// walkFrom appends the rows of the subtree rooted at s (at depth 0) to rows, using stack as
// scratch space, and returns both.
func (t *Tree) walkFrom(s int32, collapsed map[string]bool, visible []bool, rows []Row, stack []frame) ([]Row, []frame) {
	stack = append(stack, frame{idx: s})
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i := f.idx
		kids := t.kids[t.start[i]:t.start[i+1]]
		// lastKid is the position in kids of the last shown child, or -1.
		lastKid := len(kids) - 1
		if visible != nil {
			for lastKid >= 0 && !visible[kids[lastKid]] {
				lastKid--
			}
		}
		r := Row{Index: i, depth: f.depth, flags: t.flags[i] & rowItemFlags}
		// The row's own level: the guide bits of its ancestors plus its branch.
		if levels := min(f.depth, MaxGuideDepth); levels > 0 {
			r.guides = f.guide
			if f.last {
				r.guides |= 1 << (levels - 1)
			}
		}
		if lastKid >= 0 {
			r.flags |= rowHasChildren
			if len(collapsed) > 0 && collapsed[t.items[i].ID] {
				r.flags |= rowCollapsed
			}
		}
		rows = append(rows, r)
		if lastKid < 0 || r.flags&rowCollapsed != 0 {
			continue
		}
		// The children's ancestor levels: this row's, plus its own level as a line or a
		// space, up to MaxGuideDepth-1 levels (the rows below keep that many, and their own).
		kidGuide := f.guide
		if f.depth > 0 && f.depth < MaxGuideDepth && f.last {
			kidGuide |= 1 << (f.depth - 1)
		}
		last := true
		for k := lastKid; k >= 0; k-- {
			c := kids[k]
			if visible != nil && !visible[c] {
				continue
			}
			stack = append(stack, frame{idx: c, depth: f.depth + 1, guide: kidGuide, last: last})
			last = false
		}
	}
	return rows, stack
}

// idIndex is an open-addressing hash set of item indexes keyed by the items' IDs. It holds
// no pointers (so the garbage collector never scans it) and no copies of the IDs: a slot is
// 8 bytes, against some 24 for a map[string]int32 plus its GC work. It uses 32-bit hashes
// whose top bits choose the slot, so visiting keys in hash order walks the table front to
// back; the whole hash is kept in the slot to skip most string comparisons.
type idIndex struct {
	seed  maphash.Seed
	shift uint // 32 - log2(len(slots))
	mask  uint32
	slots []idSlot
}

// idSlot is one slot: pos is the item index + 1 (0 = empty), tag the ID's hash.
type idSlot struct {
	tag uint32
	pos uint32
}

// init sizes the index for n IDs (n > 0) with a load factor of at most one half; its table
// is buf, cleared, when buf is large enough.
func (x *idIndex) init(n int, buf []idSlot) {
	lg := uint(bits.Len64(uint64(2*n-1) | 7))
	x.seed = maphash.MakeSeed()
	x.shift = 32 - lg
	x.mask = 1<<lg - 1
	if cap(buf) >= 1<<lg {
		x.slots = buf[:1<<lg]
		clear(x.slots)
	} else {
		x.slots = make([]idSlot, 1<<lg)
	}
}

func (x *idIndex) hash(id string) uint32 {
	if testHash != nil {
		return uint32(testHash(id) >> 32)
	}
	return uint32(maphash.String(x.seed, id) >> 32)
}

// testHash, when set by a test, replaces the hash function (to force collisions).
var testHash func(string) uint64

// insert adds item i, whose ID hashes to h; it reports false, adding nothing, when an
// earlier item has the same ID.
func (x *idIndex) insert(items []client.Interaction, h uint32, i int32) bool {
	tag := h
	for k := h >> x.shift; ; k = (k + 1) & x.mask {
		s := x.slots[k]
		if s.pos == 0 {
			x.slots[k] = idSlot{tag: tag, pos: uint32(i) + 1}
			return true
		}
		if s.tag == tag && items[s.pos-1].ID == items[i].ID {
			return false
		}
	}
}

// candidate returns the first item whose ID's hash looks like h, or -1 when no ID has hash h.
// The caller must check the ID: a different ID may share the bits compared.
func (x *idIndex) candidate(h uint32) int32 {
	tag := h
	for k := h >> x.shift; ; k = (k + 1) & x.mask {
		s := x.slots[k]
		if s.pos == 0 {
			return -1
		}
		if s.tag == tag {
			return int32(s.pos - 1)
		}
	}
}

// find returns the index of the first item whose ID is id, or -1.
func (x *idIndex) find(items []client.Interaction, id string) int32 {
	if len(x.slots) == 0 {
		return -1
	}
	h := x.hash(id)
	tag := h
	for k := h >> x.shift; ; k = (k + 1) & x.mask {
		s := x.slots[k]
		if s.pos == 0 {
			return -1
		}
		if s.tag == tag && items[s.pos-1].ID == id {
			return int32(s.pos - 1)
		}
	}
}
