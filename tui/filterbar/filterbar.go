// Package filterbar is the filter bar of a confab pane: a one-line editor over a bubbles
// textinput with three states (idle, editing, applied), validation on every keystroke by the
// source's own client.FilterSpec, an inline error with a caret under the offending position,
// Tab completion of field names, operators and known values in a small menu, and a history
// recalled with up/down (Recalled: shown, applied only on Enter). Esc goes back to the
// filter applied when editing started, whatever the pause applied meanwhile.
//
// The bar is an imperative leaf widget: it never returns a tea.Cmd and does no I/O. Its owner
// (the pane) feeds it key presses, reads the Event each returns, and schedules the debounce
// (tagged with Tag) and the requests itself. Any client.FilterSpec works, so a new vendor's
// filter language needs nothing here.
package filterbar

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
)

// State is the bar's state.
type State int

// The bar's states (glow's filterState).
const (
	Idle    State = iota // no filter applied, not editing
	Editing              // the user is typing
	Applied              // a filter is applied, not editing
)

// String names the state.
func (s State) String() string {
	switch s {
	case Editing:
		return "editing"
	case Applied:
		return "applied"
	}
	return "idle"
}

// Event is what a key press did, for the owner to act on.
type Event int

// The events.
const (
	None     Event = iota // nothing the owner must act on
	Changed               // the text changed: if Err() is nil, schedule the debounce for Tag()
	Submit                // Enter on a valid text: apply Value() now (the bar left editing)
	Cancel                // Esc: the text and Applied are back to what they were at Edit (the bar left editing)
	Recalled              // up/down put a history entry in the editor: shown, not to be applied until Enter
)

// Keys are the bar's own bindings while editing.
type Keys struct {
	Apply, Cancel, Complete, CompletePrev, HistoryPrev, HistoryNext key.Binding
}

// DefaultKeys are the bar's default bindings.
func DefaultKeys() Keys {
	return Keys{
		Apply:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Complete:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		CompletePrev: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous completion")),
		HistoryPrev:  key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "older filter")),
		HistoryNext:  key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "newer filter")),
	}
}

// Styles are the bar's styles (built by tui/theme.go).
type Styles struct {
	Label        lipgloss.Style // "filter" before the text
	Text         lipgloss.Style // the applied filter when not editing
	Muted        lipgloss.Style // placeholders, the order, hints
	Error        lipgloss.Style // the inline error
	Caret        lipgloss.Style // the ^ under the offending position
	Menu         lipgloss.Style // completion candidates
	MenuSelected lipgloss.Style // the chosen candidate
	Input        textinput.Styles
}

// menuRows is the most candidates the completion menu shows at once.
const menuRows = 6

// labelW is the least width of the label column ("filter", "quick"); a longer label
// ("save as:") widens its bar's column so a space always parts it from the text.
const labelW = 8

// RightW is the width of the right-hand text of the first line (the order, a count) unless
// SetRightWidth widens it; it is left out on terminals too narrow for it.
const RightW = 20

// minTextW is the least width the text keeps: the right-hand text gives way first.
const minTextW = 20

// Model is the filter bar. Create it with New.
type Model struct {
	label string
	spec  client.FilterSpec
	keys  Keys
	st    Styles
	input textinput.Model
	width int
	right int // the widest right-hand text (RightW unless SetRightWidth)

	editing bool
	applied string
	before  string                 // the applied filter when editing started: Esc restores it
	err     *client.FilterError    // the current text's problem; nil when valid
	warns   []client.FilterWarning // forms of the valid text the vendor does not promise
	tag     uint64

	history []string
	histPos int    // index into history while recalling; len(history) = the draft
	draft   string // the text typed before recalling history

	seen map[string][]string // values seen in loaded data, by attribute key

	menu    []string // completion candidates; empty when the menu is closed
	menuSel int
	menuAt  int // rune offset where the completed token starts
	menuEnd int // rune offset where the inserted candidate ends
	suffix  string

	memo viewMemo // the bar drawn while not editing, kept between frames
}

