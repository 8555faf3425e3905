// Package threadview renders one conversation's thread: the tree of interactions that
// client/thread builds and flattens, windowed to the visible rows, and a detail panel for the
// selected interaction.
//
// Model is an imperative leaf widget (like every leaf in tui): its owner calls SetItems,
// SetSize and the movement methods from its Update, and View renders without changing state.
// All vendor text goes through client/sanitize before it reaches a style.
package threadview

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/thread"
	"github.com/confab-dev/confab/tui/internal/paint"
)

// Styles are the thread view's styles; tui/theme.go builds them from the palette.
type Styles struct {
	Tree       lipgloss.Style // the ├─ └─ │ prefix
	User       lipgloss.Style // actor label of users and customers
	Bot        lipgloss.Style // actor label of bots and virtual agents
	Agent      lipgloss.Style // actor label of human agents
	System     lipgloss.Style // actor label of the system and unknown actors
	Time       lipgloss.Style
	Kind       lipgloss.Style
	Marker     lipgloss.Style // orphan and cycle markers
	Selected   lipgloss.Style // the selected row when the view has focus
	Unfocused  lipgloss.Style // the selected row when it does not
	Rule       lipgloss.Style // the line above the detail panel
	Label      lipgloss.Style // labels in the detail panel
	Muted      lipgloss.Style
	DetailText lipgloss.Style
	// The thread search (search.go).
	Match         lipgloss.Style   // a hit in a row or the detail panel (reverse/bold: works with NO_COLOR)
	SelectedMatch lipgloss.Style   // a hit in the selected row
	Prompt        lipgloss.Style   // the "/" of the search line
	Input         textinput.Styles // the search input
}

// Column widths of a tree row (cells).
const (
	actorW = 13 // "Virtual agent"
	// maxActorW is the widest the actor column grows to show speakers' names
	// ("Agent (Ana Souza)"); longer labels are cut with an ellipsis.
	maxActorW = 28
	timeW     = 8 // "15:04:05"
	kindW     = 7
)

// Model is a windowed thread tree with a detail panel.
type Model struct {
	styles    Styles
	paints    paints // the row styles, reduced for speed
	loc       *time.Location
	items     []client.Interaction // as given to SetItems
	tree      *thread.Tree
	rows      []thread.Row
	collapsed map[string]bool
	cursor    int
	offset    int
	w, h      int
	note      string // a remark about the whole thread, shown above it (sanitized)
	actorW    int    // the actor column: actorW, wider when speakers are named
	markW     int    // the cells of the "↳N " depth marker of rows deeper than the guides go
	find      finder // the search in the thread (search.go)
	styleGen  uint64 // names the styles in ViewKey: a new number at New and SetStyles
	built     Built  // what the last SetItems built (SetBuilt)
}

// styleGens numbers the styles of every Model (ViewKey).
var styleGens atomic.Uint64

// ViewKey names everything View(focused) draws from, for a memo of the drawn text kept
// outside the model (the pane keeps one a cached thread): two calls of View whose keys are
// equal return the same text. The items are named by their backing array, so a memo must be
// keyed by a slice nobody changes in place (the pane's threads are replaced, not edited).
type ViewKey struct {
	items          *client.Interaction
	n              int
	cursor, offset int
	w, h           int
	markW, actorW  int
	note           string
	loc            *time.Location
	styles         uint64
	focused        bool
}

// ViewKey is the key of View(focused) as the model is now; ok is false when View draws from
// state the key does not name (a search, a collapsed branch) or draws nothing: then its text
// must not be memoized.
func (m *Model) ViewKey(focused bool) (k ViewKey, ok bool) {
	if len(m.items) == 0 || len(m.collapsed) > 0 || m.SearchActive() || len(m.find.q) > 0 || m.w <= 0 || m.h <= 0 {
		return ViewKey{}, false
	}
	return ViewKey{items: &m.items[0], n: len(m.items), cursor: m.cursor, offset: m.offset,
		w: m.w, h: m.h, markW: m.markW, actorW: m.actorW, note: m.note, loc: m.loc,
		styles: m.styleGen, focused: focused}, true
}

// SetNote sets a remark shown above the thread, e.g. OpenDialog's "bot replies are not part of
// this export"; "" for none.
func (m *Model) SetNote(note string) {
	m.note = sanitize.Line(note)
	m.clamp()
}

