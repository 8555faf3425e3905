// Package timeexpr parses the time expressions a user types for a time window: absolute
// times (RFC 3339, "2006-01-02", "2006-01-02 15:04[:05]"), relative ones ("20d", "2w", "36h",
// "90m", "20 days ago", "3 weeks ago"), and the words "now", "today" and "yesterday".
//
// It is pure: the caller passes the current time, whose location is used for calendar
// dates.
package timeexpr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Parse returns the instant s denotes, relative to now. A calendar day ("2026-11-08",
// "today", "yesterday") is the start of that day in now's location; use ParseEnd for the
// upper bound of a window.
func Parse(s string, now time.Time) (time.Time, error) {
	t, _, err := parse(s, now)
	return t, err
}

// ParseEnd is Parse for the end of a window: a calendar day means the end of that day (the
// next midnight), so "--until 2026-11-08" includes the whole of 8 November. Instants and
// relative times are the same as Parse.
func ParseEnd(s string, now time.Time) (time.Time, error) {
	t, day, err := parse(s, now)
	if err != nil {
		return time.Time{}, err
	}
	if day {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// ParseDuration parses a duration (config values such as timeouts and windows): a Go duration
// ("90m", "1h30m") or a whole number of days or weeks ("1d", "7d", "2w", at most 100,000).
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		if num, err := strconv.Atoi(s[:n-1]); err == nil {
			if num < 0 || num > 100000 {
				return 0, fmt.Errorf("duration %q out of range", s)
			}
			return time.Duration(num) * units[s[n-1:]], nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("parse duration: %w", err)
	}
	return d, nil
}

// Error is an expression that could not be read.
type Error struct {
	Input string
}

func (e *Error) Error() string {
	return fmt.Sprintf("cannot read time %q: use RFC 3339 (2026-11-08T14:00:00Z), a date (2026-11-08), a relative time (36h, 20d, 2w, \"20 days ago\"), today or yesterday", e.Input)
}

var units = map[string]time.Duration{
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"w": 7 * 24 * time.Hour, "wk": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
}

// maxAgo bounds relative times so arithmetic cannot overflow (about 100 years).
const maxAgo = 100 * 365 * 24 * time.Hour

// parse returns the time and whether s named a whole calendar day.
func parse(s string, now time.Time) (time.Time, bool, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return time.Time{}, false, &Error{Input: s}
	}
	lower := strings.ToLower(in)
	loc := now.Location()
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	switch lower {
	case "now":
		return now, false, nil
	case "today":
		return midnight, true, nil
	case "yesterday":
		return midnight.AddDate(0, 0, -1), true, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, in); err == nil {
		return t, false, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", in, loc); err == nil {
		return t, true, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, in, loc); err == nil {
			return t, false, nil
		}
	}
	if d, ok := relative(lower); ok {
		return now.Add(-d), false, nil
	}
	return time.Time{}, false, &Error{Input: s}
}

// relative reads "36h", "20d", "2w", "20 days ago", "1 week ago", "20d ago".
func relative(s string) (time.Duration, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(s, "ago"))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return 0, false
	}
	unit, ok := units[strings.TrimFunc(s[i:], unicode.IsSpace)]
	if !ok {
		return 0, false
	}
	if time.Duration(n) > maxAgo/unit {
		return 0, false
	}
	return time.Duration(n) * unit, true
}
