package quickfilter

import (
	"context"
	"slices"

	"github.com/confab-dev/confab/client"
)

// Patch is a summary fetched for one loaded row apart from its listing (a client.Summarizer's,
// which the list shows in place of the row's empty Summary): the quick filter matches that
// row as if its Summary were Summary.
type Patch struct {
	Row     int
	Summary string
}

// MatchPatched reports whether c matches m, c's summary being sum when c lists none.
func (m *Matcher) MatchPatched(c *client.Conversation, sum string) bool {
	if c.Summary != "" || sum == "" {
		return m.Match(c)
	}
	p := *c
	p.Summary = sum
	return m.Match(&p)
}

// FilterPatched is FilterIndexed with the summaries of patches: a patched row whose Summary is
// empty is matched with the patch's. patches is read, never kept, and may be in any order.
func FilterPatched(ctx context.Context, x Index, items []client.Conversation, m *Matcher, from int, patches []Patch) ([]int, error) {
	return FilterPatchedRows(ctx, x, Slice(items), m, from, patches)
}

// FilterPatchedRows is FilterPatched over rows.
func FilterPatchedRows(ctx context.Context, x Index, items Rows, m *Matcher, from int, patches []Patch) ([]int, error) {
	out, err := FilterIndexedRows(ctx, x, items, m, from)
	if err != nil || len(patches) == 0 || m.Empty() {
		return out, err
	}
	var add []int
	drop := map[int]bool{}
	var buf client.Conversation
	for _, p := range patches {
		if p.Row < max(from, 0) || p.Row >= items.Len() || p.Summary == "" {
			continue
		}
		c := items.At(p.Row, &buf)
		if c.Summary != "" {
			continue
		}
		_, was := slices.BinarySearch(out, p.Row)
		switch is := m.MatchPatched(c, p.Summary); {
		case is && !was:
			add = append(add, p.Row)
		case !is && was:
			drop[p.Row] = true
		}
	}
	if len(add) == 0 && len(drop) == 0 {
		return out, nil
	}
	slices.Sort(add)
	add = slices.Compact(add)
	merged := make([]int, 0, len(out)+len(add))
	j := 0
	for _, r := range out {
		for j < len(add) && add[j] < r {
			merged = append(merged, add[j])
			j++
		}
		if !drop[r] {
			merged = append(merged, r)
		}
	}
	return append(merged, add[j:]...), nil
}
