package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/opendialog"
)

const odConfig = `[[source]]
name = "od"
kind = "opendialog"
base_url = %q
`

// odHarness is the harness with an OpenDialog source "od" on the harness's mock.
func odHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.config = h.writeFile("od.toml", fmt.Sprintf(odConfig, h.servers.OpenDialog.BaseURL))
	h.env["CONFAB_SECRET_OD"] = h.servers.OpenDialog.APIKey
	return h
}

// odTruth is the harness mock's own OpenDialog corpus (the same seed and end give the same data).
func odTruth() *mock.OpenDialog {
	return mock.NewOpenDialog(harnessCorpus)
}

func TestOpenDialogListFilter(t *testing.T) {
	h := odHarness(t)
	since, until := corpusEnd.AddDate(0, 0, -7), corpusEnd
	args := []string{"--config", h.config, "list", "od", "--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339),
		"--format", "ndjson"}
	truth := odTruth()
	tests := []struct {
		filter string
		want   map[string]string
	}{
		{"country=us", map[string]string{"country": "us"}},
		{`country="United Kingdom" browser=FIREFOX`, map[string]string{"country": "United Kingdom", "browser": "FIREFOX"}},
		{"", nil},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			r := h.run(append(args, "--filter", tc.filter)...)
			r.want(t, 0)
			var got []string
			for _, c := range decodeNDJSON(t, r.stdout) {
				got = append(got, c.ID)
			}
			var want []string
			for _, s := range truth.Sessions(tc.want, since, until) {
				want = append(want, opendialog.ID(s.UserID, s.Start))
			}
			if len(want) == 0 {
				t.Fatal("the mock holds no session for this filter")
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("listed %d conversations, the mock holds %d sessions for %q", len(got), len(want), tc.filter)
			}
		})
	}
	// The table shows the list's attributes.
	r := h.run("--config", h.config, "list", "od", "--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339), "--limit", "5")
	r.want(t, 0)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 6 || !strings.Contains(lines[1], "@2026-") && !strings.Contains(lines[1], "…") {
		t.Errorf("table:\n%s", r.stdout)
	}
}

func TestOpenDialogBadFilters(t *testing.T) {
	h := odHarness(t)
	tests := []struct {
		filter string
		want   []string
	}{
		{"country=us page=2", []string{`unknown filter "page"`, "ip_address, country, browser_language, os, browser, timezone, email, platform, selected_scenario, user_id, from, to", "column 12"}},
		{"from:yesterday to:7d", []string{"the range is inverted"}},
		{`country="United`, []string{"unterminated quoted value"}},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			r := h.run("--config", h.config, "list", "od", "--filter", tc.filter)
			r.want(t, 2, tc.want...)
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
		})
	}
	// A refused token says so, and how to replace it.
	h.env["CONFAB_SECRET_OD"] = "not-the-token"
	h.run("--config", h.config, "list", "od", "--since", "2026-10-30", "--until", "2026-11-01").
		want(t, 1, "refused the API token", "confab auth login od")
}

func TestOpenDialogExport(t *testing.T) {
	h := odHarness(t)
	r := h.run("--config", h.config, "list", "od", "--since", "2026-10-31T00:00:00Z", "--until", "2026-11-02T00:00:00Z", "--format", "ndjson")
	r.want(t, 0)
	cs := decodeNDJSON(t, r.stdout)
	if len(cs) < 10 {
		t.Fatalf("%d conversations", len(cs))
	}
	// A session across midnight UTC, addressed by its id on the command line.
	var c = cs[0]
	for _, x := range cs {
		if x.Started.Day() != x.Updated.Day() {
			c = x
			break
		}
	}
	r = h.run("--config", h.config, "export", "od", c.ID, "--format", "text")
	r.want(t, 0)
	for _, want := range []string{"Conversation " + c.ID, "note: " + opendialog.Note, "User (text)", "messages: "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("export text lacks %q:\n%s", want, r.stdout)
		}
	}
	r = h.run("--config", h.config, "export", "od", c.ID, "--format", "json")
	r.want(t, 0)
	var doc struct {
		Conversation struct {
			ID  string          `json:"id"`
			Raw json.RawMessage `json:"raw"`
		} `json:"conversation"`
		Interactions []struct {
			Kind string `json:"kind"`
		} `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Interactions []json.RawMessage `json:"interactions"`
	}
	if err := json.Unmarshal(doc.Conversation.Raw, &raw); err != nil || doc.Conversation.ID != c.ID ||
		len(raw.Interactions) != len(doc.Interactions) || len(doc.Interactions) == 0 {
		t.Errorf("export json: id %s, %d raw interactions, %d interactions, %v", doc.Conversation.ID, len(raw.Interactions), len(doc.Interactions), err)
	}
	h.run("--config", h.config, "export", "od", "wc_nobody@2026-10-31T10:00:00.000000Z").want(t, 1, "not found")
}

// TestBroadRangeIsRefused: `list --since 1900-01-01` on an OpenDialog source would walk
// 46,000 one-day windows; it is refused before any request with one line saying the count,
// the limit and how to go on, and --max-windows or the source's max_windows lets it through.
func TestBroadRangeIsRefused(t *testing.T) {
	od := odTruth()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		od.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	h := newHarness(t)
	h.env["CONFAB_SECRET_OD"] = od.Token
	base := srv.URL + mock.OpenDialogBasePath
	plain := h.writeFile("od.toml", fmt.Sprintf(odConfig, base))
	raised := h.writeFile("od-raised.toml", fmt.Sprintf(odConfig, base)+"max_windows = 50000\n")
	tests := []struct {
		name   string
		config string
		args   []string
		refuse string // the count and limit in the one-line error, "" when it runs
	}{
		{"the default limit", plain, nil, "the range 1900-01-01 … 2026-11-02 needs 46,327 requests of one day each (limit 400)"},
		{"a lower --max-windows", plain, []string{"--since", "2026-10-01T00:00:00Z", "--max-windows", "10"}, "needs 33 requests of one day each (limit 10)"},
		{"--max-windows raised", plain, []string{"--max-windows", "50000"}, ""},
		{"--max-windows -1", plain, []string{"--max-windows", "-1"}, ""},
		{"max_windows in the config", raised, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			requests.Store(0)
			args := append([]string{"--config", tc.config, "list", "od", "--since", "1900-01-01T00:00:00Z", "--limit", "3"}, tc.args...)
			r := h.run(args...)
			if tc.refuse == "" {
				r.want(t, 0)
				if requests.Load() == 0 {
					t.Error("no request was made")
				}
				return
			}
			r.want(t, exitUsage, tc.refuse, "narrow --since/--until", "--max-windows", "max_windows")
			if n := requests.Load(); n != 0 {
				t.Errorf("%d requests before the refusal", n)
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
		})
	}
}
