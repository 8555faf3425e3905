package pane

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
)

// Column widths of a list row (cells).
const (
	timeW = 12 // "Nov 21 14:05" or "2024-11-21"
	userW = 12
	gapW  = 2
)

var spinFrames = spinner.MiniDot.Frames

// Title is the tab title's count: the total when the vendor gives one, else the loaded count
// with "+" while there is more; "…" while the first page loads; "!" for a problem.
func (p *Pane) Title() string {
	switch {
	case p.cfg.Err != nil:
		return "!"
	case p.ls.err != nil && len(p.ls.items) == 0:
		return "!"
	case p.pageReq.Busy() && len(p.ls.items) == 0:
		return "…"
	case p.ls.total >= 0:
		return Commas(p.ls.total)
	case p.ls.hasMore():
		return Commas(len(p.ls.items)) + "+"
	}
	return Commas(len(p.ls.items))
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
	tw, _ := p.threadBox()
	ls, rs := p.viewList(p.listW), p.viewThread(tw, p.area == areaThread)
	left, right := strings.Split(ls, "\n"), strings.Split(rs, "\n")
	div := p.cfg.Styles.Divider.Render("│")
	var b strings.Builder
	b.Grow(len(ls) + len(rs) + p.h*len(div))
	for i := 0; i < p.h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(left) {
			b.WriteString(left[i])
		}
		b.WriteString(div)
		if i < len(right) {
			b.WriteString(right[i])
		}
	}
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

