package tui

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/odata"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// odataSource is a fake source with Moveworks' filter language and order: a filter naming
// a domain (primary_domain eq 'X') keeps that domain's rows; the order is recorded.
type odataSource struct {
	*fake.Source
	orders bool
}

func (s odataSource) FilterSpec() client.FilterSpec { return odata.Spec(odata.Conversations) }
func (s odataSource) Orders() bool                  { return s.orders }

func (s odataSource) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	dom := ""
	if _, after, ok := strings.Cut(q.Filter, "primary_domain eq '"); ok {
		dom, _, _ = strings.Cut(after, "'")
	}
	q.Filter = ""
	for {
		p, err := s.Source.Conversations(ctx, q, cursor)
		if err != nil || dom == "" {
			return p, err
		}
		var keep []client.Conversation
		for _, c := range p.Conversations {
			if c.Attrs.Value("domain") == dom {
				keep = append(keep, c)
			}
		}
		p.Conversations = keep
		return p, nil
	}
}

func odataTab(name string, n int) (Tab, *fake.Source) {
	src := fake.New(name, n, 1)
	return Tab{Name: name, Kind: "moveworks", Source: odataSource{Source: src, orders: true}}, src
}

func typeText(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		if r == ' ' {
			out = append(out, press("space"))
			continue
		}
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// heldTick records debounce ticks instead of firing them, so a test decides when the pause
// in typing ends; every other tick fires at once.
type heldTick struct{ held []tea.Cmd }

func (h *heldTick) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if d == 300*time.Millisecond {
		cmd := func() tea.Msg { return fn(fixedNow) }
		h.held = append(h.held, cmd)
		return nil
	}
	return instantTick(d, fn)
}

// release fires the held ticks, oldest first.
func (h *heldTick) release(t *testing.T, a *App) {
	t.Helper()
	held := h.held
	h.held = nil
	for _, c := range held {
		drain(t, a, c)
	}
}

func filterApp(t *testing.T, n int) (*App, *fake.Source, *heldTick) {
	t.Helper()
	tab, src := odataTab("moveworks", n)
	src.WithTotal = true
	d := testDeps(tab)
	h := &heldTick{}
	d.tick = h.tick
	return start(t, newTestApp(t, d)), src, h
}

func activePane(a *App) interface {
	Filter() string
	Order() client.Order
	Capturing() bool
	Len() int
} {
	return a.panes[a.active]
}

func TestFilterGolden(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) *App
	}{
		{"idle", func(t *testing.T) *App {
			a, _, _ := filterApp(t, 300)
			return a
		}},
		{"editing_error", func(t *testing.T) *App {
			a, _, _ := filterApp(t, 300)
			update(t, a, press("f"))
			update(t, a, typeText("primary_domain eq 'IT' and (route eq 'DM'")...)
			return a
		}},
		{"editing_error_wide_chars", func(t *testing.T) *App {
			a, _, _ := filterApp(t, 300)
			update(t, a, press("f"))
			update(t, a, typeText("detail/content eq '打印机' and plaform eq 'x'")...)
			return a
		}},
		{"applied", func(t *testing.T) *App {
			a, _, _ := filterApp(t, 300)
			update(t, a, press("f"))
			update(t, a, typeText("primary_domain eq 'HR'")...)
			update(t, a, press("enter"))
			return a
		}},
		{"completion", func(t *testing.T) *App {
			a, _, _ := filterApp(t, 300)
			update(t, a, press("f"))
			update(t, a, typeText("primary_domain eq '")...)
			update(t, a, press("tab"), press("tab"))
			return a
		}},
		{"quick", func(t *testing.T) *App {
			a, _, _ := filterApp(t, 300)
			update(t, a, press("/"))
			update(t, a, typeText("vpn !u-1")...)
			return a
		}},
		{"quick_error", func(t *testing.T) *App {
			a, _, _ := filterApp(t, 300)
			update(t, a, press("/"))
			update(t, a, typeText("re:(reset")...)
			return a
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.setup(t)
			requireFrame(t, a)
			golden.RequireEqual(t, content(a))
		})
	}
}

