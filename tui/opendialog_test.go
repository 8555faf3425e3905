package tui

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/opendialog"
)

// odTab is an OpenDialog tab on the mock over real HTTP, with a fixed clock and range.
func odTab(t *testing.T, token, filter string) Tab {
	t.Helper()
	end := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	m := mock.NewOpenDialog(mock.Options{Seed: 7, End: end, Days: 7})
	// Served in-process at a fixed address, so error messages naming the endpoint are stable.
	rt := odRoundTrip(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		return rec.Result(), nil
	})
	if token == "" {
		token = m.Token
	}
	src, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: "http://127.0.0.1:8702" + mock.OpenDialogBasePath, Token: token,
		Now: func() time.Time { return end }, HTTP: client.HTTPOptions{MaxRetries: -1, Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	return Tab{Name: "od", Kind: opendialog.Kind, Source: src,
		Query: client.Query{Filter: filter, Since: end.AddDate(0, 0, -3), Until: end}}
}

func TestOpenDialogGolden(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) *App
	}{
		{"list", func(t *testing.T) *App {
			return start(t, newTestApp(t, testDeps(odTab(t, "", ""))))
		}},
		{"filtered", func(t *testing.T) *App {
			return start(t, newTestApp(t, testDeps(odTab(t, "", `country="united kingdom" platform=desktop`))))
		}},
		{"thread", func(t *testing.T) *App {
			a := start(t, newTestApp(t, testDeps(odTab(t, "", ""))))
			update(t, a, keys("j", "enter")...)
			return a
		}},
		{"unknown_filter", func(t *testing.T) *App {
			return start(t, newTestApp(t, testDeps(odTab(t, "", "country=us page=2"))))
		}},
		{"refused_token", func(t *testing.T) *App {
			return start(t, newTestApp(t, testDeps(odTab(t, "expired-token", ""))))
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

type odRoundTrip func(*http.Request) (*http.Response, error)

func (f odRoundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
