package talkdesk_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/talkdesk"
)

// end is the instant the test corpus ends at and the tests' clock.
var end = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)

type fixture struct {
	mock *mock.Talkdesk
	srv  *httptest.Server
	apiN atomic.Int64 // API (non-token) requests
}

// newFixture serves the Talkdesk mock over real HTTP; wrap, when set, sits in front of it.
func newFixture(t *testing.T, wrap func(http.Handler) http.Handler) *fixture {
	t.Helper()
	f := &fixture{mock: mock.NewTalkdesk(mock.Options{Seed: 7, End: end, Days: 28})}
	var h http.Handler = f.mock
	if wrap != nil {
		h = wrap(h)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != mock.TalkdeskTokenPath {
			f.apiN.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) config() talkdesk.Config {
	return talkdesk.Config{
		Name: "td", BaseURL: f.srv.URL, TokenURL: f.srv.URL + mock.TalkdeskTokenPath,
		ClientID: f.mock.ClientID, Secret: f.mock.ClientSecret,
		AllowedHosts: []string{mock.TalkdeskPagingOrigin(f.srv.URL)},
		Now:          func() time.Time { return end },
		HTTP:         client.HTTPOptions{MaxRetries: -1},
	}
}

func (f *fixture) source(t *testing.T, edit func(*talkdesk.Config)) *talkdesk.Source {
	t.Helper()
	cfg := f.config()
	if edit != nil {
		edit(&cfg)
	}
	s, err := talkdesk.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// all pages through q; it returns the rows and the error that stopped it, if any.
func all(t *testing.T, s client.Source, q client.Query) ([]client.Conversation, []client.Page, error) {
	t.Helper()
	var rows []client.Conversation
	var pages []client.Page
	cursor := ""
	for range 10_000 {
		p, err := s.Conversations(context.Background(), q, cursor)
		if err != nil {
			return rows, pages, err
		}
		pages = append(pages, p)
		rows = append(rows, p.Conversations...)
		if p.Next == "" {
			return rows, pages, nil
		}
		cursor = p.Next
	}
	t.Fatal("paging never ends")
	return nil, nil, nil
}

// want is the ids of the corpus in [since, until), newest first.
func want(m *mock.Talkdesk, since, until time.Time) []string {
	var ids []string
	for _, it := range m.Interactions() {
		if !it.Started.Before(since) && it.Started.Before(until) {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

func ids(rows []client.Conversation) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestRangeReturnsEveryInteractionOnceInOrder(t *testing.T) {
	f := newFixture(t, nil)
	since, until := end.Add(-20*24*time.Hour), end
	cases := []struct {
		name     string
		window   time.Duration
		pageSize int
	}{
		{"7-day windows, pages of 10", 0, 10},
		{"7-day windows, server page size", 0, 0},
		{"1-day windows with empty days, pages of 7", 24 * time.Hour, 7},
		{"odd 61-hour windows, pages of 100", 61 * time.Hour, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.mock.TokenRequests()
			s := f.source(t, func(c *talkdesk.Config) { c.Window = tc.window; c.PageSize = tc.pageSize })
			rows, pages, err := all(t, s, client.Query{Since: since, Until: until})
			if err != nil {
				t.Fatal(err)
			}
			w := want(f.mock, since, until)
			if len(w) < 300 {
				t.Fatalf("corpus too small for the test: %d", len(w))
			}
			if got := ids(rows); !slices.Equal(got, w) {
				t.Fatalf("got %d rows, want %d (first difference at %d)", len(got), len(w), firstDiff(got, w))
			}
			if n := f.mock.TokenRequests() - before; n != 1 {
				t.Errorf("token requests = %d over %d pages, want 1", n, len(pages))
			}
			if len(pages) < 3 {
				t.Errorf("only %d pages", len(pages))
			}
			for i, p := range pages[:len(pages)-1] {
				if !regexp.MustCompile(`^\d{4}-\d\d-\d\d( \d\d:\d\d)? … \d{4}-\d\d-\d\d( \d\d:\d\d)?$`).MatchString(p.Progress) {
					t.Fatalf("page %d progress %q", i, p.Progress)
				}
			}
		})
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestWindowEdgesAreExact(t *testing.T) {
	f := newFixture(t, nil)
	items := f.mock.Interactions()
	x := items[len(items)/3] // an interaction well inside the corpus
	cases := []struct {
		name         string
		since, until time.Time
	}{
		{"a window edge on an interaction", x.Started.Add(-20 * 24 * time.Hour), x.Started.Add(7 * 24 * time.Hour)},
		{"the range starts on an interaction", x.Started, x.Started.Add(10 * 24 * time.Hour)},
		{"the range ends on an interaction", x.Started.Add(-10 * 24 * time.Hour), x.Started},
		{"one microsecond around an interaction", x.Started.Add(-time.Microsecond), x.Started.Add(time.Microsecond)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := f.source(t, func(c *talkdesk.Config) { c.PageSize = 13 })
			rows, _, err := all(t, s, client.Query{Since: tc.since, Until: tc.until})
			if err != nil {
				t.Fatal(err)
			}
			w := want(f.mock, tc.since, tc.until)
			if got := ids(rows); !slices.Equal(got, w) {
				t.Fatalf("got %d rows, want %d (first difference at %d)", len(got), len(w), firstDiff(got, w))
			}
			in := !x.Started.Before(tc.since) && x.Started.Before(tc.until)
			if slices.Contains(ids(rows), x.ID) != in {
				t.Fatalf("edge interaction present = %v, want %v", !in, in)
			}
		})
	}
}

func TestEmptyDayAndDefaultWindow(t *testing.T) {
	f := newFixture(t, nil)
	s := f.source(t, nil)
	day := f.mock.EmptyDays()[0]
	rows, pages, err := all(t, s, client.Query{Since: day, Until: day.Add(24 * time.Hour)})
	if err != nil || len(rows) != 0 || len(pages) != 1 {
		t.Fatalf("empty day: %d rows, %d pages, %v", len(rows), len(pages), err)
	}
	rows, _, err = all(t, s, client.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if w := want(f.mock, end.Add(-7*24*time.Hour), end); !slices.Equal(ids(rows), w) {
		t.Fatalf("default window: %d rows, want %d", len(rows), len(w))
	}
	// Nothing before 2023-05-01 is asked for: a range entirely before it is empty at once.
	n := f.apiN.Load()
	rows, _, err = all(t, s, client.Query{Since: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Until: talkdesk.DataStart})
	if err != nil || len(rows) != 0 || f.apiN.Load() != n {
		t.Fatalf("before the data start: %d rows, %d requests, %v", len(rows), f.apiN.Load()-n, err)
	}
}

func TestOldestFirstWalksWindowsForward(t *testing.T) {
	f := newFixture(t, nil)
	s := f.source(t, func(c *talkdesk.Config) { c.PageSize = 50 })
	since, until := end.Add(-15*24*time.Hour), end
	rows, _, err := all(t, s, client.Query{Since: since, Until: until, Order: client.OldestFirst})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(rows)
	w := want(f.mock, since, until)
	slices.Sort(got)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Fatalf("oldest first: %d rows, want %d", len(got), len(w))
	}
	if !rows[0].Started.Before(rows[len(rows)-1].Started) {
		t.Fatal("oldest first: the first window is not the oldest")
	}
}

func TestForeignNextLinkSendsNothingThere(t *testing.T) {
	var hits atomic.Int64
	var auth atomic.Value
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		auth.Store(r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusOK)
	}))
	defer foreign.Close()
	f := newFixture(t, nil)
	f.mock.PagingOrigin = foreign.URL
	s := f.source(t, func(c *talkdesk.Config) { c.PageSize = 10; c.AllowedHosts = nil })
	rows, pages, err := all(t, s, client.Query{})
	if !errors.Is(err, client.ErrForeignHost) {
		t.Fatalf("err = %v, want ErrForeignHost", err)
	}
	if len(pages) != 1 || len(rows) != 10 {
		t.Fatalf("the first page should arrive: %d pages, %d rows", len(pages), len(rows))
	}
	if !strings.Contains(err.Error(), strings.TrimPrefix(foreign.URL, "http://")) {
		t.Errorf("error does not name the host: %v", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests reached the foreign host (Authorization %q)", hits.Load(), auth.Load())
	}
	// The mock's own paging origin is refused too when allowed_hosts does not list it.
	f.mock.PagingOrigin = ""
	_, _, err = all(t, s, client.Query{})
	if !errors.Is(err, client.ErrForeignHost) || !strings.Contains(err.Error(), "localhost") {
		t.Fatalf("paging origin not in allowed_hosts: %v", err)
	}
}

func TestAuth(t *testing.T) {
	t.Run("refused credentials", func(t *testing.T) {
		f := newFixture(t, nil)
		s := f.source(t, func(c *talkdesk.Config) { c.Secret = "wrong-secret-value" })
		_, err := s.Conversations(context.Background(), client.Query{}, "")
		if !errors.Is(err, client.ErrAuth) {
			t.Fatalf("err = %v, want ErrAuth", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "confab auth login") || strings.Contains(msg, "wrong-secret-value") {
			t.Fatalf("message %q", msg)
		}
		if f.apiN.Load() != 0 {
			t.Fatal("the API was called without a token")
		}
	})
	t.Run("a revoked token is replaced once", func(t *testing.T) {
		f := newFixture(t, nil)
		s := f.source(t, func(c *talkdesk.Config) { c.PageSize = 10 })
		p, err := s.Conversations(context.Background(), client.Query{}, "")
		if err != nil {
			t.Fatal(err)
		}
		f.mock.Revoke()
		if _, err := s.Conversations(context.Background(), client.Query{}, p.Next); err != nil {
			t.Fatal(err)
		}
		if n := f.mock.TokenRequests(); n != 2 {
			t.Fatalf("token requests = %d, want 2", n)
		}
	})
	t.Run("a 401 that persists is ErrAuth after one retry", func(t *testing.T) {
		f := newFixture(t, func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == mock.TalkdeskTokenPath {
					h.ServeHTTP(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"code":"1002","message":"Unauthorized","description":"token revoked","fields":[]}`))
			})
		})
		s := f.source(t, nil)
		_, err := s.Conversations(context.Background(), client.Query{}, "")
		if !errors.Is(err, client.ErrAuth) || !strings.Contains(err.Error(), "token revoked") {
			t.Fatalf("err = %v", err)
		}
		if f.apiN.Load() != 2 || f.mock.TokenRequests() != 2 {
			t.Fatalf("%d API requests and %d token requests, want 2 and 2", f.apiN.Load(), f.mock.TokenRequests())
		}
	})
}

// failOn returns a wrapper that lets the mock answer, then changes the response of the nth
// API request (1-based) with edit.
func failOn(n int64, edit func(w http.ResponseWriter, body []byte, seen []string)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		var mu sync.Mutex
		var count int64
		var seen []string
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == mock.TalkdeskTokenPath {
				h.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			count++
			k := count
			seen = append(seen, "http://"+r.Host+r.URL.RequestURI())
			prev := slices.Clone(seen)
			mu.Unlock()
			if k != n {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			edit(w, rec.Body.Bytes(), prev)
		})
	}
}

func TestErrorsOnALaterPageKeepEarlierPages(t *testing.T) {
	cases := []struct {
		name string
		kind error
		text string
		edit func(w http.ResponseWriter, body []byte, seen []string)
	}{
		{"malformed JSON", client.ErrBadResponse, "malformed JSON", func(w http.ResponseWriter, body []byte, _ []string) {
			_, _ = w.Write(body[:len(body)/2])
		}},
		{"server error", client.ErrUnavailable, "HTTP 500", func(w http.ResponseWriter, _ []byte, _ []string) {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"code":"1500","message":"Internal Server Error","fields":[]}`))
		}},
		{"cursor loop", client.ErrBadResponse, "paging loop", func(w http.ResponseWriter, body []byte, seen []string) {
			// Point the next link back at the second page.
			re := regexp.MustCompile(`"next":\{"href":"[^"]*"\}`)
			_, _ = w.Write(re.ReplaceAll(body, []byte(`"next":{"href":"`+seen[1]+`"}`)))
		}},
		{"an interaction without id", client.ErrBadResponse, "no id", func(w http.ResponseWriter, body []byte, _ []string) {
			_, _ = w.Write(bytes.Replace(body, []byte(`"id":"`), []byte(`"idx":"`), 1))
		}},
		{"nested too deep in a message", client.ErrBadResponse, "JSON nested deeper than 512 levels at byte", func(w http.ResponseWriter, body []byte, _ []string) {
			deep := strings.Repeat("[", 5_000_000) + strings.Repeat("]", 5_000_000)
			_, _ = w.Write(bytes.Replace(body, []byte(`"text":`), []byte(`"text":`+deep+`,"was_text":`), 1))
		}},
		{"nested objects cut short", client.ErrBadResponse, "JSON nested deeper than 512 levels at byte", func(w http.ResponseWriter, body []byte, _ []string) {
			i := bytes.Index(body, []byte(`"messages":`))
			_, _ = w.Write(append(body[:i:i], strings.Repeat(`{"a":`, 1_000_000)...))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, failOn(4, tc.edit))
			s := f.source(t, func(c *talkdesk.Config) { c.PageSize = 10 })
			rows, pages, err := all(t, s, client.Query{})
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("err = %v, want %v containing %q", err, tc.kind, tc.text)
			}
			if ae := (*client.APIError)(nil); !errors.As(err, &ae) || !strings.Contains(ae.Endpoint, "/interactions") {
				t.Fatalf("err = %v does not name the endpoint", err)
			}
			if len(pages) != 3 || len(rows) != 30 {
				t.Fatalf("%d pages and %d rows before the error, want 3 and 30", len(pages), len(rows))
			}
		})
	}
}

func TestFilter(t *testing.T) {
	f := newFixture(t, nil)
	s := f.source(t, func(c *talkdesk.Config) { c.PageSize = 25 })
	everything, _, err := all(t, s, client.Query{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		filter string
		keep   func(c client.Conversation, th []client.Interaction) bool
	}{
		{"sentiment=negative", func(_ client.Conversation, th []client.Interaction) bool {
			return slices.ContainsFunc(th, func(i client.Interaction) bool { return i.Attrs.Value("sentiment") == "negative" })
		}},
		{"direction=OUTBOUND channel=voice", func(c client.Conversation, _ []client.Interaction) bool {
			return c.Attrs.Value("direction") == "outbound" && strings.Contains(c.Attrs.Value("channel"), "voice")
		}},
		{"participant!=virtual_agent intent~password", func(_ client.Conversation, th []client.Interaction) bool {
			va := slices.ContainsFunc(th, func(i client.Interaction) bool { return i.Actor == client.ActorVirtualAgent })
			pw := slices.ContainsFunc(th, func(i client.Interaction) bool { return strings.Contains(i.Attrs.Value("intent"), "password") })
			return !va && pw
		}},
	}
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			var w []string
			for _, c := range everything {
				th, err := s.Thread(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				if tc.keep(c, th) {
					w = append(w, c.ID)
				}
			}
			if len(w) == 0 || len(w) == len(everything) {
				t.Fatalf("the filter keeps %d of %d rows: not a useful test", len(w), len(everything))
			}
			rows, _, err := all(t, s, client.Query{Filter: tc.filter})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(rows), w) {
				t.Fatalf("got %d rows, want %d", len(rows), len(w))
			}
		})
	}
	t.Run("since: and until: set the window", func(t *testing.T) {
		rows, _, err := all(t, s, client.Query{Filter: "since:2026-11-01 until:2026-11-03"})
		if err != nil {
			t.Fatal(err)
		}
		w := want(f.mock, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC))
		if !slices.Equal(ids(rows), w) || len(w) == 0 {
			t.Fatalf("got %d rows, want %d", len(rows), len(w))
		}
	})
}

