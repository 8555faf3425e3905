package pane

import (
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/config"
)

// ConsoleRequest asks the root to copy (and, where it can, open) the link to a conversation
// in its vendor's web console. It is not Routed: it is for the root.
type ConsoleRequest struct {
	Pane ID
	Conv client.Conversation
	URL  string // the source's console_url with the conversation filled in
}

// consoleKey is the console key: the selected conversation's console link, or a notice
// saying how to configure one.
func (p *Pane) consoleKey() tea.Cmd {
	c, ok := p.current()
	if !ok {
		return nil
	}
	src := rowSource(c, p.cfg.Name) // local.go
	tmpl := p.cfg.ConsoleURLs[src]
	if tmpl == "" {
		name := sanitize.Line(sanitize.Clip(src, 64))
		return notify(p.cfg.ID, true, "No console link for "+name+": add console_url = \"https://…/{id}\" to its [[source]]")
	}
	req := ConsoleRequest{Pane: p.cfg.ID, Conv: c, URL: config.ConsoleURL(tmpl, src, c.ID)}
	return func() tea.Msg { return req }
}
