package talkdesk_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/talkdesk"
)

// endless answers every interactions request (after the mock's token endpoint) with one
// interaction and a next link to a cursor never seen before, so a window never ends. onPage,
// when set, is called with the number of each API request.
func endless(pages *atomic.Int64, onPage func(n int64)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == mock.TalkdeskTokenPath {
				next.ServeHTTP(w, r)
				return
			}
			n := pages.Add(1)
			if onPage != nil {
				onPage(n)
			}
			cur, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
			item := strings.Replace(sample, `"id":"i-1"`, fmt.Sprintf(`"id":"i-%d"`, 1000+cur), 1)
			link := fmt.Sprintf("http://%s%s?cursor=%d", r.Host, talkdesk.Path, cur+1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"_embedded":{"interactions":[%s]},"_links":{"next":{"href":%q}}}`, item, link)
		})
	}
}

func TestLookupByIDOnEndlessCursorsStops(t *testing.T) {
	var pages atomic.Int64
	f := newFixture(t, endless(&pages, nil))
	s := f.source(t, func(c *talkdesk.Config) { c.HTTP.Walk = client.WalkLimits{Pages: 30} })
	_, err := s.Conversation(context.Background(), "no-such-id")
	var wl *client.WalkLimitError
	want := "stopped after 30 pages of the last 30 days of interactions while looking for id no-such-id; " +
		"the account has too many interactions to search for an id, or the server pages without end"
	if !errors.Is(err, client.ErrWalkLimit) || !errors.As(err, &wl) || err.Error() != want {
		t.Fatalf("Conversation: %v\nwant %s", err, want)
	}
	if pages.Load() != 30 {
		t.Fatalf("%d API requests, want 30", pages.Load())
	}
}

func TestListingOnEndlessCursorsStops(t *testing.T) {
	var pages atomic.Int64
	f := newFixture(t, endless(&pages, nil))
	s := f.source(t, func(c *talkdesk.Config) { c.HTTP.Walk = client.WalkLimits{Rows: 5} })
	_, _, err := all(t, s, client.Query{})
	if !errors.Is(err, client.ErrWalkLimit) || !strings.HasPrefix(err.Error(), "stopped after 5 rows of interactions of source td; narrow the range") {
		t.Fatalf("listing: %v", err)
	}
	if pages.Load() != 6 {
		t.Fatalf("%d API requests, want 6", pages.Load())
	}
}

func TestLookupByIDCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var pages atomic.Int64
	f := newFixture(t, endless(&pages, func(n int64) {
		if n == 5 {
			cancel()
		}
	}))
	s := f.source(t, nil)
	_, err := s.Conversation(ctx, "no-such-id")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Conversation: %v, want context.Canceled", err)
	}
	if pages.Load() != 5 {
		t.Fatalf("%d API requests after cancelling in the fifth, want 5", pages.Load())
	}
}
