package moveworks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
)

var testEnd = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// mw is the mock shared by the tests (7 days, about 750 conversations, pages of 100).
var mw = mock.NewMoveworks(mock.Options{Seed: 11, End: testEnd, Days: 7, PageSize: 100})

// mwPages5 is the same corpus (and credentials) served in pages of 5. The page size is the
// server's: like the vendor, the mock ignores `Prefer: odata.maxpagesize` (APIS.md §1.4).
var mwPages5 = mock.NewMoveworks(mock.Options{Seed: 11, End: testEnd, Days: 7, PageSize: 5})

// server wraps the mock, counting requests and letting a test alter them.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	hits  map[string]int // by path
	n     int
	auths []string
	// hook may answer a request itself (return true); n counts requests from 1.
	hook func(w http.ResponseWriter, r *http.Request, n int) bool
	// rewrite may change a successful body.
	rewrite func(body []byte) []byte
}

func newServer(t testing.TB, h http.Handler) *server {
	s := &server{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.n++
		n := s.n
		s.hits[r.URL.Path]++
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		hook, rewrite := s.hook, s.rewrite
		s.mu.Unlock()
		if hook != nil && hook(w, r, n) {
			return
		}
		if rewrite == nil {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rewrite(rec.Body.Bytes()))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *server) hitsOn(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

var fastRetries = client.HTTPOptions{MaxRetries: 2, BaseBackoff: time.Millisecond, MaxWait: time.Second, Timeout: 10 * time.Second,
	RateLimitWait: time.Second, RateLimitBackoff: time.Millisecond}

func newSource(t testing.TB, base string, edit func(*Config)) *Source {
	t.Helper()
	cfg := Config{Name: "mw", BaseURL: base + mock.MoveworksRecordsPath, Secret: mw.APIKey, HTTP: fastRetries}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// listAll pages through q and returns every conversation and the first page's total.
func listAll(t *testing.T, s *Source, q client.Query) ([]client.Conversation, int) {
	t.Helper()
	ctx := context.Background()
	var all []client.Conversation
	total, cursor := -2, ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("too many pages")
		}
		p, err := s.Conversations(ctx, q, cursor)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if total == -2 {
			total = p.Total
		}
		all = append(all, p.Conversations...)
		if p.Next == "" {
			return all, total
		}
		cursor = p.Next
	}
}

func TestListAllPages(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, nil)
	nConv, _ := mw.Counts()
	for _, order := range []client.Order{client.NewestFirst, client.OldestFirst} {
		t.Run(order.String(), func(t *testing.T) {
			all, total := listAll(t, s, client.Query{Order: order})
			// No $count on conversations (documented for interactions only): no total.
			if total != -1 || len(all) != nConv {
				t.Fatalf("listed %d, total %d, corpus %d", len(all), total, nConv)
			}
			seen := map[string]bool{}
			for i, c := range all {
				if seen[c.ID] {
					t.Fatalf("conversation %s listed twice", c.ID)
				}
				seen[c.ID] = true
				if c.Source != "mw" || c.Started.IsZero() || c.Updated.Before(c.Started) || !json.Valid(c.Raw) {
					t.Fatalf("conversation %d badly mapped: %+v", i, c)
				}
				if !regexp.MustCompile(`^\d{19,20}$`).MatchString(c.UserID) || c.Attrs.Value("route") == "" {
					t.Fatalf("conversation %s: user %q attrs %v", c.ID, c.UserID, c.Attrs)
				}
				if i > 0 {
					prev := all[i-1].Started
					if (order == client.NewestFirst && c.Started.After(prev)) || (order == client.OldestFirst && c.Started.Before(prev)) {
						t.Fatalf("row %d out of %s order", i, order)
					}
				}
			}
		})
	}
}

