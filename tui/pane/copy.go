package pane

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
)

// CopyWhat is what a copy request asks for.
type CopyWhat int

// What can be copied.
const (
	CopyThread     CopyWhat = iota // the whole thread as Markdown
	CopyThreadJSON                 // the whole thread as JSON
	CopySubtree                    // the subtree of one interaction as Markdown
	CopyMessage                    // one interaction's text
	CopyID                         // the conversation id
)

// CopyRequest asks the root to put something on the clipboard. The pane fills in the data
// (the thread is loaded first when it is not yet); the root renders it, applies redaction and
// does the clipboard I/O in a Cmd. It is not Routed: it is for the root.
type CopyRequest struct {
	Pane  ID
	What  CopyWhat
	Kind  string // the source's vendor kind
	Conv  client.Conversation
	Items []client.Interaction // the thread (CopyThread, CopyThreadJSON, CopySubtree)
	Root  string               // the subtree's root interaction id (CopySubtree)
	Text  string               // the interaction's text (CopyMessage)
}

// RedactToggle asks the root to toggle redaction of copies.
type RedactToggle struct{}

// copyState is the pane's part of copying: a copy waiting for a thread to load. The thread it
// copies from is the one the thread view shows (p.thr.view.Items).
type copyState struct {
	pending bool // a copy waits for the thread of conv
	want    CopyWhat
	conv    string
}

// copyKey handles a copy key; ok is false when msg is not one.
func (p *Pane) copyKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := p.cfg.Keys.Copy
	inThread := p.area == areaThread
	switch {
	case key.Matches(msg, k.Redact):
		return func() tea.Msg { return RedactToggle{} }, true
	case key.Matches(msg, k.ID):
		c, found := p.current()
		if !found {
			return nil, true
		}
		return p.request(CopyRequest{What: CopyID, Conv: c}), true
	case key.Matches(msg, k.Console):
		return p.consoleKey(), true // console.go
	case key.Matches(msg, k.Thread):
		return p.copyThread(CopyThread), true
	case key.Matches(msg, k.JSON):
		return p.copyThread(CopyThreadJSON), true
	case inThread && key.Matches(msg, k.Subtree):
		return p.copyThread(CopySubtree), true
	case inThread && key.Matches(msg, k.Message):
		c, found := p.current()
		it := p.thr.view.Selected()
		if !found || it == nil || !p.thr.loaded(c.ID) {
			return notify(p.cfg.ID, true, "No message selected to copy"), true
		}
		return p.request(CopyRequest{What: CopyMessage, Conv: c, Text: it.Text, Root: it.ID}), true
	}
	return nil, false
}

// copyThread copies the selected conversation's thread, loading it first when needed.
func (p *Pane) copyThread(what CopyWhat) tea.Cmd {
	c, ok := p.current()
	if !ok {
		return nil
	}
	if p.thr.loaded(c.ID) {
		return p.threadRequest(what, c)
	}
	p.cp.pending, p.cp.want, p.cp.conv = true, what, c.ID
	note := notify(p.cfg.ID, false, "Loading the thread to copy…")
	if p.thr.c.ID == c.ID && p.thr.state == threadLoading {
		return note
	}
	return tea.Batch(p.openThread(c), note)
}

// threadRequest is the request for what of c's loaded thread.
func (p *Pane) threadRequest(what CopyWhat, c client.Conversation) tea.Cmd {
	req := CopyRequest{What: what, Conv: c, Items: p.thr.view.Items()}
	if what == CopySubtree {
		it := p.thr.view.Selected()
		if it == nil {
			return notify(p.cfg.ID, true, "No message selected to copy")
		}
		req.Root = it.ID
	}
	send := p.request(req)
	if !p.needsRaw(c) {
		return send
	}
	read := p.rawRead(c) // a stored row: its raw record is read from the store, in the Cmd
	return func() tea.Msg {
		r := send().(CopyRequest)
		r.Conv = read()
		return r
	}
}

// request is a Cmd that hands req to the root.
func (p *Pane) request(req CopyRequest) tea.Cmd {
	req.Pane, req.Kind = p.cfg.ID, p.cfg.Kind
	if k, ok := p.cfg.Source.(interface{ KindOf(string) string }); ok && req.Kind == "" {
		req.Kind = k.KindOf(req.Conv.Source) // a merge (the All tab): the row's source's kind
	}
	return func() tea.Msg { return req }
}

// threadArrived runs a copy that waited for the thread of conversation id.
func (p *Pane) threadArrived(id string) tea.Cmd {
	if !p.cp.pending {
		return nil
	}
	p.cp.pending = false
	c, ok := p.current()
	if p.cp.conv != id || !ok || c.ID != id {
		return nil // the selection moved on while the thread loaded
	}
	what := p.cp.want
	if what == CopySubtree {
		what = CopyThread // the subtree was asked of a thread not shown: copy it whole
	}
	return p.threadRequest(what, c)
}

// threadFailed reports a copy that waited for a thread that failed to load.
func (p *Pane) threadFailed(id string, err error) tea.Cmd {
	if !p.cp.pending || p.cp.conv != id {
		return nil
	}
	p.cp.pending = false
	return notify(p.cfg.ID, true, "Copy failed: the thread did not load: "+err.Error())
}
