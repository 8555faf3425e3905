package opendialog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/opendialog"
)

var corpusEnd = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

type fixture struct {
	mock     *mock.OpenDialog
	srv      *httptest.Server
	requests atomic.Int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{mock: mock.NewOpenDialog(mock.Options{Seed: 7, End: corpusEnd, Days: 14})}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		f.mock.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) source(t *testing.T, window time.Duration) *opendialog.Source {
	t.Helper()
	s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: f.srv.URL + mock.OpenDialogBasePath, Token: f.mock.Token,
		Window: window, Now: func() time.Time { return corpusEnd.Add(time.Hour) },
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// listAll pages through q and returns every conversation and the number of pages.
func listAll(t *testing.T, s client.Source, q client.Query) ([]client.Conversation, int) {
	t.Helper()
	var out []client.Conversation
	cursor := ""
	for pages := 1; ; pages++ {
		p, err := s.Conversations(context.Background(), q, cursor)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		out = append(out, p.Conversations...)
		if p.Next == "" {
			return out, pages
		}
		if pages > 1000 {
			t.Fatal("paging never ends")
		}
		cursor = p.Next
	}
}

func key(user string, start, end time.Time, n int) string {
	return fmt.Sprintf("%s %s %s %d", user, start.UTC().Format(time.RFC3339Nano), end.UTC().Format(time.RFC3339Nano), n)
}

func msgCount(t *testing.T, c client.Conversation) int {
	t.Helper()
	var raw struct {
		Interactions []json.RawMessage `json:"interactions"`
	}
	if err := json.Unmarshal(c.Raw, &raw); err != nil {
		t.Fatalf("conversation %s: Raw is not valid JSON: %v", c.ID, err)
	}
	return len(raw.Interactions)
}

// compare checks that got are exactly the mock's sessions, newest first.
func compare(t *testing.T, got []client.Conversation, want []mock.OpenDialogSession) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d conversations, the mock holds %d sessions", len(got), len(want))
	}
	wantKeys := map[string]bool{}
	for _, s := range want {
		wantKeys[key(s.UserID, s.Start, s.End, s.Messages)] = true
	}
	seen := map[string]bool{}
	for i, c := range got {
		k := key(c.UserID, c.Started, c.Updated, msgCount(t, c))
		if !wantKeys[k] {
			t.Errorf("conversation %s (%s) is not a session of the mock", c.ID, k)
		}
		if seen[c.ID] {
			t.Errorf("conversation %s listed twice", c.ID)
		}
		seen[c.ID] = true
		if i > 0 && c.Started.After(got[i-1].Started) {
			t.Errorf("conversation %d (%s) is newer than the one before it", i, c.ID)
		}
	}
}

func TestWeekIsTheMocksSessions(t *testing.T) {
	f := newFixture(t)
	since, until := corpusEnd.AddDate(0, 0, -7), corpusEnd
	want := f.mock.Sessions(nil, since, until)
	crossing := 0
	for _, s := range want {
		if !s.Start.Truncate(24 * time.Hour).Equal(s.End.Truncate(24 * time.Hour)) {
			crossing++
		}
	}
	if crossing == 0 || len(want) < 500 {
		t.Fatalf("the corpus has %d sessions in the week, %d across midnight: too few to test", len(want), crossing)
	}
	for _, window := range []time.Duration{0, 6 * time.Hour, time.Hour, 10 * time.Minute} {
		t.Run(fmt.Sprint(window), func(t *testing.T) {
			s := f.source(t, window)
			q := client.Query{Since: since, Until: until}
			if window == 10*time.Minute { // one day is enough at this many requests
				q.Since = until.AddDate(0, 0, -1)
			}
			got, pages := listAll(t, s, q)
			compare(t, got, f.mock.Sessions(nil, q.Since, q.Until))
			if window == 0 && pages != 7 {
				t.Errorf("a week in one-day windows took %d pages, want 7", pages)
			}
		})
	}
}

