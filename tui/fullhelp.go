package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// The full help (?) as newspaper columns: bubbles' help.Model puts one group in each column
// and cuts what does not fit the width, so at 80 columns the last groups (tabs, ctrl+f, ?, q)
// fell off the screen. Here the groups flow down columns of at most maxH rows, a blank row
// between groups, and as many columns as fit the width; the help then takes the rows it
// needs (layout: fullHelpRows), up to what leaves the pane a few rows.

// fullHelpEntry is one binding of the full help, or a blank row between groups (key "").
type fullHelpEntry struct{ key, desc string }

// fullHelpFlow lays groups out in columns of at most maxH rows that fit w cells together, using
// the fewest rows that fit. It returns nil when no layout fits: the caller falls back to
// help.Model's own view, cut at the width.
// sep goes between two columns (help.Model's FullSeparator, so wide screens look as before).
func fullHelpFlow(groups [][]key.Binding, st help.Styles, sep string, w, maxH int) []string {
	var gs [][]fullHelpEntry
	tallest := 0
	for _, g := range groups {
		var es []fullHelpEntry
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			es = append(es, fullHelpEntry{b.Help().Key, b.Help().Desc})
		}
		if len(es) > 0 {
			gs = append(gs, es)
			tallest = max(tallest, len(es))
		}
	}
	if len(gs) == 0 || w <= 0 {
		return nil
	}
	for h := tallest; h <= maxH; h++ {
		cols := flowColumns(gs, h)
		if width(cols, lipgloss.Width(sep)) <= w {
			return renderColumns(cols, st, sep, h)
		}
	}
	return nil
}

// flowColumns puts the groups in order into columns of at most h rows, a group never split,
// a blank row between two groups of one column.
func flowColumns(gs [][]fullHelpEntry, h int) [][]fullHelpEntry {
	var cols [][]fullHelpEntry
	var cur []fullHelpEntry
	for _, g := range gs {
		switch {
		case len(cur) == 0:
			cur = append(cur, g...)
		case len(cur)+1+len(g) <= h:
			cur = append(append(cur, fullHelpEntry{}), g...)
		default:
			cols = append(cols, cur)
			cur = append([]fullHelpEntry(nil), g...)
		}
	}
	return append(cols, cur)
}

// colWidths are a column's key and description widths.
func colWidths(col []fullHelpEntry) (kw, dw int) {
	for _, e := range col {
		kw = max(kw, lipgloss.Width(e.key))
		dw = max(dw, lipgloss.Width(e.desc))
	}
	return kw, dw
}

// width is the width of the columns side by side.
func width(cols [][]fullHelpEntry, gap int) int {
	total := 0
	for i, c := range cols {
		kw, dw := colWidths(c)
		total += kw + 1 + dw
		if i > 0 {
			total += gap
		}
	}
	return total
}

// renderColumns draws the columns h rows high, keys aligned within each column.
func renderColumns(cols [][]fullHelpEntry, st help.Styles, sep string, h int) []string {
	rows := 0
	for _, c := range cols {
		rows = max(rows, len(c))
	}
	rows = min(rows, h)
	lines := make([]strings.Builder, rows)
	gap := st.FullSeparator.Render(sep)
	for ci, c := range cols {
		kw, dw := colWidths(c)
		for r := range rows {
			b := &lines[r]
			if ci > 0 {
				b.WriteString(gap)
			}
			var e fullHelpEntry
			if r < len(c) {
				e = c[r]
			}
			if e.key == "" {
				b.WriteString(strings.Repeat(" ", kw+1+dw))
				continue
			}
			b.WriteString(st.FullKey.Render(e.key))
			b.WriteString(strings.Repeat(" ", kw-lipgloss.Width(e.key)+1))
			b.WriteString(st.FullDesc.Render(e.desc))
			b.WriteString(strings.Repeat(" ", dw-lipgloss.Width(e.desc)))
		}
	}
	out := make([]string, rows)
	for i := range lines {
		out[i] = strings.TrimRight(lines[i].String(), " ")
	}
	return out
}

// fullHelpLines is the full help for a w×maxH area: the flowed columns when they fit, else
// help.Model's view (one group a column, cut at the width). It is drawn again only when the
// bindings shown, the area or the styles change (fullHelpMemo): every key while the help is
// open draws a frame.
func (a *App) fullHelpLines(w, maxH int) []string {
	groups := a.FullHelp()
	m := &a.fullHelpMemo
	if m.same(groups, w, maxH) {
		return m.lines
	}
	lines := fullHelpFlow(groups, a.help.Styles, a.help.FullSeparator, w, maxH)
	if lines == nil {
		lines = strings.Split(a.help.FullHelpView(groups), "\n")
	}
	m.store(groups, w, maxH, lines)
	return lines
}

// fullHelpMemo is the last full help drawn and what it was drawn from (the styles empty it:
// App.handleBackground).
type fullHelpMemo struct {
	valid bool
	w, h  int
	sig   []fullHelpSig
	lines []string
}

// fullHelpSig is what the full help shows of one binding, or the end of a group (end).
type fullHelpSig struct {
	key, desc    string
	enabled, end bool
}

func (m *fullHelpMemo) same(groups [][]key.Binding, w, h int) bool {
	if !m.valid || m.w != w || m.h != h {
		return false
	}
	i := 0
	for _, g := range groups {
		for _, b := range g {
			if i >= len(m.sig) || m.sig[i] != (fullHelpSig{key: b.Help().Key, desc: b.Help().Desc, enabled: b.Enabled()}) {
				return false
			}
			i++
		}
		if i >= len(m.sig) || m.sig[i] != (fullHelpSig{end: true}) {
			return false
		}
		i++
	}
	return i == len(m.sig)
}

func (m *fullHelpMemo) store(groups [][]key.Binding, w, h int, lines []string) {
	m.sig = m.sig[:0]
	for _, g := range groups {
		for _, b := range g {
			m.sig = append(m.sig, fullHelpSig{key: b.Help().Key, desc: b.Help().Desc, enabled: b.Enabled()})
		}
		m.sig = append(m.sig, fullHelpSig{end: true})
	}
	m.valid, m.w, m.h, m.lines = true, w, h, lines
}
