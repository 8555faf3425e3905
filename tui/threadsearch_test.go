package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/pane"
)

// deepThreadTab is a tab whose one conversation has a thread depth levels deep: a chain of
// replies where every fifth message also gets a short side answer (listed before it, so the
// last row is the deepest), and every fourth message mentions the VPN.
func deepThreadTab(depth int) Tab {
	t0 := fixedNow.Add(-time.Hour)
	var items []client.Interaction
	for i := range depth {
		text := fmt.Sprintf("depth %d: still no luck with it", i)
		if i%4 == 0 {
			text = fmt.Sprintf("depth %d: is the VPN back? vpn status says up", i)
		}
		it := client.Interaction{ID: fmt.Sprintf("d%03d", i), ConversationID: "deep-30", Actor: client.ActorUser,
			Kind: client.KindText, Text: text, Time: t0.Add(time.Duration(i) * time.Minute)}
		if i%2 == 1 {
			it.Actor, it.Kind = client.ActorBot, "bot"
		}
		if i > 0 {
			it.ParentID = fmt.Sprintf("d%03d", i-1)
		}
		if i > 0 && i%5 == 0 {
			items = append(items, client.Interaction{ID: fmt.Sprintf("s%03d", i), ConversationID: "deep-30",
				ParentID: it.ParentID, Actor: client.ActorBot, Kind: "bot",
				Text: fmt.Sprintf("side answer at depth %d", i), Time: it.Time.Add(-time.Second)})
		}
		items = append(items, it)
	}
	c := client.Conversation{ID: "deep-30", UserID: "u-deep", Summary: "a thread 30 replies deep", Started: t0}
	src := &staticSource{name: "deep", convs: []client.Conversation{c},
		threads: map[string][]client.Interaction{threadKey(c): items}}
	return Tab{Name: "deep", Kind: "static", Source: src}
}

// sizedApp is a started app of w×h on tab.
func findSizedApp(t *testing.T, tab Tab, w, h int) *App {
	t.Helper()
	a := New(testDeps(tab))
	update(t, a, tea.WindowSizeMsg{Width: w, Height: h})
	return start(t, a)
}

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {200, 50}}

// TestThreadDepthGolden: a thread 30 deep at the sizes, the cursor on its deepest
// message: the guides stop at a third of the thread's width and deeper rows say "↳N".
func TestThreadDepthGolden(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			a := findSizedApp(t, deepThreadTab(30), sz[0], sz[1])
			update(t, a, keys("enter", "G")...)
			if n := strings.Count(content(a), "\n") + 1; n != sz[1] {
				t.Fatalf("view has %d lines, want %d", n, sz[1])
			}
			requireContains(t, a, "↳29 ", "depth 29: still no luck")
			requireLacks(t, a, "…  ", "… │")
			golden.RequireEqual(t, content(a))
		})
	}
}

// TestThreadSearchGolden: the thread search at the sizes: the hits highlighted (reverse
// and bold under NO_COLOR), the count in the thread's search line; and the input while typing.
func TestThreadSearchGolden(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			a := findSizedApp(t, deepThreadTab(30), sz[0], sz[1])
			update(t, a, keys("enter", "/", "v", "p", "n", "enter", "n", "n")...)
			requireContains(t, a, "3/8", "n/N next/prev · esc clear")
			golden.RequireEqual(t, content(a))
		})
	}
	t.Run("typing_80x24", func(t *testing.T) {
		a := findSizedApp(t, deepThreadTab(30), 80, 24)
		update(t, a, keys("enter", "j", "/", "s", "i", "d", "e")...)
		requireContains(t, a, "1/5", "keep hits", "clear search")
		golden.RequireEqual(t, content(a))
	})
}

