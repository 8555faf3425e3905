package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"
)

func TestRedact(t *testing.T) {
	const key = "sk_live+AbC/123=xyz"
	r := NewRedactor("Bearer " + key)
	r.AddBasic("my id", "cl&secret")
	tests := []struct {
		name, in, want string
	}{
		{"plain", "bad key " + key + "!", "bad key ***!"},
		{"query-escaped", "GET /x?k=" + url.QueryEscape(key), "GET /x?k=***"},
		{"path-escaped", "/keys/" + url.PathEscape(key), "/keys/***"},
		{"JSON-escaped", `{"auth":"` + strings.ReplaceAll(key, "/", `\/`) + `"}`, `{"auth":"***"}`},
		{"client secret in a form body", "client_id=my+id&client_secret=cl%26secret", "client_id=my+id&client_secret=***"},
		{"basic of id:secret", "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("my id:cl&secret")), "Authorization: Basic ***"},
		{"basic of escaped id:secret", "got " + base64.StdEncoding.EncodeToString([]byte("my+id:cl%26secret")), "got ***"},
		{"unknown bearer token", "echo: Bearer eyJhbGciOi.J9.abc", "echo: Bearer ***"},
		{"unknown basic credentials", "basic dXNlcjpwYXNzd29yZA==", "basic ***"},
		{"prose stays", "Bearer authentication is required; Basic auth is off", "Bearer authentication is required; Basic auth is off"},
		{"api_key field", `{"api_key": "zz-top-9"}`, `{"api_key": "***"}`},
		{"access_token field", "access_token=abcdef&x=1", "access_token=***&x=1"},
		{"nothing to hide", "service unavailable (HTTP 503)", "service unavailable (HTTP 503)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRedactShortSecret(t *testing.T) {
	r := NewRedactor("k9")
	tests := []struct{ in, want string }{
		{"key k9 refused", "key *** refused"},
		{"k9", "***"},
		{"(k9)", "(***)"},
		{"ok9 and k90 and sk9x stay", "ok9 and k90 and sk9x stay"},
	}
	for _, tc := range tests {
		if got := r.Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	var none *Redactor
	if got := none.Redact("Bearer abcdefgh12345678"); got != "Bearer ***" {
		t.Errorf("nil Redactor: %q", got)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://h/x?api_key=SECRET", "https://h/x?api_key=***"},
		{"https://u:pw@h/x?a=1&b=2#tok", "https://***@h/x?a=***&b=***#***"},
		{"https://h/x", "https://h/x"},
		{"ht tp://bad url?key=SECRET", "ht tp://bad url***"},
	}
	for _, tc := range tests {
		if got := RedactURL(tc.in); got != tc.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactHandler(t *testing.T) {
	var buf bytes.Buffer
	r := NewRedactor("topsecret")
	log := slog.New(RedactHandler(slog.NewTextHandler(&buf, nil), r)).With("ctx", "topsecret")
	log.Info("got topsecret", "err", errors.New("echo topsecret"), "s", "topsecret",
		slog.Group("g", "x", "topsecret"), "n", 3)
	if strings.Contains(buf.String(), "topsecret") || !strings.Contains(buf.String(), "n=3") {
		t.Fatalf("log line: %s", buf.String())
	}
}

// echoServer answers 401 with everything it was sent: headers, query and form body, as a
// careless vendor might.
func echoServer(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		msg, _ := json.Marshal(fmt.Sprintf("auth %s query %s body %s", r.Header.Get("Authorization"), r.URL.RawQuery, body))
		fmt.Fprintf(w, `{"code":"DENIED","message":%s}`, msg)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAPIErrorNeverEchoesTheSecret(t *testing.T) {
	const key = "k3y/with+odd=chars"
	srv := echoServer(t, http.StatusUnauthorized)
	var logBuf bytes.Buffer
	opts := fastOpts()
	opts.Logger = slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := NewHTTP(opts, mustOrigins(t, srv.URL), HeaderAuth("Authorization", "Bearer "+key))
	_, err := h.Get(context.Background(), srv.URL+"/x")
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{err.Error(), ae.Message, logBuf.String()} {
		if strings.Contains(s, "k3y") {
			t.Errorf("leaks the key: %s", s)
		}
	}
	if !strings.HasPrefix(ae.Message, "auth *** query") {
		t.Errorf("message %q", ae.Message)
	}
}

func TestOAuthErrorsNeverEchoTokensOrSecret(t *testing.T) {
	// The token endpoint grants a token; the API echoes it back in a 500 (retried, then given
	// up) and the retry events and debug log must not show it either.
	var issued atomic.Int32
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"AT-%d-0123456789","token_type":"Bearer","expires_in":3600}`, issued.Add(1))
	}))
	defer tokens.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		// the raw token without its scheme, so only the known value can catch it
		fmt.Fprintf(w, `{"message":"token %s is bad"}`, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	defer api.Close()
	var logBuf bytes.Buffer
	opts := fastOpts()
	opts.Logger = slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tu, _ := url.Parse(tokens.URL + "/token")
	o := NewOAuth(OAuthConfig{ClientID: "cid", Secret: "client-s3cret", TokenURL: tu, AuthStyle: oauth2.AuthStyleInHeader, HTTP: opts})
	h := NewHTTP(opts, mustOrigins(t, api.URL), o)
	var events []string
	ctx := WithRetryNotify(context.Background(), func(ev RetryEvent) { events = append(events, ev.Err.Error()) })
	_, err := h.Get(ctx, api.URL+"/x")
	if !errors.Is(err, ErrUnavailable) || len(events) == 0 {
		t.Fatalf("err = %v, %d retry events", err, len(events))
	}
	for _, s := range append(events, err.Error(), logBuf.String()) {
		if strings.Contains(s, "0123456789") {
			t.Errorf("leaks the access token: %s", s)
		}
	}
}

func TestOAuthTokenEndpointEchoNeverShowsTheSecret(t *testing.T) {
	const secret = "client-s3cret-xyz"
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		srv := echoServer(t, http.StatusBadRequest) // echoes the Basic header or the form body
		tu, _ := url.Parse(srv.URL + "/token")
		opts := fastOpts()
		o := NewOAuth(OAuthConfig{ClientID: "cid", Secret: secret, TokenURL: tu, AuthStyle: style, HTTP: opts})
		h := NewHTTP(opts, mustOrigins(t, srv.URL), o)
		_, err := h.Get(context.Background(), srv.URL+"/x")
		if !errors.Is(err, ErrAuth) {
			t.Fatalf("style %v: err = %v", style, err)
		}
		b64 := base64.StdEncoding.EncodeToString([]byte("cid:" + secret))
		if s := err.Error(); strings.Contains(s, "s3cret") || strings.Contains(s, b64) {
			t.Errorf("style %v leaks the secret: %s", style, s)
		}
	}
}

// TestDataNeverCarriesTheSecret: a vendor that echoes the credential into a successful
// body (plain, JSON-escaped, URL-escaped) hands confab valid JSON with the secret masked;
// text that merely looks like a credential is data and stays.
func TestDataNeverCarriesTheSecret(t *testing.T) {
	const key = `k3y/with+odd="chars`
	jsonKey, _ := json.Marshal(key)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"text":%s,"url":"https://x/?k=%s","note":"password: hunter2"}`, jsonKey, url.QueryEscape(key))
	}))
	defer srv.Close()
	h := NewHTTP(fastOpts(), mustOrigins(t, srv.URL), HeaderAuth("Authorization", key))
	var got struct{ Text, URL, Note string }
	if err := h.GetJSON(context.Background(), srv.URL+"/x", &got); err != nil {
		t.Fatalf("GetJSON: %v", err)
	}
	for _, s := range []string{got.Text, got.URL} {
		if strings.Contains(s, "k3y") || !strings.Contains(s, Redacted) {
			t.Errorf("the body still carries the key: %q", s)
		}
	}
	if got.Note != "password: hunter2" {
		t.Errorf("data that only looks like a credential was changed: %q", got.Note)
	}
	body := []byte(`{"a":"nothing secret"}`)
	if out := NewRedactor(key).ScrubKnown(body); &out[0] != &body[0] {
		t.Error("a body without a secret was copied")
	}
}
