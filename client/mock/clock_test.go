package mock

import (
	"testing"
	"time"
)

// TestDeepThreadIsNewestAtAnyHour: the demo opens on the deep thread (demo.tape drills into
// the top row), so it must be the newest conversation whatever day and hour the corpus ends.
func TestDeepThreadIsNewestAtAnyHour(t *testing.T) {
	base := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC) // a Monday
	for h := 0; h < 7*24; h += 5 {
		end := base.Add(time.Duration(h) * time.Hour)
		m := NewMoveworks(Options{Seed: 1, End: end, Days: 3})
		recs := m.data().conversations.recs
		if newest := recs[len(recs)-1].id; newest != SpecialDeepThread {
			t.Fatalf("End %s (%s): newest conversation is %s, want %s", end.Format(time.RFC3339), end.Weekday(), newest, SpecialDeepThread)
		}
	}
}

// TestOptionsNowIsTheClock: with no End, the corpus ends at Options.Now (truncated to the
// hour) and the OAuth mocks use the same clock, so a shifted clock shifts everything.
func TestOptionsNowIsTheClock(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2025, 12, 5, 13, 42, 0, 0, time.UTC),
		time.Date(2027, 12, 5, 13, 42, 0, 0, time.UTC),
	} {
		clock := func() time.Time { return now }
		o := Options{Now: clock}.withDefaults()
		if want := now.Truncate(time.Hour); !o.End.Equal(want) {
			t.Errorf("End = %s, want %s", o.End, want)
		}
		if got := NewMoveworks(Options{Seed: 1, Now: clock, Days: 2}).now(); !got.Equal(now) {
			t.Errorf("Moveworks clock = %s, want %s", got, now)
		}
		if got := NewTalkdesk(Options{Seed: 1, Now: clock, Days: 2}).now(); !got.Equal(now) {
			t.Errorf("Talkdesk clock = %s, want %s", got, now)
		}
	}
}