// noteHeight is the height of the note line.
func (m *Model) noteHeight() int {
	if m.note == "" || m.h < 4 {
		return 0
	}
	return 1
}

// New returns an empty thread view that renders times in loc (nil means time.Local).
func New(styles Styles, loc *time.Location) *Model {
	if loc == nil {
		loc = time.Local
	}
	m := &Model{styles: styles, paints: newPaints(styles), loc: loc, collapsed: map[string]bool{},
		styleGen: styleGens.Add(1)}
	m.find.init(styles)
	return m
}

// SetStyles replaces the styles (after a background-colour change).
func (m *Model) SetStyles(s Styles) {
	m.styles, m.paints, m.styleGen = s, newPaints(s), styleGens.Add(1)
	m.find.setStyles(s)
}

// paints are the styles of the spans of a tree row (see package paint): Render per span of
// every visible row is the most a keypress in a thread would cost. The selected row, one a
// frame, is still rendered with its style.
type paints struct {
	tree, user, bot, agent, system, time, kind, marker paint.Paint
	match                                              paint.Paint // a search hit
}

func newPaints(s Styles) paints {
	return paints{tree: paint.New(s.Tree), user: paint.New(s.User), bot: paint.New(s.Bot),
		agent: paint.New(s.Agent), system: paint.New(s.System), time: paint.New(s.Time),
		kind: paint.New(s.Kind), marker: paint.New(s.Marker), match: paint.New(s.Match)}
}

// SetItems replaces the thread with items, builds its tree and resets the selection. A search
// in progress stays and is run again over the new items (the cursor does not move for it).
func (m *Model) SetItems(items []client.Interaction) {
	m.items = items
	m.tree = thread.Build(items)
	m.rows, m.markW = nil, 0 // nothing of the previous thread is kept selected
	m.actorW = actorW
	for i := range items {
		if items[i].Speaker != "" {
			m.actorW = min(maxActorW, max(m.actorW, sanitize.Width(sanitize.Line(items[i].SpeakerLabel()))))
		}
	}
	clear(m.collapsed) // nobody else holds the map
	m.cursor, m.offset = 0, 0
	m.reflow()
	m.built = Built{items: items, tree: m.tree, rows: m.rows, actorW: m.actorW, markW: m.markW}
	m.find.itemsChanged(m)
}

// Built is a thread as SetItems builds it (its tree, its rows with nothing collapsed, the
// widths of its columns): an owner that shows the same items again keeps it (Model.Built)
// and gives it back to SetBuilt instead of building them again. The zero Built holds nothing.
type Built struct {
	items  []client.Interaction
	tree   *thread.Tree
	rows   []thread.Row
	actorW int
	markW  int
}

// Of reports whether b was built from items (the same slice, not only equal items).
func (b Built) Of(items []client.Interaction) bool {
	return b.tree != nil && len(items) > 0 && len(b.items) == len(items) && &b.items[0] == &items[0]
}

// Built is the thread as SetItems built it, for SetBuilt; ok is false when there is none.
func (m *Model) Built() (b Built, ok bool) {
	return m.built, m.built.tree != nil
}

// SetBuilt is SetItems(items) for items b was built from (b.Of(items)), without building
// them again; otherwise it is SetItems.
func (m *Model) SetBuilt(items []client.Interaction, b Built) {
	if !b.Of(items) {
		m.SetItems(items)
		return
	}
	// What SetItems does, its tree and the rows of its reflow taken from b: neither the
	// tree nor the rows are changed in place by anyone (reflow makes new rows).
	m.items, m.tree, m.rows = b.items, b.tree, b.rows
	m.actorW, m.markW = b.actorW, b.markW
	clear(m.collapsed)
	m.cursor, m.offset = 0, 0
	m.built = b
	m.clamp()
	m.find.itemsChanged(m)
}

// Clear forgets the thread, and the search in it.
func (m *Model) Clear() {
	m.items, m.tree, m.rows = nil, nil, nil
	m.built = Built{}
	m.cursor, m.offset, m.markW = 0, 0, 0
	clear(m.collapsed)
	m.find.reset()
	m.find.dropIndex()
	m.clamp()
}

// Items is the thread as SetItems was given it (nil after Clear), whatever is collapsed.
func (m *Model) Items() []client.Interaction { return m.items }

// Len is the number of visible rows.
func (m *Model) Len() int { return len(m.rows) }

