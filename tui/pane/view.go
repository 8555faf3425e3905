package pane

import (
	"errors"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/spinner"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/paint"
)

var spinFrames = spinner.MiniDot.Frames

// Title is the tab title's count: the total when the vendor gives one, else the loaded count
// with "+" while there is more; "…" while the first page loads; "!" for a problem.
func (p *Pane) Title() string {
	switch {
	case p.cfg.Err != nil:
		return "!"
	case p.ls.err != nil && p.ls.items.Len() == 0:
		return "!"
	case p.pageReq.Busy() && p.ls.items.Len() == 0:
		return "…"
	case p.ls.total >= 0:
		return p.vm.count.text(p.ls.total, false)
	case p.ls.hasMore():
		return p.vm.count.text(p.ls.items.Len(), true)
	}
	return p.vm.count.text(p.ls.items.Len(), false)
}

// viewMemos are the parts of the frame kept between frames besides the rows (rowCache): a
// keypress changes the selection, not the titles, the column header or the footer's text.
// Each is kept with everything it is made from, so none needs emptying.
type viewMemos struct {
	listBytes int          // the length of the last list column: the next one's builder starts this large
	bodyBytes int          // the length of the last list and thread side by side (writeColumns)
	head      headMemo     // the list's column titles (header)
	foot      footerMemo   // the footer's text (listview.go)
	titles    [2]titleMemo // the list's and the thread's title lines (titleLine)
	nextTitle int          // the entry of titles the next miss replaces: not the last one used
	count     countMemo    // the tab title's count (Title)
	order     orderMemo    // the filter bar's right-hand text (head.go)
	quick     quickMemo    // the quick filter bar's count (head.go)
}

// headMemo is the list's column titles for a width, with or without the source column.
type headMemo struct {
	ok  bool
	w   int
	src bool
	out string
}

// titleMemo is one title line: its text, width, focus mark and paint.
type titleMemo struct {
	ok    bool
	text  string
	w     int
	mark  bool
	paint paint.Paint
	out   string
}

// countMemo is a count with thousands separators, and a "+" when more can load.
type countMemo struct {
	ok   bool
	n    int
	plus bool
	out  string
}

// text is Commas(n), followed by "+" when plus.
func (m *countMemo) text(n int, plus bool) string {
	if m.ok && m.n == n && m.plus == plus {
		return m.out
	}
	out := Commas(n)
	if plus {
		out += "+"
	}
	*m = countMemo{ok: true, n: n, plus: plus, out: out}
	return out
}

// viewBody renders the list and thread in exactly h lines of w cells. It does not change the
// pane.
func (p *Pane) viewBody() string {
	if p.w <= 0 || p.h <= 0 {
		return ""
	}
	if p.cfg.Err != nil {
		return p.viewUnavailable()
	}
	if !p.Wide() {
		if p.area == areaThread {
			return p.viewThread(p.w, true)
		}
		return p.viewList(p.w)
	}
	return p.viewColumns()
}

// columns reports whether the body is the list and the thread side by side (viewColumns).
func (p *Pane) columns() bool {
	return p.w > 0 && p.h > 0 && p.cfg.Err == nil && p.Wide()
}

// viewColumns renders the list and the thread side by side in exactly h lines of w cells.
func (p *Pane) viewColumns() string {
	var b strings.Builder
	p.writeColumns(&b, false)
	return b.String()
}

// writeColumns writes the list and the thread side by side in exactly h lines of w cells to
// b, after a newline when head (the filter lines are in b): the list's lines go straight into
// b, the frame's one builder, between the thread's.
func (p *Pane) writeColumns(b *strings.Builder, head bool) {
	tw, _ := p.threadBox()
	f := p.startList(p.listW)
	rs := p.viewThread(tw, p.area == areaThread)
	div := p.paints.divider
	if head {
		b.WriteByte('\n')
	}
	b.Grow(max(p.vm.bodyBytes, p.h*(p.listW+16+len(div)+1)+len(rs)))
	start := b.Len()
	ls := f.msg
	var l, r string
	lok, rok := f.msgOK, true
	for i := 0; i < p.h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		// The lines of both columns, side by side, without splitting them into slices.
		if f.msgOK {
			l, ls, lok = nextLine(ls, lok)
			b.WriteString(l)
		} else if i < f.lines {
			p.writeListLine(b, &f, i)
		}
		r, rs, rok = nextLine(rs, rok)
		b.WriteString(div)
		b.WriteString(r)
	}
	p.vm.bodyBytes = b.Len() - start // the next frame grows the builder by this much
}

