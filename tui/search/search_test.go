package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/cmdtest"
	"github.com/confab-dev/confab/tui/internal/paint"
)

// base is the time of the newest test hit.
var base = time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)

// Hostile is vendor text that tries to clear the screen, set the title and colour the
// terminal.
const hostile = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b31m\u202eevil\x00"

func testKeys() Keys {
	return Keys{
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p")),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n")),
		PageUp:   key.NewBinding(key.WithKeys("pgup")),
		PageDown: key.NewBinding(key.WithKeys("pgdown")),
		Open:     key.NewBinding(key.WithKeys("enter")),
		Close:    key.NewBinding(key.WithKeys("esc")),
	}
}

// noColor are NO_COLOR styles like tui's: the match and the selection in reverse video.
func noColor() Styles {
	plain := lipgloss.NewStyle()
	bold := plain.Bold(true)
	in := textinput.Styles{}
	in.Focused = textinput.StyleState{Text: plain, Placeholder: plain, Prompt: plain, Suggestion: plain}
	in.Blurred = in.Focused
	in.Cursor = textinput.CursorStyle{Shape: tea.CursorBlock}
	return Styles{Title: bold, Prompt: bold, Header: bold, Muted: plain, Text: plain, Error: bold,
		Source: plain, Time: plain, User: plain, Match: bold.Reverse(true),
		Selected: plain.Reverse(true), SelectedMatch: bold.Underline(true), Input: in}
}

// searcher is a fake Func: it records every query and its context, and answers with
// answer (nil: a hit per word).
type searcher struct {
	mu      sync.Mutex
	queries []Query
	ctxs    []context.Context
	answer  func(q Query) ([]Hit, error)
}

func (s *searcher) search(ctx context.Context, q Query) ([]Hit, error) {
	s.mu.Lock()
	s.queries = append(s.queries, q)
	s.ctxs = append(s.ctxs, ctx)
	s.mu.Unlock()
	if s.answer != nil {
		return s.answer(q)
	}
	return hitsFor(q.Text, 3), nil
}

// hitsFor are n hits whose snippets match text.
func hitsFor(text string, n int) []Hit {
	hits := make([]Hit, n)
	for i := range hits {
		hits[i] = Hit{
			Conversation:  client.Conversation{Source: []string{"mw", "talkdesk", "od"}[i%3], ID: fmt.Sprintf("c%d", i), UserID: fmt.Sprintf("u-%03d", i)},
			InteractionID: fmt.Sprintf("c%d-i2", i),
			Time:          base.Add(-time.Duration(i) * time.Hour),
			Spans:         []Span{{Text: "about "}, {Text: text, Match: true}, {Text: fmt.Sprintf(" number %d", i)}},
		}
	}
	return hits
}

// ticks records the delays asked of Tick; the message comes at once when the Cmd runs.
type ticks struct{ delays []time.Duration }

func (t *ticks) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	t.delays = append(t.delays, d)
	return func() tea.Msg { return fn(base) }
}

func newModel(t *testing.T, s *searcher, w, h int) (*Model, *ticks) {
	t.Helper()
	tk := &ticks{}
	m := New(Config{Search: s.search, Keys: testKeys(), Styles: noColor(), Location: time.UTC, Tick: tk.tick})
	m.SetSize(w, h)
	m.Open()
	return m, tk
}

// drain runs cmd and feeds its messages back to m until nothing is left; it returns the
// messages that are for the root (OpenHit).
func drain(t *testing.T, m *Model, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	cmdtest.Drain(t, cmd, func(msg tea.Msg) tea.Cmd {
		if _, ok := msg.(Msg); ok {
			return m.Update(msg)
		}
		out = append(out, msg)
		return nil
	})
	return out
}

// typeText types s, a key per character, without running the Cmds; it returns them.
func typeText(m *Model, s string) []tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range s {
		cmds = append(cmds, m.Update(cmdtest.Key(string(r))))
	}
	return cmds
}

