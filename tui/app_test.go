package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
)

func content(a *App) string { return a.View().Content }

// requireContains checks the view has every want; requireLacks that it has none of bad.
func requireContains(t *testing.T, a *App, want ...string) {
	t.Helper()
	requireView(t, content(a), want, nil)
}

func requireLacks(t *testing.T, a *App, bad ...string) {
	t.Helper()
	requireView(t, content(a), nil, bad)
}

// requireView checks the view c has every want and none of bad.
func requireView(t *testing.T, c string, want, bad []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(c, w) {
			t.Fatalf("view lacks %q:\n%s", w, c)
		}
	}
	for _, w := range bad {
		if strings.Contains(c, w) {
			t.Fatalf("view has %q:\n%s", w, c)
		}
	}
}

// requireFrame checks the view is exactly 40 lines.
func requireFrame(t *testing.T, a *App) {
	t.Helper()
	if n := strings.Count(content(a), "\n") + 1; n != a.height {
		t.Fatalf("view has %d lines, want %d", n, a.height)
	}
}

func TestGolden(t *testing.T) {
	missing := Tab{Name: "talkdesk", Kind: "talkdesk",
		Err: fmt.Errorf("no credential for source talkdesk: run confab auth login talkdesk, or set CONFAB_SECRET_TALKDESK: %w", client.ErrAuth)}
	tests := []struct {
		name  string
		setup func(t *testing.T) *App
	}{
		{"loading", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			a := newTestApp(t, testDeps(tab, missing))
			a.Init() // the first page is requested; its result is never delivered
			return a
		}},
		{"ready", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			a := start(t, newTestApp(t, testDeps(tab, missing)))
			update(t, a, keys("j", "j")...)
			return a
		}},
		{"ready_dark", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			d := testDeps(tab)
			st := NewStyles(DefaultPalette(), true)
			d.styles = &st
			return start(t, newTestApp(t, d))
		}},
		{"ready_light", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			d := testDeps(tab)
			st := NewStyles(DefaultPalette(), false)
			d.styles = &st
			return start(t, newTestApp(t, d))
		}},
		{"thread", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			a := start(t, newTestApp(t, testDeps(tab)))
			update(t, a, keys("enter", "j")...)
			return a
		}},
		{"thread_narrow", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			a := New(testDeps(tab))
			update(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
			start(t, a)
			update(t, a, keys("enter", "j", "j")...)
			return a
		}},
		{"error", func(t *testing.T) *App {
			tab, src := fakeTab("moveworks", 300)
			src.FailOnce("", &client.APIError{Kind: client.ErrUnavailable, Endpoint: "https://api.example.com/export/v1/records/conversations", Status: 503, Message: "upstream timeout"})
			return start(t, newTestApp(t, testDeps(tab)))
		}},
		{"error_later_page", func(t *testing.T) *App {
			tab, src := fakeTab("moveworks", 300)
			src.FailOnce("50", &client.APIError{Kind: client.ErrRateLimited, Status: 429, RetryAfter: 30e9})
			return start(t, newTestApp(t, testDeps(tab)))
		}},
		{"empty", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			tab.Query.Filter = "no such thing"
			return start(t, newTestApp(t, testDeps(tab)))
		}},
		{"tab_err", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			a := start(t, newTestApp(t, testDeps(tab, missing)))
			update(t, a, press("2"))
			return a
		}},
		{"help", func(t *testing.T) *App {
			tab, _ := fakeTab("moveworks", 300)
			a := start(t, newTestApp(t, testDeps(tab, missing)))
			update(t, a, press("?"))
			return a
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.setup(t)
			requireFrame(t, a)
			golden.RequireEqual(t, content(a))
		})
	}
}
