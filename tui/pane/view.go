package pane

import (
	"strings"

	"charm.land/bubbles/v2/spinner"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
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
		return Commas(p.ls.total)
	case p.ls.hasMore():
		return Commas(p.ls.items.Len()) + "+"
	}
	return Commas(p.ls.items.Len())
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
	return p.viewColumns("")
}

// columns reports whether the body is the list and the thread side by side (viewColumns).
func (p *Pane) columns() bool {
	return p.w > 0 && p.h > 0 && p.cfg.Err == nil && p.Wide()
}

// viewColumns renders head (the filter lines; "" for none) and then the list and the thread
// side by side in exactly h lines of w cells, in one builder: the frame is copied once.
func (p *Pane) viewColumns(head string) string {
	tw, _ := p.threadBox()
	ls, rs := p.viewList(p.listW), p.viewThread(tw, p.area == areaThread)
	div := p.paints.divider
	var b strings.Builder
	b.Grow(len(head) + 1 + len(ls) + len(rs) + p.h*(len(div)+1))
	if head != "" {
		b.WriteString(head)
		b.WriteByte('\n')
	}
	var l, r string
	lok, rok := true, true
	for i := 0; i < p.h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		// The lines of both columns, side by side, without splitting them into slices.
		l, ls, lok = nextLine(ls, lok)
		r, rs, rok = nextLine(rs, rok)
		b.WriteString(l)
		b.WriteString(div)
		b.WriteString(r)
	}
	return b.String()
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
func (p *Pane) titleLine(text string, w int, focused bool) string {
	if focused && p.focused {
		return p.paints.headerFocus.String(sanitize.Pad(focusMark+text, w))
	}
	return p.paints.header.String(sanitize.Pad(" "+text, w))
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
	return append(lines, styledLine{"", s.Muted.Render}, styledLine{"press r to retry", s.Hint.Render})
}

// Commas formats n with thousands separators: 1200 → "1,200".
func Commas(n int) string { return client.Thousands(int64(n)) }
