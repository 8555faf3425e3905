package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRateLimitWithoutRetryAfter: a 429 without Retry-After (none of the vendors documents the
// header) is waited out within the rate-limit budget, not given up after MaxRetries: eight
// 429s in a row and then a 200 succeed, where the old policy gave up after five attempts.
func TestRateLimitWithoutRetryAfter(t *testing.T) {
	hs := make([]http.HandlerFunc, 0, 9)
	for range 8 {
		hs = append(hs, status(429, `{"code":"RESOURCE_EXHAUSTED","message":"slow down"}`))
	}
	hs = append(hs, okJSON)
	srv, n := scripted(t, hs...)
	o := fastOpts() // MaxRetries 3: 429s do not count against it
	o.RateLimitWait = 10 * time.Second
	h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
	var mu sync.Mutex
	var waits []time.Duration
	ctx := WithRetryNotify(context.Background(), func(ev RetryEvent) {
		mu.Lock()
		waits = append(waits, ev.Wait)
		mu.Unlock()
	})
	var v struct{ Value []int }
	if err := h.GetJSON(ctx, srv.URL+"/x", &v); err != nil {
		t.Fatalf("GetJSON: %v", err)
	}
	if len(v.Value) != 3 || n.Load() != 9 {
		t.Fatalf("got %v after %d requests, want [1 2 3] after 9", v.Value, n.Load())
	}
	if len(waits) != 8 {
		t.Fatalf("%d retries notified, want 8 (each with its countdown)", len(waits))
	}
	// Exponential: each wait is in [d/2, d) of first·2ⁿ, so the last is well above the first.
	for i, w := range waits {
		d := o.RateLimitBackoff << i
		if w < d/2 || w > d {
			t.Errorf("wait %d = %s, want within [%s, %s]", i, w, d/2, d)
		}
	}
}

// TestRateLimitBudget: when the 429s do not stop, confab waits exactly its budget, in growing
// steps, then gives up with an error that says how long it waited; a budget of zero retries
// (MaxRetries -1) does not wait at all.
func TestRateLimitBudget(t *testing.T) {
	tests := []struct {
		name       string
		maxRetries int
		budget     time.Duration
		wantWaited time.Duration
		wantMsg    string
	}{
		{"waits its budget", 0, 300 * time.Millisecond, 300 * time.Millisecond, "gave up after"},
		{"retries off", -1, time.Minute, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, status(429, `{}`))
			o := fastOpts()
			o.MaxRetries = tt.maxRetries
			o.RateLimitWait = tt.budget
			o.RateLimitBackoff = 10 * time.Millisecond
			h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
			var waited time.Duration
			ctx := WithRetryNotify(context.Background(), func(ev RetryEvent) { waited += ev.Wait })
			_, err := h.Get(ctx, srv.URL)
			var ae *APIError
			if !errors.As(err, &ae) || ae.Kind != ErrRateLimited {
				t.Fatalf("got %v, want a rate-limit error", err)
			}
			if waited != tt.wantWaited {
				t.Errorf("waited %s in all, want %s", waited, tt.wantWaited)
			}
			if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("message %q does not say %q", err, tt.wantMsg)
			}
			if tt.maxRetries < 0 && n.Load() != 1 {
				t.Errorf("%d requests with retries off, want 1", n.Load())
			}
		})
	}
}

// TestRateLimitDefaults: the default policy is patient: at least two minutes in all (the
// issue's floor; Moveworks' own script sleeps 60 s per 429), each wait at most a minute, and
// the first few seconds short enough that a brief burst costs little.
func TestRateLimitDefaults(t *testing.T) {
	o := HTTPOptions{}.withDefaults()
	if o.RateLimitWait < 2*time.Minute {
		t.Errorf("default RateLimitWait %s, want at least 2m", o.RateLimitWait)
	}
	if o.RateLimitBackoff != DefaultRateLimitBackoff || o.RateLimitBackoff > 5*time.Second {
		t.Errorf("default RateLimitBackoff %s", o.RateLimitBackoff)
	}
	// The schedule the defaults give: the budget is used up in no more than a dozen waits,
	// none above RateLimitMaxStep, none below half the first step.
	var total time.Duration
	steps := 0
	for n := 0; total < o.RateLimitWait; n++ {
		w := rateBackoff(o.RateLimitBackoff, n)
		if w < o.RateLimitBackoff/2 || w > RateLimitMaxStep {
			t.Fatalf("wait %d = %s outside [%s, %s]", n, w, o.RateLimitBackoff/2, RateLimitMaxStep)
		}
		total += w
		steps++
	}
	if steps > 12 {
		t.Errorf("the default budget takes %d waits: too many requests to a vendor that is limiting", steps)
	}
	// Huge attempt numbers do not overflow into zero or negative waits.
	if w := rateBackoff(o.RateLimitBackoff, 1000); w < RateLimitMaxStep/2 {
		t.Errorf("wait 1000 = %s", w)
	}
}

// TestRateLimitRetryAfterBeyondBudget: a Retry-After longer than what is left of the budget
// is not waited at all: confab reports it at once (the user can press r later).
func TestRateLimitRetryAfterBeyondBudget(t *testing.T) {
	srv, n := scripted(t, status(429, `{}`, "Retry-After", "1"), status(429, `{}`, "Retry-After", "60"))
	o := fastOpts()
	o.RateLimitWait = 5 * time.Second
	h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
	start := time.Now()
	_, err := h.Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrRateLimited) || n.Load() != 2 {
		t.Fatalf("got %v after %d requests, want a rate-limit error after 2", err, n.Load())
	}
	if el := time.Since(start); el > 4*time.Second {
		t.Errorf("took %s: the 60 s Retry-After was waited on", el)
	}
	if !strings.Contains(err.Error(), "retry after 1m0s") {
		t.Errorf("message %q does not give the vendor's wait", err)
	}
}
