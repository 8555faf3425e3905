package tui

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
)

// bigThread is a thread of n interactions: chains of replies with branches, and a 200 KB
// hostile message every 10,000 rows.
func bigThread(convID string, n int) []client.Interaction {
	out := make([]client.Interaction, n)
	base := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for i := range out {
		it := client.Interaction{ID: fmt.Sprintf("i%06d", i), ConversationID: convID,
			Actor: client.ActorUser, Kind: client.KindText, Time: base.Add(time.Duration(i) * time.Second),
			Text: fmt.Sprintf("message %d: the VPN drops every few minutes", i)}
		if i%2 == 1 {
			it.Actor = client.ActorBot
		}
		if i > 0 {
			it.ParentID = out[i-1].ID
			if i%7 == 0 {
				it.ParentID = out[max(0, i-3)].ID // a branch
			}
		}
		if i%10_000 == 5 {
			it.Text = mock.HostileLong(mock.HostileLongSize, true)
		}
		out[i] = it
	}
	return out
}

// BenchmarkThreadKeypress measures one keypress in an open thread of 100,000 interactions at
// 120x40: Update (move the selection) plus View (the whole frame: tree rows and the detail
// panel). It must stay flat in the thread's size.
func BenchmarkThreadKeypress(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			src := &staticSource{name: "big", threads: map[string][]client.Interaction{}}
			c := client.Conversation{ID: "big-thread", UserID: "u1", Summary: "a very long thread",
				Started: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
			src.convs = []client.Conversation{c}
			src.threads[threadKey(c)] = bigThread(c.ID, n)
			d := testDeps(Tab{Name: "big", Kind: "static", Source: src})
			st := NewStyles(DefaultPalette(), true)
			d.styles = &st
			a := start(b, newTestApp(b, d))
			update(b, a, press("enter"))
			if !strings.Contains(content(a), "message 0") {
				b.Fatalf("thread not open:\n%s", content(a))
			}
			down, up := press("j"), press("k")
			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				k := down
				if i%60 >= 30 {
					k = up
				}
				a.Update(k)
				_ = a.View()
			}
		})
	}
}

// TestLongMessageIsClippedForDisplay checks that a 200 KB message is shown cut, with "…" in
// its row and a "more lines" marker in the detail panel, while the thread keeps it whole.
func TestLongMessageIsClippedForDisplay(t *testing.T) {
	src := &staticSource{name: "long", threads: map[string][]client.Interaction{}}
	c := client.Conversation{ID: "long", Summary: mock.HostileLong(mock.HostileLongSize, false), Started: fixedNow.Add(-time.Hour)}
	src.convs = []client.Conversation{c}
	long := mock.HostileLong(mock.HostileLongSize, true)
	src.threads[threadKey(c)] = []client.Interaction{{ID: "m1", ConversationID: "long", Actor: client.ActorUser,
		Kind: client.KindText, Time: fixedNow.Add(-time.Hour), Text: long}}
	a := start(t, newTestApp(t, testDeps(Tab{Name: "long", Kind: "static", Source: src})))
	update(t, a, press("enter"))
	v := content(a)
	if !strings.Contains(v, "…") {
		t.Errorf("the long message is not cut with …:\n%s", v)
	}
	if !strings.Contains(v, "more lines; y to copy the whole thread)") {
		t.Errorf("the detail panel has no more-lines marker:\n%s", v)
	}
	if len(v) > 64<<10 {
		t.Errorf("a frame of %d bytes for a 200 KB message", len(v))
	}
	th, _ := src.Thread(context.Background(), c)
	if th[0].Text != long {
		t.Error("the message was changed")
	}
}