func TestValidate(t *testing.T) {
	spec := newFixture(t, nil).source(t, nil).FilterSpec()
	cases := []struct {
		text string
		pos  int // -2: valid
		msg  string
	}{
		{"", -2, ""},
		{"sentiment=negative intent~password", -2, ""},
		{`since:"20 days ago" until:yesterday channel!~sms`, -2, ""},
		{"since:7d direction=inbound", -2, ""},
		{"sentiment=negative plaform=web", 19, `unknown field "plaform" (fields: participant, channel`},
		{"sentiment", 0, "is not a condition"},
		{"intent=", 6, "needs a value"},
		{"since:2026-11-08 until:2026-11-01", 17, "until: is not after since:"},
		{"since:soon", 6, "cannot read time"},
		{`intent~"reset`, 7, "unterminated quote"},
		{"channel!voice", 7, "use != or !~"},
		{"since:1d since:2d", 9, "given twice"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			err := spec.Validate(tc.text)
			if tc.pos == -2 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *client.FilterError
			if !errors.As(err, &fe) || !errors.Is(err, client.ErrBadFilter) {
				t.Fatalf("err = %v, want a *client.FilterError", err)
			}
			if fe.Pos != tc.pos || !strings.Contains(fe.Msg, tc.msg) {
				t.Fatalf("got pos %d %q, want pos %d containing %q", fe.Pos, fe.Msg, tc.pos, tc.msg)
			}
		})
	}
}

