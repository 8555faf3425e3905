package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/pane"
)

func TestPagingLoadsAheadAndStopsAtTheEnd(t *testing.T) {
	tab, src := fakeTab("mw", 260)
	a := start(t, newTestApp(t, testDeps(tab)))
	p := a.panes[0]
	if p.Len() != 100 {
		t.Fatalf("after start: %d loaded, want 100 (first page and one page ahead)", p.Len())
	}
	requireContains(t, a, "100 loaded · more ↓", " 1 mw 100+ ")
	for range 5 {
		update(t, a, press("G")) // the end of the loaded rows: the next pages come in
	}
	if p.Len() != 260 {
		t.Fatalf("after G: %d loaded, want 260", p.Len())
	}
	requireContains(t, a, "260 conversations", " 1 mw 260 ")
	requireLacks(t, a, "more ↓")
	want := []string{"page:", "page:50", "page:100", "page:150", "page:200", "page:250"}
	if got := pageCalls(src); !slices.Equal(got, want) {
		t.Fatalf("page requests %v, want %v", got, want)
	}
	requireFrame(t, a)
}

func pageCalls(src *fake.Source) []string {
	var out []string
	for _, c := range src.Calls() {
		if strings.HasPrefix(c, "page:") {
			out = append(out, c)
		}
	}
	return out
}

func TestTotalIsShownWhenKnown(t *testing.T) {
	tab, src := fakeTab("mw", 3011)
	src.WithTotal = true
	a := start(t, newTestApp(t, testDeps(tab)))
	requireContains(t, a, " 1 mw 3,011 ", "100 of 3,011 loaded · more ↓")
}

func TestErrorOnALaterPageKeepsLoadedRowsAndRetries(t *testing.T) {
	tab, src := fakeTab("mw", 120)
	src.FailOnce("50", client.ErrUnavailable)
	a := start(t, newTestApp(t, testDeps(tab)))
	p := a.panes[0]
	if p.Len() != 50 {
		t.Fatalf("%d loaded, want the 50 of page 1", p.Len())
	}
	requireContains(t, a, "service unavailable", "press r to retry", "Laptop will not boot")
	update(t, a, press("r"), press("G"))
	if p.Len() != 120 {
		t.Fatalf("after retry: %d loaded, want 120", p.Len())
	}
	requireContains(t, a, "120 conversations")
	requireLacks(t, a, "press r to retry")
}

func TestFirstPageErrorThenRetry(t *testing.T) {
	tab, src := fakeTab("mw", 10)
	src.FailOnce("", &client.APIError{Kind: client.ErrAuth, Status: 401})
	a := start(t, newTestApp(t, testDeps(tab)))
	requireContains(t, a, "Could not load conversations", "credentials refused", "confab auth login", "press r to retry", " 1 mw ! ")
	update(t, a, press("r"))
	requireContains(t, a, "10 conversations")
}

func TestStalePageResultsAreDropped(t *testing.T) {
	tab, _ := fakeTab("mw", 500)
	a := newTestApp(t, testDeps(tab))
	old := collect(t, a.Init()) // first request (gen 1), not delivered yet
	_, cmd := a.Update(press("r"))
	fresh := collect(t, cmd) // the refresh supersedes it (gen 2)
	for _, m := range old {
		if fmt.Sprintf("%T", m) == "pane.pageMsg" {
			if _, next := a.Update(m); next != nil {
				t.Fatalf("stale %T produced a command", m)
			}
		}
	}
	if a.panes[0].Len() != 0 {
		t.Fatalf("a stale page was applied: %d rows", a.panes[0].Len())
	}
	update(t, a, fresh...)
	if a.panes[0].Len() == 0 {
		t.Fatal("the current page was not applied")
	}
}