// viewMemo keeps the bar's line while it is not editing: every frame draws it, and it changes
// only when its width, the right-hand text (and its room), the label, the applied filter or
// the styles change (SetStyles empties it). Editing draws the input every time.
type viewMemo struct {
	ok                 bool
	width, rightCap    int
	right, label, text string // the right-hand text, the label, the applied filter
	out                string
}

// New returns an idle bar labelled label over spec (nil: every text is valid).
func New(label string, spec client.FilterSpec, keys Keys, st Styles) *Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 4096
	// Up/down and tab belong to the bar (history, completion), not to the input.
	in.KeyMap.NextSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.PrevSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	m := &Model{label: label, spec: spec, keys: keys, input: in, right: RightW}
	m.SetStyles(st)
	if spec != nil {
		if ex := spec.Examples(); len(ex) > 0 {
			m.input.Placeholder = "e.g. " + ex[0]
		}
	}
	return m
}

// SetStyles replaces the styles. The cursor never blinks: a blinking cursor needs messages
// the root does not route to panes.
func (m *Model) SetStyles(st Styles) {
	m.st = st
	m.memo = viewMemo{} // drawn with the old styles
	in := st.Input
	in.Cursor.Blink = false
	m.input.SetStyles(in)
}

// SetWidth sets the bar's width in cells. The input gets what the label and the right-hand
// text leave (never 0: a textinput of width 0 shows one character of its placeholder).
func (m *Model) SetWidth(w int) {
	m.width = max(0, w)
	m.input.SetWidth(max(1, m.textW()-1)) // the cursor takes a cell after the text
}

// SetRightWidth lets the right-hand text be up to n cells wide (never less than RightW)
// where the bar is wide enough ("1,200 of 5,000 loaded match").
func (m *Model) SetRightWidth(n int) {
	m.right = max(RightW, n)
	m.SetWidth(m.width)
}

// rightW is the width given to the right-hand text and the gap before it (0 when there is
// no room for RightW cells).
func (m *Model) rightW() int {
	avail := m.width - m.labelCol() - minTextW - 2
	if avail < RightW {
		return 0
	}
	return min(m.right, avail) + 2
}

// textW is the width of the text between the label and the right-hand text.
func (m *Model) textW() int { return max(0, m.width-m.labelCol()-m.rightW()) }

// labelCol is the width of the label column: " label" and at least one space after it.
func (m *Model) labelCol() int { return max(labelW, sanitize.Width(m.label)+2) }

// State is the bar's state.
func (m *Model) State() State {
	switch {
	case m.editing:
		return Editing
	case m.applied != "":
		return Applied
	}
	return Idle
}

// Editing reports whether the bar has the keyboard.
func (m *Model) Editing() bool { return m.editing }

// Applied is the last applied filter.
func (m *Model) Applied() string { return m.applied }

// SetApplied records text as the applied filter (from the config, a view, the debounce or
// Enter). It does not change the text being edited.
func (m *Model) SetApplied(text string) { m.applied = strings.TrimSpace(text) }

// Value is the text in the editor.
func (m *Model) Value() string { return strings.TrimSpace(m.input.Value()) }

// Warnings are the spec's warnings about the text being edited (a client.FilterWarner's):
// it is valid and will be sent, but uses forms the vendor does not document. Nil when the
// text is invalid or has none.
func (m *Model) Warnings() []client.FilterWarning { return m.warns }

// Err is the validation error of the text being edited, nil when it is valid.
func (m *Model) Err() *client.FilterError {
	return m.err
}

// Tag identifies the latest edit: a debounce scheduled for an older tag is stale.
func (m *Model) Tag() uint64 { return m.tag }

// SetHistory sets the filters recalled with up/down, oldest first.
func (m *Model) SetHistory(h []string) {
	m.history = append([]string(nil), h...)
	m.histPos = len(m.history)
}

// History is the history, oldest first.
func (m *Model) History() []string { return m.history }

