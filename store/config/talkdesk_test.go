package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestTalkdeskLookBackAndTimeFormat: a Talkdesk source's lookback (how far `confab export`
// searches for an id) and time_format (of the window parameters, which APIS.md marks as
// inferred) are validated, default to today's behaviour (0 and ""), and survive a write.
func TestTalkdeskLookBackAndTimeFormat(t *testing.T) {
	const head = "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"a\"\nclient_id = \"c\"\n"
	cases := []struct {
		name     string
		body     string
		lookBack time.Duration
		format   string
		err      string // an expected error
		warning  string // an expected warning
	}{
		{"defaults", head, 0, "", "", ""},
		{"set", head + "lookback = \"90d\"\ntime_format = \"unix_ms\"\n", 90 * 24 * time.Hour, "unix_ms", "", ""},
		{"hours and upper case", head + "lookback = \"36h\"\ntime_format = \"RFC3339\"\n", 36 * time.Hour, "rfc3339", "", ""},
		{"unknown time format", head + "time_format = \"iso\"\n", 0, "", `:6: source "td": time_format "iso" is not one of rfc3339micro, rfc3339milli, rfc3339nano, rfc3339, unix, unix_ms`, ""},
		{"lookback not a duration", head + "lookback = \"a month\"\n", 0, "", `:6: source "td": lookback "a month" is not a duration`, ""},
		{"lookback zero", head + "lookback = \"0d\"\n", 0, "", `:6: source "td": lookback "0d" must be positive`, ""},
		{"time_format elsewhere", "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\ntime_format = \"unix\"\n", 0, "", `:4: source "mw": time_format applies only to talkdesk sources`, ""},
		{"lookback elsewhere", "[[source]]\nname = \"od\"\nkind = \"opendialog\"\nworkspace = \"w\"\nlookback = \"7d\"\n", 7 * 24 * time.Hour, "", "", `:5: warning: source "od": lookback applies only to talkdesk sources; ignored`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("c.toml", []byte(tc.body))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := cfg.Sources[0]
			if s.LookBack != tc.lookBack || s.TimeFormat != tc.format {
				t.Fatalf("lookback %v time_format %q, want %v %q", s.LookBack, s.TimeFormat, tc.lookBack, tc.format)
			}
			if tc.warning == "" && len(cfg.Warnings) > 0 || tc.warning != "" && (len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0].String(), tc.warning)) {
				t.Fatalf("warnings %v, want %q", cfg.Warnings, tc.warning)
			}
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := Write(path, cfg); err != nil {
				t.Fatal(err)
			}
			again, err := Load(path)
			if err != nil {
				data, _ := os.ReadFile(path)
				t.Fatalf("reload: %v\n%s", err, data)
			}
			if a := again.Sources[0]; a.LookBack != s.LookBack || a.TimeFormat != s.TimeFormat || !reflect.DeepEqual(a.Params, s.Params) {
				t.Fatalf("round trip: %+v, want %+v", a, s)
			}
		})
	}
}
