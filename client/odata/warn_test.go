package odata

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// TestCheckAcceptsWarnsRejects: what Moveworks documents (APIS.md §1.4: comparisons joined
// with and; "standard odata … on all string and integer attributes": or, not, parentheses)
// passes silently; standard forms the documents do not promise pass with a warning naming the
// token; malformed filters are refused.
func TestCheckAcceptsWarnsRejects(t *testing.T) {
	tests := []struct {
		name   string
		c      Collection
		filter string
		warn   []string // the tokens warned about, in order; nil: no warning
		bad    bool
	}{
		// The vendor's own samples [M8, M10, M3].
		{"M8 created_time range", Conversations, "created_time gt '2026-01-01T00:00:00Z' and created_time lt '2026-03-24T00:00:00Z'", nil, false},
		{"M10 last_updated_time range", Interactions, "last_updated_time ge '2025-07-01T00:00:00.000Z' and last_updated_time le '2025-07-01T23:59:59.999Z'", nil, false},
		{"M3 user_id", Conversations, "user_id eq '123456'", nil, false},
		{"ne", Conversations, "route ne 'DM'", nil, false},
		{"or, not, parentheses", Conversations, "not (route eq 'DM') and (primary_domain eq 'IT' or primary_domain eq 'HR')", nil, false},
		{"null", Interactions, "parent_interaction_id eq null", nil, false},
		// Standard OData, not promised: accepted with a warning.
		{"contains", Interactions, "contains(label, 'form')", []string{"contains"}, false},
		{"tolower inside contains", Interactions, "actor eq 'user' and contains(tolower(platform), 'slack')", []string{"contains", "tolower"}, false},
		{"in", Conversations, "primary_domain in ('IT', 'HR')", []string{"in"}, false},
		{"detail path", Conversations, "detail/ticket_id eq 'RITM0010536'", []string{"detail/ticket_id"}, false},
		{"two paths warn once", Interactions, "detail/domain eq 'IT' and detail/entity eq 'vpn'", []string{"detail/domain"}, false},
		{"bare date-time", Conversations, "created_time ge 2026-11-01T00:00:00Z", []string{"2026-11-01T00:00:00Z"}, false},
		{"startswith", Conversations, "startswith(user_id, '15')", []string{"startswith"}, false},
		// Refused.
		{"unknown field", Conversations, "plaform eq 'slack'", nil, true},
		{"dangling and", Conversations, "route eq 'DM' and", nil, true},
		{"unbalanced", Conversations, "(route eq 'DM'", nil, true},
		{"unknown function", Conversations, "substringof('x', route)", nil, true},
		{"has", Conversations, "route has 'DM'", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, warns, err := Check(tc.filter, tc.c)
			if tc.bad {
				if !errors.Is(err, client.ErrBadFilter) || f != nil || warns != nil {
					t.Fatalf("Check(%q) = %v, %v, %v; want a FilterError", tc.filter, f, warns, err)
				}
				return
			}
			if err != nil || f == nil {
				t.Fatalf("Check(%q): %v", tc.filter, err)
			}
			var got []string
			for _, w := range warns {
				got = append(got, w.Token)
				if w.Pos < 0 || !strings.HasPrefix(tc.filter[w.Pos:], w.Token) || !strings.Contains(w.Msg, "sent as written") {
					t.Errorf("warning %+v does not point at its token", w)
				}
			}
			if !slices.Equal(got, tc.warn) {
				t.Fatalf("Check(%q) warns about %q, want %q", tc.filter, got, tc.warn)
			}
			// The spec the filter bar and `confab list` use says the same.
			if sw := client.FilterWarnings(Spec(tc.c), tc.filter); !slices.Equal(sw, warns) {
				t.Fatalf("Spec.Warnings = %v, want %v", sw, warns)
			}
			if err := Spec(tc.c).Validate(tc.filter); err != nil {
				t.Fatalf("Validate blocks a filter Check accepts: %v", err)
			}
		})
	}
}
