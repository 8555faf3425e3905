package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"golang.org/x/oauth2"
)

// The scope Talkdesk documents for GET /conversations/interactions (APIS.md §2.2).
const vendorScope = "interactions-public:read"

// vendorTokenEndpoint is a client-credentials token endpoint written from the vendors'
// documents (APIS.md §2.3, RFC 6749 §5.2), independently of client/mock: it is as strict as
// the vendor. POST only; a form body with grant_type=client_credentials; the client
// authenticates by HTTP Basic only; a requested scope must be one the client holds.
// Errors are {"error", "error_description"}: 401 invalid_client (with WWW-Authenticate),
// 400 invalid_request, unsupported_grant_type, invalid_grant and invalid_scope.
// A refusal may be overridden by answer (status, content type, body) for one test.
type vendorTokenEndpoint struct {
	id, secret string
	scopes     []string // the scopes the client holds
	answer     func(w http.ResponseWriter) bool
	issued     atomic.Int32
}

func (v *vendorTokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, desc string) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Cache-Control", "no-store")
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
		}
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	if r.Method != http.MethodPost {
		fail(http.StatusBadRequest, "invalid_request", "POST is required")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		fail(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(http.StatusBadRequest, "invalid_request", "malformed body")
		return
	}
	if r.PostForm.Get("client_secret") != "" {
		fail(http.StatusBadRequest, "invalid_request", "client authentication must use HTTP Basic")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		fail(http.StatusBadRequest, "unsupported_grant_type", "grant_type "+gt+" is not supported")
		return
	}
	if v.answer != nil && v.answer(w) {
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != v.id || secret != v.secret {
		fail(http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	for _, sc := range strings.Fields(r.PostForm.Get("scope")) {
		held := false
		for _, h := range v.scopes {
			held = held || h == sc
		}
		if !held {
			fail(http.StatusBadRequest, "invalid_scope", "The requested scope is invalid, unknown, or malformed: "+sc)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	n := v.issued.Add(1)
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "vendor-token-" + string(rune('a'+n)),
		"token_type": "Bearer", "expires_in": 3600, "scope": strings.Join(v.scopes, " ")})
}

func vendorOAuth(t *testing.T, v *vendorTokenEndpoint, secret string, scopes ...string) (*OAuth, *Redactor) {
	t.Helper()
	srv := httptest.NewServer(v)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL + "/oauth/token")
	red := NewRedactor()
	return NewOAuth(OAuthConfig{ClientID: "confab-client", Secret: secret, TokenURL: u, Scopes: scopes,
		AuthStyle: oauth2.AuthStyleInHeader, HTTP: HTTPOptions{Redactor: red}, Hint: "confab auth login td"}), red
}

// TestTokenEndpointRefusals: what the token endpoint said (error_description) is shown, made
// safe; bad credentials (401, invalid_grant) are ErrAuth, a scope or grant the client may not
// have (invalid_scope, unauthorized_client, 403) is ErrForbidden naming the scope.
func TestTokenEndpointRefusals(t *testing.T) {
	const secret = "tD-s3cret-Value-9f8e7d6c5b4a"
	basic := base64.StdEncoding.EncodeToString([]byte("confab-client:" + secret))
	raw := func(status int, ct, body string) func(w http.ResponseWriter) bool {
		return func(w http.ResponseWriter) bool {
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
			return true
		}
	}
	tests := []struct {
		name    string
		secret  string
		scopes  []string // requested; the client holds only vendorScope
		answer  func(w http.ResponseWriter) bool
		kind    error
		status  int
		want    []string // in Error()
		hint    string   // in Hint
		notWant []string
	}{
		{name: "wrong secret: 401 invalid_client", secret: "wrong-secret-value-123", scopes: []string{vendorScope},
			kind: ErrAuth, status: 401,
			want: []string{"HTTP 401 invalid_client", "refused the OAuth client credentials: Client authentication failed",
				"confab auth login td", "scope newly granted to the client (" + vendorScope + ") can take a few minutes"},
			hint: "check the credential"},
		{name: "scope not held: 400 invalid_scope", secret: secret, scopes: []string{vendorScope, "recordings:read"},
			kind: ErrForbidden, status: 400,
			want: []string{"HTTP 400 invalid_scope", "did not permit the request: The requested scope is invalid, unknown, or malformed: recordings:read",
				"the client asked for the scope " + vendorScope + " recordings:read"},
			hint: "give the OAuth client the scope " + vendorScope + " recordings:read", notWant: []string{"check the client id"}},
		{name: "400 invalid_grant is bad credentials", secret: secret, answer: raw(400, "application/json",
			`{"error":"invalid_grant","error_description":"The client credentials are expired or revoked"}`),
			kind: ErrAuth, status: 400, want: []string{"invalid_grant", "expired or revoked"}, hint: "check the credential"},
		{name: "400 unauthorized_client is not permitted", secret: secret, answer: raw(400, "application/json",
			`{"error":"unauthorized_client","error_description":"client_credentials is not allowed for this client"}`),
			kind: ErrForbidden, status: 400, want: []string{"unauthorized_client", "not allowed for this client"}, hint: "lacks a permission"},
		{name: "403 is not permitted", secret: secret, answer: raw(403, "application/json",
			`{"error":"access_denied","error_description":"the account is suspended for API access"}`),
			kind: ErrForbidden, status: 403, want: []string{"suspended for API access"}, hint: "lacks a permission"},
		{name: "JSON error body labelled text/plain", secret: secret, answer: raw(401, "text/plain",
			`{"error":"invalid_client","error_description":"unknown client confab-client"}`),
			kind: ErrAuth, status: 401, want: []string{"invalid_client", "refused the OAuth client credentials: unknown client confab-client"}},
		{name: "form-encoded error body", secret: secret, answer: raw(400, "application/x-www-form-urlencoded",
			`error=invalid_scope&error_description=scope+not+allowed`),
			kind: ErrForbidden, status: 400, want: []string{"invalid_scope", "scope not allowed"}},
		{name: "a description echoing the secret is redacted", secret: secret, answer: raw(401, "application/json",
			`{"error":"invalid_client","error_description":"client_secret `+secret+` does not match; Authorization: Basic `+basic+`"}`),
			kind: ErrAuth, status: 401, want: []string{"client_secret " + Redacted + " does not match"}, notWant: []string{secret, basic, secret[:12]}},
		{name: "a secret across the length limit is still redacted", secret: secret, answer: raw(401, "application/json",
			`{"error":"invalid_client","error_description":"`+strings.Repeat("x", maxDescription-10)+` `+secret+` and more words after it"}`),
			kind: ErrAuth, status: 401, want: []string{"…"}, notWant: []string{secret[:8]}},
		{name: "a multi-line, escape-laden, long description is one short line", secret: secret, answer: raw(401, "application/json",
			`{"error":"invalid_client","error_description":"line one\nline two\r\n\u001b[31mred\u001b[0m `+strings.Repeat("long ", 2000)+`"}`),
			kind: ErrAuth, status: 401, want: []string{"line one line two", "…"}, notWant: []string{"\n", "\x1b", strings.Repeat("long ", 60)}},
		{name: "an empty error body still says who refused", secret: secret, answer: raw(401, "application/json", ``),
			kind: ErrAuth, status: 401, want: []string{"refused the OAuth client credentials (check the client id and secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &vendorTokenEndpoint{id: "confab-client", secret: secret, scopes: []string{vendorScope}, answer: tt.answer}
			o, red := vendorOAuth(t, v, tt.secret, tt.scopes...)
			red.Add(secret) // the invocation knows the real secret too (auth login)
			req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
			err := o.Authorize(context.Background(), req)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("got %v, want kind %v", err, tt.kind)
			}
			if tt.kind == ErrForbidden && errors.Is(err, ErrAuth) || tt.kind == ErrAuth && errors.Is(err, ErrForbidden) {
				t.Fatalf("%v is both bad credentials and not permitted", err)
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != tt.status {
				t.Fatalf("status: %#v, want %d", ae, tt.status)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\nlacks %q", msg, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("error %q\nholds %q", msg, w)
				}
			}
			if strings.ContainsAny(msg, "\n\r\x1b") || !utf8.ValidString(msg) {
				t.Errorf("error is not one clean line: %q", msg)
			}
			if len(ae.Message) > 4*maxDescription+300 {
				t.Errorf("message is %d bytes long", len(ae.Message))
			}
			if ae.Description != "" && !strings.Contains(msg, ae.Description) || strings.Contains(ae.Description, secret[:8]) {
				t.Errorf("Description %q (in %q)", ae.Description, msg)
			}
			if h := Hint(err); !strings.Contains(h, tt.hint) {
				t.Errorf("Hint = %q, want %q", h, tt.hint)
			}
		})
	}
}

// vendorAPI answers GET /conversations/interactions as Talkdesk does for a token: 401 for
// an unknown token, 403 for a known token whose client lacks the scope, else 200.
func vendorAPI(tokens *vendorTokenEndpoint, permitted bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "Bearer vendor-token-") {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"code":"1001","message":"Unauthorized","fields":[]}`))
			return
		}
		if !permitted {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"code":"1003","message":"Forbidden: insufficient scope","fields":[]}`))
			return
		}
		_, _ = w.Write([]byte(`{"_embedded":{"interactions":[]},"_links":{}}`))
	})
}

