package odata

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestParseRFC3339Fast checks the fast parser against time.Parse on generated and edge-case
// inputs: it must agree whenever it accepts, and accept the vendor's usual forms.
func TestParseRFC3339Fast(t *testing.T) {
	inputs := []string{
		"2025-08-01T16:45:27.511Z", "2025-08-01T16:45:27Z", "2024-02-29T00:00:00Z",
		"2023-02-29T00:00:00Z", "2025-08-01T18:45:27.511+02:00", "1969-12-31T23:59:59.999999999-00:30",
		"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.123456789123Z", "2025-13-01T00:00:00Z",
		"2025-08-01T24:00:00Z", "2025-08-01T16:45:60Z", "2025-08-01T16:45:27.Z", "2025-08-01T16:45:27",
		"2025-08-01t16:45:27Z", "2025-08-01T16:45:27+0200", "2025-08-01T16:45:27+24:00", "2025-08-01",
		"2025-08-01T16:45:27ZZ", "x025-08-01T16:45:27Z", "2025-08-01T16:45:27.5+01:3x",
	}
	edgeCases := len(inputs)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		sec := rng.Int64N(400*365*86400) - 200*365*86400
		ts := time.Unix(sec, rng.Int64N(1e9)).In(time.FixedZone("", (rng.IntN(48)-24)*1800))
		layouts := []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05.000Z07:00"}
		inputs = append(inputs, ts.Format(layouts[rng.IntN(len(layouts))]))
	}
	for i, s := range inputs {
		got, ok := parseRFC3339Fast(s)
		want, err := time.Parse(time.RFC3339, s)
		if ok && (err != nil || got != instantOf(want)) {
			t.Errorf("parseRFC3339Fast(%q) = %v; time.Parse gives %v, %v", s, got, want, err)
		}
		if !ok && i >= edgeCases {
			t.Errorf("parseRFC3339Fast(%q) rejected a generated date-time", s)
		}
	}
	for _, s := range []string{"2025-08-01T16:45:27.511Z", "2025-08-01T18:45:27.511+02:00", "2024-02-29T00:00:00Z"} {
		if _, ok := parseRFC3339Fast(s); !ok {
			t.Errorf("parseRFC3339Fast(%q) rejected a vendor-style date-time", s)
		}
	}
	// recordInstant falls back for the other accepted forms.
	for _, s := range []string{"2025-08-01", "2025-08-01T16:45Z"} {
		if _, ok := recordInstant(s); !ok {
			t.Errorf("recordInstant(%q) failed", s)
		}
	}
}