func TestFilterEditApplyCancel(t *testing.T) {
	a, src, h := filterApp(t, 300)
	p := activePane(a)
	update(t, a, press("f"))
	if !p.Capturing() {
		t.Fatal("f did not start editing")
	}
	// q and 1 are typed, not quit / switch tab.
	update(t, a, typeText("primary_domain eq 'IT' and q1")...)
	if !p.Capturing() || p.Filter() != "" {
		t.Fatalf("typing q1 left the bar (capturing %v, filter %q)", p.Capturing(), p.Filter())
	}
	requireContains(t, a, "invalid filter at column")
	calls := len(src.Calls())
	h.release(t, a) // the pause ends: an invalid filter is not sent
	if len(src.Calls()) != calls || p.Filter() != "" {
		t.Fatalf("an invalid filter was sent: %v", src.Calls()[calls:])
	}
	// Fix it: backspace over "q1" and the " and".
	for range len(" and q1") {
		update(t, a, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	requireLacks(t, a, "invalid filter")
	if p.Filter() != "" {
		t.Fatal("the filter applied before the pause ended")
	}
	h.release(t, a)
	if p.Filter() != "primary_domain eq 'IT'" {
		t.Fatalf("after the pause the filter is %q", p.Filter())
	}
	if !p.Capturing() {
		t.Fatal("the debounce left editing")
	}
	requireContains(t, a, "IT · dm")
	requireLacks(t, a, "HR · channel")
	// Esc goes back to the filter of before editing (none), although the pause applied one
	// meanwhile: the unfiltered rows come back.
	update(t, a, typeText(" and route eq 'x")...)
	update(t, a, press("esc"))
	if p.Capturing() || p.Filter() != "" {
		t.Fatalf("esc: capturing %v, filter %q", p.Capturing(), p.Filter())
	}
	requirePlain(t, a, "filter none · f to edit")
	requireContains(t, a, "HR · channel", "IT · dm")
	// Enter applies at once.
	update(t, a, press("f"))
	update(t, a, typeText("primary_domain eq 'HR'")...)
	update(t, a, press("enter"))
	if p.Filter() != "primary_domain eq 'HR'" || p.Capturing() {
		t.Fatalf("enter: filter %q, capturing %v", p.Filter(), p.Capturing())
	}
	requireContains(t, a, "HR · channel")
}

func TestStaleDebounceIsIgnored(t *testing.T) {
	a, src, h := filterApp(t, 300)
	update(t, a, press("f"))
	update(t, a, typeText("route eq 'DM'")...)
	held := h.held
	h.held = nil
	update(t, a, typeText(" and user_id eq '1'")...)
	calls := len(src.Calls())
	for _, c := range held { // ticks of older keystrokes: stale tags
		drain(t, a, c)
	}
	if len(src.Calls()) != calls || activePane(a).Filter() != "" {
		t.Fatalf("a stale debounce applied %q", activePane(a).Filter())
	}
	h.release(t, a)
	if got := activePane(a).Filter(); got != "route eq 'DM' and user_id eq '1'" {
		t.Fatalf("filter = %q", got)
	}
}

func TestOrderToggle(t *testing.T) {
	a, src, _ := filterApp(t, 300)
	calls := len(src.Calls())
	update(t, a, press("o"))
	if activePane(a).Order() != client.OldestFirst || len(src.Calls()) == calls {
		t.Fatalf("o: order %v, calls %v", activePane(a).Order(), src.Calls()[calls:])
	}
	requireContains(t, a, "oldest first")
	if !a.keys.Filter.Order.Enabled() || !a.filterHelp(a.keys).Filter.Order.Enabled() {
		t.Fatal("the order key is disabled for a source that orders")
	}

	// A source without ordering: the key does nothing and help hides it.
	tab, _ := fakeTab("plain", 50)
	b := start(t, newTestApp(t, testDeps(tab)))
	update(t, b, press("o"))
	if activePane(b).Order() != client.NewestFirst {
		t.Fatal("o changed the order of a source that cannot order")
	}
	if b.filterHelp(b.keys).Filter.Order.Enabled() {
		t.Fatal("the order key is enabled for a source that cannot order")
	}
}

func TestHistoryRecallAndFile(t *testing.T) {
	dir := t.TempDir()
	tab, _ := odataTab("moveworks", 100)
	d := testDeps(tab)
	d.HistoryDir = dir
	a := start(t, newTestApp(t, d))
	for _, f := range []string{"route eq 'DM'", "primary_domain eq 'IT'", "route eq 'DM'"} {
		update(t, a, press("f"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		update(t, a, typeText(f)...)
		update(t, a, press("enter"))
	}
	// A new app loads the file at start: up recalls the newest first, duplicates collapsed.
	b := start(t, newTestApp(t, d))
	update(t, b, press("f"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	update(t, b, press("up"))
	requirePlain(t, b, "filter route eq 'DM'")
	update(t, b, press("up"))
	requirePlain(t, b, "filter primary_domain eq 'IT'")
	update(t, b, press("up")) // no older entry
	requirePlain(t, b, "filter primary_domain eq 'IT'")
	update(t, b, press("down"), press("down"))
	lacksPlain(t, b, "filter route eq", "filter primary_domain")
}

func TestViewsPickAndSave(t *testing.T) {
	cfgPath := t.TempDir() + "/config.toml"
	base := "# keep me\n[[source]]\nname = \"moveworks\"\nkind = \"moveworks\"\nregion = \"us\"\n"
	if err := writeFile(cfgPath, base); err != nil {
		t.Fatal(err)
	}
	tab, _ := odataTab("moveworks", 300)
	d := testDeps(tab)
	d.ConfigPath = cfgPath
	d.Views = []View{{Name: "hr", Source: "moveworks", Filter: "primary_domain eq 'HR'", Order: "oldest"},
		{Name: "other source", Source: "talkdesk", Filter: "since:7d"}}
	a := start(t, newTestApp(t, d))
	update(t, a, press("v"))
	requireContains(t, a, "view   hr")
	requireLacks(t, a, "other source")
	update(t, a, press("enter"))
	p := activePane(a)
	if p.Filter() != "primary_domain eq 'HR'" || p.Order() != client.OldestFirst {
		t.Fatalf("view applied: filter %q order %v", p.Filter(), p.Order())
	}
	update(t, a, press("S"))
	update(t, a, typeText("hr-oldest")...)
	update(t, a, press("enter"))
	got, err := readFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	want := base + "\n[[view]]\nname = \"hr-oldest\"\nsource = \"moveworks\"\nfilter = \"primary_domain eq 'HR'\"\norder = \"oldest\"\n"
	if got != want {
		t.Fatalf("config after S:\n%s\nwant:\n%s", got, want)
	}
}

func TestQuickFilterNarrowsAndClears(t *testing.T) {
	a, src, _ := filterApp(t, 300)
	pages := func() (n int) {
		for _, c := range src.Calls() {
			if strings.HasPrefix(c, "page:") {
				n++
			}
		}
		return n
	}
	calls := pages()
	update(t, a, press("/"))
	update(t, a, typeText("domain:hr")...)
	if pages() != calls {
		t.Fatalf("the quick filter made page requests: %v", src.Calls())
	}
	requireContains(t, a, "HR · channel", "of 100 loaded match")
	requireLacks(t, a, "IT · dm")
	update(t, a, press("enter"))
	requirePlain(t, a, "quick  domain:hr")
	update(t, a, press("esc")) // in the list, esc clears the quick filter
	requireContains(t, a, "IT · dm")
	lacksPlain(t, a, "quick  domain:hr")
}

// slowSource answers each request after a random delay, so answers arrive out of order.
type slowSource struct {
	odataSource
	rng *rand.Rand
	mu  sync.Mutex
}

func (s *slowSource) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	s.mu.Lock()
	d := time.Duration(s.rng.Intn(3000)) * time.Microsecond
	s.mu.Unlock()
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return client.Page{}, fmt.Errorf("slow source: %w", ctx.Err())
	}
	return s.odataSource.Conversations(ctx, q, cursor)
}

// TestFilterRaceEndsOnTheLastFilter applies many filters against a source that answers out of
// order, delivering the answers in the order they arrive: the pane ends on the last filter's
// rows, with no spinner left.
func TestFilterRaceEndsOnTheLastFilter(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		src := &slowSource{odataSource: odataSource{Source: fake.New("moveworks", 300, 1)}, rng: rand.New(rand.NewSource(seed))}
		d := testDeps(Tab{Name: "moveworks", Kind: "moveworks", Source: src})
		h := &heldTick{}
		d.tick = h.tick
		a := newTestApp(t, d)
		msgs := make(chan tea.Msg, 4096)
		pending := 0 // Cmds running; only the test goroutine touches it
		run := func(cmd tea.Cmd) {
			for _, c := range flatten(cmd) {
				pending++
				go func() { msgs <- c() }()
			}
		}
		run(a.Init())
		domains := []string{"IT", "HR", "Finance"}
		pick := rand.New(rand.NewSource(seed + 100)) // the test's own choices (src.rng is the source's)
		var last string
		for i := range 12 {
			last = domains[(i*int(seed))%3]
			_, cmd := a.Update(press("f"))
			run(cmd)
			_, cmd = a.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			run(cmd)
			for _, m := range typeText("primary_domain eq '" + last + "'") {
				_, cmd = a.Update(m)
				run(cmd)
			}
			_, cmd = a.Update(press("enter"))
			run(cmd)
			// Deliver some answers in arrival order before the next filter.
			for range pick.Intn(3) {
				select {
				case m := <-msgs:
					pending--
					deliverRace(t, a, m, run)
				case <-time.After(5 * time.Millisecond):
				}
			}
		}
		for pending > 0 {
			m := <-msgs
			pending--
			deliverRace(t, a, m, run)
		}
		p := a.panes[0]
		if p.Filter() != "primary_domain eq '"+last+"'" {
			t.Fatalf("seed %d: filter %q", seed, p.Filter())
		}
		c := content(a)
		for _, dom := range domains {
			has := strings.Contains(c, dom+" · ")
			if has != (dom == last) {
				t.Fatalf("seed %d: last filter %s, but the list shows %s rows = %v:\n%s", seed, last, dom, has, c)
			}
		}
		if strings.Contains(c, "Refreshing") || strings.Contains(c, "Loading") {
			t.Fatalf("seed %d: a spinner is left running:\n%s", seed, c)
		}
	}
}

// deliverRace feeds m to a; the Cmds it returns run concurrently through run.
func deliverRace(t *testing.T, a *App, m tea.Msg, run func(tea.Cmd)) {
	t.Helper()
	requireMsg(t, m)
	if b, ok := m.(tea.BatchMsg); ok {
		for _, c := range b {
			run(c)
		}
		return
	}
	if m == nil {
		return
	}
	_, cmd := a.Update(m)
	run(cmd)
}

func flatten(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	return []tea.Cmd{cmd}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// requirePlain checks the view's text, styles stripped, has every want.
func requirePlain(t *testing.T, a *App, want ...string) {
	t.Helper()
	requireView(t, ansi.Strip(content(a)), want, nil)
}

// lacksPlain checks the view's text, styles stripped, has none of bad.
func lacksPlain(t *testing.T, a *App, bad ...string) {
	t.Helper()
	requireView(t, ansi.Strip(content(a)), nil, bad)
}
