package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/tui/pane"
)

// longMessageTab is a tab holding the mock Moveworks corpus's long-message conversation (a
// 40-step user message with emoji and Japanese, a 120-paragraph answer), fetched with the real
// Moveworks client over HTTP so its records, raw ones included, are what confab gets.
func longMessageTab(t *testing.T) Tab {
	t.Helper()
	src := moveworksTab(t).Source // the real client over HTTP (moveworks_test.go)
	c, err := src.Conversation(context.Background(), mock.SpecialLong)
	if err != nil {
		t.Fatal(err)
	}
	th, err := src.Thread(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(th) < 2 || len(th[0].Raw) == 0 || len(c.Raw) == 0 {
		t.Fatalf("the long-message conversation has %d interactions (raw %d bytes), raw conversation %d bytes", len(th), len(th[0].Raw), len(c.Raw))
	}
	st := &staticSource{name: "mw", convs: []client.Conversation{c}, threads: map[string][]client.Interaction{threadKey(c): th}}
	return Tab{Name: "mw", Kind: "static", Source: st}
}

// TestPagerGolden: the long message and its raw record in the pager at 80x24, 120x40 and
// 200x50.
func TestPagerGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, shown := range []struct {
			name string
			keys []string
			has  []string
		}{
			{"message", []string{"enter"}, []string{"Message · User", "Step 1: I tried restarting", "lines 1–", "esc/q back"}},
			{"raw", []string{"o"}, []string{"Raw record · interaction", `"content"`, `: "Step 1: I tried`, "lines 1–"}},
			{"message_end", []string{"enter", "G"}, []string{"Step 40:", "· 100%"}},
		} {
			t.Run(fmt.Sprintf("%s_%dx%d", shown.name, size[0], size[1]), func(t *testing.T) {
				a := newTestApp(t, testDeps(longMessageTab(t)))
				a.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				start(t, a)
				update(t, a, press("enter"))
				update(t, a, keys(shown.keys...)...)
				if a.mode() != pane.ModePager {
					t.Fatalf("mode %d after %v, want the pager", a.mode(), shown.keys)
				}
				requireContains(t, a, shown.has...)
				if n := strings.Count(content(a), "\n") + 1; n != size[1] {
					t.Fatalf("view has %d lines, want %d", n, size[1])
				}
				for i, l := range strings.Split(content(a), "\n") {
					if w := lipglossWidth(l); w > size[0] {
						t.Fatalf("line %d is %d cells wide: %q", i, w, l)
					}
				}
				golden.RequireEqual(t, content(a))
			})
		}
	}
}

// TestPagerFlow: enter on the long answer opens it in the pager; space and G scroll it, o shows
// its raw record and o goes back; esc returns to the thread exactly as it was (cursor and
// scroll: the same screen), and q in the pager closes the pager, not confab.
func TestPagerFlow(t *testing.T) {
	a := newTestApp(t, testDeps(longMessageTab(t)))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(t, a)
	update(t, a, press("enter"), press("down")) // the thread, on the answer
	before := content(a)
	requireContains(t, a, "Paragraph 1.")

	update(t, a, press("enter"))
	requireContains(t, a, "Message · Bot", "lines 1–18 of", "Paragraph 1.")
	update(t, a, press("space"))
	requireContains(t, a, "lines 19–36 of")
	requireLacks(t, a, "lines 1–18 of")
	update(t, a, press("G"))
	requireContains(t, a, "Paragraph 120.", "· 100%")
	update(t, a, press("o"))
	requireContains(t, a, "Raw record · interaction", `"content"`, `: "Paragraph 1.`, "lines 1–18 of")
	update(t, a, press("o"))
	requireContains(t, a, "Message · Bot", "lines 1–18 of")

	update(t, a, press("esc"))
	if a.mode() != pane.ModeThread {
		t.Fatalf("mode %d after esc, want the thread", a.mode())
	}
	if after := content(a); after != before {
		t.Fatalf("the thread is not as it was:\n%s\nwant:\n%s", after, before)
	}

	// q closes the pager; the next q quits.
	update(t, a, press("l")) // nothing to expand on the answer: l reads it
	requireContains(t, a, "Message · Bot")
	if drain(t, a, func() tea.Msg { return press("q") }) {
		t.Fatal("q in the pager quit confab")
	}
	if content(a) != before {
		t.Fatal("q did not return to the thread as it was")
	}
	if !drain(t, a, func() tea.Msg { return press("q") }) {
		t.Fatal("q in the thread did not quit")
	}
}

// TestPagerL: l expands a collapsed message and reads one that has nothing to expand; the
// mouse wheel, routed to the pane, scrolls the pager.
func TestPagerL(t *testing.T) {
	a := newTestApp(t, testDeps(longMessageTab(t)))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(t, a)
	update(t, a, press("enter"), press("h")) // the user message, collapsed: its answer hides
	requireLacks(t, a, "Paragraph 1.")
	update(t, a, press("l"))
	if a.mode() != pane.ModeThread {
		t.Fatalf("l on a collapsed message: mode %d, want the thread", a.mode())
	}
	requireContains(t, a, "Paragraph 1.")
	update(t, a, press("l"))
	requireContains(t, a, "Message · User", "lines 1–18 of")
	_, cmd := a.panes[0].Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	drain(t, a, cmd)
	requireContains(t, a, "lines 4–21 of")
}

