package pane

import (
	"strings"
	"testing"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// TestSourceColumn: with ShowSource each row names its source in a column of srcW cells (a
// long name cut with "…"), at every width, every line exactly the pane's width; without it no
// row does.
func TestSourceColumn(t *testing.T) {
	tests := []struct {
		name   string
		w      int
		show   bool
		header string // "" when the header has no columns
	}{
		{"narrow", 30, true, ""},
		{"medium", 60, true, "▌Time          Source    Details · Summary"},
		{"wide", 120, true, "▌Time          Source    User          Details · Summary"},
		{"wide without", 120, false, "▌Time          User          Details · Summary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("moveworks-prod", 20, 1)
			p := newTestPane(t, src, tt.w, 20, tt.w, func(c *Config) { c.ShowSource = tt.show })
			drain(t, p, p.Init())
			lines := strings.Split(p.View(), "\n")
			rows := 0
			for i, l := range lines {
				if sanitize.Width(l) != tt.w {
					t.Fatalf("line %d is %d cells wide, want %d: %q", i, sanitize.Width(l), tt.w, l)
				}
				if strings.HasPrefix(l, " Nov 21") {
					rows++
					if has := strings.Contains(l, " movewor… "); has != tt.show {
						t.Fatalf("row %q: source shown %v, want %v", l, has, tt.show)
					}
				}
			}
			if rows == 0 {
				t.Fatalf("no rows:\n%s", p.View())
			}
			if tt.header != "" && !strings.HasPrefix(lines[1], tt.header) {
				t.Fatalf("header %q, want %q…", lines[1], tt.header)
			}
		})
	}
}

// TestNoVendorFilter: a pane without a vendor filter (the All tab) shows no filter bar, and
// f, v and S say to use / instead; / still narrows the rows.
func TestNoVendorFilter(t *testing.T) {
	src := fake.New("mw", 30, 1)
	p := newTestPane(t, src, 100, 20, 100, func(c *Config) { c.Name, c.NoVendorFilter = "All", true })
	drain(t, p, p.Init())
	if strings.HasPrefix(p.View(), " filter") || p.VendorFilter() {
		t.Fatalf("a filter bar:\n%s", p.View())
	}
	for _, k := range []string{"f", ":", "v", "S"} {
		got := notices(send(t, p, press(k)))
		if len(got) != 1 || got[0] != "the All tab has no vendor filter: use / to narrow or ctrl+f to search" || p.Capturing() {
			t.Fatalf("%s: notices %q, capturing %v", k, got, p.Capturing())
		}
	}
	send(t, p, press("/"))
	send(t, p, typed("VPN")...)
	send(t, p, press("enter"))
	requireView(t, p, "quick", "Reset my VPN password")
	if strings.Contains(p.View(), "Benefits enrollment") {
		t.Fatalf("the quick filter did not narrow:\n%s", p.View())
	}
}