func TestFilterNarrowing(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, nil)
	nConv, _ := mw.Counts()
	since, until := testEnd.Add(-72*time.Hour), testEnd.Add(-24*time.Hour)
	tests := []struct {
		name string
		q    client.Query
		keep func(client.Conversation) bool
	}{
		{"route", client.Query{Filter: "route eq 'Notification'"}, func(c client.Conversation) bool { return c.Attrs.Value("route") == "Notification" }},
		{"window", client.Query{Since: since, Until: until}, func(c client.Conversation) bool {
			return !c.Started.Before(since) && c.Started.Before(until)
		}},
		{"filter and window", client.Query{Filter: "primary_domain eq 'IT' or primary_domain eq 'HR'", Since: since}, func(c client.Conversation) bool {
			d := c.Attrs.Value("domain")
			return (d == "IT" || d == "HR") && !c.Started.Before(since)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all, total := listAll(t, s, tc.q)
			if len(all) == 0 || len(all) >= nConv || total != -1 {
				t.Fatalf("%d rows (total %d) of %d: not a narrowing", len(all), total, nConv)
			}
			for _, c := range all {
				if !tc.keep(c) {
					t.Fatalf("row %s does not satisfy the query: %v %s", c.ID, c.Attrs, c.Started)
				}
			}
		})
	}
}

func TestConversationsFilter(t *testing.T) {
	since := time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.FixedZone("x", 3600))
	tests := []struct {
		q    client.Query
		want string
	}{
		{client.Query{}, ""},
		{client.Query{Filter: "route eq 'DM'"}, "route eq 'DM'"},
		{client.Query{Since: since}, "created_time ge '2026-01-02T02:04:05.006Z'"},
		{client.Query{Filter: "route eq 'DM' or route eq 'Notification'", Since: since, Until: since.Add(time.Hour)},
			"(route eq 'DM' or route eq 'Notification') and created_time ge '2026-01-02T02:04:05.006Z' and created_time lt '2026-01-02T03:04:05.006Z'"},
	}
	for _, tc := range tests {
		got, err := ConversationsFilter(tc.q)
		if err != nil || got != tc.want {
			t.Errorf("ConversationsFilter(%+v) = %q, %v; want %q", tc.q, got, err, tc.want)
		}
	}
}

func TestThread(t *testing.T) {
	// The server's small pages make the deep thread span several pages; confab's page size
	// (2, sent as Prefer: odata.maxpagesize) is ignored, as the vendor ignores it.
	srv := newServer(t, mwPages5)
	s := newSource(t, srv.URL, func(c *Config) { c.PageSize = 2 })
	ctx := context.Background()
	for _, id := range []string{mock.SpecialDeepThread, mock.SpecialOrphan, mock.SpecialLong} {
		t.Run(id, func(t *testing.T) {
			before := srv.hitsOn(mock.MoveworksRecordsPath + "/interactions")
			th, err := s.Thread(ctx, client.Conversation{ID: id})
			if err != nil {
				t.Fatal(err)
			}
			pages := srv.hitsOn(mock.MoveworksRecordsPath+"/interactions") - before
			if len(th) < 2 || pages != (len(th)+4)/5 {
				t.Fatalf("%d interactions in %d requests", len(th), pages)
			}
			ids := map[string]client.Interaction{}
			for i, it := range th {
				ids[it.ID] = it
				if it.ConversationID != id || !json.Valid(it.Raw) || it.Text == "" || it.Kind == "" {
					t.Fatalf("interaction %d badly mapped: %+v", i, it)
				}
				if i > 0 && it.Time.Before(th[i-1].Time) {
					t.Fatalf("interaction %d out of time order", i)
				}
				if it.Attrs.Value("platform") == "" {
					t.Fatalf("interaction %d has no platform", i)
				}
			}
			for _, it := range th {
				if it.ParentID == "" {
					if it.Actor == client.ActorBot && id != mock.SpecialOrphan {
						t.Fatalf("bot message %s has no parent", it.ID)
					}
					continue
				}
				if _, ok := ids[it.ParentID]; !ok && it.ParentID != mock.MissingParent {
					t.Fatalf("%s: parent %s not in the thread", it.ID, it.ParentID)
				}
			}
			if id == mock.SpecialDeepThread {
				kinds := map[string]bool{}
				for _, it := range th {
					kinds[it.Kind] = true
				}
				if !kinds[client.KindText] || !kinds[client.KindBot] || !kinds[client.KindButton] || !kinds[client.KindLink] {
					t.Fatalf("kinds %v", kinds)
				}
			}
			if id == mock.SpecialOrphan && th[0].ParentID != mock.MissingParent {
				t.Fatalf("orphan parent %q", th[0].ParentID)
			}
		})
	}
}

