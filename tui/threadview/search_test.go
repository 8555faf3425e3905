package threadview

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/cmdtest"
)

// searchItems is a small thread for searching: root (0) with two branches.
//
//	a  "My VPN is down"
//	├─ b  "Restart the vpn client."
//	│  └─ c  "still no luck"
//	│     └─ d  "Try VPN.exe (the new one)"
//	└─ e  "or use the web portal"
//	   └─ f  "the VPN portal works: vpn, Vpn!"
func searchItems() []client.Interaction {
	t0 := time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)
	mk := func(id, parent, text string, s int) client.Interaction {
		return client.Interaction{ID: id, ParentID: parent, Actor: client.ActorUser, Kind: "text", Text: text,
			Time: t0.Add(time.Duration(s) * time.Second)}
	}
	return []client.Interaction{
		mk("a", "", "My VPN is down", 0),
		mk("b", "a", "Restart the vpn client.", 1),
		mk("c", "b", "still no luck", 2),
		mk("d", "c", "Try VPN.exe (the new one)", 3),
		mk("e", "a", "or use the web portal", 4),
		mk("f", "e", "the VPN portal works: vpn, Vpn!", 5),
	}
}

// typeQuery types s into the open search input, key by key.
func typeQuery(m *Model, s string) {
	for _, r := range s {
		m.SearchKey(cmdtest.Key(string(r)))
	}
}

func selected(m *Model) string {
	if it := m.Selected(); it != nil {
		return it.ID
	}
	return ""
}

// TestSearchHitsAndCount: the hits are the messages whose text has the query (literal,
// case-insensitive, as shown); the cursor goes to the first hit at or after where the search
// started; the count says which hit of how many.
func TestSearchHitsAndCount(t *testing.T) {
	tests := []struct {
		name  string
		start string // the message selected before /
		query string
		want  string // selected after typing
		cur   int
		total int
	}{
		{"from the top", "a", "vpn", "a", 1, 4},
		{"case-insensitive", "a", "VpN", "a", 1, 4},
		{"at or after the cursor", "c", "vpn", "d", 3, 4},
		{"after the last hit: wraps", "f", "restart", "b", 1, 1},
		{"literal, not a pattern", "a", "vpn.exe (", "d", 1, 1},
		{"dot is not any character", "a", "vpnxexe", "a", 0, 0},
		{"no match: back where it started", "c", "zebra", "c", 0, 0},
		{"spaces as a row shows them", "a", "vpn  is", "a", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Styles{}, time.UTC)
			m.SetItems(searchItems())
			m.SetSize(100, 30)
			if !m.SelectID(tt.start) {
				t.Fatal("no start")
			}
			m.StartSearch()
			if !m.Searching() || !m.SearchActive() {
				t.Fatal("the input did not open")
			}
			typeQuery(m, tt.query)
			if got := selected(m); got != tt.want {
				t.Errorf("selected %q, want %q", got, tt.want)
			}
			if cur, total := m.SearchCount(); cur != tt.cur || total != tt.total {
				t.Errorf("count %d/%d, want %d/%d", cur, total, tt.cur, tt.total)
			}
			v := ansi.Strip(m.View(true))
			want := fmt.Sprintf("%d/%d", tt.cur, tt.total)
			if tt.total == 0 {
				want = "no match"
			}
			if !strings.Contains(v, want) {
				t.Errorf("the view does not show %q:\n%s", want, v)
			}
		})
	}
}

// TestSearchNextPrevWrap: n and N go from hit to hit in thread order, around the ends,
// saying so; they start from the cursor, wherever it was moved.
func TestSearchNextPrevWrap(t *testing.T) {
	m := New(Styles{}, time.UTC)
	m.SetItems(searchItems())
	m.SetSize(100, 30)
	m.StartSearch()
	typeQuery(m, "vpn")
	m.AcceptSearch()
	if m.Searching() || !m.SearchActive() {
		t.Fatal("enter did not keep the hits")
	}
	steps := []struct {
		do      func() bool
		want    string
		cur     int
		wrapped bool
	}{
		{m.NextHit, "b", 2, false},
		{m.NextHit, "d", 3, false},
		{m.NextHit, "f", 4, false},
		{m.NextHit, "a", 1, true},
		{m.PrevHit, "f", 4, true},
		{m.PrevHit, "d", 3, false},
		{func() bool { m.Home(); m.Move(4); return m.PrevHit() }, "d", 3, false}, // from e
		{func() bool { m.Home(); m.Move(4); return m.NextHit() }, "f", 4, false},
	}
	for i, s := range steps {
		if !s.do() {
			t.Fatalf("step %d: no hit to move to", i)
		}
		cur, total := m.SearchCount()
		if got := selected(m); got != s.want || cur != s.cur || total != 4 || m.SearchWrapped() != s.wrapped {
			t.Fatalf("step %d: selected %q %d/%d wrapped %v, want %q %d/4 wrapped %v", i, got, cur, total,
				m.SearchWrapped(), s.want, s.cur, s.wrapped)
		}
		v := ansi.Strip(m.View(true))
		if s.wrapped != strings.Contains(v, "search wrapped") {
			t.Fatalf("step %d: wrapped %v but the view says:\n%s", i, s.wrapped, v)
		}
	}
	// No search: n and N do nothing.
	m.ClearSearch()
	if m.NextHit() || m.PrevHit() {
		t.Fatal("n moved without a search")
	}
}

