package filterbar

import (
	"strings"
	"testing"

	"github.com/confab-dev/confab/client/odata"
)

// TestWarningShownNotBlocking: a filter using a form Moveworks does not document is valid
// (Enter applies it) and the bar shows a warning line under it while editing; a documented
// filter shows none.
func TestWarningShownNotBlocking(t *testing.T) {
	tests := []struct {
		name, text, warn string
	}{
		{"documented", "route eq 'DM' or not (primary_domain eq 'IT')", ""},
		{"contains", "contains(route, 'DM')", "warning: column 1: function contains"},
		{"in", "primary_domain in ('IT', 'HR')", "warning: column 16: in is not"},
		{"detail path and in", "detail/domain in ('IT')", "(+1 more)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New("filter", odata.Spec(odata.Conversations), DefaultKeys(), Styles{})
			m.SetWidth(200)
			m.Edit()
			typeIn(m, tc.text)
			if m.Err() != nil {
				t.Fatalf("blocked: %v", m.Err())
			}
			v := m.View("")
			lines := strings.Split(v, "\n")
			if len(lines) != m.Height() {
				t.Fatalf("%d lines, Height %d", len(lines), m.Height())
			}
			if tc.warn == "" {
				if len(m.Warnings()) != 0 || strings.Contains(v, "warning") || m.Height() != 1 {
					t.Fatalf("warnings %v on a documented filter:\n%s", m.Warnings(), v)
				}
			} else if len(lines) != 2 || !strings.Contains(lines[1], tc.warn) {
				t.Fatalf("view lacks %q under the bar:\n%s", tc.warn, v)
			}
			if ev := m.Update(kp("enter")); ev != Submit || m.Applied() != tc.text {
				t.Fatalf("enter: event %v applied %q", ev, m.Applied())
			}
			if m.Warnings() != nil || m.Height() != 1 {
				t.Fatal("the warning outlived editing")
			}
		})
	}
}
