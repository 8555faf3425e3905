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

// selectedID is the id of the interaction the thread view selects ("" for none).
func selectedID(p *Pane) string {
	if it := p.thr.view.Selected(); it != nil {
		return it.ID
	}
	return ""
}

func conversation(t *testing.T, src *fake.Source, id string) client.Conversation {
	t.Helper()
	c, err := src.Conversation(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOpenAt(t *testing.T) {
	tests := []struct {
		name     string
		listW    int // 120: narrow; 60: the thread previews beside the list
		conv, at string
		wantRow  string // the list's selection after
	}{
		{"a loaded row", 120, "conv-000030", "conv-000030-i6", "conv-000030"},
		{"a loaded row, wide", 60, "conv-000030", "conv-000030-i5", "conv-000030"},
		{"a conversation not loaded", 120, "conv-000100", "conv-000100-i4", "conv-000000"},
		{"a conversation not loaded, wide", 60, "conv-000100", "conv-000100-i7", "conv-000000"},
		{"no interaction", 120, "conv-000002", "", "conv-000002"},
		{"an interaction the thread lacks", 120, "conv-000002", "gone", "conv-000002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 120, 1)
			p := newTestPane(t, src, 120, 30, tt.listW, nil)
			drain(t, p, p.Init())
			out := drain(t, p, p.OpenAt(conversation(t, src, tt.conv), tt.at))
			if len(notices(out)) > 0 {
				t.Fatalf("notices %v", notices(out))
			}
			if p.Mode() != ModeThread || p.thr.c.ID != tt.conv || p.thr.state != threadReady {
				t.Fatalf("mode %v, thread of %q in state %v; want the thread of %s shown", p.Mode(), p.thr.c.ID, p.thr.state, tt.conv)
			}
			want := tt.at
			if tt.at == "" || tt.at == "gone" {
				want = tt.conv + "-i1" // the first row
			}
			if got := selectedID(p); got != want {
				t.Fatalf("thread selects %q, want %q", got, want)
			}
			if c, _ := p.ls.selected(); c.ID != tt.wantRow {
				t.Fatalf("the list selects %s, want %s", c.ID, tt.wantRow)
			}
			if !slices.Contains(src.Calls(), "thread:"+tt.conv) {
				t.Fatalf("the thread was not requested from the source: %v", src.Calls())
			}
			requireView(t, p, "id "+want)
		})
	}
}

// TestOpenAtKeysActOnTheOpenThread: when the list has no row for the conversation opened,
// copying and retrying in the thread act on it, and esc goes back to the list as it was.
func TestOpenAtKeysActOnTheOpenThread(t *testing.T) {
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 120, nil)
	drain(t, p, p.Init())
	drain(t, p, p.OpenAt(conversation(t, src, "conv-000100"), "conv-000100-i3"))
	out := send(t, p, press("i"))
	if len(out) != 1 {
		t.Fatalf("copy id produced %v", out)
	}
	if req, ok := out[0].(CopyRequest); !ok || req.Conv.ID != "conv-000100" {
		t.Fatalf("copy id asked for %+v, want conv-000100", out[0])
	}
	out = send(t, p, press("c"))
	if req, ok := out[0].(CopyRequest); !ok || req.Root != "conv-000100-i3" || req.Text != "Reset now" {
		t.Fatalf("copy message asked for %+v, want conv-000100-i3", out[0])
	}
	before := len(src.Calls())
	send(t, p, press("r"))
	if calls := src.Calls()[before:]; !slices.Equal(calls, []string{"thread:conv-000100"}) {
		t.Fatalf("r in the thread requested %v, want the open thread again", calls)
	}
	send(t, p, press("esc"))
	if c, _ := p.ls.selected(); p.Mode() != ModeList || c.ID != "conv-000000" {
		t.Fatalf("after esc: mode %v, selection %s", p.Mode(), c.ID)
	}
	send(t, p, press("enter"))
	if p.thr.c.ID != "conv-000000" {
		t.Fatalf("enter in the list opened %s, want the selected conv-000000", p.thr.c.ID)
	}
}