// nextLine is the first line of s and the rest after its newline; ok is false once s had no
// newline left (as strings.Split would have run out of lines: "" then).
func nextLine(s string, ok bool) (line, rest string, more bool) {
	if !ok {
		return "", "", false
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// focusMark starts the title line of the column that has the keyboard (the list or the
// thread): focus shows without colour too (NO_COLOR), not only as the title's style.
const focusMark = "▌"

// titleLine renders a column's title line, w cells wide: text (sanitized) after the focus
// mark in the focused style when the column has the keyboard, else after a space.
// The list's and the thread's are kept between frames (viewMemos.titles).
func (p *Pane) titleLine(text string, w int, focused bool) string {
	mark, pt := focused && p.focused, p.paints.header
	if mark {
		pt = p.paints.headerFocus
	}
	for i := range p.vm.titles {
		if m := &p.vm.titles[i]; m.ok && m.w == w && m.mark == mark && m.text == text && m.paint == pt {
			p.vm.nextTitle = 1 - i // the other one goes first
			return m.out
		}
	}
	lead := " "
	if mark {
		lead = focusMark
	}
	out := paintTitle(pt, lead, text, w)
	i := p.vm.nextTitle
	p.vm.titles[i] = titleMemo{ok: true, text: text, w: w, mark: mark, paint: pt, out: out}
	p.vm.nextTitle = 1 - i
	return out
}

// paintTitle is pt.String(sanitize.Pad(lead+text, w)) for a lead of one cell, written into
// one builder when text fits as it is: sanitized, starting with ASCII (nothing joins the lead)
// and ending with ASCII or "…" (nothing joins the padding). The thread's title changes with
// every key.
func paintTitle(pt paint.Paint, lead, text string, w int) string {
	tw := sanitize.Width(text)
	if text == "" || tw+1 > w || text[0] >= utf8.RuneSelf || sanitize.Text(text) != text ||
		strings.ContainsAny(text, "\n\t") {
		return pt.String(sanitize.Pad(lead+text, w))
	}
	if last, _ := utf8.DecodeLastRuneInString(text); last >= utf8.RuneSelf && last != '…' {
		return pt.String(sanitize.Pad(lead+text, w))
	}
	var b strings.Builder
	b.Grow(len(pt.Open) + len(lead) + len(text) + w - 1 - tw + len(pt.Close))
	b.WriteString(pt.Open)
	b.WriteString(lead)
	b.WriteString(text)
	writeSpaces(&b, w-1-tw)
	b.WriteString(pt.Close)
	return b.String()
}

// block cuts or fills ls (lines already w cells wide) to exactly h lines.
func block(ls []string, w, h int) string {
	blank := strings.Repeat(" ", w)
	if len(ls) > h {
		ls = ls[:h]
	}
	for len(ls) < h {
		ls = append(ls, blank)
	}
	return strings.Join(ls, "\n")
}

// message renders a short centred-left message block: styled lines, each padded to w.
func (p *Pane) message(w, h int, lines ...styledLine) string {
	out := make([]string, 0, h)
	out = append(out, strings.Repeat(" ", w))
	for _, l := range lines {
		for _, seg := range strings.Split(ansi.Wrap(l.text, max(1, w-2), ""), "\n") {
			out = append(out, l.style(" "+sanitize.Pad(seg, max(0, w-1))))
		}
	}
	return block(out, w, h)
}

type styledLine struct {
	text  string
	style func(...string) string
}

// errText is err's text with the source's secrets removed.
func (p *Pane) errText(err error) string {
	if p.cfg.Redact == nil {
		return (*client.Redactor)(nil).Redact(err.Error())
	}
	return p.cfg.Redact(err.Error())
}

// sourceName is the configured source's name (a saved view's tab carries the view's name).
func (p *Pane) sourceName() string {
	if p.cfg.Source != nil {
		return p.cfg.Source.Name()
	}
	return p.cfg.Name
}

func (p *Pane) viewUnavailable() string {
	s := p.cfg.Styles
	lines := []styledLine{
		{sanitize.Line(p.cfg.Name) + " is not available", s.Title.Render},
		{"", s.Muted.Render},
		{sanitize.Text(p.errText(p.cfg.Err)), s.Error.Render},
	}
	if h := client.HintFor(p.sourceName(), p.cfg.Err); h != "" {
		lines = append(lines, styledLine{"", s.Muted.Render}, styledLine{h, s.Hint.Render})
	}
	lines = append(lines, styledLine{"", s.Muted.Render},
		styledLine{"The other tabs still work: tab / shift+tab or 1-9 to switch.", s.Muted.Render})
	return p.message(p.w, p.h, lines...)
}

// spinnerGlyph is the spinner's current frame, unstyled: the lines it goes into are sanitized
// and measured as text (a styled frame would show its escape sequences) and styled whole.
func (p *Pane) spinnerGlyph() string { return spinFrames[p.frame%len(spinFrames)] }

// errorLines is the full-pane error state: what failed, the error, what to do, and r.
func (p *Pane) errorLines(title string, err error) []styledLine {
	s := p.cfg.Styles
	lines := []styledLine{
		{title, s.Title.Render},
		{"", s.Muted.Render},
		{sanitize.Text(p.errText(err)), s.Error.Render},
	}
	if h := p.hintFor(err); h != "" {
		lines = append(lines, styledLine{h, s.Hint.Render})
	}
	retry := "press r to retry"
	switch {
	case errors.Is(err, errThreadNotStored):
		retry = "press r once it is synced" // offline, r only reads the store again
	case errors.Is(err, errFilterOffline):
		return lines // r would run the same filter on the same store: the error says what to do
	}
	return append(lines, styledLine{"", s.Muted.Render}, styledLine{retry, s.Hint.Render})
}

// Commas formats n with thousands separators: 1200 → "1,200".
func Commas(n int) string { return client.Thousands(int64(n)) }
