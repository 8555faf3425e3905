package client

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// DefaultMaxWindows is how many window requests one listing of a windowed source (OpenDialog,
// Talkdesk) may need before it is refused, unless the source's max_windows or the query says
// otherwise.
const DefaultMaxWindows = 400

// ErrTooBroad: the time range would take more requests than the limit allows; nothing was
// sent. See *TooBroadError.
var ErrTooBroad = errors.New("time range needs too many requests")

// TooBroadError is a listing refused before its first request because walking its time range
// would take more window requests than the limit. It wraps ErrTooBroad.
type TooBroadError struct {
	Since, Until time.Time     // the range
	Window       time.Duration // the length of one window
	Windows      int64         // the requests the walk needs (at least: one per window)
	Limit        int           // the limit in force
}

// Error says the range, the requests it needs and the limit, in one line; the caller adds
// what to do (narrow the range or raise the limit), which depends on where the range came
// from.
func (e *TooBroadError) Error() string {
	return fmt.Sprintf("the range %s … %s needs %s requests of %s each (limit %s)",
		e.Since.UTC().Format("2006-01-02"), e.Until.UTC().Format("2006-01-02"),
		Thousands(e.Windows), windowLabel(e.Window), Thousands(int64(e.Limit)))
}

// Unwrap makes errors.Is(err, ErrTooBroad) true.
func (e *TooBroadError) Unwrap() error { return ErrTooBroad }

// CountWindows returns how many consecutive windows of length window cover [since, until):
// the length divided by window, rounded up (0 for an empty range). It does not overflow for
// any range time.Time can hold.
func CountWindows(since, until time.Time, window time.Duration) int64 {
	if !until.After(since) || window <= 0 {
		return 0
	}
	if d := until.Sub(since); d < math.MaxInt64 {
		n := int64(d / window)
		if d%window != 0 {
			n++
		}
		return n
	}
	// Longer than 292 years: count in seconds.
	secs := until.Unix() - since.Unix()
	if until.Nanosecond() > since.Nanosecond() {
		secs++
	}
	w := max(1, int64(window/time.Second))
	return (secs + w - 1) / w
}

// CheckWindows returns a *TooBroadError when walking [since, until) in windows of length
// window needs more than limit requests: limit 0 means DefaultMaxWindows, a negative limit
// means no limit. Sources call it before their first request.
func CheckWindows(since, until time.Time, window time.Duration, limit int) error {
	if limit < 0 {
		return nil
	}
	if limit == 0 {
		limit = DefaultMaxWindows
	}
	n := CountWindows(since, until, window)
	if n <= int64(limit) {
		return nil
	}
	return &TooBroadError{Since: since, Until: until, Window: window, Windows: n, Limit: limit}
}

// windowLabel names a window length: "one day", "7 days", "6 hours", "90 minutes".
func windowLabel(d time.Duration) string {
	unit := func(n int64, one, many string) string {
		if n == 1 {
			return "one " + one
		}
		return strconv.FormatInt(n, 10) + " " + many
	}
	switch {
	case d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day", "days")
	case d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour", "hours")
	case d%time.Minute == 0:
		return unit(int64(d/time.Minute), "minute", "minutes")
	}
	return d.String()
}

// Window is one request window of a windowed source: the time range [Start, End).
type Window struct{ Start, End time.Time }

// Windows walks the range [Since, Until) as consecutive windows of length Size, newest first,
// or oldest first with Oldest. Consecutive windows share an edge. Without Aligned the walk
// starts at the range's edge: newest first, the first window is [Until-Size, Until). With
// Aligned, inner edges fall on multiples of Size (whole seconds) since the Unix epoch, and
// the windows at the ends of the range are clipped to it. Talkdesk and OpenDialog walk
// their ranges with it.
type Windows struct {
	Since, Until time.Time
	Size         time.Duration
	Oldest       bool
	Aligned      bool
}

// First is the first window of the walk.
func (ws Windows) First() Window {
	if ws.Oldest {
		return ws.At(ws.Since)
	}
	return ws.At(ws.Until)
}

// At is the window of the walk that starts at pos (oldest first) or ends at pos (newest
// first).
func (ws Windows) At(pos time.Time) Window {
	if ws.Oldest {
		end := pos.Add(ws.Size)
		if ws.Aligned {
			w := int64(ws.Size / time.Second)
			u := pos.Unix()
			end = time.Unix(u-((u%w)+w)%w+w, 0).UTC()
		}
		if end.After(ws.Until) {
			end = ws.Until
		}
		return Window{pos, end}
	}
	start := pos.Add(-ws.Size)
	if ws.Aligned {
		w := int64(ws.Size / time.Second)
		e := pos.Unix()
		if pos.Nanosecond() == 0 {
			e--
		}
		start = time.Unix(e-((e%w)+w)%w, 0).UTC()
	}
	if start.Before(ws.Since) {
		start = ws.Since
	}
	return Window{start, pos}
}

// Last reports whether w reaches the end of the walk (Until oldest first, Since newest
// first).
func (ws Windows) Last(w Window) bool {
	if ws.Oldest {
		return !w.End.Before(ws.Until)
	}
	return !w.Start.After(ws.Since)
}

// Next is the window after w, or false when w is the last.
func (ws Windows) Next(w Window) (Window, bool) {
	if ws.Last(w) {
		return Window{}, false
	}
	if ws.Oldest {
		return ws.At(w.End), true
	}
	return ws.At(w.Start), true
}

// Check is CheckWindows for the walk: a *TooBroadError (naming Since) when it needs more than
// limit requests (0: DefaultMaxWindows; negative: no limit). Aligned, the count starts at the
// multiple of Size at or before Since.
func (ws Windows) Check(limit int) error {
	since := ws.Since
	if ws.Aligned {
		w := int64(ws.Size / time.Second)
		u := since.Unix()
		since = time.Unix(u-((u%w)+w)%w, 0)
	}
	err := CheckWindows(since, ws.Until, ws.Size, limit)
	var tb *TooBroadError
	if errors.As(err, &tb) {
		tb.Since = ws.Since
	}
	return err
}
