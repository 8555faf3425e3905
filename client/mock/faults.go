package mock

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults inject failures into a mock vendor's GET responses (token requests, which are
// POSTs, are never faulted). Probabilities are in [0, 1]; the zero value injects nothing.
type Faults struct {
	Latency     time.Duration // added before every response
	RateLimit   float64       // probability of a 429 with Retry-After
	RetryAfter  time.Duration // Retry-After of an injected 429; default 1 s
	ServerError float64       // probability of a 503
	Malformed   float64       // probability of a complete 200 response whose JSON is cut in half
	Truncate    float64       // probability of a body cut off mid-way (the connection drops)
	// ForeignNext, when set (an origin such as http://127.0.0.1:9), replaces the vendor's own
	// origin in every response body, so paging links point at another host.
	ForeignNext string
}

// IsZero reports whether f injects nothing.
func (f Faults) IsZero() bool { return f == Faults{} }

// ParseFaults reads a fault spec: comma-separated key=value pairs, e.g.
// "latency=200ms,429=0.1,retry-after=2s,5xx=0.05,malformed=0.02,truncate=0.02,foreign-next=http://127.0.0.1:9".
// An empty spec injects nothing.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q: want key=value", part)
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		prob := func(dst *float64) error {
			p, err := strconv.ParseFloat(v, 64)
			if err != nil || p < 0 || p > 1 {
				return fmt.Errorf("fault %s: %q is not a probability between 0 and 1", k, v)
			}
			*dst = p
			return nil
		}
		dur := func(dst *time.Duration) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("fault %s: %q is not a duration like 200ms", k, v)
			}
			*dst = d
			return nil
		}
		var err error
		switch k {
		case "latency":
			err = dur(&f.Latency)
		case "retry-after":
			err = dur(&f.RetryAfter)
		case "429", "rate-limit":
			err = prob(&f.RateLimit)
		case "5xx", "server-error":
			err = prob(&f.ServerError)
		case "malformed":
			err = prob(&f.Malformed)
		case "truncate":
			err = prob(&f.Truncate)
		case "foreign-next":
			u, perr := url.Parse(v)
			if perr != nil || !u.IsAbs() || u.Host == "" {
				err = fmt.Errorf("fault foreign-next: %q is not an origin like http://127.0.0.1:9", v)
			}
			f.ForeignNext = strings.TrimRight(v, "/")
		default:
			err = fmt.Errorf("unknown fault %q (latency, 429, retry-after, 5xx, malformed, truncate, foreign-next)", k)
		}
		if err != nil {
			return Faults{}, err
		}
	}
	return f, nil
}

// Wrap returns h with the faults injected; the random choices follow seed.
func (f Faults) Wrap(h http.Handler, seed int64) http.Handler {
	if f.IsZero() {
		return h
	}
	fi := &faultInjector{f: f, h: h, r: newRand(seed, 77)}
	return fi
}

type faultInjector struct {
	f  Faults
	h  http.Handler
	mu sync.Mutex
	r  *rand.Rand
}

func (fi *faultInjector) roll(p float64) bool {
	if p <= 0 {
		return false
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.r.Float64() < p
}

func (fi *faultInjector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		fi.h.ServeHTTP(w, r)
		return
	}
	f := fi.f
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	switch {
	case fi.roll(f.RateLimit):
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(int((ra+time.Second-1)/time.Second)))
		writeJSON(w, http.StatusTooManyRequests, []byte(`{"code":"RESOURCE_EXHAUSTED","message":"rate limit exceeded (injected fault)"}`))
		return
	case fi.roll(f.ServerError):
		writeJSON(w, http.StatusServiceUnavailable, []byte(`{"code":"UNAVAILABLE","message":"the service is unavailable (injected fault)"}`))
		return
	}
	malformed, truncate := fi.roll(f.Malformed), fi.roll(f.Truncate)
	if !malformed && !truncate && f.ForeignNext == "" {
		fi.h.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	fi.h.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if f.ForeignNext != "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		body = bytes.ReplaceAll(body, []byte(scheme+"://"+r.Host), []byte(f.ForeignNext))
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	if rec.Code == http.StatusOK && len(body) > 1 {
		switch {
		case malformed:
			body = body[:len(body)/2]
		case truncate:
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body[:len(body)/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			panic(http.ErrAbortHandler) // drop the connection mid-body
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}
