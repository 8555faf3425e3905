package mock

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// odGet GETs one day of the mock (through h) and returns the status, Retry-After and body.
func odGet(t *testing.T, h http.Handler, token string) (int, string, []byte) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	v := url.Values{"from": {"2026-10-30 00:00:00"}, "to": {"2026-10-31 00:00:00"}}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+OpenDialogPath+"?"+v.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), b
}

// TestOpenDialogUserDataIsTheDocumentedShape: chatbot_user_data holds only id, name and
// email (APIS.md §3.4), for the hostile users too; the browser data the filters match is not
// sent.
func TestOpenDialogUserDataIsTheDocumentedShape(t *testing.T) {
	for _, hostile := range []bool{false, true} {
		m := NewOpenDialog(Options{Seed: 7, End: testEnd, Days: 3, Hostile: hostile})
		srv := httptest.NewServer(m)
		v := url.Values{"from": {testEnd.AddDate(0, 0, -3).Format("2006-01-02 15:04:05")}, "to": {testEnd.Format("2006-01-02 15:04:05")}}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+OpenDialogPath+"?"+v.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+m.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Data []map[string]struct {
				Data map[string]json.RawMessage `json:"chatbot_user_data"`
			} `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		srv.Close()
		if err != nil || len(body.Data) < 10 {
			t.Fatalf("hostile %v: %d users, %v", hostile, len(body.Data), err)
		}
		named := 0
		for _, el := range body.Data {
			for id, u := range el {
				for k := range u.Data {
					if k != "id" && k != "name" && k != "email" {
						t.Errorf("hostile %v: user %q: chatbot_user_data has %q", hostile, id, k)
					}
				}
				if len(u.Data["name"]) > 0 && string(u.Data["name"]) != "null" {
					named++
				}
			}
		}
		if named == 0 {
			t.Errorf("hostile %v: no user has a name", hostile)
		}
	}
}

// TestOpenDialogThrottleSendsNoRetryAfter: Throttle answers that many requests 429 with the
// export sibling's body and no Retry-After (none is documented), then serves again.
func TestOpenDialogThrottleSendsNoRetryAfter(t *testing.T) {
	m := NewOpenDialog(Options{Seed: 7, End: testEnd, Days: 3})
	m.Throttle = 2
	for i, want := range []int{429, 429, 200, 200} {
		status, retryAfter, body := odGet(t, m, m.Token)
		if status != want || retryAfter != "" {
			t.Fatalf("request %d: HTTP %d Retry-After %q, want %d and none", i, status, retryAfter, want)
		}
		if status == 429 && string(body) != `{"message":"Too many export requests. Please try again later."}` {
			t.Errorf("429 body %s", body)
		}
	}
	if m.Throttled() != 2 {
		t.Errorf("Throttled() = %d", m.Throttled())
	}
}

// TestOpenDialogFaultBodies: faults injected in front of the OpenDialog mock answer in
// OpenDialog's error shapes (§3.5), not in Moveworks' {"code","message"}.
func TestOpenDialogFaultBodies(t *testing.T) {
	m := NewOpenDialog(Options{Seed: 7, End: testEnd, Days: 3})
	tests := []struct {
		name   string
		f      Faults
		bodies map[int]string
	}{
		{"429 with Retry-After", Faults{RateLimit: 1, RetryAfter: 2e9}, map[int]string{
			429: `{"message":"Too many export requests. Please try again later."}`}},
		{"5xx", Faults{ServerError: 1, Seed: 3}, map[int]string{
			500: `{"error":"An error occurred while processing your export request."}`,
			503: `{"message":"Service Unavailable"}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.f.Wrap(m, 1)
			seen := 0
			for range 12 {
				status, retryAfter, body := odGet(t, h, m.Token)
				want, ok := tc.bodies[status]
				if status == 502 {
					continue // a gateway's HTML page, whoever the vendor
				}
				if !ok || string(body) != want {
					t.Fatalf("HTTP %d %s", status, body)
				}
				if (status == 429) != (retryAfter == "2") {
					t.Fatalf("HTTP %d Retry-After %q", status, retryAfter)
				}
				seen++
			}
			if seen == 0 {
				t.Fatal("no fault answered in OpenDialog's shape")
			}
		})
	}
}
