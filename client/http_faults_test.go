package client

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// truncated answers 200 with a Content-Length longer than the body, then drops the connection.
func truncated(w http.ResponseWriter, _ *http.Request) {
	body := `{"value":[1,2,3]}`
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body[:7]))
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

// dripping sends a JSON body one byte every 20 ms.
func dripping(w http.ResponseWriter, r *http.Request) {
	body := `{"value":[1,2,3,4,5,6,7,8,9]}`
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	for i := range len(body) {
		_, _ = w.Write([]byte{body[i]})
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

const gatewayPage = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"

// TestGetFaults covers the vendor faults of issue 8: each is retried like a 5xx when it may be
// transient, and otherwise (or once the retries are spent) is a typed error naming the endpoint
// and, when there was one, the status.
func TestGetFaults(t *testing.T) {
	tests := []struct {
		name     string
		script   []http.HandlerFunc
		timeout  time.Duration
		wantKind error // nil: success
		wantN    int32 // requests made
		wantMsg  []string
	}{
		{name: "truncated body retried", script: []http.HandlerFunc{truncated, okJSON}, wantN: 2},
		{name: "truncated body forever", script: []http.HandlerFunc{truncated}, wantKind: ErrBadResponse, wantN: 4,
			wantMsg: []string{"/page", "cut off"}},
		{name: "malformed JSON forever names endpoint and status", script: []http.HandlerFunc{status(200, `{"value":[1,`, "Content-Type", "application/json")},
			wantKind: ErrBadResponse, wantN: 4, wantMsg: []string{"HTTP 200", "/page", "malformed JSON"}},
		{name: "HTML gateway page on 502 retried", script: []http.HandlerFunc{status(502, gatewayPage, "Content-Type", "text/html"), okJSON}, wantN: 2},
		{name: "HTML gateway page forever", script: []http.HandlerFunc{status(502, gatewayPage, "Content-Type", "text/html")},
			wantKind: ErrUnavailable, wantN: 4, wantMsg: []string{"HTTP 502", "/page", "Bad Gateway"}},
		{name: "wrong content type not retried", script: []http.HandlerFunc{status(200, `{"value":[1]}`, "Content-Type", "application/xml")},
			wantKind: ErrBadResponse, wantN: 1, wantMsg: []string{"HTTP 200", "/page", `wrong content type "application/xml"`}},
		{name: "octet stream is a wrong content type", script: []http.HandlerFunc{status(200, `{"value":[1]}`, "Content-Type", "application/octet-stream")},
			wantKind: ErrBadResponse, wantN: 1, wantMsg: []string{"wrong content type"}},
		{name: "vendor JSON type with parameters", script: []http.HandlerFunc{status(200, `{"value":[1]}`, "Content-Type", "application/json;odata.metadata=minimal")}, wantN: 1},
		{name: "problem+json", script: []http.HandlerFunc{status(200, `{"value":[1]}`, "Content-Type", "application/problem+json")}, wantN: 1},
		{name: "slow drip past the timeout", script: []http.HandlerFunc{dripping}, timeout: 100 * time.Millisecond,
			wantKind: ErrUnavailable, wantN: 4, wantMsg: []string{"/page"}},
		{name: "slow drip within the timeout", script: []http.HandlerFunc{dripping}, timeout: 5 * time.Second, wantN: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, tt.script...)
			o := fastOpts()
			if tt.timeout > 0 {
				o.Timeout = tt.timeout
			}
			h := NewHTTP(o, mustOrigins(t, srv.URL), nil)
			var v struct{ Value []int }
			err := h.GetJSON(context.Background(), srv.URL+"/page?token=secret", &v)
			switch {
			case tt.wantKind == nil && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.wantKind != nil && !errors.Is(err, tt.wantKind):
				t.Fatalf("error %v, want kind %v", err, tt.wantKind)
			case tt.wantKind == nil && len(v.Value) == 0:
				t.Fatalf("decoded nothing")
			}
			if got := n.Load(); got != tt.wantN {
				t.Errorf("requests = %d, want %d", got, tt.wantN)
			}
			if err != nil {
				var ae *APIError
				if !errors.As(err, &ae) || ae.Endpoint != srv.URL+"/page" {
					t.Errorf("error %#v does not name the endpoint %s/page", err, srv.URL)
				}
				for _, m := range tt.wantMsg {
					if !strings.Contains(err.Error(), m) {
						t.Errorf("error %q does not contain %q", err, m)
					}
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error leaks the query string: %v", err)
				}
			}
		})
	}
}

func TestJSONContentType(t *testing.T) {
	for ct, want := range map[string]bool{
		"": true, "application/json": true, "application/json; charset=utf-8": true, "Application/JSON": true,
		"application/vnd.api+json": true, "text/plain; charset=utf-8": true, "application/x-ndjson": true,
		"text/html": false, "application/xml": false, "image/png": false, "application/octet-stream": false, "garbage;;=": false,
	} {
		if got := jsonContentType(ct); got != want {
			t.Errorf("jsonContentType(%q) = %v, want %v", ct, got, want)
		}
	}
}