func TestConversationLookup(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, nil)
	c, err := s.Conversation(context.Background(), mock.SpecialLong)
	if err != nil || c.ID != mock.SpecialLong || c.Attrs.Value("domain") != "IT" {
		t.Fatalf("Conversation: %+v, %v", c, err)
	}
	if _, err := s.Conversation(context.Background(), "no-such-id'"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("missing conversation: %v, want ErrNotFound", err)
	}
}

func TestAPIKeyStyles(t *testing.T) {
	tests := []struct {
		style, want string
	}{
		{"", mw.APIKey}, // the vendor's own example sends the raw key (APIS.md §1.3)
		{"bearer", "Bearer " + mw.APIKey},
		{"raw", mw.APIKey},
	}
	for _, tc := range tests {
		t.Run(tc.style, func(t *testing.T) {
			srv := newServer(t, mw)
			s := newSource(t, srv.URL, func(c *Config) { c.KeyStyle = tc.style })
			if _, err := s.Conversations(context.Background(), client.Query{}, ""); err != nil {
				t.Fatal(err)
			}
			if got := srv.auths[0]; got != tc.want {
				t.Fatalf("Authorization %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOAuth2(t *testing.T) {
	srv := newServer(t, mwPages5)
	s := newSource(t, srv.URL, func(c *Config) {
		c.Auth, c.ClientID, c.Secret, c.PageSize = "oauth2", mw.ClientID, mw.ClientSecret, 50
	})
	all, total := listAll(t, s, client.Query{})
	if len(all) == 0 || total != -1 || srv.hitsOn(mock.MoveworksRecordsPath+"/conversations") < 10 {
		t.Fatalf("%d rows, total %d", len(all), total)
	}
	if n := srv.hitsOn(mock.MoveworksTokenPath); n != 1 {
		t.Fatalf("token fetched %d times for many pages, want once", n)
	}
	for _, a := range srv.auths {
		if strings.Contains(a, mw.ClientSecret) {
			t.Fatal("the client secret was sent as a bearer")
		}
	}

	bad := newSource(t, srv.URL, func(c *Config) { c.Auth, c.ClientID, c.Secret = "oauth2", mw.ClientID, "wrong-secret-123" })
	_, err := bad.Conversations(context.Background(), client.Query{}, "")
	var ae *client.APIError
	if !errors.Is(err, client.ErrAuth) || !errors.As(err, &ae) || ae.Status != 401 || ae.Code != "invalid_client" ||
		!strings.Contains(err.Error(), "client credentials") || strings.Contains(err.Error(), "wrong-secret-123") {
		t.Fatalf("refused credentials: %v", err)
	}
}

// A 401 from the API drops the OAuth token; the request is tried once more with a new one.
func TestOAuth2RefusedTokenRenewedOnce(t *testing.T) {
	tests := []struct {
		name     string
		refuse   int // how many API requests answer 401, from the second on
		wantErr  bool
		api      int // API requests sent by the second Conversations call
		tokenGet int // token requests in all
	}{
		{"a revoked token is replaced", 1, false, 2, 2},
		{"a 401 that persists is ErrAuth after one renewal", 99, true, 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, mw)
			s := newSource(t, srv.URL, func(c *Config) { c.Auth, c.ClientID, c.Secret = "oauth2", mw.ClientID, mw.ClientSecret })
			ctx := context.Background()
			p, err := s.Conversations(ctx, client.Query{}, "")
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			refuse, api := tc.refuse, 0
			srv.hook = func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Path == mock.MoveworksTokenPath {
					return false
				}
				mu.Lock()
				defer mu.Unlock()
				api++
				if refuse == 0 {
					return false
				}
				refuse--
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"code":"UNAUTHENTICATED","message":"token revoked"}`))
				return true
			}
			_, err = s.Conversations(ctx, client.Query{}, p.Next)
			if got := err != nil; got != tc.wantErr || (err != nil && !errors.Is(err, client.ErrAuth)) {
				t.Fatalf("err = %v, want error %v (ErrAuth)", err, tc.wantErr)
			}
			if api != tc.api || srv.hitsOn(mock.MoveworksTokenPath) != tc.tokenGet {
				t.Fatalf("%d API and %d token requests, want %d and %d", api, srv.hitsOn(mock.MoveworksTokenPath), tc.api, tc.tokenGet)
			}
		})
	}
}

func TestUnauthorized(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, func(c *Config) { c.Secret = "not-the-key-42" })
	_, err := s.Conversations(context.Background(), client.Query{}, "")
	var ae *client.APIError
	if !errors.Is(err, client.ErrAuth) || !errors.As(err, &ae) || ae.Code != "UNAUTHENTICATED" || strings.Contains(err.Error(), "not-the-key-42") {
		t.Fatalf("got %v, want ErrAuth without the key", err)
	}
	if srv.count() != 1 {
		t.Fatalf("a 401 was retried: %d requests", srv.count())
	}
}

func TestBadFilterCaughtBeforeAnyRequest(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, nil)
	for _, f := range []string{"plaform eq 'slack'", "route eq", "created_time gt '2026-13-45T00:00:00Z'"} {
		_, err := s.Conversations(context.Background(), client.Query{Filter: f}, "")
		var fe *client.FilterError
		if !errors.As(err, &fe) || !errors.Is(err, client.ErrBadFilter) {
			t.Fatalf("filter %q: %v, want a *client.FilterError", f, err)
		}
	}
	if srv.count() != 0 {
		t.Fatalf("%d requests sent for invalid filters", srv.count())
	}
}

// nextLinkRe finds the next link of a page body.
func nextLinkRe() *regexp.Regexp { return regexp.MustCompile(`"@odata.nextLink":"([^"]*)"`) }

func TestForeignNextLinkRefused(t *testing.T) {
	foreign := newServer(t, mwPages5) // a different origin serving the same data
	srv := newServer(t, mwPages5)
	// The mock's links are absolute: swap their origin for the foreign one.
	srv.rewrite = func(body []byte) []byte {
		return bytes.ReplaceAll(body, []byte(`"`+srv.URL+`/export`), []byte(`"`+foreign.URL+`/export`))
	}
	s := newSource(t, srv.URL, nil)
	ctx := context.Background()
	p, err := s.Conversations(ctx, client.Query{}, "")
	if err != nil || !strings.HasPrefix(p.Next, foreign.URL) {
		t.Fatalf("first page: next %q, %v", p.Next, err)
	}
	host := strings.TrimPrefix(foreign.URL, "http://")
	_, err = s.Conversations(ctx, client.Query{}, p.Next)
	if !errors.Is(err, client.ErrForeignHost) || !strings.Contains(err.Error(), host) {
		t.Fatalf("foreign next link: %v, want ErrForeignHost naming %s", err, host)
	}
	s2 := newSource(t, srv.URL, func(c *Config) { c.PageSize = 2 })
	if _, err := s2.Thread(ctx, client.Conversation{ID: mock.SpecialDeepThread}); !errors.Is(err, client.ErrForeignHost) {
		t.Fatalf("thread with a foreign next link: %v", err)
	}
	if foreign.count() != 0 {
		t.Fatalf("the foreign host received %d requests", foreign.count())
	}

	// Allowed explicitly, the other origin is followed and gets the credential.
	s3 := newSource(t, srv.URL, func(c *Config) { c.AllowedHosts = []string{foreign.URL} })
	p, _ = s3.Conversations(ctx, client.Query{}, "")
	if _, err := s3.Conversations(ctx, client.Query{}, p.Next); err != nil || foreign.count() != 1 || foreign.auths[0] != mw.APIKey {
		t.Fatalf("allowed host: %v, %d requests", err, foreign.count())
	}
}

func TestRedirectOffOriginGetsNoCredential(t *testing.T) {
	foreign := newServer(t, mw)
	srv := newServer(t, mw)
	srv.hook = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		http.Redirect(w, r, foreign.URL+r.URL.RequestURI(), http.StatusFound)
		return true
	}
	s := newSource(t, srv.URL, nil)
	_, err := s.Conversations(context.Background(), client.Query{}, "")
	if !errors.Is(err, client.ErrForeignHost) {
		t.Fatalf("redirect off origin: %v, want ErrForeignHost", err)
	}
	if foreign.count() != 0 {
		t.Fatalf("the redirect target received %d requests", foreign.count())
	}
}

func TestMalformedJSON(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"truncated", `{"@odata.context":"x","value":[{"id":"abc","actor":`},
		{"not json", `value: none`},
		{"trailing garbage", `{"value":[]} {}`},
		{"record not an object", `{"value":[42]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, mw)
			srv.hook = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.body))
				return true
			}
			s := newSource(t, srv.URL, nil)
			_, err := s.Conversations(context.Background(), client.Query{}, "")
			if !errors.Is(err, client.ErrBadResponse) {
				t.Fatalf("got %v, want ErrBadResponse", err)
			}
			if srv.count() != 3 {
				t.Fatalf("%d requests, want 1 + 2 retries", srv.count())
			}
			if _, err := s.Thread(context.Background(), client.Conversation{ID: "x"}); !errors.Is(err, client.ErrBadResponse) {
				t.Fatalf("thread: %v", err)
			}
		})
	}
}

func TestServerErrorsRetried(t *testing.T) {
	srv := newServer(t, mw)
	srv.hook = func(w http.ResponseWriter, _ *http.Request, n int) bool {
		if n <= 2 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"code":"INTERNAL","message":"try later"}`))
			return true
		}
		return false
	}
	s := newSource(t, srv.URL, nil)
	p, err := s.Conversations(context.Background(), client.Query{}, "")
	if err != nil || len(p.Conversations) == 0 || srv.count() != 3 {
		t.Fatalf("after two 503s: %v, %d rows, %d requests", err, len(p.Conversations), srv.count())
	}
	srv.hook = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		w.WriteHeader(http.StatusInternalServerError)
		return true
	}
	if _, err := s.Conversations(context.Background(), client.Query{}, ""); !errors.Is(err, client.ErrUnavailable) {
		t.Fatalf("persistent 500: %v", err)
	}
}

