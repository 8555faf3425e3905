package pane

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func (p *Pane) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if p.cfg.Err != nil {
		return nil
	}
	if cmd, ok := p.broadKey(msg); ok {
		return cmd
	}
	if p.area == areaList && !p.Capturing() && key.Matches(msg, p.cfg.Keys.Back) && p.cancelLoads() {
		return nil // Esc stops what is loading before it does anything else
	}
	if cmd, ok := p.handleFilterKey(msg); ok {
		return cmd
	}
	if cmd, ok := p.findKey(msg); ok { // the search in the thread (find.go)
		return cmd
	}
	if cmd, ok := p.copyKey(msg); ok {
		return cmd
	}
	if cmd, ok := p.pagerKey(msg); ok { // pager.go
		return cmd
	}
	if p.area == areaThread {
		return p.handleThreadKey(msg)
	}
	k := p.cfg.Keys
	switch {
	case key.Matches(msg, k.Up):
		return p.moveKey(-1)
	case key.Matches(msg, k.Down):
		return p.moveKey(1)
	case key.Matches(msg, k.PageUp):
		return p.moveKey(-max(1, p.listRows()))
	case key.Matches(msg, k.PageDown):
		return p.moveKey(max(1, p.listRows()))
	case key.Matches(msg, k.Home):
		return p.moveKey(-p.ls.rowCount())
	case key.Matches(msg, k.End):
		return p.jumpToEnd()
	case key.Matches(msg, k.Open):
		return p.openSelected() // mouse.go
	case key.Matches(msg, k.Retry):
		return p.retry()
	}
	return nil
}

// moveKey is moveList for a key that moves the selection: it ends a jump to the end and
// gives the pane a new keypress's worth of pages.
func (p *Pane) moveKey(delta int) tea.Cmd {
	p.ls.jumping = false
	p.keypress()
	return p.moveList(delta)
}

// moveList moves the list selection and returns the Cmds that follow: the preview of the new
// selection and the next page when the selection nears the end.
func (p *Pane) moveList(delta int) tea.Cmd {
	if p.ls.rowCount() == 0 {
		return nil
	}
	if !p.ls.move(delta, p.listRows()) {
		return p.prefetch()
	}
	return batch2(p.selectionChanged(), p.prefetch())
}

// batch2 is tea.Batch(a, b) without the slice Batch makes when one of them is nil: every
// move of the selection returns one Cmd or two.
func batch2(a, b tea.Cmd) tea.Cmd {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return tea.Batch(a, b)
}

// listRows is the number of conversation rows the list shows.
func (p *Pane) listRows() int {
	return max(0, p.h-1-p.ls.footerLines())
}

// clampList keeps the selection on a row and in the list's window.
func (p *Pane) clampList() { p.ls.clamp(p.listRows()) }
