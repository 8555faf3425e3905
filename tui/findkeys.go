package tui

import (
	"charm.land/bubbles/v2/key"

	"github.com/confab-dev/confab/tui/pane"
)

// defaultFindKeys are the bindings of the search in the thread (the list keeps / for its
// quick filter).
func defaultFindKeys() pane.FindKeys {
	return pane.FindKeys{
		Open:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search thread")),
		Next:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next hit")),
		Prev:  key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous hit")),
		Done:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep hits")),
		Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
	}
}

// findHelp enables the bindings of the search in the thread that work now: / in the thread,
// n, N and esc while it has a search, enter while its input is open.
func (a *App) findHelp(k KeyMap) KeyMap {
	f := &k.Pane.Find
	var finding, editing bool
	if len(a.panes) > 0 {
		finding, editing = a.panes[a.active].Finding(), a.panes[a.active].FindEditing()
	}
	f.Open.SetEnabled(a.mode() == pane.ModeThread)
	f.Next.SetEnabled(finding && !editing)
	f.Prev.SetEnabled(finding && !editing)
	f.Clear.SetEnabled(finding)
	f.Done.SetEnabled(editing)
	return k
}

// findShortHelp is the one-line help while the thread's search input is open.
func (a *App) findShortHelp() []key.Binding {
	f := a.findHelp(a.keys).Pane.Find
	return []key.Binding{f.Done, f.Clear}
}
