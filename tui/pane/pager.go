package pane

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/pager"
)

// The pager (package tui/pager) over the thread: enter (or l where there is nothing to
// expand) on a message shows it full-height with its details; o shows the raw vendor record
// of the message (o again goes back to the message), J the raw record of the conversation.
// It renders in place of the thread column, title line included. esc or q closes it, and the
// thread is exactly as it was: the pager never moves the thread's cursor or scroll, and if the
// thread was reloaded meanwhile, the message shown is selected again.

// PagerKeys are the keys that open the pager from the thread, and the pager's own; tui/keys.go
// builds them.
type PagerKeys struct {
	Read    key.Binding // the selected message in the pager (enter)
	RawConv key.Binding // the conversation's raw record (J), in the thread and the pager
	View    pager.Keys  // inside the pager; View.Raw (o) also opens the message's raw record
}

// pagerShows is what the pager shows.
type pagerShows int

const (
	showMessage pagerShows = iota
	showRaw                // the interaction's raw record
	showRawConv            // the conversation's raw record
)

// pagerBinding is the pane's part of the pager.
type pagerBinding struct {
	view  *pager.Model
	open  bool
	shows pagerShows
	it    client.Interaction // the message shown (a copy: a reload does not change it)
	// rawWait is the conversation whose raw record is being read from the store (rawMsg).
	rawWait string
}

// Paging reports whether the pager is open (it takes the pane's keys).
func (p *Pane) Paging() bool { return p.pg.open && p.area == areaThread }

// pagerKey handles the keys of the open pager (all of them: the thread under it does not
// move) and the keys that open it from a loaded thread. ok is false for any other key.
func (p *Pane) pagerKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if p.area != areaThread {
		return nil, false
	}
	k := p.cfg.Keys.Pager
	if p.pg.open {
		var cmd tea.Cmd
		switch p.pg.view.Update(msg) {
		case pager.Close:
			p.closePager()
		case pager.Raw:
			if p.pg.shows == showMessage {
				cmd = p.showPager(showRaw)
			} else {
				cmd = p.showPager(showMessage)
			}
		case pager.Ignored:
			if key.Matches(msg, k.RawConv) {
				cmd = p.showPager(showRawConv)
			}
		}
		return cmd, true
	}
	if p.thr.state != threadReady {
		return nil, false
	}
	it := p.thr.view.Selected()
	switch {
	case key.Matches(msg, k.RawConv):
		return p.openPager(it, showRawConv), true
	case it == nil:
		return nil, false
	case key.Matches(msg, k.Read):
		return p.openPager(it, showMessage), true
	case key.Matches(msg, k.View.Raw):
		return p.openPager(it, showRaw), true
	case key.Matches(msg, p.cfg.Keys.Expand):
		// l expands a collapsed message; where there is nothing to expand it reads it.
		n := p.thr.view.Len()
		p.thr.view.Expand()
		if p.thr.view.Len() == n {
			p.openPager(it, showMessage)
		}
	default:
		return nil, false
	}
	return nil, true
}

// pagerWheel scrolls the open pager with the mouse wheel; it reports whether the pager took
// the message (a wheel message the root routes to this pane).
func (p *Pane) pagerWheel(msg tea.MouseWheelMsg) bool {
	return p.Paging() && p.pg.view.Update(msg) == pager.Handled
}

// openPager opens the pager on it (nil: no message, for the conversation's record); the Cmd
// is showPager's.
func (p *Pane) openPager(it *client.Interaction, shows pagerShows) tea.Cmd {
	p.pg.it = client.Interaction{}
	if it != nil {
		p.pg.it = *it
	}
	p.pg.open = true
	p.sizeThread()
	return p.showPager(shows)
}

