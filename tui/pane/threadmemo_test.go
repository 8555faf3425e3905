package pane

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/threadview"
)

// freshThreadView is the pane's frame drawn with every memo emptied first, those the cached
// threads keep of the thread view (threadBody, column) included.
func freshThreadView(p *Pane) string {
	for e := p.tc.ll.Front(); e != nil; e = e.Next() {
		t := e.Value.(*cachedThread)
		t.body, t.col, t.colHead = "", "", ""
	}
	return freshView(p)
}

// TestThreadMemosFollowTheirInputs checks that a frame whose thread column comes from what a
// cached thread kept (its drawn body and column, its built tree and rows) is byte for byte
// the frame drawn from scratch, after each kind of change to what the column is drawn from.
// Each case starts on row 1, whose thread was prefetched, shown from the cache and drawn.
func TestThreadMemosFollowTheirInputs(t *testing.T) {
	colour := threadStylesForTest()
	colour.Selected = lipgloss.NewStyle().Foreground(lipgloss.Color("#0000ff"))
	colour.Kind = lipgloss.NewStyle().Bold(true)
	back := func(t *testing.T, p *Pane) { // away to row 0 and back to row 1: both cached
		send(t, p, press("k"))
		_ = p.View()
		send(t, p, press("j"))
	}
	tests := []struct {
		name   string
		local  bool // over a store holding row 1's thread (a live refresh replaces it)
		change func(t *testing.T, p *Pane)
	}{
		{"nothing", false, func(*testing.T, *Pane) {}},
		{"back to the row", false, back},
		{"back twice", false, func(t *testing.T, p *Pane) { back(t, p); _ = p.View(); back(t, p) }},
		{"narrower", false, func(t *testing.T, p *Pane) { p.SetSize(140, 30, 60) }},
		{"narrower, then back", false, func(t *testing.T, p *Pane) { p.SetSize(140, 30, 60); back(t, p) }},
		{"shorter", false, func(t *testing.T, p *Pane) { p.SetSize(160, 12, 70) }},
		{"styles", false, func(t *testing.T, p *Pane) { st := p.cfg.Styles; st.Thread = colour; p.SetStyles(st) }},
		{"styles, then back", false, func(t *testing.T, p *Pane) {
			st := p.cfg.Styles
			st.Thread = colour
			p.SetStyles(st)
			back(t, p)
		}},
		{"blur", false, func(*testing.T, *Pane) {}},
		{"the thread has the keyboard", false, func(t *testing.T, p *Pane) { send(t, p, press("enter")) }},
		{"cursor in the thread", false, func(t *testing.T, p *Pane) { send(t, p, press("enter"), press("j"), press("j")) }},
		{"cursor in the thread, back to the list", false, func(t *testing.T, p *Pane) {
			send(t, p, press("enter"), press("j"))
			_ = p.View()
			send(t, p, press("esc"))
		}},
		{"cursor in the thread, one row", false, func(t *testing.T, p *Pane) {
			send(t, p, press("enter"))
			_ = p.View()
			send(t, p, press("j"))
		}},
		{"the thread loses the keyboard", false, func(t *testing.T, p *Pane) {
			send(t, p, press("enter"))
			_ = p.View()
			p.Blur()
		}},
		{"new items, shown before the view has them", false, func(t *testing.T, p *Pane) {
			c := p.thr.c
			items := fake.Thread(c)
			items[0].Text = "refreshed text of the first message"
			p.remember(c, items, false)
			_ = p.View() // the old items, drawn while the entry holds the new ones
			p.showCached(c, func() *cachedThread { e, _ := p.tc.peek(p.threadKey(c)); return e }())
		}},
		{"collapsed", false, func(t *testing.T, p *Pane) { send(t, p, press("enter"), press("space")) }},
		{"collapsed, then back", false, func(t *testing.T, p *Pane) {
			send(t, p, press("enter"), press("space"))
			_ = p.View()
			send(t, p, press("esc"))
			_ = p.View()
			back(t, p)
		}},
		{"a search in the thread", false, func(t *testing.T, p *Pane) {
			send(t, p, press("enter"), press("/"))
			send(t, p, typed("e")...)
		}},
		{"the conversation's note", false, func(t *testing.T, p *Pane) {
			setRow(p, 1, func(c *client.Conversation) { c.Attrs = client.Attrs{{Key: "note", Value: "a note"}} })
			back(t, p)
		}},
		{"new items for the conversation", false, func(t *testing.T, p *Pane) {
			c := p.thr.c
			items := fake.Thread(c)
			items[0].Text = "refreshed text of the first message"
			p.remember(c, items, false) // replaces the entry the column was drawn from
			_ = p.View()
			back(t, p)
			requireView(t, p, "refreshed text")
		}},
		{"a live refresh replacing a stored thread", true, func(t *testing.T, p *Pane) {
			requireView(t, p, "stored text of row 1")
			send(t, p, p.refreshThread(p.thr.c)()) // the live thread replaces it, shown and cached
			requireLacksView(t, p, "stored text of row 1")
			_ = p.View()
			back(t, p)
			requireLacksView(t, p, "stored text of row 1")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live := fake.New("fake", 60, 1)
			var p *Pane
			if tt.local {
				convs := corpus(t, live)
				st, _ := openStore(t, convs)
				items := fake.Thread(convs[1])
				items[0].Text = "stored text of row 1"
				if err := st.PutThread(t.Context(), "fake", convs[1].ID, items); err != nil {
					t.Fatal(err)
				}
				p = newTestPane(t, live, 160, 30, 70, func(cfg *Config) {
					cfg.Local = &Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: st}
					cfg.PrefetchRows = -1
				})
				p.Update(collect(t, p.Init())[0]) // the first page; no preview settles
				send(t, p, press("j"))            // row 1: its stored thread, at once
			} else {
				p = newTestPane(t, live, 160, 30, 70, nil)
				drain(t, p, p.Init()) // row 0 previewed, rows 1 and 2 prefetched
				send(t, p, press("j"))
			}
			st := p.cfg.Styles
			st.Thread = threadStylesForTest() // the selected row, focused or not, shows
			p.SetStyles(st)
			if !p.thr.loaded(p.ls.items.ID(1)) {
				t.Fatalf("row 1's thread does not show:\n%s", p.View())
			}
			_ = p.View() // fills the memos
			if tt.name == "blur" {
				p.Blur()
			}
			tt.change(t, p)
			got := p.View()
			if want := freshThreadView(p); got != want {
				t.Errorf("the frame from kept parts differs from a fresh one:\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestCachedThreadDrawnOnce: a thread shown again from the cache, unchanged, is not drawn
// again (the memo is used at all).
func TestCachedThreadDrawnOnce(t *testing.T) {
	p := newTestPane(t, fake.New("fake", 60, 1), 160, 30, 70, nil)
	drain(t, p, p.Init())
	send(t, p, press("j"))
	_ = p.View()
	tc, ok := p.tc.peek(p.threadKey(p.thr.c))
	if !ok || tc.col == "" || tc.body == "" || !strings.HasSuffix(tc.col, "\n"+tc.body) {
		t.Fatalf("row 1's column is not kept with its cached thread")
	}
	send(t, p, press("k"))
	_ = p.View()
	send(t, p, press("j"))
	focused := p.area == areaThread && p.focused
	body, kept := p.threadBody(focused)
	if kept != tc || body != tc.body {
		t.Fatalf("row 1's thread, shown again, is not drawn from what it kept")
	}
	allocs := testing.AllocsPerRun(50, func() { _, _ = p.threadBody(focused) })
	if allocs > 0 {
		t.Errorf("drawing a kept thread body: %.1f allocations, want 0", allocs)
	}
}

// threadStylesForTest are thread styles unlike the tests' plain ones.
func threadStylesForTest() (s threadview.Styles) {
	s.Tree = lipgloss.NewStyle().Foreground(lipgloss.Color("#00ff00"))
	s.Time = lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000"))
	s.Selected = lipgloss.NewStyle().Reverse(true)
	s.Unfocused = lipgloss.NewStyle().Underline(true)
	s.Rule = lipgloss.NewStyle().Bold(true)
	s.DetailText = lipgloss.NewStyle().Italic(true)
	return s
}
