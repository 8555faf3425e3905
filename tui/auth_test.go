package tui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/talkdesk"
)

// vendorTalkdeskTab is a Talkdesk tab against a server written from APIS.md §2.3 (not
// client/mock): the token endpoint answers 401 invalid_client with an error_description that
// echoes the secret when the secret is wrong, and the API answers 403 when forbid is set.
func vendorTalkdeskTab(t *testing.T, secret string, forbid bool) Tab {
	t.Helper()
	const good = "td-good-secret-0042"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/oauth/token":
			if id, s, ok := r.BasicAuth(); !ok || id != "td-client" || s != good {
				w.WriteHeader(http.StatusUnauthorized)
				_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client",
					"error_description": "Client authentication failed for secret " + s})
				return
			}
			_, _ = w.Write([]byte(`{"access_token":"td-access-token-1234567890","token_type":"Bearer","expires_in":3600}`))
		default:
			if forbid {
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"code":"1003","message":"Forbidden","fields":[]}`))
				return
			}
			_, _ = w.Write([]byte(`{"_embedded":{"interactions":[]},"_links":{}}`))
		}
	}))
	t.Cleanup(srv.Close)
	if secret == "" {
		secret = good
	}
	src, err := talkdesk.New(talkdesk.Config{Name: "td", BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token",
		ClientID: "td-client", Secret: secret, Now: func() time.Time { return fixedNow }, HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return Tab{Name: "td", Kind: talkdesk.Kind, Source: src, Query: client.Query{Filter: "since:1d"}}
}

// listText is the list column's text of a frame, its wrapped lines joined by spaces.
func listText(frame string) string {
	var parts []string
	for _, line := range strings.Split(ansi.Strip(frame), "\n") {
		left, _, _ := strings.Cut(line, "│")
		if f := strings.TrimSpace(left); f != "" {
			parts = append(parts, f)
		}
	}
	return strings.Join(parts, " ")
}

// TestErrorPaneBadCredentialsOrNotPermitted: the error pane says what the token endpoint
// said (its error_description, with the secret it echoed redacted) for bad credentials, and
// "not permitted" with the scope Talkdesk documents for a 403.
func TestErrorPaneBadCredentialsOrNotPermitted(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		forbid bool
		want   []string
		lacks  []string
	}{
		{"bad credentials", "td-wrong-secret-9999", false,
			[]string{"credentials refused (HTTP 401 invalid_client)", "Client authentication failed for secret ***", "confab auth login td"},
			[]string{"td-wrong-secret-9999", "not permitted"}},
		{"not permitted", "", true,
			[]string{"not permitted (HTTP 403 1003)", "lacks a permission", "scope interactions-public:read"},
			[]string{"credentials refused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := start(t, newTestApp(t, testDeps(vendorTalkdeskTab(t, tc.secret, tc.forbid))))
			requireView(t, listText(content(a)), append([]string{"Could not load conversations"}, tc.want...), tc.lacks)
		})
	}
}
