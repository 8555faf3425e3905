package pane

import (
	"errors"
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
	s := p.cfg.Styles
	switch {
	case p.ls.items.Len() == 0 && p.pageReq.Busy():
		lines := []styledLine{{p.spinnerGlyph() + " Loading conversations…", s.Muted.Render}}
		if r := p.pageReq.Retry.Text(p.cfg.Now()); r != "" {
			lines = append(lines, styledLine{"", s.Muted.Render}, styledLine{r, s.Hint.Render})
		}
		return p.message(w, p.h, lines...)
	case p.ls.items.Len() == 0 && p.ls.err != nil:
		return p.message(w, p.h, p.errorLines("Could not load conversations", p.ls.err)...)
	case p.ls.items.Len() == 0 && p.ls.total < 0 && !p.ls.hasMore() && p.pageReq.Gen() == 0:
		return p.message(w, p.h, styledLine{"Not loaded yet: press r to load.", s.Muted.Render})
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
		return p.message(w, p.h, styledLine{text, s.Title.Render},
			styledLine{"", s.Muted.Render}, styledLine{hint, s.Hint.Render})
	}

	var b strings.Builder
	b.Grow(max(p.listBytes, (p.h+1)*(w+16)))
	b.WriteString(p.titleLine(p.header(w), w, p.area == areaList))
	rows := p.listRows()
	now := p.cfg.Now()
	p.rows.reset(p, now)
	end := min(p.ls.rowCount(), p.ls.offset+rows)
	n := 0
	for i := p.ls.offset; i < end; i++ {
		b.WriteByte('\n')
		p.cachedRow(&b, i, w, now)
		n++
	}
	if n < rows {
		blank := strings.Repeat(" ", w)
		for ; n < rows; n++ {
			b.WriteByte('\n')
			b.WriteString(blank)
		}
	}
	for _, l := range p.footer(w) {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	p.listBytes = b.Len() // the next frame's builder starts this large
	return b.String()
}

// header is the column titles of a list w cells wide, in w-1 cells: the title line's focus
// mark (or space) takes the first.
func (p *Pane) header(w int) string {
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

// writeRow formats conversation i as one line of exactly w cells: only this row's columns are
// formatted, each padded with sanitize.Pad, and only the coloured spans are styled. A row with
// a summary and attributes shows both: the attributes in a fixed-width details column, so the
// summaries of every row start at the same column.
func (p *Pane) writeRow(b *strings.Builder, i, w int, now time.Time) {
	cv := p.ls.items.Conv(p.ls.rowAt(i))
	c := &cv
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
	sel := p.paints.unfocused
	if p.focused && p.area == areaList {
		sel = p.paints.selected
	}
	if w < timeW+gapW+userW+gapW+8 {
		// Too narrow for columns: time and summary (or details) only.
		if summary == "" {
			summary = details
		}
		if src != "" {
			summary = strings.TrimRight(src, " ") + " " + summary
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
		b.WriteString(src)
		b.WriteString(user)
		b.WriteString(details)
		b.WriteString(summary)
		b.WriteString(sel.Close)
		return
	}
	b.WriteByte(' ')
	p.paints.time.Write(b, tm)
	b.WriteString("  ")
	if src != "" {
		p.paints.user.Write(b, src)
	}
	if user != "" {
		p.paints.user.Write(b, user)
	}
	if details != "" {
		p.paints.attrs.Write(b, details)
	}
	b.WriteString(summary)
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
	n := p.ls.items.Len()
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
	if p.cfg.NoVendorFilter && p.bar.orders {
		text += " · " + p.cfg.Query.Order.String() + " (o)" // no filter bar to show it
	}
	if p.ls.progress != "" {
		// A merge (the All tab) reports a failed source's error here: redacted like errors.
		text += " · " + sanitize.Line(p.errText(errors.New(p.ls.progress)))
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
		return []string{p.paints.footer.String(sanitize.Pad(" "+text, w))}
	}
	return []string{p.paints.footer.String(" " + text + strings.Repeat(" ", gap) + pos)}
}
