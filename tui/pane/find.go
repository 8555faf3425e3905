package pane

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// FindKeys are the bindings of the search in the thread (the thread has focus); tui/keys.go
// builds them. The list keeps its own / (the quick filter).
type FindKeys struct {
	Open  key.Binding // opens the search input
	Next  key.Binding // the next hit (after the last: the first, "search wrapped")
	Prev  key.Binding // the previous hit
	Done  key.Binding // closes the input, keeping the hits
	Clear key.Binding // clears the search (cancels the open input)
}

// findKey handles the keys of the search in the thread; ok is false for other keys. While the
// input is open it takes every key.
func (p *Pane) findKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	v, k := p.thr.view, p.cfg.Keys.Find
	if p.area != areaThread || p.thr.state != threadReady || p.pg.open { // the open pager takes its own keys
		return nil, false
	}
	switch {
	case v.Searching():
		switch {
		case key.Matches(msg, k.Done):
			v.AcceptSearch()
		case key.Matches(msg, k.Clear):
			v.ClearSearch()
		default:
			v.SearchKey(msg)
		}
	case key.Matches(msg, k.Open) && v.Len() > 0:
		v.SetSearchHint(k.Next.Help().Key + "/" + k.Prev.Help().Key + " next/prev · " + k.Clear.Help().Key + " clear")
		v.StartSearch()
	case key.Matches(msg, k.Next) && v.SearchActive():
		v.NextHit()
	case key.Matches(msg, k.Prev) && v.SearchActive():
		v.PrevHit()
	case key.Matches(msg, k.Clear) && v.SearchActive():
		v.ClearSearch() // esc clears the search first; the next esc goes back to the list
	default:
		return nil, false
	}
	return nil, true
}

// Finding reports whether the thread has a search (its input open, or its hits kept), for the
// root's help.
func (p *Pane) Finding() bool { return p.area == areaThread && p.thr.view.SearchActive() }

// FindEditing reports whether the thread's search input is open and takes the keys.
func (p *Pane) FindEditing() bool { return p.area == areaThread && p.thr.view.Searching() }
