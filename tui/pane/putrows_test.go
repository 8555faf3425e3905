package pane

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// recordingSink records each PutConversations call as "source:id,id".
type recordingSink struct{ calls []string }

func (r *recordingSink) PutConversations(_ context.Context, source string, cs []client.Conversation) error {
	call := source + ":"
	for i, c := range cs {
		if i > 0 {
			call += ","
		}
		call += c.ID
	}
	r.calls = append(r.calls, call)
	return nil
}

func (r *recordingSink) PutThread(context.Context, string, string, []client.Interaction) error {
	return nil
}

// TestPutRowsKeepsEachRowsSource: the All tab's pages mix sources; each row is written under
// its own source, in order, and a row without one under the pane's.
func TestPutRowsKeepsEachRowsSource(t *testing.T) {
	row := func(src, id string) client.Conversation { return client.Conversation{Source: src, ID: id} }
	tests := []struct {
		name string
		rows []client.Conversation
		want []string
	}{
		{"empty", nil, nil},
		{"one source", []client.Conversation{row("mw", "1"), row("mw", "2")}, []string{"mw:1,2"}},
		{"mixed", []client.Conversation{row("mw", "1"), row("td", "2"), row("td", "3"), row("mw", "4")},
			[]string{"mw:1", "td:2,3", "mw:4"}},
		{"no source", []client.Conversation{row("", "1"), row("od", "2")}, []string{"All:1", "od:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s recordingSink
			if err := putRows(context.Background(), &s, "All", tt.rows); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.calls, tt.want) {
				t.Errorf("calls %q, want %q", s.calls, tt.want)
			}
		})
	}
}

// trackingSink is a recordingSink that tracks writes in flight (WriteTracker) and records
// how many were in flight at each PutConversations call.
type trackingSink struct {
	recordingSink
	inFlight int
	seen     []int
}

func (s *trackingSink) Begin() func() {
	s.inFlight++
	return func() { s.inFlight-- }
}

func (s *trackingSink) PutConversations(ctx context.Context, source string, cs []client.Conversation) error {
	s.seen = append(s.seen, s.inFlight)
	return s.recordingSink.PutConversations(ctx, source, cs)
}

// TestWritesTrackedWhole: a page written source by source (the All tab) is one write in
// flight from its first call to its last, so the TUI's store never looks idle between them;
// a page shown before it is stored (writeLater) is in flight from when its Cmd is made, not
// from when it starts, so a quit in between still waits for it.
func TestWritesTrackedWhole(t *testing.T) {
	row := func(src, id string) client.Conversation { return client.Conversation{Source: src, ID: id} }
	rows := []client.Conversation{row("mw", "1"), row("td", "2"), row("mw", "3")}
	var s trackingSink
	if err := putRows(context.Background(), &s, "All", rows); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.seen, []int{1, 1, 1}) || s.inFlight != 0 {
		t.Errorf("writes in flight at each call %v, after %d; want 1 at each, 0 after", s.seen, s.inFlight)
	}

	p := &Pane{cfg: Config{Name: "All", Local: &Local{Stored: fake.New("All", 0, 1), Sink: &s}}}
	cmd := p.writeLater(rows)
	if cmd == nil || s.inFlight != 1 {
		t.Fatalf("writeLater's Cmd made: %d writes in flight, want 1 before it runs", s.inFlight)
	}
	cmd()
	if s.inFlight != 0 {
		t.Errorf("after the Cmd: %d writes in flight, want 0", s.inFlight)
	}
}

// blockingThreadSink tracks writes in flight (WriteTracker) and blocks each PutThread until
// release is closed, telling started when one begins.
type blockingThreadSink struct {
	recordingSink
	inFlight atomic.Int32
	started  chan struct{}
	release  chan struct{}
}

func (s *blockingThreadSink) Begin() func() {
	s.inFlight.Add(1)
	var once sync.Once
	return func() { once.Do(func() { s.inFlight.Add(-1) }) }
}