func TestPagingLoopDetected(t *testing.T) {
	srv := newServer(t, mw)
	var mu sync.Mutex
	first := ""
	srv.rewrite = func(body []byte) []byte {
		mu.Lock()
		defer mu.Unlock()
		m := nextLinkRe().FindSubmatch(body)
		if m == nil {
			return body
		}
		if first == "" {
			first = string(m[1])
		}
		return nextLinkRe().ReplaceAllLiteral(body, []byte(`"@odata.nextLink":"`+first+`"`))
	}
	s := newSource(t, srv.URL, nil)
	ctx := context.Background()
	p, err := s.Conversations(ctx, client.Query{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conversations(ctx, client.Query{}, p.Next); !errors.Is(err, client.ErrBadResponse) || !strings.Contains(err.Error(), "loop") {
		t.Fatalf("repeated next link: %v, want a paging-loop ErrBadResponse", err)
	}
	// A new listing of the same query starts afresh; fetching the same cursor twice is not a loop.
	if _, err := s.Conversations(ctx, client.Query{}, ""); err != nil {
		t.Fatal(err)
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
		base    string
	}{
		{"default region", Config{Secret: "k"}, "", "https://api.moveworks.ai/export/v1/records"},
		{"eu", Config{Secret: "k", Region: "EU"}, "", "https://api.am-eu-central.moveworks.ai/export/v1/records"},
		{"gov", Config{Secret: "k", Region: "gov"}, "", "https://api.moveworksgov.ai/export/v1/records"},
		{"base url wins", Config{Secret: "k", Region: "eu", BaseURL: "https://api.eu.moveworks.ai/export/v1/records/"}, "", "https://api.eu.moveworks.ai/export/v1/records"},
		{"unknown region", Config{Secret: "k", Region: "mars"}, "unknown region", ""},
		{"plain http off loopback", Config{Secret: "k", BaseURL: "http://api.example.com/x"}, "https", ""},
		{"no secret", Config{}, "no API key", ""},
		{"bad auth", Config{Secret: "k", Auth: "magic"}, "unknown auth", ""},
		{"bad key style", Config{Secret: "k", KeyStyle: "header"}, "key_style", ""},
		{"oauth2 without client id", Config{Secret: "k", Auth: "oauth2"}, "client_id", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "k\"") {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || s.BaseURL() != tc.base || s.Kind() != "moveworks" {
				t.Fatalf("New: %v, base %q", err, s.BaseURL())
			}
		})
	}
}

func TestFilterSpec(t *testing.T) {
	s := newSource(t, "http://127.0.0.1:1", nil)
	spec := s.FilterSpec()
	if len(spec.Fields()) == 0 || spec.Validate("route eq 'DM'") != nil || spec.Validate("route eq") == nil {
		t.Fatal("FilterSpec does not describe OData over conversations")
	}
}

// TestDecoderMatchesEncodingJSON decodes every interaction of the corpus with the fast
// decoder and checks it against encoding/json.
func TestDecoderMatchesEncodingJSON(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, nil)
	link := s.base + "/interactions"
	n := 0
	for link != "" {
		body, err := s.http.Get(context.Background(), link)
		if err != nil {
			t.Fatal(err)
		}
		var fast interactionsPage
		if err := json.Unmarshal(body, &fast); err != nil {
			t.Fatal(err)
		}
		var slow struct {
			Next  string `json:"@odata.nextLink"`
			Value []struct {
				ID, ConversationID, ParentInteractionID, Actor, Type, Platform, CreatedTime string
				Label                                                                       *string
				Detail                                                                      map[string]any
			} `json:"value"`
		}
		// encoding/json matches snake_case keys case-insensitively only without underscores,
		// so map the keys first.
		fixed := []byte(strings.NewReplacer(`"conversation_id"`, `"ConversationID"`, `"parent_interaction_id"`, `"ParentInteractionID"`, `"created_time"`, `"CreatedTime"`).Replace(string(body)))
		if err := json.Unmarshal(fixed, &slow); err != nil {
			t.Fatal(err)
		}
		if len(slow.Value) != len(fast.rows) || slow.Next != fast.next {
			t.Fatalf("%d rows vs %d", len(fast.rows), len(slow.Value))
		}
		for i, want := range slow.Value {
			got := fast.rows[i]
			tm, _ := time.Parse(time.RFC3339Nano, want.CreatedTime)
			content, _ := want.Detail["content"].(string)
			if got.ID != want.ID || got.ConversationID != want.ConversationID || got.ParentID != want.ParentInteractionID ||
				string(got.Actor) != want.Actor || !got.Time.Equal(tm) || got.Attrs.Value("platform") != want.Platform ||
				(content != "" && got.Text != content) {
				t.Fatalf("row %d: got %+v\nwant %+v", i, got, want)
			}
			var raw map[string]any
			if err := json.Unmarshal(got.Raw, &raw); err != nil || raw["id"] != want.ID {
				t.Fatalf("row %d: Raw is not the record", i)
			}
			n++
		}
		link = fast.next
	}
	if _, nInter := mw.Counts(); n != nInter {
		t.Fatalf("decoded %d of %d", n, nInter)
	}
}

