package pane

import (
	"errors"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// freshView is the pane's frame drawn with every memo of the frame emptied first.
func freshView(p *Pane) string {
	p.rows, p.vm, p.loadingMemo = rowCache{}, viewMemos{}, loadingMemo{}
	p.thr.hdr = headerMemo{}
	st := p.cfg.Styles.Filter
	p.bar.SetStyles(st) // empties the bars' memos
	p.quick.SetStyles(st)
	p.views.name.SetStyles(st)
	return p.View()
}

// TestFrameMemosFollowTheirInputs checks that the pane's frame drawn from what the frame
// before kept (rows, titles, column header, footer text, thread header, filter bar, the
// builder sizes) is byte for byte the frame drawn from scratch, whatever changed in between:
// beside the preview column and over the whole pane.
func TestFrameMemosFollowTheirInputs(t *testing.T) {
	colour := Styles{Time: lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000")),
		Selected: lipgloss.NewStyle().Reverse(true), Attrs: lipgloss.NewStyle().Bold(true),
		Header: lipgloss.NewStyle().Faint(true), HeaderFocus: lipgloss.NewStyle().Bold(true),
		Footer: lipgloss.NewStyle().Italic(true), Divider: lipgloss.NewStyle().Foreground(lipgloss.Color("#00ff00"))}
	tests := []struct {
		name   string
		change func(t *testing.T, p *Pane)
	}{
		{"nothing", func(*testing.T, *Pane) {}},
		{"cursor down", func(t *testing.T, p *Pane) { send(t, p, press("j")) }},
		{"cursor up after down", func(t *testing.T, p *Pane) { send(t, p, press("j"), press("j"), press("k")) }},
		{"to the end", func(t *testing.T, p *Pane) { send(t, p, press("G")) }},
		{"page down", func(t *testing.T, p *Pane) { send(t, p, press("pgdown")) }},
		{"blur", func(t *testing.T, p *Pane) { p.Blur() }},
		{"the thread has the keyboard", func(t *testing.T, p *Pane) { send(t, p, press("enter")) }},
		{"styles", func(t *testing.T, p *Pane) { p.SetStyles(colour) }},
		{"narrower", func(t *testing.T, p *Pane) { p.SetSize(150, 30, 60) }},
		{"no preview column", func(t *testing.T, p *Pane) { p.SetSize(90, 30, 90) }},
		{"shorter", func(t *testing.T, p *Pane) { p.SetSize(160, 12, 70) }},
		{"time zone", func(t *testing.T, p *Pane) { p.cfg.Location = time.FixedZone("X", 5*3600) }},
		{"a year later", func(t *testing.T, p *Pane) {
			p.cfg.Now = func() time.Time { return fixedNow.AddDate(1, 0, 0) }
		}},
		{"source column", func(t *testing.T, p *Pane) { p.cfg.ShowSource = true }},
		{"quick filter rows", func(t *testing.T, p *Pane) { p.ls.idx = []int{5, 3, 1} }},
		{"a filter applied", func(t *testing.T, p *Pane) { p.bar.SetApplied("domain eq 'IT'") }},
		{"the filter bar edited", func(t *testing.T, p *Pane) { send(t, p, press("f")) }},
		{"sort order", func(t *testing.T, p *Pane) { p.cfg.Query.Order = client.OldestFirst }},
		{"the vendor's total", func(t *testing.T, p *Pane) { p.ls.total = 5000 }},
		{"more to load", func(t *testing.T, p *Pane) { p.ls.loadCursor = "next" }},
		{"more rows loaded", func(t *testing.T, p *Pane) {
			p.ls.items.Append(&client.Conversation{ID: "new", UserID: "u", Summary: "late", Started: fixedNow}, false)
		}},
		{"a later page failed", func(t *testing.T, p *Pane) { p.ls.err = errors.New("page 3: 503") }},
		{"a source failed (All tab)", func(t *testing.T, p *Pane) { p.ls.progress = "td: 401" }},
		{"summary changed in place", func(t *testing.T, p *Pane) {
			setRow(p, p.ls.cursor, func(c *client.Conversation) { c.Summary = "a new summary" })
		}},
		{"the selected conversation's user", func(t *testing.T, p *Pane) {
			p.thr.c.Attrs = client.Attrs{{Key: client.AttrUserName, Value: "Jane"}}
		}},
		{"a quick filter applied", func(t *testing.T, p *Pane) {
			send(t, p, press("/"))
			send(t, p, typed("Reset")...)
			send(t, p, press("enter"))
			if !strings.Contains(p.View(), "loaded match") {
				t.Fatalf("no quick filter count:\n%s", p.View())
			}
		}},
		{"a key under a quick filter", func(t *testing.T, p *Pane) {
			send(t, p, press("/"))
			send(t, p, typed("Reset")...)
			send(t, p, press("enter"))
			_ = p.View()
			send(t, p, press("j"))
		}},
		{"the quick filter edited", func(t *testing.T, p *Pane) {
			send(t, p, press("/"))
			send(t, p, typed("Reset")...)
			send(t, p, press("enter"))
			_ = p.View()
			send(t, p, press("/"), press("backspace"))
		}},
		{"the tab's name", func(t *testing.T, p *Pane) { p.cfg.Name = "renamed" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 200, 1)
			src.PageSize = 200
			p := newTestPane(t, src, 160, 30, 70, nil)
			drain(t, p, p.Init())
			send(t, p, press("j"))
			_ = p.View() // fills the memos
			_ = p.Title()
			tt.change(t, p)
			got, gotTitle := p.View(), p.Title()
			if want := freshView(p); got != want {
				t.Errorf("the frame from kept parts differs from a fresh one:\ngot:\n%s\nwant:\n%s", got, want)
			}
			if want := p.Title(); gotTitle != want {
				t.Errorf("the kept tab count %q differs from a fresh one %q", gotTitle, want)
			}
		})
	}
}
