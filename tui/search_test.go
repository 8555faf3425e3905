package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/cmdtest"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/pane"
)

var ctrlF = tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl}

// fakeSearch answers every query with hits, and records the queries.
type fakeSearch struct {
	queries []SearchQuery
	hits    []SearchHit
	err     error
}

func (f *fakeSearch) search(_ context.Context, q SearchQuery) ([]SearchHit, error) {
	f.queries = append(f.queries, q)
	return f.hits, f.err
}

// hitOf is a hit on interaction n of conversation id of src.
func hitOf(t *testing.T, src *fake.Source, id, iid string) SearchHit {
	t.Helper()
	c, err := src.Conversation(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return SearchHit{Conversation: c, InteractionID: iid, Time: c.Started,
		Spans: []SearchSpan{{Text: "talk to an "}, {Text: "agent", Match: true}}}
}

// searchApp is an app of two fake tabs, mw and td (300 conversations each, 100 loaded), whose
// search answers with a hit in each.
func searchApp(t *testing.T) (*App, *fakeSearch, *fake.Source) {
	t.Helper()
	mw, mwSrc := fakeTab("mw", 300)
	td, tdSrc := fakeTab("td", 300)
	fs := &fakeSearch{hits: []SearchHit{
		hitOf(t, mwSrc, "conv-000005", "conv-000005-i2"),
		hitOf(t, tdSrc, "conv-000120", "conv-000120-i6"), // not loaded in td's list
	}}
	deps := testDeps(mw, td)
	deps.Search = fs.search
	a := start(t, newTestApp(t, deps))
	update(t, a, keys("j", "j")...) // mw's selection: the third row
	return a, fs, tdSrc
}

// TestSearchOpensTheHitsThread: ctrl+f, typing, a move and enter switch to the hit's tab and
// open its conversation's thread at the matching interaction.
func TestSearchOpensTheHitsThread(t *testing.T) {
	a, fs, tdSrc := searchApp(t)
	update(t, a, ctrlF)
	requireContains(t, a, "Search every source", "Type to search", "close search")
	update(t, a, keys("a", "g", "e", "n", "t")...)
	// Ticks are instant here, so every key is a pause (package search tests the debounce).
	if n := len(fs.queries); n == 0 || fs.queries[n-1] != (SearchQuery{Text: "agent", Limit: 200}) {
		t.Fatalf("queries %+v, want the last for \"agent\"", fs.queries)
	}
	requireContains(t, a, "2 conversations match", " mw ", " td ", "talk to an ")
	requireFrame(t, a)
	update(t, a, press("down"), press("enter"))
	if a.active != 1 || a.panes[1].Mode() != pane.ModeThread {
		t.Fatalf("after enter: tab %d in mode %v; want td's thread", a.active, a.panes[1].Mode())
	}
	found := false
	for _, c := range tdSrc.Calls() {
		found = found || c == "thread:conv-000120"
	}
	if !found {
		t.Fatalf("the thread was not asked of td's source: %v", tdSrc.Calls())
	}
	requireContains(t, a, "id conv-000120-i6", "Hi, this is Sam from the service desk.")
	requireLacks(t, a, "Search every source")
	requireFrame(t, a)

	// ctrl+f again: the query and its hits are back; enter on the first opens mw's.
	update(t, a, ctrlF)
	requireContains(t, a, "2 conversations match")
	update(t, a, press("up"), press("enter"))
	if a.active != 0 || a.panes[0].Mode() != pane.ModeThread {
		t.Fatalf("tab %d in mode %v; want mw's thread", a.active, a.panes[0].Mode())
	}
	requireContains(t, a, "id conv-000005-i2", "6/100")
}

// TestSearchEscReturns: esc closes the overlay and leaves everything as it was; q types.
func TestSearchEscReturns(t *testing.T) {
	a, fs, _ := searchApp(t)
	before := content(a)
	update(t, a, ctrlF)
	_, cmd := a.Update(press("q"))
	if drain(t, a, cmd) {
		t.Fatal("q in the search quit")
	}
	if a.srch.Value() != "q" || len(fs.queries) != 1 {
		t.Fatalf("q was not typed: %q, %d queries", a.srch.Value(), len(fs.queries))
	}
	update(t, a, press("esc"))
	if got := content(a); got != before {
		t.Fatalf("after esc the screen differs:\n%s\nwant:\n%s", got, before)
	}
	if a.active != 0 || a.panes[0].Mode() != pane.ModeList {
		t.Fatalf("tab %d in mode %v", a.active, a.panes[0].Mode())
	}
}

// statusOf feeds msg to a, runs what follows, and returns the status lines set on the way
// (which the instant ticks would clear at once).
func statusOf(t *testing.T, a *App, msg tea.Msg) []statusMsg {
	t.Helper()
	var out []statusMsg
	_, cmd := a.Update(msg)
	cmdtest.Drain(t, cmd, func(m tea.Msg) tea.Cmd {
		if s, ok := m.(statusMsg); ok {
			out = append(out, s)
			return nil
		}
		_, next := a.Update(m)
		return next
	})
	return out
}

func TestSearchWithoutStore(t *testing.T) {
	tab, _ := fakeTab("mw", 10)
	a := start(t, newTestApp(t, testDeps(tab)))
	st := statusOf(t, a, ctrlF)
	if len(st) != 1 || st[0].Text != msgNoStore {
		t.Fatalf("ctrl+f without a store: %+v, want %q", st, msgNoStore)
	}
	if a.searching() {
		t.Fatal("the overlay opened without a store")
	}
}

func TestSearchHitOfAnUnknownSource(t *testing.T) {
	a, fs, _ := searchApp(t)
	fs.hits = []SearchHit{{Conversation: client.Conversation{Source: "gone\x1b[2J", ID: "c1"},
		Spans: []SearchSpan{{Text: "x", Match: true}}}}
	update(t, a, ctrlF, press("x"))
	st := statusOf(t, a, press("enter"))
	if len(st) != 1 || st[0].Level != LevelError || !strings.Contains(st[0].Text, `no tab shows source "gone`) {
		t.Fatalf("status %+v, want an error naming the source", st)
	}
	if strings.Contains(st[0].Text, "\x1b") {
		t.Fatalf("the status has an escape: %q", st[0].Text)
	}
	if a.active != 0 || a.panes[0].Mode() != pane.ModeList {
		t.Fatalf("tab %d in mode %v after a hit with no tab", a.active, a.panes[0].Mode())
	}
}

func TestSearchErrorLine(t *testing.T) {
	a, fs, _ := searchApp(t)
	fs.err = errors.New(`invalid query: syntax error near "AND"`)
	update(t, a, ctrlF)
	update(t, a, keys("v", "p", "n", " ", "A", "N", "D")...)
	requireContains(t, a, `invalid query: syntax error near "AND"`)
	requireFrame(t, a)
}

func TestSearchGolden(t *testing.T) {
	a, _, _ := searchApp(t)
	update(t, a, ctrlF)
	update(t, a, keys("a", "g", "e", "n", "t", "down")...)
	requireFrame(t, a)
	golden.RequireEqual(t, content(a))
}
