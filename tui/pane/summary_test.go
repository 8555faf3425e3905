package pane

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/cmdtest"
)

// summaryServer is the mock Moveworks over real HTTP, recording the summary requests (the
// interactions of one conversation whose actor is the user) by conversation id, and failing
// those of the ids in fail with a 500.
type summaryServer struct {
	src  *moveworks.Source
	mu   sync.Mutex
	reqs []string // conversation ids, in arrival order
	fail map[string]bool
}

var summaryFilterRe = regexp.MustCompile(`^conversation_id eq '((?:[^']|'')*)' and actor eq 'user'$`)

func newSummaryServer(t *testing.T) *summaryServer {
	t.Helper()
	m := mock.NewMoveworks(mock.Options{Seed: 11, End: fixedNow, Days: 7})
	s := &summaryServer{fail: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sm := summaryFilterRe.FindStringSubmatch(r.URL.Query().Get("$filter")); sm != nil {
			id := strings.ReplaceAll(sm[1], "''", "'")
			s.mu.Lock()
			s.reqs = append(s.reqs, id)
			fail := s.fail[id]
			s.mu.Unlock()
			if fail {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"code":"INTERNAL","message":"summary unavailable"}`))
				return
			}
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	s.src = src
	return s
}

// requests are the conversation ids of the summary requests so far.
func (s *summaryServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// firstUserText is the text of c's first user interaction, from its whole thread.
func (s *summaryServer) firstUserText(t *testing.T, id string) string {
	t.Helper()
	items, err := s.src.Thread(t.Context(), client.Conversation{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Actor == client.ActorUser {
			return it.Text
		}
	}
	return ""
}

// runHolding runs cmd like drain, except that the results of summary requests are held, not
// delivered: the requests they answer stay in flight as far as the pane knows.
func runHolding(t *testing.T, p *Pane, cmd tea.Cmd) []summaryMsg {
	t.Helper()
	var held []summaryMsg
	cmdtest.Drain(t, cmd, func(msg tea.Msg) tea.Cmd {
		if sm, ok := msg.(summaryMsg); ok {
			held = append(held, sm)
			return nil
		}
		if _, ok := msg.(Routed); !ok {
			return nil
		}
		_, next := p.Update(msg)
		return next
	})
	return held
}

// sendHolding feeds msgs to the pane one by one, holding the summary results they lead to.
func sendHolding(t *testing.T, p *Pane, msgs ...tea.Msg) []summaryMsg {
	t.Helper()
	var held []summaryMsg
	for _, m := range msgs {
		_, cmd := p.Update(m)
		held = append(held, runHolding(t, p, cmd)...)
	}
	return held
}

// settle delivers held results, and those they lead to, until no request is in flight;
// flying records the most requests the pane had in flight at once.
func settle(t *testing.T, p *Pane, held []summaryMsg) (flying int) {
	t.Helper()
	flying = len(held)
	for len(held) > 0 {
		m := held[0]
		held = append(held[1:], sendHolding(t, p, m)...)
		flying = max(flying, len(held))
	}
	return flying
}

// visibleIDs are the ids of the rows on screen whose listing has no summary (a Moveworks
// channel interception has one: its detail/content).
func visibleIDs(p *Pane) []string {
	var ids []string
	for i := p.ls.offset; i < min(p.ls.rowCount(), p.ls.offset+p.listRows()); i++ {
		if c := p.ls.items.Conv(p.ls.rowAt(i)); c.Summary == "" {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// counts is how many times each id appears.
func counts(ids []string) map[string]int {
	n := map[string]int{}
	for _, id := range ids {
		n[id]++
	}
	return n
}

// TestSummariesOfVisibleRows: the pane fetches the summaries of the rows on screen, and of no
// other, at most MaxSummaries at once, each once; the cursor stays; each row then shows its
// conversation's first user message.
func TestSummariesOfVisibleRows(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		h       int
		wantMax int // the most requests in flight at once
	}{
		{"one at a time", 1, 14, 1},
		{"four at a time", 4, 14, 4},
		{"the default (four)", 0, 14, 4},
		{"more slots than rows", 16, 8, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSummaryServer(t)
			p := newTestPane(t, srv.src, 100, tt.h, 100, func(cfg *Config) { cfg.MaxSummaries = tt.max })
			held := runHolding(t, p, p.Init())
			visible := visibleIDs(p)
			if p.Len() <= len(visible) {
				t.Fatalf("%d rows loaded, %d shown: the test needs rows off screen", p.Len(), len(visible))
			}
			if len(held) != tt.wantMax || len(srv.requests()) != tt.wantMax {
				t.Fatalf("%d results pending, %d requests; want %d in flight", len(held), len(srv.requests()), tt.wantMax)
			}
			if got := settle(t, p, held); got != tt.wantMax {
				t.Fatalf("%d requests in flight at once, want %d", got, tt.wantMax)
			}
			got := srv.requests()
			if n := counts(got); len(n) != len(visible) || len(got) != len(visible) {
				t.Fatalf("requests %v, want one for each visible row %v", got, visible)
			}
			slices.Sort(got)
			slices.Sort(visible)
			if !slices.Equal(got, visible) {
				t.Fatalf("requests %v, want the visible rows %v", got, visible)
			}
			if p.ls.cursor != 0 || p.ls.offset != 0 {
				t.Fatalf("cursor %d offset %d moved", p.ls.cursor, p.ls.offset)
			}
			shown := 0
			for _, id := range visible {
				want := srv.firstUserText(t, id)
				if text, ok := p.sum.text[id]; !ok || text != sanitize.Clip(want, summaryClip) {
					t.Fatalf("summary of %s = %.80q (%v), want %.80q", id, text, ok, want)
				}
				if w := sanitize.Line(want); len(w) >= 12 && isASCII(w) {
					requireView(t, p, w[:12])
					shown++
				}
			}
			if shown == 0 {
				t.Fatal("no row shows a user message")
			}
			// Moves within the screen fetch nothing more.
			sendHolding(t, p, keys("j", "j", "k")...)
			if n := len(srv.requests()); n != len(visible) {
				t.Fatalf("%d requests after moving within the screen, want %d", n, len(visible))
			}
		})
	}
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// TestSummariesFollowScrolling: scrolling fetches the rows that came on screen, not those
// fetched before; a request whose row scrolls away is cancelled and its result dropped.
func TestSummariesFollowScrolling(t *testing.T) {
	t.Run("newly visible rows", func(t *testing.T) {
		srv := newSummaryServer(t)
		p := newTestPane(t, srv.src, 100, 12, 100, nil)
		settle(t, p, runHolding(t, p, p.Init()))
		first := visibleIDs(p)
		settle(t, p, sendHolding(t, p, press("pgdown"), press("pgdown")))
		second := visibleIDs(p)
		if slices.Equal(first, second) {
			t.Fatal("pgdown did not scroll")
		}
		// Back to the top: nothing is fetched again.
		settle(t, p, sendHolding(t, p, press("g")))
		n := counts(srv.requests())
		for _, id := range append(slices.Clone(first), second...) {
			if n[id] != 1 {
				t.Fatalf("%s requested %d times, want once (requests %v)", id, n[id], srv.requests())
			}
		}
		if _, ok := p.sum.text[second[0]]; !ok {
			t.Fatal("a row scrolled to has no summary")
		}
	})
	t.Run("rows scrolled away", func(t *testing.T) {
		srv := newSummaryServer(t)
		p := newTestPane(t, srv.src, 100, 12, 100, nil)
		held := runHolding(t, p, p.Init()) // in flight
		first := visibleIDs(p)
		if len(held) == 0 {
			t.Fatal("no summary request")
		}
		for _, k := range keys("pgdown", "pgdown") {
			held = append(held, sendHolding(t, p, k)...)
			shown := visibleIDs(p)
			for id := range p.sum.flying {
				if !slices.Contains(shown, id) {
					t.Fatalf("the request of %s, scrolled away, is still in flight", id)
				}
			}
		}
		shown := visibleIDs(p)
		away := 0
		for _, id := range first {
			if !slices.Contains(shown, id) {
				away++
			}
		}
		if away == 0 {
			t.Fatal("no row scrolled away")
		}
		// Every result arrives; only those of rows still on screen are kept.
		var next []summaryMsg
		for _, m := range held {
			next = append(next, sendHolding(t, p, m)...)
		}
		for id := range p.sum.text {
			if !slices.Contains(shown, id) {
				t.Fatalf("the stale result for %s, scrolled away, was kept", id)
			}
		}
		settle(t, p, next)
		for _, id := range shown {
			if _, ok := p.sum.text[id]; !ok {
				t.Fatalf("no summary for %s on screen", id)
			}
		}
	})
}

func toMsgs(ms []summaryMsg) []tea.Msg {
	out := make([]tea.Msg, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
}

// rowLine is row i as the list renders it.
func rowLine(p *Pane, i int) string {
	var b strings.Builder
	p.writeRow(&b, i, p.listW, fixedNow)
	return b.String()
}

// TestSummaryFailure: a failed fetch leaves the row as it was and is not retried on its
// own, whatever the user does next; r asks again, once.
func TestSummaryFailure(t *testing.T) {
	srv := newSummaryServer(t)
	p := newTestPane(t, srv.src, 100, 14, 100, nil)
	held := runHolding(t, p, p.Init())
	visible := visibleIDs(p)
	if len(visible) <= len(held) {
		t.Fatalf("%d rows shown, %d fetched at once: the test needs a row fetched later", len(visible), len(held))
	}
	row := len(visible) - 1
	bad := visible[row]
	srv.mu.Lock()
	srv.fail[bad] = true
	srv.mu.Unlock()
	before := rowLine(p, row)
	settle(t, p, held)
	if !p.sum.failed[bad] {
		t.Fatalf("the failure of %s is not remembered", bad)
	}
	if after := rowLine(p, row); after != before {
		t.Fatalf("the failed row changed:\n%q\n%q", before, after)
	}
	if !strings.Contains(p.View(), strings.TrimSpace(before)) {
		t.Fatal("the view does not show the failed row as it was")
	}
	settle(t, p, sendHolding(t, p, keys("j", "j", "k", "k", "pgdown", "g", "j")...))
	if n := counts(srv.requests())[bad]; n != 1 {
		t.Fatalf("%s requested %d times, want once", bad, n)
	}
	// r refreshes the list and asks again for the failed row, and only for it.
	settle(t, p, sendHolding(t, p, press("r")))
	n := counts(srv.requests())
	for id, k := range n {
		want := 1
		if id == bad {
			want = 2
		}
		if k != want {
			t.Fatalf("%s requested %d times after r, want %d", id, k, want)
		}
	}
}

// TestSummariesDroppedOnNewListing: the results of summary requests superseded by a filter
// change are dropped (the requests are cancelled when the new listing starts), and the rows
// of the new listing are fetched once they arrive.
func TestSummariesDroppedOnNewListing(t *testing.T) {
	srv := newSummaryServer(t)
	p := newTestPane(t, srv.src, 100, 14, 100, nil)
	old := runHolding(t, p, p.Init())
	if len(old) == 0 {
		t.Fatal("no summary request")
	}
	var fresh []summaryMsg
	fresh = append(fresh, sendHolding(t, p, press("f"))...)
	fresh = append(fresh, sendHolding(t, p, typed("route eq 'Notification'")...)...)
	fresh = append(fresh, sendHolding(t, p, press("enter"))...)
	if p.Filter() != "route eq 'Notification'" {
		t.Fatalf("filter %q not applied", p.Filter())
	}
	if len(p.sum.flying) != len(fresh) {
		t.Fatalf("%d requests in flight, %d results pending", len(p.sum.flying), len(fresh))
	}
	sendHolding(t, p, toMsgs(old)...)
	for _, m := range old {
		if _, ok := p.sum.text[m.convID]; ok {
			t.Fatalf("the stale result for %s was kept", m.convID)
		}
	}
	if len(fresh) == 0 {
		t.Fatal("the new listing's rows are not fetched")
	}
	settle(t, p, fresh)
	for _, id := range visibleIDs(p) {
		if _, ok := p.sum.text[id]; !ok {
			t.Fatalf("no summary for %s of the new listing", id)
		}
	}
}