func TestDecoderEdgeCases(t *testing.T) {
	body := `{ "@odata.context" : "x", "@odata.count": 2, "value" : [
	  {"id":"a\u00e9\ud83d\ude00\"\\\/\n","actor":"BOT","type":"INTERACTION_TYPE_UIFORM_SUBMISSION","user_id":15392314957513647503,
	   "detail":{"detail":"RITM0010536","extra":{"deep":[1,2.5e3,true,null]}},"created_time":"2025-08-01T16:45:27.511+02:00","label":null},
	  {"id":"b","type":"INTERACTION_TYPE_CONTENT_UPLOAD","detail":{"content":null,"file_types":["pdf","png"]},"parent_interaction_id":null,"created_time":"2025-08-01T16:45:27.511Z"}
	], "@odata.nextLink": null }`
	var p interactionsPage
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if p.count != 2 || p.next != "" || len(p.rows) != 2 {
		t.Fatalf("page %+v", p)
	}
	a, b := p.rows[0], p.rows[1]
	if a.ID != "aé😀\"\\/\n" || a.Actor != client.ActorBot || a.Kind != client.KindForm || a.Text != "RITM0010536" ||
		!a.Time.Equal(time.Date(2025, 8, 1, 14, 45, 27, 511e6, time.UTC)) || a.Attrs.Value("label") != "" {
		t.Fatalf("row a: %+v", a)
	}
	if b.Kind != client.KindUpload || b.Text != "uploaded pdf, png" || b.ParentID != "" || b.Attrs.Value("file_types") != "pdf,png" {
		t.Fatalf("row b: %+v", b)
	}
	for _, bad := range []string{`{"value":[{"id":"x"}`, `{"value":[{"id":"\x01"}]}`, `{"value":[{"id":"\q"}]}`, `{"value":[{"id":01}]}`, `{"@odata.count":-1}`} {
		var p interactionsPage
		if err := p.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%q decoded without error", bad)
		}
	}
	var cp conversationsPage
	if err := json.Unmarshal([]byte(`{"value":[{"id":"c","detail":{"content":"line one\nline two","ticket_id":"INC1"},"type":"CONVERSATION_TYPE_TICKET_INTERCEPTION","created_time":"2026-01-01T00:00:00.000Z"}]}`), &cp); err != nil {
		t.Fatal(err)
	}
	if c := cp.rows[0]; c.Summary != "line one" || c.Attrs.Value("type") != "TICKET_INTERCEPTION" || c.Attrs.Value("ticket") != "INC1" {
		t.Fatalf("conversation %+v", c)
	}
}

