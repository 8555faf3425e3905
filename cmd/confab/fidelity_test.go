package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// TestOpenDialogUserAndOrder: `list` shows an OpenDialog conversation's user by the name and
// e-mail of chatbot_user_data, `--order oldest` lists the same conversations as the default
// in the reverse order, and `export` names the user.
func TestOpenDialogUserAndOrder(t *testing.T) {
	h := odHarness(t)
	span := []string{"--config", h.config, "list", "od", "--since", "2026-10-31T00:00:00Z", "--until", "2026-11-02T00:00:00Z"}
	r := h.run(append(span, "--format", "ndjson")...)
	r.want(t, 0)
	newest := decodeNDJSON(t, r.stdout)
	r = h.run(append(span, "--format", "ndjson", "--order", "oldest")...)
	r.want(t, 0)
	oldest := decodeNDJSON(t, r.stdout)
	ids := func(cs []client.Conversation) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	n, o := ids(newest), ids(oldest)
	slices.Reverse(o)
	if len(n) < 10 || !slices.Equal(n, o) {
		t.Fatalf("--order oldest is not the reverse of the default (%d and %d conversations)", len(n), len(o))
	}
	named := 0
	for _, c := range newest {
		if c.Attrs.Value(client.AttrUserName) != "" {
			named++
		}
		for _, k := range []string{"scenario", "country", "browser", "os", "platform", "language"} {
			if v := c.Attrs.Value(k); v != "" {
				t.Errorf("%s: %s=%q is not user data the vendor sends", c.ID, k, v)
			}
		}
	}
	if named != len(newest) {
		t.Errorf("%d of %d conversations name their user", named, len(newest))
	}

	// The table's USER column is the user's name and e-mail, not the bare id.
	r = h.run(append(span, "--limit", "5")...)
	r.want(t, 0)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 6 || !strings.Contains(lines[0], "USER") {
		t.Fatalf("table:\n%s", r.stdout)
	}
	for i, c := range newest[:5] {
		label := c.UserLabel()
		if len(label) > 20 {
			label = label[:20]
		}
		if label == c.UserID || !strings.Contains(lines[i+1], label) {
			t.Errorf("row %d does not show the user %q:\n%s", i+1, c.UserLabel(), lines[i+1])
		}
	}

	// The export names the user.
	c := newest[0]
	r = h.run("--config", h.config, "export", "od", c.ID, "--format", "text")
	r.want(t, 0)
	if !strings.Contains(r.stdout, client.AttrUserName+": "+c.Attrs.Value(client.AttrUserName)) {
		t.Errorf("export text does not name the user %q:\n%s", c.Attrs.Value(client.AttrUserName), r.stdout)
	}

	h.run(append(span, "--order", "sideways")...).want(t, exitUsage, `unknown --order "sideways"`, "newest or oldest")
}

