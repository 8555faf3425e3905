package tui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
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

// TestOpenDialogUserAndOrder: an OpenDialog tab names the user by chatbot_user_data's name
// (the list's user column and details, the thread's title), never shows the filters the
// vendor echoes as user attributes, and its order key lists the same range oldest first.
func TestOpenDialogUserAndOrder(t *testing.T) {
	a := start(t, newTestApp(t, testDeps(odTab(t, "", `country="united kingdom" platform=desktop`))))
	update(t, a, tea.WindowSizeMsg{Width: 200, Height: 30})
	newest := listRows(content(a))
	update(t, a, keys("o")...)
	oldest := listRows(content(a))
	if len(newest) < 3 || len(newest) != len(oldest) {
		t.Fatalf("newest first %d rows, oldest first %d:\n%s", len(newest), len(oldest), content(a))
	}
	for i := range newest {
		if newest[i] != oldest[len(oldest)-1-i] {
			t.Errorf("row %d newest first %q is not row %d oldest first %q", i, newest[i], len(oldest)-1-i, oldest[len(oldest)-1-i])
		}
	}
	requireContains(t, a, "oldest first")
	// The filter values the vendor echoes (the country and platform asked for) are not shown
	// as the user's; the user's name is.
	requireLacks(t, a, "desktop ·", "United Kingdom")
	update(t, a, keys("enter")...)
	requireContains(t, a, "user Mateo Nowak")
}

// listRows are the list's conversation rows of a frame (time and user columns), in order.
func listRows(frame string) []string {
	var rows []string
	for _, line := range strings.Split(ansi.Strip(frame), "\n") {
		left, _, _ := strings.Cut(line, "│")
		f := strings.Fields(left)
		if len(f) >= 4 && (f[0] == "Oct" || f[0] == "Nov") {
			rows = append(rows, strings.Join(f[:4], " "))
		}
	}
	return rows
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
		{"oldest_first", func(t *testing.T) *App {
			a := start(t, newTestApp(t, testDeps(odTab(t, "", ""))))
			update(t, a, keys("o")...)
			return a
		}},
		{"wide_user_column", func(t *testing.T) *App {
			a := start(t, newTestApp(t, testDeps(odTab(t, "", ""))))
			update(t, a, tea.WindowSizeMsg{Width: 200, Height: 30})
			return a
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
