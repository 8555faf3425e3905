package tui

import (
	"fmt"
	"image/color"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/search"
)

// The search overlay's hook in the root (ctrl+f): package search is the overlay; here it is
// opened, given every key while it is open, drawn over the body, and its Enter opens the
// hit's thread in the tab of the hit's source (pane.OpenAt). The TUI never sees the store:
// Deps.Search is all it knows.

// The search types, as confab's cmd sees them (Deps.Search).
type (
	// SearchFunc runs one search over the local store: every source's stored
	// conversations, newest match first.
	SearchFunc = search.Func
	// SearchQuery is the query typed (FTS5 syntax) and the most hits wanted.
	SearchQuery = search.Query
	// SearchHit is one matching conversation: its newest match.
	SearchHit = search.Hit
	// SearchSpan is a piece of a hit's snippet, matched or not.
	SearchSpan = search.Span
)

// ErrSearchNothingStored is what a SearchFunc returns, in place of no hits, when the store
// holds nothing at all: ctrl+f then says how to fill it.
var ErrSearchNothingStored = search.ErrNothingStored

// msgNoStore is the status line of ctrl+f when there is no store to search.
const msgNoStore = "Search needs the local store, which is not open in this run (--no-cache, or it could not be opened)"

// defaultSearchKeys are the overlay's bindings; every other key edits the query.
func defaultSearchKeys() search.Keys {
	return search.Keys{
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/ctrl+p", "previous result")),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓/ctrl+n", "next result")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open the result's thread")),
		Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close search")),
	}
}

// newSearch is the overlay for deps (nil without a search function: ctrl+f then says so).
func (a *App) newSearch(deps Deps) *search.Model {
	if deps.Search == nil {
		return nil
	}
	return search.New(search.Config{
		Search:   deps.Search,
		Keys:     a.keys.Search,
		Styles:   a.styles.Search,
		Context:  a.ctx,
		Location: deps.Location,
		Tick:     a.tick,
		Redact:   a.scrub,
	})
}

// searching reports whether the search overlay is open.
func (a *App) searching() bool { return a.srch != nil && a.srch.IsOpen() }

// openSearch opens the overlay (ctrl+f), or says why there is none.
func (a *App) openSearch() tea.Cmd {
	if a.srch == nil {
		return reportInfo(msgNoStore)
	}
	cmd := a.srch.Open()
	return tea.Batch(cmd, a.relayout())
}

// handleSearchKey gives every key but ctrl+c (quit) to the open overlay.
func (a *App) handleSearchKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if !a.searching() || msg.String() == "ctrl+c" {
		return nil, false
	}
	cmd := a.srch.Update(msg)
	if !a.srch.IsOpen() {
		return tea.Batch(cmd, a.relayout()), true // the help changes with the mode
	}
	return cmd, true
}

// handleSearchMsg delivers the overlay's own messages (its debounce, its results).
func (a *App) handleSearchMsg(msg search.Msg) tea.Cmd {
	if a.srch == nil {
		return nil
	}
	return a.srch.Update(msg)
}

// openHit opens the thread of hit in the tab of its source: the first tab of that name (a
// source's own tab comes before its saved views).
func (a *App) openHit(hit search.Hit) tea.Cmd {
	name := hit.Conversation.Source
	for i, p := range a.panes {
		if p.Name() != name {
			continue
		}
		a.switchTab(i)
		return tea.Batch(p.OpenAt(hit.Conversation, hit.InteractionID), a.relayout())
	}
	return reportErr(fmt.Sprintf("Cannot open the result: no tab shows source %q (it is not in the config)",
		sanitize.Line(sanitize.Clip(name, 256))))
}

// searchShortHelp is the one-line help while the overlay is open.
func (a *App) searchShortHelp() []key.Binding {
	k := a.keys.Search
	return []key.Binding{k.Up, k.Down, k.Open, k.Close}
}

// searchFullHelp is the full help while the overlay is open.
func (a *App) searchFullHelp() [][]key.Binding {
	k := a.keys.Search
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Open, k.Close}}
}

// searchStyles are the overlay's styles for a dark or light background.
func searchStyles(p Palette, isDark bool) search.Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(s Shade) color.Color { return ld(s.Light, s.Dark) }
	fg := func(s Shade) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(s)) }
	sel := lipgloss.NewStyle().Foreground(c(p.SelectionFg)).Background(c(p.SelectionBg))
	return search.Styles{
		Title:         fg(p.Primary).Bold(true),
		Prompt:        fg(p.Primary).Bold(true),
		Header:        fg(p.Primary).Bold(true),
		Muted:         fg(p.Muted),
		Text:          fg(p.Text),
		Error:         fg(p.Error).Bold(true),
		Source:        fg(p.Primary),
		Time:          fg(p.Muted),
		User:          fg(p.Accent),
		Match:         fg(p.Warn).Bold(true).Reverse(true),
		Selected:      sel,
		SelectedMatch: sel.Bold(true).Underline(true),
		Input:         filterStyles(p, isDark).Input,
	}
}

// noColorSearchStyles are the overlay's NO_COLOR styles: a match is in reverse video and
// bold; in the selected row (itself reversed) it is bold and underlined.
func noColorSearchStyles() search.Styles {
	plain := lipgloss.NewStyle()
	bold := plain.Bold(true)
	return search.Styles{
		Title: bold, Prompt: bold, Header: bold, Muted: plain, Text: plain, Error: bold,
		Source: plain, Time: plain, User: plain,
		Match: bold.Reverse(true), Selected: plain.Reverse(true), SelectedMatch: bold.Underline(true),
		Input: noColorFilterStyles().Input,
	}
}
