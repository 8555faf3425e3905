// Package pager shows one long text full-height: a message with its details, or a vendor's
// raw JSON record, wrapped at the width and scrolled like less (j/k, space/b, ctrl+d/ctrl+u,
// g/G, the mouse wheel). A header line says what is shown, a footer where you are
// ("lines 1–38 of 212 · 18%") and the keys.
//
// Model is an imperative leaf widget (like threadview.Model): its owner calls SetSize,
// SetContent and Update from its own Update, and View renders without changing state. All the
// text it is given is vendor text: it goes through client/sanitize before it is measured or
// styled, so escape sequences and control characters show as visible escapes. A body longer
// than Cap bytes is cut there, with a line that says so: the text is sanitized and wrapped once
// per SetContent or width change, and only the lines on screen are styled per frame.
package pager

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/paint"
)

// Cap is the most bytes of a body the pager shows; the rest is cut, with a line that says so
// (the message stays whole for copying). 512 KB is about 6,500 lines of 80 cells.
const Cap = 512 << 10

// tabWidth is how many spaces a tab becomes.
const tabWidth = 4

// Kind is what a body is.
type Kind int

// The kinds of body.
const (
	Text Kind = iota // prose: word-wrapped
	JSON             // a raw vendor record: re-indented, hard-wrapped, keys/strings/numbers coloured
)

// Content is what the pager shows.
type Content struct {
	// Title is the header line: what is shown (sanitized by the pager).
	Title string
	// Body is the text (Kind Text) or the vendor's JSON record as received (Kind JSON).
	Body string
	Kind Kind
	// Empty is shown in place of an empty body ("no raw record").
	Empty string
	// CutNote is added to the line that says the body was cut: where the rest is
	// ("c copies the whole message").
	CutNote string
}

// Styles are the pager's styles; tui builds them from the palette.
type Styles struct {
	Header lipgloss.Style // the title line
	Footer lipgloss.Style // the position and keys line
	Text   lipgloss.Style // the body
	Muted  lipgloss.Style // the cut line, the empty note
	Key    lipgloss.Style // JSON object keys
	String lipgloss.Style // JSON strings
	Number lipgloss.Style // JSON numbers
	Bool   lipgloss.Style // JSON true, false, null
}

// Keys are the pager's bindings; tui/keys.go builds them (DefaultKeys are confab's).
type Keys struct {
	Up, Down, PageDown, PageUp, HalfDown, HalfUp, Top, Bottom key.Binding
	Close                                                     key.Binding // back to where the pager was opened
	Raw                                                       key.Binding // the raw record (the owner switches the content)
}

// DefaultKeys are confab's pager bindings.
func DefaultKeys() Keys {
	return Keys{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageDown: key.NewBinding(key.WithKeys("space", "pgdown", "f"), key.WithHelp("space", "page down")),
		PageUp:   key.NewBinding(key.WithKeys("b", "pgup"), key.WithHelp("b", "page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "end")),
		Close:    key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "back")),
		Raw:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "raw json")),
	}
}

// Action is what a message did to the pager, for its owner.
type Action int

// The actions Update reports.
const (
	Ignored Action = iota // not a pager key: the owner may handle it
	Handled               // scrolled (or tried to)
	Close                 // the Close key: the owner closes the pager
	Raw                   // the Raw key: the owner shows the raw record (or goes back from it)
)

// seg is one screen line: a byte range of a logical line, and for JSON the lexer state at its
// start.
type seg struct {
	line       int32
	start, end int32
	st         uint8
}

// Model is the pager. The zero value is not usable; call New.
type Model struct {
	styles Styles
	paints paints
	keys   Keys

	w, h  int
	title string
	kind  Kind
	empty string
	lines []string // the body's logical lines, sanitized, tabs expanded
	cut   string   // the line saying the body was cut; "" when whole
	segs  []seg    // the lines wrapped at wrapW
	wrapW int
	top   int // index of the first seg on screen
}

type paints struct {
	text, muted, key, str, num, lit paint.Paint
}

func newPaints(s Styles) paints {
	return paints{text: paint.New(s.Text), muted: paint.New(s.Muted), key: paint.New(s.Key),
		str: paint.New(s.String), num: paint.New(s.Number), lit: paint.New(s.Bool)}
}

// New returns an empty pager.
func New(styles Styles, keys Keys) *Model {
	return &Model{styles: styles, paints: newPaints(styles), keys: keys}
}

// SetStyles replaces the styles (after a background-colour change).
func (m *Model) SetStyles(s Styles) { m.styles, m.paints = s, newPaints(s) }

// SetSize sets the size of the whole pager, header and footer included. The line at the top
// of the screen stays at the top when the width changes.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = max(0, w), max(0, h)
	if m.wrapW != m.w {
		line, at := m.anchor()
		m.wrap()
		m.seek(line, at)
	}
	m.clamp()
}