// one runs cmd and returns its one message.
func one(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	msgs := cmdtest.Collect(t, cmd)
	if len(msgs) != 1 {
		t.Fatalf("the Cmd produced %v, want one message", msgs)
	}
	return msgs[0]
}

func press(t *testing.T, m *Model, keys ...string) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "ctrl+n", "ctrl+p":
			msg = tea.KeyPressMsg{Code: rune(k[5]), Mod: tea.ModCtrl}
		case "pgup":
			msg = tea.KeyPressMsg{Code: tea.KeyPgUp}
		case "backspace":
			msg = tea.KeyPressMsg{Code: tea.KeyBackspace}
		default:
			msg = cmdtest.Key(k)
		}
		out = append(out, drain(t, m, m.Update(msg))...)
	}
	return out
}

func TestTypingRunsOneDebouncedQuery(t *testing.T) {
	s := &searcher{}
	m, tk := newModel(t, s, 120, 40)
	cmds := typeText(m, "edu")
	if len(s.queries) != 0 {
		t.Fatalf("a query ran while typing: %v", s.queries)
	}
	for _, d := range tk.delays {
		if d != DefaultDelay {
			t.Fatalf("debounce of %v, want %v", d, DefaultDelay)
		}
	}
	if !m.Busy() || !strings.Contains(m.View(), "Searching…") {
		t.Fatalf("typing does not show that a search is coming:\n%s", m.View())
	}
	for _, c := range cmds {
		drain(t, m, c) // the first two pauses are stale: only the last runs a query
	}
	if len(s.queries) != 1 || s.queries[0] != (Query{Text: "edu", Limit: DefaultLimit}) {
		t.Fatalf("queries %+v, want one for \"edu\"", s.queries)
	}
	if len(m.Hits()) != 3 || m.Busy() {
		t.Fatalf("%d hits, busy %v; want 3, idle", len(m.Hits()), m.Busy())
	}
	if v := m.View(); !strings.Contains(v, "3 conversations match") {
		t.Fatalf("view lacks the count:\n%s", v)
	}
}

func TestStaleResultsAreDroppedAndSupersededQueriesCancelled(t *testing.T) {
	s := &searcher{}
	m, _ := newModel(t, s, 120, 40)
	// "ab" pauses long enough: its query starts but its result has not come yet.
	cmds := typeText(m, "ab")
	queryAB := m.Update(one(t, cmds[1]))
	if queryAB == nil {
		t.Fatal("the pause after \"ab\" started no query")
	}
	// "c" is typed and its pause ends: the query for "abc" supersedes the one for "ab".
	queryABC := m.Update(one(t, typeText(m, "c")[0]))
	ab := one(t, queryAB) // the fake answers even when cancelled
	abc := one(t, queryABC)
	if len(s.ctxs) != 2 || s.ctxs[0].Err() == nil || s.ctxs[1].Err() != nil {
		t.Fatalf("the superseded query's context is not cancelled (or the current one is)")
	}
	m.Update(abc)
	m.Update(ab) // late, stale: dropped
	if got := m.Hits()[0].Spans[1].Text; got != "abc" {
		t.Fatalf("hits are for %q, want those of \"abc\"", got)
	}
	if m.Busy() {
		t.Fatal("still busy after the current result")
	}
}

