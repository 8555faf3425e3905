package tui

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// endlessSource pages without end: every cursor answers 50 new conversations and a next
// cursor. It records each page request's context.
type endlessSource struct {
	*fake.Source
	total int // Page.Total (-1: the vendor does not say)

	mu    sync.Mutex
	calls []string
	ctxs  []context.Context
}

func newEndless(total int) *endlessSource {
	return &endlessSource{Source: fake.New("mw", 10, 1), total: total}
}

func (s *endlessSource) Conversations(ctx context.Context, _ client.Query, cursor string) (client.Page, error) {
	s.mu.Lock()
	s.calls = append(s.calls, cursor)
	s.ctxs = append(s.ctxs, ctx)
	s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return client.Page{}, fmt.Errorf("endless page: %w", err)
	}
	n, _ := strconv.Atoi(cursor)
	rows := make([]client.Conversation, 50)
	for i := range rows {
		rows[i] = client.Conversation{Source: "mw", ID: fmt.Sprintf("conv-%d-%d", n, i), UserID: "u-1",
			Started: fake.Base.Add(-time.Duration(n*50+i) * time.Minute), Summary: "endless"}
	}
	return client.Page{Conversations: rows, Next: strconv.Itoa(n + 1), Total: s.total}, nil
}

func (s *endlessSource) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

func TestGLoadsAtMostMaxPagesThenGAgainGoesOn(t *testing.T) {
	tests := []struct {
		name  string
		total int
		after []string // the footer after the first G, then after the second
	}{
		{"no total", -1, []string{"loaded 300 of ≥ 300 — G again to keep going", "loaded 500 of ≥ 500 — G again to keep going"}},
		{"a total", 12345, []string{"loaded 300 of 12,345 — G again to keep going", "loaded 500 of 12,345 — G again to keep going"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := newEndless(tc.total)
			deps := testDeps(Tab{Name: "mw", Kind: "fake", Source: src})
			deps.MaxPagesPerJump = 4
			a := start(t, newTestApp(t, deps))
			p := a.panes[0]
			if p.Len() != 100 || src.requests() != 2 {
				t.Fatalf("after start: %d rows in %d requests, want the first page and one ahead", p.Len(), src.requests())
			}
			update(t, a, press("G"))
			if p.Len() != 300 || src.requests() != 6 {
				t.Fatalf("after G: %d rows in %d requests, want 4 more pages", p.Len(), src.requests())
			}
			requireContains(t, a, tc.after[0], "conv-5-49") // the selection followed the rows to the end
			update(t, a, press("G"))
			if p.Len() != 500 || src.requests() != 10 {
				t.Fatalf("after G again: %d rows in %d requests, want 4 more pages", p.Len(), src.requests())
			}
			requireContains(t, a, tc.after[1], "conv-9-49")
			requireFrame(t, a)
			// Moving up ends the jump; near the end of the list a move loads again.
			update(t, a, press("up"))
			requireLacks(t, a, "G again")
		})
	}
}

func TestDefaultJumpIs20Pages(t *testing.T) {
	src := newEndless(-1)
	a := start(t, newTestApp(t, testDeps(Tab{Name: "mw", Kind: "fake", Source: src})))
	update(t, a, press("G"))
	if got := src.requests(); got != 2+20 {
		t.Fatalf("G made %d requests after the first 2, want 20", got-2)
	}
	requireContains(t, a, "loaded 1,100 of ≥ 1,100 — G again to keep going")
}

func TestEscStopsThePageLoadInFlight(t *testing.T) {
	src := newEndless(-1)
	a := start(t, newTestApp(t, testDeps(Tab{Name: "mw", Kind: "fake", Source: src})))
	p := a.panes[0]
	_, cmd := a.Update(press("G")) // the next page's request starts; its result is not in yet
	pending := collectLater(cmd)
	requireContains(t, a, "loading more…")
	update(t, a, press("esc"))
	requireContains(t, a, "loading stopped · 100 loaded — G to load more")
	update(t, a, pending...) // the request ran on a cancelled context; its result is dropped
	if p.Len() != 100 {
		t.Fatalf("%d rows after esc, want the 100 loaded before", p.Len())
	}
	src.mu.Lock()
	ctx := src.ctxs[len(src.ctxs)-1]
	src.mu.Unlock()
	if ctx.Err() == nil {
		t.Fatal("esc did not cancel the request's context")
	}
	requireContains(t, a, "loading stopped")
	update(t, a, press("G"))
	if p.Len() <= 100 {
		t.Fatalf("G after esc loaded nothing: %d rows", p.Len())
	}
}

func TestEscStopsAFirstPageAndRRetries(t *testing.T) {
	src := newEndless(-1)
	a := newTestApp(t, testDeps(Tab{Name: "mw", Kind: "fake", Source: src}))
	pending := collectLater(a.Init())
	update(t, a, press("esc"))
	update(t, a, pending...)
	requireContains(t, a, "loading stopped (esc)", "press r to retry")
	update(t, a, press("r"))
	if a.panes[0].Len() == 0 {
		t.Fatal("r after esc loaded nothing")
	}
}

func TestEscStopsAThreadPreviewLoading(t *testing.T) {
	src := newEndless(-1)
	a := start(t, newTestApp(t, testDeps(Tab{Name: "mw", Kind: "fake", Source: src})))
	if !a.layout.Wide() {
		t.Fatal("the test needs the preview column")
	}
	// pgdown schedules the preview of a row not prefetched (those next to the first preview
	// are); its tick (instant here) starts the thread request. The first preview stays on
	// screen, dimmed, "loading…" in the title.
	_, cmd := a.Update(press("pgdown"))
	var pending []tea.Msg
	for _, m := range collect(t, cmd) {
		_, next := a.Update(m)
		pending = append(pending, collectLater(next)...)
	}
	requireContains(t, a, "loading… ")
	requireLacks(t, a, "Loading thread…")
	update(t, a, press("esc"))
	update(t, a, pending...)
	requireLacks(t, a, "Loading thread…", "loading… ")
	requireContains(t, a, "press enter to open its thread")
}

// collectLater runs cmd's commands now (as Bubble Tea would, in the background) but returns
// their messages for the test to deliver later.
func collectLater(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch m := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		default:
			out = append(out, m)
		}
	}
	return out
}

// TestQuickFilterWithoutMatchesDoesNotPageTheWholeSource: with no row matching the quick
// filter, the selection is always "near the end", so every page that arrives asks for the
// next; the pages of one keypress bound that chain.
func TestQuickFilterWithoutMatchesDoesNotPageTheWholeSource(t *testing.T) {
	src := newEndless(-1)
	deps := testDeps(Tab{Name: "mw", Kind: "fake", Source: src})
	deps.MaxPagesPerJump = 3
	a := start(t, newTestApp(t, deps))
	update(t, a, press("/"))
	update(t, a, typeText("nothing-matches-this")...)
	update(t, a, press("enter"))
	before := src.requests()
	update(t, a, press("G"))
	if got := src.requests() - before; got != 3 {
		t.Fatalf("G made %d page requests, want 3", got)
	}
	requireContains(t, a, "loaded 250 of ≥ 250 — G again to keep going")
	update(t, a, press("G"))
	if got := src.requests() - before; got != 6 {
		t.Fatalf("G twice made %d page requests, want 6", got)
	}
}