func TestIDsStableAndExportable(t *testing.T) {
	f := newFixture(t)
	s := f.source(t, 0)
	q := client.Query{Since: corpusEnd.AddDate(0, 0, -3), Until: corpusEnd}
	a, _ := listAll(t, s, q)
	b, _ := listAll(t, s, q)
	if len(a) != len(b) {
		t.Fatalf("two listings differ in length: %d, %d", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Fatalf("id %d differs between calls: %s, %s", i, a[i].ID, b[i].ID)
		}
	}
	// Check a midnight-crossing session, an e-mail user id, and a few others.
	var picks []client.Conversation
	var midnight, email bool
	for i, c := range a {
		switch {
		case !midnight && c.Started.Day() != c.Updated.Day():
			midnight = true
			picks = append(picks, c)
		case !email && strings.Contains(c.UserID, "@"):
			email = true
			picks = append(picks, c)
		case i%97 == 0:
			picks = append(picks, c)
		}
	}
	if !midnight || !email {
		t.Fatalf("no midnight-crossing (%v) or e-mail-user (%v) conversation to check", midnight, email)
	}
	for _, c := range picks {
		if strings.ContainsAny(c.ID, " \t'\"") {
			t.Errorf("id %q does not survive a command line", c.ID)
		}
		user, start, err := opendialog.ParseID(c.ID)
		if err != nil || user != c.UserID || !start.Equal(c.Started) {
			t.Errorf("ParseID(%q) = %q, %v, %v", c.ID, user, start, err)
		}
		got, err := s.Conversation(context.Background(), c.ID)
		if err != nil {
			t.Fatalf("Conversation(%s): %v", c.ID, err)
		}
		if got.ID != c.ID || !got.Updated.Equal(c.Updated) || msgCount(t, got) != msgCount(t, c) || got.Summary != c.Summary {
			t.Errorf("Conversation(%s) = %s %v %d %q, listed %v %d %q", c.ID, got.ID, got.Updated, msgCount(t, got), got.Summary,
				c.Updated, msgCount(t, c), c.Summary)
		}
		before := f.requests.Load()
		items, err := s.Thread(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		if f.requests.Load() != before {
			t.Errorf("Thread of a listed conversation made a request")
		}
		if len(items) != msgCount(t, c) {
			t.Errorf("thread of %s: %d items, want %d", c.ID, len(items), msgCount(t, c))
		}
		for i, it := range items {
			if it.Actor != client.ActorUser || it.ConversationID != c.ID || it.Time.IsZero() {
				t.Errorf("item %d: %+v", i, it)
			}
			if i > 0 && it.Time.Before(items[i-1].Time) {
				t.Errorf("thread of %s is not in time order", c.ID)
			}
		}
		// A bare conversation (just its id, as `confab export` has) looks the thread up.
		items2, err := s.Thread(context.Background(), client.Conversation{ID: c.ID, UserID: c.UserID})
		if err != nil || len(items2) != len(items) {
			t.Errorf("Thread by id: %d items, %v", len(items2), err)
		}
	}
	if _, err := s.Conversation(context.Background(), a[0].UserID+"@2020-01-01T00:00:00.000000Z"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("a made-up id: %v, want ErrNotFound", err)
	}
	if _, err := s.Conversation(context.Background(), "no-at-sign"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("a malformed id: %v, want ErrNotFound", err)
	}
}

func TestConversationMapping(t *testing.T) {
	f := newFixture(t)
	s := f.source(t, 0)
	p, err := s.Conversations(context.Background(), client.Query{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Conversations) == 0 || p.Progress == "" || p.Total != -1 {
		t.Fatalf("first page: %d conversations, progress %q, total %d", len(p.Conversations), p.Progress, p.Total)
	}
	kinds := map[string]bool{}
	for _, c := range p.Conversations {
		for _, k := range []string{client.AttrUserName, "messages", "note"} {
			if c.Attrs.Value(k) == "" {
				t.Errorf("%s has no %s attribute: %v", c.ID, k, c.Attrs)
			}
		}
		// The mock sends the documented chatbot_user_data (id, name, email) and echoes the
		// filters beside it: nothing else describes the user.
		for _, k := range []string{"scenario", "country", "browser", "os", "platform", "language"} {
			if v := c.Attrs.Value(k); v != "" {
				t.Errorf("%s shows %s=%q, which the vendor does not send as user data", c.ID, k, v)
			}
		}
		if c.Attrs.Value(opendialog.NoteKey) != opendialog.Note {
			t.Errorf("note = %q", c.Attrs.Value(opendialog.NoteKey))
		}
		items, err := s.Thread(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			kinds[it.Kind] = true
			switch it.Kind {
			case client.KindButton:
				if it.Attrs.Value("callback_id") == "" || it.Text == "" {
					t.Errorf("button without data shown: %+v", it)
				}
			case client.KindForm:
				if it.Attrs.Value("form_name") == "" || it.Attrs.Value("fields.urgency") == "" {
					t.Errorf("form without its fields: %+v", it.Attrs)
				}
			case client.KindLink:
				if it.Attrs.Value("url") == "" || it.Text == "" {
					t.Errorf("link without url: %+v", it)
				}
			}
		}
	}
	for _, k := range []string{client.KindText, client.KindButton, client.KindForm, client.KindLink, "chat_open"} {
		if !kinds[k] {
			t.Errorf("no %s interaction in a day of traffic (kinds %v)", k, kinds)
		}
	}
}

func TestFiltersCombineWithAND(t *testing.T) {
	f := newFixture(t)
	s := f.source(t, 0)
	since, until := corpusEnd.AddDate(0, 0, -4), corpusEnd
	tests := []struct {
		filter string
		want   map[string]string
	}{
		{`country=us`, map[string]string{"country": "us"}},
		{`country=US browser=chrome`, map[string]string{"country": "US", "browser": "chrome"}},
		{`COUNTRY="united kingdom" platform=desk`, map[string]string{"country": "united kingdom", "platform": "desk"}},
		{`selected_scenario=support email=example.org`, map[string]string{"selected_scenario": "support", "email": "example.org"}},
		{`os=ios browser=firefox`, map[string]string{"os": "ios", "browser": "firefox"}}, // no Firefox on iOS: empty
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			got, _ := listAll(t, s, client.Query{Filter: tc.filter, Since: since, Until: until})
			want := f.mock.Sessions(tc.want, since, until)
			compare(t, got, want)
			// The filter values the vendor echoes in each user object are not the user's
			// attributes (the user's data is only id, name and e-mail).
			for _, c := range got {
				for k, v := range tc.want {
					for _, a := range c.Attrs {
						if a.Value == v && a.Key != client.AttrUserEmail {
							t.Errorf("%s: the echoed filter %s=%s is shown as attribute %s", c.ID, k, v, a.Key)
						}
					}
				}
			}
		})
	}
	all := f.mock.Sessions(nil, since, until)
	us := f.mock.Sessions(map[string]string{"country": "us"}, since, until)
	both := f.mock.Sessions(map[string]string{"country": "us", "browser": "chrome"}, since, until)
	if !(len(all) > len(us) && len(us) > len(both) && len(both) > 0) {
		t.Errorf("the filters do not narrow: all %d, us %d, us+chrome %d", len(all), len(us), len(both))
	}
}