func TestSupersededRequestIsCancelled(t *testing.T) {
	var seen []context.Context
	src := &ctxSource{Source: fake.New("mw", 10, 1), ctxs: &seen}
	a := newTestApp(t, testDeps(Tab{Name: "mw", Source: src}))
	first := collect(t, a.Init())
	update(t, a, press("r"))
	if len(seen) < 2 {
		t.Fatalf("saw %d requests", len(seen))
	}
	if seen[0].Err() == nil {
		t.Fatal("the superseded request's context was not cancelled")
	}
	_ = first
	update(t, a, press("q"))
	for i, c := range seen {
		if c.Err() == nil {
			t.Fatalf("request %d still live after quit", i)
		}
	}
}

// ctxSource records the context of every page request.
type ctxSource struct {
	*fake.Source
	ctxs *[]context.Context
}

func (s *ctxSource) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	*s.ctxs = append(*s.ctxs, ctx)
	return s.Source.Conversations(ctx, q, cursor)
}

func TestThreadOpenCollapseBack(t *testing.T) {
	tab, _ := fakeTab("mw", 20)
	a := New(testDeps(tab))
	update(t, a, tea.WindowSizeMsg{Width: 80, Height: 24}) // narrow: the thread opens full width
	start(t, a)
	requireLacks(t, a, "Thread ·")
	update(t, a, press("enter"))
	if a.mode() != pane.ModeThread {
		t.Fatalf("mode %v after enter", a.mode())
	}
	requireContains(t, a, "user u-07919", "├─", "└─", "[orphan]", "Orphaned form submission", "Detail")
	before := content(a)
	update(t, a, press("j"), press("space")) // collapse the bot answer: its branches hide
	requireLacks(t, a, "example.com/reset", "Sam from")
	update(t, a, press("space"))
	requireContains(t, a, "example.com/reset", "Sam from")
	update(t, a, press("h")) // collapse
	requireLacks(t, a, "example.com/reset")
	update(t, a, press("l")) // expand
	requireContains(t, a, "example.com/reset")
	update(t, a, press("esc"))
	if a.mode() != pane.ModeList {
		t.Fatalf("mode %v after esc", a.mode())
	}
	requireLacks(t, a, "Thread ·")
	if before == content(a) {
		t.Fatal("esc did not go back to the list")
	}
}

func TestWidePreviewFollowsSelectionAndDropsStaleResults(t *testing.T) {
	tab, src := fakeTab("mw", 20)
	a := start(t, newTestApp(t, testDeps(tab)))
	requireContains(t, a, "user u-07919") // the preview of the first conversation
	// Move six rows without letting the first move's timer fire: the rows next to the
	// first preview (1, 2) are prefetched, 3 is skipped, 6 is where the selection rests.
	// The pane has one preview timer: only the first move arms it.
	_, cmd1 := a.Update(press("j"))
	m1 := collect(t, cmd1)
	for range 5 {
		_, cmd := a.Update(press("j"))
		if msgs := collect(t, cmd); len(msgs) != 0 {
			t.Fatalf("a move while the timer is pending armed another: %v", msgs)
		}
	}
	calls := len(src.Calls())
	var rearmed []tea.Msg
	for _, m := range m1 {
		_, next := a.Update(m) // the selection moved since: the timer is re-armed, nothing loads
		rearmed = append(rearmed, collect(t, next)...)
	}
	if got := src.Calls()[calls:]; len(got) != 0 {
		t.Fatalf("the timer of a selection left behind made requests: %v", got)
	}
	update(t, a, rearmed...)
	all := src.Calls()
	if slices.Contains(all, "thread:conv-000003") {
		t.Fatalf("the skipped conversation's thread was requested: %v", all)
	}
	if !slices.Contains(all, "thread:conv-000006") {
		t.Fatalf("the selected conversation's thread was not requested: %v", all)
	}
}

func TestThreadErrorAndRetry(t *testing.T) {
	tab, src := fakeTab("mw", 5)
	src.FailThreads(client.ErrUnavailable)
	a := start(t, newTestApp(t, testDeps(tab)))
	update(t, a, press("enter"))
	requireContains(t, a, "Could not load the thread", "press r to retry")
	src.FailThreads(nil)
	update(t, a, press("r"))
	requireContains(t, a, "Orphaned form submissi")
}

