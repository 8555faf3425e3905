package mock

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec    string
		want    Faults
		wantErr string
	}{
		{"", Faults{}, ""},
		{"latency=200ms, 429=0.1,retry-after=2s,5xx=0.05,malformed=0.02,truncate=1,foreign-next=http://127.0.0.1:9/",
			Faults{Latency: 200 * time.Millisecond, RateLimit: 0.1, RetryAfter: 2 * time.Second, ServerError: 0.05, Malformed: 0.02, Truncate: 1, ForeignNext: "http://127.0.0.1:9"}, ""},
		{"429=1.5", Faults{}, "probability"},
		{"latency=fast", Faults{}, "duration"},
		{"explode=1", Faults{}, "unknown fault"},
		{"5xx", Faults{}, "key=value"},
		{"foreign-next=nowhere", Faults{}, "origin"},
	}
	for _, tc := range tests {
		got, err := ParseFaults(tc.spec)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseFaults(%q) error %v, want %q", tc.spec, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseFaults(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
		}
	}
}

func TestFaultsInjected(t *testing.T) {
	m := NewMoveworks(Options{Seed: 1, End: testEnd, Days: 2})
	tests := []struct {
		name  string
		f     Faults
		check func(t *testing.T, resp *http.Response, body []byte, readErr error)
	}{
		{"429", Faults{RateLimit: 1, RetryAfter: 3 * time.Second}, func(t *testing.T, resp *http.Response, _ []byte, _ error) {
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
				t.Fatalf("HTTP %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
		}},
		{"5xx", Faults{ServerError: 1}, func(t *testing.T, resp *http.Response, _ []byte, _ error) {
			if resp.StatusCode != 503 {
				t.Fatalf("HTTP %d", resp.StatusCode)
			}
		}},
		{"malformed", Faults{Malformed: 1}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if resp.StatusCode != 200 || err != nil || strings.HasSuffix(string(body), "}") {
				t.Fatalf("HTTP %d, %v, body ends %q", resp.StatusCode, err, body[len(body)-5:])
			}
		}},
		{"truncate", Faults{Truncate: 1}, func(t *testing.T, resp *http.Response, _ []byte, err error) {
			if resp.StatusCode != 200 || err == nil {
				t.Fatalf("HTTP %d, read error %v; want a cut-off body", resp.StatusCode, err)
			}
		}},
		{"foreign next", Faults{ForeignNext: "http://127.0.0.1:9"}, func(t *testing.T, resp *http.Response, body []byte, _ error) {
			if !strings.Contains(string(body), `"@odata.nextLink":"http://127.0.0.1:9/export/v1/records/conversations?$skiptoken=`) {
				t.Fatalf("body has no foreign next link: %.300s", body)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.f.Wrap(m, 1))
			defer srv.Close()
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+MoveworksRecordsPath+"/conversations", nil)
			req.Header.Set("Authorization", m.APIKey)
			req.Header.Set("Prefer", "odata.maxpagesize=10")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			tc.check(t, resp, body, rerr)
		})
	}
	// Token requests are never faulted.
	srv := httptest.NewServer(Faults{ServerError: 1}.Wrap(m, 1))
	defer srv.Close()
	resp, err := http.Post(srv.URL+MoveworksTokenPath, "application/x-www-form-urlencoded",
		strings.NewReader("grant_type=client_credentials&client_id="+m.ClientID+"&client_secret="+m.ClientSecret))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("token request faulted: %v %v", err, resp.Status)
	}
	resp.Body.Close()
}
