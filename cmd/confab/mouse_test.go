package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/confab-dev/confab/tui"
)

// TestTUIMouseAndTmuxDeps: the TUI gets the mouse unless --no-mouse or mouse = false in the
// config says otherwise, and knows the tmux it runs in only when $TMUX is set.
func TestTUIMouseAndTmuxDeps(t *testing.T) {
	h := newHarness(t)
	plain := h.config
	off := h.writeFile("nomouse.toml", "mouse = false\n"+fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL))
	tests := []struct {
		name    string
		args    []string
		tmux    string
		noMouse bool
	}{
		{"default", []string{"--config", plain}, "", false},
		{"--no-mouse", []string{"--config", plain, "--no-mouse"}, "", true},
		{"mouse = false", []string{"--config", off}, "", true},
		{"in tmux", []string{"--config", plain}, "/tmp/tmux-0/default,1,0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *tui.Deps
			h.tui = func(_ context.Context, deps tui.Deps) error { got = &deps; return nil }
			defer func() { h.tui = nil }()
			h.env["TMUX"] = tt.tmux
			defer delete(h.env, "TMUX")
			h.run(tt.args...).want(t, 0)
			if got == nil {
				t.Fatal("the TUI did not start")
			}
			if got.NoMouse != tt.noMouse {
				t.Errorf("NoMouse %v, want %v", got.NoMouse, tt.noMouse)
			}
			if (got.Tmux != nil) != (tt.tmux != "") {
				t.Errorf("Tmux %v with $TMUX %q", got.Tmux, tt.tmux)
			}
		})
	}
}
