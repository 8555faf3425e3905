package timeexpr

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	loc := time.FixedZone("X", 2*3600)
	now := time.Date(2026, 11, 8, 14, 30, 0, 0, loc)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	tests := []struct {
		in       string
		want     time.Time
		wantEnd  time.Time
		wantFail bool
	}{
		{in: "2026-11-01T10:00:00Z", want: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), wantEnd: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)},
		{in: "2026-11-01T10:00:00.5+01:00", want: time.Date(2026, 11, 1, 9, 0, 0, 5e8, time.UTC), wantEnd: time.Date(2026, 11, 1, 9, 0, 0, 5e8, time.UTC)},
		{in: "2026-11-01", want: day(2026, 11, 1), wantEnd: day(2026, 11, 2)},
		{in: "2026-12-31", want: day(2026, 12, 31), wantEnd: day(2027, 1, 1)},
		{in: "2026-11-01 09:15", want: time.Date(2026, 11, 1, 9, 15, 0, 0, loc), wantEnd: time.Date(2026, 11, 1, 9, 15, 0, 0, loc)},
		{in: "2026-11-01 09:15:30", want: time.Date(2026, 11, 1, 9, 15, 30, 0, loc), wantEnd: time.Date(2026, 11, 1, 9, 15, 30, 0, loc)},
		{in: "today", want: day(2026, 11, 8), wantEnd: day(2026, 11, 9)},
		{in: " Yesterday ", want: day(2026, 11, 7), wantEnd: day(2026, 11, 8)},
		{in: "now", want: now, wantEnd: now},
		{in: "36h", want: now.Add(-36 * time.Hour), wantEnd: now.Add(-36 * time.Hour)},
		{in: "90m", want: now.Add(-90 * time.Minute), wantEnd: now.Add(-90 * time.Minute)},
		{in: "20d", want: now.Add(-20 * 24 * time.Hour), wantEnd: now.Add(-20 * 24 * time.Hour)},
		{in: "2w", want: now.Add(-14 * 24 * time.Hour), wantEnd: now.Add(-14 * 24 * time.Hour)},
		{in: "20 days ago", want: now.Add(-20 * 24 * time.Hour), wantEnd: now.Add(-20 * 24 * time.Hour)},
		{in: "1 week ago", want: now.Add(-7 * 24 * time.Hour), wantEnd: now.Add(-7 * 24 * time.Hour)},
		{in: "3h ago", want: now.Add(-3 * time.Hour), wantEnd: now.Add(-3 * time.Hour)},
		{in: "", wantFail: true},
		{in: "soon", wantFail: true},
		{in: "20 fortnights ago", wantFail: true},
		{in: "-5d", wantFail: true},
		{in: "2026-13-01", wantFail: true},
		{in: "99999999d", wantFail: true},
		{in: "d", wantFail: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in, now)
			end, errEnd := ParseEnd(tt.in, now)
			if tt.wantFail {
				var e *Error
				if !errors.As(err, &e) || !errors.As(errEnd, &e) {
					t.Fatalf("Parse(%q) = %v, %v; want *Error", tt.in, got, err)
				}
				return
			}
			if err != nil || errEnd != nil {
				t.Fatalf("Parse(%q): %v / %v", tt.in, err, errEnd)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if !end.Equal(tt.wantEnd) {
				t.Errorf("ParseEnd(%q) = %v, want %v", tt.in, end, tt.wantEnd)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"30s", 30 * time.Second, false},
		{"1h30m", 90 * time.Minute, false},
		{"1d", 24 * time.Hour, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"2w", 14 * 24 * time.Hour, false},
		{" 3d ", 3 * 24 * time.Hour, false},
		{"100000d", 100000 * 24 * time.Hour, false},
		{"100001d", 0, true},
		{"-1d", 0, true},
		{"d", 0, true},
		{"1.5d", 0, true},
		{"soon", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