// BenchmarkDecodeInteractions decodes a page of 1,000 interactions into the model: "reader"
// is what Thread does with a body, after client.HTTP's "depth check"; "encoding/json" is the
// generic path, for comparison.
func BenchmarkDecodeInteractions(b *testing.B) {
	big := mock.NewMoveworks(mock.Options{Seed: 11, End: testEnd, Days: 7, PageSize: 1000})
	srv := newServer(b, big)
	s := newSource(b, srv.URL, func(c *Config) { c.Secret = big.APIKey })
	body, err := s.http.Get(context.Background(), s.base+"/interactions?"+url.Values{"$top": {"1000"}}.Encode())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("reader", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var p interactionsPage
			if err := p.decode(body); err != nil || len(p.rows) != 1000 {
				b.Fatal(err, len(p.rows))
			}
		}
	})
	b.Run("depth check", func(b *testing.B) { // what client.HTTP adds before the reader
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if err := client.CheckDepth(body, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var p struct {
				Value []map[string]any `json:"value"`
			}
			if err := json.Unmarshal(body, &p); err != nil || len(p.Value) != 1000 {
				b.Fatal(err, len(p.Value))
			}
		}
	})
}

func TestEmptyResult(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, nil)
	p, err := s.Conversations(context.Background(), client.Query{Filter: "id eq 'none'"}, "")
	if err != nil || len(p.Conversations) != 0 || p.Next != "" || p.Total != -1 {
		t.Fatalf("empty result: %+v, %v", p, err)
	}
	// A body with only @odata.context (no value key, no count) is an empty last page.
	srv.hook = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"@odata.context":"https://api.moveworks.ai/export/v1/records/$metadata#conversations"}`))
		return true
	}
	p, err = s.Conversations(context.Background(), client.Query{}, "")
	if err != nil || len(p.Conversations) != 0 || p.Next != "" || p.Total != -1 {
		t.Fatalf("context-only body: %+v, %v", p, err)
	}
	th, err := s.Thread(context.Background(), client.Conversation{ID: "x"})
	if err != nil || th == nil || len(th) != 0 {
		t.Fatalf("empty thread: %v, %v", th, err)
	}
}

// TestAgainstStartedMock runs the client against mock.Start the way `confab demo` does.
func TestAgainstStartedMock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	servers, err := mock.Start(ctx, "127.0.0.1:0", mock.Options{Seed: 5, End: testEnd, Days: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer servers.Close()
	v := servers.Moveworks
	for _, cfg := range []Config{
		{Name: "key", BaseURL: v.BaseURL, Secret: v.APIKey, KeyStyle: "raw"},
		{Name: "oauth", BaseURL: v.BaseURL, Auth: "oauth2", TokenURL: v.TokenURL, ClientID: v.ClientID, Secret: v.ClientSecret},
	} {
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Conversations(ctx, client.Query{Filter: "route eq 'DM'"}, "")
		if err != nil || len(p.Conversations) == 0 {
			t.Fatalf("%s: %v", cfg.Name, err)
		}
		th, err := s.Thread(ctx, p.Conversations[0])
		if err != nil || len(th) == 0 || th[0].Actor != client.ActorUser {
			t.Fatalf("%s: thread %v, %v", cfg.Name, th, err)
		}
	}
}

func TestSameCursorTwiceIsNotALoop(t *testing.T) {
	srv := newServer(t, mw)
	s := newSource(t, srv.URL, nil)
	ctx := context.Background()
	p1, err := s.Conversations(ctx, client.Query{}, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Conversations(ctx, client.Query{}, p1.Next)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Conversations(ctx, client.Query{}, p1.Next) // a retry of the same page
	if err != nil || a.Next != b.Next || a.Conversations[0].ID != b.Conversations[0].ID {
		t.Fatalf("refetching a cursor: %v", err)
	}
	if _, err := s.Conversations(ctx, client.Query{}, b.Next); err != nil {
		t.Fatal(err)
	}
}
