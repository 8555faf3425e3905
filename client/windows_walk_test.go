package client

import (
	"errors"
	"testing"
	"time"
)

// walk lists every window of ws, "start…end" in UTC (at most 100).
func walk(ws Windows) []string {
	var out []string
	for w, ok := ws.First(), true; ok && len(out) < 100; w, ok = ws.Next(w) {
		out = append(out, w.Start.UTC().Format("01-02T15:04")+"…"+w.End.UTC().Format("01-02T15:04"))
	}
	return out
}

func TestWindowsWalk(t *testing.T) {
	day := 24 * time.Hour
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name string
		ws   Windows
		want []string
	}{
		{"newest first from the range's end", Windows{Since: at(1, 6, 0), Until: at(3, 12, 0), Size: day},
			[]string{"11-02T12:00…11-03T12:00", "11-01T12:00…11-02T12:00", "11-01T06:00…11-01T12:00"}},
		{"oldest first from the range's start", Windows{Since: at(1, 6, 0), Until: at(3, 12, 0), Size: day, Oldest: true},
			[]string{"11-01T06:00…11-02T06:00", "11-02T06:00…11-03T06:00", "11-03T06:00…11-03T12:00"}},
		{"aligned newest first", Windows{Since: at(1, 6, 0), Until: at(3, 12, 0), Size: day, Aligned: true},
			[]string{"11-03T00:00…11-03T12:00", "11-02T00:00…11-03T00:00", "11-01T06:00…11-02T00:00"}},
		{"aligned oldest first", Windows{Since: at(1, 6, 0), Until: at(3, 12, 0), Size: day, Oldest: true, Aligned: true},
			[]string{"11-01T06:00…11-02T00:00", "11-02T00:00…11-03T00:00", "11-03T00:00…11-03T12:00"}},
		{"aligned, the end on an edge", Windows{Since: at(1, 0, 0), Until: at(3, 0, 0), Size: day, Aligned: true},
			[]string{"11-02T00:00…11-03T00:00", "11-01T00:00…11-02T00:00"}},
		{"one window wider than the range", Windows{Since: at(1, 6, 0), Until: at(1, 7, 30), Size: day},
			[]string{"11-01T06:00…11-01T07:30"}},
		{"exact multiple", Windows{Since: at(1, 0, 0), Until: at(1, 3, 0), Size: time.Hour, Oldest: true},
			[]string{"11-01T00:00…11-01T01:00", "11-01T01:00…11-01T02:00", "11-01T02:00…11-01T03:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := walk(tt.ws)
			if len(got) != len(tt.want) {
				t.Fatalf("windows %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("windows %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestWindowsCheck(t *testing.T) {
	since := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	until := since.Add(3 * 24 * time.Hour) // 3 windows; 4 when aligned to midnight
	tests := []struct {
		aligned bool
		limit   int
		windows int64 // 0: allowed
	}{
		{false, 3, 0}, {false, 2, 3}, {true, 4, 0}, {true, 3, 4}, {true, -1, 0},
	}
	for _, tt := range tests {
		err := Windows{Since: since, Until: until, Size: 24 * time.Hour, Aligned: tt.aligned}.Check(tt.limit)
		var tb *TooBroadError
		switch {
		case tt.windows == 0 && err != nil:
			t.Errorf("aligned %v limit %d: %v", tt.aligned, tt.limit, err)
		case tt.windows != 0 && (!errors.As(err, &tb) || tb.Windows != tt.windows || !tb.Since.Equal(since)):
			t.Errorf("aligned %v limit %d: %v, want %d windows from %s", tt.aligned, tt.limit, err, tt.windows, since)
		}
	}
}
