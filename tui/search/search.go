// Package search is the TUI's search overlay (ctrl+f): a text input over the local store's
// full-text index of every source, results as you type, and Enter to open the thread of a
// hit.
//
// The overlay knows nothing of the store: it calls a Func (confab wires one over
// store/cache). It follows the rules of package tui: Model is an imperative widget its owner
// drives from Update; every query carries a generation, a new one cancels the query in flight
// and results of a superseded one are dropped; Cmds capture values only; View renders without
// changing state; every vendor string goes through client/sanitize.
package search

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/paint"
	"github.com/confab-dev/confab/tui/pane/request"
)

// Query is one search: Text in FTS5 syntax (words, "a phrase", prefix*, AND, OR, NOT) and
// the most conversations to return.
type Query struct {
	Text  string
	Limit int
}

// Span is one piece of a hit's snippet: text, and whether it is a matched term.
type Span struct {
	Text  string
	Match bool
}

// Hit is one conversation that matches: its newest match.
type Hit struct {
	// Conversation is the matching conversation; its Source names the configured source.
	Conversation client.Conversation
	// InteractionID is the matching message's id ("" when the match is in the conversation's
	// own fields).
	InteractionID string
	// Time is the match's time (zero: unknown).
	Time time.Time
	// Spans are the snippet around the match, matched terms marked. Vendor text.
	Spans []Span
}

// Func runs a search. An error whose text should be shown as is (a query the index cannot
// parse) is one line; the overlay shows any error under its input.
type Func func(ctx context.Context, q Query) ([]Hit, error)

// ErrNothingStored is what a Func returns, in place of no hits, when the store it searches
// holds nothing at all: the overlay then says how to fill it rather than "no match".
var ErrNothingStored = errors.New("the local store is empty")

// DefaultDelay is the pause in typing after which the query runs.
const DefaultDelay = 120 * time.Millisecond

// DefaultLimit is the most hits one query returns.
const DefaultLimit = 200

// Keys are the overlay's bindings; tui/keys.go builds them. Every other key edits the query.
type Keys struct {
	Up, Down, PageUp, PageDown key.Binding
	Open, Close                key.Binding
}

// Styles are the overlay's styles; tui/theme.go builds them.
type Styles struct {
	Title  lipgloss.Style // the overlay's title line
	Prompt lipgloss.Style // the "›" before the input
	Header lipgloss.Style // the column headers
	Muted  lipgloss.Style // hints and counts
	Text   lipgloss.Style // the snippet's text between matches
	Error  lipgloss.Style // the line of a query that failed
	Source lipgloss.Style
	Time   lipgloss.Style
	User   lipgloss.Style
	// Match is a matched term; Selected the selected row; SelectedMatch a matched term in
	// it. They must read without colour (NO_COLOR): reverse video, bold, underline.
	Match, Selected, SelectedMatch lipgloss.Style
	Input                          textinput.Styles
}

// Config is what the overlay needs.
type Config struct {
	Search Func
	Keys   Keys
	Styles Styles
	// Context is the parent of every query; cancelling it cancels them all.
	Context context.Context
	// Location is the time zone of the times shown (nil: time.Local).
	Location *time.Location
	// Tick schedules a message after a delay (nil: tea.Tick); tests replace it.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Delay is the debounce of typing (0: DefaultDelay); Limit the most hits (0: DefaultLimit).
	Delay time.Duration
	Limit int
	// Redact removes secrets from the error text shown (nil: shown as is).
	Redact func(string) string
}

// Msg is implemented by the overlay's own async messages: the root hands them to Update.
type Msg interface{ searchMsg() }

// OpenHit asks the root to open the thread of Hit (Enter). It is not a Msg: it is for the
// root.
type OpenHit struct{ Hit Hit }

// debounceMsg fires when typing may have paused.
type debounceMsg struct{ gen uint64 }

// resultMsg is the result of one query.
type resultMsg struct {
	gen  uint64
	text string
	hits []Hit
	err  error
}

func (debounceMsg) searchMsg() {}
func (resultMsg) searchMsg()   {}

// Model is the overlay. Create it with New; it is not safe for concurrent use.
type Model struct {
	cfg    Config
	paints paints
	input  textinput.Model
	open   bool
	w, h   int

	hits   []Hit
	shown  string // the query whose hits are shown ("": none)
	cursor int
	offset int
	err    string // the last query's error, one sanitized line ("": none)
	// nothingStored: the last query found the store empty (ErrNothingStored).
	nothingStored bool

	debounce request.Lifecycle // the pause in typing
	query    request.Lifecycle // the query in flight
}

