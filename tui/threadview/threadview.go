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
	"time"
	"unicode/utf8"

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
	return &Model{styles: styles, paints: newPaints(styles), loc: loc, collapsed: map[string]bool{}}
}

// SetStyles replaces the styles (after a background-colour change).
func (m *Model) SetStyles(s Styles) { m.styles, m.paints = s, newPaints(s) }

// paints are the styles of the spans of a tree row (see package paint): Render per span of
// every visible row is the most a keypress in a thread would cost. The selected row, one a
// frame, is still rendered with its style.
type paints struct {
	tree, user, bot, agent, system, time, kind, marker paint.Paint
}

func newPaints(s Styles) paints {
	return paints{tree: paint.New(s.Tree), user: paint.New(s.User), bot: paint.New(s.Bot),
		agent: paint.New(s.Agent), system: paint.New(s.System), time: paint.New(s.Time),
		kind: paint.New(s.Kind), marker: paint.New(s.Marker)}
}

// SetItems replaces the thread with items, builds its tree and resets the selection.
func (m *Model) SetItems(items []client.Interaction) {
	m.items = items
	m.tree = thread.Build(items)
	m.actorW = actorW
	for i := range items {
		if items[i].Speaker != "" {
			m.actorW = min(maxActorW, max(m.actorW, sanitize.Width(sanitize.Line(items[i].SpeakerLabel()))))
		}
	}
	m.collapsed = map[string]bool{}
	m.cursor, m.offset = 0, 0
	m.reflow()
}

// Clear forgets the thread.
func (m *Model) Clear() {
	m.items, m.tree, m.rows = nil, nil, nil
	m.cursor, m.offset = 0, 0
	m.collapsed = map[string]bool{}
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
	for r, row := range m.rows {
		if int(row.Index) != i {
			continue
		}
		m.cursor = r
		if th := m.treeHeight(); r < m.offset || r >= m.offset+th {
			m.offset = r - th/3
		}
		m.clamp()
		return true
	}
	return false
}

// Page is the number of tree rows that fit on screen.
func (m *Model) Page() int { return max(1, m.treeHeight()) }

// Toggle collapses or expands the selected node; Collapse and Expand set it.
func (m *Model) Toggle() {
	if it, ok := m.node(); ok {
		m.setCollapsed(it.ID, !m.collapsed[it.ID])
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
		d := m.rows[m.cursor].Depth
		for i := m.cursor - 1; i >= 0; i-- {
			if m.rows[i].Depth < d {
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
	if m.cursor >= len(m.rows) || !m.rows[m.cursor].HasChildren {
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

// reflow flattens the tree again, keeping the selected interaction selected.
func (m *Model) reflow() {
	var keep int32 = -1
	if m.cursor < len(m.rows) {
		keep = m.rows[m.cursor].Index
	}
	if m.tree == nil {
		m.rows = nil
	} else {
		m.rows = m.tree.Flatten(m.collapsed)
	}
	for i, r := range m.rows {
		if r.Index == keep {
			m.cursor = i
			break
		}
	}
	m.clamp()
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

func (m *Model) treeHeight() int { return max(0, m.h-m.detailHeight()-m.noteHeight()) }

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
	shift := m.guideShift()
	n := 0
	for i := m.offset; i < end; i++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.renderRow(i, focused, shift))
		n++
	}
	for ; n < th; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat(" ", m.w))
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
// aligned however deep a thread goes; guides deeper than a third of the width are cut from the
// left (shown as "…") so the text always keeps most of the row.
func (m *Model) renderRow(i int, focused bool, shift int) string {
	r := m.rows[i]
	it := m.tree.Item(int(r.Index))
	fold := "  "
	if r.HasChildren {
		fold = "▾ "
		if r.Collapsed {
			fold = "▸ "
		}
	}
	mark := ""
	switch {
	case r.Orphan:
		mark = "[orphan] "
	case r.Cycle:
		mark = "[cycle] "
	case r.Duplicate:
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
	lead := shiftGuides(r.Prefix, shift, m.maxGuides()+9) + fold
	fixed := timeW + 1 + aw + 1 + sanitize.Width(lead) + sanitize.Width(mark) + kindW + 1
	if fixed > m.w {
		// Too narrow for the fixed columns: an unstyled, truncated line.
		line := sanitize.Pad(tm+" "+actor+" "+lead+mark+kind+" "+sanitize.Line(sanitize.Clip(it.Text, sanitize.ClipBytes(m.w))), m.w)
		if i == m.cursor {
			return m.selectedStyle(focused).Render(line)
		}
		return line
	}
	// The text is clipped to what the row can show before it is sanitized (200 KB messages).
	text := sanitize.Pad(sanitize.Line(sanitize.Clip(it.Text, sanitize.ClipBytes(m.w-fixed))), m.w-fixed)
	if i == m.cursor {
		return m.selectedStyle(focused).Render(tm + " " + actor + " " + lead + mark + kind + " " + text)
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
	b.WriteString(text)
	return b.String()
}

func (m *Model) selectedStyle(focused bool) lipgloss.Style {
	if focused {
		return m.styles.Selected
	}
	return m.styles.Unfocused
}

// guideShift is how many cells of tree guides every visible row drops on the left, so that the
// selected row keeps its guides within a third of the width. Rows share the shift, so guides
// stay aligned around the selection; a row much deeper than the selection is clipped on its
// own (see shiftGuides).
func (m *Model) guideShift() int {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return 0
	}
	return max(0, utf8.RuneCountInString(m.rows[m.cursor].Prefix)-m.maxGuides())
}

// maxGuides is the width the tree guides of the selected row may take.
func (m *Model) maxGuides() int { return max(3, m.w/3) }

// shiftGuides drops the first shift cells of a tree prefix (whose runes are all one cell wide),
// marking the cut with "…" so the row keeps its width relative to its neighbours; what is left
// is kept to at most limit cells (cut on the left too), so no row loses its text.
func shiftGuides(prefix string, shift, limit int) string {
	r := []rune(prefix)
	if shift > 0 {
		if len(r) <= shift {
			return "…"
		}
		r = append([]rune{'…'}, r[shift+1:]...)
	}
	if len(r) > limit {
		r = append([]rune{'…'}, r[len(r)-limit+1:]...)
	}
	return string(r)
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
			lines = append(lines, m.styles.DetailText.Render(sanitize.Pad(l, m.w)))
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
