package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/tui/pane"
	"github.com/confab-dev/confab/tui/search"
)

// GlobalKeys work whatever has focus.
type GlobalKeys struct {
	Quit, Help, NextTab, PrevTab, GotoTab key.Binding
	Search                                key.Binding // the search overlay (search.go)
}

// KeyMap is every binding of the TUI, grouped by where it applies. It is built once by
// DefaultKeyMap and passed down by value; panes get only their group.
type KeyMap struct {
	Global GlobalKeys
	Pane   pane.Keys
	Filter pane.FilterKeys // the filter bar, quick filter, order and views (filterkeys.go)
	Search search.Keys     // the search overlay (search.go)
}

// DefaultKeyMap returns confab's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Global: GlobalKeys{
			Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
			Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
			NextTab: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
			PrevTab: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
			GotoTab: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "go to tab")),
			Search:  key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", "search all sources")),
		},
		Pane: pane.Keys{
			Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
			Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
			PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
			PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
			Home:     key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
			End:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
			Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open thread")),
			Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
			Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry/refresh")),
			Toggle:   key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "fold")),
			Collapse: key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "collapse")),
			Expand:   key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "expand")),
			Copy: pane.CopyKeys{
				Thread:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy thread (md)")),
				JSON:    key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy thread (json)")),
				Subtree: key.NewBinding(key.WithKeys("ctrl+y"), key.WithHelp("ctrl+y", "copy subtree")),
				Message: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy message")),
				ID:      key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "copy id")),
				Redact:  key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "redact copies")),
				Console: key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "console link")),
			},
			Pager: defaultPagerKeys(), // pager.go
			Find:  defaultFindKeys(),  // findkeys.go
		},
		Filter: defaultFilterKeys(),
		Search: defaultSearchKeys(), // search.go
	}
}

// forMode returns a copy of k with the bindings that do nothing in mode disabled, so help shows
// only what works now.
func (k KeyMap) forMode(mode pane.Mode, tabs int) KeyMap {
	p := &k.Pane
	list := mode == pane.ModeList
	thread := mode == pane.ModeThread
	for _, b := range []*key.Binding{&p.Up, &p.Down, &p.PageUp, &p.PageDown, &p.Home, &p.End, &p.Retry} {
		b.SetEnabled(list || thread)
	}
	p.Open.SetEnabled(list)
	p.Back.SetEnabled(thread)
	p.Toggle.SetEnabled(thread)
	p.Collapse.SetEnabled(thread)
	p.Expand.SetEnabled(thread)
	c := &p.Copy
	for _, b := range []*key.Binding{&c.Thread, &c.JSON, &c.ID, &c.Redact, &c.Console} {
		b.SetEnabled(list || thread)
	}
	c.Subtree.SetEnabled(thread)
	c.Message.SetEnabled(thread)
	pagerHelp(p, mode) // pager.go
	g := &k.Global
	g.NextTab.SetEnabled(tabs > 1)
	g.PrevTab.SetEnabled(tabs > 1)
	g.GotoTab.SetEnabled(tabs > 1)
	return k
}

// ShortHelp is the one-line help for the focused pane's mode (help.KeyMap).
func (a *App) ShortHelp() []key.Binding {
	hs := a.shortHints()
	out := make([]key.Binding, len(hs))
	for i, h := range hs {
		out[i] = h.b
	}
	return out
}

// hint is a binding of the short help and how long it stays when the line is too narrow for
// them all: the hints of the lowest keep go first, together (up goes with down);
// keepAlways never goes.
type hint struct {
	b    key.Binding
	keep int
}

// keepAlways marks "? help" and "q quit": the short help always ends with them.
const keepAlways = 1 << 30

