package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// countingTransport counts the requests that reach the network.
type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

func TestConnectFailures(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler()) // its certificate is not trusted
	defer tlsSrv.Close()
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	plainHost := strings.TrimPrefix(plain.URL, "http://")
	tests := []struct {
		name     string
		url      string
		attempts int32
		want     []string // in the message
		hint     string
	}{
		{"DNS is not retried", "https://api.confab-test.invalid/x", 1,
			[]string{"cannot connect to https://api.confab-test.invalid/x", "cannot resolve host api.confab-test.invalid (DNS"}, "does not resolve"},
		{"untrusted certificate is not retried", tlsSrv.URL + "/x", 1,
			[]string{"TLS handshake with 127.0.0.1 failed", "x509: certificate signed by unknown authority"}, "CA certificates"},
		{"https to a plain http port", "https://" + plainHost + "/x", 1,
			[]string{"TLS handshake with 127.0.0.1 failed", "did not answer with TLS"}, "CA certificates"},
		{"refused is retried once", refused + "/x", 2,
			[]string{"connection to " + strings.TrimPrefix(refused, "http://") + " refused", "gave up after 2 attempts"}, "host and port"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ct := &countingTransport{base: http.DefaultTransport}
			opts := fastOpts()
			opts.Transport = ct
			h := NewHTTP(opts, mustOrigins(t, tc.url), nil)
			_, err := h.Get(context.Background(), tc.url)
			if !errors.Is(err, ErrConnect) || errors.Is(err, ErrUnavailable) {
				t.Fatalf("err = %v, want ErrConnect only", err)
			}
			if got := ct.n.Load(); got != tc.attempts {
				t.Errorf("%d attempts, want %d", got, tc.attempts)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "service unavailable") {
				t.Errorf("message %q says service unavailable", msg)
			}
			if h := Hint(err); !strings.Contains(h, tc.hint) {
				t.Errorf("hint %q lacks %q", h, tc.hint)
			}
		})
	}
}

func TestForbiddenIsNotPermitted(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"code":"PERMISSION_DENIED","message":"missing scope"}`))
	}))
	defer srv.Close()
	_, err := NewHTTP(fastOpts(), mustOrigins(t, srv.URL), nil).Get(context.Background(), srv.URL+"/x")
	if !errors.Is(err, ErrForbidden) || errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want ErrForbidden and not ErrAuth", err)
	}
	if !strings.HasPrefix(err.Error(), "not permitted (HTTP 403 PERMISSION_DENIED)") || n.Load() != 1 {
		t.Errorf("err = %v after %d requests", err, n.Load())
	}
	if h := Hint(err); !strings.Contains(h, "scope or role") {
		t.Errorf("hint %q", h)
	}
}

func TestOAuthTokenEndpointDNS(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	tu, _ := url.Parse("https://login.confab-test.invalid/token")
	opts := fastOpts()
	o := NewOAuth(OAuthConfig{ClientID: "cid", Secret: "s3cret-value", TokenURL: tu, HTTP: opts})
	_, err := NewHTTP(opts, mustOrigins(t, srv.URL), o).Get(context.Background(), srv.URL+"/x")
	if !errors.Is(err, ErrConnect) || !strings.Contains(err.Error(), "cannot resolve host login.confab-test.invalid") {
		t.Fatalf("err = %v", err)
	}
}
