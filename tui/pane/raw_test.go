package pane

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// rawOf is the raw record the tests give conversation id.
func rawOf(id string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"id":%q,"vendor":"raw"}`, id))
}

// rawSource is a fake source whose rows carry raw records, as the vendor clients' do.
type rawSource struct{ *fake.Source }

func (s rawSource) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	p, err := s.Source.Conversations(ctx, q, cursor)
	for i := range p.Conversations {
		p.Conversations[i].Raw = rawOf(p.Conversations[i].ID)
	}
	return p, err
}

// copyConv runs the JSON copy of c's thread request (its Cmd reads the raw record) and
// returns the conversation it carries.
func copyConv(t *testing.T, p *Pane, c client.Conversation) client.Conversation {
	t.Helper()
	req, ok := p.threadRequest(CopyThread, c)().(CopyRequest)
	if !ok {
		t.Fatal("the copy request is not a CopyRequest")
	}
	return req.Conv
}

// TestRawFromStoreOnDemand: rows listed from a real store file keep no raw record in the
// list; the pager's raw view (J) and a copy read it from the store when asked.
func TestRawFromStoreOnDemand(t *testing.T) {
	convs := corpus(t, fake.New("fake", 40, 1))
	for i := range convs {
		convs[i].Raw = rawOf(convs[i].ID)
	}
	st, _ := openStore(t, convs)
	p := newLocalPane(t, fake.New("fake", 40, 1), st, func(l *Local) { l.Offline = true })
	d := newDriver(t, p)
	d.run(p.Init())
	d.until("the stored rows", func() bool { return p.Len() > 0 })
	for i := range p.ls.items.Len() {
		if raw := p.ls.items.Raw(i); raw != nil {
			t.Fatalf("row %d keeps %d raw bytes; the store holds them", i, len(raw))
		}
	}
	tests := []struct {
		name string
		row  int
	}{{"first row", 0}, {"a later row", 7}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := p.ls.items.Conv(tt.row)
			want := string(rawOf(c.ID))
			if got := string(p.rawRead(c)().Raw); got != want {
				t.Fatalf("rawRead = %q, want the stored %q", got, want)
			}
			if got := string(copyConv(t, p, c).Raw); got != want {
				t.Fatalf("the JSON copy carries %q, want %q", got, want)
			}
			p.thr.c = c
			d.run(p.openPager(nil, showRawConv)) // the Cmd reads it; rawMsg fills the view
			d.until("the raw record in the pager", func() bool { return string(p.thr.c.Raw) == want })
			if v := p.pg.view.View(); !strings.Contains(v, `"vendor"`) {
				t.Fatalf("the pager's raw view does not show the record:\n%s", v)
			}
			p.closePager()
		})
	}
	// Not stored (another source's row): nothing to show, no error, the row unchanged.
	other := client.Conversation{Source: "fake", ID: "not-stored"}
	if got := p.rawRead(other)(); got.Raw != nil || got.ID != other.ID {
		t.Fatalf("rawRead of an unstored row = %+v", got)
	}
	if got := copyConv(t, p, other); got.Raw != nil || got.ID != other.ID {
		t.Fatalf("the JSON copy of an unstored row carries %+v", got)
	}
}

// TestRawKeptWithoutStore: without a store (--no-cache) the list keeps each row's raw record
// (in its own buffer, not the page's body) and hands it to the thread, the pager and a copy.
func TestRawKeptWithoutStore(t *testing.T) {
	p := newTestPane(t, rawSource{fake.New("fake", 120, 1)}, 120, 30, 120, nil)
	d := newDriver(t, p)
	d.run(p.Init())
	d.until("the first page", func() bool { return p.Len() > 0 })
	for i := range p.ls.items.Len() {
		id := p.ls.items.ID(i)
		if got := string(p.ls.items.Raw(i)); got != string(rawOf(id)) {
			t.Fatalf("row %d raw %q, want %q", i, got, rawOf(id))
		}
	}
	c, ok := p.ls.selected()
	if !ok || string(c.Raw) != string(rawOf(c.ID)) {
		t.Fatalf("selected() raw %q, want %q", c.Raw, rawOf(c.ID))
	}
	if got := string(copyConv(t, p, c).Raw); got != string(rawOf(c.ID)) {
		t.Fatalf("the JSON copy carries %q", got)
	}
}

// blockingRaw is a store whose raw reads wait until release is closed (a locked or slow
// SQLite file).
type blockingRaw struct {
	client.Source
	release chan struct{}
}

func (s blockingRaw) Raw(ctx context.Context, c client.Conversation) (json.RawMessage, error) {
	select {
	case <-s.release:
		return rawOf(c.ID), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestRawReadDoesNotBlockUpdate: a store whose raw read blocks does not block Update. The J
// key opens the pager at once saying it is reading, the copy key hands back its Cmd at once;
// both carry the record once the store answers.
func TestRawReadDoesNotBlockUpdate(t *testing.T) {
	convs := corpus(t, fake.New("fake", 20, 1))
	st, _ := openStore(t, convs)
	release := make(chan struct{})
	p := newLocalPane(t, fake.New("fake", 20, 1), st, func(l *Local) {
		l.Offline = true
		l.Stored = blockingRaw{Source: l.Stored, release: release}
	})
	d := newDriver(t, p)
	d.run(p.Init())
	d.until("the stored rows", func() bool { return p.Len() > 0 })
	c := p.ls.items.Conv(0)
	want := string(rawOf(c.ID))
	withPager(&p.cfg)
	p.thr.c, p.thr.state, p.area = c, threadReady, areaThread

	tests := []struct {
		name string
		run  func() tea.Cmd
	}{
		{"the pager's raw view", func() tea.Cmd { _, cmd := p.Update(press("J")); return cmd }},
		{"the JSON copy", func() tea.Cmd { return p.threadRequest(CopyThread, c) }},
	}
	cmds := make([]tea.Cmd, len(tests))
	for i, tt := range tests {
		done := make(chan tea.Cmd, 1)
		go func() { done <- tt.run() }()
		select {
		case cmds[i] = <-done:
		case <-time.After(rawTimeout / 2):
			t.Fatalf("%s: Update waited on the store's raw read", tt.name)
		}
	}
	if !p.Paging() || p.pg.shows != showRawConv {
		t.Fatal("J did not open the pager's raw view")
	}
	if v := p.pg.view.View(); !strings.Contains(v, "reading the raw record") {
		t.Fatalf("the pager does not say it is reading:\n%s", v)
	}
	close(release)
	copied := make(chan tea.Msg, 1)
	go func() { copied <- cmds[1]() }()
	d.run(cmds[0])
	d.until("the raw record in the pager", func() bool { return string(p.thr.c.Raw) == want })
	if v := p.pg.view.View(); !strings.Contains(v, `"vendor"`) {
		t.Fatalf("the pager's raw view does not show the record:\n%s", v)
	}
	if req, ok := (<-copied).(CopyRequest); !ok || string(req.Conv.Raw) != want {
		t.Fatalf("the JSON copy carries %+v, want the raw %q", req.Conv, want)
	}
}
