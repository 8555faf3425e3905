package pane

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/history"
	"github.com/confab-dev/confab/tui/filterbar"
)

// View is a saved filter of a source (a [[view]] of the config file).
type View struct {
	Name   string
	Source string // the source's configured name
	Filter string
	Order  string // "newest" (or "") or "oldest"
}

// viewsBinding is the saved views' part of the pane: the picker and the "save view as"
// prompt (views.go).
type viewsBinding struct {
	name    *filterbar.Model // the "save view as" prompt
	list    []View
	picking bool
	sel     int
}

// historyMsg carries the history file's contents.
type historyMsg struct {
	pane    ID
	entries []string
	err     error
}

// viewSavedMsg says whether a view was written to the config file.
type viewSavedMsg struct {
	pane ID
	view View
	err  error
}

func (m historyMsg) PaneID() ID   { return m.pane }
func (m viewSavedMsg) PaneID() ID { return m.pane }

// loadHistory is the Cmd that reads the history file.
func (p *Pane) loadHistory() tea.Cmd {
	if p.cfg.HistoryDir == "" || p.cfg.Source == nil {
		return nil
	}
	ctx, id, path := p.cfg.Context, p.cfg.ID, history.Path(p.cfg.HistoryDir, p.sourceName())
	return func() tea.Msg {
		entries, err := history.Load(ctx, path)
		return historyMsg{pane: id, entries: entries, err: err}
	}
}

// saveHistory appends text to the history, in memory now and on disk in a Cmd.
func (p *Pane) saveHistory(text string) tea.Cmd {
	if text == "" {
		return nil
	}
	p.bar.SetHistory(history.Add(p.bar.History(), text, history.DefaultMax))
	if p.cfg.HistoryDir == "" {
		return nil
	}
	ctx, id, path := p.cfg.Context, p.cfg.ID, history.Path(p.cfg.HistoryDir, p.sourceName())
	return func() tea.Msg {
		if _, err := history.Append(ctx, path, text, history.DefaultMax); err != nil {
			return Notice{Pane: id, Err: true, Text: "Could not save the filter in the history: " + err.Error()}
		}
		return nil
	}
}

// saveView is the Cmd that appends v to the config file.
func (p *Pane) saveView(v View) tea.Cmd {
	ctx, id, path := p.cfg.Context, p.cfg.ID, p.cfg.ConfigPath
	return func() tea.Msg {
		err := config.AppendView(ctx, path, config.View{Name: v.Name, Source: v.Source, Filter: v.Filter, Order: v.Order})
		return viewSavedMsg{pane: id, view: v, err: err}
	}
}

// nameKey handles a key in the "save view as" prompt.
func (p *Pane) nameKey(msg tea.KeyPressMsg) tea.Cmd {
	ev := p.views.name.Update(msg)
	defer p.relayoutHead()
	if ev != filterbar.Submit {
		return nil
	}
	name := p.views.name.Applied()
	p.views.name.SetApplied("")
	if name == "" {
		return nil
	}
	order := "newest"
	if p.cfg.Query.Order == client.OldestFirst {
		order = "oldest"
	}
	return p.saveView(View{Name: name, Source: p.sourceName(), Filter: p.cfg.Query.Filter, Order: order})
}

// pickKey handles a key in the view picker.
func (p *Pane) pickKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.cfg.Keys
	defer p.relayoutHead()
	switch {
	case key.Matches(msg, k.Up):
		p.views.sel = (p.views.sel - 1 + len(p.views.list)) % len(p.views.list)
	case key.Matches(msg, k.Down):
		p.views.sel = (p.views.sel + 1) % len(p.views.list)
	case key.Matches(msg, k.Back), key.Matches(msg, p.cfg.FilterKeys.Views):
		p.views.picking = false
	case key.Matches(msg, k.Open):
		p.views.picking = false
		v := p.views.list[p.views.sel]
		if v.Order == "oldest" && p.bar.orders {
			p.cfg.Query.Order = client.OldestFirst
		} else if p.bar.orders {
			p.cfg.Query.Order = client.NewestFirst
		}
		return tea.Batch(p.applyFilter(v.Filter), p.saveHistory(v.Filter),
			notify(p.cfg.ID, false, "View "+v.Name))
	}
	return nil
}

const pickRows = 8

// pickLines are the view picker's rows.
func (p *Pane) pickLines() []string {
	s := p.cfg.Styles
	n := min(len(p.views.list), pickRows)
	start := max(0, min(p.views.sel-n/2, len(p.views.list)-n))
	out := make([]string, 0, n)
	for i := start; i < start+n; i++ {
		v := p.views.list[i]
		order := v.Order
		if order == "" {
			order = "newest"
		}
		text := sanitize.Pad(" view   "+sanitize.Pad(sanitize.Line(v.Name), 20)+"  "+sanitize.Pad(order, 7)+"  "+sanitize.Line(v.Filter), p.w)
		if i == p.views.sel {
			out = append(out, s.Filter.MenuSelected.Render(text))
		} else {
			out = append(out, s.Filter.Menu.Render(text))
		}
	}
	return out
}

// nameSpec checks a view name.
type nameSpec struct{}

func (nameSpec) Fields() []client.Field { return nil }
func (nameSpec) Operators() []string    { return nil }
func (nameSpec) Examples() []string     { return []string{"slack-it"} }

// Complete offers nothing: a view's name is free text.
func (nameSpec) Complete(string, int) client.Completion { return client.Completion{} }

func (nameSpec) Validate(text string) error {
	if strings.ContainsAny(text, "\n\r\t") {
		return &client.FilterError{Msg: "a view name is one line", Pos: strings.IndexAny(text, "\n\r\t")}
	}
	return nil
}
