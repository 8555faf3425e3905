package pane

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/pager"
)

// withPager gives the pane the root's pager bindings (tui/pager.go).
func withPager(c *Config) {
	c.Keys.Pager = PagerKeys{Read: key.NewBinding(key.WithKeys("enter")), RawConv: key.NewBinding(key.WithKeys("J")),
		View: pager.DefaultKeys()}
}

// pagerPane is a pane with conversation conv-000030's thread open on its third message.
func pagerPane(t *testing.T) (*Pane, *fake.Source) {
	t.Helper()
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 120, withPager)
	drain(t, p, p.Init())
	drain(t, p, p.OpenAt(conversation(t, src, "conv-000030"), "conv-000030-i3"))
	if got := selectedID(p); got != "conv-000030-i3" {
		t.Fatalf("thread selects %q", got)
	}
	return p, src
}

// TestPagerKeysInThePane: enter reads the selected message, o and O show raw records, keys in
// the pager never move the thread, and copying still works there.
func TestPagerKeysInThePane(t *testing.T) {
	p, _ := pagerPane(t)
	send(t, p, press("enter"))
	if p.Mode() != ModePager {
		t.Fatalf("mode %v after enter in the thread, want the pager", p.Mode())
	}
	requireView(t, p, "Message · ", "id conv-000030-i3", "lines 1–")
	send(t, p, press("j"), press("G"), press("k"), press("g"), press("space"))
	if got := selectedID(p); got != "conv-000030-i3" {
		t.Fatalf("keys in the pager moved the thread to %q", got)
	}
	out := send(t, p, press("c"))
	if len(out) != 1 {
		t.Fatalf("c in the pager produced %v", out)
	}
	if req, ok := out[0].(CopyRequest); !ok || req.What != CopyMessage || req.Root != "conv-000030-i3" {
		t.Fatalf("c in the pager asked for %+v", out[0])
	}
	send(t, p, press("o"))
	requireView(t, p, "Raw record · interaction conv-000030-i3")
	send(t, p, press("J"))
	requireView(t, p, "Raw record · conversation conv-000030")
	send(t, p, press("esc"))
	if p.Mode() != ModeThread || selectedID(p) != "conv-000030-i3" {
		t.Fatalf("after esc: mode %v on %q", p.Mode(), selectedID(p))
	}
}

// TestPagerCloseReselects: if the thread's cursor moved while the pager was open (a reload),
// closing the pager selects the message it showed again.
func TestPagerCloseReselects(t *testing.T) {
	p, _ := pagerPane(t)
	send(t, p, press("enter"))
	p.thr.view.Home() // what a reload does
	send(t, p, press("q"))
	if p.Mode() != ModeThread || selectedID(p) != "conv-000030-i3" {
		t.Fatalf("after q: mode %v on %q, want the thread on conv-000030-i3", p.Mode(), selectedID(p))
	}
}

// TestPagerClosedByOpenAt: opening another conversation (the search overlay's enter) closes
// the pager and shows that thread.
func TestPagerClosedByOpenAt(t *testing.T) {
	p, src := pagerPane(t)
	send(t, p, press("enter"))
	drain(t, p, p.OpenAt(conversation(t, src, "conv-000040"), "conv-000040-i2"))
	if p.Mode() != ModeThread || selectedID(p) != "conv-000040-i2" {
		t.Fatalf("after OpenAt: mode %v on %q", p.Mode(), selectedID(p))
	}
	if strings.Contains(p.View(), "Message · ") {
		t.Fatal("the pager still shows")
	}
}

// TestPagerNotBeforeTheThread: enter and o do nothing in a thread that has not loaded, and
// nothing in the list opens the pager.
func TestPagerNotBeforeTheThread(t *testing.T) {
	src := fake.New("fake", 120, 1)
	p := newTestPane(t, src, 120, 30, 120, withPager)
	drain(t, p, p.Init())
	send(t, p, press("o"), press("J"))
	if p.Mode() != ModeList {
		t.Fatalf("mode %v after o, O in the list", p.Mode())
	}
	p.area = areaThread // a thread that is not loaded
	send(t, p, press("J"), press("o"))
	if p.Mode() == ModePager {
		t.Fatal("the pager opened over a thread that is not loaded")
	}
}
