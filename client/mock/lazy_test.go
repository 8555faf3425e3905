package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// lazyRequest is one request to a vendor of a Servers, by what it asks, so that two Servers
// can be asked the same.
type lazyRequest struct {
	name string
	do   func(t *testing.T, s *Servers) []byte // the body, the servers' origins replaced
}

// normalize replaces the origins of s (which differ between two Servers) in body.
func normalize(s *Servers, body []byte) []byte {
	for i, origin := range []string{originOf(s.Moveworks.BaseURL), originOf(s.Talkdesk.BaseURL), originOf(s.OpenDialog.BaseURL)} {
		tag := []byte("ORIGIN" + string(rune('0'+i)))
		body = bytes.ReplaceAll(body, []byte(TalkdeskPagingOrigin(origin)), append(tag, 'P'))
		body = bytes.ReplaceAll(body, []byte(origin), tag)
	}
	return body
}

func originOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	return u.Scheme + "://" + u.Host
}

func lazyDo(t *testing.T, req *http.Request) []byte {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d: %s", req.Method, req.URL, resp.StatusCode, b)
	}
	return b
}

func lazyGet(t *testing.T, link, auth string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, link, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", auth)
	return lazyDo(t, req)
}

// talkdeskToken is an access token of the Talkdesk mock of s.
func talkdeskToken(t *testing.T, s *Servers) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {TalkdeskScope}}
	req, err := http.NewRequest(http.MethodPost, s.Talkdesk.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.Talkdesk.ClientID, s.Talkdesk.ClientSecret)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(lazyDo(t, req), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("talkdesk token: %v", err)
	}
	return tok.AccessToken
}

func lazyRequests() []lazyRequest {
	day := func(tm time.Time) string { return tm.Format("2006-01-02 15:04:05") }
	stamp := func(tm time.Time) string { return url.QueryEscape(tm.Format(time.RFC3339Nano)) }
	return []lazyRequest{
		{"moveworks conversations", func(t *testing.T, s *Servers) []byte {
			return lazyGet(t, s.Moveworks.BaseURL+"/conversations?$top=200&$orderby=created_time%20desc", "Bearer "+s.Moveworks.APIKey)
		}},
		{"moveworks thread", func(t *testing.T, s *Servers) []byte {
			f := url.QueryEscape("conversation_id eq '" + SpecialDeepThread + "'")
			return lazyGet(t, s.Moveworks.BaseURL+"/interactions?$filter="+f, "Bearer "+s.Moveworks.APIKey)
		}},
		{"moveworks interactions paged", func(t *testing.T, s *Servers) []byte {
			return lazyGet(t, s.Moveworks.BaseURL+"/interactions?$top=300&$skip=1000", "Bearer "+s.Moveworks.APIKey)
		}},
		{"talkdesk interactions", func(t *testing.T, s *Servers) []byte {
			link := s.Talkdesk.BaseURL + TalkdeskInteractionsPath + "?start_date=" + stamp(testEnd.Add(-3*24*time.Hour)) +
				"&end_date=" + stamp(testEnd) + "&limit=100"
			return lazyGet(t, link, "Bearer "+talkdeskToken(t, s))
		}},
		{"opendialog day", func(t *testing.T, s *Servers) []byte {
			v := url.Values{"from": {day(testEnd.Add(-48 * time.Hour))}, "to": {day(testEnd)}}
			return lazyGet(t, s.OpenDialog.BaseURL+"/user-interactions?"+v.Encode(), "Bearer "+s.OpenDialog.APIKey)
		}},
	}
}

