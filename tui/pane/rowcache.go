package pane

import (
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// rowCache keeps the list's rendered rows between frames: a keypress that moves the selection
// changes two rows, so the others are reused instead of formatted again. A row is looked up by
// its index in the loaded conversations and reused only while everything it is made from is
// the same: the conversation's fields shown (compared by value; strings equal to the pointer
// are cheap), its summary, the width and whether it is the selected row and how. What every
// row depends on (the styles, the time zone, the current year, the source column) empties the
// cache when it changes.
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
	sel                         uint8 // 0: not the cursor row; 1: cursor, unfocused; 2: cursor, focused
}

type rowEntry struct {
	key  rowKey
	line string
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
	if i == p.ls.cursor {
		k.sel = 1
		if p.focused && p.area == areaList {
			k.sel = 2
		}
	}
	rc := &p.rows
	if e, ok := rc.rows[at]; ok && e.key == k {
		b.WriteString(e.line)
		return
	}
	var rb strings.Builder
	rb.Grow(w + 96) // the text and the escape sequences of three coloured spans
	p.writeRow(&rb, i, w, now)
	line := rb.String()
	if len(rc.rows) >= rowCacheScreens*max(p.listRows(), 16) {
		clear(rc.rows)
	}
	rc.rows[at] = rowEntry{key: k, line: line}
	b.WriteString(line)
}
