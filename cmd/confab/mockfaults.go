package main

import (
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/timeexpr"
)

// mockFlags are the fault-injection and hostile-corpus flags shared by 'confab mock' and
// 'confab demo'.
type mockFlags struct {
	faults  string
	hostile bool
	now     string
}

func (m *mockFlags) register(f *pflag.FlagSet) {
	f.StringVar(&m.faults, "faults", "", "inject vendor faults per `SPEC`: "+mock.FaultSpecHelp)
	f.BoolVar(&m.hostile, "hostile", false, "add hostile records: escape sequences, control characters, 200 KB messages,\n"+
		"bidi overrides, emoji and CJK, nulls and missing fields, orphan and cyclic parents, duplicate ids")
	f.StringVar(&m.now, "now", "", "pretend the time is `T` (RFC 3339 or a date): the corpus ends there and the clock runs on\n"+
		"from it, so the same --seed and --now give the same data on any day")
}

// options are the mock options the flags ask for; a bad --faults SPEC or --now is a usage
// error. The mock's clock is clock (the app's), or with --now a clock that starts at that
// instant and runs on: Options.Now is the one place the mock reads the time from.
func (m *mockFlags) options(seed int64, clock func() time.Time) (mock.Options, error) {
	f, err := mock.ParseFaults(m.faults)
	if err != nil {
		return mock.Options{}, usageError("see --help for the SPEC syntax, e.g. --faults '429=0.1,retry-after=0-1s,5xx=0.05'",
			"--faults: %v", err)
	}
	if m.now != "" {
		at, err := timeexpr.Parse(m.now, clock())
		if err != nil {
			return mock.Options{}, usageError("e.g. --now 2026-11-20T12:00:00Z or --now 2026-11-20", "--now: %v", err)
		}
		clock = shiftedClock(at, clock)
	}
	return mock.Options{Seed: seed, Now: clock, Faults: f, Hostile: m.hostile}, nil
}

// shiftedClock is a clock that reads at at the moment it is made and then advances with
// base, so countdowns and "2 min ago" still move.
func shiftedClock(at time.Time, base func() time.Time) func() time.Time {
	offset := at.Sub(base())
	return func() time.Time { return base().Add(offset) }
}

// describeMockExtras says which faults and corpus options are on, for the mock banner.
func describeMockExtras(o mock.Options) string {
	var parts []string
	if !o.Faults.IsZero() {
		parts = append(parts, "faults "+o.Faults.String())
	}
	if o.Hostile {
		parts = append(parts, "hostile corpus")
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}
