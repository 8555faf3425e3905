// Package xdg locates confab's directories by the XDG base-directory rules.
package xdg

import (
	"fmt"
	"os"
	"path/filepath"
)

// StateDir is confab's state directory: $XDG_STATE_HOME/confab when XDG_STATE_HOME is an
// absolute path, else $HOME/.local/state/confab. Filter history, crash files and clipboard
// fallbacks live under it. getenv nil means os.Getenv.
func StateDir(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "confab"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no state directory: %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "state", "confab"), nil
}

// ExportDir is where copies fall back to when no clipboard can take them:
// $XDG_STATE_HOME/confab/exports, else ~/.local/state/confab/exports (see StateDir).
func ExportDir(getenv func(string) string) (string, error) {
	d, err := StateDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "exports"), nil
}
