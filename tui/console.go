package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/clip"
	"github.com/confab-dev/confab/tui/pane"
)

// Browser opens links in the user's web browser. The zero value opens nothing: the console
// key then only copies the link, and the status bar says why it was not opened (Why).
type Browser struct {
	// Open opens url in the browser (without waiting for the browser to exit); nil: links
	// are not opened.
	Open func(url string) error
	// Name names the opener in the status bar ("xdg-open").
	Name string
	// Why says why links are not opened when Open is nil ("over SSH", "no xdg-open or
	// open on PATH"); "" says nothing.
	Why string
}

// handleConsoleRequest copies the console link of a conversation and opens it when a
// browser can be opened here, in a Cmd; copyDoneMsg brings the result back.
func (a *App) handleConsoleRequest(req pane.ConsoleRequest) tea.Cmd {
	cfg, b, ctx := a.copyCfg, a.browser, a.ctx
	return func() tea.Msg {
		link := sanitize.Line(req.URL) // percent-encoded already; nothing to escape
		o := clip.Deliver(ctx, link, "console link "+link, "", "conversation-"+clip.SafeName(req.Conv.ID)+"-console.txt", cfg)
		status := o.Status
		switch {
		case b.Open != nil:
			if err := b.Open(link); err != nil {
				status += "; " + b.Name + " failed: " + err.Error()
			} else {
				status += "; opened with " + b.Name
			}
		case b.Why != "":
			status += "; not opened: " + b.Why
		}
		return copyDoneMsg{text: o.OSC52, status: status, err: o.Err}
	}
}
