package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client/mock"
)

// TestListFilterWarnings: a Moveworks filter in a form the vendor does not document is sent
// anyway, with one warning line on stderr; when the API refuses it, the error's hint says why
// instead; a documented filter prints nothing on stderr.
func TestListFilterWarnings(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		filter string
		code   int
		stderr []string // fragments; nil: stderr must be empty
	}{
		{"documented", "(primary_domain eq 'IT' or primary_domain eq 'HR') and not (route eq 'DM')", 0, nil},
		{"bare date-time, accepted by the API", "created_time ge 2026-10-30T00:00:00Z", 0,
			[]string{`confab: warning: source "mw": filter column 17: a bare date-time`, "sent as written"}},
		{"in, refused by the API", "primary_domain in ('IT', 'HR')", 2,
			[]string{"HTTP 400 INVALID_ARGUMENT", "the vendor may not support a form the filter uses", "column 16: in is not"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.run("--config", h.config, "list", "mw", "--limit", "3", "--filter", tc.filter)
			r.want(t, tc.code, tc.stderr...)
			if tc.stderr == nil && r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
			if tc.code == 0 && strings.Count(r.stderr, "\n") > 1 {
				t.Errorf("more than one warning line: %q", r.stderr)
			}
			if tc.code == 0 && r.stdout == "" {
				t.Error("nothing listed")
			}
		})
	}
}

// TestListOrderBy: --order-by sends the vendor's own $orderby for a Moveworks source, on any
// documented sortable field (here last_updated_time and user_id); it is checked before any
// request, and refused for sources that sort by time only.
func TestListOrderBy(t *testing.T) {
	h := newHarness(t)
	type row struct {
		UserID  string    `json:"user_id"`
		Updated time.Time `json:"updated"`
	}
	rows := func(t *testing.T, out string) []row {
		var rs []row
		for line := range strings.Lines(out) {
			var r row
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("ndjson line %q: %v", line, err)
			}
			rs = append(rs, r)
		}
		if len(rs) < 20 {
			t.Fatalf("only %d rows", len(rs))
		}
		return rs
	}
	t.Run("last_updated_time desc", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw", "--limit", "100", "--format", "ndjson", "--order-by", "last_updated_time  DESC")
		r.want(t, 0)
		rs := rows(t, r.stdout)
		if !slices.IsSortedFunc(rs, func(a, b row) int { return b.Updated.Compare(a.Updated) }) {
			t.Errorf("rows are not in last_updated_time desc order")
		}
	})
	t.Run("user_id asc", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw", "--limit", "100", "--format", "ndjson", "--order-by", "user_id asc")
		r.want(t, 0)
		if !slices.IsSortedFunc(rows(t, r.stdout), func(a, b row) int { return strings.Compare(a.UserID, b.UserID) }) {
			t.Errorf("rows are not in user_id order")
		}
	})
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown field", []string{"mw", "--order-by", "plaform desc"}, []string{"--order-by: $orderby: invalid filter at column 1", "plaform"}},
		{"bad direction", []string{"mw", "--order-by", "id sideways"}, []string{"sideways"}},
		{"with --order oldest", []string{"mw", "--order-by", "id", "--order", "oldest"}, []string{"both say how to sort"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.run(append([]string{"--config", h.config, "list"}, tc.args...)...)
			r.want(t, 2, tc.want...)
		})
	}
	t.Run("time-only sources", func(t *testing.T) {
		m := mockHarness(t, mock.Options{Seed: 7}, 20)
		for _, name := range []string{"td", "od"} {
			r := m.run("--config", m.config, "list", name, "--order-by", "id")
			r.want(t, 2, `source "`+name+`"`, "sorts by time only")
		}
	})
}