func TestTabsSwitchAndTabErrIsolated(t *testing.T) {
	tab1, _ := fakeTab("one", 5)
	tab3, _ := fakeTab("three", 7)
	bad := Tab{Name: "two", Kind: "talkdesk", Err: errors.New("no credential: run confab auth login two")}
	a := start(t, newTestApp(t, testDeps(tab1, bad, tab3)))
	if got := a.View().WindowTitle; got != "confab — one" {
		t.Fatalf("title %q", got)
	}
	update(t, a, press("tab"))
	requireContains(t, a, "two is not available", "confab auth login two")
	update(t, a, press("j"), press("enter"), press("r")) // keys do nothing on a broken tab
	update(t, a, press("tab"))
	requireContains(t, a, "7 conversations")
	update(t, a, press("shift+tab"), press("shift+tab"))
	requireContains(t, a, "5 conversations")
	update(t, a, press("3"))
	if a.active != 2 {
		t.Fatalf("active %d after 3", a.active)
	}
	update(t, a, press("9")) // no ninth tab
	if a.active != 2 {
		t.Fatalf("active %d after 9", a.active)
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			tab, _ := fakeTab("mw", 5)
			a := start(t, newTestApp(t, testDeps(tab)))
			_, cmd := a.Update(press(k))
			if !drain(t, a, cmd) {
				t.Fatalf("%s did not quit", k)
			}
			if a.ctx.Err() == nil {
				t.Fatal("requests' context not cancelled on quit")
			}
		})
	}
}

func TestHelpTogglesAndShrinksThePane(t *testing.T) {
	tab, _ := fakeTab("mw", 5)
	tab2, _ := fakeTab("td", 5)
	a := start(t, newTestApp(t, testDeps(tab, tab2)))
	h := a.layout.Body.H
	update(t, a, press("?"))
	if a.layout.Body.H >= h {
		t.Fatalf("full help did not take room: body %d → %d", h, a.layout.Body.H)
	}
	requireContains(t, a, "page down", "previous tab")
	requireFrame(t, a)
	update(t, a, press("esc"))
	if a.layout.Body.H != h || a.showHelp {
		t.Fatal("esc did not close help")
	}
}

