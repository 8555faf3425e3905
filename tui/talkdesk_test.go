package tui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/talkdesk"
)

// talkdeskTab is a tab on the real Talkdesk source, over HTTP, against the mock Talkdesk
// whose corpus ends at the tests' clock. failAPI, when > 0, makes that API request (1-based)
// answer 503.
func talkdeskTab(t *testing.T, secret string, failAPI int64) Tab {
	t.Helper()
	m := mock.NewTalkdesk(mock.Options{Seed: 11, End: fixedNow, Days: 28})
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != mock.TalkdeskTokenPath && n.Add(1) == failAPI {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"code":"1503","message":"Service Unavailable","fields":[]}`))
			return
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	if secret == "" {
		secret = m.ClientSecret
	}
	src, err := talkdesk.New(talkdesk.Config{Name: "td", BaseURL: srv.URL, TokenURL: srv.URL + mock.TalkdeskTokenPath,
		ClientID: m.ClientID, Secret: secret, PageSize: 25, AllowedHosts: []string{mock.TalkdeskPagingOrigin(srv.URL)},
		Now: func() time.Time { return fixedNow }, HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return Tab{Name: "td", Kind: talkdesk.Kind, Source: src, Query: client.Query{Filter: "since:21d"}}
}

func TestTalkdeskGolden(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) *App
		has   []string
	}{
		{"list", func(t *testing.T) *App {
			return start(t, newTestApp(t, testDeps(talkdeskTab(t, "", 0))))
		}, []string{"75 loaded · more ↓ · 2026-11-14 … 2026-11-21"}},
		{"thread", func(t *testing.T) *App {
			a := start(t, newTestApp(t, testDeps(talkdeskTab(t, "", 0))))
			update(t, a, keys("j", "j")...)
			update(t, a, press("enter"))
			return a
		}, []string{"Customer", "source td · id "}},
		{"virtual_agent_thread", func(t *testing.T) *App {
			tab := talkdeskTab(t, "", 0)
			tab.Query.Filter = "since:21d participant=virtual_agent channel=webchat"
			a := start(t, newTestApp(t, testDeps(tab)))
			update(t, a, press("enter"))
			return a
		}, []string{"Virtual agent", "webchat"}},
		{"filtered_list", func(t *testing.T) *App {
			tab := talkdeskTab(t, "", 0)
			tab.Query.Filter = "since:21d sentiment=negative channel=voice"
			return start(t, newTestApp(t, testDeps(tab)))
		}, []string{"loaded 46 of ≥ 46 — G again to keep going"}}, // few rows a page: 20 pages, then a pause
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.setup(t)
			requireFrame(t, a)
			requireContains(t, a, tt.has...)
			golden.RequireEqual(t, content(a))
		})
	}
}

// The error views hold the mock's random port, so they are checked by content, not goldens.
func TestTalkdeskErrors(t *testing.T) {
	t.Run("refused credentials", func(t *testing.T) {
		a := start(t, newTestApp(t, testDeps(talkdeskTab(t, "wrong-secret", 0))))
		requireContains(t, a, "credentials refused", "confab auth login")
		requireLacks(t, a, "wrong-secret")
	})
	t.Run("a 5xx on a later page keeps the loaded rows", func(t *testing.T) {
		a := start(t, newTestApp(t, testDeps(talkdeskTab(t, "", 3))))
		update(t, a, press("G"))
		if n := a.panes[0].Len(); n != 50 {
			t.Fatalf("%d rows loaded, want the first two pages (50)", n)
		}
		c := content(a)
		if !strings.Contains(c, "unavailable") {
			t.Fatalf("no error shown:\n%s", c)
		}
	})
}
