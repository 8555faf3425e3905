// Package xdg locates confab's directories by the XDG base-directory rules: the one place
// that reads XDG_CONFIG_HOME, XDG_STATE_HOME and XDG_CACHE_HOME.
package xdg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoHome is ConfigDir's error when neither XDG_CONFIG_HOME (absolute) nor HOME is set.
var ErrNoHome = errors.New("cannot find the home directory")

// ConfigDir is confab's config directory: $XDG_CONFIG_HOME/confab when XDG_CONFIG_HOME is an
// absolute path, else $HOME/.config/confab. Unlike StateDir it does not ask the system for the
// home directory: with HOME unset it returns ErrNoHome (the user is to say where the config
// is). getenv nil means os.Getenv.
func ConfigDir(getenv func(string) string) (string, error) {
	return dir(getenv, "XDG_CONFIG_HOME", false, ".config")
}

// StateDir is confab's state directory: $XDG_STATE_HOME/confab when XDG_STATE_HOME is an
// absolute path, else $HOME/.local/state/confab. Filter history, crash files and clipboard
// fallbacks live under it. getenv nil means os.Getenv.
func StateDir(getenv func(string) string) (string, error) {
	return dir(getenv, "XDG_STATE_HOME", true, ".local", "state")
}

// CacheDir is confab's cache directory: $XDG_CACHE_HOME/confab when XDG_CACHE_HOME is an
// absolute path, else $HOME/.cache/confab. The local store (store/cache) keeps its database
// there. Like StateDir it asks the system for the home directory when HOME is unset. getenv
// nil means os.Getenv.
func CacheDir(getenv func(string) string) (string, error) {
	return dir(getenv, "XDG_CACHE_HOME", true, ".cache")
}

// dir is $env/confab when env holds an absolute path, else $HOME/<under…>/confab; with HOME
// unset it asks the system (askOS) or returns ErrNoHome.
func dir(getenv func(string) string, env string, askOS bool, under ...string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv(env); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "confab"), nil
	}
	home := getenv("HOME")
	if home == "" {
		if !askOS {
			return "", ErrNoHome
		}
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no home directory for %s: %w", env, err)
		}
		home = h
	}
	return filepath.Join(append(append([]string{home}, under...), "confab")...), nil
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
