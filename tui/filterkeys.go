package tui

import (
	"image/color"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/tui/filterbar"
	"github.com/confab-dev/confab/tui/pane"
)

// View is a saved view: a named filter and order on a source ([[view]] in the config).
type View = pane.View

// defaultFilterKeys are the bindings of the filter bar, the quick filter, the sort order and
// the saved views.
func defaultFilterKeys() pane.FilterKeys {
	return pane.FilterKeys{
		Edit:     key.NewBinding(key.WithKeys("f", ":"), key.WithHelp("f", "filter")),
		Quick:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "quick filter")),
		Order:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "newest/oldest")),
		Views:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "saved views")),
		SaveView: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "save view")),
		Bar:      filterbar.DefaultKeys(),
	}
}

// filterHelp enables the filter bindings that work now: all of them in the list, none in the
// thread, the order key only where the source can change its order.
func (a *App) filterHelp(k KeyMap) KeyMap {
	f := &k.Filter
	list := a.mode() == pane.ModeList
	for _, b := range []*key.Binding{&f.Edit, &f.Quick, &f.Views, &f.SaveView} {
		b.SetEnabled(list)
	}
	f.Order.SetEnabled(list && len(a.panes) > 0 && a.panes[a.active].CanOrder())
	if len(a.panes) > 0 && !a.panes[a.active].VendorFilter() {
		// The All tab: no filter bar, no saved views; / narrows.
		for _, b := range []*key.Binding{&f.Edit, &f.Views, &f.SaveView} {
			b.SetEnabled(false)
		}
	}
	return k
}

// filterShortHelp is the one-line help while the filter bar (or another prompt) takes keys.
func (a *App) filterShortHelp() []key.Binding {
	b := a.keys.Filter.Bar
	return []key.Binding{b.Apply, b.Cancel, b.Complete, b.HistoryPrev, b.HistoryNext}
}

// handleCapturedKey sends every key but quit's ctrl+c to a pane that is taking text input,
// so typing "q" or "1" in the filter bar types it.
func (a *App) handleCapturedKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if len(a.panes) == 0 || !a.panes[a.active].Capturing() || msg.String() == "ctrl+c" {
		return nil, false
	}
	before := a.panes[a.active].Capturing()
	_, cmd := a.panes[a.active].Update(msg)
	if before != a.panes[a.active].Capturing() || a.showHelp {
		// The help line changes with the mode.
		return tea.Batch(cmd, a.relayout()), true
	}
	return cmd, true
}

// filterStyles are the filter bar's styles for a dark or light background.
func filterStyles(p Palette, isDark bool) filterbar.Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(s Shade) color.Color { return ld(s.Light, s.Dark) }
	fg := func(s Shade) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(s)) }
	in := textinput.DefaultStyles(isDark)
	in.Focused.Text = fg(p.Text)
	in.Focused.Placeholder = fg(p.Muted)
	in.Blurred.Placeholder = fg(p.Muted)
	in.Cursor.Color = c(p.Primary)
	return filterbar.Styles{
		Label:        fg(p.Primary).Bold(true),
		Text:         fg(p.Text),
		Muted:        fg(p.Muted),
		Error:        fg(p.Error),
		Caret:        fg(p.Error).Bold(true),
		Menu:         fg(p.Text),
		MenuSelected: lipgloss.NewStyle().Foreground(c(p.SelectionFg)).Background(c(p.SelectionBg)),
		Input:        in,
	}
}

// noColorFilterStyles are the filter bar's NO_COLOR styles.
func noColorFilterStyles() filterbar.Styles {
	plain := lipgloss.NewStyle()
	in := textinput.Styles{}
	in.Focused = textinput.StyleState{Text: plain, Placeholder: plain, Prompt: plain, Suggestion: plain}
	in.Blurred = in.Focused
	in.Cursor = textinput.CursorStyle{Shape: tea.CursorBlock}
	return filterbar.Styles{Label: plain.Bold(true), Text: plain, Muted: plain, Error: plain.Bold(true),
		Caret: plain.Bold(true), Menu: plain, MenuSelected: plain.Reverse(true), Input: in}
}