// TestAPIForbiddenNamesTheScope: a 403 from the API behind a token is "not permitted", not
// "bad credentials", and the hint names the scope the client requests (Talkdesk's documented
// one); a 401 with a token the API does not know stays ErrAuth.
func TestAPIForbiddenNamesTheScope(t *testing.T) {
	tests := []struct {
		name      string
		permitted bool
		badToken  bool
		kind      error
		hint      string
	}{
		{name: "403: scope missing", kind: ErrForbidden, hint: "give the OAuth client the scope " + vendorScope},
		{name: "401: token refused", permitted: true, badToken: true, kind: ErrAuth, hint: "check the credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &vendorTokenEndpoint{id: "confab-client", secret: "s3cret-s3cret", scopes: []string{vendorScope}}
			o, red := vendorOAuth(t, v, "s3cret-s3cret", vendorScope)
			var api http.Handler = vendorAPI(v, tt.permitted)
			if tt.badToken {
				inner := api
				api = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					r.Header.Set("Authorization", "Bearer revoked")
					inner.ServeHTTP(w, r)
				})
			}
			srv := httptest.NewServer(api)
			defer srv.Close()
			origins, err := NewOrigins(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			h := NewHTTP(HTTPOptions{MaxRetries: -1, Redactor: red}, origins, o)
			_, err = h.Get(context.Background(), srv.URL+"/conversations/interactions")
			if !errors.Is(err, tt.kind) || tt.kind == ErrForbidden && errors.Is(err, ErrAuth) {
				t.Fatalf("got %v, want only %v", err, tt.kind)
			}
			if got := Hint(err); !strings.Contains(got, tt.hint) {
				t.Errorf("Hint = %q, want %q", got, tt.hint)
			}
			var ae *APIError
			if tt.kind == ErrForbidden && (!errors.As(err, &ae) || ae.Scope != vendorScope) {
				t.Errorf("Scope of %v = %q", err, ae.Scope)
			}
		})
	}
}