// TestPagerRawConversation: O shows the conversation's raw record, its keys in the vendor's
// order.
func TestPagerRawConversation(t *testing.T) {
	tab := longMessageTab(t)
	a := newTestApp(t, testDeps(tab))
	start(t, a)
	update(t, a, press("enter"), press("J"))
	requireContains(t, a, "Raw record · conversation long-message", `"id"`, `: "long-message"`)
	dec := json.NewDecoder(bytes.NewReader(tab.Source.(*staticSource).convs[0].Raw))
	v, at, depth := content(a), 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' || tok == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth != 1 {
				continue
			}
			i := strings.Index(v[at:], `"`+tok+`"`)
			if i < 0 {
				t.Fatalf("key or value %q not shown after byte %d of the view:\n%s", tok, at, v)
			}
			at += i + len(tok) + 2
		}
	}
	if at == 0 {
		t.Fatal("the raw record has no keys")
	}
}

// TestPagerHelp: the full help in the thread lists the keys that open the pager; the help
// line in the pager lists its keys, and says quit is ctrl+c there.
func TestPagerHelp(t *testing.T) {
	a := newTestApp(t, testDeps(longMessageTab(t)))
	a.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	start(t, a)
	update(t, a, press("enter"), press("?"))
	requireContains(t, a, "read message", "raw json", "raw conversation")
	requireLacks(t, a, "half page down")
	update(t, a, press("?"), press("enter"))
	requireContains(t, a, "page down", "back", "ctrl+c")
	requireLacks(t, a, "read message", "q\x1b[m quit")
	update(t, a, press("?"))
	requireContains(t, a, "half page down", "raw conversation", "copy message")
	requireLacks(t, a, "read message", "open thread")
}

// TestPagerHostile walks every hostile Moveworks message through the pager, as text and as raw
// JSON, and checks that no raw control byte reaches the screen and the escapes show.
func TestPagerHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every hostile record")
	}
	src := hostileSources(t)[0]
	a := New(testDeps(Tab{Name: src.name, Kind: "static", Source: src}))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(t, a)
	sawEscaped := false
	check := func(where string) {
		t.Helper()
		v := content(a)
		sawEscaped = sawEscaped || strings.Contains(v, `\x1b`) || strings.Contains(v, `\u001b`)
		if bad, ok := rawControl(v); ok {
			t.Fatalf("%s: raw control in the view: %s", where, bad)
		}
	}
	for i, c := range src.convs {
		update(t, a, press("enter"))
		for j := range len(src.threads[threadKey(c)]) {
			update(t, a, press("enter"))
			check(fmt.Sprintf("conversation %d message %d", i, j))
			update(t, a, press("G"))
			check(fmt.Sprintf("conversation %d message %d, end", i, j))
			update(t, a, press("o"))
			check(fmt.Sprintf("conversation %d message %d, raw", i, j))
			update(t, a, press("J"))
			check(fmt.Sprintf("conversation %d, raw", i))
			update(t, a, press("esc"), press("down"))
		}
		update(t, a, press("esc"), press("down"))
	}
	if !sawEscaped {
		t.Error("no view showed an escaped ESC: the walk did not meet the hostile text")
	}
}

// TestPagerFlowProgram runs the pager in the real program loop: enter on the thread and on
// the message, space and G scroll to the end, esc goes back to the thread, q quits.
func TestPagerFlowProgram(t *testing.T) {
	d := testDeps(longMessageTab(t))
	d.tick = nil
	tm := teatest.NewTestModel(t, New(d), teatest.WithInitialTermSize(80, 24))
	wait := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) },
			teatest.WithDuration(10*time.Second))
	}
	wait("IT · DM")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("Step 1:")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("Message · User")
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	tm.Send(tea.KeyPressMsg{Code: 'G', Text: "G"})
	wait("100%")                                  // the renderer writes changed cells only: "Step 40" may be "40"
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape}) // messages, not bytes: no alt+q
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*App)
	if !ok {
		t.Fatalf("final model is %T", final)
	}
	if final.mode() != pane.ModeThread {
		t.Fatalf("final mode %d, want the thread", final.mode())
	}
}

// TestPagerHugeMessage: a 5 MB message opens cut at 512 KB, and its last line says so and
// how to get the rest; c copies all of it.
func TestPagerHugeMessage(t *testing.T) {
	huge := mock.HostileLong(5<<20, true)
	c := client.Conversation{ID: "huge", UserID: "u1", Started: fixedNow.Add(-time.Hour)}
	items := []client.Interaction{{ID: "huge-1", ConversationID: "huge", Actor: client.ActorUser, Kind: "text",
		Text: huge, Time: fixedNow.Add(-time.Hour)}}
	st := &staticSource{name: "big", convs: []client.Conversation{c}, threads: map[string][]client.Interaction{threadKey(c): items}}
	a := newTestApp(t, testDeps(Tab{Name: "big", Kind: "static", Source: st}))
	start(t, a)
	update(t, a, press("enter"), press("enter"), press("G"))
	requireContains(t, a, "… cut at 512 KB of 5,121 KB · c copies the whole message", "· 100%")
	_, cmd := a.panes[0].Update(press("c"))
	msgs := collect(t, cmd)
	if len(msgs) != 1 {
		t.Fatalf("c produced %v", msgs)
	}
	if req, ok := msgs[0].(pane.CopyRequest); !ok || req.Text != huge {
		t.Fatalf("c asked to copy %T (%d bytes), want the whole message", msgs[0], len(req.Text))
	}
}
