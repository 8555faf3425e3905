package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/merge"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui"
)

// TestTUIStoreWiring: `confab` gives each tab the local store (cache-first); --no-cache
// none; a store that cannot be opened costs one warning and the tabs run live; --offline
// reads only the store: no secret is resolved, no vendor asked.
func TestTUIStoreWiring(t *testing.T) {
	h := newHarness(t)
	var deps tui.Deps
	var rows int // what the first tab's source gave
	h.tui = func(ctx context.Context, d tui.Deps) error {
		deps = d
		for i, tab := range d.Tabs {
			if tab.Err != nil {
				return tab.Err
			}
			page, err := tab.Source.Conversations(ctx, tab.Query, "")
			if err != nil {
				return err
			}
			if i == 0 {
				rows = len(page.Conversations)
			}
		}
		return nil
	}
	path := strings.TrimSpace(h.run("cache", "path").stdout)

	h.run("--config", h.config, "sync", "mw", "--since", "2d").want(t, 0)
	h.run("--config", h.config).want(t, 0)
	mw := deps.Tabs[0]
	if mw.Local == nil || mw.Local.Stored == nil || mw.Local.Sink == nil || mw.Local.Offline {
		t.Fatalf("mw tab Local = %+v, want the store as reader and sink, online", mw.Local)
	}
	if mw.Local.Stored.Name() != "mw" || mw.Local.Synced.IsZero() {
		t.Errorf("mw Local: stored %q, synced %v; want mw and the sync's watermark", mw.Local.Stored.Name(), mw.Local.Synced)
	}
	if deps.Warning != "" {
		t.Errorf("warning %q with a good store", deps.Warning)
	}

	h.run("--config", h.config, "--no-cache").want(t, 0)
	if deps.Tabs[0].Local != nil {
		t.Errorf("--no-cache: the tab has a store")
	}

	// Offline: the vendor gone and no secret, the tab reads the store.
	if err := h.servers.Close(); err != nil {
		t.Fatal(err)
	}
	delete(h.env, "CONFAB_SECRET_MW")
	h.run("--config", h.config, "--offline").want(t, 0)
	mw = deps.Tabs[0]
	if mw.Err != nil || mw.Local == nil || !mw.Local.Offline || mw.Source != mw.Local.Stored {
		t.Fatalf("--offline: mw tab = %+v, want the store as its only source", mw)
	}
	if rows == 0 {
		t.Errorf("--offline: no stored conversations")
	}
	h.run("--config", h.config, "--offline", "--no-cache").want(t, 2, "--offline with --no-cache")

	// A store that cannot be read: one warning, the tabs run live (here: fail, the vendor
	// is gone, which proves they went live).
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(path + "-wal")
	_ = os.Remove(path + "-shm")
	h.tui = func(ctx context.Context, d tui.Deps) error { deps = d; return nil }
	h.env["CONFAB_SECRET_MW"] = "k"
	h.run("--config", h.config).want(t, 0)
	if !strings.Contains(deps.Warning, "local store not used") || !strings.Contains(deps.Warning, "confab cache clear") {
		t.Errorf("warning %q, want one line saying the store is not used and what to do", deps.Warning)
	}
	if deps.Tabs[0].Local != nil || deps.Tabs[0].Source == nil {
		t.Errorf("with a corrupt store the tab should run live: %+v", deps.Tabs[0])
	}
	h.run("--config", h.config, "--offline").want(t, 1, "--offline")
}

// TestDemoStore: the demo keeps its own store (never confab.db); its tabs open before the
// mock vendors have started (their requests wait for them); a second demo finds what the
// first wrote through.
func TestDemoStore(t *testing.T) {
	h := newHarness(t)
	cacheDir := filepath.Join(h.dir, "cache")
	h.env["XDG_CACHE_HOME"] = cacheDir
	var stored int
	h.tui = func(ctx context.Context, d tui.Deps) error {
		mw := d.Tabs[0]
		if mw.Local == nil {
			return errors.New("the demo's mw tab has no store")
		}
		page, err := mw.Local.Stored.Conversations(ctx, client.Query{}, "")
		if err != nil {
			return err
		}
		stored = len(page.Conversations)
		// What the pane does with a live page: write it through.
		live, err := mw.Source.Conversations(ctx, mw.Query, "")
		if err != nil {
			return err
		}
		return mw.Local.Sink.PutConversations(ctx, mw.Local.Stored.Name(), live.Conversations)
	}
	h.run("demo", "--seed", "3").want(t, 0)
	if stored != 0 {
		t.Errorf("the first demo found %d stored rows, want none", stored)
	}
	h.run("demo", "--seed", "3").want(t, 0)
	if stored == 0 {
		t.Errorf("the second demo found no stored rows")
	}
	if _, err := os.Stat(filepath.Join(cacheDir, "confab", "demo-seed3.db")); err != nil {
		t.Errorf("demo store: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cacheDir, "confab", cache.FileName)); err == nil {
		t.Errorf("the demo wrote the user's store")
	}
	// --offline: only the store, no mock started.
	h.tui = func(ctx context.Context, d tui.Deps) error {
		for _, tab := range d.Tabs {
			if tab.Local == nil || !tab.Local.Offline {
				return errors.New("offline demo tab reads more than the store")
			}
			if !tab.All {
				if tab.Source != tab.Local.Stored {
					return errors.New("offline demo tab reads more than the store")
				}
				continue
			}
			m, ok := tab.Source.(*merge.Source)
			if !ok {
				return fmt.Errorf("offline All tab: source %T", tab.Source)
			}
			for _, src := range m.Sources() {
				if _, ok := src.(*cache.Source); !ok {
					return fmt.Errorf("offline All tab: member %T is not the store", src)
				}
			}
		}
		return nil
	}
	h.run("--offline", "demo", "--seed", "3").want(t, 0)
}

// TestWaitSource: requests wait for the client, honour their context, and report a client
// that could not be made; the first request to any of the wait sources sharing an
// askSignal signals it (the first demo generates no corpus before).
func TestWaitSource(t *testing.T) {
	a := newApp(nil, nil, func(string) string { return "" })
	ep := mockEndpoints(demoShapes())[0]
	v, _ := a.vendor(ep.source.Kind)
	shape, err := a.build(v, ep.source, ep.secret, a.httpOptions(ep.source))
	if err != nil {
		t.Fatal(err)
	}
	w, src := newWaitSource(shape)
	other, _ := newWaitSource(shape)
	asked := &askSignal{ch: make(chan struct{})}
	w.asked, other.asked = asked, asked
	if _, ok := src.(client.Summarizer); !ok {
		t.Errorf("the Moveworks wait source is not a Summarizer")
	}
	if src.Name() != "mw" || src.FilterSpec() == nil {
		t.Errorf("name %q, spec %v before ready", src.Name(), src.FilterSpec())
	}
	select {
	case <-asked.ch:
		t.Fatal("asked before any request")
	default:
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, err := src.Conversations(ctx, client.Query{}, ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a request before ready ended with %v, want its context's error", err)
	}
	select {
	case <-asked.ch:
	default:
		t.Fatal("a request did not signal asked")
	}
	if _, err := other.Conversations(ctx, client.Query{}, ""); !errors.Is(err, context.DeadlineExceeded) { // signals again: no panic
		t.Errorf("the other wait source: %v, want its context's error", err)
	}
	boom := errors.New("mock failed")
	w.resolve(nil, boom)
	if _, err := src.Thread(t.Context(), client.Conversation{}); !errors.Is(err, boom) {
		t.Errorf("after a failed start: %v, want %v", err, boom)
	}
}
