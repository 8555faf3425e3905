package threadview

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/viewport"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
)

// deep is a thread n levels deep: a chain of replies where every fifth message also gets a
// second, short answer (a branch), so guides have both "│" and "└─" levels.
func deep(n int) []client.Interaction {
	t0 := time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)
	var items []client.Interaction
	for i := range n {
		it := client.Interaction{ID: fmt.Sprintf("d%03d", i), Actor: client.ActorUser, Kind: "text",
			Text: fmt.Sprintf("depth %d: the VPN drops again", i), Time: t0.Add(time.Duration(i) * time.Second)}
		if i%2 == 1 {
			it.Actor = client.ActorBot
		}
		if i > 0 {
			it.ParentID = fmt.Sprintf("d%03d", i-1)
		}
		items = append(items, it)
		if i > 0 && i%5 == 0 {
			items = append(items, client.Interaction{ID: fmt.Sprintf("s%03d", i), ParentID: it.ParentID,
				Actor: client.ActorBot, Kind: "bot", Text: fmt.Sprintf("side answer at depth %d", i),
				Time: it.Time.Add(time.Hour)})
		}
	}
	return items
}

// rowLines are the tree rows of the view, without styles.
func rowLines(m *Model) []string {
	lines := strings.Split(ansi.Strip(m.View(true)), "\n")
	return lines[:m.treeHeight()]
}

// TestDepthCap: at each width the guides stop growing at the depth that fits a third of the
// width; deeper rows show "↳N" (their depth) and start their text in one column, whatever
// their depth; nothing is cut with "…"; and a row looks the same wherever the cursor is (no
// staircase shifting with the selection).
func TestDepthCap(t *testing.T) {
	for _, w := range []int{40, 80, 200} {
		t.Run(strconv.Itoa(w), func(t *testing.T) {
			m := New(Styles{}, time.UTC)
			m.SetItems(deep(30))
			m.SetSize(w, 200) // every row on screen
			levels := m.guideLevels()
			if want := max(1, w/9); levels != want {
				t.Fatalf("%d levels, want %d", levels, want)
			}
			textCol := -1
			for r, line := range rowLines(m) {
				if r >= m.Len() {
					break
				}
				row := m.rows[r]
				guides := m.guides(row)
				if gw := ansi.StringWidth(guides); gw > w/3+len(strconv.Itoa(row.Depth())) {
					t.Errorf("row %d (depth %d): guides %q are %d cells at width %d", r, row.Depth(), guides, gw, w)
				}
				if strings.Contains(line, "…") && !strings.HasSuffix(strings.TrimRight(line, " "), "…") {
					t.Errorf("row %d cut with …: %q", r, line)
				}
				marker := "↳" + strconv.Itoa(row.Depth()) + " "
				if row.Depth() <= levels {
					if strings.Contains(line, "↳") {
						t.Errorf("row %d (depth %d ≤ %d) has a depth marker: %q", r, row.Depth(), levels, line)
					}
					continue
				}
				if !strings.Contains(line, marker) {
					t.Errorf("row %d (depth %d): no %q in %q", r, row.Depth(), marker, line)
				}
				it := m.tree.Item(int(row.Index))
				col := strings.Index(line, it.Text[:5])
				if col < 0 {
					continue // the text is cut at this width
				}
				col = ansi.StringWidth(line[:col])
				if textCol < 0 {
					textCol = col
				} else if col != textCol {
					t.Errorf("row %d (depth %d): text at column %d, rows past the cap at %d", r, row.Depth(), col, textCol)
				}
			}
			if w >= 80 && textCol < 0 {
				t.Error("no row past the cap shows its text")
			}
			// The same rows, with the cursor at the deepest message and back.
			m.SetStyles(Styles{})
			top := rowLines(m)
			m.End()
			bottom := rowLines(m)
			for r := 1; r < m.Len()-1; r++ { // not the rows the cursor was on
				if top[r] != bottom[r] {
					t.Fatalf("row %d moved with the cursor:\n%q\n%q", r, top[r], bottom[r])
				}
			}
		})
	}
}

// TestDepthMarkerColumnIsStable: collapsing the deep part of a thread does not move the text
// of the rows that are still past the cap (the marker column does not shrink).
func TestDepthMarkerColumnIsStable(t *testing.T) {
	m := New(Styles{}, time.UTC)
	m.SetItems(deep(120)) // "↳119 ": a marker column of 5 cells
	m.SetSize(80, 200)
	before := rowLines(m)
	m.SelectID("d012")
	m.Toggle() // hides depths 13..119: the deepest row left needs only 4 cells
	m.Home()
	after := rowLines(m)
	if !strings.Contains(after[12], "↳12  ▸") {
		t.Fatalf("row 12 is %q", after[12])
	}
	for r := 0; r <= 12; r++ {
		if after[r] != strings.Replace(before[r], "▾", "▸", r/12) {
			t.Errorf("row %d changed:\n%q\n%q", r, before[r], after[r])
		}
	}
}

