package pane

import (
	"context"
	"slices"
	"testing"

	"github.com/confab-dev/confab/client"
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
