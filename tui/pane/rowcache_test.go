package pane

import (
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// loadedPane is a focused 120x40 pane with n fake conversations loaded.
func loadedPane(t testing.TB, n int) *Pane {
	t.Helper()
	src := fake.New("fake", n, 1)
	src.PageSize = n
	p := newTestPane(t, src, 120, 40, 120, nil)
	drain(t, p, p.Init())
	if p.Len() != n {
		t.Fatalf("%d loaded, want %d", p.Len(), n)
	}
	return p
}

// TestRowCacheFollowsItsInputs checks that a list frame drawn with rows kept from the frame
// before is byte for byte the frame drawn from scratch, whatever changed in between.
func TestRowCacheFollowsItsInputs(t *testing.T) {
	colour := Styles{Time: lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000")),
		Selected: lipgloss.NewStyle().Reverse(true), Attrs: lipgloss.NewStyle().Bold(true)}
	tests := []struct {
		name   string
		change func(t *testing.T, p *Pane)
	}{
		{"cursor down", func(t *testing.T, p *Pane) { send(t, p, press("j")) }},
		{"cursor up after down", func(t *testing.T, p *Pane) { send(t, p, press("j"), press("j"), press("k")) }},
		{"blur", func(t *testing.T, p *Pane) { p.Blur() }},
		{"summary changed in place", func(t *testing.T, p *Pane) {
			setRow(p, 2, func(c *client.Conversation) { c.Summary = "a new summary" })
		}},
		{"another conversation at the same index", func(t *testing.T, p *Pane) {
			setRow(p, 1, func(c *client.Conversation) {
				*c = client.Conversation{ID: "other", UserID: "u-other", Summary: "other row", Started: fixedNow.Add(-24 * time.Hour)}
			})
		}},
		{"attributes changed", func(t *testing.T, p *Pane) {
			setRow(p, 0, func(c *client.Conversation) { c.Attrs = client.Attrs{{Key: "domain", Value: "Legal"}} })
		}},
		{"styles", func(t *testing.T, p *Pane) { p.SetStyles(colour) }},
		{"narrower", func(t *testing.T, p *Pane) { p.SetSize(50, 40, 50) }},
		{"time zone", func(t *testing.T, p *Pane) { p.cfg.Location = time.FixedZone("X", 5*3600) }},
		{"a year later", func(t *testing.T, p *Pane) {
			p.cfg.Now = func() time.Time { return fixedNow.AddDate(1, 0, 0) }
		}},
		{"source column", func(t *testing.T, p *Pane) { p.cfg.ShowSource = true }},
		{"quick filter rows", func(t *testing.T, p *Pane) { p.ls.idx = []int{5, 3, 1} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loadedPane(t, 200)
			_ = p.View() // fills the cache
			tt.change(t, p)
			got := p.viewList(p.listW)
			p.rows = rowCache{}
			if want := p.viewList(p.listW); got != want {
				t.Errorf("the frame from kept rows differs from a fresh one:\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestListKeypressAllocs checks that moving the selection redraws only what changed: a
// keypress and a list frame over 1,000 loaded rows allocate a bounded amount, not a few
// allocations for every row on screen (305 before the row cache, 60 with it; 2 once the two
// rows whose selection changed are painted from their kept text: the thread's reset in
// Update and the column's string).
func TestListKeypressAllocs(t *testing.T) {
	p := loadedPane(t, 1000)
	p.SetStyles(Styles{Time: lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000")),
		User: lipgloss.NewStyle().Faint(true), Attrs: lipgloss.NewStyle().Bold(true),
		Selected: lipgloss.NewStyle().Reverse(true)})
	down, up := press("j"), press("k")
	_ = p.viewList(p.listW)
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		k := down
		if i%20 >= 10 {
			k = up
		}
		i++
		p.Update(k)
		_ = p.viewList(p.listW)
	})
	const most = 4
	if allocs > most {
		t.Errorf("%.0f allocations a keypress and list frame, want at most %d", allocs, most)
	}
	t.Logf("%.1f allocations a keypress and list frame", allocs)
}

// TestLoadingMemoFollowsItsInputs checks that the thread column's "Loading thread…" kept from
// the frame before is the one drawn from scratch after the styles or the size change.
func TestLoadingMemoFollowsItsInputs(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Pane)
	}{
		{"nothing", func(p *Pane) {}},
		{"styles", func(p *Pane) {
			p.SetStyles(Styles{Muted: lipgloss.NewStyle().Foreground(lipgloss.Color("#888888")).Italic(true)})
		}},
		{"another width", func(p *Pane) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loadedPane(t, 10)
			p.thr.state = threadLoading
			w := 60
			_ = p.viewThread(w, false) // fills the memo
			tt.change(p)
			if tt.name == "another width" {
				w = 40
			}
			got := p.viewThread(w, false)
			p.loadingMemo = loadingMemo{}
			if want := p.viewThread(w, false); got != want {
				t.Errorf("the kept column differs from a fresh one:\ngot:\n%s\nwant:\n%s", got, want)
			}
			if !strings.Contains(got, "Loading thread…") {
				t.Errorf("no loading message:\n%s", got)
			}
		})
	}
}
