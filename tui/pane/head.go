package pane

import (
	"strings"

	"github.com/confab-dev/confab/client/sanitize"
)

// saveHint is the right-hand text of the save-view prompt.
const saveHint = "enter save · esc cancel"

// headLines is the number of lines above the list: the filter bar and what it opened.
func (p *Pane) headLines() int {
	if p.cfg.Err != nil || p.bar.Model == nil {
		return 0
	}
	n := p.bar.Height()
	if p.cfg.NoVendorFilter {
		n = 0 // no filter bar (bar.go: noVendorFilterKey)
	}
	if p.bar.serverErr != "" && !p.bar.Editing() {
		n++
	}
	if p.quick.Editing() || p.quick.Applied() != "" {
		n += p.quick.Height()
	}
	if p.views.name.Editing() {
		n += p.views.name.Height()
	}
	if p.views.picking {
		n += min(len(p.views.list), pickRows)
	}
	// Never take the whole pane: the list keeps at least 3 lines.
	return max(0, min(n, p.fullH-3))
}

// sizeHead sets the pane's full height and the filter lines' width.
func (p *Pane) sizeHead(w, h int) {
	p.fullH = h
	if p.bar.Model != nil {
		p.bar.SetWidth(w)
		p.quick.SetWidth(w)
		p.views.name.SetWidth(w)
	}
}

// relayoutHead gives the list what the filter lines leave.
func (p *Pane) relayoutHead() {
	p.h = max(0, p.fullH-p.headLines())
	p.clampList()
	p.sizeThread()
}

// View renders the pane in exactly its height: the filter lines, then the list and thread.
func (p *Pane) View() string {
	head := p.viewHead()
	if p.columns() {
		return p.viewColumns(head) // the filter lines go into the frame's one builder
	}
	body := p.viewBody()
	switch {
	case head == "":
		return body
	case body == "":
		return head
	}
	return head + "\n" + body
}

// viewHead renders the filter lines (headLines of them, p.w wide).
func (p *Pane) viewHead() string {
	n := p.headLines()
	if n == 0 || p.w <= 0 {
		return ""
	}
	s := p.cfg.Styles
	right := p.cfg.Query.Order.String()
	if p.bar.orders && !p.bar.Editing() {
		right += " (o)"
	}
	var lines []string
	if !p.cfg.NoVendorFilter {
		lines = strings.Split(p.bar.View(right), "\n")
	}
	if p.bar.serverErr != "" && !p.bar.Editing() {
		lines = append(lines, s.Error.Render(sanitize.Pad("        ⚠ "+sanitize.Line(p.bar.serverErr), p.w)))
	}
	if p.quick.Editing() || p.quick.Applied() != "" {
		lines = append(lines, strings.Split(p.quick.View(p.quickCount()), "\n")...)
	}
	if p.views.name.Editing() {
		lines = append(lines, strings.Split(p.views.name.View(saveHint), "\n")...)
	}
	if p.views.picking {
		lines = append(lines, p.pickLines()...)
	}
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