// bushy is a wide thread: a root with 30 answers, each with two replies, the first of which
// has a reply of its own.
func bushy() []client.Interaction {
	t0 := time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)
	n := 0
	mk := func(id, parent string) client.Interaction {
		n++
		return client.Interaction{ID: id, ParentID: parent, Actor: client.ActorUser, Kind: "text", Text: "message " + id,
			Time: t0.Add(time.Duration(n) * time.Second)}
	}
	items := []client.Interaction{mk("r", "")}
	for i := range 30 {
		c := fmt.Sprintf("c%02d", i)
		items = append(items, mk(c, "r"), mk(c+"a", c), mk(c+"b", c), mk(c+"a1", c+"a"))
	}
	return items
}

// TestCollapseKeepsCursor: collapsing and expanding keep the cursor on the same message, on
// the same line of the screen; space on a message without replies collapses the branch it is
// in and selects the branch's head (on the line it had), and space again brings it back.
func TestCollapseKeepsCursor(t *testing.T) {
	m := New(Styles{}, time.UTC)
	m.SetItems(bushy())
	m.SetSize(100, 30) // 18 tree rows
	type state struct {
		sel  string
		line int // cursor - offset
		len  int
	}
	get := func() state { return state{selected(m), m.cursor - m.offset, m.Len()} }
	m.SelectID("c15")
	m.Move(-3)
	m.Move(3) // the cursor on the fourth line of the screen, not where SelectID puts it
	start := get()
	steps := []struct {
		name string
		do   func()
		want state
	}{
		{"space collapses", m.Toggle, state{"c15", start.line, start.len - 3}},
		{"space expands", m.Toggle, start},
		{"h collapses", m.Collapse, state{"c15", start.line, start.len - 3}},
		{"l expands", m.Expand, start},
		{"to a leaf", func() { m.Move(2) }, state{"c15a1", start.line + 2, start.len}},
		{"space on a leaf folds its branch", m.Toggle, state{"c15a", start.line + 2, start.len - 1}},
		{"space on the head unfolds it", m.Toggle, state{"c15a", start.line + 2, start.len}},
	}
	for _, s := range steps {
		s.do()
		if got := get(); got != s.want {
			t.Fatalf("%s: %+v, want %+v", s.name, got, s.want)
		}
	}
}

// TestHiddenCursorGoesToBranchHead: when a branch holding the cursor is collapsed from above
// (here: its head collapsed while the cursor is deep inside it), the cursor goes to the head,
// not to whatever row took its place.
func TestHiddenCursorGoesToBranchHead(t *testing.T) {
	m := New(Styles{}, time.UTC)
	m.SetItems(deep(30))
	m.SetSize(100, 30)
	m.SelectID("d025")
	m.setCollapsed("d010", true)
	if got := selected(m); got != "d010" {
		t.Fatalf("selected %q, want the branch head d010", got)
	}
	m.setCollapsed("d010", false)
	m.setCollapsed("d005", true)
	m.setCollapsed("d002", true) // outermost collapsed ancestor wins
	if got := selected(m); got != "d002" {
		t.Fatalf("selected %q, want d002", got)
	}
}

// TestDeepViewIsExactlySized: depth 30 and depth 200 at the sizes render exactly w×h
// with no raw escape, and the deepest row says its depth.
func TestDeepViewIsExactlySized(t *testing.T) {
	for _, n := range []int{30, 200} {
		for _, sz := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
			m := New(Styles{}, time.UTC)
			m.SetItems(deep(n))
			m.SetSize(sz[0], sz[1])
			m.SelectID(fmt.Sprintf("d%03d", n-1)) // the deepest
			v := m.View(true)
			lines := strings.Split(v, "\n")
			if len(lines) != sz[1] {
				t.Fatalf("depth %d %v: %d lines", n, sz, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Fatalf("depth %d %v: line %d is %d cells: %q", n, sz, i, w, l)
				}
			}
			if !strings.Contains(v, "↳"+strconv.Itoa(n-1)+" ") {
				t.Fatalf("depth %d %v: the deepest row has no marker:\n%s", n, sz, v)
			}
		}
	}
}

// BenchmarkDeepThreadView measures a keypress's frame in a 200-deep thread at 120x40 (the
// cursor moves down and up, then View renders the tree and the detail panel), without and
// with a search whose hits are highlighted, beside a stock bubbles viewport scrolling the same
// number of lines (the thread's rows, pre-rendered).
func BenchmarkDeepThreadView(b *testing.B) {
	const w, h = 120, 40
	for _, query := range []string{"", "vpn"} {
		name := "threadview-depth=200"
		if query != "" {
			name += "-search=" + query // every row a hit, highlighted
		}
		b.Run(name, func(b *testing.B) {
			m := New(hitStyles(), time.UTC)
			m.SetItems(deep(200))
			m.SetSize(w, h)
			if query != "" {
				m.StartSearch()
				typeQuery(m, query)
				m.AcceptSearch()
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if i%400 < 200 {
					m.Move(1)
				} else {
					m.Move(-1)
				}
				_ = m.View(true)
			}
		})
	}
	b.Run("anchor=bubbles-viewport", func(b *testing.B) {
		m := New(Styles{}, time.UTC)
		m.SetItems(deep(200))
		m.SetSize(w, 1000)
		lines := rowLines(m)[:m.Len()]
		vp := viewport.New(viewport.WithWidth(w), viewport.WithHeight(h))
		vp.SetContentLines(lines)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if i%400 < 200 {
				vp.ScrollDown(1)
			} else {
				vp.ScrollUp(1)
			}
			_ = vp.View()
		}
	})
}
