package pane

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
)

// A range too broad to walk: a windowed source (OpenDialog, Talkdesk) refuses a listing
// whose range needs more window requests than its limit (client.ErrTooBroad), before any
// request. The pane asks instead of failing: the status line and the list say how many
// requests the range needs; enter runs it anyway (the query's MaxWindows is -1 until the
// filter changes), esc cancels (the filter stays, and the list says how to narrow it).

// broadState is the question about a refused range.
type broadState struct {
	asking *client.TooBroadError // the refusal being asked about; nil: no question
	forced bool                  // the filter runs with no window limit (Query.MaxWindows -1)
	saved  int                   // Query.MaxWindows before it was forced
}

// askBroad starts the question when err is a refused range, and returns its status line.
func (p *Pane) askBroad(err error) tea.Cmd {
	var tb *client.TooBroadError
	if !errors.As(err, &tb) {
		p.br.asking = nil
		return nil
	}
	p.br.asking = tb
	return notify(p.cfg.ID, false, fmt.Sprintf("%s: this range needs %s requests (limit %s) — press enter again to run it anyway, esc to cancel",
		p.cfg.Name, Commas(int(tb.Windows)), Commas(tb.Limit)))
}

// broadKey answers the question: enter runs the range anyway, esc cancels. While the filter
// bar is open on the filter that was refused, its enter and esc answer too (and close it).
// ok is false when there is no question or the key is not an answer.
func (p *Pane) broadKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if p.br.asking == nil {
		return nil, false
	}
	var yes, no bool
	switch {
	case p.bar.Model != nil && p.bar.Editing():
		if p.bar.Value() != p.cfg.Query.Filter {
			return nil, false // the user is typing another filter
		}
		yes = key.Matches(msg, p.cfg.FilterKeys.Bar.Apply)
		no = key.Matches(msg, p.cfg.FilterKeys.Bar.Cancel)
	case p.bar.Model != nil && (p.quick.Editing() || p.views.name.Editing() || p.views.picking):
		return nil, false
	case p.area == areaList:
		yes = key.Matches(msg, p.cfg.Keys.Open)
		no = key.Matches(msg, p.cfg.Keys.Back)
	}
	if !yes && !no {
		return nil, false
	}
	var cmds []tea.Cmd
	if p.bar.Model != nil && p.bar.Editing() {
		// Close the bar on the filter asked about (it is applied): esc here answers the
		// question, it does not go back to the filter of before editing.
		if no {
			p.bar.Commit()
			p.relayoutHead()
			cmds = append(cmds, p.leaveEditing())
		} else {
			cmds = append(cmds, p.barKey(msg))
		}
	}
	tb := p.br.asking
	p.br.asking = nil
	if no {
		return tea.Batch(append(cmds, notify(p.cfg.ID, false, p.cfg.Name+": not run; narrow the time range in the filter"))...), true
	}
	if !p.br.forced {
		p.br.forced, p.br.saved = true, p.cfg.Query.MaxWindows
	}
	p.cfg.Query.MaxWindows = -1
	p.ls.err = nil
	p.clampList()
	cmds = append(cmds, p.fetch(""),
		notify(p.cfg.ID, false, fmt.Sprintf("%s: running all %s requests of this range", p.cfg.Name, Commas(int(tb.Windows)))))
	return tea.Batch(cmds...), true
}

// resetBroad drops the question and the forced limit: a new filter is checked afresh.
func (p *Pane) resetBroad() {
	p.br.asking = nil
	if p.br.forced {
		p.cfg.Query.MaxWindows = p.br.saved
		p.br.forced = false
	}
}

// hintFor is what to do about a page error: the question or the way out for a refused
// range, else client.HintFor.
func (p *Pane) hintFor(err error) string {
	if errors.Is(err, client.ErrTooBroad) {
		if p.br.asking != nil {
			return "press enter again to run it anyway · esc to cancel"
		}
		return "narrow the time range in the filter, or raise max_windows in the source's config"
	}
	return client.HintFor(p.sourceName(), err)
}
