package opendialog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/opendialog"
)

// vendorServer is GET /public/api/user-interactions written from OpenDialog's document
// (APIS.md §3, O1) without client/mock, and as strict as the document: a Bearer token;
// from and to required, as "YYYY-MM-DD HH:MM:SS"; only the allowed filters (any other name
// is a 422 in the documented shape); results grouped by user id, each user object echoing
// the request's from/to and filters beside chatbot_user_data (id, name, email). Where the
// document is silent it does what a client must survive: users in no particular order,
// interactions newest first, both bounds inclusive.
type vendorServer struct {
	token    string
	users    []vendorUser
	requests atomic.Int64
}

type vendorUser struct {
	id    string
	data  string            // chatbot_user_data, raw JSON
	attrs map[string]string // what the filters match (LIKE), never sent
	msgs  []time.Time
}

var vendorFilters = []string{"ip_address", "country", "browser_language", "os", "browser", "timezone", "email", "platform", "selected_scenario"}

func (v *vendorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, body string) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
	if r.URL.Path != "/public/api/user-interactions" || r.Method != http.MethodGet {
		reply(http.StatusNotFound, `{"message":"Not Found"}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+v.token {
		reply(http.StatusUnauthorized, `{"message":"Unauthenticated."}`)
		return
	}
	q := r.URL.Query()
	if q.Get("from") == "" || q.Get("to") == "" {
		reply(http.StatusUnprocessableEntity, `{"message":"The given data was invalid.","errors":{"from":["The from field is required."],"to":["The to field is required."]}}`)
		return
	}
	for k := range q {
		if k != "from" && k != "to" && k != "user_id" && !slices.Contains(vendorFilters, k) {
			reply(http.StatusUnprocessableEntity, fmt.Sprintf(`{"message":"The filter '%s' is not allowed.","errors":{"filters.%s":["The filter '%s' is not allowed."]}}`, k, k, k))
			return
		}
	}
	from, err1 := time.Parse("2006-01-02 15:04:05", q.Get("from"))
	to, err2 := time.Parse("2006-01-02 15:04:05", q.Get("to"))
	if err1 != nil || err2 != nil {
		reply(http.StatusBadRequest, `{"message":"Invalid date format. Expected format: YYYY-MM-DD HH:MM:SS"}`)
		return
	}
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
	echo := func(k string) any {
		if x := q.Get(k); x != "" {
			return x
		}
		return nil
	}
	var data []map[string]any
	for i := len(v.users) - 1; i >= 0; i-- { // no documented order of users
		u := v.users[i]
		if id := q.Get("user_id"); id != "" && id != u.id {
			continue
		}
		match := true
		for _, k := range vendorFilters {
			if x := q.Get(k); x != "" && !strings.Contains(strings.ToLower(u.attrs[k]), strings.ToLower(x)) {
				match = false
			}
		}
		var items []any
		for j := len(u.msgs) - 1; j >= 0; j-- { // nor of interactions
			if at := u.msgs[j]; match && !at.Before(from) && !at.After(to) {
				items = append(items, map[string]any{"type": "text", "date": stamp(at), "text": "message at " + stamp(at), "data": nil})
			}
		}
		if len(items) == 0 {
			continue
		}
		obj := map[string]any{"chatbot_user_data": json.RawMessage(u.data), "from": stamp(from), "to": stamp(to),
			"user_id": u.id, "selected_scenario": echo("selected_scenario"), "browser": echo("browser"), "interactions": items}
		for _, k := range vendorFilters {
			if x := q.Get(k); x != "" {
				obj[k] = x
			}
		}
		data = append(data, map[string]any{u.id: obj})
	}
	if data == nil {
		data = []map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"data": data})
	reply(http.StatusOK, string(b))
}

func (v *vendorServer) source(t *testing.T, window time.Duration, now time.Time) *opendialog.Source {
	t.Helper()
	srv := httptest.NewServer(v)
	t.Cleanup(srv.Close)
	s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: srv.URL + "/public/api", Token: v.token, Window: window,
		Now: func() time.Time { return now }, HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDocumentedUserObject: the user objects of APIS.md §3.4's sample (and the legacy and
// partial shapes) name the user by chatbot_user_data's name and e-mail; the filters echoed
// beside it (from, to, user_id, selected_scenario, browser, and any other filter applied)
// are not shown as the user's attributes.
func TestDocumentedUserObject(t *testing.T) {
	at := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name      string
		data      string
		filter    string
		wantName  string
		wantEmail string
		wantLabel string
		wantAttrs map[string]string // further attributes expected
	}{
		{name: "documented sample", data: `{"id":"u-1","name":"Jane Doe","email":"jane@example.com"}`,
			filter:   `selected_scenario=onboarding browser=chrome`,
			wantName: "Jane Doe", wantEmail: "jane@example.com", wantLabel: "Jane Doe <jane@example.com>"},
		{name: "sample with every allowed filter echoed", data: `{"id":"u-1","name":"Jane Doe","email":"jane@example.com"}`,
			filter:   `country=gb os=mac platform=desk timezone=europe browser_language=en ip_address=203 email=jane`,
			wantName: "Jane Doe", wantEmail: "jane@example.com", wantLabel: "Jane Doe <jane@example.com>"},
		{name: "name only", data: `{"id":"u-1","name":"Jane Doe","email":null}`, filter: `browser=chrome`,
			wantName: "Jane Doe", wantLabel: "Jane Doe"},
		{name: "e-mail only", data: `{"id":"u-1","name":"","email":"jane@example.com"}`,
			wantEmail: "jane@example.com", wantLabel: "jane@example.com"},
		{name: "legacy first and last name, custom scenario", data: `{"first_name":"Jane","last_name":"Doe","custom":{"selected_scenario":"sc-7"}}`,
			filter: `selected_scenario=onboarding`, wantName: "Jane Doe", wantLabel: "Jane Doe", wantAttrs: map[string]string{"scenario": "sc-7"}},
		{name: "no user data", data: `null`, filter: `browser=chrome`, wantLabel: "u-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := &vendorServer{token: "od-token", users: []vendorUser{{id: "u-1", data: tc.data, msgs: []time.Time{at, at.Add(time.Minute)},
				attrs: map[string]string{"selected_scenario": "onboarding-v2", "browser": "Chrome 130", "country": "GB", "os": "macOS",
					"platform": "desktop", "timezone": "Europe/London", "browser_language": "en-GB", "ip_address": "203.0.113.9", "email": "jane@example.com"}}}}
			s := v.source(t, 0, at.Add(time.Hour))
			got, _ := listAll(t, s, client.Query{Filter: tc.filter, Since: at.Add(-time.Hour), Until: at.Add(time.Hour)})
			if len(got) != 1 {
				t.Fatalf("%d conversations, want 1", len(got))
			}
			c := got[0]
			if c.Attrs.Value(client.AttrUserName) != tc.wantName || c.Attrs.Value(client.AttrUserEmail) != tc.wantEmail || c.UserLabel() != tc.wantLabel {
				t.Errorf("user %q <%q>, label %q; want %q <%q>, %q", c.Attrs.Value(client.AttrUserName), c.Attrs.Value(client.AttrUserEmail),
					c.UserLabel(), tc.wantName, tc.wantEmail, tc.wantLabel)
			}
			filters, err := opendialog.ParseFilter(tc.filter, at)
			if err != nil {
				t.Fatal(err)
			}
			echoed := map[string]bool{"2024-01-15T09:30:00.000000Z": true, "2024-01-16T00:00:00.000000Z": true, "u-1": true}
			for _, p := range filters.Params {
				echoed[p.Value] = true
			}
			for _, a := range c.Attrs {
				if echoed[a.Value] && !(a.Key == client.AttrUserEmail && a.Value == tc.wantEmail) {
					t.Errorf("attribute %s=%q is a filter the vendor echoed, not the user's", a.Key, a.Value)
				}
				switch a.Key {
				case client.AttrUserName, client.AttrUserEmail, "messages", opendialog.NoteKey:
				default:
					if tc.wantAttrs[a.Key] != a.Value {
						t.Errorf("unexpected attribute %s=%q", a.Key, a.Value)
					}
				}
			}
			for k, want := range tc.wantAttrs {
				if c.Attrs.Value(k) != want {
					t.Errorf("%s = %q, want %q", k, c.Attrs.Value(k), want)
				}
			}
			// The echoed filters stay in the raw record, as the vendor sent them.
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(c.Raw, &raw); err != nil || raw["from"] == nil || raw["chatbot_user_data"] == nil {
				t.Errorf("raw record lost fields: %s (%v)", c.Raw, err)
			}
		})
	}
}

// vendorCorpus is a few days of sessions of a handful of users, with sessions that cross
// midnight and 6-hour boundaries (the edges of the windows the client reads), and the
// sessions as generated: the truth both walks must find.
func vendorCorpus(seed uint64, start time.Time, days int) (users []vendorUser, sessions []string) {
	r := rand.New(rand.NewPCG(seed, 14))
	for i := range 6 {
		u := vendorUser{id: fmt.Sprintf("user-%d", i), data: fmt.Sprintf(`{"id":"user-%d","name":"User %d","email":"u%d@example.com"}`, i, i, i)}
		at := start.Add(time.Duration(r.IntN(3600)) * time.Second)
		end := start.AddDate(0, 0, days)
		for {
			// Some sessions start just before a window edge and run across it.
			if r.IntN(4) == 0 {
				edge := at.Truncate(6 * time.Hour).Add(6 * time.Hour)
				at = edge.Add(-time.Duration(60+r.IntN(600)) * time.Second)
			}
			n := 1 + r.IntN(6)
			first := at.Add(time.Duration(r.IntN(1_000_000)) * time.Microsecond)
			m := first
			var msgs []time.Time
			for range n {
				msgs = append(msgs, m)
				m = m.Add(time.Duration(30+r.IntN(600)) * time.Second)
			}
			if !msgs[len(msgs)-1].Before(end) {
				break
			}
			u.msgs = append(u.msgs, msgs...)
			sessions = append(sessions, opendialog.ID(u.id, first))
			at = msgs[len(msgs)-1].Add(time.Duration(45*60+r.IntN(8*3600)) * time.Second)
		}
		users = append(users, u)
	}
	// At midnight of the second day (an edge of every window length): edge-a's session starts
	// first and runs across it; edge-b's starts later and ends well before it. Oldest first,
	// edge-b must not be listed before edge-a, though it is complete when the first day is read.
	edge := start.AddDate(0, 0, 1)
	a := vendorUser{id: "edge-a", data: `{"id":"edge-a","name":"Edge A","email":null}`}
	for m := edge.Add(-60 * time.Minute); m.Before(edge.Add(15 * time.Minute)); m = m.Add(10 * time.Minute) {
		a.msgs = append(a.msgs, m)
	}
	b := vendorUser{id: "edge-b", data: `{"id":"edge-b","name":"Edge B","email":null}`,
		msgs: []time.Time{edge.Add(-55 * time.Minute), edge.Add(-45 * time.Minute)}}
	users = append(users, a, b)
	sessions = append(sessions, opendialog.ID(a.id, a.msgs[0]), opendialog.ID(b.id, b.msgs[0]))
	return users, sessions
}

// TestBothOrdersWalkTheSameConversations: a range walked oldest first lists exactly the
// conversations of the newest-first walk, in the reverse order, whatever the window length
// (sessions crossing window edges are joined the same way); the ids are the generated
// sessions'.
func TestBothOrdersWalkTheSameConversations(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	users, truth := vendorCorpus(3, start, 3)
	sort.Strings(truth)
	tests := []struct {
		name         string
		window       time.Duration
		since, until time.Time
	}{
		{"one-day windows", 0, start, start.AddDate(0, 0, 3)},
		{"six-hour windows", 6 * time.Hour, start, start.AddDate(0, 0, 3)},
		{"one-hour windows", time.Hour, start, start.AddDate(0, 0, 3)},
		{"unaligned range", 6 * time.Hour, start.Add(-90 * time.Minute), start.AddDate(0, 0, 3).Add(time.Hour)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := &vendorServer{token: "od-token", users: users}
			s := v.source(t, tc.window, tc.until)
			newest, _ := listAll(t, s, client.Query{Since: tc.since, Until: tc.until})
			oldest, _ := listAll(t, s, client.Query{Since: tc.since, Until: tc.until, Order: client.OldestFirst})
			ids := func(cs []client.Conversation) []string {
				out := make([]string, len(cs))
				for i, c := range cs {
					out[i] = c.ID
				}
				return out
			}
			n, o := ids(newest), ids(oldest)
			set := slices.Clone(n)
			sort.Strings(set)
			if !slices.Equal(set, truth) {
				t.Fatalf("newest first: %d conversations, want the %d generated sessions\ngot  %v\nwant %v", len(set), len(truth), set, truth)
			}
			slices.Reverse(o)
			if !slices.Equal(n, o) {
				t.Fatalf("oldest first is not the reverse of newest first:\nnewest %v\noldest reversed %v", n, o)
			}
			for i := 1; i < len(newest); i++ {
				if newest[i].Started.After(newest[i-1].Started) {
					t.Errorf("newest first: %s after %s", newest[i].ID, newest[i-1].ID)
				}
			}
			// Each conversation has the same messages in both walks.
			byID := map[string]client.Conversation{}
			for _, c := range newest {
				byID[c.ID] = c
			}
			for _, c := range oldest {
				if w := byID[c.ID]; !c.Updated.Equal(w.Updated) || msgCount(t, c) != msgCount(t, w) {
					t.Errorf("%s: oldest first ends %s with %d msgs, newest first %s with %d", c.ID, c.Updated, msgCount(t, c), w.Updated, msgCount(t, w))
				}
			}
		})
	}
}

// TestOldestFirstCursorKeepsItsOrder: the order travels in the cursor, so a page after the
// first continues the walk it began even if the query changes; a cursor from a newest-first
// walk continues newest first.
func TestOldestFirstCursorKeepsItsOrder(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	users, _ := vendorCorpus(5, start, 2)
	v := &vendorServer{token: "od-token", users: users}
	s := v.source(t, 6*time.Hour, start.AddDate(0, 0, 2))
	q := client.Query{Since: start, Until: start.AddDate(0, 0, 2), Order: client.OldestFirst}
	p1, err := s.Conversations(context.Background(), q, "")
	if err != nil || p1.Next == "" || len(p1.Conversations) == 0 {
		t.Fatalf("first page: %d, next %q, %v", len(p1.Conversations), p1.Next, err)
	}
	if !strings.HasPrefix(p1.Progress, "2026-11-01 00:00") {
		t.Errorf("oldest first began at %q, want the range's start", p1.Progress)
	}
	q.Order = client.NewestFirst
	p2, err := s.Conversations(context.Background(), q, p1.Next)
	if err != nil || len(p2.Conversations) == 0 {
		t.Fatalf("second page: %d, %v", len(p2.Conversations), err)
	}
	last := p1.Conversations[len(p1.Conversations)-1]
	if p2.Conversations[0].Started.Before(last.Started) {
		t.Errorf("the second page went back: %s after %s", p2.Conversations[0].ID, last.ID)
	}
}

// TestDocumentedErrorBodies: OpenDialog's documented error bodies (APIS.md §3.5) are read
// and shown as the vendor wrote them, with the right kind; a 403 says the token lacks its
// creator's permission.
func TestDocumentedErrorBodies(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		kind   error
		want   string
	}{
		{"422 missing from/to", 422, `{"message":"The given data was invalid.","errors":{"from":["The from field is required."],"to":["The to field is required."]}}`,
			client.ErrBadFilter, "The given data was invalid. (from: The from field is required.; to: The to field is required.)"},
		{"422 errors as single strings", 422, `{"message":"The given data was invalid.","errors":{"from":"The from field is required."}}`,
			client.ErrBadFilter, "The given data was invalid. (from: The from field is required.)"},
		{"400 date format", 400, `{"message":"Invalid date format. Expected format: YYYY-MM-DD HH:MM:SS"}`,
			client.ErrBadFilter, "Invalid date format. Expected format: YYYY-MM-DD HH:MM:SS"},
		{"429 export sibling", 429, `{"message":"Too many export requests. Please try again later."}`,
			client.ErrRateLimited, "Too many export requests. Please try again later."},
		{"500 export sibling", 500, `{"error":"An error occurred while processing your export request."}`,
			client.ErrUnavailable, "An error occurred while processing your export request."},
		{"403 token without permission", 403, `{"message":"This action is unauthorized."}`,
			client.ErrForbidden, "does not permit reading user interactions with it (This action is unauthorized.): a token carries the permissions of the user who created it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: srv.URL + "/public/api", Token: "od-token",
				HTTP: client.HTTPOptions{MaxRetries: -1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Conversations(context.Background(), client.Query{}, "")
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant kind %v and %q", err, tc.kind, tc.want)
			}
			if tc.kind == client.ErrForbidden && errors.Is(err, client.ErrAuth) {
				t.Errorf("a 403 is also ErrAuth: %v", err)
			}
		})
	}
}
