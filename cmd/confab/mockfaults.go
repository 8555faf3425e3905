package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/confab-dev/confab/client/mock"
)

// mockFlags are the fault-injection and hostile-corpus flags shared by 'confab mock' and
// 'confab demo'.
type mockFlags struct {
	faults  string
	hostile bool
}

func (m *mockFlags) register(f *pflag.FlagSet) {
	f.StringVar(&m.faults, "faults", "", "inject vendor faults per `SPEC`: "+mock.FaultSpecHelp)
	f.BoolVar(&m.hostile, "hostile", false, "add hostile records: escape sequences, control characters, 200 KB messages,\n"+
		"bidi overrides, emoji and CJK, nulls and missing fields, orphan and cyclic parents, duplicate ids")
}

// options are the mock options the flags ask for; a bad --faults SPEC is a usage error.
func (m *mockFlags) options(seed int64) (mock.Options, error) {
	f, err := mock.ParseFaults(m.faults)
	if err != nil {
		return mock.Options{}, usageError("see --help for the SPEC syntax, e.g. --faults '429=0.1,retry-after=0-1s,5xx=0.05'",
			"--faults: %v", err)
	}
	return mock.Options{Seed: seed, Faults: f, Hostile: m.hostile}, nil
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