func TestQueryErrorIsALineUnderTheInput(t *testing.T) {
	s := &searcher{}
	m, _ := newModel(t, s, 80, 24)
	for _, c := range typeText(m, "vpn") {
		drain(t, m, c)
	}
	s.answer = func(Query) ([]Hit, error) {
		return nil, errors.New("invalid query: syntax error near \"AND\"\n(second line)")
	}
	for _, c := range typeText(m, " AND") {
		drain(t, m, c)
	}
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Fatalf("view has %d lines, want 24", len(lines))
	}
	if !strings.Contains(lines[2], `invalid query: syntax error near "AND" (second line)`) {
		t.Fatalf("line 3 is %q, want the error on one line", lines[2])
	}
	if len(m.Hits()) != 3 || !strings.Contains(v, "vpn") {
		t.Fatalf("the hits of the last query that worked are gone:\n%s", v)
	}
	s.answer = nil
	press(t, m, "backspace", "backspace", "backspace", "backspace")
	if m.Err() != "" {
		t.Fatalf("the error stays after a query that works: %q", m.Err())
	}
	// A cancelled query says nothing.
	s.answer = func(Query) ([]Hit, error) { return nil, fmt.Errorf("search: %w", context.Canceled) }
	press(t, m, "x")
	if m.Err() != "" {
		t.Fatalf("a cancelled query shows %q", m.Err())
	}
}

func TestEmptyQueryClearsHits(t *testing.T) {
	s := &searcher{}
	m, _ := newModel(t, s, 80, 24)
	press(t, m, "a")
	if len(m.Hits()) == 0 {
		t.Fatal("no hits")
	}
	press(t, m, "backspace")
	if len(m.Hits()) != 0 || m.Busy() || len(s.queries) != 1 {
		t.Fatalf("after clearing the input: %d hits, busy %v, %d queries", len(m.Hits()), m.Busy(), len(s.queries))
	}
	if !strings.Contains(m.View(), "Type to search") {
		t.Fatalf("no hint for an empty query:\n%s", m.View())
	}
	// The hint, with what fills the store, is whole at 80 columns (the header says "every
	// source").
	if !strings.Contains(m.View(), "(confab sync fills the store).") {
		t.Fatalf("the hint for an empty query is cut at 80 columns:\n%s", m.View())
	}
}

func TestNavigationAndEnter(t *testing.T) {
	s := &searcher{answer: func(q Query) ([]Hit, error) { return hitsFor(q.Text, 50), nil }}
	m, _ := newModel(t, s, 80, 24) // 20 rows of hits
	press(t, m, "v")
	tests := []struct {
		key  string
		want int
	}{
		{"up", 0}, {"down", 1}, {"ctrl+n", 2}, {"ctrl+p", 1}, {"pgdown", 21}, {"pgdown", 41},
		{"pgdown", 49}, {"down", 49}, {"pgup", 29}, {"up", 28},
	}
	for _, tt := range tests {
		press(t, m, tt.key)
		if m.Cursor() != tt.want {
			t.Fatalf("after %s: cursor %d, want %d", tt.key, m.Cursor(), tt.want)
		}
		if m.Cursor() < m.offset || m.Cursor() >= m.offset+m.rows() {
			t.Fatalf("after %s: cursor %d outside the window [%d, %d)", tt.key, m.Cursor(), m.offset, m.offset+m.rows())
		}
	}
	if !strings.Contains(m.View(), "number 28") {
		t.Fatalf("the selected hit is not on screen:\n%s", m.View())
	}
	out := press(t, m, "enter")
	if len(out) != 1 {
		t.Fatalf("enter produced %v", out)
	}
	o, ok := out[0].(OpenHit)
	if !ok || o.Hit.Conversation.ID != "c28" || o.Hit.InteractionID != "c28-i2" {
		t.Fatalf("enter asked to open %+v, want c28 at c28-i2", out[0])
	}
	if m.IsOpen() {
		t.Fatal("the overlay is still open after enter")
	}
	// Open again: the query and hits are kept, no query runs again.
	drain(t, m, m.Open())
	if m.Value() != "v" || len(m.Hits()) != 50 || len(s.queries) != 1 {
		t.Fatalf("reopened with %q, %d hits, %d queries", m.Value(), len(m.Hits()), len(s.queries))
	}
}