// SetContent replaces what is shown and scrolls to the top.
func (m *Model) SetContent(c Content) {
	m.title = sanitize.Line(sanitize.Clip(c.Title, sanitize.ClipBytes(400)))
	m.kind = c.Kind
	m.empty = sanitize.Line(c.Empty)
	m.cut = ""
	body, isJSON := c.Body, false
	if c.Kind == JSON && body != "" {
		body, isJSON = indentJSON(body)
	}
	if len(body) > Cap {
		total := len(body)
		body = sanitize.Clip(body, Cap)
		body = strings.TrimSuffix(body, sanitize.Ellipsis)
		m.cut = "… cut at " + kb(Cap) + " of " + kb(total)
		if c.CutNote != "" {
			m.cut += " · " + sanitize.Line(c.CutNote)
		}
	}
	if isJSON {
		// Outside its strings JSON is ASCII, so the head of a record escapes as the whole would.
		body = string(sanitize.JSON([]byte(body)))
	}
	body = sanitize.Text(body)
	if strings.IndexByte(body, '\t') >= 0 {
		body = strings.ReplaceAll(body, "\t", strings.Repeat(" ", tabWidth))
	}
	body = strings.TrimRight(body, "\n")
	if body == "" {
		m.lines = nil
	} else {
		m.lines = strings.Split(body, "\n")
	}
	m.top = 0
	m.wrap()
	m.clamp()
}

// kb is n bytes in KB ("512 KB").
func kb(n int) string { return client.Thousands(int64((n+1023)/1024)) + " KB" }

// indentJSON re-indents a raw record by two spaces, keeping the vendor's key order (the bytes
// are re-indented, never decoded); ok is false for text that is not JSON, which is returned
// as it is after a line that says so. The result is not sanitized yet.
func indentJSON(raw string) (out string, ok bool) {
	var w bytes.Buffer
	w.Grow(len(raw) + len(raw)/2)
	if err := json.Indent(&w, []byte(raw), "", "  "); err != nil {
		return "(not valid JSON: " + err.Error() + ")\n" + raw, false
	}
	return w.String(), true
}

// Lines is the number of screen lines of the body at the current width (the cut line
// included).
func (m *Model) Lines() int {
	n := len(m.segs)
	if m.cut != "" {
		n++
	}
	return n
}

// Top is the index of the first body line on screen.
func (m *Model) Top() int { return m.top }

// Title is the header text (sanitized).
func (m *Model) Title() string { return m.title }

// bodyHeight is the number of body lines on screen.
func (m *Model) bodyHeight() int {
	if m.h >= 3 {
		return m.h - 2
	}
	return m.h
}

func (m *Model) clamp() {
	m.top = max(0, min(m.top, m.Lines()-m.bodyHeight()))
}

// ScrollBy scrolls by n lines (negative: up), clamped.
func (m *Model) ScrollBy(n int) { m.top += n; m.clamp() }

// GotoTop scrolls to the first line; GotoBottom to the last screenful.
func (m *Model) GotoTop() { m.top = 0 }

// GotoBottom shows the last screenful.
func (m *Model) GotoBottom() { m.top = m.Lines(); m.clamp() }

// Update handles a key or a mouse wheel message and says what it did.
func (m *Model) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.ScrollBy(-3)
		case tea.MouseWheelDown:
			m.ScrollBy(3)
		default:
			return Ignored
		}
		return Handled
	case tea.KeyPressMsg:
		k, page := m.keys, max(1, m.bodyHeight())
		switch {
		case key.Matches(msg, k.Close):
			return Close
		case key.Matches(msg, k.Raw):
			return Raw
		case key.Matches(msg, k.Up):
			m.ScrollBy(-1)
		case key.Matches(msg, k.Down):
			m.ScrollBy(1)
		case key.Matches(msg, k.PageDown):
			m.ScrollBy(page)
		case key.Matches(msg, k.PageUp):
			m.ScrollBy(-page)
		case key.Matches(msg, k.HalfDown):
			m.ScrollBy(max(1, page/2))
		case key.Matches(msg, k.HalfUp):
			m.ScrollBy(-max(1, page/2))
		case key.Matches(msg, k.Top):
			m.GotoTop()
		case key.Matches(msg, k.Bottom):
			m.GotoBottom()
		default:
			return Ignored
		}
		return Handled
	}
	return Ignored
}

// Position is the footer's position text: "lines 1–38 of 212 · 18%".
func (m *Model) Position() string {
	n := m.Lines()
	if n == 0 {
		return "empty"
	}
	first, last := m.top+1, min(n, m.top+m.bodyHeight())
	pct := last * 100 / n
	return "lines " + client.Thousands(int64(first)) + "–" + client.Thousands(int64(last)) +
		" of " + client.Thousands(int64(n)) + " · " + strconv.Itoa(pct) + "%"
}