// showPager puts what shows names into the open pager, at its top. The conversation's raw
// record of a stored row is read from the store by the Cmd it returns (the pager says it is
// reading until it arrives: handleRaw).
func (p *Pane) showPager(shows pagerShows) tea.Cmd {
	var cmd tea.Cmd
	p.pg.shows = shows
	it, c := &p.pg.it, p.thr.c
	var content pager.Content
	switch shows {
	case showMessage:
		content = pager.Content{Title: messageTitle(it, p.cfg), Body: messageBody(it, p.cfg)}
		if h := p.cfg.Keys.Copy.Message.Help().Key; h != "" {
			content.CutNote = h + " copies the whole message"
		}
	case showRaw:
		content = pager.Content{Title: "Raw record · interaction " + clipID(it.ID), Body: string(it.Raw),
			Kind: pager.JSON, Empty: "no raw record"}
	case showRawConv:
		content = rawConvContent(c)
		if p.needsRaw(c) { // a stored row: its raw record is read from the store
			content.Empty = "reading the raw record…"
			if p.pg.rawWait != c.ID {
				p.pg.rawWait = c.ID
				read, id := p.rawRead(c), p.cfg.ID
				cmd = func() tea.Msg { return rawMsg{pane: id, conv: read()} }
			}
		}
	}
	p.pg.view.SetContent(content)
	return cmd
}

// rawConvContent is the pager's view of c's raw record.
func rawConvContent(c client.Conversation) pager.Content {
	return pager.Content{Title: "Raw record · conversation " + clipID(c.ID), Body: string(c.Raw),
		Kind: pager.JSON, Empty: "no raw record"}
}

// handleRaw keeps the raw record read for the thread's conversation and shows it if the
// pager's raw view of it is still open ("no raw record" when the store had none).
func (p *Pane) handleRaw(msg rawMsg) {
	c := msg.conv
	if p.pg.rawWait == c.ID {
		p.pg.rawWait = ""
	}
	if p.thr.c.ID != c.ID || p.thr.c.Source != c.Source {
		return // the thread moved on
	}
	if len(p.thr.c.Raw) == 0 {
		p.thr.c.Raw = c.Raw
	}
	if p.pg.open && p.pg.shows == showRawConv {
		p.pg.view.SetContent(rawConvContent(p.thr.c))
	}
}

// closePager closes the pager; the thread selects the message shown again if a reload moved
// its cursor.
func (p *Pane) closePager() {
	if !p.pg.open {
		return
	}
	p.pg.open = false
	if id := p.pg.it.ID; id != "" {
		if sel := p.thr.view.Selected(); sel == nil || sel.ID != id {
			p.thr.view.SelectID(id)
		}
	}
	p.pg.it = client.Interaction{}
}

func clipID(id string) string { return sanitize.Line(sanitize.Clip(id, 256)) }

// messageTitle is the pager's header for a message: who, when, which.
func messageTitle(it *client.Interaction, cfg Config) string {
	t := "Message · " + sanitize.Line(sanitize.Clip(it.SpeakerLabel(), 256))
	if !it.Time.IsZero() {
		t += " · " + it.Time.In(cfg.Location).Format("2006-01-02 15:04:05 MST")
	}
	return t + " · id " + clipID(it.ID)
}

// messageBody is a message as the pager shows it: the fields of the thread's detail panel, one
// a line, then its whole text. It is vendor text: the pager sanitizes it.
func messageBody(it *client.Interaction, cfg Config) string {
	var b strings.Builder
	b.Grow(len(it.Text) + 256)
	b.WriteString(sanitize.Line(it.SpeakerLabel()) + " · " + sanitize.Line(it.Kind))
	if !it.Time.IsZero() {
		b.WriteString(" · " + it.Time.In(cfg.Location).Format("2006-01-02 15:04:05 MST"))
	}
	if !it.Updated.IsZero() {
		b.WriteString(" · updated " + it.Updated.In(cfg.Location).Format("2006-01-02 15:04:05 MST"))
	}
	b.WriteString("\nid " + clipID(it.ID))
	if it.ParentID != "" {
		b.WriteString(" · parent " + clipID(it.ParentID))
	} else {
		b.WriteString(" · no parent")
	}
	if it.UserID != "" {
		b.WriteString(" · user " + clipID(it.UserID))
	}
	for _, a := range it.Attrs {
		b.WriteString("\n" + sanitize.Line(sanitize.Clip(a.Key, 256)) + " = " + sanitize.Line(sanitize.Clip(a.Value, 4096)))
	}
	b.WriteString("\n\n")
	if it.Text == "" {
		b.WriteString("(no text)")
	} else {
		b.WriteString(it.Text)
	}
	return b.String()
}
