package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/confab-dev/confab/client/merge"
	"github.com/confab-dev/confab/tui"
)

// TestTUIAllTab: with two sources that open, the TUI gets an All tab last (after the source
// tabs and saved views) merging them, each with its own filter; a source that cannot open is
// left out of it. The demo has one over its three vendors.
func TestTUIAllTab(t *testing.T) {
	h := newHarness(t)
	h.env["CONFAB_SECRET_IT"] = h.servers.Moveworks.APIKey
	cfg := h.writeFile("all.toml", fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL)+
		fmt.Sprintf("[[source]]\nname = \"it\"\nkind = \"moveworks\"\nbase_url = %q\nfilter = \"primary_domain eq 'IT'\"\n", h.servers.Moveworks.BaseURL)+
		fmt.Sprintf("[[source]]\nname = \"nokey\"\nkind = \"moveworks\"\nbase_url = %q\n", h.servers.Moveworks.BaseURL)+
		"[[view]]\nname = \"hr\"\nsource = \"mw\"\nfilter = \"primary_domain eq 'HR'\"\n")
	var got []tui.Tab
	h.tui = func(ctx context.Context, deps tui.Deps) error {
		got = deps.Tabs
		return nil
	}
	defer func() { h.tui = nil }()
	h.run("--config", cfg).want(t, 0)
	var names []string
	for _, tab := range got {
		names = append(names, tab.Name)
	}
	if fmt.Sprint(names) != "[mw it nokey hr All]" {
		t.Fatalf("tabs %v, want the All tab last", names)
	}
	all := got[4]
	m, ok := all.Source.(*merge.Source)
	if !all.All || all.Err != nil || !ok || len(m.Sources()) != 2 || all.Query.Filter != "" {
		t.Fatalf("All tab = %+v", all)
	}
	ctx := context.Background()
	per := map[string]int{}
	cur := ""
	for range 5 {
		p, err := m.Conversations(ctx, all.Query, cur)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Conversations {
			per[c.Source]++
			if c.Source == "it" && c.Attrs.Value("domain") != "IT" {
				t.Fatalf("row %s of it is in domain %q: it's filter was not applied", c.ID, c.Attrs.Value("domain"))
			}
		}
		if cur = p.Next; cur == "" {
			break
		}
	}
	if per["mw"] == 0 || per["it"] == 0 || per["nokey"] != 0 || len(per) != 2 {
		t.Fatalf("rows per source %v", per)
	}

	t.Run("one source: no All tab", func(t *testing.T) {
		h.run("--config", h.config).want(t, 0)
		if len(got) != 1 || got[0].All {
			t.Fatalf("tabs %+v", got)
		}
	})
	t.Run("demo", func(t *testing.T) {
		h.tui = func(ctx context.Context, deps tui.Deps) error {
			got = deps.Tabs
			if len(got) != 4 || got[0].Name != "mw" || !got[3].All || got[3].Name != "All" {
				return fmt.Errorf("demo tabs %+v", got)
			}
			p, err := got[3].Source.Conversations(ctx, got[3].Query, "")
			if err != nil || len(p.Conversations) == 0 || p.Progress != "" {
				return fmt.Errorf("demo All tab: %d rows, progress %q, %v", len(p.Conversations), p.Progress, err)
			}
			for _, c := range p.Conversations {
				per[c.Source]++
			}
			if o, ok := got[3].Source.(interface{ Orders() bool }); !ok || o.Orders() {
				return fmt.Errorf("the demo's All tab (with Talkdesk) offers to change the order")
			}
			return nil
		}
		clear(per)
		h.run("demo", "--seed", "3").want(t, 0)
		if len(per) < 2 {
			t.Fatalf("the demo's All tab's first page has rows of %v", per)
		}
	})
}
