package mock

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
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
		{"latency=50ms-300ms,retry-after=0-1s,retry-after-format=date,drip=0.1,drip-delay=5ms,foreign-next=https://evil.example,foreign-rate=0.5,seed=-3",
			Faults{Latency: 50 * time.Millisecond, LatencyMax: 300 * time.Millisecond, RetryAfterMax: time.Second, RetryAfterDate: true,
				Drip: 0.1, DripDelay: 5 * time.Millisecond, ForeignNext: "https://evil.example", ForeignRate: 0.5, Seed: -3}, ""},
		{"latency=300ms-50ms", Faults{}, "range"},
		{"latency=-5ms", Faults{}, "duration"},
		{"retry-after-format=never", Faults{}, "seconds, date or none"},
		{"429=1,retry-after-format=none", Faults{RateLimit: 1, RetryAfterNone: true}, ""},
		{"drip=NaN", Faults{}, "probability"},
		{"foreign-rate=0.5", Faults{}, "needs foreign-next"},
		{"foreign-next=ftp://127.0.0.1:9", Faults{}, "origin"},
		{"seed=x", Faults{}, "integer"},
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
	m := NewMoveworks(Options{Seed: 1, End: testEnd, Days: 2, PageSize: 10})
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
			if resp.StatusCode != 500 && resp.StatusCode != 502 && resp.StatusCode != 503 {
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

func TestFaultsStringRoundTrip(t *testing.T) {
	for _, spec := range []string{
		"",
		"latency=50ms-300ms,429=0.05,retry-after=0s-1s,5xx=0.05,malformed=0.03,truncate=0.02,drip=0.01,drip-delay=5ms,foreign-next=http://127.0.0.1:9,foreign-rate=0.25,seed=4",
		"latency=20ms,retry-after=2s,retry-after-format=date",
		"429=0.5,retry-after-format=none",
	} {
		f, err := ParseFaults(spec)
		if err != nil {
			t.Fatalf("ParseFaults(%q): %v", spec, err)
		}
		g, err := ParseFaults(f.String())
		if err != nil || g != f {
			t.Errorf("ParseFaults(%q.String() = %q) = %+v, %v; want %+v", spec, f.String(), g, err, f)
		}
	}
}

// TestFaultPlanDeterministic: the same seed gives the same fault sequence, another seed (or
// another fault seed) a different one, and the n-th request's faults do not depend on the
// faults of the requests before it.
func TestFaultPlanDeterministic(t *testing.T) {
	f := Faults{Latency: 10 * time.Millisecond, LatencyMax: 90 * time.Millisecond, RateLimit: 0.1, RetryAfterMax: 2 * time.Second,
		ServerError: 0.1, Malformed: 0.1, Truncate: 0.1, Drip: 0.1, ForeignNext: "http://127.0.0.1:9", ForeignRate: 0.1}
	seq := func(f Faults, seed int64) string {
		var b strings.Builder
		for n := range uint64(400) {
			b.WriteString(f.Plan(seed, n).String())
			b.WriteByte('\n')
		}
		return b.String()
	}
	a := seq(f, 42)
	if b := seq(f, 42); a != b {
		t.Fatal("the same seed gave different fault sequences")
	}
	if seq(f, 43) == a {
		t.Error("seeds 42 and 43 gave the same fault sequence")
	}
	g := f
	g.Seed = 1
	if seq(g, 42) == a {
		t.Error("the fault seed does not vary the sequence")
	}
	// Every kind of fault occurs, at roughly its rate, and latencies stay in range.
	counts := map[string]int{}
	for n := range uint64(4000) {
		fl := f.Plan(42, n)
		if fl.Latency < f.Latency || fl.Latency > f.LatencyMax {
			t.Fatalf("request %d: latency %s outside [%s, %s]", n, fl.Latency, f.Latency, f.LatencyMax)
		}
		if fl.Status == 429 && (fl.RetryAfter < 0 || fl.RetryAfter > 2*time.Second || fl.RetryAfter%time.Second != 0) {
			t.Fatalf("request %d: Retry-After %s", n, fl.RetryAfter)
		}
		for _, k := range strings.Fields(fl.String()) {
			if !strings.HasPrefix(k, "+") && !strings.HasPrefix(k, "retry-after=") {
				counts[k]++
			}
		}
	}
	for _, k := range []string{"429", "500", "502", "503", "malformed", "truncate", "drip", "foreign", "ok"} {
		if counts[k] < 60 {
			t.Errorf("fault %s occurred %d times in 4000 requests", k, counts[k])
		}
	}
	if counts["429"] < 280 || counts["429"] > 520 {
		t.Errorf("429 occurred %d times in 4000 requests at rate 0.1", counts["429"])
	}
}

// TestWrapFollowsPlan: the wrapped handler's n-th GET gets Plan(seed, n), so two servers with
// the same seed answer the same request sequence with the same statuses.
func TestWrapFollowsPlan(t *testing.T) {
	m := NewMoveworks(Options{Seed: 1, End: testEnd, Days: 2})
	f := Faults{RateLimit: 0.2, RetryAfterMax: time.Second, ServerError: 0.2}
	run := func() string {
		srv := httptest.NewServer(f.Wrap(m, 9))
		defer srv.Close()
		var b strings.Builder
		for range 60 {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+MoveworksRecordsPath+"/conversations?$top=1", nil)
			req.Header.Set("Authorization", m.APIKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			b.WriteString(resp.Status + " " + resp.Header.Get("Retry-After") + "\n")
		}
		return b.String()
	}
	a := run()
	if b := run(); a != b {
		t.Fatalf("same seed, same requests, different faults:\n%s\nvs\n%s", a, b)
	}
	var want strings.Builder
	for n := range uint64(60) {
		fl := f.Plan(9, n)
		switch fl.Status {
		case 0:
			want.WriteString("200 OK \n")
		case 429:
			want.WriteString("429 Too Many Requests " + strconv.Itoa(int(fl.RetryAfter/time.Second)) + "\n")
		default:
			want.WriteString(strconv.Itoa(fl.Status) + " " + http.StatusText(fl.Status) + " \n")
		}
	}
	if a != want.String() {
		t.Errorf("statuses do not follow Plan:\n%s\nwant\n%s", a, want.String())
	}
	if !strings.Contains(a, "429") || !strings.Contains(a, "200 OK") {
		t.Errorf("60 requests at 40%% faults gave no mix: %s", a)
	}
}

func TestFaultsBodies(t *testing.T) {
	m := NewMoveworks(Options{Seed: 1, End: testEnd, Days: 2, PageSize: 50})
	tests := []struct {
		name  string
		f     Faults
		check func(t *testing.T, resp *http.Response, body []byte, took time.Duration)
	}{
		{"latency range", Faults{Latency: 30 * time.Millisecond, LatencyMax: 40 * time.Millisecond}, func(t *testing.T, resp *http.Response, _ []byte, took time.Duration) {
			if resp.StatusCode != 200 || took < 30*time.Millisecond {
				t.Fatalf("HTTP %d after %s", resp.StatusCode, took)
			}
		}},
		{"drip", Faults{Drip: 1, DripDelay: 2 * time.Millisecond}, func(t *testing.T, resp *http.Response, body []byte, took time.Duration) {
			if resp.StatusCode != 200 || !json.Valid(body) || took < 31*2*time.Millisecond {
				t.Fatalf("HTTP %d, valid %v, after %s", resp.StatusCode, json.Valid(body), took)
			}
		}},
		{"retry-after date", Faults{RateLimit: 1, RetryAfter: 3 * time.Second, RetryAfterDate: true}, func(t *testing.T, resp *http.Response, _ []byte, _ time.Duration) {
			d, err := http.ParseTime(resp.Header.Get("Retry-After"))
			if resp.StatusCode != 429 || err != nil || time.Until(d) > 4*time.Second {
				t.Fatalf("HTTP %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
		}},
		{"502 is an HTML page", Faults{ServerError: 1, Seed: 5}, func(t *testing.T, resp *http.Response, body []byte, _ time.Duration) {
			if resp.StatusCode < 500 {
				t.Fatalf("HTTP %d", resp.StatusCode)
			}
			if html := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"); html != (resp.StatusCode == 502) {
				t.Fatalf("HTTP %d with Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}},
		{"foreign next on every loopback origin", Faults{ForeignNext: "https://evil.example"}, func(t *testing.T, _ *http.Response, body []byte, _ time.Duration) {
			if strings.Contains(string(body), "127.0.0.1") || !strings.Contains(string(body), `"@odata.nextLink":"https://evil.example/export/v1/records/conversations?`) {
				t.Fatalf("links not rewritten: %.300s", body)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.f.Wrap(m, 1))
			defer srv.Close()
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+MoveworksRecordsPath+"/conversations", nil)
			req.Header.Set("Authorization", m.APIKey)
			start := time.Now()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, resp, body, time.Since(start))
		})
	}
}
