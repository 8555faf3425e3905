package pane

import tea "charm.land/bubbletea/v2"

// The pane's part of the mouse (the root maps the pointer into the pane: tui/mouse.go).
// hit mirrors the geometry View draws (head.go: the filter lines on top; view.go viewBody:
// the list and, on wide panes, a divider and the thread column; listview.go: a header line
// above the rows; thread.go viewThread: a title line above the thread view): a change to
// that layout must change hit too (mouse_test.go checks them against each other).

// mousePart is the part of the pane under the pointer.
type mousePart int

const (
	partNone   mousePart = iota // the filter lines, a header, a divider, outside
	partList                    // the list column
	partThread                  // the thread column
)

// hit says which part of the pane is at (x, y), in the pane's cells (0, 0: its top-left,
// the filter lines included), and the line within that part's body (below its header or
// title line; -1 on the header or title).
func (p *Pane) hit(x, y int) (part mousePart, line int) {
	y -= p.headLines()
	if p.cfg.Err != nil || x < 0 || y < 0 || x >= p.w || y >= p.h {
		return partNone, 0
	}
	switch {
	case !p.Wide() && p.area == areaThread:
		part = partThread
	case !p.Wide() || x < p.listW:
		part = partList
	case x == p.listW:
		return partNone, 0 // the divider
	default:
		part = partThread
	}
	return part, y - 1
}

// listRowAt is the list row drawn at body line line, when a conversation row is there.
func (p *Pane) listRowAt(line int) (int, bool) {
	if line < 0 || line >= p.listRows() || p.ls.items.Len() == 0 {
		return 0, false
	}
	r := p.ls.offset + line
	return r, r < p.ls.rowCount()
}

// Wheel scrolls the part of the pane at (x, y) (pane cells, as for hit) by delta rows: the
// list (which takes focus), or the thread when the pointer is over it (a preview scrolls
// without taking focus).
// Nothing happens while the pane takes text input.
func (p *Pane) Wheel(x, y, delta int) tea.Cmd {
	if p.Capturing() {
		return nil
	}
	var cmd tea.Cmd
	switch part, _ := p.hit(x, y); part {
	case partList:
		// The list's selection moves with its window, and the thread beside it follows the
		// selection only while the list has focus: the wheel gives the list focus.
		p.area = areaList
		cmd = p.scrollList(delta)
	case partThread:
		if p.thr.state == threadReady {
			p.thr.view.Scroll(delta)
		}
	}
	return tea.Batch(cmd, p.summarize())
}

// scrollList moves the list's window by delta rows, the selection pulled along at the edge;
// at the top or the end the selection moves instead, so the wheel reaches the last row and
// loads the next page as the keys do.
func (p *Pane) scrollList(delta int) tea.Cmd {
	rows, n := p.listRows(), p.ls.rowCount()
	if rows <= 0 || n == 0 {
		return nil
	}
	p.ls.jumping = false
	p.keypress()
	off := max(0, min(p.ls.offset+delta, n-rows))
	if off == p.ls.offset {
		return p.moveList(delta)
	}
	old := p.ls.cursor
	p.ls.offset = off
	p.ls.cursor = max(off, min(p.ls.cursor, off+rows-1))
	p.clampList()
	if p.ls.cursor == old {
		return p.prefetch()
	}
	return tea.Batch(p.selectionChanged(), p.prefetch())
}

// Click handles a left click at (x, y) (pane cells, as for hit): on a list row it selects
// the row and gives the list focus (a click on the row already selected opens its thread,
// as enter does); on the thread it gives the thread focus and selects the row clicked (a
// thread not loaded yet is opened). Nothing happens while the pane takes text input.
func (p *Pane) Click(x, y int) tea.Cmd {
	if p.Capturing() {
		return nil
	}
	var cmd tea.Cmd
	switch part, line := p.hit(x, y); part {
	case partList:
		r, ok := p.listRowAt(line)
		if !ok {
			break
		}
		wasList := p.area == areaList
		p.area = areaList
		if r == p.ls.cursor && wasList {
			cmd = p.openSelected()
			break
		}
		p.ls.jumping = false
		p.keypress()
		cmd = p.moveList(r - p.ls.cursor)
	case partThread:
		if p.thr.state != threadReady {
			cmd = p.openSelected()
			break
		}
		p.area = areaThread
		if r, ok := p.thr.view.RowAt(line); ok {
			p.thr.view.Select(r)
		}
	}
	return tea.Batch(cmd, p.summarize())
}

// openSelected opens the selected conversation's thread and gives it focus: enter in the list
// (keys.go), a click on the thread column.
func (p *Pane) openSelected() tea.Cmd {
	c, ok := p.ls.selected()
	if !ok {
		return nil
	}
	p.area = areaThread
	if c.ID == p.thr.c.ID && (p.thr.state == threadReady || p.thr.state == threadLoading) {
		return nil
	}
	return p.openNow(c)
}