// New returns a closed overlay for cfg.
func New(cfg Config) *Model {
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Tick == nil {
		cfg.Tick = tea.Tick
	}
	if cfg.Delay <= 0 {
		cfg.Delay = DefaultDelay
	}
	if cfg.Limit <= 0 {
		cfg.Limit = DefaultLimit
	}
	if cfg.Redact == nil {
		cfg.Redact = func(s string) string { return s }
	}
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 1024
	in.Placeholder = `words, "a phrase", prefix*, AND, OR, NOT`
	// Up/down belong to the results, not to the input's suggestions.
	in.KeyMap.NextSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.PrevSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	m := &Model{cfg: cfg, input: in}
	m.SetStyles(cfg.Styles)
	return m
}

// SetStyles replaces the styles (after a background-colour change). The cursor never blinks:
// a blinking cursor needs messages the root does not route.
func (m *Model) SetStyles(s Styles) {
	m.cfg.Styles = s
	m.paints = newPaints(s)
	in := s.Input
	in.Cursor.Blink = false
	m.input.SetStyles(in)
}

// SetSize sets the overlay's size: it renders exactly h lines of w cells.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = max(0, w), max(0, h)
	m.input.SetWidth(max(1, m.w-4)) // " › " before it, the cursor's cell after it
	m.clamp()
}

// IsOpen reports whether the overlay is shown (and takes every key).
func (m *Model) IsOpen() bool { return m.open }

// Open shows the overlay with the query and hits it had when it was closed; a query typed
// but not yet run runs now.
func (m *Model) Open() tea.Cmd {
	m.open = true
	m.input.Focus()
	m.input.CursorEnd()
	if text := m.Value(); text != "" && text != m.shown {
		return m.schedule()
	}
	return nil
}

// Close hides the overlay and cancels its query in flight; the query and hits stay for the
// next Open.
func (m *Model) Close() {
	m.open = false
	m.input.Blur()
	m.debounce.Stop()
	m.query.Stop()
}

// Value is the query typed, trimmed.
func (m *Model) Value() string { return strings.TrimSpace(m.input.Value()) }

// Hits are the hits shown.
func (m *Model) Hits() []Hit { return m.hits }

// Cursor is the index of the selected hit.
func (m *Model) Cursor() int { return m.cursor }

// Err is the error line shown under the input ("": none).
func (m *Model) Err() string { return m.err }

// Busy reports whether a query is waiting for a pause in typing or running.
func (m *Model) Busy() bool { return m.debounce.Busy() || m.query.Busy() }

// Update handles a key (when open) or one of the overlay's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.open {
			return m.handleKey(msg)
		}
	case debounceMsg:
		return m.handleDebounce(msg)
	case resultMsg:
		m.handleResult(msg)
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.cfg.Keys
	switch {
	case key.Matches(msg, k.Close):
		m.Close()
		return nil
	case key.Matches(msg, k.Open):
		if m.cursor < 0 || m.cursor >= len(m.hits) {
			return nil
		}
		hit := m.hits[m.cursor]
		m.Close()
		return func() tea.Msg { return OpenHit{Hit: hit} }
	case key.Matches(msg, k.Up):
		m.move(-1)
		return nil
	case key.Matches(msg, k.Down):
		m.move(1)
		return nil
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.rows()))
		return nil
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.rows()))
		return nil
	}
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() == before {
		return cmd
	}
	if m.Value() == "" {
		// Nothing to search for: forget the query and its hits.
		m.debounce.Stop()
		m.query.Stop()
		m.hits, m.shown, m.err = nil, "", ""
		m.cursor, m.offset = 0, 0
		return cmd
	}
	return tea.Batch(cmd, m.schedule())
}

// schedule starts the pause after which the query typed runs; a newer keystroke makes it
// stale.
func (m *Model) schedule() tea.Cmd {
	gen := m.debounce.Mark()
	return m.cfg.Tick(m.cfg.Delay, func(time.Time) tea.Msg { return debounceMsg{gen: gen} })
}

func (m *Model) handleDebounce(msg debounceMsg) tea.Cmd {
	if !m.debounce.Current(msg.gen) || !m.debounce.Busy() {
		return nil // typing went on, or the overlay closed
	}
	m.debounce.End()
	text := m.Value()
	if text == "" {
		return nil
	}
	ctx, gen := m.query.Start(m.cfg.Context) // cancels the query it supersedes
	return runQuery(ctx, m.cfg.Search, Query{Text: text, Limit: m.cfg.Limit}, gen)
}

// runQuery is the Cmd of one query; it uses only its arguments.
func runQuery(ctx context.Context, search Func, q Query, gen uint64) tea.Cmd {
	return func() tea.Msg {
		hits, err := search(ctx, q)
		return resultMsg{gen: gen, text: q.Text, hits: hits, err: err}
	}
}