const sample = `{"id":"i-1","customer_id":"c-9","started_at":"2026-11-10T09:00:00.000000Z","ended_at":"2026-11-10T09:04:12.400000Z",
"direction":"INBOUND","ring_groups":["support","tier2"],"agents":[{"id":"a1","name":"Ana Souza"}],"source_system":"STT",
"messages":[
 {"message_id":"m3","message_index":2,"message_start_at":"2026-11-10T09:00:20.000000Z","text":"I'll refund it now.","channel":"VOICE","participant":"AGENT","start_time":20.0,"end_time":23.5},
 {"message_id":"m1","message_index":0,"message_start_at":"2026-11-10T09:00:00.000000Z","text":"Thanks for calling.","channel":"VOICE","participant":"AGENT","start_time":0,"end_time":2.25},
 {"message_id":"m2","message_index":1,"message_start_at":"2026-11-10T09:00:12.300000Z","text":"I was charged twice","channel":"VOICE","participant":"CUSTOMER","sentiment":"NEGATIVE","intent":"billing_dispute","intent_confidence_score":0.873,"intent_is_fallback":false,"start_time":12.3,"end_time":15.9},
 {"message_id":"m4","message_start_at":"2026-11-10T09:00:30.000000Z","text":"great, thanks","channel":"VOICE","participant":"CUSTOMER","sentiment":"POSITIVE","intent":"fallback","intent_confidence_score":0.2,"intent_is_fallback":true},
 {"message_id":"m5","message_index":3,"text":"(hold music)","channel":"VOICE","participant":"IVR"}
]}`

