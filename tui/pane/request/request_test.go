package request

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
)

func TestLifecycle(t *testing.T) {
	type step struct {
		do   string // start, mark, done:<n>, stale, end, stop, release
		gen  uint64 // the generation after the step
		busy bool
		ok   bool // the result of done
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"zero value", []step{{do: "none", gen: 0}}},
		{"start then its result", []step{{do: "start", gen: 1, busy: true}, {do: "done", gen: 1, ok: true}}},
		{"a superseded result is stale", []step{{do: "start", gen: 1, busy: true}, {do: "start", gen: 2, busy: true},
			{do: "stale", gen: 2, busy: true}, {do: "done", gen: 2, ok: true}}},
		{"stop makes the result stale", []step{{do: "start", gen: 1, busy: true}, {do: "stop", gen: 2}, {do: "stale", gen: 2}}},
		{"a timer marks and ends", []step{{do: "mark", gen: 1, busy: true}, {do: "end", gen: 1}, {do: "mark", gen: 2, busy: true}}},
		{"release keeps the generation", []step{{do: "start", gen: 1, busy: true}, {do: "release", gen: 1, busy: true},
			{do: "done", gen: 1, ok: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Lifecycle
			for i, s := range tt.steps {
				ok := false
				switch s.do {
				case "start":
					l.Start(context.Background())
				case "mark":
					l.Mark()
				case "done":
					ok = l.Done(l.Gen())
				case "stale":
					ok = l.Done(l.Gen() - 1)
				case "end":
					l.End()
				case "stop":
					l.Stop()
				case "release":
					l.Release()
				}
				if l.Gen() != s.gen || l.Busy() != s.busy || ok != s.ok {
					t.Fatalf("step %d %s: gen %d busy %v ok %v, want %d %v %v", i, s.do, l.Gen(), l.Busy(), ok, s.gen, s.busy, s.ok)
				}
				if !l.Current(s.gen) || l.Current(s.gen+1) {
					t.Fatalf("step %d: Current(%d) is wrong", i, s.gen)
				}
			}
		})
	}
}

func TestLifecycleCancels(t *testing.T) {
	tests := []struct {
		name   string
		then   func(l *Lifecycle, gen uint64)
		cancel bool
	}{
		{"a new start cancels the old", func(l *Lifecycle, _ uint64) { l.Start(context.Background()) }, true},
		{"stop cancels", func(l *Lifecycle, _ uint64) { l.Stop() }, true},
		{"release cancels", func(l *Lifecycle, _ uint64) { l.Release() }, true},
		{"done releases", func(l *Lifecycle, gen uint64) { l.Done(gen) }, true},
		{"a stale done does not cancel the current", func(l *Lifecycle, gen uint64) { l.Done(gen - 1) }, false},
		{"mark supersedes", func(l *Lifecycle, _ uint64) { l.Mark() }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Lifecycle
			ctx, gen := l.Start(context.Background())
			tt.then(&l, gen)
			if got := ctx.Err() != nil; got != tt.cancel {
				t.Fatalf("cancelled %v, want %v", got, tt.cancel)
			}
		})
	}
}

type retried struct{ ev client.RetryEvent }

func wrap(ev client.RetryEvent) tea.Msg { return retried{ev} }

func TestCallListen(t *testing.T) {
	ev := client.RetryEvent{Attempt: 1, Wait: 3 * time.Second, Err: client.ErrRateLimited}
	tests := []struct {
		name string
		run  func(c *Call, ctx context.Context, end func())
		want tea.Msg
	}{
		{"a retry is reported", func(c *Call, ctx context.Context, end func()) {
			client.NotifyRetry(ctx, ev)
		}, retried{ev}},
		{"a reported retry wins over the end", func(c *Call, ctx context.Context, end func()) {
			client.NotifyRetry(ctx, ev)
			end()
		}, retried{ev}},
		{"the end stops listening", func(c *Call, ctx context.Context, end func()) { end() }, nil},
		{"a cancel stops listening", func(c *Call, ctx context.Context, end func()) { c.Stop() }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Call
			ctx, end, _ := c.Start(context.Background())
			listen := c.Listen(wrap)
			tt.run(&c, ctx, end)
			if got := listen(); got != tt.want {
				t.Fatalf("listen = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestCountdown(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	server := &client.APIError{Status: 503}
	tests := []struct {
		name    string
		ev      client.RetryEvent
		at      time.Duration // how long after Set the text is read
		want    string
		remains int
	}{
		{"rate limited", client.RetryEvent{Attempt: 1, Wait: 12 * time.Second, Err: client.ErrRateLimited}, 0,
			"rate limited — retrying in 12 s", 12},
		{"rate limited never counts attempts", client.RetryEvent{Attempt: 3, Wait: 2 * time.Second, Err: client.ErrRateLimited}, 0,
			"rate limited — retrying in 2 s", 2},
		{"server error counts attempts", client.RetryEvent{Attempt: 1, Wait: 2 * time.Second, Err: server}, 0,
			"server error — retrying in 2 s (attempt 2)", 2},
		{"seconds round up", client.RetryEvent{Attempt: 0, Wait: 2500 * time.Millisecond, Err: server}, 0,
			"server error — retrying in 3 s", 3},
		{"time passes", client.RetryEvent{Attempt: 0, Wait: 10 * time.Second, Err: client.ErrBadResponse}, 4 * time.Second,
			"bad response — retrying in 6 s", 6},
		{"due", client.RetryEvent{Attempt: 0, Wait: time.Second, Err: &client.APIError{}}, 2 * time.Second,
			"network error — retrying now…", 0},
		{"other", client.RetryEvent{Attempt: 0, Wait: time.Second, Err: errors.New("x")}, 0,
			"request failed — retrying in 1 s", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Countdown
			if r.Text(now) != "" || r.Active() {
				t.Fatal("a zero countdown shows a retry")
			}
			gen := r.Set(tt.ev, now)
			at := now.Add(tt.at)
			if got := r.Text(at); got != tt.want {
				t.Errorf("Text = %q, want %q", got, tt.want)
			}
			if got := r.Remaining(at); got != tt.remains {
				t.Errorf("Remaining = %d, want %d", got, tt.remains)
			}
			if !r.Current(gen) {
				t.Error("the tick of the shown retry is not current")
			}
			if next := r.Set(tt.ev, now); r.Current(gen) || !r.Current(next) {
				t.Error("a newer retry does not stop the older countdown")
			}
			r.Clear()
			if r.Active() || r.Current(r.Gen()) || r.Text(at) != "" {
				t.Error("a cleared countdown still runs")
			}
		})
	}
}

func TestCallClearsCountdown(t *testing.T) {
	ev := client.RetryEvent{Attempt: 1, Wait: time.Second, Err: client.ErrRateLimited}
	now := time.Unix(0, 0)
	tests := []struct {
		name   string
		then   func(c *Call, gen uint64)
		active bool
	}{
		{"done", func(c *Call, gen uint64) { c.Done(gen) }, false},
		{"stale done", func(c *Call, gen uint64) { c.Done(gen + 1) }, true},
		{"stop", func(c *Call, _ uint64) { c.Stop() }, false},
		{"restart", func(c *Call, _ uint64) { c.Start(context.Background()) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Call
			_, _, gen := c.Start(context.Background())
			c.Retry.Set(ev, now)
			tt.then(&c, gen)
			if c.Retry.Active() != tt.active {
				t.Fatalf("countdown active %v, want %v", c.Retry.Active(), tt.active)
			}
		})
	}
}
