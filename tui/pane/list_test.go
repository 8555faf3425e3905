package pane

import (
	"errors"
	"fmt"
	"testing"

	"github.com/confab-dev/confab/client"
)

func convs(from, n int) []client.Conversation {
	out := make([]client.Conversation, n)
	for i := range out {
		out[i] = client.Conversation{ID: fmt.Sprintf("c%d", from+i)}
	}
	return out
}

func listOf(n int, next string) list {
	l := newList()
	l.add("", client.Page{Conversations: convs(0, n), Next: next, Total: -1}, true)
	return l
}

func TestListClampAndMove(t *testing.T) {
	tests := []struct {
		name                string
		n, rows             int
		cursor, offset      int
		delta               int
		changed             bool
		wantCur, wantOffset int
	}{
		{"down in the window", 10, 5, 0, 0, 1, true, 1, 0},
		{"down past the window scrolls", 10, 5, 4, 0, 1, true, 5, 1},
		{"up past the window scrolls", 10, 5, 5, 5, -1, true, 4, 4},
		{"stops at the end", 10, 5, 9, 5, 3, false, 9, 5},
		{"stops at the top", 10, 5, 0, 0, -3, false, 0, 0},
		{"page down", 10, 5, 0, 0, 5, true, 5, 1},
		{"home", 10, 5, 7, 3, -10, true, 0, 0},
		{"an empty list", 0, 5, 0, 0, 1, false, 0, 0},
		{"no rows shown", 10, 0, 3, 0, 1, true, 4, 0},
		{"offset never past the end", 10, 5, 9, 8, 0, false, 9, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listOf(tt.n, "")
			l.cursor, l.offset = tt.cursor, tt.offset
			if got := l.move(tt.delta, tt.rows); got != tt.changed {
				t.Errorf("move = %v, want %v", got, tt.changed)
			}
			if l.cursor != tt.wantCur || l.offset != tt.wantOffset {
				t.Errorf("cursor %d offset %d, want %d %d", l.cursor, l.offset, tt.wantCur, tt.wantOffset)
			}
		})
	}
}

func TestListRowsWithQuickFilter(t *testing.T) {
	tests := []struct {
		name    string
		idx     []int
		cursor  int
		rows    int
		wantID  string
		wantSel bool
	}{
		{"every row", nil, 2, 5, "c2", true},
		{"matches only", []int{1, 3, 4}, 1, 3, "c3", true},
		{"no match", []int{}, 0, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listOf(5, "")
			l.idx, l.cursor = tt.idx, tt.cursor
			if l.rowCount() != tt.rows {
				t.Errorf("rowCount = %d, want %d", l.rowCount(), tt.rows)
			}
			c, ok := l.selected()
			if ok != tt.wantSel || c.ID != tt.wantID {
				t.Errorf("selected = %q %v, want %q %v", c.ID, ok, tt.wantID, tt.wantSel)
			}
		})
	}
}

func TestListAdd(t *testing.T) {
	tests := []struct {
		name         string
		cursor       string // the cursor of the page that arrives
		page         client.Page
		sel          int // the selection before
		jumping      bool
		wantLen      int
		wantSel      string
		wantFollowed bool
		wantJumping  bool
	}{
		{"a later page appends", "p2", client.Page{Conversations: convs(5, 3)}, 1, false, 8, "c1", false, false},
		{"a refresh keeps the selected conversation", "", client.Page{Conversations: convs(2, 6)}, 3, false, 6, "c3", false, false},
		{"a refresh without it selects the first", "", client.Page{Conversations: convs(10, 2)}, 3, false, 2, "c10", false, false},
		{"a jump follows the rows", "p2", client.Page{Conversations: convs(5, 3), Next: "p3"}, 4, true, 8, "c7", true, true},
		{"a jump ends with the last page", "p2", client.Page{Conversations: convs(5, 3)}, 4, true, 8, "c7", true, false},
		{"a jump over an empty page stays", "p2", client.Page{Next: "p3"}, 4, true, 5, "c4", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listOf(5, "p2")
			l.cursor, l.jumping, l.err = tt.sel, tt.jumping, errors.New("old")
			followed := l.add(tt.cursor, tt.page, true)
			c, _ := l.selected()
			if l.items.Len() != tt.wantLen || c.ID != tt.wantSel || followed != tt.wantFollowed || l.jumping != tt.wantJumping {
				t.Errorf("len %d sel %s followed %v jumping %v, want %d %s %v %v",
					l.items.Len(), c.ID, followed, l.jumping, tt.wantLen, tt.wantSel, tt.wantFollowed, tt.wantJumping)
			}
			if l.err != nil || l.next != tt.page.Next {
				t.Errorf("err %v next %q after a page", l.err, l.next)
			}
		})
	}
}

