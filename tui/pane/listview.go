package pane

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
)

// Column widths of a list row (cells).
const (
	timeW = 12 // "Nov 21 14:05" or "2024-11-21"
	userW = 12
	gapW  = 2
	// srcW is the width of the source column (Config.ShowSource: the All tab); longer
	// source names are cut with "…".
	srcW = 8
)

// viewList renders the list column (header, rows, footer) in w×h.
func (p *Pane) viewList(w int) string {
	f := p.startList(w)
	if f.msgOK {
		return f.msg
	}
	var b strings.Builder
	b.Grow(max(p.vm.listBytes, f.lines*(w+16)))
	for i := range f.lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		p.writeListLine(&b, &f, i)
	}
	p.vm.listBytes = b.Len() // the next frame's builder starts this large
	return b.String()
}

// listFrame is one frame of the list column, written a line at a time (writeListLine): the
// columns are interleaved with the thread's straight into the frame's builder.
type listFrame struct {
	msg   string // the whole column when it shows a message (loading, empty, error)
	msgOK bool
	lines int // the column's lines: the title, the rows, the footer

	w, rows, end int
	now          time.Time
	foot         []string // the footer's lines when they are not the usual one (an error)
}

// startList prepares the list's frame at width w.
func (p *Pane) startList(w int) listFrame {
	s := p.cfg.Styles
	switch {
	case p.ls.items.Len() == 0 && p.pageReq.Busy():
		lines := []styledLine{{p.spinnerGlyph() + " Loading conversations…", s.Muted.Render}}
		if r := p.pageReq.Retry.Text(p.cfg.Now()); r != "" {
			lines = append(lines, styledLine{"", s.Muted.Render}, styledLine{r, s.Hint.Render})
		}
		return listFrame{msg: p.message(w, p.h, lines...), msgOK: true}
	case p.ls.items.Len() == 0 && p.ls.err != nil:
		return listFrame{msg: p.message(w, p.h, p.errorLines("Could not load conversations", p.ls.err)...), msgOK: true}
	case p.ls.items.Len() == 0 && p.ls.total < 0 && !p.ls.hasMore() && p.pageReq.Gen() == 0:
		return listFrame{msg: p.message(w, p.h, styledLine{"Not loaded yet: press r to load.", s.Muted.Render}), msgOK: true}
	case p.ls.items.Len() == 0 && !p.ls.hasMore():
		text := "No conversations"
		if f := sanitize.Line(p.cfg.Query.Filter); f != "" {
			text = "No conversations match " + f
		}
		hint := "press r to refresh"
		if p.offline() {
			// r reads the store again: only a sync outside the TUI can bring rows.
			hint = "offline: 'confab sync' fills the local store, then press r"
		}
		return listFrame{msg: p.message(w, p.h, styledLine{text, s.Title.Render},
			styledLine{"", s.Muted.Render}, styledLine{hint, s.Hint.Render}), msgOK: true}
	}
	f := listFrame{w: w, rows: p.listRows(), now: p.cfg.Now()}
	p.rows.reset(p, f.now)
	f.end = min(p.ls.rowCount(), p.ls.offset+f.rows)
	nfoot := 1
	if p.ls.err != nil {
		f.foot = p.footer(w)
		nfoot = len(f.foot)
	}
	f.lines = 1 + f.rows + nfoot
	return f
}

// writeListLine writes line i of the list's frame f (no newline); f shows rows, not a
// message.
func (p *Pane) writeListLine(b *strings.Builder, f *listFrame, i int) {
	switch {
	case i == 0:
		b.WriteString(p.titleLine(p.header(f.w), f.w, p.area == areaList))
	case i <= f.rows:
		if r := p.ls.offset + i - 1; r < f.end {
			p.cachedRow(b, r, f.w, f.now)
		} else {
			writeSpaces(b, f.w)
		}
	case f.foot != nil:
		if k := i - 1 - f.rows; k < len(f.foot) {
			b.WriteString(f.foot[k])
		}
	case i == 1+f.rows:
		p.writeFooter(b, f.w)
	}
}

// spaces is a run of blanks that writeSpaces writes from.
const spaces = "                                                                "

// writeSpaces writes n spaces to b.
func writeSpaces(b *strings.Builder, n int) {
	for n > len(spaces) {
		b.WriteString(spaces)
		n -= len(spaces)
	}
	if n > 0 {
		b.WriteString(spaces[:n])
	}
}

