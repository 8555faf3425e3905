package cache

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/confab-dev/confab/client"
)

// TestRawOnDemand reads one stored row's raw record (Store.Raw, Source.Raw): the record as
// stored, nil for a row stored without one, not found for a row not stored.
func TestRawOnDemand(t *testing.T) {
	st := open(t)
	rows := []client.Conversation{
		{Source: "a", ID: "1", Raw: json.RawMessage(`{"id":"1","x":[1,2]}`)},
		{Source: "a", ID: "2"},
	}
	if err := st.PutConversations(t.Context(), "a", rows); err != nil {
		t.Fatal(err)
	}
	if err := st.PutConversations(t.Context(), "b", []client.Conversation{{Source: "b", ID: "1", Raw: json.RawMessage(`{"b":1}`)}}); err != nil {
		t.Fatal(err)
	}
	src := NewSource(st, "all", "merge", "a", "b")
	tests := []struct {
		name    string
		c       client.Conversation
		want    string
		missing bool
	}{
		{"stored with raw", client.Conversation{Source: "a", ID: "1"}, `{"id":"1","x":[1,2]}`, false},
		{"the row's own source first", client.Conversation{Source: "b", ID: "1"}, `{"b":1}`, false},
		{"stored without raw", client.Conversation{Source: "a", ID: "2"}, "", false},
		{"listed under the tab's name", client.Conversation{Source: "all", ID: "2"}, "", false},
		{"not stored", client.Conversation{Source: "a", ID: "9"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := src.Raw(t.Context(), tt.c)
			if tt.missing {
				if !errors.Is(err, client.ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				return
			}
			if err != nil || string(raw) != tt.want {
				t.Fatalf("Raw = %q, %v; want %q", raw, err, tt.want)
			}
		})
	}
}