func TestUnknownFilterSendsNothing(t *testing.T) {
	f := newFixture(t)
	s := f.source(t, 0)
	for _, filter := range []string{`country=us page=2`, `invalid_param=x`, `from:7d to:14d`, `country="open`} {
		_, err := s.Conversations(context.Background(), client.Query{Filter: filter}, "")
		var fe *client.FilterError
		if !errors.As(err, &fe) || !errors.Is(err, client.ErrBadFilter) {
			t.Errorf("%s: %v, want a *FilterError", filter, err)
		}
		if err := s.FilterSpec().Validate(filter); err == nil {
			t.Errorf("Validate(%s) passed", filter)
		}
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("%d requests sent for invalid filters", n)
	}
}

func TestServerErrors(t *testing.T) {
	f := newFixture(t)
	get := func(query string, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+mock.OpenDialogPath+"?"+query, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	v := url.Values{"from": {"2026-10-30 00:00:00"}, "to": {"2026-10-31 00:00:00"}}
	tests := []struct {
		name, query, token string
		status             int
		body               string
	}{
		{"missing from and to", "", f.mock.Token, 422,
			`{"errors":{"from":["The from field is required."],"to":["The to field is required."]},"message":"The given data was invalid."}`},
		{"unknown filter", v.Encode() + "&invalid_param=1", f.mock.Token, 422,
			`{"errors":{"filters.invalid_param":["The filter 'invalid_param' is not allowed."]},"message":"The filter 'invalid_param' is not allowed."}`},
		{"bad date", "from=2026-10-30&to=2026-10-31", f.mock.Token, 400,
			`{"message":"Invalid date format. Expected format: YYYY-MM-DD HH:MM:SS"}`},
		{"no token", v.Encode(), "", 401, `{"message":"Unauthenticated."}`},
		{"wrong token", v.Encode(), "nope", 401, `{"message":"Unauthenticated."}`},
		{"inverted range", "from=2026-10-31%2000:00:00&to=2026-10-30%2000:00:00", f.mock.Token, 200, `{"data":[]}`},
		{"empty range", "from=2020-01-01%2000:00:00&to=2020-01-02%2000:00:00", f.mock.Token, 200, `{"data":[]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(tc.query, tc.token)
			if status != tc.status || body != tc.body {
				t.Errorf("got %d %s\nwant %d %s", status, body, tc.status, tc.body)
			}
		})
	}
	// A real answer groups by user: one element per user, one key each, interactions in order.
	status, body := get(v.Encode(), f.mock.Token)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var resp struct {
		Data []map[string]struct {
			UserID       string `json:"user_id"`
			From         string `json:"from"`
			Interactions []struct {
				Date string `json:"date"`
			} `json:"interactions"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || len(resp.Data) < 10 {
		t.Fatalf("%d users, %v", len(resp.Data), err)
	}
	for _, el := range resp.Data {
		if len(el) != 1 {
			t.Errorf("an element holds %d users", len(el))
		}
		for k, u := range el {
			if k != u.UserID || u.From != "2026-10-30T00:00:00.000000Z" {
				t.Errorf("user %q: user_id %q, from %q", k, u.UserID, u.From)
			}
			for i := 1; i < len(u.Interactions); i++ {
				if u.Interactions[i].Date < u.Interactions[i-1].Date || len(u.Interactions[i].Date) != 27 {
					t.Errorf("user %s: interactions out of order or badly stamped: %s", k, u.Interactions[i].Date)
				}
			}
		}
	}
}

func TestClientErrors(t *testing.T) {
	f := newFixture(t)
	t.Run("refused token", func(t *testing.T) {
		s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: f.srv.URL + mock.OpenDialogBasePath, Token: "wrong-token"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Conversations(context.Background(), client.Query{}, "")
		if !errors.Is(err, client.ErrAuth) {
			t.Fatalf("%v, want ErrAuth", err)
		}
		for _, want := range []string{"refused the API token", "Unauthenticated.", "confab auth login od"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%q does not say %q", err, want)
			}
		}
		if strings.Contains(err.Error(), "wrong-token") {
			t.Errorf("the token is in the error: %v", err)
		}
	})
	t.Run("422 shown as sent", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(422)
			_, _ = io.WriteString(w, `{"message":"The filter 'country' is not allowed.","errors":{"filters.country":["The filter 'country' is not allowed."]}}`)
		}))
		defer srv.Close()
		s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: srv.URL, Token: "t"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Conversations(context.Background(), client.Query{Filter: "country=x"}, "")
		if !errors.Is(err, client.ErrBadFilter) || !strings.Contains(err.Error(),
			"The filter 'country' is not allowed. (filters.country: The filter 'country' is not allowed.)") {
			t.Errorf("%v", err)
		}
	})
	t.Run("bad cursor", func(t *testing.T) {
		s := f.source(t, 0)
		for _, c := range []string{"garbage", "od1.!!!", "od1.e30"} {
			if _, err := s.Conversations(context.Background(), client.Query{}, c); err == nil {
				t.Errorf("cursor %q accepted", c)
			}
		}
	})
	t.Run("config", func(t *testing.T) {
		for _, cfg := range []opendialog.Config{
			{Name: "x", Token: "t"},
			{Name: "x", BaseURL: "http://example.com/public/api", Token: "t"},
			{Name: "x", Workspace: "acme"},
			{Name: "x", Workspace: "acme", Token: "t", Window: time.Second},
		} {
			if _, err := opendialog.New(cfg); err == nil {
				t.Errorf("New(%+v) accepted", cfg)
			}
		}
		s, err := opendialog.New(opendialog.Config{Name: "x", Workspace: "acme", Token: "t"})
		if err != nil || s.BaseURL() != "https://acme.cloud.opendialog.ai/public/api" {
			t.Errorf("workspace URL: %v %v", s, err)
		}
	})
	t.Run("empty range sends nothing", func(t *testing.T) {
		before := f.requests.Load()
		s := f.source(t, 0)
		p, err := s.Conversations(context.Background(), client.Query{Since: corpusEnd, Until: corpusEnd.Add(-time.Hour)}, "")
		if err != nil || len(p.Conversations) != 0 || p.Next != "" || f.requests.Load() != before {
			t.Errorf("%+v %v", p, err)
		}
	})
}