// TestStartLazyServesWhatStartServes: StartLazy's vendors listen before any corpus is
// generated: a request generates its vendor's corpus itself, concurrent requests wait for
// the one generation, a token request needs none; every answer is byte for byte Start's for
// the same options, before and after Generate.
func TestStartLazyServesWhatStartServes(t *testing.T) {
	opts := Options{Seed: 7, End: testEnd, Days: 3}
	eager, err := Start(t.Context(), "127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer eager.Close()
	lazy, err := StartLazy(t.Context(), "127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer lazy.Close()
	if eager.Moveworks.APIKey != lazy.Moveworks.APIKey || eager.Talkdesk.ClientSecret != lazy.Talkdesk.ClientSecret ||
		eager.OpenDialog.APIKey != lazy.OpenDialog.APIKey {
		t.Fatalf("the credentials differ: %+v and %+v", eager, lazy)
	}
	talkdeskToken(t, lazy)
	if n := lazy.generated(); n != 0 {
		t.Fatalf("%d corpora generated before any request, want none", n)
	}
	reqs := lazyRequests()
	check := func(r lazyRequest, got []byte) {
		t.Helper()
		want := normalize(eager, r.do(t, eager))
		if got = normalize(lazy, got); !bytes.Equal(got, want) {
			t.Errorf("%s: StartLazy answered %d bytes, Start %d; they differ", r.name, len(got), len(want))
		}
	}
	// The Moveworks requests arrive together and generate its corpus once.
	var wg sync.WaitGroup
	got := make([][]byte, 3)
	for i := range got {
		wg.Go(func() { got[i] = reqs[i].do(t, lazy) })
	}
	wg.Wait()
	for i := range got {
		check(reqs[i], got[i])
	}
	if n := lazy.generated(); n != 1 {
		t.Errorf("%d corpora generated after Moveworks' requests, want 1", n)
	}
	for _, kind := range []string{"opendialog", "moveworks", "nobody", "talkdesk"} {
		lazy.Generate(kind)
	}
	if n := lazy.generated(); n != 3 {
		t.Errorf("%d corpora generated after Generate, want 3", n)
	}
	for _, r := range reqs {
		check(r, r.do(t, lazy))
	}
}

// generated is how many of the vendors' corpora have been generated.
func (s *Servers) generated() int {
	n := 0
	for _, c := range s.corpora {
		if c.ready() {
			n++
		}
	}
	return n
}

// TestCorpusOnce: the corpus is generated once, by whoever asks first; the others wait for it.
func TestCorpusOnce(t *testing.T) {
	calls := 0
	release := make(chan struct{})
	o := corpusOnce[int]{gen: func() *int {
		calls++
		<-release
		v := 42
		return &v
	}}
	var wg sync.WaitGroup
	got := make([]*int, 8)
	for i := range got {
		wg.Go(func() { got[i] = o.get() })
	}
	close(release)
	wg.Wait()
	for i, v := range got {
		if v == nil || *v != 42 || v != got[0] {
			t.Fatalf("caller %d got %v", i, v)
		}
	}
	if calls != 1 {
		t.Errorf("generated %d times, want once", calls)
	}
}

// TestCorporaOneAtATime: corpora sharing a mutex (StartLazy's) are generated one at a time:
// the second, asked while the first is being generated, starts once the first is done.
func TestCorporaOneAtATime(t *testing.T) {
	var one sync.Mutex
	var mu sync.Mutex
	var events []string
	note := func(e string) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	started, release := make(chan struct{}), make(chan struct{})
	first := corpusOnce[int]{gen: func() *int {
		note("first starts")
		close(started)
		<-release
		note("first done")
		return new(int)
	}}
	second := corpusOnce[int]{gen: func() *int {
		note("second starts")
		return new(int)
	}}
	first.generateOneAtATime(&one)
	second.generateOneAtATime(&one)
	var wg sync.WaitGroup
	wg.Go(func() { first.get() })
	<-started
	wg.Go(func() { second.get() })
	time.Sleep(20 * time.Millisecond) // a chance for a wrong second to start (never a false failure)
	close(release)
	wg.Wait()
	if want := []string{"first starts", "first done", "second starts"}; !slices.Equal(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
}