func TestListWantPage(t *testing.T) {
	tests := []struct {
		name       string
		next       string
		busy       bool
		err        error
		paused     pause
		jumping    bool
		cursor     int
		budget     int
		ahead      int
		want       bool
		wantPaused pause
	}{
		{"near the end", "p2", false, nil, pauseNone, false, 8, 5, 2, true, pauseNone},
		{"far from the end", "p2", false, nil, pauseNone, false, 2, 5, 2, false, pauseNone},
		{"a jump loads from anywhere", "p2", false, nil, pauseNone, true, 0, 5, 2, true, pauseNone},
		{"no next page", "", false, nil, pauseNone, true, 9, 5, 2, false, pauseNone},
		{"one in flight", "p2", true, nil, pauseNone, true, 9, 5, 2, false, pauseNone},
		{"after an error", "p2", false, errors.New("x"), pauseNone, true, 9, 5, 2, false, pauseNone},
		{"stopped with esc", "p2", false, nil, pauseEsc, true, 9, 5, 2, false, pauseEsc},
		{"the budget is spent", "p2", false, nil, pauseNone, true, 9, 0, 2, false, pauseBudget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listOf(10, tt.next)
			l.err, l.paused, l.jumping, l.cursor, l.budget = tt.err, tt.paused, tt.jumping, tt.cursor, tt.budget
			if got := l.wantPage(tt.busy, tt.ahead); got != tt.want {
				t.Errorf("wantPage = %v, want %v", got, tt.want)
			}
			if l.paused != tt.wantPaused {
				t.Errorf("paused = %v, want %v", l.paused, tt.wantPaused)
			}
			if tt.wantPaused == pauseBudget && l.jumping {
				t.Error("a spent budget keeps jumping")
			}
		})
	}
}

func TestListPagingBookkeeping(t *testing.T) {
	tests := []struct {
		name       string
		run        func(l *list)
		budget     int
		paused     pause
		err        error
		jumping    bool
		loadCursor string
	}{
		{"a first page resets the budget", func(l *list) { l.budget, l.jumping = 0, true; l.started("", 20) }, 19, pauseNone, nil, false, ""},
		{"a later page spends one", func(l *list) { l.budget, l.jumping = 5, true; l.started("p2", 20) }, 4, pauseNone, nil, true, "p2"},
		{"esc on a first page", func(l *list) { l.started("", 20); l.stopped() }, 19, pauseNone, errLoadStopped, false, ""},
		{"esc on a later page", func(l *list) { l.started("p2", 20); l.stopped() }, -1, pauseEsc, nil, false, "p2"},
		{"a keypress resumes", func(l *list) { l.paused = pauseBudget; l.keypress(20) }, 20, pauseNone, nil, false, ""},
		{"a keypress after esc resumes", func(l *list) { l.paused = pauseEsc; l.keypress(3) }, 3, pauseNone, nil, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newList()
			tt.run(&l)
			if l.budget != tt.budget || l.paused != tt.paused || l.err != tt.err || l.jumping != tt.jumping || l.loadCursor != tt.loadCursor {
				t.Errorf("budget %d paused %v err %v jumping %v loadCursor %q, want %d %v %v %v %q",
					l.budget, l.paused, l.err, l.jumping, l.loadCursor, tt.budget, tt.paused, tt.err, tt.jumping, tt.loadCursor)
			}
		})
	}
}

func TestListFooterLines(t *testing.T) {
	tests := []struct {
		name string
		n    int
		err  error
		want int
	}{
		{"ready", 3, nil, 1},
		{"a later page failed", 3, errors.New("x"), 2},
		{"the first page failed (the whole pane says so)", 0, errors.New("x"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listOf(tt.n, "")
			l.failed("", tt.err)
			if got := l.footerLines(); got != tt.want {
				t.Errorf("footerLines = %d, want %d", got, tt.want)
			}
		})
	}
}
