package client

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestWithoutRetries: a request under WithoutRetries is sent once and gives up at the first
// 429, 5xx or unreadable body without waiting (no retry is announced, so no timer is armed),
// with the usual typed error: a 429 is still ErrRateLimited with the vendor's Retry-After,
// which is within the budget (the same request without the option would wait it out). The
// same scripts without the option are retried as usual.
func TestWithoutRetries(t *testing.T) {
	tests := []struct {
		name       string
		off        bool
		script     []http.HandlerFunc
		wantKind   error // nil: success
		wantN      int32
		wantEvents int32
		wantAfter  time.Duration // for a 429: the RetryAfter the error keeps
	}{
		{"429 with Retry-After, option", true,
			[]http.HandlerFunc{status(429, `{"code":"RESOURCE_EXHAUSTED"}`, "Retry-After", "30"), okJSON},
			ErrRateLimited, 1, 0, 30 * time.Second},
		{"429 without Retry-After, option", true,
			[]http.HandlerFunc{status(429, `{}`), okJSON}, ErrRateLimited, 1, 0, 0},
		{"503, option", true,
			[]http.HandlerFunc{status(503, `{"code":"INTERNAL"}`), okJSON}, ErrUnavailable, 1, 0, 0},
		{"malformed JSON, option", true,
			[]http.HandlerFunc{status(200, `{"value":[1,`), okJSON}, ErrBadResponse, 1, 0, 0},
		{"429 then ok, no option", false,
			[]http.HandlerFunc{status(429, `{}`, "Retry-After", "0"), okJSON}, nil, 2, 1, 0},
		{"503 then ok, no option", false,
			[]http.HandlerFunc{status(503, `{"code":"INTERNAL"}`), okJSON}, nil, 2, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, tt.script...)
			o := fastOpts()
			o.RateLimitWait = time.Minute // a Retry-After of 30 s is within it
			h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.off {
				// Derived contexts keep the option, as the vendor clients' requests use them.
				ctx, cancel = context.WithCancel(WithoutRetries(ctx))
				defer cancel()
			}
			var events atomic.Int32
			ctx = WithRetryNotify(ctx, func(RetryEvent) {
				events.Add(1)
				if tt.off {
					cancel() // a wait that should not be: fail now, not after the Retry-After
				}
			})
			var v struct{ Value []int }
			err := h.GetJSON(ctx, srv.URL+"/x", &v)
			if got := n.Load(); got != tt.wantN {
				t.Errorf("requests = %d, want %d", got, tt.wantN)
			}
			if got := events.Load(); got != tt.wantEvents {
				t.Errorf("retry waits = %d, want %d", got, tt.wantEvents)
			}
			if tt.wantKind == nil {
				if err != nil || len(v.Value) != 3 {
					t.Fatalf("got %v, %v; want the body after a retry", v.Value, err)
				}
				return
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.Kind != tt.wantKind {
				t.Fatalf("got %v, want an *APIError of kind %v", err, tt.wantKind)
			}
			if ae.RetryAfter != tt.wantAfter {
				t.Errorf("RetryAfter = %s, want %s", ae.RetryAfter, tt.wantAfter)
			}
			if ae.Attempts != 1 {
				t.Errorf("Attempts = %d, want 1 (sent once)", ae.Attempts)
			}
		})
	}
}