func TestEscClosesAndCancels(t *testing.T) {
	s := &searcher{}
	m, _ := newModel(t, s, 80, 24)
	pause := typeText(m, "x")[0]
	press(t, m, "esc")
	if m.IsOpen() {
		t.Fatal("esc did not close the overlay")
	}
	drain(t, m, pause)
	if len(s.queries) != 0 {
		t.Fatalf("a query ran after esc: %v", s.queries)
	}
	if m.Update(cmdtest.Key("y")) != nil || m.Value() != "x" {
		t.Fatal("a closed overlay took a key")
	}
	// Opening again runs the query that never ran.
	drain(t, m, m.Open())
	if len(s.queries) != 1 || s.queries[0].Text != "x" {
		t.Fatalf("reopening ran %v, want the query typed", s.queries)
	}
	// Enter with no hits does nothing.
	s.answer = func(Query) ([]Hit, error) { return nil, nil }
	press(t, m, "z")
	if out := press(t, m, "enter"); len(out) != 0 || !m.IsOpen() {
		t.Fatalf("enter without hits: %v, open %v", out, m.IsOpen())
	}
	if !strings.Contains(m.View(), "No stored conversation matches.") {
		t.Fatalf("no word for no hits:\n%s", m.View())
	}
	// An empty store says how to fill it, not "no match", and is no error.
	s.answer = func(Query) ([]Hit, error) { return nil, ErrNothingStored }
	press(t, m, "q")
	if v := m.View(); !strings.Contains(v, "The local store is empty: confab sync --threads fills it.") ||
		strings.Contains(v, "No stored conversation matches.") || m.err != "" {
		t.Fatalf("empty store:\n%s", v)
	}
	// A store filled since: the word goes.
	s.answer = func(Query) ([]Hit, error) { return nil, nil }
	press(t, m, "r")
	if v := m.View(); !strings.Contains(v, "No stored conversation matches.") {
		t.Fatalf("after a store filled:\n%s", v)
	}
}

// goldenHits are hits for the golden views: three sources, a long snippet whose match is far
// in, a wide-character user, a hit without a time, and hostile vendor text.
func goldenHits(q Query) ([]Hit, error) {
	long := strings.Repeat("words before the match ", 8)
	return []Hit{
		{Conversation: client.Conversation{Source: "moveworks", ID: "c1", UserID: "u-0001", Attrs: client.Attrs{{Key: client.AttrUserName, Value: "Ana Souza"}}},
			InteractionID: "c1-i1", Time: base,
			Spans: []Span{{Text: "I cannot connect to "}, {Text: "eduroam", Match: true}, {Text: " since the update"}}},
		{Conversation: client.Conversation{Source: "talkdesk", ID: "c2", UserID: "+351 912 345 678"},
			InteractionID: "c2-i7", Time: base.Add(-26 * time.Hour),
			Spans: []Span{{Text: "…" + long}, {Text: "eduroam", Match: true}, {Text: " and the VPN both fail"}}},
		{Conversation: client.Conversation{Source: "opendialog", ID: "c3", UserID: "u-3", Attrs: client.Attrs{{Key: client.AttrUserName, Value: "李小龍"}}},
			InteractionID: "c3-i2", Time: base.Add(-30 * 24 * time.Hour),
			Spans: []Span{{Text: "Wi-Fi "}, {Text: "eduroam", Match: true}, {Text: "\nsecond line\twith a tab"}}},
		{Conversation: client.Conversation{Source: "moveworks", ID: "c4", UserID: "u-4", Started: base.Add(-40 * 24 * time.Hour)},
			Spans: []Span{{Text: "summary: "}, {Text: "Eduroam", Match: true}, {Text: " access"}}},
		{Conversation: client.Conversation{Source: "evil" + hostile, ID: "c5", UserID: hostile},
			InteractionID: "c5-i1", Time: base.Add(-41 * 24 * time.Hour),
			Spans: []Span{{Text: hostile + " "}, {Text: "eduroam" + hostile, Match: true}, {Text: hostile}}},
	}, nil
}