// TestOpenAtBeforeTheListLoads: a thread opened while the first page loads stays open when
// the page arrives (wide: the page would otherwise preview its first row).
func TestOpenAtBeforeTheListLoads(t *testing.T) {
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 60, nil)
	initCmd := p.Init()
	openCmd := p.OpenAt(conversation(t, src, "conv-000040"), "conv-000040-i6")
	drain(t, p, tea.Batch(initCmd, openCmd)) // the page comes first
	if p.thr.c.ID != "conv-000040" || p.thr.state != threadReady || selectedID(p) != "conv-000040-i6" {
		t.Fatalf("thread of %s in state %v selecting %q; want conv-000040 at i6", p.thr.c.ID, p.thr.state, selectedID(p))
	}
}

// TestOpenAtShownThread: opening the thread already shown requests nothing and selects the
// interaction at once.
func TestOpenAtShownThread(t *testing.T) {
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 120, nil)
	drain(t, p, p.Init())
	send(t, p, press("enter"))
	before := len(src.Calls())
	drain(t, p, p.OpenAt(conversation(t, src, "conv-000000"), "conv-000000-i5"))
	if n := len(src.Calls()) - before; n != 0 {
		t.Fatalf("%d requests, want none: %v", n, src.Calls()[before:])
	}
	if got := selectedID(p); got != "conv-000000-i5" {
		t.Fatalf("selects %q, want conv-000000-i5", got)
	}
}

func TestOpenAtUnavailable(t *testing.T) {
	p := newTestPane(t, nil, 120, 30, 120, func(cfg *Config) { cfg.Err = errors.New("no api key") })
	out := drain(t, p, p.OpenAt(client.Conversation{Source: "fake", ID: "x"}, "y"))
	if n := notices(out); len(n) != 1 || !strings.Contains(n[0], "unavailable") {
		t.Fatalf("notices %v, want one saying the tab is unavailable", n)
	}
	if p.Mode() != ModeUnavailable {
		t.Fatalf("mode %v", p.Mode())
	}
}

// TestEnterOpensCachedThreadNarrow: on a narrow pane (no preview column) enter, or OpenAt
// (the search overlay's enter), on a row whose thread the cache holds shows it in the frame
// of the key, with no new request; a thread cached a while ago (older than threadFresh)
// shows at once and is refreshed.
func TestEnterOpensCachedThreadNarrow(t *testing.T) {
	enter := func(p *Pane) tea.Cmd { _, cmd := p.Update(press("enter")); return cmd }
	openAt := func(p *Pane) tea.Cmd { // the search overlay's enter
		c, ok := p.ls.selected()
		if !ok {
			t.Fatal("no row selected")
		}
		return p.OpenAt(c, "")
	}
	tests := []struct {
		name      string
		open      func(*Pane) tea.Cmd
		age       time.Duration // how long ago the thread was loaded
		wantCalls []string
	}{
		{"fresh", enter, 0, nil},
		{"stale", enter, threadFresh + time.Second, []string{"thread:conv-000000"}},
		{"OpenAt fresh", openAt, 0, nil},
		{"OpenAt stale", openAt, threadFresh + time.Second, []string{"thread:conv-000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 120, 1)
			now := fixedNow
			p := newTestPane(t, src, 80, 24, 80, func(cfg *Config) { cfg.Now = func() time.Time { return now } })
			drain(t, p, p.Init())
			send(t, p, press("enter"))
			if p.thr.state != threadReady {
				t.Fatalf("the first enter left the thread in state %v", p.thr.state)
			}
			send(t, p, press("esc"), press("j"), press("k"))
			now = now.Add(tt.age)
			before := len(src.Calls())
			cmd := tt.open(p)
			if v := p.View(); !strings.Contains(v, "id conv-000000-i1") || strings.Contains(v, "Loading thread") {
				t.Fatalf("the frame of the open does not show the cached thread:\n%s", v)
			}
			drain(t, p, cmd)
			if calls := src.Calls()[before:]; !slices.Equal(calls, tt.wantCalls) {
				t.Fatalf("the open requested %v, want %v", calls, tt.wantCalls)
			}
			requireView(t, p, "id conv-000000-i1")
		})
	}
}
