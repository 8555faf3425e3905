package threadview

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client/sanitize"
)

// The search in the thread. A query is a literal, case-insensitive text; it is looked for in
// every message's text as a row shows it (sanitized to a line, so runs of spaces and line
// breaks are one space), whatever is collapsed. A hit is a message whose text has the query:
// the count "3/11" counts messages, and n/N move from message to message in thread order
// (the tree's order with nothing collapsed), expanding the branches that hide a hit. Every
// occurrence on screen is highlighted, in the rows and in the detail panel.

// finder is the search's state.
type finder struct {
	input   textinput.Model
	editing bool   // the input is open and takes keys
	query   string // the query, sanitized to a line ("" when there is no search)
	q       []rune // the query lowered, rune by rune (nil when there is no search)
	hits    []int32
	cur     int    // hits[cur] is the hit last moved to; -1 for none
	wrapped bool   // the last move went around the end (or the start) of the thread
	origin  int32  // the item selected when the input opened (-1: none)
	hint    string // shown after a kept query: the keys that go on ("n/N next/prev · esc clear")

	// Built on the first search in a thread, dropped when its items change.
	folded []string // per item: its text as a row shows it, lowered
	order  []int32  // every item in thread order
	rank   []int32  // rank[item] is its position in order
}

// searchRightW is the widest the count at the right of the search line gets.
const searchRightW = 24

func (f *finder) init(st Styles) {
	f.input = textinput.New()
	f.input.Prompt = ""
	f.input.CharLimit = 256
	f.input.Placeholder = "search the messages of this thread"
	f.cur, f.origin = -1, -1
	f.setStyles(st)
}

// setStyles styles the input. The cursor never blinks: a blinking cursor needs messages the
// root does not route to panes.
func (f *finder) setStyles(st Styles) {
	in := st.Input
	in.Cursor.Blink = false
	f.input.SetStyles(in)
}

// rightW is the width of the count at the right of the search line of a view w cells wide.
func rightW(w int) int { return min(searchRightW, w/3) }

// setWidth gives the input what the "/" and the count leave of w cells (never 0: a textinput
// of width 0 shows one character of its placeholder).
func (f *finder) setWidth(w int) {
	f.input.SetWidth(max(1, w-1-rightW(w)-2)) // the cursor takes a cell after the text
}

// reset forgets the search (not the index of the thread's text: see dropIndex).
func (f *finder) reset() {
	f.input.Reset()
	f.input.Blur()
	f.editing = false
	f.query, f.q = "", nil
	f.hits, f.cur, f.wrapped, f.origin = f.hits[:0], -1, false, -1
}

// dropIndex forgets the index of the thread's text (the items changed).
func (f *finder) dropIndex() { f.folded, f.order, f.rank = nil, nil, nil }

// itemsChanged runs the search again over new items, without moving the cursor.
func (f *finder) itemsChanged(m *Model) {
	f.dropIndex()
	f.origin = -1
	m.runSearch()
	f.cur = -1
	if it := m.cursorItem(); it >= 0 {
		for k, h := range f.hits {
			if h == it {
				f.cur = k
			}
		}
	}
}

// index builds what searching a thread needs: each message's text as a row shows it, lowered,
// and the thread order.
func (f *finder) index(m *Model) {
	if f.folded != nil || m.tree == nil {
		return
	}
	n := m.tree.Len()
	f.folded = make([]string, n)
	for i := range n {
		f.folded[i] = strings.ToLower(sanitize.Line(m.tree.Item(i).Text))
	}
	rows := m.tree.Flatten(nil)
	f.order = make([]int32, len(rows))
	f.rank = make([]int32, n)
	for k, r := range rows {
		f.order[k] = r.Index
		f.rank[r.Index] = int32(k)
	}
}

// ranges are the byte ranges of s where the query occurs (case-insensitive, literal), in
// order and apart; nil when there is no search. A range starts and ends on grapheme cluster
// boundaries (a hit on "👩" covers all of "👩‍💻"): a style may not split a cluster, or the
// line would be measured wider than it prints.
func (f *finder) ranges(s string) [][2]int {
	if len(f.q) == 0 {
		return nil
	}
	var out [][2]int
	for i := 0; i < len(s); {
		if end, ok := matchAt(s, i, f.q); ok {
			j := i
			for j < end {
				j += clusterLen(s[j:])
			}
			out = append(out, [2]int{i, j})
			i = j
			continue
		}
		i += clusterLen(s[i:])
	}
	return out
}

