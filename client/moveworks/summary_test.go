package moveworks

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// TestVendorSummary: Summary sends one request for a conversation's first user interaction
// ($filter on conversation_id and actor, $orderby=created_time asc, $top=1) and follows no
// next link; a vendor that ignores $top (the strict vendor does) still yields the first user
// row of that conversation.
func TestVendorSummary(t *testing.T) {
	tests := []struct {
		name       string
		id         string
		secret     string // "" = the vendor's key
		want       string
		wantFilter string
		wantErr    error
	}{
		{"first user message", "0B4ZobXF4Lxx", "", "my vpn keeps disconnecting",
			"conversation_id eq '0B4ZobXF4Lxx' and actor eq 'user'", nil},
		{"no user message", "none", "", "", "conversation_id eq 'none' and actor eq 'user'", nil},
		{"rows of another conversation are not its summary", "o'neil", "", "",
			"conversation_id eq 'o''neil' and actor eq 'user'", nil},
		{"a refused key", "0B4ZobXF4Lxx", "mwk_wrong", "", "conversation_id eq '0B4ZobXF4Lxx' and actor eq 'user'", client.ErrAuth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newStrictVendor(t, 2) // two rows a page, with a next link Summary must not follow
			s := v.source(t, func(c *Config) {
				if tc.secret != "" {
					c.Secret = tc.secret
				}
			})
			got, err := s.Summary(context.Background(), client.Conversation{ID: tc.id})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), tc.secret) {
					t.Fatal("the key leaked into the error")
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("Summary = %q, want %q", got, tc.want)
			}
			paths, queries := v.recorded()
			if len(paths) != 1 {
				t.Fatalf("%d requests (%v), want 1", len(paths), paths)
			}
			if paths[0] != "/export/v1/records/interactions" {
				t.Fatalf("path %q, want the interactions collection", paths[0])
			}
			q := queries[0]
			want := map[string]string{"$filter": tc.wantFilter, "$orderby": "created_time asc", "$top": "1"}
			if len(q) != len(want) {
				t.Fatalf("query %v, want exactly %v", q, want)
			}
			for k, w := range want {
				if got := q[k]; len(got) != 1 || got[0] != w {
					t.Errorf("%s = %q, want %q", k, got, w)
				}
			}
		})
	}
}

// TestSummaryCancelled: a cancelled context ends Summary with context.Canceled, no retry.
func TestSummaryCancelled(t *testing.T) {
	v := newStrictVendor(t, 2)
	s := v.source(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Summary(ctx, client.Conversation{ID: "0B4ZobXF4Lxx"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