// Cursor is the index of the selected visible row.
func (m *Model) Cursor() int { return m.cursor }

// SetSize sets the size of the whole view (tree and detail panel).
func (m *Model) SetSize(w, h int) {
	m.w, m.h = max(0, w), max(0, h)
	m.find.setWidth(m.w)
	m.clamp()
}

// Selected is the selected interaction, or nil when there is none.
func (m *Model) Selected() *client.Interaction {
	if m.tree == nil || m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return m.tree.Item(int(m.rows[m.cursor].Index))
}

// Move moves the selection by delta rows, clamped.
func (m *Model) Move(delta int) {
	m.cursor += delta
	m.clamp()
}

// Home selects the first row; End the last.
func (m *Model) Home() { m.cursor = 0; m.clamp() }

// End selects the last row.
func (m *Model) End() { m.cursor = len(m.rows) - 1; m.clamp() }

// SelectID selects the interaction whose ID is id, expanding the collapsed branches that
// hide it, and scrolls it into view (a third of the way down when it was off screen). It
// reports whether the thread has it; if not, nothing changes.
func (m *Model) SelectID(id string) bool {
	if m.tree == nil {
		return false
	}
	i, ok := m.tree.Lookup(id)
	if !ok {
		return false
	}
	return m.selectItem(i)
}

// selectItem selects item i of the tree as SelectID does.
func (m *Model) selectItem(i int) bool {
	if m.tree == nil || i < 0 || i >= m.tree.Len() {
		return false
	}
	expanded := false
	for p, n := m.tree.Parent(i), 0; p >= 0 && n < m.tree.Len(); p, n = m.tree.Parent(p), n+1 {
		if pid := m.tree.Item(p).ID; m.collapsed[pid] {
			delete(m.collapsed, pid)
			expanded = true
		}
	}
	if expanded {
		m.reflow()
	}
	r := m.rowOf(int32(i))
	if r < 0 {
		return false
	}
	m.cursor = r
	if th := m.treeHeight(); r < m.offset || r >= m.offset+th {
		m.offset = r - th/3
	}
	m.clamp()
	return true
}

// rowOf is the visible row of item i, or -1.
func (m *Model) rowOf(i int32) int {
	for r := range m.rows {
		if m.rows[r].Index == i {
			return r
		}
	}
	return -1
}

// Page is the number of tree rows that fit on screen.
func (m *Model) Page() int { return max(1, m.treeHeight()) }

// Toggle collapses or expands the selected node; on a message without replies it collapses
// the branch the message is in (its parent's), and the branch's head is selected. Collapse
// and Expand set it. The selected message keeps its line on screen.
func (m *Model) Toggle() {
	if it, ok := m.node(); ok {
		m.setCollapsed(it.ID, !m.collapsed[it.ID])
		return
	}
	if m.tree == nil || m.cursor >= len(m.rows) {
		return
	}
	if p := m.tree.Parent(int(m.rows[m.cursor].Index)); p >= 0 && m.rowOf(int32(p)) >= 0 {
		m.setCollapsed(m.tree.Item(p).ID, true)
	}
}

// Collapse collapses the selected node, or selects its parent row when it has no children
// or is already collapsed.
func (m *Model) Collapse() {
	it, ok := m.node()
	if ok && !m.collapsed[it.ID] {
		m.setCollapsed(it.ID, true)
		return
	}
	// Walk up to the parent row: the nearest earlier row that is less deep.
	if m.cursor < len(m.rows) {
		d := m.rows[m.cursor].Depth()
		for i := m.cursor - 1; i >= 0; i-- {
			if m.rows[i].Depth() < d {
				m.cursor = i
				m.clamp()
				return
			}
		}
	}
}

// Expand expands the selected node.
func (m *Model) Expand() {
	if it, ok := m.node(); ok {
		m.setCollapsed(it.ID, false)
	}
}

// node is the selected interaction when its row has children.
func (m *Model) node() (*client.Interaction, bool) {
	if m.cursor >= len(m.rows) || !m.rows[m.cursor].HasChildren() {
		return nil, false
	}
	it := m.Selected()
	return it, it != nil
}

func (m *Model) setCollapsed(id string, v bool) {
	if v {
		m.collapsed[id] = true
	} else {
		delete(m.collapsed, id)
	}
	m.reflow()
}