// clusterLen is the length in bytes of the first grapheme cluster of the non-empty s, as
// lipgloss measures it (an ASCII byte followed by another is a cluster of its own).
func clusterLen(s string) int {
	if s[0] < utf8.RuneSelf && (len(s) == 1 || s[1] < utf8.RuneSelf) {
		return 1
	}
	c, _ := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
	return max(1, len(c))
}

// matchAt reports whether s has the lowered query q at byte i, and where it ends.
func matchAt(s string, i int, q []rune) (int, bool) {
	for _, qr := range q {
		if i >= len(s) {
			return 0, false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != qr && unicode.ToLower(r) != qr {
			return 0, false
		}
		i += n
	}
	return i, true
}

// highlight writes s with its hits styled by hit and the rest by normal.
func highlight(b *strings.Builder, s string, hits [][2]int, normal, hit func(string) string) {
	at := 0
	for _, h := range hits {
		if h[0] > at {
			b.WriteString(normal(s[at:h[0]]))
		}
		b.WriteString(hit(s[h[0]:h[1]]))
		at = h[1]
	}
	if at < len(s) {
		b.WriteString(normal(s[at:]))
	}
}

// cursorItem is the item of the selected row, or -1.
func (m *Model) cursorItem() int32 {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return -1
	}
	return m.rows[m.cursor].Index
}

// StartSearch opens the search input (an empty query); the selected message is where the
// search starts, and where the cursor goes back to if it is cancelled (ClearSearch).
func (m *Model) StartSearch() {
	f := &m.find
	f.reset()
	f.editing = true
	f.origin = m.cursorItem()
	f.input.Focus()
	m.clamp()
}

// SetSearchHint sets the text shown after the query once the input is closed: the keys that
// move between hits and clear the search ("" for none).
func (m *Model) SetSearchHint(h string) { m.find.hint = sanitize.Line(h) }

// Searching reports whether the search input is open (it then takes every key).
func (m *Model) Searching() bool { return m.find.editing }

// SearchActive reports whether there is a search: the input is open, or its hits are kept.
func (m *Model) SearchActive() bool { return m.find.editing || m.find.query != "" }

// SearchQuery is the query (sanitized), "" when there is none.
func (m *Model) SearchQuery() string { return m.find.query }

// SearchCount is the number of the hit moved to last (1-based; 0 for none) and the number of
// hits (messages whose text has the query).
func (m *Model) SearchCount() (cur, total int) { return m.find.cur + 1, len(m.find.hits) }

// SearchWrapped reports whether the last move went around the end or the start of the thread.
func (m *Model) SearchWrapped() bool { return m.find.wrapped }

// SearchKey gives a key to the open search input; when it changes the query, the search runs
// again and the cursor goes to the first hit at or after the message the search started
// from (back to that message when nothing matches).
func (m *Model) SearchKey(msg tea.KeyPressMsg) {
	f := &m.find
	if !f.editing {
		return
	}
	before := f.input.Value()
	f.input, _ = f.input.Update(msg)
	if f.input.Value() == before {
		return
	}
	if v := f.input.Value(); sanitize.Text(v) != v {
		// Pasted text with controls the input lets through (bidi overrides): shown escaped.
		f.input.SetValue(sanitize.Text(v))
		f.input.CursorEnd()
	}
	f.query = sanitize.Line(f.input.Value())
	f.q = []rune(strings.ToLower(f.query))
	if len(f.q) == 0 {
		f.q = nil
	}
	m.runSearch()
	if len(f.hits) == 0 {
		if f.origin >= 0 {
			m.selectItem(int(f.origin))
		}
		return
	}
	from := int32(0)
	if f.origin >= 0 {
		from = f.rank[f.origin]
	}
	k := sort.Search(len(f.hits), func(k int) bool { return f.rank[f.hits[k]] >= from })
	if k == len(f.hits) {
		k, f.wrapped = 0, true
	}
	f.cur = k
	m.selectItem(int(f.hits[k]))
	m.clamp()
}

