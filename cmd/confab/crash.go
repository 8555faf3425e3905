package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/xdg"
	"github.com/confab-dev/confab/tui"
)

// Crash reports. When the TUI panics, tui.Run has already restored the terminal and cancelled
// every request; confab writes what happened to a crash file, prints its path in one line on
// stderr and exits 1.

// crashDir is where crash files go: $XDG_STATE_HOME/confab, else ~/.local/state/confab.
func crashDir(getenv func(string) string) (string, error) {
	d, err := xdg.StateDir(getenv)
	if err != nil {
		return "", fmt.Errorf("crash directory: %w", err)
	}
	return d, nil
}

// crashReport is the text of a crash file.
func crashReport(pe *tui.PanicError, args []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "confab crash report\n\n")
	fmt.Fprintf(&b, "time:    %s\n", pe.Time.UTC().Format(time.RFC3339Nano))
	fmt.Fprintf(&b, "version: confab %s (%s, %s/%s)\n", client.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "command: confab %s\n", strings.Join(args, " "))
	fmt.Fprintf(&b, "where:   %s\n", pe.Where)
	fmt.Fprintf(&b, "panic:   %v\n\n", pe.Value)
	if len(pe.Stack) > 0 {
		fmt.Fprintf(&b, "stack of the goroutine that panicked:\n%s\n", pe.Stack)
	} else {
		b.WriteString("no stack: Bubble Tea recovered this panic itself and printed it on stderr\n")
	}
	return b.String()
}

// writeCrashFile writes the report of pe, redacted by r, to a new file crash-<time>.txt
// (mode 0600) in the crash directory and returns its path.
func writeCrashFile(getenv func(string) string, pe *tui.PanicError, args []string, r *client.Redactor) (string, error) {
	dir, err := crashDir(getenv)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("crash directory: %w", err)
	}
	at := pe.Time
	if at.IsZero() {
		at = time.Now()
	}
	base := "crash-" + at.UTC().Format("20060102-150405.000")
	report := []byte(r.Redact(crashReport(pe, args)))
	for i := 1; ; i++ {
		name := base + ".txt"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.txt", base, i)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("crash file: %w", err)
		}
		_, werr := f.Write(report)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", fmt.Errorf("crash file %s: %w", path, werr)
		}
		return path, nil
	}
}

// crashFailure turns a TUI panic into the exit error confab prints: one line naming the crash
// file (exit 1).
func (a *app) crashFailure(pe *tui.PanicError) error {
	path, err := writeCrashFile(a.getenv, pe, a.args, a.redactor)
	if err != nil {
		return &exitError{code: exitFailure, err: pe,
			what: fmt.Sprintf("crashed (a bug in confab: %v); no crash file: %v", pe.Value, err),
			hint: "please report it"}
	}
	return &exitError{code: exitFailure, err: pe, what: "crashed (a bug in confab); details in " + path,
		hint: "please report it with that file"}
}