// reflow flattens the tree again, keeping the selected interaction selected, on the same line
// of the screen. When a collapsed branch now hides it, the branch's head is selected.
func (m *Model) reflow() {
	var keep int32 = -1
	line := m.cursor - m.offset
	if m.cursor < len(m.rows) {
		keep = m.rows[m.cursor].Index
	}
	if m.tree == nil {
		m.rows = nil
	} else {
		m.rows = m.tree.Flatten(m.collapsed)
	}
	deepest := 0
	for _, r := range m.rows {
		deepest = max(deepest, r.Depth())
	}
	// The marker column only grows while a thread is shown, so collapsing never moves text.
	m.markW = max(m.markW, markerWidth(deepest))
	if keep >= 0 {
		r := m.rowOf(keep)
		if r < 0 {
			r = m.rowOf(m.hiddenHead(keep))
		}
		if r >= 0 {
			m.cursor = r
			m.offset = r - line
		}
	}
	m.clamp()
}

// hiddenHead is the head of the collapsed branch that hides item i: its outermost collapsed
// ancestor (the ancestors above that one are expanded, so it is shown); -1 if none.
func (m *Model) hiddenHead(i int32) int32 {
	head := int32(-1)
	for p, n := m.tree.Parent(int(i)), 0; p >= 0 && n < m.tree.Len(); p, n = m.tree.Parent(p), n+1 {
		if m.collapsed[m.tree.Item(p).ID] {
			head = int32(p)
		}
	}
	return head
}

// detailHeight is the height of the detail panel (its rule included).
func (m *Model) detailHeight() int {
	switch {
	case m.h >= 18:
		return m.h * 2 / 5
	case m.h >= 8:
		return 4
	}
	return 0
}

func (m *Model) treeHeight() int {
	return max(0, m.h-m.detailHeight()-m.noteHeight()-m.searchHeight())
}

func (m *Model) clamp() {
	m.cursor = min(m.cursor, len(m.rows)-1)
	m.cursor = max(m.cursor, 0)
	th := m.treeHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if th > 0 && m.cursor >= m.offset+th {
		m.offset = m.cursor - th + 1
	}
	m.offset = max(0, min(m.offset, len(m.rows)-th))
}

// View renders exactly h lines of w cells: the visible tree rows, then the detail panel.
func (m *Model) View(focused bool) string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	var b strings.Builder
	if m.noteHeight() > 0 {
		b.WriteString(m.styles.Muted.Render(sanitize.Pad("ⓘ "+m.note, m.w)))
		b.WriteByte('\n')
	}
	th := m.treeHeight()
	end := min(len(m.rows), m.offset+th)
	n := 0
	for i := m.offset; i < end; i++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.renderRow(i, focused))
		n++
	}
	for ; n < th; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat(" ", m.w))
	}
	if m.searchHeight() > 0 {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.renderSearch())
		n++
	}
	if dh := m.detailHeight(); dh > 0 {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.renderDetail(dh))
	}
	return b.String()
}

func (m *Model) actorPaint(a client.Actor) paint.Paint {
	switch a {
	case client.ActorUser, client.ActorCustomer:
		return m.paints.user
	case client.ActorBot, client.ActorVirtualAgent:
		return m.paints.bot
	case client.ActorAgent:
		return m.paints.agent
	}
	return m.paints.system
}