// TestThreadSearchFlow: in the Moveworks mock's deep thread (deep-thread1, over HTTP), / finds
// text, n/N go from hit to hit and around, typing takes every key, esc clears the search and
// then goes back to the list, whose / is still the quick filter.
func TestThreadSearchFlow(t *testing.T) {
	a := start(t, newTestApp(t, testDeps(moveworksTab(t))))
	update(t, a, press("enter"))
	requireContains(t, a, "my VPN and my email are both broken", "Which one is more urgent?", "↳8 ")
	if a.mode() != pane.ModeThread {
		t.Fatalf("mode %v after enter", a.mode())
	}
	steps := []struct {
		keys  []string
		has   []string
		lacks []string
	}{
		{[]string{"/"}, []string{"keep hits", "earch the messages of this thread"}, nil},
		{[]string{"v", "p", "n"}, []string{"1/3"}, nil},
		{[]string{"enter"}, []string{"1/3", "n/N next/prev"}, []string{"keep hits"}},
		{[]string{"n"}, []string{"2/3", "Let's look at the VPN first."}, nil},
		{[]string{"n"}, []string{"3/3"}, nil},
		{[]string{"n"}, []string{"search wrapped · 1/3"}, nil},
		{[]string{"N"}, []string{"search wrapped · 3/3", "id "}, nil},
		{[]string{"esc"}, nil, []string{"/3", "n/N next/prev"}},
		// A hit deep in a collapsed branch: the root is collapsed, the search opens it.
		{[]string{"g", "space"}, []string{"▸ text"}, []string{"Level 8: tell me more"}},
		{[]string{"/", "l", "e", "v", "e", "l", "space", "8", "enter"}, []string{"1/3", "Level 8: tell me more"}, nil},
		{[]string{"N"}, []string{"search wrapped · 3/3", "(and a second answer at level 8)"}, nil},
		{[]string{"N"}, []string{"2/3", "Here is more detail, level 8."}, []string{"search wrapped"}},
		// Typing takes q, j and ? as text.
		{[]string{"/", "q", "j", "?"}, []string{"no match"}, nil},
		{[]string{"esc"}, nil, []string{"no match"}},
	}
	for i, s := range steps {
		update(t, a, keys(s.keys...)...)
		requireFrame(t, a)
		v := ansi.Strip(content(a)) // hits are highlighted
		for _, w := range s.has {
			if !strings.Contains(v, w) {
				t.Fatalf("step %d %v: the view lacks %q:\n%s", i, s.keys, w, v)
			}
		}
		for _, w := range s.lacks {
			if strings.Contains(v, w) {
				t.Fatalf("step %d %v: the view has %q:\n%s", i, s.keys, w, v)
			}
		}
	}
	if a.mode() != pane.ModeThread {
		t.Fatalf("mode %v: esc clearing the search left the thread", a.mode())
	}
	update(t, a, press("esc"))
	if a.mode() != pane.ModeList {
		t.Fatalf("mode %v: the second esc did not go back to the list", a.mode())
	}
	update(t, a, press("/"))
	if a.mode() != pane.ModeFilter || !strings.Contains(content(a), "quick") {
		t.Fatalf("/ in the list is not the quick filter:\n%s", content(a))
	}
}

// TestThreadSearchHelp: the full help lists / in the thread, n and N once there is a search,
// and none of them in the list.
func TestThreadSearchHelp(t *testing.T) {
	a := start(t, newTestApp(t, testDeps(deepThreadTab(30))))
	update(t, a, press("?"))
	requireLacks(t, a, "search thread", "next hit")
	update(t, a, keys("?", "enter", "?")...)
	requireContains(t, a, "search thread")
	requireLacks(t, a, "next hit")
	update(t, a, keys("?", "/", "v", "p", "n", "enter", "?")...)
	requireContains(t, a, "search thread", "next hit", "previous hit", "clear search")
}

// TestThreadSearchTeatest runs the search flow through the real program loop: the thread of
// deep-thread1 opens, /vpn finds three messages, n goes around them ("search wrapped"), esc
// clears the search and q quits.
func TestThreadSearchTeatest(t *testing.T) {
	tm := teatest.NewTestModel(t, New(testDeps(moveworksTab(t))), teatest.WithInitialTermSize(120, 40))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(10*time.Second))
	}
	wait("Level 1: tell me more") // the list, and the preview of its first thread
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("space fold") // the thread has focus: its help
	for _, k := range []string{"/", "v", "p", "n", "enter", "n", "n", "n"} {
		tm.Send(press(k))
	}
	wait("search wrapped")
	tm.Send(press("esc"))
	tm.Send(press("q"))
	final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*App)
	if !ok {
		t.Fatalf("final model is %T", final)
	}
	v := content(final)
	if strings.Contains(v, "search wrapped") || strings.Contains(v, "/3") {
		t.Fatalf("esc did not clear the search:\n%s", v)
	}
	if final.mode() != pane.ModeThread {
		t.Fatalf("mode %v, want the thread", final.mode())
	}
}