// header is the column titles of a list w cells wide, in w-1 cells: the title line's focus
// mark (or space) takes the first.
func (p *Pane) header(w int) string {
	if m := &p.vm.head; m.ok && m.w == w && m.src == p.cfg.ShowSource {
		return m.out
	}
	out := p.headerText(w)
	p.vm.head = headMemo{ok: true, w: w, src: p.cfg.ShowSource, out: out}
	return out
}

// headerText is header drawn from scratch.
func (p *Pane) headerText(w int) string {
	if w < timeW+gapW+userW+gapW+8 {
		return sanitize.Pad("Conversations", max(0, w-1))
	}
	head := sanitize.Pad("Time", timeW) + "  "
	if p.cfg.ShowSource {
		head += sanitize.Pad("Source", srcW) + "  "
		w -= srcW + gapW
	}
	if userCol, _ := listColumns(w); userCol > 0 {
		head += sanitize.Pad("User", userCol) + "  "
	}
	if p.cfg.ShowSource {
		w += srcW + gapW
	}
	return sanitize.Pad(head+"Details · Summary", max(0, w-1))
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

// formatRow formats conversation c as one line of exactly w cells, unpainted, and where its
// spans are (rowEntry): only this row's columns are formatted, each padded with sanitize.Pad.
// A row with a summary and attributes shows both: the attributes in a fixed-width details
// column, so the summaries of every row start at the same column.
func (p *Pane) formatRow(c *client.Conversation, w int, now time.Time) rowEntry {
	tm := sanitize.Pad(listTime(c.Started, now, p.cfg.Location), timeW)
	// Vendor text is clipped to what w cells can show before it is sanitized: a 200 KB
	// summary costs what a screenful does.
	summary := sanitize.Line(sanitize.Clip(p.sum.summary(c), sanitize.ClipBytes(w)))
	src := ""
	if p.cfg.ShowSource {
		src = sourceCell(c.Source)
	}
	userCol, rest := listColumns(w - sourceW(src))
	details := attrLine(c.Attrs, listAttrs, userCol > 0 && w >= timeW+gapW+userW+gapW+8)
	if w < timeW+gapW+userW+gapW+8 {
		// Too narrow for columns: time and summary (or details) only.
		if summary == "" {
			summary = details
		}
		if src != "" {
			summary = strings.TrimRight(src, " ") + " " + summary
		}
		return rowEntry{text: sanitize.Pad(" "+tm+" "+summary, w), narrow: true}
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
	var b strings.Builder
	b.Grow(1 + len(tm) + 2 + len(src) + len(user) + len(details) + len(summary))
	var e rowEntry
	b.WriteByte(' ')
	b.WriteString(tm)
	e.timeEnd = b.Len()
	b.WriteString("  ")
	b.WriteString(src)
	e.srcEnd = b.Len()
	b.WriteString(user)
	e.userEnd = b.Len()
	b.WriteString(details)
	e.detailsEnd = b.Len()
	b.WriteString(summary)
	e.text = b.String()
	return e
}

// sourceCell is the source column of a row: the source's name, cut to srcW cells, and the gap.
func sourceCell(name string) string {
	name = sanitize.Line(sanitize.Clip(name, sanitize.ClipBytes(srcW)))
	return sanitize.Pad(sanitize.Truncate(name, srcW, "…"), srcW) + "  "
}

// sourceW is the width the source column takes: srcW and its gap, 0 without one.
func sourceW(cell string) int {
	if cell == "" {
		return 0
	}
	return srcW + gapW
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
	if p.ls.err != nil {
		s := p.cfg.Styles
		msg := "⚠ " + sanitize.Line(p.errText(p.ls.err))
		hint := "press r to retry"
		if h := p.hintFor(p.ls.err); p.br.asking != nil {
			hint = h // the question about a range too broad to walk (broad.go)
		} else if h != "" {
			hint += " · " + sanitize.Line(h)
		}
		return []string{s.Error.Render(sanitize.Pad(" "+msg, w)), s.Hint.Render(sanitize.Pad(" "+hint, w))}
	}
	var b strings.Builder
	p.writeFooter(&b, w)
	return []string{b.String()}
}

// writeFooter writes the list's usual last line (no failed page): what is loaded on the left,
// the selected row's position on the right. Its text is kept between frames (footerMemo) and
// the position written without formatting strings: a key changes only the position.
func (p *Pane) writeFooter(b *strings.Builder, w int) {
	text, tw := p.footerText()
	cur, n := 0, p.ls.items.Len()
	if n > 0 {
		cur = p.ls.cursor + 1
	}
	if p.ls.idx != nil {
		cur, n = min(p.ls.cursor+1, len(p.ls.idx)), len(p.ls.idx)
	}
	posW := 0
	if n > 0 || p.ls.idx != nil {
		posW = commasLen(cur) + 1 + commasLen(n) + 1
	}
	gap := w - 1 - tw - posW
	if gap < 1 {
		b.WriteString(p.paints.footer.String(sanitize.Pad(" "+text, w)))
		return
	}
	f := p.paints.footer
	b.WriteString(f.Open)
	b.WriteByte(' ')
	b.WriteString(text)
	writeSpaces(b, gap)
	if posW > 0 {
		writeCommas(b, cur)
		b.WriteByte('/')
		writeCommas(b, n)
		b.WriteByte(' ')
	}
	b.WriteString(f.Close)
}

// footerKey is everything the footer's text is made from.
type footerKey struct {
	n, total        int
	busy, refresh   bool
	retry, glyph    string
	more            bool
	paused          pause
	order, progress string
	showOrder       bool
}

// footerMemo keeps the footer's text and its width.
type footerMemo struct {
	ok   bool
	key  footerKey
	text string
	w    int
}

// footerText is the left-hand text of the usual footer and its width in cells.
func (p *Pane) footerText() (string, int) {
	k := footerKey{n: p.ls.items.Len(), total: p.ls.total, busy: p.pageReq.Busy(),
		refresh: p.ls.loadCursor == "", more: p.ls.hasMore(), paused: p.ls.paused,
		showOrder: p.cfg.NoVendorFilter && p.bar.orders, progress: p.ls.progress}
	if k.busy {
		k.retry = p.pageReq.Retry.Text(p.cfg.Now())
		k.glyph = p.spinnerGlyph()
	}
	if k.showOrder {
		k.order = p.cfg.Query.Order.String()
	}
	if m := &p.vm.foot; m.ok && m.key == k {
		return m.text, m.w
	}
	text := footerText(k, p)
	if k.progress != "" {
		return text, sanitize.Width(text) // redacted as the redaction stands now: not kept
	}
	p.vm.foot = footerMemo{ok: true, key: k, text: text, w: sanitize.Width(text)}
	return text, p.vm.foot.w
}

// footerText is the footer's text for k, drawn from scratch; p redacts the progress note.
func footerText(k footerKey, p *Pane) string {
	var text string
	n := k.n
	loaded := Commas(n) + " loaded"
	if k.total > n {
		loaded = Commas(n) + " of " + Commas(k.total) + " loaded"
	}
	switch {
	case k.retry != "":
		text = k.glyph + " " + k.retry + " · " + loaded
	case k.busy && k.refresh:
		text = k.glyph + " Refreshing… " + Commas(n) + " loaded"
	case k.busy:
		text = k.glyph + " " + loaded + " · loading more…"
	case k.more && k.paused == pauseBudget:
		// One keypress loaded its pages; the next one loads more.
		of := "≥ " + Commas(n)
		if k.total > n {
			of = Commas(k.total)
		}
		text = "loaded " + Commas(n) + " of " + of + " — G again to keep going"
	case k.more && k.paused == pauseEsc:
		text = "loading stopped · " + loaded + " — G to load more"
	case k.more:
		text = loaded + " · more ↓"
	case k.total >= 0:
		text = Commas(k.total) + " conversations"
	default:
		text = Commas(n) + " conversations"
	}
	if k.showOrder {
		text += " · " + k.order + " (o)" // no filter bar to show it
	}
	if k.progress != "" {
		// A merge (the All tab) reports a failed source's error here: redacted like errors.
		text += " · " + sanitize.Line(p.errText(errors.New(k.progress)))
	}
	return text
}

// commasLen is the length of Commas(n) for n >= 0.
func commasLen(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d + (d-1)/3
}

// writeCommas writes Commas(n) to b without allocating.
func writeCommas(b *strings.Builder, n int) {
	if n < 0 {
		b.WriteString(Commas(n))
		return
	}
	var buf [24]byte
	s := strconv.AppendInt(buf[:0], int64(n), 10)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(c)
	}
}