// renderRow renders visible row i: time and actor in fixed columns, then the tree guides,
// the fold marker, the kind and the text. Keeping the fixed columns left of the tree keeps them
// aligned however deep a thread goes; the guides stop growing at a depth that fits the width
// (see guides), so the text always keeps most of the row. Hits of the search are highlighted.
func (m *Model) renderRow(i int, focused bool) string {
	r := m.rows[i]
	it := m.tree.Item(int(r.Index))
	fold := "  "
	if r.HasChildren() {
		fold = "▾ "
		if r.Collapsed() {
			fold = "▸ "
		}
	}
	mark := ""
	switch {
	case r.Orphan():
		mark = "[orphan] "
	case r.Cycle():
		mark = "[cycle] "
	case r.Duplicate():
		mark = "[duplicate] "
	}
	tm := strings.Repeat(" ", timeW) // no time known (a Talkdesk message without one)
	if !it.Time.IsZero() {
		tm = sanitize.Pad(it.Time.In(m.loc).Format("15:04:05"), timeW)
	} else if start, _, _ := strings.Cut(it.Attrs.Value("audio"), "–"); start != "" {
		// Where it starts in its recording ("+00:08.9"); the detail names the recording.
		tm = sanitize.Pad(sanitize.Line("+"+start), timeW)
	}
	aw := max(actorW, m.actorW)
	actor := sanitize.Pad(sanitize.Line(it.SpeakerLabel()), aw)
	kind := sanitize.Pad(sanitize.Line(it.Kind), kindW)
	lead := m.guides(r) + fold
	fixed := timeW + 1 + aw + 1 + sanitize.Width(lead) + sanitize.Width(mark) + kindW + 1
	var head, text string
	if fixed > m.w {
		// Too narrow for the fixed columns: an unstyled, truncated line.
		line := sanitize.Pad(tm+" "+actor+" "+lead+mark+kind+" "+sanitize.Line(sanitize.Clip(it.Text, sanitize.ClipBytes(m.w))), m.w)
		if i != m.cursor {
			if hits := m.find.ranges(line); len(hits) > 0 {
				var b strings.Builder
				highlight(&b, line, hits, plain, m.paints.match.String)
				return b.String()
			}
			return line
		}
		text = line
	} else {
		// The text is clipped to what the row can show before it is sanitized (200 KB messages).
		text = sanitize.Pad(sanitize.Line(sanitize.Clip(it.Text, sanitize.ClipBytes(m.w-fixed))), m.w-fixed)
		head = tm + " " + actor + " " + lead + mark + kind + " "
	}
	hits := m.find.ranges(text)
	if i == m.cursor {
		st := m.selectedStyle(focused)
		if len(hits) == 0 {
			return st.Render(head + text)
		}
		var b strings.Builder
		b.WriteString(st.Render(head))
		highlight(&b, text, hits, render(st), render(m.styles.SelectedMatch))
		return b.String()
	}
	var b strings.Builder
	b.Grow(len(tm) + len(actor) + len(lead) + len(mark) + len(kind) + len(text) + 128)
	m.paints.time.Write(&b, tm)
	b.WriteByte(' ')
	m.actorPaint(it.Actor).Write(&b, actor)
	b.WriteByte(' ')
	m.paints.tree.Write(&b, lead)
	m.paints.marker.Write(&b, mark)
	m.paints.kind.Write(&b, kind)
	b.WriteByte(' ')
	if len(hits) == 0 {
		b.WriteString(text)
	} else {
		highlight(&b, text, hits, plain, m.paints.match.String)
	}
	return b.String()
}

func plain(s string) string { return s }

// render is st.Render of one string.
func render(st lipgloss.Style) func(string) string {
	return func(s string) string { return st.Render(s) }
}

func (m *Model) selectedStyle(focused bool) lipgloss.Style {
	if focused {
		return m.styles.Selected
	}
	return m.styles.Unfocused
}

// guideLevels is how many levels of tree guides (3 cells each) a row shows: as many as fit in
// a third of the width (at least one, at most what client/thread draws). Deeper rows do not
// indent further; they show their depth as a number instead (guides).
func (m *Model) guideLevels() int { return max(1, min(thread.MaxGuideDepth, m.w/3/3)) }

// guides is the tree guides of row r as shown: its prefix when it is no deeper than
// guideLevels, else the first guideLevels-1 levels of it and the depth marker "↳N", padded to
// the marker column (markW), so every row past the cap starts its text in the same column.
func (m *Model) guides(r thread.Row) string {
	levels := m.guideLevels()
	if r.Depth() <= levels {
		return r.Prefix()
	}
	prefix := r.Prefix()
	keep := 3 * (levels - 1) // cells, one a rune
	end := 0
	for n := 0; n < keep && end < len(prefix); n++ {
		_, size := utf8.DecodeRuneInString(prefix[end:])
		end += size
	}
	mark := depthMarker + strconv.Itoa(r.Depth())
	return prefix[:end] + mark + strings.Repeat(" ", max(1, m.markW-sanitize.Width(mark)))
}

// depthMarker starts the depth of a row deeper than the guides go ("↳7").
const depthMarker = "↳"

// markerWidth is the width of the marker column for rows as deep as depth: "↳" and the
// number, and a space.
func markerWidth(depth int) int {
	return sanitize.Width(depthMarker) + len(strconv.Itoa(depth)) + 1
}

