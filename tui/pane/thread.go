package pane

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/pane/request"
	"github.com/confab-dev/confab/tui/threadview"
)

// threadState is the state of the thread shown for the selected conversation.
type threadState int

const (
	threadNone    threadState = iota // nothing selected yet
	threadPending                    // waiting for the selection to settle (preview)
	threadLoading                    // request in flight
	threadReady
	threadFailed
)

// threadBinding is the thread view's part of the pane: which conversation's thread it shows,
// the state of its request, and the view that renders it.
type threadBinding struct {
	view  *threadview.Model
	c     client.Conversation // the conversation the thread state is about (no ID: none; open.go: current)
	state threadState
	err   error
	req   request.Call // the thread request: generation, cancel, retry countdown
	focus string       // the interaction to select once the thread loads (open.go)
}

// loaded reports whether the thread of conversation id is loaded and shown.
func (t *threadBinding) loaded(id string) bool {
	return t.state == threadReady && t.c.ID == id
}

// threadMsg is the result of one thread request.
type threadMsg struct {
	pane   ID
	gen    uint64
	convID string
	items  []client.Interaction
	err    error
	// stored: the thread came from the local store; storeErr: the store failed to keep a
	// live one (local.go).
	stored   bool
	storeErr error
}

// previewMsg fires when the selection may have settled.
type previewMsg struct {
	pane ID
	gen  uint64
}

func (m threadMsg) PaneID() ID  { return m.pane }
func (m previewMsg) PaneID() ID { return m.pane }

// loadThread is the Cmd of one thread request; it uses only its arguments and calls end
// when the request ends.
func loadThread(ctx context.Context, end func(), src client.Source, c client.Conversation, id ID, gen uint64) tea.Cmd {
	return func() tea.Msg {
		defer end()
		items, err := src.Thread(ctx, c)
		return threadMsg{pane: id, gen: gen, convID: c.ID, items: items, err: err}
	}
}

func (p *Pane) handleThread(msg threadMsg) tea.Cmd {
	if !p.thr.req.Done(msg.gen) {
		return nil
	}
	if msg.err != nil {
		if p.closing(msg.err) {
			return nil
		}
		p.thr.state, p.thr.err = threadFailed, msg.err
		return p.threadFailed(msg.convID, msg.err)
	}
	p.thr.state, p.thr.err = threadReady, nil
	p.thr.view.SetItems(msg.items)
	p.sizeThread()
	p.selectFocus() // open.go
	cmd := p.threadArrived(msg.convID)
	if p.local() {
		cmd = tea.Batch(cmd, p.storeFailed(msg.storeErr))
		if c := p.thr.c; msg.stored && c.ID == msg.convID {
			cmd = tea.Batch(cmd, p.refreshThread(c))
		}
	}
	return cmd
}

func (p *Pane) handlePreview(msg previewMsg) tea.Cmd {
	if !p.thr.req.Current(msg.gen) || p.thr.state != threadPending {
		return nil
	}
	if c, ok := p.ls.selected(); ok && c.ID == p.thr.c.ID {
		return p.openThread(c)
	}
	return nil
}

// selectionChanged schedules the preview of the newly selected conversation (wide only) and
// invalidates the thread request of the previous one.
func (p *Pane) selectionChanged() tea.Cmd {
	c, ok := p.ls.selected()
	if !ok || p.area == areaThread { // the thread open stays (OpenAt may open another)
		return nil
	}
	if c.ID == p.thr.c.ID && p.thr.state != threadNone {
		return nil
	}
	p.resetThread(c)
	if !p.Wide() {
		p.thr.state = threadNone
		return nil
	}
	p.thr.state = threadPending
	id, gen := p.cfg.ID, p.thr.req.Gen()
	return p.cfg.Tick(p.cfg.PreviewDelay, func(time.Time) tea.Msg { return previewMsg{pane: id, gen: gen} })
}

// resetThread forgets the thread shown and cancels its request.
func (p *Pane) resetThread(c client.Conversation) {
	p.thr.req.Stop()
	p.loc.thread.Stop() // the live refresh of the previous thread (local.go)
	if c.ID != p.thr.c.ID {
		p.thr.focus = ""
	}
	p.closePager() // pager.go
	p.thr.c = c
	p.thr.view.SetNote(c.Attrs.Value("note"))
	p.thr.err = nil
	p.thr.view.Clear()
	p.sizeThread()
}

