package mock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestTokenEndpointErrors: the mock token endpoints refuse as RFC 6749 §5.2 says, with the
// statuses the vendors use: 401 invalid_client (with WWW-Authenticate) for bad credentials,
// 400 invalid_scope for a scope the client does not hold, each with an error_description.
func TestTokenEndpointErrors(t *testing.T) {
	td := NewTalkdesk(Options{Seed: 1, End: testEnd, Days: 1})
	mw := NewMoveworks(Options{Seed: 1, End: testEnd, Days: 1})
	tests := []struct {
		name        string
		h           http.Handler
		path        string
		id, secret  string
		basic       bool
		form        url.Values
		status      int
		code        string
		wwwAuthHead bool
	}{
		{"talkdesk wrong secret", td, TalkdeskTokenPath, td.ClientID, "wrong", true,
			url.Values{"grant_type": {"client_credentials"}}, 401, "invalid_client", true},
		{"talkdesk scope not held", td, TalkdeskTokenPath, td.ClientID, td.ClientSecret, true,
			url.Values{"grant_type": {"client_credentials"}, "scope": {"recordings:read"}}, 400, "invalid_scope", false},
		{"talkdesk wrong grant", td, TalkdeskTokenPath, td.ClientID, td.ClientSecret, true,
			url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type", false},
		{"moveworks wrong secret", mw, MoveworksTokenPath, "", "", false,
			url.Values{"grant_type": {"client_credentials"}, "client_id": {mw.ClientID}, "client_secret": {"wrong"}}, 401, "invalid_client", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+tc.path, strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic {
				req.SetBasicAuth(tc.id, tc.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status || body.Error != tc.code || body.Description == "" {
				t.Errorf("HTTP %d %+v, want %d %s with a description", resp.StatusCode, body, tc.status, tc.code)
			}
			if got := resp.Header.Get("WWW-Authenticate") != ""; got != tc.wwwAuthHead {
				t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
}
