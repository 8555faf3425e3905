package mock

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTalkdeskMock(t *testing.T) {
	end := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	m := NewTalkdesk(Options{Seed: 3, End: end})
	srv := httptest.NewServer(m)
	defer srv.Close()

	token := func(form url.Values, basic bool) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+TalkdeskTokenPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic {
			req.SetBasicAuth(m.ClientID, m.ClientSecret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	if st, _ := token(url.Values{"grant_type": {"client_credentials"}, "client_id": {m.ClientID}, "client_secret": {m.ClientSecret}}, false); st != 401 {
		t.Fatalf("credentials in the body: %d, want 401 (Basic only)", st)
	}
	if st, b := token(url.Values{"grant_type": {"client_credentials"}, "scope": {"other:read"}}, true); st != 400 || b["error"] != "invalid_scope" {
		t.Fatalf("wrong scope: %d %v", st, b)
	}
	st, b := token(url.Values{"grant_type": {"client_credentials"}, "scope": {TalkdeskScope}}, true)
	if st != 200 || b["token_type"] != "Bearer" || b["scope"] != TalkdeskScope {
		t.Fatalf("token: %d %v", st, b)
	}
	tok := b["access_token"].(string)

	get := func(link string, auth bool) (int, map[string]any, string) {
		req, _ := http.NewRequest(http.MethodGet, link, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return resp.StatusCode, body, string(raw)
	}
	stamp := func(t time.Time) string { return url.QueryEscape(t.Format(time.RFC3339Nano)) }
	first := srv.URL + TalkdeskInteractionsPath + "?start_date=" + stamp(end.Add(-7*24*time.Hour)) + "&end_date=" + stamp(end) + "&limit=40"

	cases := []struct {
		name   string
		link   string
		auth   bool
		status int
		field  string // an expected fields[].name
	}{
		{"no token", first, false, 401, ""},
		{"window over seven days", srv.URL + TalkdeskInteractionsPath + "?start_date=" + stamp(end.Add(-8*24*time.Hour)) + "&end_date=" + stamp(end), true, 400, "end_date"},
		{"missing window", srv.URL + TalkdeskInteractionsPath, true, 400, "start_date"},
		{"limit too large", first + "0", true, 400, "limit"},
		{"bad cursor", srv.URL + TalkdeskPagePath + "?cursor=xyz", true, 400, "cursor"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, body, raw := get(tc.link, tc.auth)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %s", st, tc.status, raw)
			}
			if _, ok := body["code"].(string); !ok || body["message"] == nil {
				t.Fatalf("not the documented error shape: %s", raw)
			}
			fields, ok := body["fields"].([]any)
			if !ok {
				t.Fatalf("no fields[]: %s", raw)
			}
			if tc.field != "" && !strings.Contains(raw, `"name":"`+tc.field+`"`) {
				t.Fatalf("fields %v lack %s", fields, tc.field)
			}
		})
	}

	micro := regexp.MustCompile(`"started_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"`)
	link, pages, n := first, 0, 0
	for link != "" {
		st, body, raw := get(link, true)
		if st != 200 {
			t.Fatalf("page %d: %d %s", pages, st, raw)
		}
		pages++
		n += len(body["_embedded"].(map[string]any)["interactions"].([]any))
		if !micro.MatchString(raw) {
			t.Fatalf("no microsecond timestamps: %.200s", raw)
		}
		next, _ := body["_links"].(map[string]any)["next"].(map[string]any)
		link = ""
		if next != nil {
			link = next["href"].(string)
			u, _ := url.Parse(link)
			if !strings.HasPrefix(link, TalkdeskPagingOrigin(srv.URL)+TalkdeskPagePath+"?cursor=") || u.Host == strings.TrimPrefix(srv.URL, "http://") {
				t.Fatalf("next link %s is not on the paging origin", link)
			}
		}
	}
	var w int
	for _, it := range m.Interactions() {
		if !it.Started.Before(end.Add(-7*24*time.Hour)) && it.Started.Before(end) {
			w++
		}
	}
	if n != w || pages != (w+39)/40 {
		t.Fatalf("%d interactions in %d pages, want %d in %d", n, pages, w, (w+39)/40)
	}
	if len(m.EmptyDays()) != 2 {
		t.Fatalf("empty days %v", m.EmptyDays())
	}
	for _, d := range m.EmptyDays() {
		for _, it := range m.Interactions() {
			if !it.Started.Before(d) && it.Started.Before(d.Add(24*time.Hour)) {
				t.Fatalf("interaction %s on the empty day %s", it.ID, d)
			}
		}
	}
}

func TestTalkdeskPagingOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8701": "http://localhost:8701",
		"http://localhost:8701": "http://127.0.0.1:8701",
		"http://[::1]:9":        "http://localhost:9",
	} {
		if got := TalkdeskPagingOrigin(in); got != want {
			t.Errorf("TalkdeskPagingOrigin(%s) = %s, want %s", in, got, want)
		}
	}
}
