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
	// byID finds the index of an ID's first occurrence (empty IDs are absent).
	byID idIndex
}

// Row is one line of the flattened tree.
type Row struct {
	Index       int32  // index into the items given to Build
	Depth       int    // 0 for a root (or for the item Subtree starts from)
	Prefix      string // tree guides, e.g. "", "├─ ", "└─ ", "│  ├─ ", "   └─ " (each level 3 cells)
	HasChildren bool   // the row has children in the shape being flattened (even if collapsed)
	Collapsed   bool   // the row has children and they are hidden because it is collapsed
	Orphan      bool   // parent id not found
	Cycle       bool   // a parent link was cut here to break a cycle
	Duplicate   bool   // an earlier item has the same ID; this one is a leaf
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
	// the ParentID is empty or names the previous item (logs often list a reply right after
	// what it answers), else the hash of the ParentID to look up (kept in parent[i] until it
	// is looked up, flagged flagLookup).
	key := make([]int64, n)
	var seq []int // nil when no item has a Seq
	// The ID hashes are needed only until the parents are resolved: they live in the array
	// that becomes start.
	t.start = make([]int32, n+1)
	hs := t.start[:n]
	t.byID.init(n)
	for i := range items {
		x := &items[i]
		key[i] = timeKey(x.Time)
		if x.Seq > 0 {
			if seq == nil {
				seq = make([]int, n)
			}
			seq[i] = x.Seq
		}
		if x.ID != "" {
			hs[i] = int32(t.byID.hash(x.ID))
			t.flags[i] |= flagHashed
		}
		switch p := x.ParentID; {
		case p == "":
			t.parent[i] = -1
		case i > 0 && items[i-1].ID == p:
			t.parent[i] = int32(i - 1) // unless the previous item turns out a duplicate
		default:
			t.parent[i] = int32(t.byID.hash(p))
			t.flags[i] |= flagLookup
		}
	}

	// Index the IDs, visiting them in hash order so the table is filled front to back
	// (cache friendly); the order is stable, so the first of several equal IDs is indexed and
	// the later ones are marked duplicates.
	work := bucketOrder(hs, t.flags, flagHashed, make([]hashed, n))
	for _, e := range work {
		if i := e.index(); !t.byID.insert(items, e.hash(), i) {
			t.flags[i] |= flagDuplicate
		}
	}

	// A duplicate cannot be a parent: an item that named the previous item, a duplicate,
	// looks its parent up like the rest (the hash of its ParentID is that item's ID hash).
	// The rest are looked up in hash order, by hash alone, and then checked against the real
	// IDs in input order (where a parent is usually close by).
	for i := 1; i < n; i++ {
		t.flags[i] &^= flagHashed
		if t.flags[i]&flagLookup == 0 && t.parent[i] == int32(i-1) && t.flags[i-1]&flagDuplicate != 0 {
			t.parent[i] = hs[i-1]
			t.flags[i] |= flagLookup
		}
	}
	t.flags[0] &^= flagHashed
	for _, e := range bucketOrder(t.parent, t.flags, flagLookup, work) {
		t.parent[e.index()] = t.byID.candidate(e.hash())
	}
	for i := range items {
		if t.flags[i]&flagLookup == 0 {
			continue
		}
		t.flags[i] &^= flagLookup
		j := t.parent[i]
		if j >= 0 && items[j].ID != items[i].ParentID {
			j = t.byID.find(items, items[i].ParentID) // a hash collision: look up exactly
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

// order is the display order of siblings: Seq (when set), then Time, then ID, then input
// position.
type order struct {
	key   []int64 // timeKey of each item
	seq   []int   // Seq of each item (0: none); nil when no item has one
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
	if c := cmp.Compare(o.key[a], o.key[b]); c != 0 {
		return c
	}
	if k := o.key[a]; k == math.MinInt64 || k == math.MaxInt64 {
		if c := o.items[a].Time.Compare(o.items[b].Time); c != 0 {
			return c
		}
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

// maxItems is the most items a tree can index with int32.
const maxItems = 1<<31 - 1

// breakCycles cuts every cycle of parent links, at the earliest member of each cycle by less.
// It follows each unvisited item's parent chain once, so it runs in linear time.
func (t *Tree) breakCycles(less order) {
	// The walk's state is kept in two flag bits (no array of its own): flagOnPath while an
	// item is on the chain being followed, flagDone once its chain is known to end.
	var path []int32
	for i := range t.parent {
		if t.flags[i]&flagDone != 0 {
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
			} else if ka, kb := o.key[a], o.key[b]; ka > kb || ka == kb && o.cmp(a, b) >= 0 {
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

// Lookup returns the index of the first item whose ID is id.
func (t *Tree) Lookup(id string) (int, bool) {
	if id == "" {
		return 0, false
	}
	i := t.byID.find(t.items, id)
	return int(i), i >= 0
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
	guide int32 // guides node of the row's ancestors; -1 for a row at depth 0
	last  bool  // the row is the last of its (shown) siblings
}

// walk flattens the subtrees rooted at starts, in order. visible, when not nil, hides the
// items it marks false. hint is the expected number of rows.
func (t *Tree) walk(starts []int32, collapsed map[string]bool, visible []bool, hint int) []Row {
	if hint <= 0 {
		hint = 16
	}
	rows := make([]Row, 0, hint)
	var g guides
	g.init()
	stack := make([]frame, 0, 64)
	for _, s := range starts {
		if visible == nil || visible[s] {
			rows, stack = t.walkFrom(s, collapsed, visible, rows, stack[:0], &g)
		}
	}
	return rows
}

// walkFrom appends the rows of the subtree rooted at s (at depth 0) to rows, using stack as
// scratch space, and returns both.
func (t *Tree) walkFrom(s int32, collapsed map[string]bool, visible []bool, rows []Row, stack []frame, g *guides) ([]Row, []frame) {
	stack = append(stack, frame{idx: s, guide: -1})
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
		// The row is written in place, field by field: copying a whole Row (it holds a
		// string) into the slice would go through the runtime's bulk write barrier while the
		// garbage collector runs. The slice's spare capacity is always zeroed (walk
		// allocates it and never shrinks it), so the fields left alone are zero.
		if len(rows) == cap(rows) {
			rows = slices.Grow(rows, 1)
		}
		rows = rows[:len(rows)+1]
		row := &rows[len(rows)-1]
		fl := t.flags[i]
		row.Index = i
		row.Depth = int(f.depth)
		row.HasChildren = lastKid >= 0
		row.Orphan = fl&flagOrphan != 0
		row.Cycle = fl&flagCycle != 0
		row.Duplicate = fl&flagDuplicate != 0
		if f.guide >= 0 {
			row.Prefix = g.prefix(f.guide, f.last)
		}
		if row.HasChildren && len(collapsed) > 0 && collapsed[t.items[i].ID] {
			row.Collapsed = true
		}
		if !row.HasChildren || row.Collapsed {
			continue
		}
		var kidGuide int32
		switch {
		case f.guide < 0:
			kidGuide = 0
		case f.depth < MaxGuideDepth:
			kidGuide = g.extend(f.guide, f.last)
		default:
			kidGuide = f.guide
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

// guides interns the guide strings of one walk: node 0 is the empty guide (the children of a
// depth-0 row); each node knows its two extensions and the two row prefixes built on it, so
// rows share a handful of strings instead of allocating one each.
type guides struct {
	nodes []guideNode
}

type guideNode struct {
	guide string
	rows  [2]string // [0] guide+"├─ ", [1] guide+"└─ "
	ext   [2]int32  // [0] guide+"│  ", [1] guide+"   "; 0 when not built yet
}

func (g *guides) init() {
	g.nodes = append(g.nodes[:0], guideNode{rows: [2]string{guideBranch, guideLast}})
}

// prefix is the prefix of a row below guide node p, drawn as the last child or not.
func (g *guides) prefix(p int32, last bool) string {
	return g.nodes[p].rows[b2i(last)]
}

// extend returns the guide node for the children of a row below node p.
func (g *guides) extend(p int32, last bool) int32 {
	k := b2i(last)
	if e := g.nodes[p].ext[k]; e != 0 {
		return e
	}
	s := g.nodes[p].guide + guideLine
	if last {
		s = g.nodes[p].guide + guideSpace
	}
	g.nodes = append(g.nodes, guideNode{guide: s, rows: [2]string{s + guideBranch, s + guideLast}})
	e := int32(len(g.nodes) - 1)
	g.nodes[p].ext[k] = e
	return e
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
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

// init sizes the index for n IDs with a load factor of at most one half.
func (x *idIndex) init(n int) {
	lg := uint(bits.Len64(uint64(2*n-1) | 7))
	x.seed = maphash.MakeSeed()
	x.shift = 32 - lg
	x.mask = 1<<lg - 1
	x.slots = make([]idSlot, 1<<lg)
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
