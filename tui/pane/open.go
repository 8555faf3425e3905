package pane

import (
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
)

// OpenAt opens conversation c's thread with interaction interactionID selected once it is
// loaded, scrolled into view (the search overlay's Enter). The thread is requested the
// pane's usual way (its source, with its generation, spinner and retries) unless it is
// already shown or loading. When c is among the rows the list shows, it is selected there
// too; when it is not (not loaded yet, or hidden by the quick filter) the thread opens all
// the same, and the keys of the thread view act on it. interactionID "" (or one the thread
// does not have) leaves the thread's first row selected.
func (p *Pane) OpenAt(c client.Conversation, interactionID string) tea.Cmd {
	if p.cfg.Err != nil || p.cfg.Source == nil {
		return notify(p.cfg.ID, true, "Cannot open the conversation: the tab of "+p.cfg.Name+" is unavailable (it says why)")
	}
	p.selectRow(c)
	p.closePager() // pager.go
	p.area = areaThread
	var cmd tea.Cmd
	if p.thr.c.ID != c.ID || (p.thr.state != threadReady && p.thr.state != threadLoading) {
		cmd = p.openNow(c)
	}
	p.thr.focus = interactionID
	if p.thr.state == threadReady {
		p.selectFocus()
	}
	return tea.Batch(cmd, p.summarize())
}

// selectRow selects the row of conversation c, if the list shows one, and scrolls it into
// view; it reports whether it found one.
func (p *Pane) selectRow(c client.Conversation) bool {
	for i := range p.ls.rowCount() {
		r := p.ls.rowAt(i)
		if id, src := p.ls.items.ID(r), p.ls.items.Source(r); id == c.ID && (src == "" || c.Source == "" || src == c.Source) {
			p.ls.cursor = i
			p.clampList()
			return true
		}
	}
	return false
}

// selectFocus selects the interaction OpenAt asked for, once the thread shows it.
func (p *Pane) selectFocus() {
	if p.thr.focus == "" {
		return
	}
	p.thr.view.SelectID(p.thr.focus)
	p.thr.focus = ""
}

// current is the conversation the keys act on: in the thread view, the one whose thread is
// open (OpenAt may open one the list has no row for); in the list, the selected row.
func (p *Pane) current() (client.Conversation, bool) {
	if p.area == areaThread && p.thr.c.ID != "" {
		return p.thr.c, true
	}
	return p.ls.selected()
}

// openNow opens c's thread: at once when the cache or the local store holds it (as the
// preview shows it, preview.go), refreshed live when that one is stale (threadFresh); else
// it is requested (openThread).
func (p *Pane) openNow(c client.Conversation) tea.Cmd {
	t, ok := p.threadNow(c) // preview.go
	if !ok {
		return p.openThread(c)
	}
	p.resetThread(c)
	cmd := p.showCached(c, t)
	if p.thr.refresh {
		p.thr.refresh = false
		cmd = tea.Batch(cmd, p.refreshThread(c)) // local.go
	}
	return cmd
}
