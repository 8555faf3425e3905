package tui

import (
	"net/http/httptest"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
)

// moveworksTab is a tab on the real Moveworks source, over HTTP, against the mock Moveworks
// whose corpus ends at the tests' clock.
func moveworksTab(t *testing.T) Tab {
	t.Helper()
	m := mock.NewMoveworks(mock.Options{Seed: 11, End: fixedNow, Days: 7})
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return Tab{Name: "mw", Kind: moveworks.Kind, Source: src}
}

// TestMoveworksGolden: the Moveworks list shows what users wrote (each row's first user
// message, fetched for the rows on screen) beside the domain and route.
func TestMoveworksGolden(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		has  []string
	}{
		{"list", 120, 40, []string{"IT · DM", "my VPN and my email", "vpn is super slow t"}},
		{"list_80x24", 80, 24, []string{"IT · DM", "my VPN and my email", "vpn is super slow t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestApp(t, testDeps(moveworksTab(t)))
			a.Update(tea.WindowSizeMsg{Width: tt.w, Height: tt.h})
			start(t, a)
			requireFrame(t, a)
			requireContains(t, a, tt.has...)
			golden.RequireEqual(t, content(a))
		})
	}
}