// View renders the pager in exactly h lines of w cells. It changes nothing.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	out := make([]string, 0, m.h)
	if m.h >= 3 {
		out = append(out, m.styles.Header.Render(sanitize.Pad(" "+m.title, m.w)))
	}
	bh := m.bodyHeight()
	var b strings.Builder
	for i := m.top; i < m.top+bh; i++ {
		b.Reset()
		switch {
		case i < len(m.segs):
			m.renderSeg(&b, m.segs[i])
		case i == len(m.segs) && m.cut != "":
			m.paints.muted.Write(&b, sanitize.Pad(m.cut, m.w))
		case i == 0 && len(m.segs) == 0:
			m.paints.muted.Write(&b, sanitize.Pad(m.empty, m.w))
		default:
			b.WriteString(strings.Repeat(" ", m.w))
		}
		out = append(out, b.String())
	}
	if m.h >= 3 {
		pos := " " + m.Position()
		out = append(out, m.styles.Footer.Render(sanitize.Pad(pos+m.hints(m.w-sanitize.Width(pos)), m.w)))
	}
	return strings.Join(out, "\n")
}

// hints is the footer's key list in at most room cells (its leading gap included): the keys
// that leave the pager first, then paging, scrolling and the ends, as many as fit.
func (m *Model) hints(room int) string {
	k := m.keys
	pair := func(a, b key.Binding, what string) string {
		if len(a.Keys()) == 0 || len(b.Keys()) == 0 {
			return ""
		}
		return a.Keys()[0] + "/" + b.Keys()[0] + " " + what
	}
	one := func(b key.Binding, what string) string {
		if !b.Enabled() || b.Help().Key == "" {
			return ""
		}
		return b.Help().Key + " " + what
	}
	// Raw (o) toggles: from a message to its raw record, from a raw record back to the message.
	toggle := "raw"
	if m.kind == JSON {
		toggle = "message"
	}
	// In the order they show; prio says which go first when the footer is short.
	all := []string{pair(k.Down, k.Up, "scroll"), pair(k.PageDown, k.PageUp, "page"),
		pair(k.Top, k.Bottom, "top/end"), one(k.Raw, toggle), one(k.Close, "back")}
	prio := []int{4, 3, 1, 0, 2}
	keep := make([]bool, len(all))
	used := 3 // the gap after the position
	for _, i := range prio {
		if all[i] != "" && used+sanitize.Width(all[i])+3 <= room {
			keep[i] = true
			used += sanitize.Width(all[i]) + 3
		}
	}
	var parts []string
	for i, s := range all {
		if keep[i] {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "   " + strings.Join(parts, " · ")
}

// renderSeg writes one screen line, padded to the width.
func (m *Model) renderSeg(b *strings.Builder, s seg) {
	l := m.lines[s.line]
	text := l[s.start:s.end]
	if m.kind == JSON {
		m.paintJSON(b, l, int(s.start), int(s.end), s.st)
	} else {
		m.paints.text.Write(b, text)
	}
	if pad := m.w - sanitize.Width(text); pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
}

// anchor is the logical line and byte offset at the top of the screen.
func (m *Model) anchor() (line, at int) {
	if m.top < len(m.segs) {
		s := m.segs[m.top]
		return int(s.line), int(s.start)
	}
	return 0, 0
}

// seek puts the screen line holding byte at of logical line at the top: the last screen line
// of that line starting at or before at.
func (m *Model) seek(line, at int) {
	m.top = 0
	for i, s := range m.segs {
		switch {
		case int(s.line) < line:
			continue
		case int(s.line) > line:
			return
		case int(s.start) <= at:
			m.top = i
		}
	}
}

// wrap cuts the logical lines into screen lines of at most w cells: prose at the last space
// that fits, JSON anywhere (a space inside a string must not be lost).
func (m *Model) wrap() {
	m.wrapW = m.w
	m.segs = m.segs[:0]
	w := max(1, m.w)
	for li, l := range m.lines {
		var st uint8
		start := 0
		for {
			end, next := breakLine(l, start, w, m.kind == Text)
			s := seg{line: int32(li), start: int32(start), end: int32(end), st: st}
			m.segs = append(m.segs, s)
			if next >= len(l) {
				break
			}
			if m.kind == JSON {
				st = scanJSON(l, start, next, st)
			}
			start = next
		}
	}
}

// breakLine finds the end of the screen line that starts at byte start of l: the line is
// l[start:end] and the next starts at next (after the space it broke at, for prose). A cluster
// wider than w gets a line of its own.
func breakLine(l string, start, w int, words bool) (end, next int) {
	width, space := 0, -1
	for i := start; i < len(l); {
		n, cw := cluster(l[i:])
		if width+cw > w && i > start {
			switch {
			case words && l[i] == ' ':
				return i, i + 1
			case words && space > start:
				return space, space + 1
			}
			return i, i
		}
		if l[i] == ' ' {
			space = i
		}
		width += cw
		i += n
	}
	return len(l), len(l)
}

// cluster is the length in bytes and width in cells of the first grapheme cluster of the
// sanitized, non-empty s.
func cluster(s string) (n, w int) {
	if s[0] < 0x80 && (len(s) == 1 || s[1] < 0x80) {
		return 1, 1
	}
	c, w := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
	if len(c) == 0 {
		return 1, 1
	}
	return len(c), w
}
