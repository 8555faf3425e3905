package thread

import (
	"cmp"
	"slices"
	"strings"

	"github.com/confab-dev/confab/client"
)

// This file holds a straightforward implementation of the package's rules with a map of
// pointers: one heap node per item, a map[string]*refNode from ID to node, a []*refNode of
// children per node, one comparison function over time.Time, and fresh prefix strings per row.
// It is the reference the index-based Build is checked against (TestBuildAgainstMapReference)
// and the anchor its benchmarks are measured against (BenchmarkMapAnchorBuildFlatten1M).

type refNode struct {
	idx    int
	x      *client.Interaction
	parent *refNode
	kids   []*refNode

	orphan, cycle, dup bool
	state              uint8 // for the cycle search
}

const (
	refUnseen = iota
	refOnPath
	refDone
)

// refTree is the reference's tree.
type refTree struct {
	nodes []*refNode
	roots []*refNode
	byID  map[string]*refNode
}

// refLess is the sibling order: Seq (items without one after those with), Time, ID, input
// position.
func refCmp(a, b *refNode) int {
	sa, sb := a.x.Seq, b.x.Seq
	if sa <= 0 {
		sa = int(^uint(0) >> 1)
	}
	if sb <= 0 {
		sb = int(^uint(0) >> 1)
	}
	if c := cmp.Compare(sa, sb); c != 0 {
		return c
	}
	if c := a.x.Time.Compare(b.x.Time); c != 0 {
		return c
	}
	if c := strings.Compare(a.x.ID, b.x.ID); c != 0 {
		return c
	}
	return cmp.Compare(a.idx, b.idx)
}

// refBuild applies the package's rules the obvious way.
func refBuild(items []client.Interaction) *refTree {
	t := &refTree{nodes: make([]*refNode, len(items)), byID: make(map[string]*refNode)}
	for i := range items {
		n := &refNode{idx: i, x: &items[i]}
		t.nodes[i] = n
		if n.x.ID == "" {
			continue
		}
		if _, ok := t.byID[n.x.ID]; ok {
			n.dup = true
		} else {
			t.byID[n.x.ID] = n
		}
	}
	for _, n := range t.nodes {
		if n.x.ParentID == "" {
			continue
		}
		if p, ok := t.byID[n.x.ParentID]; ok {
			n.parent = p
		} else {
			n.orphan = true
		}
	}
	// Cycles: follow each node's parent chain; a node met twice on the same walk closes a
	// cycle, which is cut at its earliest member. Nodes whose chain is known to end are done.
	var path []*refNode
	for _, n := range t.nodes {
		path = path[:0]
		for m := n; m != nil && m.state != refDone; m = m.parent {
			if m.state == refOnPath {
				at := len(path) - 1
				for path[at] != m {
					at--
				}
				cut := path[at]
				for _, c := range path[at+1:] {
					if refCmp(c, cut) < 0 {
						cut = c
					}
				}
				cut.parent = nil
				cut.cycle = true
				break
			}
			m.state = refOnPath
			path = append(path, m)
		}
		for _, m := range path {
			m.state = refDone
		}
	}
	for _, n := range t.nodes {
		if n.parent == nil {
			t.roots = append(t.roots, n)
		} else {
			n.parent.kids = append(n.parent.kids, n)
		}
	}
	slices.SortFunc(t.roots, refCmp)
	for _, n := range t.nodes {
		slices.SortFunc(n.kids, refCmp)
	}
	return t
}

// refRow is a row as the reference makes it: the shape Row had before it became pointer
// free, with the prefix as a fresh string in every row. viewRow gives a Row's view through
// its accessors, to compare.
type refRow struct {
	Index       int32
	Depth       int
	Prefix      string
	HasChildren bool
	Collapsed   bool
	Orphan      bool
	Cycle       bool
	Duplicate   bool
}

// viewRows is rows seen through Row's accessors (nil for no rows).
func viewRows(rows []Row) []refRow {
	if len(rows) == 0 {
		return nil
	}
	out := make([]refRow, len(rows))
	for k, r := range rows {
		out[k] = refRow{Index: r.Index, Depth: r.Depth(), Prefix: r.Prefix(), HasChildren: r.HasChildren(),
			Collapsed: r.Collapsed(), Orphan: r.Orphan(), Cycle: r.Cycle(), Duplicate: r.Duplicate()}
	}
	return out
}

// flatten is Flatten, FlattenFiltered (keep not nil) or Subtree (from not nil), recursively
// with freshly built prefixes, the guides capped at MaxGuideDepth levels.
func (t *refTree) flatten(collapsed map[string]bool, keep func(int) bool, from *refNode) []refRow {
	var visible map[*refNode]bool
	if keep != nil {
		visible = make(map[*refNode]bool)
		for _, n := range t.nodes {
			if keep(n.idx) {
				for m := n; m != nil; m = m.parent {
					visible[m] = true
				}
			}
		}
	}
	shown := func(g []*refNode) []*refNode {
		if visible == nil {
			return g
		}
		var s []*refNode
		for _, c := range g {
			if visible[c] {
				s = append(s, c)
			}
		}
		return s
	}
	var rows []refRow
	var rec func(n *refNode, depth int, guide string, last bool)
	rec = func(n *refNode, depth int, guide string, last bool) {
		kids := shown(n.kids)
		r := refRow{Index: int32(n.idx), Depth: depth, HasChildren: len(kids) > 0, Orphan: n.orphan, Cycle: n.cycle, Duplicate: n.dup}
		if depth > 0 {
			r.Prefix = guide + guideBranch
			if last {
				r.Prefix = guide + guideLast
			}
		}
		r.Collapsed = r.HasChildren && collapsed[n.x.ID]
		rows = append(rows, r)
		if r.Collapsed {
			return
		}
		kidGuide := guide
		switch {
		case depth == 0:
			kidGuide = ""
		case depth < MaxGuideDepth && last:
			kidGuide = guide + guideSpace
		case depth < MaxGuideDepth:
			kidGuide = guide + guideLine
		}
		for k, c := range kids {
			rec(c, depth+1, kidGuide, k == len(kids)-1)
		}
	}
	if from != nil {
		rec(from, 0, "", false)
		return rows
	}
	for _, r := range shown(t.roots) {
		rec(r, 0, "", false)
	}
	return rows
}
