package main

import (
	"os/exec"
	"runtime"

	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/tui"
)

// consoleDeps gives the TUI the sources' console_url templates and a way to open links: the
// O key copies the selected conversation's link and opens it when findBrowser found a way.
func (a *app) consoleDeps(deps *tui.Deps, cfg *config.Config) {
	deps.Browser = findBrowser(a.getenv, exec.LookPath, runtime.GOOS)
	if cfg == nil {
		return
	}
	for _, s := range cfg.Sources {
		if s.ConsoleURL == "" {
			continue
		}
		if deps.ConsoleURLs == nil {
			deps.ConsoleURLs = map[string]string{}
		}
		deps.ConsoleURLs[s.Name] = s.ConsoleURL
	}
}

// findBrowser is how links are opened here: never over SSH (the browser would open on the
// remote machine, if anywhere), on Linux and the BSDs only with a display and xdg-open, on
// macOS with open. The zero Open says why not, and links are then only copied.
func findBrowser(getenv func(string) string, lookPath func(string) (string, error), goos string) tui.Browser {
	if getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "" {
		return tui.Browser{Why: "over SSH"}
	}
	name := "xdg-open"
	switch goos {
	case "darwin":
		name = "open"
	case "windows":
		return tui.Browser{Why: "opening links is not supported on Windows"}
	default:
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return tui.Browser{Why: "no $DISPLAY or $WAYLAND_DISPLAY"}
		}
	}
	path, err := lookPath(name)
	if err != nil {
		return tui.Browser{Why: "no " + name + " on PATH"}
	}
	return tui.Browser{Name: name, Open: func(url string) error {
		// Its output would draw over the TUI: it goes nowhere. It is reaped in the
		// background; a browser that stays open does not hold the TUI up.
		cmd := exec.Command(path, url)
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}}
}