// TestNoVendorEscapes renders the hostile record everywhere it can appear (list row, preview,
// thread rows, detail panel, status bar) with attribute-free styles: then any ESC would have
// to come from vendor text.
func TestNoVendorEscapes(t *testing.T) {
	tab, src := fakeTab("mw"+fake.Hostile, 20)
	src.FailOnce("", errors.New("boom "+fake.Hostile))
	d := testDeps(tab, Tab{Name: "bad", Err: errors.New(fake.Hostile)})
	st := plainStyles()
	d.styles = &st
	a := newTestApp(t, d)
	start(t, a)
	check := func(step string) {
		t.Helper()
		v := a.View()
		for _, s := range []string{v.Content, v.WindowTitle} {
			if strings.ContainsAny(s, "\x1b\x07\x9b\x00\u202e") {
				t.Fatalf("%s: raw control character in the view:\n%q", step, s)
			}
		}
		requireFrame(t, a)
	}
	check("error")
	update(t, a, press("r"))
	check("list")
	for range fake.HostileIndex {
		update(t, a, press("j"))
	}
	check("preview")
	requireContains(t, a, `\x1b]0;pwned`)
	update(t, a, press("enter"), press("G"))
	check("thread")
	update(t, a, pane.Notice{Err: true, Text: fake.Hostile})
	check("status")
	update(t, a, press("tab"))
	check("tab err")
	for _, size := range [][2]int{{80, 24}, {250, 70}} {
		update(t, a, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		update(t, a, press("tab"))
		check("resized")
	}
}

// TestEveryCmdYieldsAMsg drives every Cmd constructor (init, pages, preview, thread, spinner,
// status, notices, retry, help, tabs, quit) and checks each result is a Msg, not a Cmd.
func TestEveryCmdYieldsAMsg(t *testing.T) {
	tab, src := fakeTab("mw", 300)
	src.FailOnce("50", client.ErrRateLimited)
	a := newTestApp(t, testDeps(tab, Tab{Name: "x", Err: errors.New("x")}))
	drain(t, a, a.Init()) // drain calls requireMsg on every message
	update(t, a, press("tab"))
	update(t, a, keys("tab", "r", "G", "g", "j", "pgdown", "enter", "j", "space", "r", "esc", "?", "?")...)
	update(t, a, pane.Notice{Text: "hello"}, statusMsg{Text: "hi"})
	_, cmd := a.Update(press("q"))
	if !drain(t, a, cmd) {
		t.Fatal("q did not quit")
	}
}

func TestStatusClearUsesID(t *testing.T) {
	tab, _ := fakeTab("mw", 5)
	a := newTestApp(t, testDeps(tab))
	_, clear1 := a.Update(statusMsg{Text: "first"})
	_, _ = a.Update(statusMsg{Text: "second"})
	drain(t, a, clear1) // the first message's timer must not clear the second
	requireContains(t, a, "second")
}

func TestLaysOutCleanlyAtEverySize(t *testing.T) {
	tab, _ := fakeTab("mw", 500)
	a := start(t, newTestApp(t, testDeps(tab, Tab{Name: "bad", Err: errors.New("nope")})))
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {119, 40}, {120, 40}, {200, 60}, {250, 70}} {
		for _, ks := range [][]string{nil, {"enter"}, {"esc", "?"}, {"?"}} {
			update(t, a, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			update(t, a, keys(ks...)...)
			c := content(a)
			lines := strings.Split(c, "\n")
			if len(lines) != sz[1] {
				t.Fatalf("%dx%d %v: %d lines", sz[0], sz[1], ks, len(lines))
			}
			for i, l := range lines {
				if w := lipglossWidth(l); w != sz[0] {
					t.Fatalf("%dx%d %v: line %d is %d cells: %q", sz[0], sz[1], ks, i, w, l)
				}
			}
		}
	}
}

// TestFullHelpFitsNarrowScreens: at 80x24 (and other sizes) the full help shows every key of
// the mode, the last group's "? help" and "q quit" included, in the list and in a thread, and
// no line is wider than the screen; below what fits it falls back to columns cut at the width.
func TestFullHelpFitsNarrowScreens(t *testing.T) {
	for _, tc := range []struct {
		w, h   int
		thread bool
	}{{80, 24, false}, {80, 24, true}, {100, 30, true}, {200, 50, false}, {200, 50, true}} {
		t.Run(fmt.Sprintf("%dx%d thread=%v", tc.w, tc.h, tc.thread), func(t *testing.T) {
			tab, _ := fakeTab("mw", 30)
			a := start(t, newTestApp(t, testDeps(tab)))
			update(t, a, tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
			if tc.thread {
				update(t, a, press("enter"))
			}
			update(t, a, press("?"))
			frame := ansi.Strip(a.View().Content)
			for i, l := range strings.Split(frame, "\n") {
				if lipglossWidth(l) > tc.w {
					t.Errorf("line %d is %d cells wide, more than %d: %q", i, lipglossWidth(l), tc.w, l)
				}
			}
			var want []string
			for _, g := range a.FullHelp() {
				for _, b := range g {
					if b.Enabled() && b.Help().Key != "" {
						want = append(want, b.Help().Key+" ", b.Help().Desc)
					}
				}
			}
			for _, s := range want {
				if !strings.Contains(frame, s) {
					t.Errorf("the full help lacks %q:\n%s", s, frame)
				}
			}
			if a.layout.Body.H < fullHelpBodyMin {
				t.Errorf("the pane kept %d rows, want at least %d", a.layout.Body.H, fullHelpBodyMin)
			}
		})
	}
}
