package tui

import (
	"image/color"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/tui/pager"
	"github.com/confab-dev/confab/tui/pane"
)

// The pager over the thread (tui/pager, opened by tui/pane/pager.go): its keys, its help and
// its styles.

// defaultPagerKeys are the keys that open the pager from the thread, and the pager's own.
func defaultPagerKeys() pane.PagerKeys {
	return pane.PagerKeys{
		Read:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "read message")),
		RawConv: key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "raw conversation")),
		View:    pager.DefaultKeys(),
	}
}

// pagerHelp enables the pager bindings that work in mode: the openers in the thread, the
// scrolling keys in the pager, where c still copies the whole message.
func pagerHelp(pk *pane.Keys, mode pane.Mode) {
	k := &pk.Pager
	thread, paging := mode == pane.ModeThread, mode == pane.ModePager
	if paging {
		pk.Copy.Message.SetEnabled(true)
	}
	k.Read.SetEnabled(thread)
	k.RawConv.SetEnabled(thread || paging)
	v := &k.View
	v.Raw.SetEnabled(thread || paging)
	for _, b := range []*key.Binding{&v.Up, &v.Down, &v.PageDown, &v.PageUp, &v.HalfDown, &v.HalfUp, &v.Top, &v.Bottom, &v.Close} {
		b.SetEnabled(paging)
	}
}

// pagerShortHelp is the one-line help while the pager is open, short enough for 80 columns
// (the pager's footer lists the scrolling keys): q closes the pager there, so quit is ctrl+c.
func (a *App) pagerShortHelp(k KeyMap) []hint {
	v := k.Pane.Pager.View
	quit := k.Global.Quit
	quit.SetHelp("ctrl+c", "quit")
	return []hint{{v.PageDown, 3}, {v.Raw, 5}, {v.Close, 9}, {k.Global.Help, keepAlways}, {quit, keepAlways}}
}

// handlePagerKey sends the pager's close keys (esc, q) to the pane whose pager is open: q
// there goes back to the thread rather than quitting.
func (a *App) handlePagerKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if a.showHelp || a.mode() != pane.ModePager || !key.Matches(msg, a.keys.Pane.Pager.View.Close) {
		return nil, false
	}
	_, cmd := a.panes[a.active].Update(msg)
	return cmd, true
}

// pagerStyles are the pager's styles for a dark or light background.
func pagerStyles(p Palette, isDark bool) pager.Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(s Shade) color.Color { return ld(s.Light, s.Dark) }
	fg := func(s Shade) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(s)) }
	return pager.Styles{
		Header: fg(p.Primary).Bold(true),
		Footer: fg(p.Muted),
		Text:   fg(p.Text),
		Muted:  fg(p.Muted).Italic(true),
		Key:    fg(p.Primary),
		String: fg(p.Accent),
		Number: fg(p.Bot),
		Bool:   fg(p.Agent),
	}
}

// noColorPagerStyles are the pager's NO_COLOR styles: a bold header, and JSON keys in bold so
// the record reads without colour.
func noColorPagerStyles() pager.Styles {
	plain := lipgloss.NewStyle()
	return pager.Styles{Header: plain.Bold(true), Footer: plain, Text: plain, Muted: plain,
		Key: plain.Bold(true), String: plain, Number: plain, Bool: plain}
}
