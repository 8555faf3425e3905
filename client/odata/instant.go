package odata

import "time"

// instant is a point in time as Unix seconds and nanoseconds; comparing two is cheaper than
// comparing time.Time values, and parsing into one avoids time.Parse on the hot path.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

// compare returns -1, 0 or +1.
func (a instant) compare(b instant) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// recordInstant reads a record's date-time: the vendor's RFC 3339 form on the fast path,
// the other accepted forms (a bare date, no seconds) through parseDateTime.
func recordInstant(s string) (instant, bool) {
	if in, ok := parseRFC3339Fast(s); ok {
		return in, true
	}
	t, ok := parseInstant(s)
	if !ok {
		return instant{}, false
	}
	return instantOf(t), true
}

// parseRFC3339Fast parses YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM) without allocating.
// It rejects anything else (including leap seconds), leaving those to time.Parse.
func parseRFC3339Fast(s string) (instant, bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return instant{}, false
	}
	year, ok1 := num(s[0:4])
	month, ok2 := num(s[5:7])
	day, ok3 := num(s[8:10])
	hour, ok4 := num(s[11:13])
	minute, ok5 := num(s[14:16])
	second, ok6 := num(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return instant{}, false
	}
	i := 19
	var nsec int64
	if s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if i-start < 9 {
				nsec = nsec*10 + int64(s[i]-'0')
			}
			i++
		}
		n := i - start
		if n == 0 {
			return instant{}, false
		}
		for ; n < 9; n++ {
			nsec *= 10
		}
	}
	if i >= len(s) {
		return instant{}, false
	}
	var offset int64
	switch s[i] {
	case 'Z':
		i++
	case '+', '-':
		if len(s) != i+6 || s[i+3] != ':' {
			return instant{}, false
		}
		oh, okh := num(s[i+1 : i+3])
		om, okm := num(s[i+4 : i+6])
		if !okh || !okm || oh > 23 || om > 59 {
			return instant{}, false
		}
		offset = oh*3600 + om*60
		if s[i] == '-' {
			offset = -offset
		}
		i += 6
	default:
		return instant{}, false
	}
	if i != len(s) || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || minute > 59 || second > 59 {
		return instant{}, false
	}
	sec := daysFromCivil(year, month, day)*86400 + hour*3600 + minute*60 + second - offset
	return instant{sec, int32(nsec)}, true
}

// num parses a short run of ASCII digits.
func num(s string) (int64, bool) {
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func daysIn(month, year int64) int64 {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the proleptic Gregorian
// calendar (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