func (s *blockingThreadSink) PutThread(context.Context, string, string, []client.Interaction) error {
	s.started <- struct{}{}
	<-s.release
	return nil
}

// TestThreadWritesTracked: a thread loaded live and written through (a request, a live
// refresh, a prefetch) is a write in flight from when its Cmd is made until the write is
// done, so a quit while it is written waits for it (closeTUIStore waits for the count).
func TestThreadWritesTracked(t *testing.T) {
	tests := []struct {
		name string
		cmd  func(p *Pane, c client.Conversation) tea.Cmd
	}{
		{"request", func(p *Pane, c client.Conversation) tea.Cmd { return p.threadCmd(t.Context(), func() {}, c, 1) }},
		{"refresh", func(p *Pane, c client.Conversation) tea.Cmd { return p.refreshThread(c) }},
		{"prefetch", func(p *Pane, c client.Conversation) tea.Cmd { return p.startPrefetch(c, p.threadKey(c)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &blockingThreadSink{started: make(chan struct{}, 1), release: make(chan struct{})}
			src := fake.New("fake", 3, 1)
			convs := corpus(t, src)
			st, _ := openStore(t, convs) // the rows, no thread: it is loaded live
			p := newTestPane(t, src, 80, 24, 80, func(cfg *Config) {
				cfg.Local = &Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: s}
			})
			c := convs[0]
			cmd := tt.cmd(p, c)
			if cmd == nil || s.inFlight.Load() != 1 {
				t.Fatalf("Cmd made: %d writes in flight, want 1 before it runs", s.inFlight.Load())
			}
			done := make(chan tea.Msg)
			go func() { done <- cmd() }()
			select {
			case <-s.started:
			case msg := <-done:
				t.Fatalf("the Cmd ended without writing the thread: %#v", msg)
			}
			if n := s.inFlight.Load(); n != 1 {
				t.Errorf("while the thread is written: %d writes in flight, want 1", n)
			}
			close(s.release)
			<-done
			if n := s.inFlight.Load(); n != 0 {
				t.Errorf("after the Cmd: %d writes in flight, want 0", n)
			}
		})
	}
}

// ctxThreadSink notes the state of the context each thread write gets.
type ctxThreadSink struct {
	recordingSink
	errs []error
}

func (s *ctxThreadSink) PutThread(ctx context.Context, _, _ string, _ []client.Interaction) error {
	s.errs = append(s.errs, ctx.Err())
	return ctx.Err()
}

// cancelAfterThread is a source whose request is cancelled the moment its thread arrives:
// the user moved to another row just as it landed.
type cancelAfterThread struct {
	*fake.Source
	cancel context.CancelFunc
}

func (s cancelAfterThread) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	items, err := s.Source.Thread(ctx, c)
	s.cancel()
	return items, err
}

// TestThreadWriteOutlivesItsRequest: a thread that arrived is written through even when its
// request's context is cancelled right after (a move away, a quit: the quit waits for the
// write, TestThreadWritesTracked), so the thread loaded is not lost to the store.
func TestThreadWriteOutlivesItsRequest(t *testing.T) {
	src := fake.New("fake", 3, 1)
	page, err := src.Conversations(t.Context(), client.Query{}, "")
	if err != nil || len(page.Conversations) == 0 {
		t.Fatalf("conversations: %v", err)
	}
	cs := page.Conversations
	ctx, cancel := context.WithCancel(t.Context())
	sink := &ctxThreadSink{}
	msg := liveThread(ctx, cancelAfterThread{src, cancel}, sink, "fake", cs[0])
	if msg.err != nil || len(msg.items) == 0 {
		t.Fatalf("thread: %v (%d items)", msg.err, len(msg.items))
	}
	if len(sink.errs) != 1 || sink.errs[0] != nil || msg.storeErr != nil {
		t.Fatalf("the write got context errors %v, store error %v; want one write under a live context", sink.errs, msg.storeErr)
	}
}