// TestBroadRangeIsRefusedBeforeAnyRequest: a range whose one-day windows outnumber the limit
// is refused with a *client.TooBroadError and no request; a raised limit (the source's or the
// query's) or none lets it through, and the aligned windows are counted exactly.
func TestBroadRangeIsRefusedBeforeAnyRequest(t *testing.T) {
	until := corpusEnd.Add(time.Hour) // the clock: windows 11-02 00:00 … 01:00 and older
	tests := []struct {
		name        string
		since       time.Time
		cfgLimit    int
		queryLimit  int
		wantWindows int64 // 0: accepted
		wantLimit   int
	}{
		{"since 1900 by default", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 0, 0, 46327, 400},
		{"since 1900 within a configured limit", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 50000, 0, 0, 0},
		{"since 1900 with no limit in the query", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 0, -1, 0, 0},
		{"the query's limit wins over the source's", corpusEnd.AddDate(0, 0, -10), 50000, 5, 11, 5},
		{"exactly the limit", corpusEnd.AddDate(0, 0, -9).Add(time.Minute), 10, 0, 0, 0},
		{"one window over", corpusEnd.AddDate(0, 0, -10).Add(time.Minute), 10, 0, 11, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: f.srv.URL + mock.OpenDialogBasePath, Token: f.mock.Token,
				MaxWindows: tc.cfgLimit, Now: func() time.Time { return until }, HTTP: client.HTTPOptions{MaxRetries: -1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Conversations(context.Background(), client.Query{Since: tc.since, MaxWindows: tc.queryLimit}, "")
			if tc.wantWindows == 0 {
				if err != nil {
					t.Fatalf("Conversations: %v", err)
				}
				if f.requests.Load() == 0 {
					t.Error("no request was made")
				}
				return
			}
			var tb *client.TooBroadError
			if !errors.As(err, &tb) || !errors.Is(err, client.ErrTooBroad) {
				t.Fatalf("Conversations = %v, want a *client.TooBroadError", err)
			}
			if n := f.requests.Load(); n != 0 {
				t.Errorf("%d requests were made before the refusal", n)
			}
			if tb.Windows != tc.wantWindows || tb.Limit != tc.wantLimit || !tb.Since.Equal(tc.since) || tb.Window != opendialog.DefaultWindow {
				t.Errorf("refused %+v, want %d windows of a day, limit %d, since %s", tb, tc.wantWindows, tc.wantLimit, tc.since)
			}
		})
	}
}

// TestRateLimitWithoutRetryAfterListsEverything: the mock's 429s carry no Retry-After (as
// OpenDialog documents none); the client backs off, and the listing that follows the 429s is
// complete.
func TestRateLimitWithoutRetryAfterListsEverything(t *testing.T) {
	f := newFixture(t)
	f.mock.Throttle = 2
	s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: f.srv.URL + mock.OpenDialogBasePath, Token: f.mock.Token,
		Now: func() time.Time { return corpusEnd }, HTTP: client.HTTPOptions{MaxRetries: 3, BaseBackoff: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	since := corpusEnd.AddDate(0, 0, -2)
	got, _ := listAll(t, s, client.Query{Since: since, Until: corpusEnd})
	compare(t, got, f.mock.Sessions(nil, since, corpusEnd))
	if f.mock.Throttled() != 2 {
		t.Errorf("%d requests were throttled, want 2", f.mock.Throttled())
	}
}