func (m *Model) handleResult(msg resultMsg) {
	if !m.query.Done(msg.gen) {
		return // superseded: a newer query runs or ran
	}
	m.nothingStored = errors.Is(msg.err, ErrNothingStored)
	if m.nothingStored {
		msg.err, msg.hits = nil, nil
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return
		}
		// The hits of the last query that worked stay: a half-typed "phrase must not
		// blank the list.
		m.err = sanitize.Line(m.cfg.Redact(msg.err.Error()))
		return
	}
	m.err = ""
	m.hits, m.shown = msg.hits, msg.text
	m.cursor, m.offset = 0, 0
	m.clamp()
}

// move moves the selection by delta hits, clamped.
func (m *Model) move(delta int) {
	m.cursor += delta
	m.clamp()
}

// Fixed lines of the overlay: the title, the input, the line under it (count or error) and
// the column headers.
const headLines = 4

// rows is the number of hit rows that fit.
func (m *Model) rows() int { return max(0, m.h-headLines) }

func (m *Model) clamp() {
	m.cursor = max(0, min(m.cursor, len(m.hits)-1))
	rows := m.rows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if rows > 0 && m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(0, min(m.offset, len(m.hits)-rows))
}

// View renders the overlay in exactly h lines of w cells.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	s := m.cfg.Styles
	lines := make([]string, 0, m.h)
	lines = append(lines, s.Title.Render(sanitize.Pad(" Search every source · the local store", m.w)))
	in := m.input.View()
	lines = append(lines, s.Prompt.Render(" › ")+in+strings.Repeat(" ", max(0, m.w-3-lipgloss.Width(in))))
	lines = append(lines, m.infoLine())
	cols := m.columns()
	lines = append(lines, s.Header.Render(sanitize.Pad(cols.header(), m.w)))
	end := min(len(m.hits), m.offset+m.rows())
	for i := m.offset; i < end; i++ {
		lines = append(lines, m.row(i, cols))
	}
	blank := strings.Repeat(" ", m.w)
	for len(lines) < m.h {
		lines = append(lines, blank)
	}
	return strings.Join(lines[:m.h], "\n")
}

// infoLine is the line under the input: the error of the last query, or what the hits are.
func (m *Model) infoLine() string {
	s := m.cfg.Styles
	if m.err != "" {
		return s.Error.Render(sanitize.Pad(" "+m.err, m.w))
	}
	var text string
	switch {
	case m.Value() == "":
		text = "Type to search the stored conversations (confab sync fills the store)."
	case m.shown == "" && m.Busy():
		text = "Searching…"
	case len(m.hits) == 0 && m.shown != "" && m.nothingStored:
		text = "The local store is empty: confab sync --threads fills it."
	case len(m.hits) == 0 && m.shown != "":
		text = "No stored conversation matches."
	case len(m.hits) >= m.cfg.Limit:
		text = "The newest " + strconv.Itoa(len(m.hits)) + " matching conversations (narrow the query for others)"
	case len(m.hits) == 1:
		text = "1 conversation matches"
	default:
		text = strconv.Itoa(len(m.hits)) + " conversations match"
	}
	if m.shown != "" && m.Busy() {
		text += " · searching…"
	}
	return s.Muted.Render(sanitize.Pad(" "+text, m.w))
}

// Column widths of a hit row (cells).
const (
	timeW    = 16 // "2006-01-02 15:04"
	maxSrcW  = 16
	maxUserW = 20
	minTextW = 24 // below this the user column, then the time column, give way
)

// columns are the widths of a row's columns for the hits shown (0: the column is left out).
type columns struct{ src, time, user, text int }

func (m *Model) columns() columns {
	c := columns{src: len("Source"), time: timeW, user: len("User")}
	for i := m.offset; i < min(len(m.hits), m.offset+m.rows()); i++ {
		c.src = max(c.src, sanitize.Width(sanitize.Line(m.hits[i].Conversation.Source)))
		c.user = max(c.user, sanitize.Width(sanitize.Line(m.hits[i].Conversation.UserLabel())))
	}
	c.src, c.user = min(c.src, maxSrcW), min(c.user, maxUserW)
	if c.textW(m.w) < minTextW {
		c.user = 0
	}
	if c.textW(m.w) < minTextW {
		c.time = 0
	}
	c.text = max(0, c.textW(m.w))
	return c
}

// textW is what a row of w cells leaves the snippet: a column left out takes its gap along.
func (c columns) textW(w int) int {
	w -= 1 + c.src + 2
	if c.time > 0 {
		w -= c.time + 2
	}
	if c.user > 0 {
		w -= c.user + 2
	}
	return w
}

// header is the line of column names.
func (c columns) header() string {
	h := " " + sanitize.Pad("Source", c.src) + "  "
	if c.time > 0 {
		h += sanitize.Pad("Time", c.time) + "  "
	}
	if c.user > 0 {
		h += sanitize.Pad("User", c.user) + "  "
	}
	return h + "Match"
}

