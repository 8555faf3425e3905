package pane

import (
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/filterbar"
)

// defaultDebounce is the pause after the last keystroke before a valid filter is applied.
const defaultDebounce = 300 * time.Millisecond

// barBinding is the filter bar's part of the pane: the bar, and what the pane keeps about
// the filter it applies (bar.go).
type barBinding struct {
	*filterbar.Model
	orders    bool   // the source can change its sort order (Orderer)
	editStart string // the applied filter when editing started (history is written on leaving)
	serverErr string // the vendor's rejection of the applied filter
}

// initFilter builds the filter state from the config.
func (p *Pane) initFilter() {
	st := p.cfg.Styles.Filter
	var spec client.FilterSpec
	if p.cfg.Source != nil {
		spec = p.cfg.Source.FilterSpec()
		if o, ok := p.cfg.Source.(Orderer); ok {
			p.bar.orders = o.Orders()
		}
	}
	if p.offline() {
		if p.cfg.Local.Spec != nil {
			spec = p.cfg.Local.Spec // the vendor's language: Source is the store's
		}
		spec = offlineSpec{FilterSpec: spec, now: p.cfg.Now} // local.go
	}
	p.bar.Model = filterbar.New("filter", spec, p.cfg.FilterKeys.Bar, st)
	p.bar.SetApplied(p.cfg.Query.Filter)
	p.quick.Model = filterbar.New("quick", quickSpec{}, p.cfg.FilterKeys.Bar, st)
	p.quick.SetRightWidth(quickCountW)
	p.views.name = filterbar.New("save as:", nameSpec{}, p.cfg.FilterKeys.Bar, st)
	p.views.name.SetRightWidth(len(saveHint))
	for _, v := range p.cfg.Views {
		if p.cfg.Source != nil && v.Source == p.cfg.Source.Name() {
			p.views.list = append(p.views.list, v)
		}
	}
}

// debounceMsg fires after a pause in typing; it applies the filter if tag is still current.
type debounceMsg struct {
	pane ID
	tag  uint64
}

func (m debounceMsg) PaneID() ID { return m.pane }

// handleFilterMsg handles the filter's async results; ok is false for other messages.
func (p *Pane) handleFilterMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case debounceMsg:
		return p.handleDebounce(msg), true
	case historyMsg:
		if msg.err != nil {
			return notify(p.cfg.ID, true, "Could not read the filter history ("+msg.err.Error()+"); filters you apply are remembered for this session"), true
		}
		p.bar.SetHistory(msg.entries)
		return nil, true
	case quickMsg:
		return p.handleQuick(msg), true
	case quickTickMsg:
		return p.handleQuickTick(msg), true
	case indexMsg:
		return p.handleIndex(msg), true
	case viewSavedMsg:
		if msg.err != nil {
			return notify(p.cfg.ID, true, msg.err.Error()), true
		}
		p.views.list = append(p.views.list, msg.view)
		return notify(p.cfg.ID, false, "Saved view "+msg.view.Name+" in "+p.cfg.ConfigPath), true
	}
	return nil, false
}

// handleFilterKey handles the filter keys; ok is false when the key is not one of them.
func (p *Pane) handleFilterKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if p.bar.Model == nil {
		return nil, false
	}
	switch {
	case p.bar.Editing():
		return p.barKey(msg), true
	case p.quick.Editing():
		return p.quickKey(msg), true
	case p.views.name.Editing():
		return p.nameKey(msg), true
	case p.views.picking:
		return p.pickKey(msg), true
	}
	if p.area != areaList {
		return nil, false
	}
	k := p.cfg.FilterKeys
	if cmd, ok := p.noVendorFilterKey(msg); ok {
		return cmd, true
	}
	switch {
	case key.Matches(msg, k.Edit):
		p.bar.editStart = p.bar.Applied()
		p.bar.Edit()
		p.relayoutHead()
		return nil, true
	case key.Matches(msg, k.Quick):
		p.quick.Edit()
		p.relayoutHead()
		p.quick.xWant = true // index the rows while the user types
		return p.buildIndex(), true
	case key.Matches(msg, k.Order) && p.bar.orders:
		if p.cfg.Query.Order == client.NewestFirst {
			p.cfg.Query.Order = client.OldestFirst
		} else {
			p.cfg.Query.Order = client.NewestFirst
		}
		return p.fetch(""), true
	case key.Matches(msg, k.Views):
		if len(p.views.list) == 0 {
			return notify(p.cfg.ID, false, "No saved views for "+p.sourceName()+": press S to save the current filter as one"), true
		}
		p.views.picking, p.views.sel = true, 0
		p.relayoutHead()
		return nil, true
	case key.Matches(msg, k.SaveView):
		if p.cfg.ConfigPath == "" {
			return notify(p.cfg.ID, true, "No config file to save views in (the demo has none)"), true
		}
		p.views.name.Edit()
		p.relayoutHead()
		return nil, true
	case key.Matches(msg, p.cfg.Keys.Back) && p.ls.idx != nil:
		p.clearQuick()
		return nil, true
	}
	return nil, false
}

