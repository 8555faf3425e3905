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
	var b strings.Builder
	p.WriteView(&b)
	return b.String()
}

// WriteView writes View to b: the root writes the whole frame into one builder.
func (p *Pane) WriteView(b *strings.Builder) {
	start := b.Len()
	p.writeHead(b)
	head := b.Len() > start
	if p.columns() {
		p.writeColumns(b, head) // the filter lines, the list and the thread in one builder
		return
	}
	body := p.viewBody()
	if head && body != "" {
		b.WriteByte('\n')
	}
	b.WriteString(body)
}

// headWriter writes the filter lines to b, at most left of them.
type headWriter struct {
	b     *strings.Builder
	left  int
	wrote bool
}

// lines writes the lines of s (one at least: "" is an empty line).
func (h *headWriter) lines(s string) {
	for h.left > 0 {
		line, rest, more := strings.Cut(s, "\n")
		if h.wrote {
			h.b.WriteByte('\n')
		}
		h.b.WriteString(line)
		h.wrote = true
		h.left--
		if !more {
			return
		}
		s = rest
	}
}

// orderMemo is the filter bar's right-hand text: the sort order, and " (o)" when o changes it.
type orderMemo struct {
	order string
	key   bool
	out   string
}

// quickMemo is the quick filter bar's count (quickCount) and what it was made from.
type quickMemo struct {
	ok              bool
	state           int // 0: inactive, 1: matching, 2: matched
	matched, loaded int
	out             string
}

// quickCountText is quickCount, kept while the counts stay: every frame under a quick
// filter shows it.
func (p *Pane) quickCountText() string {
	state := 2
	switch {
	case p.quick.m == nil:
		state = 0
	case p.quick.run.Busy() && p.quick.done == 0:
		state = 1
	}
	k := quickMemo{ok: true, state: state, matched: len(p.ls.idx), loaded: p.ls.items.Len()}
	if m := &p.vm.quick; m.ok && m.state == k.state && m.matched == k.matched && m.loaded == k.loaded {
		return m.out
	}
	k.out = p.quickCount()
	p.vm.quick = k
	return k.out
}

// writeHead writes the filter lines (headLines of them, p.w wide).
func (p *Pane) writeHead(b *strings.Builder) {
	n := p.headLines()
	if n == 0 || p.w <= 0 {
		return
	}
	s := p.cfg.Styles
	h := headWriter{b: b, left: n}
	if !p.cfg.NoVendorFilter {
		order, key := p.cfg.Query.Order.String(), p.bar.orders && !p.bar.Editing()
		if m := &p.vm.order; m.out == "" || m.order != order || m.key != key {
			out := order
			if key {
				out += " (o)"
			}
			*m = orderMemo{order: order, key: key, out: out}
		}
		h.lines(p.bar.View(p.vm.order.out))
	}
	if p.bar.serverErr != "" && !p.bar.Editing() {
		h.lines(s.Error.Render(sanitize.Pad("        ⚠ "+sanitize.Line(p.bar.serverErr), p.w)))
	}
	if p.quick.Editing() || p.quick.Applied() != "" {
		h.lines(p.quick.View(p.quickCountText()))
	}
	if p.views.name.Editing() {
		h.lines(p.views.name.View(saveHint))
	}
	if p.views.picking {
		for _, l := range p.pickLines() {
			h.lines(l)
		}
	}
}
