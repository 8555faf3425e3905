package main

import (
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client/mock"
)

// The suite must not depend on the day it runs. These instants lie a year either side of the
// day this test was written: a flow that read the machine's clock anywhere (the mock's corpus,
// a relative window, the demo) instead of the injected one would find no data at one end.
var shiftedClocks = []struct {
	name string
	now  time.Time
}{
	{"a year back", time.Date(2025, 12, 5, 13, 42, 0, 0, time.UTC)},
	{"a year forward", time.Date(2027, 12, 5, 13, 42, 0, 0, time.UTC)},
}

// TestClockShiftedMockFlows runs `confab mock --write-config` and lists and exports every
// source through it with the app's clock moved a year back and a year forward: the mock's
// corpus, the relative windows of the sources (td's since:28d, od's walk) and the export all
// follow the one injected clock.
func TestClockShiftedMockFlows(t *testing.T) {
	for _, tc := range shiftedClocks {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.now = tc.now
			path := h.dir + "/mock.toml"
			env := h.startMock(path)
			env["HOME"] = h.dir
			h.env = env
			for _, src := range []string{"mw", "td", "od"} {
				r := h.run("--config", path, "list", src, "--format", "ndjson", "--limit", "20", "--since", "7d")
				r.want(t, 0)
				cs := decodeNDJSON(t, r.stdout)
				if len(cs) != 20 {
					t.Fatalf("list %s at %s: %d conversations, want 20\n%s", src, tc.now, len(cs), r.stderr)
				}
				for _, c := range cs {
					if at := c.Started; at.After(tc.now) || at.Before(tc.now.AddDate(0, 0, -8)) {
						t.Fatalf("list %s: a conversation started %s, outside the week before %s", src, at, tc.now)
					}
				}
			}
			r := h.run("--config", path, "export", "mw", mock.SpecialDeepThread, "--format", "text")
			r.want(t, 0)
			if !strings.Contains(r.stdout, "Which one is more urgent") {
				t.Fatalf("export of the deep thread at %s:\n%s", tc.now, r.stdout)
			}
		})
	}
}

// TestClockShiftedTapeReplay replays demo.tape with `confab demo --now` a year back and a
// year forward: the demo's corpus and its relative filters follow --now.
func TestClockShiftedTapeReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	for _, tc := range shiftedClocks {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			replayTape(t, bin, tc.now.Format(time.RFC3339))
		})
	}
}
