package tui

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/merge"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
	"github.com/confab-dev/confab/client/transcript"
	"github.com/confab-dev/confab/tui/pane"
)

// odRecentTab is an OpenDialog tab on the mock whose corpus ends at the tests' clock, like
// the Moveworks and Talkdesk tabs', so the three interleave in time.
func odRecentTab(t *testing.T) Tab {
	t.Helper()
	m := mock.NewOpenDialog(mock.Options{Seed: 7, End: fixedNow, Days: 7})
	rt := odRoundTrip(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		return rec.Result(), nil
	})
	src, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: "http://127.0.0.1:8702" + mock.OpenDialogBasePath, Token: m.Token,
		Now: func() time.Time { return fixedNow }, HTTP: client.HTTPOptions{MaxRetries: -1, Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	return Tab{Name: "od", Kind: opendialog.Kind, Source: src}
}

// allTabs are the tabs cmd/confab makes of three sources: each source's, then the All tab
// merging them (each with its own default filter), last.
func allTabs(t *testing.T) []Tab {
	t.Helper()
	tabs := []Tab{moveworksTab(t), talkdeskTab(t, "", 0), odRecentTab(t)}
	var members []client.Source
	for _, tab := range tabs {
		members = append(members, merge.WithDefaults(tab.Source, tab.Query))
	}
	return append(tabs, Tab{Name: "All", All: true, Source: merge.New("All", members...)})
}

// allApp is a started app of w×h cells on allTabs, the All tab selected.
func allApp(t *testing.T, w, h int, tweak func(*Deps)) *App {
	t.Helper()
	deps := testDeps(allTabs(t)...)
	if tweak != nil {
		tweak(&deps)
	}
	a := newTestApp(t, deps)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	start(t, a)
	update(t, a, press("4"))
	return a
}

// TestAllTabGolden: the All tab lists the three sources' conversations merged newest first,
// each row naming its source; no filter bar.
func TestAllTabGolden(t *testing.T) {
	tests := []struct {
		name string
		w, h int
	}{
		{"list", 120, 40},
		{"list_80x24", 80, 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := allApp(t, tt.w, tt.h, nil)
			requireFrame(t, a)
			// Talkdesk's newest call is hours older than the others' newest rows: move down
			// until rows of the three sources share the screen.
			for range 100 {
				if len(sourcesOnScreen(a)) == 3 {
					break
				}
				update(t, a, press("j"))
			}
			if seen := sourcesOnScreen(a); len(seen) != 3 {
				t.Fatalf("rows of %v on screen, want mw, td and od:\n%s", seen, content(a))
			}
			requireContains(t, a, "Source", " 4 All ")
			for _, line := range strings.Split(content(a), "\n") {
				if strings.HasPrefix(line, " filter ") {
					t.Fatalf("the All tab shows a filter bar:\n%s", content(a))
				}
			}
			golden.RequireEqual(t, content(a))
		})
	}
}

// sourcesOnScreen counts the list rows on screen by their source column.
func sourcesOnScreen(a *App) map[string]int {
	seen := map[string]int{}
	for _, row := range listRows(content(a)) {
		seen[strings.Fields(row)[3]]++
	}
	return seen
}

