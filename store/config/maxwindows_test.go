package config

import (
	"strings"
	"testing"
)

func TestMaxWindows(t *testing.T) {
	const od = "[[source]]\nname = \"od\"\nkind = \"opendialog\"\nworkspace = \"w\"\n"
	tests := []struct {
		name    string
		body    string
		want    int
		problem string // an error or warning naming the line, "" for none
		warning bool
	}{
		{"unset is the default", od, 0, "", false},
		{"opendialog", od + "max_windows = 2000\n", 2000, "", false},
		{"talkdesk", "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"a\"\nclient_id = \"c\"\nmax_windows = 50\n", 50, "", false},
		{"negative", od + "max_windows = -1\n", 0, `config.toml:5: source "od": max_windows -1 is negative`, false},
		{"moveworks does not walk windows", "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nmax_windows = 10\n", 0,
			`config.toml:4: warning: source "mw": max_windows applies only to talkdesk and opendialog sources`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("config.toml", []byte(tc.body))
			var problems []Problem
			if e, ok := err.(*Error); ok {
				problems = e.Problems
			} else if err != nil {
				t.Fatal(err)
			}
			if cfg != nil {
				problems = append(problems, cfg.Warnings...)
			}
			if tc.problem == "" {
				if len(problems) != 0 {
					t.Fatalf("problems: %v", problems)
				}
			} else if len(problems) != 1 || !strings.HasPrefix(problems[0].String(), tc.problem) || problems[0].Warning != tc.warning {
				t.Fatalf("problems %v, want one starting %q", problems, tc.problem)
			}
			if err != nil {
				return
			}
			if got := cfg.Sources[0].MaxWindows; got != tc.want {
				t.Errorf("MaxWindows = %d, want %d", got, tc.want)
			}
			out, err := Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse("config.toml", out)
			if err != nil || back.Sources[0].MaxWindows != tc.want {
				t.Errorf("round trip: %v, %+v", err, back)
			}
		})
	}
}