func TestGoldenView(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := newModel(t, &searcher{answer: goldenHits}, size[0], size[1])
			press(t, m, "e", "d", "u", "r", "o", "a", "m", "down")
			v := m.View()
			lines := strings.Split(v, "\n")
			if len(lines) != size[1] {
				t.Fatalf("view has %d lines, want %d", len(lines), size[1])
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w != size[0] {
					t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, size[0], l)
				}
			}
			golden.RequireEqual(t, v)
		})
	}
}

// TestNoVendorEscapes: with styles that add no escape sequence, the view of hostile hits has
// none at all.
func TestNoVendorEscapes(t *testing.T) {
	s := &searcher{answer: goldenHits}
	m := New(Config{Search: s.search, Keys: testKeys(), Location: time.UTC,
		Tick: (&ticks{}).tick})
	m.SetSize(120, 40)
	m.Open()
	press(t, m, "e", "down", "down", "down", "down")
	v := strings.Replace(m.View(), "\x1b[7m \x1b[m", "", 1) // the input's cursor
	if i := strings.IndexAny(v, "\x1b\x9b\x07\x00\u202e"); i >= 0 {
		t.Fatalf("escape or control character at %d: %q", i, v[max(0, i-40):min(len(v), i+40)])
	}
	if !strings.Contains(v, "eduroam") {
		t.Fatalf("the hostile hit's match is not shown:\n%s", v)
	}
}

// TestMatchHighlight: the matched term, and only it, is in reverse video (NO_COLOR); in the
// selected row it is bold and underlined instead.
func TestMatchHighlight(t *testing.T) {
	m, _ := newModel(t, &searcher{answer: goldenHits}, 120, 40)
	press(t, m, "e")
	v := m.View()
	rev := paint.New(noColor().Match).String("eduroam")
	sel := paint.New(noColor().SelectedMatch).String("eduroam")
	if !strings.Contains(v, sel) {
		t.Fatalf("the selected row's match is not %q:\n%q", sel, v)
	}
	if n := strings.Count(v, rev); n < 2 {
		t.Fatalf("%d matches in reverse video, want the other rows' (%q):\n%q", n, rev, v)
	}
	if strings.Contains(v, paint.New(noColor().Match).String("I cannot")) {
		t.Fatal("text that is not a match is highlighted")
	}
}

func TestFitSpans(t *testing.T) {
	tests := []struct {
		name  string
		spans []Span
		w     int
		want  []Span
	}{
		{"fits", []Span{{Text: "a "}, {Text: "b", Match: true}, {Text: " c"}}, 20,
			[]Span{{Text: "a "}, {Text: "b", Match: true}, {Text: " c"}}},
		{"cut at the end", []Span{{Text: "ab "}, {Text: "cd", Match: true}, {Text: " efghij"}}, 8,
			[]Span{{Text: "ab "}, {Text: "cd", Match: true}, {Text: " e…"}}},
		{"match brought into view", []Span{{Text: strings.Repeat("x", 30) + " "}, {Text: "hit", Match: true}, {Text: " after"}}, 12,
			[]Span{{Text: "…xx "}, {Text: "hit", Match: true}, {Text: " aft…"}}},
		{"lines and runs of space", []Span{{Text: "  a\n\n b\t"}, {Text: "m", Match: true}}, 20,
			[]Span{{Text: "a b "}, {Text: "m", Match: true}}},
		{"adjacent spans of a kind join", []Span{{Text: "a"}, {Text: "b"}, {Text: "c", Match: true}, {Text: "d", Match: true}}, 20,
			[]Span{{Text: "ab"}, {Text: "cd", Match: true}}},
		{"no room", []Span{{Text: "a"}}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fitSpans(tt.spans, tt.w)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("fitSpans = %+v, want %+v", got, tt.want)
			}
		})
	}
}