// SetSeen sets the values seen in loaded data, by attribute key, for value completion.
func (m *Model) SetSeen(seen map[string][]string) { m.seen = seen }

// Edit gives the bar the keyboard, starting from the applied filter.
func (m *Model) Edit() {
	m.editing = true
	m.before = m.applied
	m.input.SetValue(m.applied)
	m.input.CursorEnd()
	m.input.Focus()
	m.histPos = len(m.history)
	m.draft = ""
	m.closeMenu()
	m.validate()
}

// Commit leaves editing with the current text applied and returns it.
func (m *Model) Commit() string {
	m.applied = m.Value()
	m.stop()
	return m.applied
}

// stop leaves editing.
func (m *Model) stop() {
	m.editing = false
	m.input.Blur()
	m.closeMenu()
	m.err = nil
	m.warns = nil
}

// Update handles a key press while editing and says what happened.
func (m *Model) Update(msg tea.KeyPressMsg) Event {
	if !m.editing {
		return None
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Complete):
		return m.complete(1)
	case key.Matches(msg, k.CompletePrev):
		return m.complete(-1)
	case key.Matches(msg, k.Cancel):
		if len(m.menu) > 0 {
			m.closeMenu()
			return None
		}
		m.applied = m.before
		m.input.SetValue(m.applied)
		m.stop()
		return Cancel
	case key.Matches(msg, k.Apply):
		if len(m.menu) > 0 {
			m.closeMenu()
		}
		if m.validate(); m.err != nil {
			return None
		}
		m.Commit()
		return Submit
	case key.Matches(msg, k.HistoryPrev):
		return m.recall(-1)
	case key.Matches(msg, k.HistoryNext):
		return m.recall(1)
	}
	m.closeMenu()
	before := m.input.Value()
	m.input, _ = m.input.Update(msg)
	if m.input.Value() == before {
		return None
	}
	return m.changed()
}

// changed validates the new text and starts a new debounce tag.
func (m *Model) changed() Event {
	m.tag++
	m.validate()
	return Changed
}

// validate checks the text with the spec.
func (m *Model) validate() {
	m.err = Validate(m.spec, m.Value())
	m.warns = nil
	if m.err == nil && m.spec != nil && m.Value() != "" {
		m.warns = client.FilterWarnings(m.spec, m.Value())
	}
}

// Validate checks text with spec and returns its problem as a *client.FilterError (Pos -1
// when the spec does not say where), or nil when text is valid. Empty text is always valid.
func Validate(spec client.FilterSpec, text string) *client.FilterError {
	if spec == nil || strings.TrimSpace(text) == "" {
		return nil
	}
	err := spec.Validate(text)
	if err == nil {
		return nil
	}
	var fe *client.FilterError
	if errors.As(err, &fe) {
		return fe
	}
	return &client.FilterError{Msg: err.Error(), Pos: -1}
}

// recall moves through the history: dir -1 is older, +1 newer. It returns Recalled, not
// Changed: walking the history applies nothing (Enter does), but it starts a new tag, so a
// pause scheduled for the text typed before is stale.
func (m *Model) recall(dir int) Event {
	if len(m.history) == 0 {
		return None
	}
	m.closeMenu()
	pos := m.histPos + dir
	if pos < 0 || pos > len(m.history) {
		return None
	}
	if m.histPos == len(m.history) {
		m.draft = m.input.Value()
	}
	m.histPos = pos
	if pos == len(m.history) {
		m.input.SetValue(m.draft)
	} else {
		m.input.SetValue(m.history[pos])
	}
	m.input.CursorEnd()
	m.changed()
	return Recalled
}

// closeMenu closes the completion menu, keeping the inserted candidate.
func (m *Model) closeMenu() {
	m.menu, m.menuSel = nil, 0
}

// MenuOpen reports whether the completion menu shows.
func (m *Model) MenuOpen() bool { return len(m.menu) > 0 }

