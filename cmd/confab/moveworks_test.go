package main

import (
	"strings"
	"testing"
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
