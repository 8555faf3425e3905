package client

import (
	"errors"
	"testing"
	"time"
)

func TestCountWindows(t *testing.T) {
	day := 24 * time.Hour
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name         string
		since, until time.Time
		window       time.Duration
		want         int64
	}{
		{"empty", at(2026, 1, 2), at(2026, 1, 2), day, 0},
		{"inverted", at(2026, 1, 3), at(2026, 1, 2), day, 0},
		{"one day", at(2026, 1, 1), at(2026, 1, 2), day, 1},
		{"a day and a second", at(2026, 1, 1), at(2026, 1, 2).Add(time.Second), day, 2},
		{"a week of days", at(2026, 1, 1), at(2026, 1, 8), day, 7},
		{"a week in 7-day windows", at(2026, 1, 1), at(2026, 1, 8), 7 * day, 1},
		{"since 1900", at(1900, 1, 1), at(2026, 12, 5), day, 46359},
		{"longer than a Duration holds", at(1, 1, 1), at(2026, 12, 5), day, 739954},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CountWindows(tc.since, tc.until, tc.window); got != tc.want {
				t.Errorf("CountWindows = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestCheckWindows(t *testing.T) {
	since := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name         string
		since, until time.Time
		window       time.Duration
		limit        int
		want         string // "" for no error
	}{
		{"the default limit", since, until, day, 0, "the range 1900-01-01 … 2026-12-05 needs 46,359 requests of one day each (limit 400)"},
		{"a raised limit", since, until, day, 50000, ""},
		{"no limit", since, until, day, -1, ""},
		{"exactly the default limit", until.Add(-400 * day), until, day, 0, ""},
		{"one over", until.Add(-401 * day), until, day, 0, "the range 2025-10-30 … 2026-12-05 needs 401 requests of one day each (limit 400)"},
		{"weeks", since, until, 7 * day, 10, "the range 1900-01-01 … 2026-12-05 needs 6,623 requests of 7 days each (limit 10)"},
		{"hours", until.Add(-day), until, 6 * time.Hour, 2, "the range 2026-12-04 … 2026-12-05 needs 4 requests of 6 hours each (limit 2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckWindows(tc.since, tc.until, tc.window, tc.limit)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckWindows: %v", err)
				}
				return
			}
			var tb *TooBroadError
			if !errors.As(err, &tb) || !errors.Is(err, ErrTooBroad) {
				t.Fatalf("CheckWindows = %v, want a *TooBroadError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
		})
	}
}
