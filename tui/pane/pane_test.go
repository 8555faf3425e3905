package pane

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
)

func TestPaneStates(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		setup     func(src *fake.Source, cfg *Config)
		run       bool // run Init's Cmds
		wantTitle string
		wantMode  Mode
		want      []string
	}{
		{"loading", 120, nil, false, "…", ModeList, []string{"Loading conversations…"}},
		{"ready", 120, nil, true, "50+", ModeList, []string{"Time", "Reset my VPN password", "50 loaded · more ↓", "1/50"}},
		{"ready with a total", 120, func(src *fake.Source, _ *Config) { src.WithTotal = true }, true, "120", ModeList,
			[]string{"50 of 120 loaded · more ↓"}},
		{"all loaded", 3, nil, true, "3", ModeList, []string{"3 conversations", "1/3"}},
		{"empty", 0, nil, true, "0", ModeList, []string{"No conversations", "press r to refresh"}},
		{"empty offline", 0, func(src *fake.Source, cfg *Config) { cfg.Local = &Local{Stored: src, Offline: true} }, true, "0",
			ModeList, []string{"No conversations", "offline: 'confab sync' fills the local store, then press r"}},
		{"empty with a filter", 3, func(_ *fake.Source, cfg *Config) { cfg.Query.Filter = "nothing like it" }, true, "0", ModeList,
			[]string{"No conversations match nothing like it"}},
		{"error", 3, func(src *fake.Source, _ *Config) { src.FailOnce("", client.ErrRateLimited) }, true, "!", ModeList,
			[]string{"Could not load conversations", "press r to retry"}},
		{"unavailable", 3, func(_ *fake.Source, cfg *Config) { cfg.Source, cfg.Err = nil, errors.New("no api key") }, true, "!",
			ModeUnavailable, []string{"fake is not available", "no api key", "The other tabs still work"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", tt.n, 1)
			p := newTestPane(t, src, 120, 30, 120, func(cfg *Config) {
				if tt.setup != nil {
					tt.setup(src, cfg)
				}
			})
			cmd := p.Init()
			if tt.run {
				drain(t, p, cmd)
			}
			if got := p.Title(); got != tt.wantTitle {
				t.Errorf("Title = %q, want %q", got, tt.wantTitle)
			}
			if got := p.Mode(); got != tt.wantMode {
				t.Errorf("Mode = %v, want %v", got, tt.wantMode)
			}
			requireView(t, p, tt.want...)
			if got := strings.Count(p.View(), "\n") + 1; got != 30 {
				t.Errorf("the view is %d lines, want 30", got)
			}
		})
	}
}

func TestPaneDropsStaleResults(t *testing.T) {
	tests := []struct {
		name      string
		key       string // pressed while the first page loads
		wantAfter int    // rows once what the key started has run
		want      string
	}{
		{"a refresh supersedes the first page", "r", 50, "50 loaded · more ↓"},
		{"esc stops the first page", "esc", 0, "loading stopped (esc)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 120, 1)
			p := newTestPane(t, src, 120, 30, 120, nil)
			var stale []tea.Msg // the first page's result, not yet delivered
			for _, m := range collect(t, p.Init()) {
				if _, ok := m.(pageMsg); ok {
					stale = append(stale, m)
				}
			}
			if len(stale) != 1 {
				t.Fatalf("Init made %d page results, want 1", len(stale))
			}
			_, again := p.Update(press(tt.key))
			send(t, p, stale...)
			if p.Len() != 0 {
				t.Fatalf("a stale result was applied: %d rows", p.Len())
			}
			drain(t, p, again)
			if p.Len() != tt.wantAfter {
				t.Errorf("Len = %d, want %d", p.Len(), tt.wantAfter)
			}
			requireView(t, p, tt.want)
		})
	}
}

