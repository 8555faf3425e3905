package moveworks

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
)

// endlessSource is a source on a server whose next links never end, with the walk limits lim.
func endlessSource(t *testing.T, e *mock.EndlessMoveworks, lim client.WalkLimits) *Source {
	t.Helper()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return newSource(t, srv.URL, func(c *Config) { c.HTTP.Walk = lim })
}

func TestEndlessThreadStopsAtItsLimits(t *testing.T) {
	tests := []struct {
		name     string
		rows     int
		pad      int
		lim      client.WalkLimits
		requests int64
		want     string
	}{
		{"pages", 1, 0, client.WalkLimits{Pages: 5}, 5,
			"stopped after 5 pages of interactions of conversation c-7; the conversation is too large to load, or the server pages without end"},
		{"bytes", 1, 3000, client.WalkLimits{Bytes: 10 << 10}, 4, "stopped after 10 KB of interactions of conversation c-7; "},
		{"rows", 3, 0, client.WalkLimits{Rows: 10}, 4, "stopped after 10 rows of interactions of conversation c-7; "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &mock.EndlessMoveworks{Rows: tc.rows, Pad: tc.pad}
			s := endlessSource(t, e, tc.lim)
			items, err := s.Thread(context.Background(), client.Conversation{ID: "c-7"})
			var wl *client.WalkLimitError
			if !errors.Is(err, client.ErrWalkLimit) || !errors.As(err, &wl) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("Thread: %d items, err %v; want %q", len(items), err, tc.want)
			}
			if errors.Is(err, client.ErrBadResponse) {
				t.Fatalf("a walk limit is not an unreadable response: %v", err)
			}
			if got := e.Requests(); got != tc.requests {
				t.Fatalf("%d requests, want %d", got, tc.requests)
			}
			if wl.Endpoint != strings.TrimSuffix(s.BaseURL(), "/")+"/interactions" {
				t.Fatalf("endpoint %q", wl.Endpoint)
			}
		})
	}
}

func TestDefaultWalkLimitsStopAnEndlessThread(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 requests")
	}
	e := &mock.EndlessMoveworks{}
	s := endlessSource(t, e, client.WalkLimits{})
	_, err := s.Thread(context.Background(), client.Conversation{ID: "c-1"})
	if !errors.Is(err, client.ErrWalkLimit) || !strings.HasPrefix(err.Error(), "stopped after 10,000 pages of interactions of conversation c-1;") {
		t.Fatalf("Thread: %v", err)
	}
	if e.Requests() != 10_000 {
		t.Fatalf("%d requests", e.Requests())
	}
}

func TestEndlessListingStopsAcrossCalls(t *testing.T) {
	e := &mock.EndlessMoveworks{Rows: 2}
	s := endlessSource(t, e, client.WalkLimits{Pages: 3})
	ctx := context.Background()
	cursor := ""
	for page := 1; page <= 3; page++ {
		p, err := s.Conversations(ctx, client.Query{}, cursor)
		if page < 3 {
			if err != nil || p.Next == "" {
				t.Fatalf("page %d: %v (next %q)", page, err, p.Next)
			}
			cursor = p.Next
			continue
		}
		if !errors.Is(err, client.ErrWalkLimit) || err.Error() !=
			"stopped after 3 pages of conversations of source mw; narrow the range (a filter, or --since/--until)" {
			t.Fatalf("page 3: %v", err)
		}
	}
	// A new listing starts afresh.
	if _, err := s.Conversations(ctx, client.Query{}, ""); err != nil {
		t.Fatalf("a new listing: %v", err)
	}
}

func TestExportByIDOnAnEndlessServer(t *testing.T) {
	// confab export: the lookup by id is one request; the thread walk is what must stop.
	e := &mock.EndlessMoveworks{}
	s := endlessSource(t, e, client.WalkLimits{Pages: 4})
	ctx := context.Background()
	c, err := s.Conversation(ctx, "c-42")
	if err != nil || c.ID != "c-42" {
		t.Fatalf("Conversation: %+v, %v", c, err)
	}
	if _, err := s.Thread(ctx, c); !errors.Is(err, client.ErrWalkLimit) {
		t.Fatalf("Thread: %v", err)
	}
	if e.Requests() != 1+4 {
		t.Fatalf("%d requests, want 5", e.Requests())
	}
}

func TestEndlessThreadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := &mock.EndlessMoveworks{}
	e.OnRequest = func(n int64) {
		if n == 3 {
			cancel() // the user pressed ctrl+c or Esc while page 3 was on its way
		}
	}
	s := endlessSource(t, e, client.WalkLimits{})
	_, err := s.Thread(ctx, client.Conversation{ID: "c-1"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Thread: %v, want context.Canceled", err)
	}
	if got := e.Requests(); got != 3 {
		t.Fatalf("%d requests after cancelling in the third, want 3", got)
	}
}