func TestMapping(t *testing.T) {
	s := newFixture(t, nil).source(t, nil)
	th, err := s.Thread(context.Background(), client.Conversation{ID: "i-1", Raw: []byte(sample)})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id    string
		actor client.Actor
		kind  string
		attrs string
	}
	var got []row
	for _, it := range th {
		var kv []string
		for _, a := range it.Attrs {
			kv = append(kv, a.Key+"="+a.Value)
		}
		if it.ParentID != "" || it.ConversationID != "i-1" {
			t.Fatalf("interaction %s: parent %q conversation %q", it.ID, it.ParentID, it.ConversationID)
		}
		got = append(got, row{it.ID, it.Actor, it.Kind, strings.Join(kv, " ")})
	}
	w := []row{
		{"m1", client.ActorAgent, client.KindVoice, "channel=voice source_system=STT message_index=0 audio=00:00.0–00:02.3"},
		{"m2", client.ActorCustomer, client.KindVoice, "channel=voice sentiment=negative intent=billing_dispute (0.87) source_system=STT message_index=1 audio=00:12.3–00:15.9"},
		{"m3", client.ActorAgent, client.KindVoice, "channel=voice source_system=STT message_index=2 audio=00:20.0–00:23.5"},
		{"m5", "ivr", client.KindVoice, "channel=voice source_system=STT message_index=3"},
		{"m4", client.ActorCustomer, client.KindVoice, "channel=voice sentiment=positive intent=fallback (0.20) fallback=yes source_system=STT"},
	}
	if !slices.Equal(got, w) {
		t.Fatalf("thread\n got %v\nwant %v", got, w)
	}
}