// complete inserts the next (dir 1) or previous (dir -1) completion candidate.
func (m *Model) complete(dir int) Event {
	runes := []rune(m.input.Value())
	if len(m.menu) == 0 {
		pos := min(m.input.Position(), len(runes))
		c := Complete(m.spec, m.seen, string(runes[:pos]))
		if len(c.Candidates) == 0 {
			return None
		}
		m.menu = c.Candidates
		m.suffix = c.Suffix
		m.menuAt = pos - len([]rune(c.Partial))
		m.menuEnd = pos
		m.menuSel = 0
		if dir < 0 {
			m.menuSel = len(m.menu) - 1
		}
	} else {
		m.menuSel = (m.menuSel + dir + len(m.menu)) % len(m.menu)
	}
	ins := []rune(m.menu[m.menuSel])
	if m.suffix != "" && !strings.HasPrefix(string(runes[min(m.menuEnd, len(runes)):]), m.suffix) {
		ins = append(ins, []rune(m.suffix)...)
	}
	out := make([]rune, 0, len(runes)+len(ins))
	out = append(out, runes[:m.menuAt]...)
	out = append(out, ins...)
	out = append(out, runes[min(m.menuEnd, len(runes)):]...)
	m.input.SetValue(string(out))
	m.menuEnd = m.menuAt + len(ins)
	m.input.SetCursor(m.menuEnd)
	if len(m.menu) == 1 {
		m.closeMenu()
	}
	return m.changed()
}

// Height is the number of lines View renders: the bar, plus the error and caret lines or
// the completion menu while editing.
func (m *Model) Height() int {
	if !m.editing {
		return 1
	}
	n := 1
	if m.err != nil {
		n += 1 + len(m.errorText(m.width))
	} else if len(m.warns) > 0 {
		n++
	}
	if len(m.menu) > 0 {
		n += min(menuRows, len(m.menu))
	}
	return n
}

// View renders Height() lines of exactly the bar's width; right is shown at the right end of
// the first line (the sort order, a count). It changes nothing but the line it keeps for the
// next frame.
func (m *Model) View(right string) string {
	w := m.width
	if w <= 0 {
		return ""
	}
	if !m.editing {
		if c := &m.memo; c.ok && c.width == w && c.rightCap == m.right && c.right == right &&
			c.label == m.label && c.text == m.applied {
			return c.out
		}
		out := m.view(right)
		m.memo = viewMemo{ok: true, width: w, rightCap: m.right, right: right, label: m.label, text: m.applied, out: out}
		return out
	}
	return m.view(right)
}

// view is View drawn from scratch.
func (m *Model) view(right string) string {
	w := m.width
	rw := m.rightW()
	label := m.st.Label.Render(sanitize.Pad(" "+m.label, m.labelCol()))
	textW := m.textW()
	var text string
	switch {
	case m.editing:
		text = m.input.View()
		if tw := lipgloss.Width(text); tw < textW {
			text += strings.Repeat(" ", textW-tw)
		}
	case m.applied != "":
		text = m.st.Text.Render(sanitize.Pad(sanitize.Line(m.applied), textW))
	default:
		text = m.st.Muted.Render(sanitize.Pad(m.idleHint(), textW))
	}
	line := label + text
	if rw > 0 {
		r := sanitize.Truncate(sanitize.Line(right), rw-2, "…")
		line += "  " + strings.Repeat(" ", rw-2-sanitize.Width(r)) + m.st.Muted.Render(r)
	}
	if lw := lipgloss.Width(line); lw > w {
		line = ansi.Truncate(line, w, "…")
	} else if lw < w {
		line += strings.Repeat(" ", w-lw)
	}
	lines := []string{line}
	if m.editing && m.err != nil {
		lines = append(lines, m.errorLines(w)...)
	} else if m.editing && len(m.warns) > 0 {
		lines = append(lines, m.warningLine(w))
	}
	if m.editing && len(m.menu) > 0 {
		lines = append(lines, m.menuLines(w)...)
	}
	return strings.Join(lines, "\n")
}

// idleHint is the text of an idle bar.
func (m *Model) idleHint() string {
	if m.label == "filter" {
		return "none · f to edit"
	}
	return "none"
}