// viewList renders the list column (header, rows, footer) in w×h.
func (p *Pane) viewList(w int) string {
	s := p.cfg.Styles
	switch {
	case len(p.ls.items) == 0 && p.pageReq.Busy():
		lines := []styledLine{{p.spinnerGlyph() + " Loading conversations…", s.Muted.Render}}
		if r := p.pageReq.Retry.Text(p.cfg.Now()); r != "" {
			lines = append(lines, styledLine{"", s.Muted.Render}, styledLine{r, s.Hint.Render})
		}
		return p.message(w, p.h, lines...)
	case len(p.ls.items) == 0 && p.ls.err != nil:
		return p.message(w, p.h, p.errorLines("Could not load conversations", p.ls.err)...)
	case len(p.ls.items) == 0 && p.ls.total < 0 && !p.ls.hasMore() && p.pageReq.Gen() == 0:
		return p.message(w, p.h, styledLine{"Not loaded yet: press r to load.", s.Muted.Render})
	case len(p.ls.items) == 0 && !p.ls.hasMore():
		text := "No conversations"
		if f := sanitize.Line(p.cfg.Query.Filter); f != "" {
			text = "No conversations match " + f
		}
		return p.message(w, p.h, styledLine{text, s.Title.Render},
			styledLine{"", s.Muted.Render}, styledLine{"press r to refresh", s.Hint.Render})
	}

	var b strings.Builder
	b.Grow((p.h + 1) * (w + 16))
	b.WriteString(s.Header.Render(p.header(w)))
	rows := p.listRows()
	now := p.cfg.Now()
	end := min(p.ls.rowCount(), p.ls.offset+rows)
	n := 0
	for i := p.ls.offset; i < end; i++ {
		b.WriteByte('\n')
		p.writeRow(&b, i, w, now)
		n++
	}
	blank := strings.Repeat(" ", w)
	for ; n < rows; n++ {
		b.WriteByte('\n')
		b.WriteString(blank)
	}
	for _, l := range p.footer(w) {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	return b.String()
}

func (p *Pane) header(w int) string {
	if w < timeW+gapW+userW+gapW+8 {
		return sanitize.Pad(" Conversations", w)
	}
	head := " " + sanitize.Pad("Time", timeW) + "  "
	if userCol, _ := listColumns(w); userCol > 0 {
		head += sanitize.Pad("User", userCol) + "  "
	}
	return sanitize.Pad(head+"Details · Summary", w)
}

// listAttrs is how many attribute values the list shows in its details column: the sources
// put the ones that matter most first (Talkdesk: direction, channel, duration; OpenDialog:
// scenario, country, messages).
const listAttrs = 3

// detailsW is the width of the details column when a row has both attributes and a summary;
// 0 when the row is too narrow to split.
func detailsW(rest int) int {
	switch {
	case rest < 30:
		return 0
	case rest < 60:
		return rest / 2
	}
	return min(rest*2/5, 34)
}

// listColumns decides the list's columns at width w: the user column (0 when hidden) and the
// width left for details and summary. Time, details and summary matter more than the user id
// (which the thread view shows), so the user column is the first to go.
func listColumns(w int) (userCol, rest int) {
	rest = max(0, w-1-timeW-gapW)
	if rest >= 70 {
		return userW, rest - userW - gapW
	}
	return 0, rest
}

// writeRow formats conversation i as one line of exactly w cells: only this row's columns are
// formatted, each padded with sanitize.Pad, and only the coloured spans are styled. A row with
// a summary and attributes shows both: the attributes in a fixed-width details column, so the
// summaries of every row start at the same column.
func (p *Pane) writeRow(b *strings.Builder, i, w int, now time.Time) {
	c := &p.ls.items[p.ls.rowAt(i)]
	tm := sanitize.Pad(listTime(c.Started, now, p.cfg.Location), timeW)
	// Vendor text is clipped to what w cells can show before it is sanitized: a 200 KB
	// summary costs what a screenful does.
	summary := sanitize.Line(sanitize.Clip(c.Summary, sanitize.ClipBytes(w)))
	userCol, rest := listColumns(w)
	details := attrLine(c.Attrs, listAttrs, userCol > 0 && w >= timeW+gapW+userW+gapW+8)
	sel := p.paints.unfocused
	if p.focused && p.area == areaList {
		sel = p.paints.selected
	}
	if w < timeW+gapW+userW+gapW+8 {
		// Too narrow for columns: time and summary (or details) only.
		if summary == "" {
			summary = details
		}
		line := sanitize.Pad(" "+tm+" "+summary, w)
		if i == p.ls.cursor {
			sel.Write(b, line)
			return
		}
		b.WriteString(line)
		return
	}
	user := ""
	if userCol > 0 {
		// The user's name (and e-mail) when the vendor gives them, else the user id.
		user = sanitize.Pad(sanitize.Line(sanitize.Clip(c.UserLabel(), sanitize.ClipBytes(userCol))), userCol) + "  "
	}
	dw := detailsW(rest)
	switch {
	case summary == "":
		details, dw = sanitize.Pad(details, rest), rest
	case details == "" || dw == 0:
		details, dw = "", 0
		summary = sanitize.Pad(summary, rest)
	default:
		details = sanitize.Pad(details, dw-gapW) + "  "
		summary = sanitize.Pad(summary, rest-dw)
	}
	if i == p.ls.cursor {
		b.WriteString(sel.Open)
		b.WriteByte(' ')
		b.WriteString(tm)
		b.WriteString("  ")
		b.WriteString(user)
		b.WriteString(details)
		b.WriteString(summary)
		b.WriteString(sel.Close)
		return
	}
	b.WriteByte(' ')
	p.paints.time.Write(b, tm)
	b.WriteString("  ")
	if user != "" {
		p.paints.user.Write(b, user)
	}
	if details != "" {
		p.paints.attrs.Write(b, details)
	}
	b.WriteString(summary)
}

// attrLine shows up to n of a conversation's attribute values ("inbound · voice · 4m12s").
// The "note" attribute (a constant remark about the source) is left to the thread view, and
// the user's name and e-mail to the user column when skipUser (it shows them).
func attrLine(a client.Attrs, n int, skipUser bool) string {
	var b strings.Builder
	for _, kv := range a {
		if n <= 0 {
			break
		}
		v := sanitize.Line(sanitize.Clip(kv.Value, sanitize.ClipBytes(256)))
		if v == "" || kv.Key == "note" || skipUser && (kv.Key == client.AttrUserName || kv.Key == client.AttrUserEmail) {
			continue
		}
		n--
		if b.Len() > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(v)
		if b.Len() > 256 {
			break
		}
	}
	return b.String()
}

// listTime formats a start time for the list: "Nov 21 14:05" this year, else "2024-11-21".
func listTime(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(loc)
	if t.Year() == now.In(loc).Year() {
		return t.Format("Jan 02 15:04")
	}
	return t.Format("2006-01-02")
}

// footer is the list's last line (two when a later page failed).
func (p *Pane) footer(w int) []string {
	s := p.cfg.Styles
	if p.ls.err != nil {
		msg := "⚠ " + sanitize.Line(p.errText(p.ls.err))
		hint := "press r to retry"
		if h := p.hintFor(p.ls.err); p.br.asking != nil {
			hint = h // the question about a range too broad to walk (broad.go)
		} else if h != "" {
			hint += " · " + sanitize.Line(h)
		}
		return []string{s.Error.Render(sanitize.Pad(" "+msg, w)), s.Hint.Render(sanitize.Pad(" "+hint, w))}
	}
	var text string
	n := len(p.ls.items)
	loaded := Commas(n) + " loaded"
	if p.ls.total > n {
		loaded = Commas(n) + " of " + Commas(p.ls.total) + " loaded"
	}
	retry := ""
	if p.pageReq.Busy() {
		retry = p.pageReq.Retry.Text(p.cfg.Now())
	}
	switch {
	case retry != "":
		text = p.spinnerGlyph() + " " + retry + " · " + loaded
	case p.pageReq.Busy() && p.ls.loadCursor == "":
		text = p.spinnerGlyph() + " Refreshing… " + Commas(n) + " loaded"
	case p.pageReq.Busy():
		text = p.spinnerGlyph() + " " + loaded + " · loading more…"
	case p.ls.hasMore() && p.ls.paused == pauseBudget:
		// One keypress loaded its pages; the next one loads more.
		of := "≥ " + Commas(n)
		if p.ls.total > n {
			of = Commas(p.ls.total)
		}
		text = "loaded " + Commas(n) + " of " + of + " — G again to keep going"
	case p.ls.hasMore() && p.ls.paused == pauseEsc:
		text = "loading stopped · " + loaded + " — G to load more"
	case p.ls.hasMore():
		text = loaded + " · more ↓"
	case p.ls.total >= 0:
		text = Commas(p.ls.total) + " conversations"
	default:
		text = Commas(n) + " conversations"
	}
	if p.ls.progress != "" {
		text += " · " + sanitize.Line(p.ls.progress)
	}
	pos := ""
	if n > 0 {
		pos = Commas(p.ls.cursor+1) + "/" + Commas(n) + " "
	}
	if p.ls.idx != nil {
		pos = Commas(min(p.ls.cursor+1, len(p.ls.idx))) + "/" + Commas(len(p.ls.idx)) + " "
	}
	gap := w - 1 - sanitize.Width(text) - len(pos)
	if gap < 1 {
		return []string{s.Footer.Render(sanitize.Pad(" "+text, w))}
	}
	return []string{s.Footer.Render(" " + text + strings.Repeat(" ", gap) + pos)}
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

// viewThread renders the thread column in w×h: a title line and the thread body.
func (p *Pane) viewThread(w int, focused bool) string {
	s := p.cfg.Styles
	title := p.thTitle
	if title == "" {
		title = "Thread"
	}
	head := s.Header.Render(sanitize.Pad(" "+title, w))
	bh := max(0, p.h-1)
	var body string
	switch p.thState {
	case threadNone:
		body = p.message(w, bh, styledLine{"Select a conversation and press enter to open its thread.", s.Muted.Render})
	case threadPending, threadLoading:
		lines := []styledLine{{p.spinnerGlyph() + " Loading thread…", s.Muted.Render}}
		if r := p.thReq.Retry.Text(p.cfg.Now()); r != "" {
			lines = append(lines, styledLine{"", s.Muted.Render}, styledLine{r, s.Hint.Render})
		}
		body = p.message(w, bh, lines...)
	case threadFailed:
		body = p.message(w, bh, p.errorLines("Could not load the thread", p.thErr)...)
	default:
		if p.th.Len() == 0 {
			body = p.message(w, bh, styledLine{"This conversation has no interactions.", s.Muted.Render})
		} else {
			body = p.th.View(focused && p.focused)
		}
	}
	if bh == 0 {
		return head
	}
	return head + "\n" + body
}

// conversationTitle is a one-line title for a conversation's thread.
func conversationTitle(c client.Conversation) string {
	t := "Thread"
	if u := sanitize.Line(sanitize.Clip(c.UserLabel(), sanitize.ClipBytes(64))); u != "" {
		t += " · " + u
	}
	if sum := sanitize.Line(sanitize.Clip(c.Summary, sanitize.ClipBytes(300))); sum != "" {
		t += " · " + sum
	}
	return t
}

// Commas formats n with thousands separators: 1200 → "1,200".
func Commas(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
