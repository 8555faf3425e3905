package pane

import (
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/paint"
)

// rowCache keeps the list's rendered rows between frames: a keypress that moves the selection
// changes how two rows are painted, not their text, so no row is formatted again. A row is
// looked up by its index in the loaded conversations and reused only while everything it is
// made from is the same: the conversation's fields shown (compared by value; strings equal to
// the pointer are cheap), its summary and the width. What every row depends on (the styles,
// the time zone, the current year, the source column) empties the cache when it changes.
// A row is kept as its text and where its coloured spans are: the selected row is written in
// the selection's paint, the others span by span, straight into the frame.
type rowCache struct {
	paints     paints
	loc        *time.Location
	year       int
	showSource bool
	rows       map[int]rowEntry
}

// rowKey is everything one row's text is made from, besides what rowCache holds itself.
type rowKey struct {
	id, source, userID, summary string
	started                     time.Time
	attrs                       *client.Attr // the attributes' backing array and length
	nattrs                      int
	w                           int
}

// rowEntry is one row: its text, exactly w cells, and the ends of its spans in it. A narrow
// row (no columns) has no spans: it is painted only when selected.
type rowEntry struct {
	key    rowKey
	text   string
	narrow bool
	// The spans: " " time "  " source user details summary; each ends where the next starts.
	timeEnd, srcEnd, userEnd, detailsEnd int
}

// write writes the row to b: in sel when it is the selected row, else span by span.
func (e *rowEntry) write(b *strings.Builder, ps *paints, selected bool, sel paint.Paint) {
	if selected {
		sel.Write(b, e.text)
		return
	}
	if e.narrow {
		b.WriteString(e.text)
		return
	}
	t := e.text
	b.WriteByte(' ')
	ps.time.Write(b, t[1:e.timeEnd])
	b.WriteString("  ")
	if src := t[e.timeEnd+2 : e.srcEnd]; src != "" {
		ps.user.Write(b, src)
	}
	if user := t[e.srcEnd:e.userEnd]; user != "" {
		ps.user.Write(b, user)
	}
	if details := t[e.userEnd:e.detailsEnd]; details != "" {
		ps.attrs.Write(b, details)
	}
	b.WriteString(t[e.detailsEnd:])
}

// rowCacheScreens bounds the cache: rows leave it all at once when it outgrows this many screens.
const rowCacheScreens = 4

// reset empties the cache when a setting every row depends on changed.
func (rc *rowCache) reset(p *Pane, now time.Time) {
	year := now.In(p.cfg.Location).Year()
	if rc.rows != nil && rc.paints == p.paints && rc.loc == p.cfg.Location && rc.year == year &&
		rc.showSource == p.cfg.ShowSource {
		return
	}
	rc.paints, rc.loc, rc.year, rc.showSource = p.paints, p.cfg.Location, year, p.cfg.ShowSource
	if rc.rows == nil {
		rc.rows = make(map[int]rowEntry)
	}
	clear(rc.rows)
}

// cachedRow writes row i (w cells) to b, from the cache when it holds it.
func (p *Pane) cachedRow(b *strings.Builder, i, w int, now time.Time) {
	at := p.ls.rowAt(i)
	cv := p.ls.items.Conv(at)
	c := &cv
	k := rowKey{id: c.ID, source: c.Source, userID: c.UserID, summary: p.sum.summary(c), started: c.Started,
		nattrs: len(c.Attrs), w: w}
	if len(c.Attrs) > 0 {
		k.attrs = &c.Attrs[0]
	}
	rc := &p.rows
	e, ok := rc.rows[at]
	if !ok || e.key != k {
		e = p.formatRow(c, w, now)
		e.key = k
		if len(rc.rows) >= rowCacheScreens*max(p.listRows(), 16) {
			clear(rc.rows)
		}
		rc.rows[at] = e
	}
	e.write(b, &p.paints, i == p.ls.cursor, p.selPaint())
}

// selPaint is the selected row's paint: brighter while the list has the keyboard.
func (p *Pane) selPaint() paint.Paint {
	if p.focused && p.area == areaList {
		return p.paints.selected
	}
	return p.paints.unfocused
}