func TestConversationByID(t *testing.T) {
	f := newFixture(t, nil)
	s := f.source(t, nil)
	items := f.mock.Interactions()
	var target mock.TalkdeskItem
	for _, it := range items {
		if it.Started.Before(end.Add(-10 * 24 * time.Hour)) {
			target = it
			break
		}
	}
	c, err := s.Conversation(context.Background(), target.ID)
	if err != nil || c.ID != target.ID || c.Summary == "" || c.Attrs.Value("duration") == "" {
		t.Fatalf("Conversation: %+v, %v", c, err)
	}
	_, err = s.Conversation(context.Background(), "no-such-id")
	if !errors.Is(err, client.ErrNotFound) || !strings.Contains(err.Error(), "last 30 days") {
		t.Fatalf("missing id: %v", err)
	}
}

func TestNew(t *testing.T) {
	cases := []struct {
		name string
		cfg  talkdesk.Config
		err  string
	}{
		{"default token URL from account", talkdesk.Config{Account: "acme", ClientID: "c", Secret: "s"}, ""},
		{"eu", talkdesk.Config{Region: "eu", Account: "acme", ClientID: "c", Secret: "s"}, ""},
		{"no account", talkdesk.Config{ClientID: "c", Secret: "s"}, "needs account"},
		{"bad region", talkdesk.Config{Region: "au", Account: "a", ClientID: "c", Secret: "s"}, "unknown region"},
		{"no secret", talkdesk.Config{Account: "a", ClientID: "c"}, "no OAuth client secret"},
		{"window too long", talkdesk.Config{Account: "a", ClientID: "c", Secret: "s", Window: 8 * 24 * time.Hour}, "7-day limit"},
		{"plain http off loopback", talkdesk.Config{BaseURL: "http://example.com", Account: "a", ClientID: "c", Secret: "s"}, "must use https"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := talkdesk.New(tc.cfg)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tc.cfg.Region == "eu" && s.BaseURL() != "https://api.talkdeskapp.eu" {
					t.Fatalf("base %s", s.BaseURL())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
		})
	}
}