// renderDetail renders the detail panel of the selected interaction in exactly dh lines.
func (m *Model) renderDetail(dh int) string {
	lines := make([]string, 0, dh)
	lines = append(lines, m.styles.Rule.Render(sanitize.Pad("── Detail "+strings.Repeat("─", max(0, m.w-10)), m.w)))
	it := m.Selected()
	if it == nil {
		lines = append(lines, m.styles.Muted.Render(sanitize.Pad("No interaction selected", m.w)))
	} else {
		head := sanitize.Line(it.SpeakerLabel()) + " · " + sanitize.Line(it.Kind)
		if !it.Time.IsZero() {
			head += " · " + it.Time.In(m.loc).Format("2006-01-02 15:04:05 MST")
		}
		if !it.Updated.IsZero() {
			head += " · updated " + it.Updated.In(m.loc).Format("2006-01-02 15:04:05 MST")
		}
		lines = append(lines, sanitize.Pad(head, m.w))
		ids := "id " + sanitize.Line(sanitize.Clip(it.ID, sanitize.ClipBytes(m.w)))
		if it.ParentID != "" {
			ids += " · parent " + sanitize.Line(sanitize.Clip(it.ParentID, sanitize.ClipBytes(m.w)))
		} else {
			ids += " · no parent"
		}
		if it.UserID != "" {
			ids += " · user " + sanitize.Line(sanitize.Clip(it.UserID, sanitize.ClipBytes(m.w)))
		}
		lines = append(lines, m.styles.Muted.Render(sanitize.Pad(ids, m.w)))
		if len(it.Attrs) > 0 {
			parts := make([]string, 0, len(it.Attrs))
			for _, a := range it.Attrs {
				parts = append(parts, sanitize.Line(sanitize.Clip(a.Key, 256))+"="+sanitize.Line(sanitize.Clip(a.Value, sanitize.ClipBytes(m.w))))
			}
			lines = append(lines, m.styles.Label.Render(sanitize.Pad(strings.Join(parts, " · "), m.w)))
		}
		text, more := detailText(it.Text, m.w, dh-len(lines))
		for _, l := range text {
			l = sanitize.Pad(l, m.w)
			hits := m.find.ranges(l)
			if len(hits) == 0 {
				lines = append(lines, m.styles.DetailText.Render(l))
				continue
			}
			var b strings.Builder
			highlight(&b, l, hits, render(m.styles.DetailText), render(m.styles.Match))
			lines = append(lines, b.String())
		}
		if more > 0 {
			lines = append(lines, m.styles.Muted.Render(sanitize.Pad(
				"… ("+strconv.Itoa(more)+" more lines; y to copy the whole thread)", m.w)))
		}
	}
	if len(lines) > dh {
		lines = lines[:dh]
	}
	for len(lines) < dh {
		lines = append(lines, strings.Repeat(" ", m.w))
	}
	return strings.Join(lines, "\n")
}

// detailText is the text of an interaction as the detail panel shows it in room lines of w
// cells: the wrapped lines, and how many more lines the text has (then the lines leave room
// for a marker line). Only a bounded head of the text is sanitized and wrapped, so a 200 KB
// message costs what a panel does; the rest is counted, not rendered.
func detailText(raw string, w, room int) (lines []string, more int) {
	if room <= 0 {
		return nil, 0
	}
	w = max(1, w)
	if raw == "" {
		return []string{"(no text)"}, 0
	}
	head := sanitize.Clip(raw, room*sanitize.ClipBytes(w))
	lines = strings.Split(ansi.Wrap(sanitize.Text(head), w, ""), "\n")
	cut := len(head) < len(raw)
	if len(lines) <= room && !cut {
		return lines, 0
	}
	shown := min(len(lines), room-1)
	more = len(lines) - shown
	if cut {
		// The head ended with "…" in place of the rest: count the rest's lines instead.
		more += estimateLines(raw[len(head)-len(sanitize.Ellipsis):], w) - 1
	}
	return lines[:shown], max(1, more)
}

// estimateLines is about how many lines of w cells s wraps to (one cell a rune).
func estimateLines(s string, w int) int {
	n := 0
	for {
		i := strings.IndexByte(s, '\n')
		line := s
		if i >= 0 {
			line = s[:i]
		}
		n += max(1, (utf8.RuneCountInString(line)+w-1)/w)
		if i < 0 {
			return n
		}
		s = s[i+1:]
	}
}
