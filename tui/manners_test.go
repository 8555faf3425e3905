package tui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/tui/quickfilter"
)

// listRequests records the $filter of every listing request the mock Moveworks answers
// (thread loads, which ask for one id, are not listings).
type listRequests struct {
	mu      sync.Mutex
	filters []string
}

func (r *listRequests) record(req *http.Request) {
	if !strings.HasSuffix(req.URL.Path, "/conversations") {
		return
	}
	f := req.URL.Query().Get("$filter")
	if strings.HasPrefix(f, "id eq ") {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.filters = append(r.filters, f)
}

// since is the filters of the listings requested after the first n.
func (r *listRequests) since(n int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.filters[n:]...)
}

func (r *listRequests) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.filters)
}

// countedMoveworksTab is a tab on the real Moveworks source over HTTP against the mock, whose
// listing requests are recorded.
func countedMoveworksTab(t *testing.T, filter string) (Tab, *listRequests) {
	t.Helper()
	m := mock.NewMoveworks(mock.Options{Seed: 11, End: fixedNow, Days: 7})
	reqs := &listRequests{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqs.record(r)
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return Tab{Name: "mw", Kind: moveworks.Kind, Source: src, Query: client.Query{Filter: filter}}, reqs
}

// mannersApp starts an app on a counted Moveworks tab whose pauses in typing end when the
// test releases them (held) or at once (held nil).
func mannersApp(t *testing.T, filter string, held *heldTick, historyDir string) (*App, *listRequests) {
	t.Helper()
	tab, reqs := countedMoveworksTab(t, filter)
	d := testDeps(tab)
	d.HistoryDir = historyDir
	if held != nil {
		d.tick = held.tick
	}
	a := start(t, newTestApp(t, d))
	if reqs.count() == 0 {
		t.Fatal("the first page was not requested")
	}
	return a, reqs
}

const (
	itFilter = "primary_domain eq 'IT'"
	hrFilter = "primary_domain eq 'HR'"
)

// TestFilterEscRestores: Esc in the filter bar goes back to the filter applied before
// editing — its text, the applied state and the rows. With nothing applied meanwhile it
// sends no request (the rows on screen are that filter's already); when the pause applied
// the edited text meanwhile, the list reloads the restored filter with one request.
func TestFilterEscRestores(t *testing.T) {
	tests := []struct {
		name   string
		pause  bool     // the pause in typing ends before Esc
		before []string // listings requested by the edit, before Esc
		after  []string // listings requested by Esc
	}{
		{"typed, esc before the pause", false, nil, nil},
		{"the pause applied the edit", true, []string{hrFilter}, []string{itFilter}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &heldTick{}
			a, reqs := mannersApp(t, itFilter, h, "")
			p := activePane(a)
			n := reqs.count()
			update(t, a, press("f"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			update(t, a, typeText(hrFilter)...)
			if tt.pause {
				h.release(t, a)
				if p.Filter() != hrFilter {
					t.Fatalf("the pause applied %q", p.Filter())
				}
			}
			if got := reqs.since(n); !equalFilters(got, tt.before) {
				t.Fatalf("while editing, listings %q, want %q", got, tt.before)
			}
			n = reqs.count()
			update(t, a, press("esc"))
			h.release(t, a) // pauses still pending are stale: the bar is closed
			if p.Capturing() || p.Filter() != itFilter {
				t.Fatalf("esc: capturing %v, filter %q, want %q", p.Capturing(), p.Filter(), itFilter)
			}
			if got := reqs.since(n); !equalFilters(got, tt.after) {
				t.Fatalf("esc: listings %q, want %q", got, tt.after)
			}
			requirePlain(t, a, "filter "+itFilter)
			requireContains(t, a, "IT · DM")
			requireLacks(t, a, "HR · DM")
			// Editing again starts from the restored filter.
			update(t, a, press("f"))
			requirePlain(t, a, "filter "+itFilter)
		})
	}
}

// equalFilters reports whether the listings asked for want, in order (each $filter holds
// the filter; the source may add its own terms).
func equalFilters(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !strings.Contains(got[i], want[i]) {
			return false
		}
	}
	return true
}

// TestHistoryWalkSendsNoRequest: up and down through the filter history change the text
// only, even when every pause in typing ends at once (a user reading each entry); Enter
// then applies the entry shown with one request.
func TestHistoryWalkSendsNoRequest(t *testing.T) {
	dir := t.TempDir()
	a, reqs := mannersApp(t, "", nil, dir)
	for _, f := range []string{itFilter, "route eq 'DM'", hrFilter} {
		update(t, a, press("f"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		update(t, a, typeText(f)...)
		update(t, a, press("enter"))
	}
	p := activePane(a)
	if p.Filter() != hrFilter {
		t.Fatalf("filter %q", p.Filter())
	}
	n := reqs.count()
	update(t, a, press("f"))
	for _, k := range []string{"up", "up", "up", "down", "up"} {
		update(t, a, press(k))
	}
	requirePlain(t, a, "filter "+itFilter)
	if got := reqs.since(n); len(got) != 0 {
		t.Fatalf("walking the history sent %d listings: %q", len(got), got)
	}
	if p.Filter() != hrFilter || !p.Capturing() {
		t.Fatalf("walking the history applied %q (capturing %v)", p.Filter(), p.Capturing())
	}
	update(t, a, press("enter"))
	if got := reqs.since(n); !equalFilters(got, []string{itFilter}) {
		t.Fatalf("enter: listings %q, want one for %q", got, itFilter)
	}
	if p.Filter() != itFilter || p.Capturing() {
		t.Fatalf("enter: filter %q, capturing %v", p.Filter(), p.Capturing())
	}
	requireContains(t, a, "IT · DM")
}

// TestHistoryWalkThenPause: a pause pending for typed text is stale once the history is
// walked, and typing after the walk applies once, after the pause, the text finally shown.
func TestHistoryWalkThenPause(t *testing.T) {
	h := &heldTick{}
	a, reqs := mannersApp(t, "", h, "")
	update(t, a, press("f"))
	update(t, a, typeText(itFilter)...)
	update(t, a, press("enter"))
	h.held = nil // enter applied it
	n := reqs.count()
	update(t, a, press("f"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	update(t, a, typeText(hrFilter)...)
	update(t, a, press("up")) // back to the IT entry before the pause ends
	h.release(t, a)
	if got := reqs.since(n); len(got) != 0 {
		t.Fatalf("the pause of the typing before the walk sent %q", got)
	}
	update(t, a, typeText(" and route eq 'DM'")...)
	h.release(t, a)
	want := itFilter + " and route eq 'DM'"
	if got := reqs.since(n); !equalFilters(got, []string{want}) {
		t.Fatalf("after the pause: listings %q, want one for %q", got, want)
	}
	if p := activePane(a); p.Filter() != want {
		t.Fatalf("filter %q", p.Filter())
	}
}

// TestSaveViewPrompt: the save-view prompt parts its label from the name typed.
func TestSaveViewPrompt(t *testing.T) {
	tab, _ := odataTab("moveworks", 300)
	d := testDeps(tab)
	d.ConfigPath = t.TempDir() + "/config.toml"
	a := New(d)
	update(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
	start(t, a)
	update(t, a, press("S"))
	update(t, a, typeText("HR only")...)
	requirePlain(t, a, " save as: HR only")
	lacksPlain(t, a, "save asHR")
	requireFrame(t, a)
	golden.RequireEqual(t, content(a))
}

// TestQuickFilterCount: the quick filter says how many of the loaded rows match, counted
// here on the rows the source gave.
func TestQuickFilterCount(t *testing.T) {
	a, src, _ := filterApp(t, 300)
	update(t, a, press("/"))
	requirePlain(t, a, "100 loaded")
	update(t, a, typeText("domain:hr")...)
	// The rows loaded: the source's pages up to the 100 the pane holds.
	var rows []client.Conversation
	for cursor := ""; len(rows) < activePane(a).Len(); {
		page, err := src.Conversations(context.Background(), client.Query{}, cursor)
		if err != nil {
			t.Fatal(err)
		}
		rows, cursor = append(rows, page.Conversations...), page.Next
	}
	if len(rows) != 100 {
		t.Fatalf("%d rows loaded, want 100", len(rows))
	}
	m, err := quickfilter.Parse("domain:hr")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range rows {
		if m.Match(&rows[i]) {
			n++
		}
	}
	if n == 0 || n == 100 {
		t.Fatalf("%d of 100 rows match: not a test of the count", n)
	}
	requirePlain(t, a, fmt.Sprintf(" %d of 100 loaded match", n))
}

// TestQuickFilterEscRestores: Esc while editing the quick filter goes back to the quick
// filter of before editing, and with none it turns the quick filter off.
func TestQuickFilterEscRestores(t *testing.T) {
	a, src, _ := filterApp(t, 300)
	calls := len(src.Calls())
	update(t, a, press("/"))
	update(t, a, typeText("domain:hr")...)
	update(t, a, press("enter"))
	requirePlain(t, a, "quick  domain:hr", "HR · ")
	update(t, a, press("/"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	update(t, a, typeText("domain:it")...)
	lacksPlain(t, a, "HR · ")
	update(t, a, press("esc"))
	if activePane(a).Capturing() {
		t.Fatal("esc left the quick filter editing")
	}
	requirePlain(t, a, "quick  domain:hr", "HR · ", " of 100 loaded match")
	lacksPlain(t, a, "IT · ")
	// Esc in the list turns it off; esc while editing a new one from none leaves it off.
	update(t, a, press("esc"))
	update(t, a, press("/"))
	update(t, a, typeText("domain:it")...)
	update(t, a, press("esc"))
	requirePlain(t, a, "HR · ", "IT · ")
	lacksPlain(t, a, "quick  ")
	for _, c := range src.Calls()[calls:] {
		if strings.HasPrefix(c, "page:") {
			t.Fatalf("the quick filter asked the source for a page: %v", src.Calls()[calls:])
		}
	}
}