// VendorFilter reports whether the pane has the filter bar of its source's filter language
// (false in the All tab: Config.NoVendorFilter).
func (p *Pane) VendorFilter() bool { return !p.cfg.NoVendorFilter }

// noVendorFilterKey answers the keys of the filter bar and saved views in a pane without a
// vendor filter (Config.NoVendorFilter: the All tab) with a line saying what to use instead;
// ok is false for other keys and in other panes.
func (p *Pane) noVendorFilterKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := p.cfg.FilterKeys
	if !p.cfg.NoVendorFilter || !key.Matches(msg, k.Edit, k.Views, k.SaveView) {
		return nil, false
	}
	return notify(p.cfg.ID, false, "the "+p.cfg.Name+" tab has no vendor filter: use / to narrow or ctrl+f to search"), true
}

// barKey handles a key while the filter bar is being edited.
func (p *Pane) barKey(msg tea.KeyPressMsg) tea.Cmd {
	ev := p.bar.Update(msg)
	defer p.relayoutHead()
	switch ev {
	case filterbar.Changed:
		if p.bar.Err() != nil || p.bar.Value() == p.bar.Applied() {
			return nil
		}
		id, tag, delay := p.cfg.ID, p.bar.Tag(), p.cfg.FilterDelay
		if delay <= 0 {
			delay = defaultDebounce
		}
		return p.cfg.Tick(delay, func(time.Time) tea.Msg { return debounceMsg{pane: id, tag: tag} })
	case filterbar.Submit:
		var cmds []tea.Cmd
		if p.bar.Applied() != p.cfg.Query.Filter {
			cmds = append(cmds, p.applyFilter(p.bar.Applied()))
		}
		return tea.Batch(append(cmds, p.leaveEditing())...)
	case filterbar.Recalled:
		// Walking the history shows an entry; Enter applies it. A pause scheduled for the
		// text typed before is stale (the bar started a new tag).
		return nil
	case filterbar.Cancel:
		// The bar is back on the filter applied before editing. Only when the pause applied
		// another one meanwhile (the rows on screen are that filter's) does the list reload.
		if p.bar.Applied() != p.cfg.Query.Filter {
			return p.applyFilter(p.bar.Applied())
		}
		return nil
	}
	return nil
}

// leaveEditing records the applied filter in the history if editing changed it.
func (p *Pane) leaveEditing() tea.Cmd {
	if a := p.bar.Applied(); a != p.bar.editStart {
		return p.saveHistory(a)
	}
	return nil
}

// handleDebounce applies the edited filter if no key was typed since the tick was scheduled.
func (p *Pane) handleDebounce(msg debounceMsg) tea.Cmd {
	b := p.bar.Model
	if !b.Editing() || msg.tag != b.Tag() || b.Err() != nil || b.Value() == p.cfg.Query.Filter {
		return nil
	}
	b.SetApplied(b.Value())
	return p.applyFilter(b.Value())
}

// applyFilter makes text the pane's filter and reloads: the request in flight is cancelled and
// its results, should they still arrive, are dropped (fetch bumps the generation).
func (p *Pane) applyFilter(text string) tea.Cmd {
	p.cfg.Query.Filter = text
	p.bar.SetApplied(text)
	p.resetBroad() // broad.go
	p.bar.serverErr = ""
	p.ls.err = nil
	p.relayoutHead()
	return p.fetch("")
}

// pageFailed shows a filter the vendor rejected in the bar (the loaded rows stay).
func (p *Pane) pageFailed(err error) {
	if errors.Is(err, client.ErrBadFilter) && p.cfg.Query.Filter != "" {
		p.bar.serverErr = err.Error()
		p.relayoutHead()
	}
}