func BenchmarkConversations(b *testing.B) {
	m := mock.NewTalkdesk(mock.Options{Seed: 7, End: end, Days: 28})
	srv := httptest.NewServer(m)
	defer srv.Close()
	s, err := talkdesk.New(talkdesk.Config{Name: "td", BaseURL: srv.URL, TokenURL: srv.URL + mock.TalkdeskTokenPath,
		ClientID: m.ClientID, Secret: m.ClientSecret, AllowedHosts: []string{mock.TalkdeskPagingOrigin(srv.URL)},
		PageSize: 100, Now: func() time.Time { return end }})
	if err != nil {
		b.Fatal(err)
	}
	q := client.Query{Since: end.Add(-20 * 24 * time.Hour)}
	for b.Loop() {
		cursor := ""
		for {
			p, err := s.Conversations(context.Background(), q, cursor)
			if err != nil {
				b.Fatal(err)
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
	}
}

// TestBroadRangeIsRefusedBeforeAnyRequest: Talkdesk walks 7-day windows under the same cap:
// a range that needs more windows than max_windows is refused with no request, and the
// query's limit overrides the source's.
func TestBroadRangeIsRefusedBeforeAnyRequest(t *testing.T) {
	since := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) // clamped to DataStart
	tests := []struct {
		name        string
		cfgLimit    int
		queryLimit  int
		wantRefused bool
	}{
		{"the default limit holds since Talkdesk's data start", 0, 0, false},
		{"a configured limit", 10, 0, true},
		{"the query's limit", 0, 10, true},
		{"no limit in the query", 10, -1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			s := f.source(t, func(c *talkdesk.Config) { c.MaxWindows = tc.cfgLimit })
			_, err := s.Conversations(context.Background(), client.Query{Since: since, MaxWindows: tc.queryLimit}, "")
			if !tc.wantRefused {
				if err != nil {
					t.Fatalf("Conversations: %v", err)
				}
				return
			}
			var tb *client.TooBroadError
			if !errors.As(err, &tb) {
				t.Fatalf("Conversations = %v, want a *client.TooBroadError", err)
			}
			if n := f.apiN.Load(); n != 0 {
				t.Errorf("%d API requests before the refusal", n)
			}
			want := client.CountWindows(talkdesk.DataStart, end, talkdesk.MaxWindow)
			if !tb.Since.Equal(talkdesk.DataStart) || tb.Windows != want || tb.Limit != 10 || !strings.Contains(err.Error(), "of 7 days each (limit 10)") {
				t.Errorf("refused %q (%+v), want %d windows since %s", err, tb, want, talkdesk.DataStart)
			}
		})
	}
}
