package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui"
)

// TestTUISearchOverTheStore: the TUI started on a configured store gets a search function
// that finds, in the real SQLite file `confab sync --threads` filled, what users wrote across
// sources with the vendors stopped, the match marked; a query FTS5 cannot parse is a short
// one-line error; the store is closed when the TUI ends.
func TestTUISearchOverTheStore(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	h.run("--config", h.config, "sync", "--since", "3d", "--threads").want(t, 0)
	if err := h.servers.Close(); err != nil { // the vendors are gone from here on
		t.Fatal(err)
	}
	var search tui.SearchFunc
	h.tui = func(ctx context.Context, deps tui.Deps) error {
		search = deps.Search
		if search == nil {
			t.Fatal("the TUI has no search")
		}
		hits, err := search(ctx, tui.SearchQuery{Text: "password*", Limit: 100})
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		sources := map[string]int{}
		withMessage := 0
		for _, hit := range hits {
			sources[hit.Conversation.Source]++
			if hit.InteractionID != "" {
				withMessage++
			}
			if hit.Conversation.ID == "" || hit.Time.IsZero() && hit.Conversation.Started.IsZero() {
				t.Errorf("hit without an id or a time: %+v", hit)
			}
			marked := false
			for _, s := range hit.Spans {
				marked = marked || s.Match && strings.HasPrefix(strings.ToLower(s.Text), "password")
			}
			if !marked {
				t.Errorf("hit in %s without the match marked: %+v", hit.Conversation.Source, hit.Spans)
			}
		}
		if len(sources) < 2 || withMessage == 0 {
			t.Errorf("password* found in %v (%d in messages), want matches from more than one source, in messages", sources, withMessage)
		}
		for _, s := range []string{"mw", "td", "od"} {
			if _, ok := sources[s]; !ok && len(sources) == 3 {
				t.Errorf("no hit from %s", s)
			}
		}
		if hits, err := search(ctx, tui.SearchQuery{Text: "zzzqqqnowhere", Limit: 10}); err != nil || len(hits) != 0 {
			t.Errorf("no match in a filled store: %d hits, %v (want none, and no empty-store word)", len(hits), err)
		}
		if hits, err := search(ctx, tui.SearchQuery{Text: "eduroam", Limit: 1}); err != nil || len(hits) != 1 {
			t.Errorf("limit 1: %d hits, %v", len(hits), err)
		}
		_, err = search(ctx, tui.SearchQuery{Text: `vpn AND`, Limit: 10})
		if !errors.Is(err, cache.ErrBadQuery) {
			t.Fatalf("a bad query gives %v, want an error matching cache.ErrBadQuery", err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "invalid query: ") || strings.Contains(msg, "\n") || len(msg) > 120 {
			t.Errorf("the bad query's message is not one short line: %q", msg)
		}
		return nil
	}
	h.run("--config", h.config).want(t, 0)
	if _, err := search(context.Background(), tui.SearchQuery{Text: "password", Limit: 1}); err == nil {
		t.Error("the store still answers after the TUI ended: it was not closed")
	}
}

// TestTUISearchWithoutStore: --no-cache gives the TUI no search; the demo searches its own
// store; a store that cannot be opened gives no search, a warning, and the TUI still starts.
func TestTUISearchWithoutStore(t *testing.T) {
	h := newHarness(t)
	var got tui.Deps
	started := 0
	h.tui = func(_ context.Context, deps tui.Deps) error {
		got, started = deps, started+1
		return nil
	}
	h.run("--config", h.config, "--no-cache").want(t, 0)
	if got.Search != nil {
		t.Error("--no-cache: the TUI has a search")
	}
	h.run("demo", "--seed", "3").want(t, 0)
	if got.Search == nil {
		t.Error("demo: the TUI has no search over its store")
	}

	// A store that holds nothing yet: the search says so, rather than "no match".
	h.tui = func(ctx context.Context, deps tui.Deps) error {
		got, started = deps, started+1
		if deps.Search == nil {
			t.Fatalf("a configured store: the TUI has no search (warning %q)", deps.Warning)
		}
		if hits, err := deps.Search(ctx, tui.SearchQuery{Text: "vpn", Limit: 10}); !errors.Is(err, tui.ErrSearchNothingStored) || len(hits) != 0 {
			t.Errorf("an empty store: %d hits, %v; want tui.ErrSearchNothingStored", len(hits), err)
		}
		return nil
	}
	h.run("--config", h.config).want(t, 0)
	h.tui = func(_ context.Context, deps tui.Deps) error {
		got, started = deps, started+1
		return nil
	}

	// A directory where the database file should be: the store cannot be opened.
	if err := os.Remove(filepath.Join(h.dir, ".cache", "confab", cache.FileName)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(h.dir, ".cache", "confab", cache.FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	h.run("--config", h.config).want(t, 0)
	if started != 4 || got.Search != nil || got.Warning == "" {
		t.Fatalf("the TUI started %d times; search %v; warning %q", started, got.Search != nil, got.Warning)
	}
}