func TestPaneLazyPaging(t *testing.T) {
	tests := []struct {
		name      string
		keys      []string
		wantLen   int
		wantCalls int
		want      string
	}{
		{"the first page only", nil, 50, 1, "50 loaded · more ↓"},
		{"a move far from the end loads nothing", []string{"pgdown"}, 50, 1, "50 loaded · more ↓"},
		{"a move near the end loads the next page", []string{"pgdown", "pgdown"}, 100, 2, "100 loaded · more ↓"},
		{"G loads the pages of one keypress", []string{"G"}, 150, 3, "loaded 150 of ≥ 150 — G again to keep going"},
		{"G again keeps going to the end", []string{"G", "G"}, 200, 4, "200 conversations"},
		{"home after G stays", []string{"G", "g"}, 150, 3, "1/150"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 200, 1)
			p := newTestPane(t, src, 120, 30, 120, func(cfg *Config) { cfg.MaxPagesPerJump = 2; cfg.PageAhead = 5 })
			drain(t, p, p.Init())
			send(t, p, keys(tt.keys...)...)
			if p.Len() != tt.wantLen {
				t.Errorf("Len = %d, want %d", p.Len(), tt.wantLen)
			}
			if calls := src.Calls(); len(calls) != tt.wantCalls {
				t.Errorf("calls = %v, want %d", calls, tt.wantCalls)
			}
			requireView(t, p, tt.want)
		})
	}
}

func TestPaneRetryCountdown(t *testing.T) {
	ev := client.RetryEvent{Attempt: 1, Wait: 12 * time.Second, Err: client.ErrRateLimited}
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 120, nil)
	first := collect(t, p.Init()) // the page result waits; the listener returned nil (request done)
	gen := p.pageReq.Gen()

	// A retry of the request in flight shows a countdown, and a tick for it schedules the next.
	_, cmd := p.Update(retryMsg{pane: p.ID(), target: retryPage, gen: gen, ev: ev})
	requireView(t, p, "Loading conversations…", "rate limited — retrying in 12 s")
	if cmd == nil {
		t.Fatal("a retry schedules no countdown tick")
	}
	tag := p.pageReq.Retry.Gen()
	if _, next := p.Update(retryTickMsg{pane: p.ID(), target: retryPage, tag: tag}); next == nil {
		t.Error("the countdown stopped while the retry is pending")
	}
	// A tick of an older countdown, and a retry of an older request, change nothing.
	if _, next := p.Update(retryTickMsg{pane: p.ID(), target: retryPage, tag: tag - 1}); next != nil {
		t.Error("a stale countdown tick kept ticking")
	}
	if _, next := p.Update(retryMsg{pane: p.ID(), target: retryPage, gen: gen - 1, ev: ev}); next != nil {
		t.Error("a retry of a superseded request was shown")
	}
	// The page arrives: the countdown is gone and its ticks stop.
	send(t, p, first...)
	if strings.Contains(p.View(), "retrying") {
		t.Errorf("the countdown outlived its request:\n%s", p.View())
	}
	if _, next := p.Update(retryTickMsg{pane: p.ID(), target: retryPage, tag: tag}); next != nil {
		t.Error("the countdown ticks after its request ended")
	}
}

func TestPaneThread(t *testing.T) {
	tests := []struct {
		name     string
		listW    int
		keys     []string
		wantMode Mode
		want     []string
		calls    []string
	}{
		{"narrow: enter opens the thread", 120, []string{"down", "enter"}, ModeThread,
			[]string{"· user u-"}, []string{"page:", "thread:conv-000001"}},
		{"narrow: esc goes back to the list", 120, []string{"enter", "esc"}, ModeList,
			[]string{"Reset my VPN password"}, []string{"page:", "thread:conv-000000"}},
		// Wide, once a preview shows, the two rows on each side of it are prefetched (at most
		// two at a time): conv-1 and conv-2 after conv-0's preview, then conv-3 once the
		// selection rests on conv-1 (shown from the prefetch: no request of its own).
		{"wide: the selection previews", 60, []string{"down"}, ModeList,
			[]string{"│", "· user u-"}, []string{"page:", "thread:conv-000000", "thread:conv-000001", "thread:conv-000002", "thread:conv-000003"}},
		{"wide: enter focuses the loaded thread", 60, []string{"enter"}, ModeThread,
			[]string{"· user u-"}, []string{"page:", "thread:conv-000000", "thread:conv-000001", "thread:conv-000002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 10, 1)
			p := newTestPane(t, src, 120, 30, tt.listW, nil)
			drain(t, p, p.Init())
			send(t, p, keys(tt.keys...)...)
			if got := p.Mode(); got != tt.wantMode {
				t.Errorf("Mode = %v, want %v", got, tt.wantMode)
			}
			requireView(t, p, tt.want...)
			if got := src.Calls(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls = %v, want %v", got, tt.calls)
			}
		})
	}
}