// openThread starts loading c's thread now.
func (p *Pane) openThread(c client.Conversation) tea.Cmd {
	p.resetThread(c)
	ctx, end, gen := p.thr.req.Start(p.cfg.Context)
	p.thr.state = threadLoading
	return tea.Batch(p.threadCmd(ctx, end, c, gen), p.listen(retryThread, gen), p.spin())
}

// cancelThread cancels the thread request in flight (Esc while it loads): the thread goes back
// to "not opened", so enter opens it again.
func (p *Pane) cancelThread() {
	if p.thr.state != threadLoading {
		return
	}
	p.thr.req.Stop() // its result, cancelled or not, is stale now
	p.thr.state = threadNone
	p.thr.c = client.Conversation{}
	p.cp.pending = false // a copy waiting for this thread is cancelled with it
}

func (p *Pane) handleThreadKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.cfg.Keys
	switch {
	case key.Matches(msg, k.Back):
		p.area = areaList
		p.cancelThread()
	case key.Matches(msg, k.Up):
		p.thr.view.Move(-1)
	case key.Matches(msg, k.Down):
		p.thr.view.Move(1)
	case key.Matches(msg, k.PageUp):
		p.thr.view.Move(-p.thr.view.Page())
	case key.Matches(msg, k.PageDown):
		p.thr.view.Move(p.thr.view.Page())
	case key.Matches(msg, k.Home):
		p.thr.view.Home()
	case key.Matches(msg, k.End):
		p.thr.view.End()
	case key.Matches(msg, k.Toggle):
		p.thr.view.Toggle()
	case key.Matches(msg, k.Collapse):
		p.thr.view.Collapse()
	case key.Matches(msg, k.Expand):
		p.thr.view.Expand()
	case key.Matches(msg, k.Retry):
		if c, ok := p.current(); ok && p.thr.state != threadLoading {
			return p.openThread(c)
		}
	}
	return nil
}

// sizeThread gives the thread view the space under its title.
func (p *Pane) sizeThread() {
	tw, _ := p.threadBox()
	p.thr.view.SetSize(tw, max(0, p.h-1))
	p.pg.view.SetSize(tw, p.h) // the pager has the title line too (pager.go)
}

// threadBox is the width and left edge of the thread column.
func (p *Pane) threadBox() (w, x int) {
	if p.Wide() {
		return max(0, p.w-p.listW-1), p.listW + 1
	}
	return p.w, 0
}

// viewThread renders the thread column in w×h: a title line and the thread body.
func (p *Pane) viewThread(w int, focused bool) string {
	if p.Paging() {
		return p.pg.view.View() // pager.go
	}
	s := p.cfg.Styles
	title := "Thread"
	if p.thr.c.ID != "" {
		title = threadHeader(p.thr.c, p.cfg.Name, p.cfg.Location, w-1) // header.go
	}
	head := p.titleLine(title, w, focused) // view.go: the focus mark
	bh := max(0, p.h-1)
	var body string
	switch p.thr.state {
	case threadNone:
		body = p.message(w, bh, styledLine{"Select a conversation and press enter to open its thread.", s.Muted.Render})
	case threadPending, threadLoading:
		text, r := p.spinnerGlyph()+" Loading thread…", p.thr.req.Retry.Text(p.cfg.Now())
		if m := &p.loadingMemo; m.ok && m.w == w && m.h == bh && m.text == text && m.retry == r {
			body = m.out // every key while j is held shows it: drawn once
			break
		}
		lines := []styledLine{{text, s.Muted.Render}}
		if r != "" {
			lines = append(lines, styledLine{"", s.Muted.Render}, styledLine{r, s.Hint.Render})
		}
		body = p.message(w, bh, lines...)
		p.loadingMemo = loadingMemo{ok: true, w: w, h: bh, text: text, retry: r, out: body}
	case threadFailed:
		body = p.message(w, bh, p.errorLines("Could not load the thread", p.thr.err)...)
	default:
		if p.thr.view.Len() == 0 {
			body = p.message(w, bh, styledLine{"This conversation has no interactions.", s.Muted.Render})
		} else {
			body = p.thr.view.View(focused && p.focused)
		}
	}
	if bh == 0 {
		return head
	}
	return head + "\n" + body
}

// loadingMemo keeps the thread column's "Loading thread…" body between frames: holding j
// shows it in every frame. SetStyles empties it.
type loadingMemo struct {
	ok          bool
	w, h        int
	text, retry string
	out         string
}
