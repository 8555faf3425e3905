package config

import (
	"strings"
	"testing"
)

// TestMouseKey: the top-level mouse key turns the TUI's mouse off with false, survives a
// round trip, and refuses a value that is not a boolean.
func TestMouseKey(t *testing.T) {
	tests := []struct {
		text    string
		noMouse bool
		bad     string
	}{
		{"", false, ""},
		{"mouse = true\n", false, ""},
		{"mouse = false\n", true, ""},
		{"mouse = \"off\"\n", false, "mouse"},
	}
	for _, tt := range tests {
		text := tt.text + "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n"
		cfg, err := Parse("config.toml", []byte(text))
		if tt.bad != "" {
			if err == nil || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("%q: error %v, want one naming %q", tt.text, err, tt.bad)
			}
			continue
		}
		if err != nil || cfg.NoMouse != tt.noMouse {
			t.Errorf("%q: NoMouse %v, %v; want %v", tt.text, cfg != nil && cfg.NoMouse, err, tt.noMouse)
			continue
		}
		out, err := Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("config.toml", out)
		if err != nil || back.NoMouse != tt.noMouse {
			t.Errorf("%q: round trip gave %v, %v:\n%s", tt.text, back, err, out)
		}
		if strings.Contains(string(out), "mouse") != tt.noMouse {
			t.Errorf("%q: marshalled\n%s", tt.text, out)
		}
	}
}
