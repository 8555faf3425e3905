package pane

import (
	"context"
	"slices"
	"testing"

	"github.com/confab-dev/confab/client"
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
