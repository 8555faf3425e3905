package threadview

import (
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// TestDetailShowsUserAndUpdated: the detail panel shows the interaction's user id and when
// the vendor last wrote it (Moveworks user_id and last_updated_time), and nothing of either
// when the vendor sent neither.
func TestDetailShowsUserAndUpdated(t *testing.T) {
	t0 := time.Date(2025, 8, 1, 16, 45, 27, 511e6, time.UTC)
	tests := []struct {
		name    string
		it      client.Interaction
		want    []string
		notWant []string
	}{
		{"both", client.Interaction{ID: "0B4ZobXF4Lxx", Actor: client.ActorUser, Kind: "text", Text: "vpn is down", Time: t0,
			UserID: "15392314957513647503", Updated: time.Date(2025, 8, 2, 6, 3, 0, 0, time.UTC)},
			[]string{"user 15392314957513647503", "updated 2025-08-02 06:03:00 UTC"}, nil},
		{"neither", client.Interaction{ID: "0B4ZobXF4Lxx", Actor: client.ActorUser, Kind: "text", Text: "vpn is down", Time: t0},
			nil, []string{" · user ", "updated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New(Styles{}, time.UTC)
			m.SetItems([]client.Interaction{tc.it})
			m.SetSize(160, 20)
			v := m.View(true)
			for _, w := range tc.want {
				if !strings.Contains(v, w) {
					t.Errorf("view lacks %q:\n%s", w, v)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(v, w) {
					t.Errorf("view has %q:\n%s", w, v)
				}
			}
		})
	}
}
