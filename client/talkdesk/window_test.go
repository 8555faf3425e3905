package talkdesk

import (
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// TestFilterWindow: a filter of since:/until: only is a time window the local store can list;
// a condition or an error is not.
func TestFilterWindow(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var sp client.FilterSpec = spec{now: func() time.Time { return now }}
	tests := []struct {
		text         string
		since, until time.Time
		ok           bool
	}{
		{"since:28d", now.Add(-28 * 24 * time.Hour), time.Time{}, true},
		{"since:2026-11-01T00:00:00Z until:2026-11-08T00:00:00Z", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC), true},
		{"", time.Time{}, time.Time{}, true},
		{"since:7d channel=voice", time.Time{}, time.Time{}, false},
		{"since:", time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		since, until, ok := client.FilterWindow(sp, tt.text, now)
		if ok != tt.ok || !since.Equal(tt.since) || !until.Equal(tt.until) {
			t.Errorf("%q: %v %v %v, want %v %v %v", tt.text, since, until, ok, tt.since, tt.until, tt.ok)
		}
	}
}
