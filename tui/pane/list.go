package pane

import (
	"errors"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/rowstore"
)

// pause says why the pane stopped loading pages while the source has more.
type pause int

const (
	pauseNone   pause = iota
	pauseBudget       // the pages of one keypress are spent (Config.MaxPagesPerJump)
	pauseEsc          // the user stopped the load in flight with Esc
)

// errLoadStopped is the error a first page (or refresh) stopped with Esc shows.
var errLoadStopped = errors.New("loading stopped (esc)")

// list is the pane's virtual list: the loaded conversations, the rows it shows (all of them,
// or the quick filter's matches), the selection and scroll offset, and the state of lazy
// paging. It does no I/O and knows nothing of requests: the pane starts them and reports
// their results here. Only the rows in [offset, offset+rows) are rendered.
type list struct {
	// items are the loaded rows, compact (rowstore): a row's raw record is kept only when no
	// local store holds it (see add's keepRaw and Pane.rawRead).
	items    *rowstore.Store
	idx      []int  // the rows shown when the quick filter is on: indexes in items (nil: all)
	next     string // cursor of the next page ("": none; see hasMore)
	total    int    // -1 when the vendor does not say
	progress string // Page.Progress of the last page

	cursor int // the selected row
	offset int // the first row shown

	loadCursor   string // the cursor of the page request in flight
	err          error  // the last page request's error
	failedCursor string // the cursor whose request failed (retried by r)
	budget       int    // pages the list may still load before another keypress
	jumping      bool   // G: the selection follows the rows loaded until the end (or budget)
	paused       pause  // why loading stopped although the source has more
}

func newList() list { return list{total: -1, items: rowstore.New()} }

// hasMore reports whether the vendor has a next page.
func (l *list) hasMore() bool { return l.next != "" }

// rowCount is the number of rows the list shows: the quick filter's matches, or every loaded
// conversation.
func (l *list) rowCount() int {
	if l.idx != nil {
		return len(l.idx)
	}
	return l.items.Len()
}

// rowAt is the index in items of row i.
func (l *list) rowAt(i int) int {
	if l.idx != nil {
		return l.idx[i]
	}
	return i
}

// selected is the selected conversation, with its raw record when the list keeps it.
func (l *list) selected() (client.Conversation, bool) {
	if l.cursor < 0 || l.cursor >= l.rowCount() {
		return client.Conversation{}, false
	}
	r := l.rowAt(l.cursor)
	c := l.items.Conv(r)
	c.Raw = l.items.Raw(r)
	return c, true
}

// footerLines is the height of the list's footer: two lines when a later page failed.
func (l *list) footerLines() int {
	if l.err != nil && l.items.Len() > 0 {
		return 2
	}
	return 1
}

// clamp keeps the selection on a row and in the window of rows rows.
func (l *list) clamp(rows int) {
	l.cursor = max(0, min(l.cursor, l.rowCount()-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if rows > 0 && l.cursor >= l.offset+rows {
		l.offset = l.cursor - rows + 1
	}
	l.offset = max(0, min(l.offset, l.rowCount()-rows))
}

// move moves the selection by delta rows in a window of rows rows; it reports whether the
// selection changed.
func (l *list) move(delta, rows int) bool {
	old := l.cursor
	l.cursor += delta
	l.clamp(rows)
	return l.cursor != old
}

// keypress gives the list a new keypress's worth of pages (maxPages) to load.
func (l *list) keypress(maxPages int) {
	l.budget = maxPages
	if l.paused == pauseBudget || l.paused == pauseEsc {
		l.paused = pauseNone
	}
}

// started records a page request for cursor ("": the first page, a new listing, which gets a
// new keypress's worth of maxPages pages).
func (l *list) started(cursor string, maxPages int) {
	if cursor == "" {
		l.budget, l.jumping = maxPages, false
	}
	l.budget--
	l.paused = pauseNone
	l.loadCursor = cursor
}

// stopped records that the page request in flight was stopped (Esc): a first page shows
// errLoadStopped, a later one pauses loading.
func (l *list) stopped() {
	l.jumping = false
	if l.loadCursor == "" {
		l.err, l.failedCursor = errLoadStopped, ""
	} else {
		l.paused = pauseEsc
	}
}

// failed records that the request for cursor failed with err (the rows loaded stay).
func (l *list) failed(cursor string, err error) {
	l.jumping = false
	l.err = err
	l.failedCursor = cursor
}

// add records the page that the request for cursor returned: the first page ("") replaces
// the rows, keeping the selected conversation selected if it is still there; a later page is
// appended. During a jump to the end (G) the selection follows the new rows; followed reports
// whether it moved. The rows keep their raw records only when keepRaw (no store holds them).
func (l *list) add(cursor string, page client.Page, keepRaw bool) (followed bool) {
	l.err = nil
	if cursor == "" {
		var sel string
		if l.cursor < l.items.Len() {
			sel = l.items.ID(l.cursor)
		}
		l.items = rowstore.FromSlice(page.Conversations, keepRaw)
		l.cursor = 0
		for i := range l.items.Len() {
			if sel != "" && l.items.ID(i) == sel {
				l.cursor = i
				break
			}
		}
	} else {
		l.items.AppendAll(page.Conversations, keepRaw)
	}
	l.next, l.total, l.progress = page.Next, page.Total, page.Progress
	if l.jumping && cursor != "" {
		if old := l.cursor; l.rowCount() > 0 {
			l.cursor = l.rowCount() - 1
			followed = l.cursor != old
		}
		l.jumping = l.hasMore()
	}
	return followed
}

// wantPage reports whether the next page should be requested now: the source has more,
// nothing is in flight (busy), nothing failed or was stopped, and the selection is within
// ahead rows of the end (or a jump to the end runs). When the pages of the last keypress are
// spent it pauses instead, and the footer asks for another keypress.
func (l *list) wantPage(busy bool, ahead int) bool {
	if !l.hasMore() || busy || l.err != nil || l.paused == pauseEsc {
		return false
	}
	if !l.jumping && l.cursor < l.rowCount()-ahead {
		return false
	}
	if l.budget <= 0 {
		l.paused, l.jumping = pauseBudget, false
		return false
	}
	return true
}
