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

// TestTalkdeskCorpusMessagesAsTheVendorSendsThem: agent messages carry agent_id and only
// sometimes agent_name (then the name is in agents[]); voice messages carry recording_index
// and transcription_type, some calls span two recordings (message_index starting again);
// message_start_at is often absent; some interactions list their messages shuffled.
func TestTalkdeskCorpusMessagesAsTheVendorSendsThem(t *testing.T) {
	m := NewTalkdesk(Options{Seed: 3, End: time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)})
	counts := map[string]int{}
	for _, rec := range m.data().recs {
		var it struct {
			Agents   []map[string]any `json:"agents"`
			Messages []map[string]any `json:"messages"`
		}
		if err := json.Unmarshal(rec.raw, &it); err != nil {
			t.Fatal(err)
		}
		agents := map[any]any{}
		for _, a := range it.Agents {
			agents[a["id"]] = a["name"]
		}
		inOrder, twoRecs := true, false
		prev := [2]float64{-1, -1}
		for _, msg := range it.Messages {
			counts["messages"]++
			if _, ok := msg["message_start_at"]; !ok {
				counts["no message_start_at"]++
			}
			if msg["participant"] == "AGENT" {
				id, ok := msg["agent_id"]
				if !ok {
					t.Fatalf("%s: an agent message without agent_id: %v", rec.id, msg)
				}
				if agents[id] == nil {
					t.Fatalf("%s: agent_id %v is not in agents[] %v", rec.id, id, it.Agents)
				}
				if _, ok := msg["agent_name"]; ok {
					counts["agent_name"]++
				} else {
					counts["name only in agents[]"]++
				}
			}
			if msg["channel"] == "VOICE" {
				ri, ok1 := msg["recording_index"].(float64)
				_, ok2 := msg["transcription_type"].(string)
				if !ok1 || !ok2 {
					t.Fatalf("a voice message without recording_index or transcription_type: %v", msg)
				}
				twoRecs = twoRecs || ri == 1
			} else if _, ok := msg["recording_index"]; ok {
				t.Fatalf("a %v message with a recording_index", msg["channel"])
			}
			k := [2]float64{0, msg["message_index"].(float64)}
			k[0], _ = msg["recording_index"].(float64)
			if k[0] < prev[0] || k[0] == prev[0] && k[1] < prev[1] {
				inOrder = false
			}
			prev = k
		}
		if twoRecs {
			counts["two recordings"]++
		}
		if !inOrder {
			counts["shuffled"]++
		}
	}
	for _, k := range []string{"no message_start_at", "agent_name", "name only in agents[]", "two recordings", "shuffled"} {
		if counts[k] == 0 {
			t.Errorf("no %s in the corpus (%v)", k, counts)
		}
	}
	if counts["no message_start_at"]*3 < counts["messages"] {
		t.Errorf("message_start_at is absent from only %d of %d messages: not often", counts["no message_start_at"], counts["messages"])
	}
}

// TestTalkdeskRateLimitWithoutRetryAfter: with RateLimitEvery, every n-th API request is a
// 429 in Talkdesk's error shape without Retry-After; by default none is.
func TestTalkdeskRateLimitWithoutRetryAfter(t *testing.T) {
	end := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		every int64
		want  []int // statuses of five token-less requests (401 unless rate limited)
	}{
		{0, []int{401, 401, 401, 401, 401}},
		{2, []int{401, 429, 401, 429, 401}},
	}
	for _, tc := range cases {
		m := NewTalkdesk(Options{Seed: 3, End: end})
		m.RateLimitEvery = tc.every
		srv := httptest.NewServer(m)
		for i, want := range tc.want {
			resp, err := http.Get(srv.URL + TalkdeskInteractionsPath)
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				Code    string `json:"code"`
				Message string `json:"message"`
				Fields  []any  `json:"fields"`
			}
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode != want || err != nil || body.Code == "" || body.Message == "" || body.Fields == nil {
				t.Fatalf("every %d, request %d: %d %+v %v, want %d in the documented shape", tc.every, i+1, resp.StatusCode, body, err, want)
			}
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				t.Fatalf("a Retry-After %q", ra)
			}
		}
		srv.Close()
	}
}

// TestTalkdeskFaultBodies: faults injected in front of the Talkdesk mock answer in Talkdesk's
// documented error shape {code, message, description, fields[]} (APIS.md §2.7), not in
// Moveworks' {"code","message"}.
func TestTalkdeskFaultBodies(t *testing.T) {
	m := NewTalkdesk(Options{Seed: 7, End: testEnd, Days: 2})
	for _, f := range []Faults{{RateLimit: 1, RetryAfterNone: true}, {ServerError: 1, Seed: 3}} {
		srv := httptest.NewServer(f.Wrap(m, 1))
		seen := 0
		for range 12 {
			resp, err := http.Get(srv.URL + TalkdeskInteractionsPath)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusBadGateway {
				continue // a gateway's HTML page, whoever the vendor
			}
			var e struct {
				Code, Message, Description *string
				Fields                     *[]any
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Code == nil || e.Message == nil || e.Description == nil || e.Fields == nil {
				t.Fatalf("HTTP %d body %s is not Talkdesk's error shape", resp.StatusCode, body)
			}
			if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "" {
				t.Errorf("a 429 with retry-after=none sent Retry-After %q", resp.Header.Get("Retry-After"))
			}
			seen++
		}
		srv.Close()
		if seen == 0 {
			t.Fatalf("%v: no fault answered", f)
		}
	}
}
