package main

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/confab-dev/confab/tui"
)

// TestFindBrowser: links are opened only where a browser can show them to the user: never
// over SSH, on Linux only with a display and xdg-open, on macOS with open.
func TestFindBrowser(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		goos     string
		onPath   []string
		wantName string // "" when links are not opened
		wantWhy  string
	}{
		{"linux desktop", map[string]string{"DISPLAY": ":0"}, "linux", []string{"xdg-open"}, "xdg-open", ""},
		{"wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "linux", []string{"xdg-open"}, "xdg-open", ""},
		{"over SSH", map[string]string{"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, "linux", []string{"xdg-open"}, "", "over SSH"},
		{"an SSH terminal", map[string]string{"SSH_TTY": "/dev/pts/1"}, "darwin", []string{"open"}, "", "over SSH"},
		{"no display", nil, "linux", []string{"xdg-open"}, "", "no $DISPLAY or $WAYLAND_DISPLAY"},
		{"no xdg-open", map[string]string{"DISPLAY": ":0"}, "linux", nil, "", "no xdg-open on PATH"},
		{"macOS", nil, "darwin", []string{"open"}, "open", ""},
		{"windows", nil, "windows", nil, "", "opening links is not supported on Windows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			look := func(name string) (string, error) {
				for _, p := range tt.onPath {
					if p == name {
						return "/usr/bin/" + name, nil
					}
				}
				return "", errors.New("not found")
			}
			b := findBrowser(func(k string) string { return tt.env[k] }, look, tt.goos)
			if (b.Open != nil) != (tt.wantName != "") || b.Name != tt.wantName || b.Why != tt.wantWhy {
				t.Errorf("findBrowser = {Open set: %v, Name %q, Why %q}, want Name %q, Why %q", b.Open != nil, b.Name, b.Why, tt.wantName, tt.wantWhy)
			}
		})
	}
}

// TestConsoleURLsReachTheTUI: each source's console_url is handed to the TUI by source name;
// sources without one are left out.
func TestConsoleURLsReachTheTUI(t *testing.T) {
	h := newHarness(t)
	h.env["CONFAB_SECRET_IT"] = h.servers.Moveworks.APIKey
	cfg := h.writeFile("console.toml", fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL)+
		"console_url = \"https://console.example.com/{source}/c/{id}\"\n"+
		fmt.Sprintf("[[source]]\nname = \"it\"\nkind = \"moveworks\"\nbase_url = %q\n", h.servers.Moveworks.BaseURL))
	var got tui.Deps
	h.tui = func(ctx context.Context, deps tui.Deps) error {
		got = deps
		return nil
	}
	defer func() { h.tui = nil }()
	h.env["SSH_CONNECTION"] = "10.0.0.1 5000 10.0.0.2 22"
	h.run("--config", cfg).want(t, 0)
	if len(got.ConsoleURLs) != 1 || got.ConsoleURLs["mw"] != "https://console.example.com/{source}/c/{id}" {
		t.Errorf("ConsoleURLs = %v, want mw's only", got.ConsoleURLs)
	}
	if got.Browser.Open != nil || got.Browser.Why != "over SSH" {
		t.Errorf("Browser = %+v, want no opener over SSH", got.Browser)
	}
	bad := h.writeFile("bad.toml", fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL)+"console_url = \"https://c.example.com/{conv}\"\n")
	h.run("--config", bad).want(t, exitUsage, `console_url "https://c.example.com/{conv}" has an unknown placeholder "{conv}"`)
}
