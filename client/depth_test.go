package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// nested is n '[' then n ']' (the document of n nested arrays), or only the opening half
// when open.
func nested(n int, open bool) string {
	if open {
		return strings.Repeat("[", n)
	}
	return strings.Repeat("[", n) + strings.Repeat("]", n)
}

// nestedObjects is {"a":{"a":…{"a":1}…}} n levels deep.
func nestedObjects(n int) string {
	return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)
}

func TestCheckDepth(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		limit  int
		offset int // of the DepthError; -1: no error
	}{
		{"empty", "", 3, -1},
		{"scalars", `"x" 1 true null`, 3, -1},
		{"at the limit", nested(3, false), 3, -1},
		{"one beyond", nested(4, false), 3, 3},
		{"objects at the limit", nestedObjects(3), 3, -1},
		{"objects beyond", nestedObjects(4), 3, 15},
		{"mixed", `{"v":[{"d":[1]}]}`, 3, 11},
		{"siblings do not add up", `[[1],[2],[3],{"a":1}]`, 2, -1},
		{"brackets in strings do not count", `[["[[[[{{{{"]]`, 2, -1},
		{"escaped quote stays in the string", `[["\"[[[[", "]"]]`, 2, -1},
		{"escaped backslash ends the string", `[["\\", [[1]]]]`, 2, 8},
		{"three backslashes and a quote", `["\\\"[[[" ,[1]]`, 2, -1},
		{"cut short, shallow", `{"value":[[[`, 4, -1},
		{"cut short, deep", `{"value":[[[[`, 4, 12},
		{"unterminated string", `[["[[[[[[`, 2, -1},
		{"stray closers do not lend depth", `]]]]}}[[[`, 2, 8},
		{"NDJSON lines", nested(3, false) + "\n" + nested(3, false), 3, -1},
		{"default limit", nested(MaxDepth, false), 0, -1},
		{"default limit, one beyond", nested(MaxDepth+1, false), 0, MaxDepth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckDepth([]byte(tt.body), tt.limit)
			if tt.offset < 0 {
				if err != nil {
					t.Fatalf("CheckDepth = %v, want nil", err)
				}
				return
			}
			var de *DepthError
			if !errors.As(err, &de) || de.Offset != tt.offset {
				t.Fatalf("CheckDepth = %v, want a DepthError at byte %d", err, tt.offset)
			}
			limit := tt.limit
			if limit <= 0 {
				limit = MaxDepth
			}
			if want := "JSON nested deeper than " + itoa(limit) + " levels at byte " + itoa(tt.offset); err.Error() != want {
				t.Fatalf("message %q, want %q", err, want)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// deepServer answers every request with status and body, counting requests.
func deepServer(t *testing.T, status int, body []byte) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestDeepBodiesRefused: a body nested beyond the limit is an ErrBadResponse naming the
// endpoint and the byte, sent once (not retried), and no decoder sees it.
func TestDeepBodiesRefused(t *testing.T) {
	const levels = 5_000_000
	tests := []struct {
		name   string
		body   string
		offset int
		get    func(h *HTTP, link string) error
	}{
		{"GetDecoded, arrays", `{"value":[{"id":"1","detail":` + nested(levels, false) + `}]}`, 29 + MaxDepth - 3,
			func(h *HTTP, link string) error {
				return h.GetDecoded(context.Background(), link, func([]byte) error { panic("decoded a body nested too deep") })
			}},
		{"GetJSON, objects", `{"data":` + nestedObjects(levels) + `}`, 8 + 5*(MaxDepth-1),
			func(h *HTTP, link string) error {
				var v any
				return h.GetJSON(context.Background(), link, &v)
			}},
		{"cut short", `{"value":[` + nested(levels, true), 10 + MaxDepth - 2,
			func(h *HTTP, link string) error {
				var v any
				return h.GetJSON(context.Background(), link, &v)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := deepServer(t, http.StatusOK, []byte(tt.body))
			// Reading 30 MB must not time out on a loaded machine under -race: a timed-out
			// read is retried, and this test is about the depth check, not the clock.
			opts := fastOpts()
			opts.Timeout = 2 * time.Minute
			h := NewHTTP(opts, mustOrigins(t, srv.URL), nil)
			err := tt.get(h, srv.URL+"/v1/items?secret=1")
			var ae *APIError
			var de *DepthError
			if !errors.Is(err, ErrBadResponse) || !errors.As(err, &ae) || !errors.As(err, &de) {
				t.Fatalf("err = %v, want an ErrBadResponse APIError wrapping a DepthError", err)
			}
			if ae.Endpoint != srv.URL+"/v1/items" || ae.Status != 200 || de.Offset != tt.offset {
				t.Fatalf("endpoint %q status %d offset %d, want %q 200 %d", ae.Endpoint, ae.Status, de.Offset, srv.URL+"/v1/items", tt.offset)
			}
			want := "unreadable response (HTTP 200) from " + srv.URL + "/v1/items: JSON nested deeper than 512 levels at byte " + itoa(tt.offset)
			if err.Error() != want {
				t.Fatalf("message\n%q, want\n%q", err, want)
			}
			if n.Load() != 1 {
				t.Fatalf("%d requests, want 1: a body nested too deep is not retried", n.Load())
			}
			if h := Hint(err); !strings.Contains(h, "report") {
				t.Fatalf("hint %q does not say to report it", h)
			}
		})
	}
}

// TestDeepErrorBodyNotDecoded: an error body nested too deep keeps its status's kind and text
// and never reaches DecodeError.
func TestDeepErrorBodyNotDecoded(t *testing.T) {
	srv, _ := deepServer(t, http.StatusBadRequest, []byte(`{"error":`+nested(100_000, false)+`}`))
	opts := fastOpts()
	opts.DecodeError = func(int, []byte) (string, string) { panic("decoded an error body nested too deep") }
	h := NewHTTP(opts, mustOrigins(t, srv.URL), nil)
	_, err := h.Get(context.Background(), srv.URL+"/x")
	var ae *APIError
	if !errors.Is(err, ErrBadFilter) || !errors.As(err, &ae) || ae.Message != "Bad Request" {
		t.Fatalf("err = %v, want the 400's ErrBadFilter with its status text", err)
	}
}

// TestDeepBodyMemory: refusing a 10 MB body of 5,000,000 levels costs about the body itself
// (it used to take hundreds of MB and then the stack).
func TestDeepBodyMemory(t *testing.T) {
	body := []byte(nested(5_000_000, false))
	srv, _ := deepServer(t, http.StatusOK, body)
	h := NewHTTP(fastOpts(), mustOrigins(t, srv.URL), nil)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := h.GetDecoded(context.Background(), srv.URL+"/x", func([]byte) error { return nil })
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrBadResponse) {
		t.Fatalf("err = %v", err)
	}
	// Reading the body into memory takes up to about 3x its size as the buffer grows; the
	// check itself allocates nothing.
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(5*len(body)); got > limit {
		t.Fatalf("allocated %d MB refusing a %d MB body, want at most %d MB", got>>20, len(body)>>20, limit>>20)
	}
	if allocs := testing.AllocsPerRun(5, func() { _ = CheckDepth(body, 0) }); allocs > 1 {
		t.Fatalf("CheckDepth allocates %.0f times", allocs)
	}
}

// TestDeepTokenResponse: a token response nested too deep never reaches x/oauth2's decoder: a
// 200 is an ErrBadResponse naming the token endpoint, an error status keeps its kind; the
// secret appears nowhere.
func TestDeepTokenResponse(t *testing.T) {
	tests := []struct {
		status int
		kind   error
		text   string
	}{
		{http.StatusOK, ErrBadResponse, "token response: JSON nested deeper than 512 levels at byte 537"},
		{http.StatusUnauthorized, ErrAuth, "refused the OAuth client credentials"},
		{http.StatusServiceUnavailable, ErrUnavailable, "the token endpoint is unavailable"},
	}
	for _, tt := range tests {
		srv, n := deepServer(t, tt.status, []byte(`{"access_token":"tok","x":`+nested(600_000, false)+`}`))
		u, _ := url.Parse(srv.URL + "/oauth/token")
		o := NewOAuth(OAuthConfig{ClientID: "cid", Secret: "s3cret", TokenURL: u, AuthStyle: oauth2.AuthStyleInHeader})
		req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
		err := o.Authorize(context.Background(), req)
		var ae *APIError
		if !errors.Is(err, tt.kind) || !errors.As(err, &ae) || ae.Endpoint != srv.URL+"/oauth/token" || ae.Status != tt.status ||
			!strings.Contains(err.Error(), tt.text) || strings.Contains(err.Error(), "s3cret") || n.Load() != 1 {
			t.Errorf("HTTP %d: err = %v after %d requests, want %v containing %q", tt.status, err, n.Load(), tt.kind, tt.text)
		}
	}
}

// TestTokenResponseReadUnchanged: the depth check hands x/oauth2 the whole body, even one
// longer than its 1 MiB cap, and a shallow token still works.
func TestTokenResponseReadUnchanged(t *testing.T) {
	pad := strings.Repeat(" ", tokenBodyCap)
	srv, _ := deepServer(t, http.StatusOK, []byte(`{"access_token":"tok1","token_type":"Bearer","expires_in":3600,"x":[[[1]]]}`+pad))
	o := newTestOAuth(t, srv, "s3cret")
	req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
	if err := o.Authorize(context.Background(), req); err != nil || req.Header.Get("Authorization") != "Bearer tok1" {
		t.Fatalf("err = %v, Authorization %q", err, req.Header.Get("Authorization"))
	}
}

// FuzzCheckDepth compares CheckDepth with the depth encoding/json's tokenizer sees, on valid
// JSON, and checks it never fails on a body within the limit (valid or not).
func FuzzCheckDepth(f *testing.F) {
	for _, s := range []string{
		"", "1", `"x"`, nested(4, false), nested(5, false), nested(9, true), nestedObjects(5), nestedObjects(6),
		`{"a":"[[[[[[","b":[{"c":"\"]]"}]}`, `["\\",[[[[1]]]]]`, `[[[[["\u005b"]]]]]`, `{"v":[{"d":{"x":[[[[[`,
		`]]]]][[[[[`, "[1]\n[[2]]\n",
	} {
		f.Add([]byte(s))
	}
	const limit = 4
	f.Fuzz(func(t *testing.T, b []byte) {
		err := CheckDepth(b, limit)
		var de *DepthError
		if err != nil && (!errors.As(err, &de) || de.Offset < 0 || de.Offset >= len(b) || (b[de.Offset] != '[' && b[de.Offset] != '{')) {
			t.Fatalf("CheckDepth(%q) = %v: not a DepthError at a bracket", b, err)
		}
		if !json.Valid(b) {
			return
		}
		deepest := 0
		dec := json.NewDecoder(bytes.NewReader(b))
		depth := 0
		for {
			tok, terr := dec.Token()
			if terr == io.EOF {
				break
			}
			if terr != nil {
				t.Fatalf("tokenizing valid JSON %q: %v", b, terr)
			}
			switch tok {
			case json.Delim('['), json.Delim('{'):
				depth++
				deepest = max(deepest, depth)
			case json.Delim(']'), json.Delim('}'):
				depth--
			}
		}
		if (deepest > limit) != (err != nil) {
			t.Fatalf("CheckDepth(%q) = %v, but the JSON nests %d deep (limit %d)", b, err, deepest, limit)
		}
	})
}