// segment kinds of a row, each with its style.
const (
	segPlain = iota
	segSource
	segTime
	segUser
	segMatch
)

type segment struct {
	text string
	kind int
}

// row renders hit i: source, time, user, and the snippet with its matches highlighted.
func (m *Model) row(i int, c columns) string {
	h := m.hits[i]
	segs := []segment{{" " + sanitize.Pad(sanitize.Line(h.Conversation.Source), c.src) + "  ", segSource}}
	if c.time > 0 {
		t := h.Time
		if t.IsZero() {
			t = h.Conversation.Started
		}
		ts := ""
		if !t.IsZero() {
			ts = t.In(m.cfg.Location).Format("2006-01-02 15:04")
		}
		segs = append(segs, segment{sanitize.Pad(ts, c.time) + "  ", segTime})
	}
	if c.user > 0 {
		segs = append(segs, segment{sanitize.Pad(sanitize.Line(h.Conversation.UserLabel()), c.user) + "  ", segUser})
	}
	used := 0
	for _, sp := range fitSpans(h.Spans, c.text) {
		kind := segPlain
		if sp.Match {
			kind = segMatch
		}
		segs = append(segs, segment{sp.Text, kind})
		used += sanitize.Width(sp.Text)
	}
	if used < c.text {
		segs = append(segs, segment{strings.Repeat(" ", c.text-used), segPlain})
	}
	var b strings.Builder
	for _, g := range segs {
		m.paint(g.kind, i == m.cursor).Write(&b, g.text)
	}
	return b.String()
}

// paints are the styles of a row's segments reduced to their escape sequences (package
// paint): a segment is one line of sanitized text, and an underline is then one sequence
// rather than one per character.
type paints struct {
	text, source, time, user, match, selected, selectedMatch paint.Paint
}

func newPaints(s Styles) paints {
	return paints{text: paint.New(s.Text), source: paint.New(s.Source), time: paint.New(s.Time),
		user: paint.New(s.User), match: paint.New(s.Match), selected: paint.New(s.Selected),
		selectedMatch: paint.New(s.SelectedMatch)}
}

// paint is the paint of a segment kind, in the selected row or not.
func (m *Model) paint(kind int, selected bool) paint.Paint {
	p := m.paints
	switch {
	case selected && kind == segMatch:
		return p.selectedMatch
	case selected:
		return p.selected
	case kind == segMatch:
		return p.match
	case kind == segSource:
		return p.source
	case kind == segTime:
		return p.time
	case kind == segUser:
		return p.user
	}
	return p.text
}

// fitSpans returns spans cut to w cells, each a single line of sanitized text. When the first
// match would start past a third of the width, the text before it is cut from the left
// ("…" in front) so the match shows.
func fitSpans(spans []Span, w int) []Span {
	if w <= 0 {
		return nil
	}
	var out []Span
	for _, sp := range spans {
		t := oneLine(sp.Text)
		if t == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Match == sp.Match {
			out[n-1].Text += t
			continue
		}
		out = append(out, Span{Text: t, Match: sp.Match})
	}
	// Collapse the spaces where spans meet, and trim the ends.
	for i := range out {
		if i > 0 && strings.HasSuffix(out[i-1].Text, " ") {
			out[i].Text = strings.TrimLeft(out[i].Text, " ")
		}
	}
	if len(out) > 0 {
		out[0].Text = strings.TrimLeft(out[0].Text, " ")
	}
	// Bring the first match into view.
	if len(out) > 1 && !out[0].Match {
		lead := sanitize.Width(out[0].Text)
		matchW := sanitize.Width(out[1].Text)
		if lead > w/3 && lead+matchW > w {
			keep := max(0, min(w/3, w-matchW)-1)
			out[0].Text = sanitize.Ellipsis + cutLeft(out[0].Text, keep)
		}
	}
	// Cut to w cells.
	used := 0
	for i := range out {
		sw := sanitize.Width(out[i].Text)
		if used+sw > w {
			out[i].Text = sanitize.Truncate(out[i].Text, w-used, sanitize.Ellipsis)
			return out[:i+1]
		}
		used += sw
	}
	return out
}

// oneLine is sanitized text on one line: control characters and every run of white space
// become one space (the edges kept, so spans still join with their spaces).
func oneLine(s string) string {
	s = sanitize.Text(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// cutLeft keeps the last w cells of s (fewer when a wide character straddles the cut),
// never starting with a combining mark.
func cutLeft(s string, w int) string {
	r := []rune(s)
	for len(r) > 0 && (sanitize.Width(string(r)) > w || unicode.In(r[0], unicode.Mn, unicode.Me, unicode.Cf) || r[0] == '\u200d') {
		r = r[1:]
	}
	return string(r)
}