// TestAllTabTalkdeskThreadAndCopy: in the All tab, f says there is no vendor filter, the quick
// filter narrows to a Talkdesk row, enter opens its thread (read from Talkdesk), and y and Y
// copy it as its own tab would: the Markdown and JSON transcripts of that Talkdesk thread.
func TestAllTabTalkdeskThreadAndCopy(t *testing.T) {
	clip := &fakeClip{}
	var tabs []Tab
	a := allApp(t, 120, 40, func(d *Deps) {
		d.ExportDir = t.TempDir()
		d.Clipboard, d.ClipboardName = clip.write, "fakeclip"
		tabs = d.Tabs
	})
	r := runCopy(t, a, press("f"))
	if got := r.lastStatus(); got != "the All tab has no vendor filter: use / to narrow or ctrl+f to search" {
		t.Fatalf("f: status %q", got)
	}
	if a.mode() != pane.ModeList {
		t.Fatalf("f opened something: mode %v", a.mode())
	}

	// The Talkdesk conversation to find, as Talkdesk lists it.
	td := tabs[1].Source
	page, err := td.Conversations(context.Background(), tabs[1].Query, "")
	if err != nil {
		t.Fatal(err)
	}
	c := page.Conversations[0] // the newest call: "¿dónde está mi pedido?"
	if !strings.Contains(c.Summary, "pedido") {
		t.Fatalf("the newest Talkdesk call is %q", c.Summary)
	}
	update(t, a, press("/"))
	update(t, a, typeText("pedido")...)
	update(t, a, press("enter"))
	seen := sourcesOnScreen(a)
	if seen["td"] == 0 {
		t.Fatalf("the quick filter shows rows of %v:\n%s", seen, content(a))
	}
	update(t, a, press("enter"))
	requireContains(t, a, "source td · id "+c.ID, "Agent (")
	if a.mode() != pane.ModeThread {
		t.Fatalf("enter: mode %v, want the thread", a.mode())
	}

	items, err := td.Thread(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	r = runCopy(t, a, press("y"))
	want := renderItems(t, transcript.FormatMarkdown, c, items, transcript.Options{Kind: talkdesk.Kind})
	if len(r.osc) != 1 || r.osc[0] != want {
		t.Fatalf("y copied %d texts:\n%v\nwant the Talkdesk thread:\n%s", len(r.osc), r.osc, want)
	}
	if len(clip.got) != 1 || clip.got[0] != want {
		t.Fatalf("native clipboard got %q", clip.got)
	}
	if !strings.Contains(r.lastStatus(), "Copied thread") {
		t.Fatalf("status %q", r.lastStatus())
	}
	r = runCopy(t, a, press("Y"))
	want = renderItems(t, transcript.FormatJSON, c, items, transcript.Options{Kind: talkdesk.Kind})
	if len(r.osc) != 1 || r.osc[0] != want {
		t.Fatalf("Y copied %v\nwant the Talkdesk thread's JSON:\n%s", r.osc, want)
	}
}

// renderItems is the transcript of c's thread items in format f.
func renderItems(t *testing.T, f transcript.Format, c client.Conversation, items []client.Interaction, opt transcript.Options) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := transcript.Render(&b, f, c, items, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestAllTabOneSourceFailing: a source whose credentials are refused does not empty the All
// tab: the other sources' rows are listed and the footer names the failed source.
func TestAllTabOneSourceFailing(t *testing.T) {
	mw, td, od := moveworksTab(t), talkdeskTab(t, "wrong-secret", 0), odRecentTab(t)
	all := merge.New("All", merge.WithDefaults(mw.Source, mw.Query), merge.WithDefaults(td.Source, td.Query), merge.WithDefaults(od.Source, od.Query))
	a := newTestApp(t, testDeps(Tab{Name: "All", All: true, Source: all}))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(t, a)
	requireFrame(t, a)
	seen := sourcesOnScreen(a)
	if seen["mw"] == 0 || seen["od"] == 0 || seen["td"] != 0 {
		t.Fatalf("rows of %v:\n%s", seen, content(a))
	}
	requireContains(t, a, "⚠ td: credentials refused")
	requireLacks(t, a, "wrong-secret")
}

// TestAllTabOrder: an All tab whose sources all list both ways has the order key; the footer
// says the order (there is no filter bar to say it), and o lists oldest first.
func TestAllTabOrder(t *testing.T) {
	mw, od := moveworksTab(t), odRecentTab(t)
	all := merge.New("All", mw.Source, od.Source)
	a := newTestApp(t, testDeps(Tab{Name: "All", All: true, Source: all}))
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(t, a)
	requireContains(t, a, "newest first (o)", "Nov 21 15:30")
	update(t, a, press("o"))
	requireContains(t, a, "oldest first (o)", "Nov 14")
	requireLacks(t, a, "Nov 21 15:30")
}
