package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"
)

// tokenServer is a client-credentials token endpoint that accepts id/secret over HTTP Basic.
func tokenServer(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		id, secret, ok := r.BasicAuth()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case status != http.StatusOK:
			w.WriteHeader(status)
			fmt.Fprint(w, `{"error":"server_error"}`)
		case !ok || id != "cid" || secret != "s3cret":
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"bad client"}`)
		default:
			fmt.Fprintf(w, `{"access_token":"tok%d","token_type":"Bearer","expires_in":3600}`, i)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func newTestOAuth(t *testing.T, srv *httptest.Server, secret string) *OAuth {
	t.Helper()
	u, _ := url.Parse(srv.URL + "/oauth/token")
	return NewOAuth(OAuthConfig{ClientID: "cid", Secret: secret, TokenURL: u,
		AuthStyle: oauth2.AuthStyleInHeader, Hint: "confab auth login x"})
}

func TestOAuthFetchesOnceAndRefreshesAfterInvalidate(t *testing.T) {
	srv, n := tokenServer(t, http.StatusOK)
	o := newTestOAuth(t, srv, "s3cret")
	for range 3 {
		req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
		if err := o.Authorize(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get("Authorization"); got != "Bearer tok1" {
			t.Fatalf("Authorization = %q", got)
		}
	}
	if n.Load() != 1 {
		t.Fatalf("%d token requests for three API requests, want 1", n.Load())
	}
	o.Invalidate("some-other-token") // not current: ignored
	if o.Current() != "tok1" {
		t.Fatalf("current = %q", o.Current())
	}
	o.Invalidate("tok1")
	req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
	if err := o.Authorize(context.Background(), req); err != nil || req.Header.Get("Authorization") != "Bearer tok2" {
		t.Fatalf("after invalidate: %v %q", err, req.Header.Get("Authorization"))
	}
}

func TestOAuthErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		secret string
		kind   error
		want   string
	}{
		{"refused", http.StatusOK, "wrong-secret", ErrAuth, "refused the OAuth client credentials: bad client (check the client id and secret: confab auth login x)"},
		{"unavailable", http.StatusServiceUnavailable, "s3cret", ErrUnavailable, "token endpoint is unavailable"},
		{"rate limited", http.StatusTooManyRequests, "s3cret", ErrUnavailable, "token endpoint is unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := tokenServer(t, tt.status)
			o := newTestOAuth(t, srv, tt.secret)
			req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
			err := o.Authorize(context.Background(), req)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want kind %v and %q", err, tt.kind, tt.want)
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Fatalf("error leaks the secret: %v", err)
			}
			if req.Header.Get("Authorization") != "" {
				t.Fatal("a header was set despite the error")
			}
		})
	}
}

func TestOAuthNeverFollowsRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	o := newTestOAuth(t, srv, "s3cret")
	req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
	if err := o.Authorize(context.Background(), req); err == nil {
		t.Fatal("a redirecting token endpoint gave a token")
	}
	if elsewhere.Load() != 0 {
		t.Fatal("the token request followed a redirect")
	}
}

func TestScrubAndEndpointOf(t *testing.T) {
	if got := Scrub("a s3cret b s3cret", "s3cret"); got != "a *** b ***" {
		t.Errorf("Scrub = %q", got)
	}
	if got := Scrub("x", ""); got != "x" {
		t.Errorf("Scrub with no secret = %q", got)
	}
	if got := EndpointOf("https://h.example/p?q=1#f"); got != "https://h.example/p" {
		t.Errorf("EndpointOf = %q", got)
	}
	if got := EndpointOf("%zz"); got != "" {
		t.Errorf("EndpointOf(bad) = %q", got)
	}
}
