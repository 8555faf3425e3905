package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/tui"
)

func TestTUIPanicWritesCrashFile(t *testing.T) {
	tests := []struct {
		name  string
		env   func(h *harness) string // sets the environment, returns the expected directory
		stack []byte
	}{
		{"xdg state home", func(h *harness) string {
			h.env["XDG_STATE_HOME"] = filepath.Join(h.dir, "state")
			return filepath.Join(h.dir, "state", "confab")
		}, []byte("goroutine 7 [running]:\nmain.boom()")},
		{"home", func(h *harness) string { return filepath.Join(h.dir, ".local", "state", "confab") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			dir := tt.env(h)
			h.tui = func(_ context.Context, _ tui.Deps) error {
				return &tui.PanicError{Where: "command", Value: "index out of range [3] with length 3", Stack: tt.stack,
					Time: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
			}
			r := h.run("--config", h.config)
			r.want(t, exitFailure, "confab: crashed (a bug in confab); details in "+filepath.Join(dir, "crash-20261122-100000.000.txt"))
			if strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", r.stderr)
			}
			f := filepath.Join(dir, "crash-20261122-100000.000.txt")
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("crash file mode %v, want 0600", fi.Mode().Perm())
			}
			b, _ := os.ReadFile(f)
			for _, want := range []string{"where:   command", "panic:   index out of range", "command: confab --config"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("the crash file lacks %q:\n%s", want, b)
				}
			}
			if tt.stack != nil && !strings.Contains(string(b), "main.boom()") {
				t.Errorf("the crash file lacks the stack:\n%s", b)
			}
			// A second crash in the same millisecond gets its own file.
			h.run("--config", h.config).want(t, exitFailure, "crash-20261122-100000.000-2.txt")
		})
	}
}