// runSearch finds the hits of the query (none without one).
func (m *Model) runSearch() {
	f := &m.find
	f.hits, f.cur, f.wrapped = f.hits[:0], -1, false
	if len(f.q) == 0 || m.tree == nil {
		return
	}
	f.index(m)
	q := string(f.q)
	for _, i := range f.order {
		if strings.Contains(f.folded[i], q) {
			f.hits = append(f.hits, i)
		}
	}
}

// AcceptSearch closes the input and keeps the hits (an empty query clears the search).
func (m *Model) AcceptSearch() {
	f := &m.find
	if f.query == "" {
		f.reset()
	} else {
		f.editing = false
		f.input.Blur()
	}
	m.clamp()
}

// ClearSearch ends the search: the hits are no longer highlighted. Cancelling the open input
// also takes the cursor back to the message the search started from.
func (m *Model) ClearSearch() {
	f := &m.find
	origin := f.origin
	editing := f.editing
	f.reset()
	if editing && origin >= 0 {
		m.selectItem(int(origin))
	}
	m.clamp()
}

// NextHit moves the cursor to the next hit after it, going around to the first after the last
// (SearchWrapped then says so); PrevHit to the one before it. They report whether there was a
// hit to move to.
func (m *Model) NextHit() bool { return m.stepHit(1) }

// PrevHit moves the cursor to the hit before it; see NextHit.
func (m *Model) PrevHit() bool { return m.stepHit(-1) }

func (m *Model) stepHit(dir int) bool {
	f := &m.find
	if len(f.hits) == 0 {
		return false
	}
	at := int32(-1)
	if it := m.cursorItem(); it >= 0 {
		at = f.rank[it]
	}
	var k int
	f.wrapped = false
	if dir > 0 {
		k = sort.Search(len(f.hits), func(k int) bool { return f.rank[f.hits[k]] > at })
		if k == len(f.hits) {
			k, f.wrapped = 0, true
		}
	} else {
		k = sort.Search(len(f.hits), func(k int) bool { return f.rank[f.hits[k]] >= at }) - 1
		if k < 0 {
			k, f.wrapped = len(f.hits)-1, true
		}
	}
	f.cur = k
	return m.selectItem(int(f.hits[k]))
}

// searchHeight is the height of the search line: shown while there is a search.
func (m *Model) searchHeight() int {
	if !m.SearchActive() || m.h < 2 {
		return 0
	}
	return 1
}

// searchCount is the right-hand text of the search line.
func (m *Model) searchCount() string {
	f := &m.find
	switch {
	case f.query == "":
		return ""
	case len(f.hits) == 0:
		return "no match"
	}
	n := strconv.Itoa(len(f.hits))
	cur := "–"
	if f.cur >= 0 {
		cur = strconv.Itoa(f.cur + 1)
	}
	if f.wrapped {
		return "search wrapped · " + cur + "/" + n
	}
	return cur + "/" + n
}

// renderSearch renders the search line in exactly w cells: "/", the input (or the query once
// it is closed), and the count at the right.
func (m *Model) renderSearch() string {
	f := &m.find
	rw := rightW(m.w)
	left := m.styles.Prompt.Render("/")
	lw := max(0, m.w-1-rw)
	if f.editing {
		in := f.input.View()
		if w := ansi.StringWidth(in); w < lw {
			in += strings.Repeat(" ", lw-w)
		}
		left += in
	} else {
		q := sanitize.Truncate(f.query, lw, sanitize.Ellipsis)
		left += m.styles.DetailText.Render(q)
		if room := lw - sanitize.Width(q); f.hint != "" && room >= sanitize.Width(f.hint)+2 {
			left += m.styles.Muted.Render(sanitize.Pad("  "+f.hint, room))
		} else {
			left += strings.Repeat(" ", room)
		}
	}
	line := left
	if rw > 0 {
		r := sanitize.Truncate(m.searchCount(), rw, sanitize.Ellipsis)
		line += strings.Repeat(" ", rw-sanitize.Width(r)) + m.styles.Muted.Render(r)
	}
	if lw := ansi.StringWidth(line); lw > m.w {
		line = ansi.Truncate(line, m.w, "")
	} else if lw < m.w {
		line += strings.Repeat(" ", m.w-lw)
	}
	return line
}