// errorLines are the caret line and the message under the bar.
func (m *Model) errorLines(w int) []string {
	e := m.err
	// The same words `confab list --filter` prints.
	col := -1
	if e.Pos >= 0 {
		col = CaretColumn(m.input.Value(), e.Pos)
	}
	caret := strings.Repeat(" ", w)
	// The caret is exact only when the text is not scrolled: when it fits the input.
	lc := m.labelCol()
	if col >= 0 && sanitize.Width(m.input.Value()) < m.input.Width() && lc+col < w {
		caret = strings.Repeat(" ", lc+col) + m.st.Caret.Render("^") + strings.Repeat(" ", w-lc-col-1)
	}
	lines := []string{caret}
	for _, l := range m.errorText(w) {
		lines = append(lines, m.st.Error.Render(sanitize.Pad(strings.Repeat(" ", lc)+l, w)))
	}
	return lines
}

// errMaxLines bounds the lines an error message takes under the bar: a long one (an unknown
// field and the list of the vendor's fields) wraps onto up to four before it is cut.
const errMaxLines = 4

// errorText is the error message wrapped to the width under the bar's label at its spaces
// (a word longer than the line cut into pieces), on at most errMaxLines lines, the last
// ending in "…" when the message goes on.
func (m *Model) errorText(w int) []string {
	tw := max(w-m.labelCol(), 1)
	var lines []string
	line := ""
	for _, word := range strings.Fields(sanitize.Line(m.err.Error())) {
		switch {
		case line == "" && sanitize.Width(word) <= tw:
			line = word
		case line != "" && sanitize.Width(line)+1+sanitize.Width(word) <= tw:
			line += " " + word
		default:
			if line != "" {
				lines = append(lines, line)
			}
			pieces := strings.Split(ansi.Hardwrap(word, tw, true), "\n")
			lines = append(lines, pieces[:len(pieces)-1]...)
			line = pieces[len(pieces)-1]
		}
	}
	lines = append(lines, line)
	if len(lines) > errMaxLines {
		rest := strings.Join(lines[errMaxLines-1:], " ")
		lines = lines[:errMaxLines]
		lines[errMaxLines-1] = sanitize.Truncate(rest, tw, "…")
	}
	return lines
}

// warningLine is the first warning under the bar (and how many more there are): the filter
// is valid and will be sent, the vendor just does not promise the form.
func (m *Model) warningLine(w int) string {
	msg := "warning: " + m.warns[0].String()
	if n := len(m.warns) - 1; n > 0 {
		msg += " (+" + strconv.Itoa(n) + " more)"
	}
	return m.st.Muted.Render(sanitize.Pad(strings.Repeat(" ", m.labelCol())+sanitize.Line(msg), w))
}

// menuLines are the completion candidates, a window around the chosen one.
func (m *Model) menuLines(w int) []string {
	n := min(menuRows, len(m.menu))
	start := max(0, min(m.menuSel-n/2, len(m.menu)-n))
	out := make([]string, 0, n)
	for i := start; i < start+n; i++ {
		item := sanitize.Line(m.menu[i])
		if doc := m.doc(m.menu[i]); doc != "" {
			item = sanitize.Pad(item, 22) + "  " + sanitize.Line(doc)
		}
		text := sanitize.Pad(strings.Repeat(" ", m.labelCol())+item, w)
		if i == m.menuSel {
			out = append(out, m.st.MenuSelected.Render(text))
		} else {
			out = append(out, m.st.Menu.Render(text))
		}
	}
	return out
}

// doc is the documentation of a field candidate.
func (m *Model) doc(name string) string {
	if m.spec == nil {
		return ""
	}
	for _, f := range m.spec.Fields() {
		if f.Name == name || f.Name+":" == name {
			return f.Doc
		}
	}
	return ""
}

// CaretColumn is sanitize.CaretColumn: the cell column of byte offset pos in text.
func CaretColumn(text string, pos int) int { return sanitize.CaretColumn(text, pos) }