func TestPaneThreadFailsAndRetries(t *testing.T) {
	src := fake.New("fake", 10, 1)
	p := newTestPane(t, src, 120, 30, 120, nil)
	drain(t, p, p.Init())
	src.FailThreads(client.ErrRateLimited)
	send(t, p, press("enter"))
	requireView(t, p, "Could not load the thread", "press r to retry")
	src.FailThreads(nil)
	send(t, p, press("r"))
	if p.thr.state != threadReady {
		t.Fatalf("thread state %v after r, want ready", p.thr.state)
	}
}

func TestPaneFilterBar(t *testing.T) {
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 120, nil)
	drain(t, p, p.Init())
	send(t, p, press("f"))
	if !p.Capturing() || p.Mode() != ModeFilter {
		t.Fatal("f does not open the filter bar")
	}
	// Typing applies after the pause (the debounce tick is instant here), enter closes the bar.
	send(t, p, typed("VPN")...)
	send(t, p, press("enter"))
	if p.Capturing() || p.Filter() != "VPN" {
		t.Fatalf("capturing %v filter %q after enter", p.Capturing(), p.Filter())
	}
	for i := range p.Len() {
		if !strings.Contains(p.ls.items.Summary(i), "VPN") {
			t.Fatalf("row %d does not match the filter: %q", i, p.ls.items.Summary(i))
		}
	}
	if p.Len() == 0 {
		t.Fatal("the filter matched nothing")
	}
	if got := p.bar.History(); !slices.Equal(got, []string{"VPN"}) {
		t.Errorf("history = %v, want [VPN]", got)
	}
}

func TestPaneQuickFilter(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		then    []string
		wantN   int // rows shown
		wantCap bool
		want    string
	}{
		{"narrows to the matches", "vpn", []string{"enter"}, -1, false, " of 50 loaded match"},
		{"esc clears it", "vpn", []string{"esc"}, 50, false, "50 loaded · more ↓"},
		{"no match", "zzzz", []string{"enter"}, 0, false, "0 of 50 loaded match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 120, 1)
			p := newTestPane(t, src, 120, 30, 120, nil)
			drain(t, p, p.Init())
			send(t, p, press("/"))
			send(t, p, typed(tt.text)...)
			send(t, p, keys(tt.then...)...)
			if tt.wantN < 0 { // every loaded row with VPN in its summary
				tt.wantN = 0
				for _, c := range loadedRows(p) {
					if strings.Contains(c.Summary, "VPN") {
						tt.wantN++
					}
				}
				if tt.wantN == 0 {
					t.Fatal("the corpus has no VPN row")
				}
			}
			if got := p.ls.rowCount(); got != tt.wantN {
				t.Errorf("rows = %d, want %d", got, tt.wantN)
			}
			if p.Capturing() != tt.wantCap {
				t.Errorf("capturing = %v", p.Capturing())
			}
			requireView(t, p, tt.want)
		})
	}
}

func TestPaneNoticeWhenBlurred(t *testing.T) {
	tests := []struct {
		name    string
		focused bool
		want    int
	}{
		{"focused: the pane shows it", true, 0},
		{"blurred: the status bar says so", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 3, 1)
			src.FailOnce("", client.ErrRateLimited)
			p := newTestPane(t, src, 120, 30, 120, nil)
			if !tt.focused {
				p.Blur()
			}
			got := notices(drain(t, p, p.Init()))
			if len(got) != tt.want {
				t.Fatalf("notices = %q, want %d", got, tt.want)
			}
		})
	}
}

func TestPaneCopyRequests(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		want  CopyWhat
		items bool
	}{
		{"the id", []string{"i"}, CopyID, false},
		{"a thread not loaded yet is loaded first", []string{"y"}, CopyThread, true},
		{"the thread as JSON from the thread view", []string{"enter", "Y"}, CopyThreadJSON, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 3, 1)
			p := newTestPane(t, src, 120, 30, 120, nil)
			drain(t, p, p.Init())
			var reqs []CopyRequest
			for _, m := range send(t, p, keys(tt.keys...)...) {
				if r, ok := m.(CopyRequest); ok {
					reqs = append(reqs, r)
				}
			}
			if len(reqs) != 1 {
				t.Fatalf("copy requests = %+v, want one", reqs)
			}
			r := reqs[0]
			if r.What != tt.want || r.Pane != p.ID() || r.Kind != "fake" || r.Conv.ID != "conv-000000" || (len(r.Items) > 0) != tt.items {
				t.Errorf("request = %+v", r)
			}
		})
	}
}