// TestSearchExpandsHiddenHit: a hit inside collapsed branches is found, the branches that hide
// it are expanded and it is selected and on screen.
func TestSearchExpandsHiddenHit(t *testing.T) {
	m := New(Styles{}, time.UTC)
	m.SetItems(chain(200))
	m.SetSize(100, 30)
	for _, id := range []string{"i150", "i60"} { // collapsed from the deepest
		m.SelectID(id)
		m.Toggle()
	}
	m.Home()
	if m.Len() != 61 {
		t.Fatalf("%d rows shown, want 61", m.Len())
	}
	m.StartSearch()
	typeQuery(m, "message 170")
	if got := selected(m); got != "i170" {
		t.Fatalf("selected %q, want i170", got)
	}
	if m.Len() != 200 {
		t.Fatalf("%d rows shown after the search, want all 200", m.Len())
	}
	if m.cursor < m.offset || m.cursor >= m.offset+m.treeHeight() {
		t.Fatalf("the hit is off screen: cursor %d, window [%d, %d)", m.cursor, m.offset, m.offset+m.treeHeight())
	}
	if !strings.Contains(ansi.Strip(m.View(true)), "1/1") {
		t.Fatal("no count")
	}
}

// TestSearchEscClears: esc in the open input clears the search and takes the cursor back to
// where it started; esc after enter clears it and leaves the cursor on the hit. Either way no
// hit is highlighted and the search line is gone.
func TestSearchEscClears(t *testing.T) {
	for _, accept := range []bool{false, true} {
		t.Run(fmt.Sprintf("accepted=%v", accept), func(t *testing.T) {
			m := New(hitStyles(), time.UTC)
			m.SetItems(searchItems())
			m.SetSize(100, 30)
			m.SelectID("c")
			before := m.View(true)
			m.StartSearch()
			typeQuery(m, "vpn")
			if got := selected(m); got != "d" {
				t.Fatalf("selected %q, want d", got)
			}
			if accept {
				m.AcceptSearch()
			}
			m.ClearSearch()
			if m.SearchActive() || m.Searching() || m.SearchQuery() != "" {
				t.Fatal("the search is still on")
			}
			if cur, total := m.SearchCount(); cur != 0 || total != 0 {
				t.Fatalf("count %d/%d after esc", cur, total)
			}
			want := "c"
			if accept {
				want = "d"
			}
			if got := selected(m); got != want {
				t.Fatalf("selected %q, want %q", got, want)
			}
			v := m.View(true)
			if strings.Contains(v, hitOpen) {
				t.Fatalf("a hit is still highlighted:\n%q", v)
			}
			if !accept && v != before {
				t.Fatalf("the view is not back to what it was:\n%s\nwant:\n%s", v, before)
			}
		})
	}
}

// hitOpen is how hitStyles' Match starts (reverse and bold, as NO_COLOR has it).
var hitOpen = func() string {
	out := hitStyles().Match.Render("x")
	return out[:strings.Index(out, "x")]
}()

func hitStyles() Styles {
	rev := lipgloss.NewStyle().Reverse(true)
	return Styles{Selected: rev, Match: rev.Bold(true), SelectedMatch: lipgloss.NewStyle().Bold(true),
		Prompt: lipgloss.NewStyle().Bold(true)}
}

// TestSearchHighlightsEveryHit: every occurrence on screen is highlighted, in the rows and in
// the detail panel, and only the occurrences; the selected row uses its own hit style.
func TestSearchHighlightsEveryHit(t *testing.T) {
	m := New(hitStyles(), time.UTC)
	m.SetItems(searchItems())
	m.SetSize(100, 30)
	m.StartSearch()
	typeQuery(m, "vpn")
	m.AcceptSearch()
	m.SelectID("f") // "the VPN portal works: vpn, Vpn!": three hits, in the row and the detail
	v := m.View(true)
	match, selMatch := hitStyles().Match, hitStyles().SelectedMatch
	for _, w := range []string{match.Render("VPN"), match.Render("vpn"), selMatch.Render("VPN"),
		selMatch.Render("vpn"), selMatch.Render("Vpn")} {
		if !strings.Contains(v, w) {
			t.Errorf("no highlighted %q in:\n%q", w, v)
		}
	}
	// Rows a, b, d have one hit each; f has three in its row and three in the detail panel.
	if n := strings.Count(v, hitOpen); n != 3+3 {
		t.Errorf("%d hits highlighted outside the selected row, want 6:\n%q", n, v)
	}
	if strings.Contains(ansi.Strip(v), "\x1b") {
		t.Error("raw ESC in the view")
	}
}