// talkdeskVendor is a Talkdesk token endpoint and interactions API written from APIS.md §2
// (not client/mock): HTTP Basic client authentication, RFC 6749 §5.2 errors (401
// invalid_client, 400 invalid_scope for a scope other than interactions-public:read), and an
// API that answers 403 when forbid is set (the client lacks the scope or role).
func talkdeskVendor(t *testing.T, secret, describe string, forbid bool) *httptest.Server {
	t.Helper()
	oauthErr := func(w http.ResponseWriter, status int, code, desc string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/oauth/token" && r.Method == http.MethodPost:
			_ = r.ParseForm()
			id, s, ok := r.BasicAuth()
			if !ok || id != "td-client" || s != secret {
				oauthErr(w, http.StatusUnauthorized, "invalid_client", describe)
				return
			}
			if sc := r.PostForm.Get("scope"); sc != "" && sc != "interactions-public:read" {
				oauthErr(w, http.StatusBadRequest, "invalid_scope", "scope "+sc+" is not allowed for this client")
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"td-access-token-1234567890","token_type":"Bearer","expires_in":3600,"scope":"interactions-public:read"}`)
		case r.URL.Path == "/conversations/interactions":
			w.Header().Set("Content-Type", "application/json")
			if r.Header.Get("Authorization") != "Bearer td-access-token-1234567890" {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"code":"1001","message":"Unauthorized","fields":[]}`)
				return
			}
			if forbid {
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"code":"1003","message":"Forbidden","fields":[]}`)
				return
			}
			fmt.Fprint(w, `{"_embedded":{"interactions":[]},"_links":{}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestAuthBadCredentialsOrNotPermitted: `auth login` and `auth status --check` tell a
// credential the vendor refuses (401: bad credentials, with the token endpoint's
// error_description) from one it accepts but does not permit (403, invalid_scope: not
// permitted, naming the scope Talkdesk documents); a secret the vendor echoes is redacted.
func TestAuthBadCredentialsOrNotPermitted(t *testing.T) {
	const secret = "td-Secret-value-0042"
	tests := []struct {
		name     string
		given    string // the secret typed
		describe string // the token endpoint's error_description for a wrong secret
		scope    string // scope in the config
		forbid   bool
		login    []string // in auth login's stderr
		check    string   // in auth status --check's CHECK column
		notWant  []string
	}{
		{name: "wrong secret", given: "wrong-secret-value", describe: "Client authentication failed",
			login: []string{"refused by td (HTTP 401 invalid_client: Client authentication failed) (bad credentials)", "nothing was stored",
				"if the scope interactions-public:read was just added to the client, wait a few minutes"},
			check: "refused: bad credentials (HTTP 401 invalid_client: Client authentication failed)", notWant: []string{"not permitted"}},
		{name: "the vendor echoes the secret", given: "wrong-secret-value", describe: "bad client_secret wrong-secret-value",
			login: []string{"bad credentials", "bad client_secret ***"}, check: "refused: bad credentials", notWant: []string{"wrong-secret-value"}},
		{name: "403 from the API", given: secret, forbid: true,
			login: []string{"accepted the credential but does not permit reading conversations with it (HTTP 403 1003) (not permitted)",
				"give the OAuth client the scope interactions-public:read (the scope Talkdesk documents for reading interactions)"},
			check: "not permitted (HTTP 403 1003): needs the scope interactions-public:read", notWant: []string{"bad credentials"}},
		{name: "scope refused by the token endpoint", given: secret, scope: "recordings:read",
			login: []string{"(HTTP 400 invalid_scope: scope recordings:read is not allowed for this client) (not permitted)",
				"this source requests recordings:read (scope in the config): request interactions-public:read"},
			check:   "not permitted (HTTP 400 invalid_scope: scope recordings:read is not allowed for this client): needs the scope interactions-public:read (documented for interactions); this source requests recordings:read",
			notWant: []string{"bad credentials"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := authHarness(t)
			srv := talkdeskVendor(t, secret, tc.describe, tc.forbid)
			cfg := fmt.Sprintf("[[source]]\nname = \"td\"\nkind = \"talkdesk\"\nbase_url = %q\ntoken_url = %q\nclient_id = \"td-client\"\n",
				srv.URL, srv.URL+"/oauth/token")
			if tc.scope != "" {
				cfg += fmt.Sprintf("scope = %q\n", tc.scope)
			}
			path := h.writeFile("td.toml", cfg)
			kr := newMemKeyring()
			r := h.runAuth(kr, strings.NewReader(tc.given), "--config", path, "auth", "login", "td")
			r.want(t, exitFailure, tc.login...)
			if _, ok := kr.get("td"); ok {
				t.Error("a refused secret was stored")
			}
			h.env["CONFAB_SECRET_TD"] = tc.given
			s := h.runAuth(kr, nil, "--config", path, "auth", "status", "--check")
			s.want(t, exitFailure)
			if !strings.Contains(s.stdout, tc.check) {
				t.Errorf("auth status --check:\n%s\nwant %q", s.stdout, tc.check)
			}
			for _, w := range tc.notWant {
				if strings.Contains(r.stderr+s.stdout+s.stderr, w) {
					t.Errorf("output holds %q:\n%s%s%s", w, r.stderr, s.stdout, s.stderr)
				}
			}
		})
	}
}
