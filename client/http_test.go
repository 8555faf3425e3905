package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func fastOpts() HTTPOptions {
	return HTTPOptions{Timeout: 2 * time.Second, BaseBackoff: time.Millisecond, MaxWait: time.Second, MaxRetries: 3,
		RateLimitWait: time.Second, RateLimitBackoff: time.Millisecond}
}

func mustOrigins(t *testing.T, entries ...string) Origins {
	t.Helper()
	o, err := NewOrigins(entries...)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestOriginsAllows(t *testing.T) {
	o := mustOrigins(t, "https://api.moveworks.ai/export/v1/records", "http://127.0.0.1:8700", ".talkdesk.com", "extra.example.org")
	tests := []struct {
		url  string
		want bool
	}{
		{"https://api.moveworks.ai/export/v1/records/conversations?$skiptoken=x", true},
		{"https://API.MOVEWORKS.AI:443/x", true},
		{"http://api.moveworks.ai/x", false}, // scheme differs
		{"https://api.moveworks.ai:8443/x", false},
		{"http://127.0.0.1:8700/a", true},
		{"http://127.0.0.1:8701/a", false},
		{"https://conversations.talkdesk.com/interactions?cursor=a==", true},
		{"http://conversations.talkdesk.com/interactions", false}, // suffixes need https
		{"https://eviltalkdesk.com/x", false},
		{"https://talkdesk.com.evil.org/x", false},
		{"https://extra.example.org/x", true},
		{"https://evil.example/x", false},
		{"/relative", false},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		if got := o.Allows(u); got != tt.want {
			t.Errorf("Allows(%s) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestCheckLink(t *testing.T) {
	o := mustOrigins(t, "https://api.moveworks.ai")
	if _, err := o.CheckLink("https://api.moveworks.ai/x?$skiptoken=abc"); err != nil {
		t.Fatalf("allowed link refused: %v", err)
	}
	_, err := o.CheckLink("https://attacker.example:444/steal")
	if !errors.Is(err, ErrForeignHost) || !strings.Contains(err.Error(), "attacker.example:444") {
		t.Fatalf("foreign link: got %v", err)
	}
	if _, err := o.CheckLink("not a url"); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("relative link: got %v", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"12", 12 * time.Second},
		{"-3", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDecodeErrorGeneric(t *testing.T) {
	tests := []struct{ body, code, msg string }{
		{`{"code":"INVALID_ARGUMENT","message":"bad $filter"}`, "INVALID_ARGUMENT", "bad $filter"},
		{`{"error":{"code":"PERMISSION_DENIED","message":"no scope"}}`, "PERMISSION_DENIED", "no scope"},
		{`{"error":"invalid_client","error_description":"bad secret"}`, "invalid_client", "bad secret"},
		{`{"message":"Unauthenticated."}`, "", "Unauthenticated."},
		{`{"code":"1001","message":"window too long","description":"max 7 days"}`, "1001", "window too long"},
		{`oops`, "", "oops"},
	}
	for _, tt := range tests {
		code, msg := DecodeErrorGeneric(400, []byte(tt.body))
		if code != tt.code || msg != tt.msg {
			t.Errorf("%s: got (%q,%q) want (%q,%q)", tt.body, code, msg, tt.code, tt.msg)
		}
	}
}

// scripted serves the given handlers in turn (the last one repeats) and counts requests.
func scripted(t *testing.T, hs ...http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		hs[min(i, len(hs)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func okJSON(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"value":[1,2,3]}`))
}

func status(code int, body string, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func TestGetJSONRetries(t *testing.T) {
	tests := []struct {
		name     string
		script   []http.HandlerFunc
		wantKind error // nil: success
		wantN    int32
		wantWait bool // a retry notification saw a wait
	}{
		{"ok", []http.HandlerFunc{okJSON}, nil, 1, false},
		{"429 then ok honours Retry-After", []http.HandlerFunc{status(429, `{}`, "Retry-After", "0"), okJSON}, nil, 2, true},
		{"5xx then ok", []http.HandlerFunc{status(503, `{"code":"INTERNAL"}`), status(502, ``), okJSON}, nil, 3, true},
		{"5xx forever", []http.HandlerFunc{status(500, `{"code":"INTERNAL","message":"boom"}`)}, ErrUnavailable, 4, true},
		{"malformed JSON retried then ok", []http.HandlerFunc{status(200, `{"value":[1,`), okJSON}, nil, 2, true},
		{"malformed JSON forever", []http.HandlerFunc{status(200, `{"value":`)}, ErrBadResponse, 4, true},
		{"401 not retried", []http.HandlerFunc{status(401, `{"code":"UNAUTHENTICATED"}`)}, ErrAuth, 1, false},
		{"400 not retried", []http.HandlerFunc{status(400, `{"code":"INVALID_ARGUMENT","message":"unknown field"}`)}, ErrBadFilter, 1, false},
		{"404", []http.HandlerFunc{status(404, `{}`)}, ErrNotFound, 1, false},
		{"HTML page", []http.HandlerFunc{status(200, `<html>login</html>`, "Content-Type", "text/html")}, ErrBadResponse, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, tt.script...)
			h := NewHTTP(fastOpts(), mustOrigins(t, srv.URL), nil)
			var retries atomic.Int32
			ctx := WithRetryNotify(context.Background(), func(RetryEvent) { retries.Add(1) })
			var v struct{ Value []int }
			err := h.GetJSON(ctx, srv.URL+"/x?a=1", &v)
			if tt.wantKind == nil && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tt.wantKind != nil && !errors.Is(err, tt.wantKind) {
				t.Fatalf("error %v, want kind %v", err, tt.wantKind)
			}
			if got := n.Load(); got != tt.wantN {
				t.Errorf("requests = %d, want %d", got, tt.wantN)
			}
			if (retries.Load() > 0) != tt.wantWait {
				t.Errorf("retries notified = %d", retries.Load())
			}
			if err != nil && strings.Contains(err.Error(), "a=1") {
				t.Errorf("error leaks the query string: %v", err)
			}
		})
	}
}

func TestRateLimitReportsWait(t *testing.T) {
	srv, _ := scripted(t, status(429, `{"code":"RESOURCE_EXHAUSTED"}`, "Retry-After", "120"))
	h := NewHTTP(fastOpts(), mustOrigins(t, srv.URL), nil)
	_, err := h.Get(context.Background(), srv.URL)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Kind != ErrRateLimited || ae.RetryAfter != 120*time.Second {
		t.Fatalf("got %#v", err)
	}
	if !strings.Contains(err.Error(), "retry after 2m0s") {
		t.Errorf("message %q does not say the wait", err)
	}
	if ae.Attempts != 1 || strings.Contains(err.Error(), "gave up") {
		t.Errorf("a wait over the budget is not a retry: attempts %d, %q", ae.Attempts, err)
	}
}

func TestExhaustedRetriesSaySo(t *testing.T) {
	srv, n := scripted(t, status(503, `{"code":"INTERNAL","message":"boom"}`))
	h := NewHTTP(fastOpts(), mustOrigins(t, srv.URL), nil)
	_, err := h.Get(context.Background(), srv.URL)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Attempts != int(n.Load()) || ae.Attempts != 4 {
		t.Fatalf("attempts = %+v after %d requests", err, n.Load())
	}
	if !strings.HasSuffix(err.Error(), "boom (gave up after 4 attempts)") {
		t.Errorf("message %q does not say confab retried", err)
	}
}

func TestBodyCap(t *testing.T) {
	srv, _ := scripted(t, status(200, `{"value":"`+strings.Repeat("x", 2000)+`"}`))
	o := fastOpts()
	o.MaxBody = 1000
	h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
	_, err := h.Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrBadResponse) || !strings.Contains(err.Error(), "cap") {
		t.Fatalf("got %v", err)
	}
}

func TestTimeout(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	srv, _ := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	o := fastOpts()
	o.Timeout = 50 * time.Millisecond
	o.MaxRetries = -1
	h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
	_, err := h.Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("got %v", err)
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	srv, _ := scripted(t, status(429, `{}`, "Retry-After", "30"))
	o := fastOpts()
	o.RateLimitWait = time.Minute
	h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
	ctx, cancel := context.WithCancel(context.Background())
	ctx = WithRetryNotify(ctx, func(RetryEvent) { cancel() })
	_, err := h.Get(ctx, srv.URL)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestCredentialsOnlyToAllowedOrigins(t *testing.T) {
	var foreignAuth, foreignHits atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		if r.Header.Get("Authorization") != "" {
			foreignAuth.Add(1)
		}
		okJSON(w, r)
	}))
	defer foreign.Close()
	var gotAuth, gotUA atomic.Value
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth.Store(r.Header.Get("Authorization"))
		gotUA.Store(r.Header.Get("User-Agent"))
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, foreign.URL+"/landing", http.StatusFound)
			return
		}
		okJSON(w, r)
	}))
	defer home.Close()
	h := NewHTTP(fastOpts(), mustOrigins(t, home.URL), HeaderAuth("Authorization", "Bearer s3cret"))
	ctx := context.Background()
	if _, err := h.Get(ctx, home.URL+"/ok"); err != nil {
		t.Fatal(err)
	}
	if gotAuth.Load() != "Bearer s3cret" || gotUA.Load() != "confab/"+Version {
		t.Fatalf("home got auth %q UA %q", gotAuth.Load(), gotUA.Load())
	}
	if _, err := h.Get(ctx, foreign.URL+"/x"); !errors.Is(err, ErrForeignHost) {
		t.Fatalf("direct foreign request: %v", err)
	}
	_, err := h.Get(ctx, home.URL+"/redirect")
	if !errors.Is(err, ErrForeignHost) {
		t.Fatalf("redirect off-origin: %v", err)
	}
	if foreignHits.Load() != 0 || foreignAuth.Load() != 0 {
		t.Fatalf("foreign server saw %d requests (%d with credentials)", foreignHits.Load(), foreignAuth.Load())
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Fatal("error leaks the secret")
	}
}

func TestNetworkErrorHint(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there now: connection refused
	o := fastOpts()
	o.MaxRetries = -1
	_, err := NewHTTP(o, mustOrigins(t, addr), nil).Get(context.Background(), addr+"/x")
	if !errors.Is(err, ErrConnect) || errors.Is(err, ErrUnavailable) || !strings.Contains(Hint(err), "check the source's base_url (host and port)") {
		t.Fatalf("error %v, hint %q", err, Hint(err))
	}
	if h := Hint(&APIError{Kind: ErrUnavailable, Status: 503}); h != "retry later" {
		t.Errorf("5xx hint = %q", h)
	}
}

func TestAPIErrorMessages(t *testing.T) {
	e := &APIError{Kind: ErrAuth, Endpoint: "https://h/p", Status: 401, Code: "UNAUTHENTICATED", Message: "bad key"}
	want := "credentials refused (HTTP 401 UNAUTHENTICATED) from https://h/p: bad key"
	if e.Error() != want {
		t.Errorf("got %q want %q", e.Error(), want)
	}
	if !errors.Is(e, ErrAuth) || Hint(e) == "" {
		t.Error("kind or hint missing")
	}
	fe := &FilterError{Msg: `unknown field "plaform"`, Pos: 4}
	if !errors.Is(fe, ErrBadFilter) || fe.Error() != `invalid filter at column 5: unknown field "plaform"` {
		t.Errorf("filter error: %v", fe)
	}
}

// fakeRenewer hands out tok1, tok2, … : a new token after each Invalidate of the current one.
type fakeRenewer struct {
	n           atomic.Int64
	invalidated atomic.Int64
}

func (f *fakeRenewer) Current() string { return "tok" + strconv.FormatInt(f.n.Load()+1, 10) }
func (f *fakeRenewer) Invalidate(tok string) {
	if tok == f.Current() {
		f.n.Add(1)
		f.invalidated.Add(1)
	}
}
func (f *fakeRenewer) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+f.Current())
	return nil
}

func TestRenewerAfter401(t *testing.T) {
	tests := []struct {
		name        string
		accept      string // the one token the server accepts ("" for none)
		status      int    // what it answers otherwise
		wantErr     error
		requests    int64
		invalidated int64
	}{
		{"a refused token is renewed once", "Bearer tok2", http.StatusUnauthorized, nil, 2, 1},
		{"a 401 that persists is ErrAuth", "", http.StatusUnauthorized, ErrAuth, 2, 1},
		{"a 403 renews nothing", "Bearer tok2", http.StatusForbidden, ErrForbidden, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				if r.Header.Get("Authorization") != tc.accept {
					w.WriteHeader(tc.status)
					return
				}
				_, _ = w.Write([]byte(`{}`))
			}))
			defer srv.Close()
			auth := &fakeRenewer{}
			opts := fastOpts()
			opts.MaxRetries = -1 // the renewal is not a retry
			h := NewHTTP(opts, mustOrigins(t, srv.URL), auth)
			_, err := h.Get(context.Background(), srv.URL+"/x")
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if n.Load() != tc.requests || auth.invalidated.Load() != tc.invalidated {
				t.Fatalf("%d requests, %d invalidations; want %d and %d", n.Load(), auth.invalidated.Load(), tc.requests, tc.invalidated)
			}
		})
	}
}
