package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// retryingSource is a fake source whose request for cursor reports the retries the test sends
// on events (from the request's context, as the HTTP layer does) and then waits for release.
type retryingSource struct {
	*fake.Source
	events  chan client.RetryEvent
	release chan struct{}
	entered chan string  // each blocked request, as it starts waiting
	done    atomic.Int32 // requests that saw their context cancelled
}

func newRetryingSource(n int, block string) *retryingSource {
	s := &retryingSource{Source: fake.New("fake", n, 1), events: make(chan client.RetryEvent),
		release: make(chan struct{}), entered: make(chan string, 8)}
	s.Before = func(ctx context.Context, call string) {
		if call != block {
			return
		}
		s.entered <- call
		for {
			select {
			case ev := <-s.events:
				client.NotifyRetry(ctx, ev)
			case <-s.release:
				return
			case <-ctx.Done():
				s.done.Add(1)
				return
			}
		}
	}
	return s
}

var (
	rateLimited = client.RetryEvent{Endpoint: "/records", Attempt: 1, Wait: 12 * time.Second,
		Err: &client.APIError{Kind: client.ErrRateLimited, Endpoint: "/records", Status: 429, RetryAfter: 12 * time.Second}}
	serverError = client.RetryEvent{Endpoint: "/records", Attempt: 1, Wait: 2 * time.Second,
		Err: &client.APIError{Kind: client.ErrUnavailable, Endpoint: "/records", Status: 503}}
)

func footerLine(a *App) string {
	lines := strings.Split(content(a), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "loaded") || strings.Contains(lines[i], "conversations") || strings.Contains(lines[i], "retrying") {
			return lines[i]
		}
	}
	return ""
}

func TestRetryCountdownInFooter(t *testing.T) {
	src := newRetryingSource(120, "page:50")
	h := newAsyncHarness(t, Tab{Name: "fake", Kind: "fake", Source: src})
	h.spawn(h.a.Init())
	h.until("first page", func() bool { return strings.Contains(content(h.a), "50 loaded") })
	first := fake.New("fake", 120, 1)
	firstSummary := ""
	if p, err := first.Conversations(context.Background(), client.Query{}, ""); err == nil {
		firstSummary = p.Conversations[0].Summary
	}

	h.update(press("G")) // the last loaded row: the next page is requested
	<-src.entered
	src.events <- rateLimited
	h.until("rate-limit countdown", func() bool { return strings.Contains(footerLine(h.a), "rate limited — retrying in 12 s") })
	golden.RequireEqual(t, content(h.a))

	// The countdown runs once a second; the rows stay and keys keep working.
	for _, want := range []string{"11 s", "10 s", "9 s"} {
		h.advance(time.Second)
		if f := footerLine(h.a); !strings.Contains(f, "rate limited — retrying in "+want) {
			t.Fatalf("after a second the footer is %q, want the countdown at %s", f, want)
		}
	}
	h.update(press("g"))
	if f := footerLine(h.a); !strings.Contains(f, " 1/50") || !strings.Contains(f, "rate limited") {
		t.Errorf("g while waiting: footer %q, want the selection on row 1 and the countdown still shown", f)
	}
	if firstSummary != "" && !strings.Contains(content(h.a), firstSummary[:10]) {
		t.Errorf("the loaded rows left the screen while waiting:\n%s", content(h.a))
	}

	// A second retry, for a server error, replaces the countdown.
	src.events <- serverError
	h.until("server-error countdown", func() bool {
		return strings.Contains(footerLine(h.a), "server error — retrying in 2 s (attempt 2)")
	})
	h.advance(2 * time.Second)
	if f := footerLine(h.a); !strings.Contains(f, "server error — retrying now") {
		t.Errorf("at the end of the countdown the footer is %q", f)
	}

	// The page arrives: the countdown goes, the rows are appended.
	close(src.release)
	h.until("second page", func() bool { return strings.Contains(footerLine(h.a), "100 loaded") })
	if f := footerLine(h.a); strings.Contains(f, "retrying") {
		t.Errorf("the countdown outlived its request: %q", f)
	}
	// A countdown tick of the finished request changes nothing.
	h.advance(10 * time.Second)
	if f := footerLine(h.a); strings.Contains(f, "retrying") {
		t.Errorf("a stale countdown tick brought the countdown back: %q", f)
	}
}

func TestRetryCountdownInThread(t *testing.T) {
	src0 := fake.New("fake", 10, 1)
	p, _ := src0.Conversations(context.Background(), client.Query{}, "")
	src := newRetryingSource(10, "thread:"+p.Conversations[0].ID)
	h := newAsyncHarness(t, Tab{Name: "fake", Kind: "fake", Source: src})
	h.spawn(h.a.Init())
	h.until("first page", func() bool { return strings.Contains(content(h.a), "10 conversations") })
	h.update(press("enter"))
	<-src.entered
	src.events <- rateLimited
	h.until("thread countdown", func() bool { return strings.Contains(content(h.a), "rate limited — retrying in 12 s") })

	// Esc while the thread loads cancels its request; a late retry event is dropped.
	h.update(press("esc"))
	h.until("request cancelled", func() bool { return src.done.Load() == 1 })
	if strings.Contains(content(h.a), "retrying") {
		t.Errorf("the countdown stayed after esc:\n%s", content(h.a))
	}
}

func TestQuitCancelsRequests(t *testing.T) {
	src := newRetryingSource(120, "page:")
	h := newAsyncHarness(t, Tab{Name: "fake", Kind: "fake", Source: src})
	h.spawn(h.a.Init())
	<-src.entered
	_, cmd := h.a.Update(press("q"))
	if msgs := collect(t, cmd); len(msgs) != 1 {
		t.Fatalf("q returned %v, want a quit", msgs)
	}
	h.a.close() // what Run does when the program ends
	h.until("request cancelled", func() bool { return src.done.Load() == 1 })
}