// TestSearchSurvivesNewItems: a refreshed thread (SetItems) keeps the search and counts again;
// Clear (another conversation) forgets it.
func TestSearchSurvivesNewItems(t *testing.T) {
	m := New(Styles{}, time.UTC)
	m.SetItems(searchItems())
	m.SetSize(100, 30)
	m.StartSearch()
	typeQuery(m, "vpn")
	m.AcceptSearch()
	more := append(searchItems(), client.Interaction{ID: "g", ParentID: "f", Actor: client.ActorBot, Kind: "bot", Text: "VPN fixed"})
	m.SetItems(more)
	if _, total := m.SearchCount(); total != 5 || m.SearchQuery() != "vpn" {
		t.Fatalf("after SetItems: %d hits of %q, want 5 of vpn", total, m.SearchQuery())
	}
	m.Clear()
	if m.SearchActive() {
		t.Fatal("Clear kept the search")
	}
	m.SetItems(chain(3)) // another conversation: its own text is searched
	m.StartSearch()
	typeQuery(m, "message 2")
	if cur, total := m.SearchCount(); cur != 1 || total != 1 || selected(m) != "i2" {
		t.Fatalf("in the next thread: %d/%d on %q, want 1/1 on i2", cur, total, selected(m))
	}
}

// TestSearchLineIsExactlySized: the view keeps its size with the search line at every width,
// editing or not, and the input takes typing as text (q, j, n are letters here).
func TestSearchLineIsExactlySized(t *testing.T) {
	for _, sz := range [][2]int{{20, 3}, {40, 10}, {80, 24}, {200, 50}} {
		m := New(Styles{}, time.UTC)
		m.SetItems(searchItems())
		m.SetSize(sz[0], sz[1])
		m.SetSearchHint("n/N next/prev · esc clear")
		m.StartSearch()
		for _, k := range []tea.KeyPressMsg{cmdtest.Key("q"), cmdtest.Key("j"), cmdtest.Key("n")} {
			m.SearchKey(k)
		}
		if m.SearchQuery() != "qjn" {
			t.Fatalf("%v: query %q, want qjn", sz, m.SearchQuery())
		}
		for _, editing := range []bool{true, false} {
			if !editing {
				m.AcceptSearch()
			}
			lines := strings.Split(m.View(true), "\n")
			if len(lines) != sz[1] {
				t.Fatalf("%v editing=%v: %d lines", sz, editing, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Fatalf("%v editing=%v: line %d is %d cells: %q", sz, editing, i, w, l)
				}
			}
		}
	}
}

// TestHighlightKeepsClustersWhole: a hit inside a grapheme cluster (one person of a ZWJ
// emoji, a letter under a combining accent) highlights the whole cluster, so the row is as
// wide as it prints.
func TestHighlightKeepsClustersWhole(t *testing.T) {
	tests := []struct{ text, query, hit string }{
		{"dev 👩\u200d💻 team", "👩", "👩\u200d💻"},
		{"cafe\u0301 open", "cafe", "cafe\u0301"},
		{"flag 🇫🇷 here", "flag", "flag"},
	}
	for _, tt := range tests {
		m := New(hitStyles(), time.UTC)
		m.SetItems([]client.Interaction{{ID: "a", Actor: client.ActorUser, Kind: "text", Text: "x"},
			{ID: "b", ParentID: "a", Actor: client.ActorUser, Kind: "text", Text: tt.text}})
		m.SetSize(80, 12)
		m.StartSearch()
		typeQuery(m, tt.query)
		m.AcceptSearch()
		m.Home()
		v := m.View(true) // the hit's row is not selected: painted with Match
		if !strings.Contains(v, hitStyles().Match.Render(tt.hit)) {
			t.Errorf("%q: no whole highlighted %q in %q", tt.query, tt.hit, v)
		}
		for i, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w != 80 {
				t.Errorf("%q: line %d is %d cells: %q", tt.query, i, w, l)
			}
		}
	}
}

// TestSearchHostileText: hostile text is searched and highlighted in its sanitized form (the
// escape shows as the text `\x1b`, which is what matches); no escape sequence of the vendor's
// reaches the view, and a query typed with control characters is shown sanitized.
func TestSearchHostileText(t *testing.T) {
	m := New(Styles{}, time.UTC) // no styles: any ESC in the view would be the vendor's
	m.SetItems(items())          // d: "child two\x1b[2J"
	m.SetSize(80, 20)
	m.StartSearch()
	typeQuery(m, `two\x1b[2j`)
	if got := selected(m); got != "d" {
		t.Fatalf("selected %q, want d", got)
	}
	// A key whose text carries an escape, and a paste of a bidi override.
	m.SearchKey(tea.KeyPressMsg{Code: 'x', Text: "\x1b[31mx"})
	m.SearchKey(tea.KeyPressMsg{Code: 'y', Text: "\u202ey"})
	// While typing, the input's cursor is the one escape sequence (reverse video).
	if v := m.View(true); strings.Contains(ansi.Strip(v), "\x1b") || strings.Contains(v, "\u202e") {
		t.Fatalf("raw ESC or bidi override in the view while typing: %q", v)
	}
	m.AcceptSearch()
	if v := m.View(true); strings.Contains(v, "\x1b") {
		t.Fatalf("raw ESC in the view: %q", v)
	}
}
