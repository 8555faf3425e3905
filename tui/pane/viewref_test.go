package pane

import (
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// The code before the frame was written in one builder, kept as the reference the new code
// must match byte for byte.

func threadHeaderRef(c client.Conversation, source string, loc *time.Location, w int) string {
	if loc == nil {
		loc = time.UTC
	}
	if c.Source != "" {
		source = c.Source
	}
	src := sanitize.Line(sanitize.Clip(source, sanitize.ClipBytes(64)))
	id := sanitize.Line(sanitize.Clip(c.ID, sanitize.ClipBytes(256)))
	user := sanitize.Line(sanitize.Clip(c.UserLabel(), sanitize.ClipBytes(128)))
	sum := sanitize.Line(sanitize.Clip(c.Summary, sanitize.ClipBytes(max(w, 0))))
	var started, ended string
	if !c.Started.IsZero() {
		started = "started " + c.Started.In(loc).Format(headerTime)
	}
	if !c.Updated.IsZero() {
		end := c.Updated.In(loc)
		f := headerTime
		if s := c.Started.In(loc); !c.Started.IsZero() && s.Year() == end.Year() && s.YearDay() == end.YearDay() {
			f = "15:04" // the same day: the time is enough
		}
		ended = "ended " + end.Format(f)
	}
	labelled := func(label, v string) string {
		if v == "" {
			return ""
		}
		return label + " " + v
	}
	srcPart, idPart, userPart := labelled("source", src), "id "+id, labelled("user", user)
	if id == "" {
		idPart = "id (none)"
	}

	// Each try is the parts of one step of the order above; the first that fits wins. The
	// summary only follows every other part.
	for i, parts := range [][]string{
		{srcPart, idPart, userPart, started, ended},
		{srcPart, idPart, userPart, started},
		{srcPart, idPart, userPart},
	} {
		if line := joinParts(parts...); sanitize.Width(line) <= w {
			if i == 0 {
				return withSummary(line, sum, w)
			}
			return line
		}
	}
	// The user, shortened to what is left beside the source and the id.
	base := joinParts(srcPart, idPart)
	if room := w - sanitize.Width(base) - headerSepW - len("user "); userPart != "" && room >= headerMinUser {
		return joinParts(base, "user "+sanitize.Truncate(user, room, sanitize.Ellipsis))
	}
	if sanitize.Width(base) <= w {
		return base
	}
	// The source shortened to a few cells, then the id cut at its start.
	if srcPart != "" {
		srcPart = "source " + sanitize.Truncate(src, 8, sanitize.Ellipsis)
	}
	if line := joinParts(srcPart, idPart); sanitize.Width(line) <= w {
		return line
	}
	prefix := "id "
	if srcPart != "" {
		prefix = srcPart + headerSep + "id "
	}
	room := w - sanitize.Width(prefix)
	if room < 6 { // too narrow for the source: the id alone
		prefix, room = "id ", w-len("id ")
	}
	return prefix + idTail(id, max(room, 4))
}

func (p *Pane) writeRowRef(b *strings.Builder, i, w int, now time.Time) {
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

// headerConvs are conversations for the header's reference test: every part, hostile text,
// wide and combining characters, a long id, no user, no times.
func headerConvs() []client.Conversation {
	c := headerConv()
	out := []client.Conversation{c}
	add := func(f func(x *client.Conversation)) {
		x := c
		f(&x)
		out = append(out, x)
	}
	add(func(x *client.Conversation) { x.Summary = "" })
	add(func(x *client.Conversation) { x.Source = "" })
	add(func(x *client.Conversation) { x.ID = "" })
	add(func(x *client.Conversation) { x.ID = "conv-" + strings.Repeat("0123456789", 12) + "-END42" })
	add(func(x *client.Conversation) { x.Attrs = nil })
	add(func(x *client.Conversation) { x.Attrs, x.UserID = nil, "" })
	add(func(x *client.Conversation) { x.Started = time.Time{} })
	add(func(x *client.Conversation) { x.Updated = time.Time{} })
	add(func(x *client.Conversation) { x.Started, x.Updated = time.Time{}, time.Time{} })
	add(func(x *client.Conversation) { x.Updated = x.Started.Add(30 * time.Hour) })
	add(func(x *client.Conversation) {
		x.Source, x.ID = "打印机-source-名前", "ид-\u0301\u200dx-🖨️-id"
		x.Attrs = client.Attrs{{Key: client.AttrUserName, Value: "José \u0e33 Ñandú 👩‍💻"}}
		x.Summary = "Printer on floor 3 jams — 打印机卡纸 🖨️ and more text to cut"
	})
	add(func(x *client.Conversation) {
		x.ID = "evil\x1b]0;pwned\x07id"
		x.Attrs = client.Attrs{{Key: client.AttrUserName, Value: "\x1b[2J\x1b[31mMallory\u202e\x07 <x>"}}
		x.Summary = fake.Hostile
	})
	add(func(x *client.Conversation) { x.Summary = "\u0d4e" + strings.Repeat("x", 50) }) // a prepend character
	return out
}

// TestThreadHeaderMatchesReference checks the header written into one builder against the
// header made part by part before, at every width from 0 to 220 columns.
func TestThreadHeaderMatchesReference(t *testing.T) {
	for i, c := range headerConvs() {
		for w := 0; w <= 220; w++ {
			got := formatThreadHeader(&c, "td", time.UTC, w)
			if want := threadHeaderRef(c, "td", time.UTC, w); got != want {
				t.Errorf("conversation %d at %d: got\n%q\nwant\n%q", i, w, got, want)
			}
		}
	}
}

// TestHeaderMemoFollowsItsInputs checks that the kept header is the one made from scratch
// after each of its inputs changes, one at a time.
func TestHeaderMemoFollowsItsInputs(t *testing.T) {
	base := headerConv()
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name   string
		change func(c *client.Conversation, src *string, loc **time.Location, w *int)
	}{
		{"nothing", func(*client.Conversation, *string, **time.Location, *int) {}},
		{"id", func(c *client.Conversation, _ *string, _ **time.Location, _ *int) { c.ID = "other" }},
		{"source", func(c *client.Conversation, _ *string, _ **time.Location, _ *int) { c.Source = "od" }},
		{"the pane's source name", func(c *client.Conversation, src *string, _ **time.Location, _ *int) {
			c.Source, *src = "", "talkdesk"
		}},
		{"user id", func(c *client.Conversation, _ *string, _ **time.Location, _ *int) { c.Attrs, c.UserID = nil, "u-2" }},
		{"user name", func(c *client.Conversation, _ *string, _ **time.Location, _ *int) {
			c.Attrs = client.Attrs{{Key: client.AttrUserName, Value: "John Roe"}}
		}},
		{"summary", func(c *client.Conversation, _ *string, _ **time.Location, _ *int) { c.Summary = "new" }},
		{"started", func(c *client.Conversation, _ *string, _ **time.Location, _ *int) {
			c.Started = c.Started.Add(-time.Hour)
		}},
		{"updated", func(c *client.Conversation, _ *string, _ **time.Location, _ *int) {
			c.Updated = c.Updated.Add(time.Hour)
		}},
		{"time zone", func(_ *client.Conversation, _ *string, loc **time.Location, _ *int) { *loc = berlin }},
		{"width", func(_ *client.Conversation, _ *string, _ **time.Location, w *int) { *w = 70 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, src, loc, w := base, "mw", time.UTC, 199
			var m headerMemo
			_ = m.threadHeader(c, src, loc, w) // fills the memo
			tt.change(&c, &src, &loc, &w)
			if got, want := m.threadHeader(c, src, loc, w), formatThreadHeader(&c, src, loc, w); got != want {
				t.Errorf("the kept header differs from a fresh one:\ngot:  %q\nwant: %q", got, want)
			}
		})
	}
}

// TestRowsMatchReference checks every row of the list, selected and not, focused and not, at
// widths from narrow to wide, with and without the source column, against the rows the code
// before wrote.
func TestRowsMatchReference(t *testing.T) {
	p := loadedPane(t, 40)
	setRow(p, 5, func(c *client.Conversation) {
		c.Attrs = client.Attrs{{Key: client.AttrUserName, Value: "José Ñandú"}, {Key: client.AttrUserEmail, Value: "jose@example.com"},
			{Key: "domain", Value: "打印机 " + strings.Repeat("wide ", 20)}}
	})
	setRow(p, 6, func(c *client.Conversation) { c.Summary = "\u0d4e" + strings.Repeat("y", 200) })
	setRow(p, 7, func(c *client.Conversation) { c.Source = "a-very-long-source" })
	setRow(p, 8, func(c *client.Conversation) { c.Started = time.Time{} })
	p.SetStyles(Styles{Time: lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000")),
		User: lipgloss.NewStyle().Faint(true), Attrs: lipgloss.NewStyle().Bold(true),
		Selected: lipgloss.NewStyle().Reverse(true), Unfocused: lipgloss.NewStyle().Underline(true)})
	for _, src := range []bool{false, true} {
		p.cfg.ShowSource = src
		for _, focused := range []bool{true, false} {
			p.focused = focused
			for _, w := range []int{20, 37, 38, 50, 64, 90, 120, 200} {
				for i := range p.ls.items.Len() {
					p.ls.cursor = i % 3 * 9 // some rows selected
					var got, want strings.Builder
					p.writeRow(&got, i, w, fixedNow)
					p.writeRowRef(&want, i, w, fixedNow)
					if got.String() != want.String() {
						t.Errorf("source %v focused %v w %d row %d:\ngot  %q\nwant %q", src, focused, w, i, got.String(), want.String())
					}
				}
			}
		}
	}
}

// TestPaintTitleIsPad checks the title line written into one builder against the padded and
// painted concatenation it replaces, for texts that take the short way and texts that do not.
func TestPaintTitleIsPad(t *testing.T) {
	pt := paints{}.header
	pt.Open, pt.Close = "\x1b[1m", "\x1b[m"
	texts := []string{"", "Thread", "Time          User          Details · Summary",
		"source mw · id Q7fTz2LmX0aB · user Jane Doe <jane@example.com> · started 2026-11-08 09:30 · I can't log…",
		"打印机 first", "last 打印机", "\u0301combining first", "ends with a prepend \u0d4e", "tab\there", "line\nbreak",
		"evil\x1b[2J", "trailing space ", "x"}
	for _, lead := range []string{" ", focusMark} {
		for _, text := range texts {
			for w := 0; w <= 120; w++ {
				if got, want := paintTitle(pt, lead, text, w), pt.String(sanitize.Pad(lead+text, w)); got != want {
					t.Errorf("lead %q text %q w %d:\ngot  %q\nwant %q", lead, text, w, got, want)
				}
			}
		}
	}
}

// withSummary appends the summary to line when at least headerMinSummary cells of it fit in w.
func withSummary(line, sum string, w int) string {
	if sum == "" {
		return line
	}
	room := w - sanitize.Width(line) - headerSepW
	if room < headerMinSummary {
		return line
	}
	return line + headerSep + sanitize.Truncate(sum, room, sanitize.Ellipsis)
}