// shortHints are the short help's bindings for the focused pane's mode, in the order shown.
// The slice is valid until the next call.
func (a *App) shortHints() []hint {
	var bs []key.Binding
	switch {
	case a.searching():
		bs = a.searchShortHelp() // search.go
	case a.mode() == pane.ModeFilter && len(a.panes) > 0 && a.panes[a.active].FindEditing():
		bs = a.findShortHelp() // findkeys.go
	case a.mode() == pane.ModeFilter:
		bs = a.filterShortHelp() // what is typed is text: no ? and q here
	}
	if bs != nil {
		// Keep the first longest.
		hs := make([]hint, len(bs))
		for i, b := range bs {
			hs[i] = hint{b, len(bs) - i}
		}
		return hs
	}
	if a.mode() == pane.ModePager {
		return a.pagerShortHelp(a.keys.forMode(pane.ModePager, len(a.panes))) // pager.go
	}
	k := a.keys.forMode(a.mode(), len(a.panes))
	k = a.filterHelp(k)
	filter := k.Filter.Edit
	if len(a.panes) > 0 && !a.panes[a.active].VendorFilter() {
		filter = k.Filter.Quick // the All tab has no filter bar
	}
	// Up and down go first (every newcomer tries the arrows), then refresh and tabs (the tab
	// bar shows the tabs); the ways in and out of the thread and the filter stay longest.
	// Written over the slice of the last call: every frame asks, and no caller keeps it.
	a.hints = append(a.hints[:0], hint{k.Pane.Up, 1}, hint{k.Pane.Down, 1}, hint{k.Pane.Open, 9},
		hint{k.Pane.Pager.Read, 7}, hint{k.Pane.Back, 9}, hint{k.Pane.Toggle, 6}, hint{k.Pane.Retry, 3},
		hint{filter, 8}, hint{k.Global.NextTab, 4}, hint{k.Global.Help, keepAlways}, hint{k.Global.Quit, keepAlways})
	return a.hints
}

// shortHelpFit renders the short help hs (shortHints) in at most w cells: while it is too
// wide, the enabled hints with the lowest keep are left out, so the line never ends in "…"
// and "? help • q quit" stay at its end.
func (a *App) shortHelpFit(hs []hint, w int) string {
	h := a.help
	h.SetWidth(0) // measure whole
	for {
		bs := make([]key.Binding, 0, len(hs))
		low := keepAlways
		for _, x := range hs {
			bs = append(bs, x.b)
			if x.b.Enabled() {
				low = min(low, x.keep)
			}
		}
		v := h.ShortHelpView(bs)
		if lipgloss.Width(v) <= w || low == keepAlways {
			return v
		}
		kept := hs[:0:0]
		for _, x := range hs {
			if !x.b.Enabled() || x.keep != low {
				kept = append(kept, x)
			}
		}
		hs = kept
	}
}

// FullHelp is the full help, one column per group (help.KeyMap).
func (a *App) FullHelp() [][]key.Binding {
	if a.searching() {
		return a.searchFullHelp() // search.go
	}
	k := a.findHelp(a.filterHelp(a.keys.forMode(a.mode(), len(a.panes))))
	p, g, f := k.Pane, k.Global, k.Filter
	return [][]key.Binding{
		{f.Edit, f.Quick, f.Order, f.Views, f.SaveView},
		{p.Find.Open, p.Find.Next, p.Find.Prev, p.Find.Done, p.Find.Clear},
		{p.Up, p.Down, p.PageUp, p.PageDown, p.Home, p.End},
		{p.Open, p.Back, p.Toggle, p.Collapse, p.Expand, p.Retry},
		{p.Copy.Thread, p.Copy.JSON, p.Copy.Subtree, p.Copy.Message, p.Copy.ID, p.Copy.Console, p.Copy.Redact},
		{p.Pager.Read, p.Pager.View.Raw, p.Pager.RawConv, p.Pager.View.Close},
		{p.Pager.View.Down, p.Pager.View.Up, p.Pager.View.PageDown, p.Pager.View.PageUp,
			p.Pager.View.HalfDown, p.Pager.View.HalfUp, p.Pager.View.Top, p.Pager.View.Bottom},
		{g.NextTab, g.PrevTab, g.GotoTab, g.Search, g.Help, g.Quit},
	}
}
