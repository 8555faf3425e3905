package opendialog

import (
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// TestFilterWindow: a filter of from:/to: only is a time window the local store can list; an
// attribute filter or an error is not.
func TestFilterWindow(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var sp client.FilterSpec = spec{now: func() time.Time { return now }}
	tests := []struct {
		text string
		ok   bool
	}{
		{"from:7d", true},
		{"from:2026-11-01T00:00:00Z to:2026-11-08T00:00:00Z", true},
		{"from:7d country=Spain", false},
		{"user_id=u1", false},
		{"nonsense=1", false},
	}
	for _, tt := range tests {
		since, _, ok := client.FilterWindow(sp, tt.text, now)
		if ok != tt.ok || (ok && since.IsZero()) {
			t.Errorf("%q: since %v ok %v, want ok %v", tt.text, since, ok, tt.ok)
		}
	}
	if _, _, ok := client.FilterWindow(nil, "from:7d", now); ok {
		t.Error("a nil spec has a window")
	}
}
