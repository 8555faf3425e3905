package pane

import (
	"context"

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
	// refresh: the thread shown came from the cache (preview.go) and is refreshed live once
	// the selection settles.
	refresh bool
	dim     dimMemo    // the last preview, dimmed, while the next loads (preview.go)
	shown   shownBody  // the thread's body as the last frame showed it (preview.go)
	hdr     headerMemo // the last thread header made (header.go)
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

func (m threadMsg) PaneID() ID { return m.pane }

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
	p.thr.state, p.thr.err, p.thr.refresh = threadReady, nil, false
	p.thr.view.SetItems(msg.items)
	p.sizeThread()
	p.selectFocus() // open.go
	cmd := p.threadArrived(msg.convID)
	c := p.thr.c
	if c.ID == msg.convID {
		p.remember(c, msg.items, msg.stored) // preview.go
	}
	if p.local() {
		cmd = tea.Batch(cmd, p.storeFailed(msg.storeErr))
		if msg.stored && c.ID == msg.convID {
			cmd = tea.Batch(cmd, p.refreshThread(c))
		}
	}
	if p.pf.settled {
		cmd = tea.Batch(cmd, p.prefetchThreads()) // preview.go
	}
	return cmd
}

// selectionChanged shows the newly selected conversation's thread at once when it is cached
// or stored, else schedules its preview (wide only), and invalidates the thread request of
// the previous one. The pane's one preview timer is re-armed (preview.go).
func (p *Pane) selectionChanged() tea.Cmd {
	c, ok := p.ls.selected()
	if !ok || p.area == areaThread { // the thread open stays (OpenAt may open another)
		return nil
	}
	if c.ID == p.thr.c.ID && p.thr.state != threadNone {
		return nil
	}
	if !p.Wide() {
		p.resetThread(c)
		p.thr.state, p.thr.dim = threadNone, dimMemo{}
		return nil
	}
	t, now := p.threadNow(c) // preview.go
	if !now {
		p.keepDim()
	}
	p.resetThread(c)
	p.thr.state = threadPending
	var cmd tea.Cmd
	if now {
		cmd = p.showCached(c, t)
	}
	if timer := p.armPreview(); timer != nil {
		cmd = tea.Batch(cmd, timer)
	}
	return cmd
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
	p.thr.err, p.thr.refresh = nil, false
	p.thr.view.Clear()
	p.sizeThread()
}

// openThread starts loading c's thread now.
func (p *Pane) openThread(c client.Conversation) tea.Cmd {
	p.keepDim() // preview.go
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
	bh := max(0, p.h-1)
	loading := p.thr.state == threadPending || p.thr.state == threadLoading
	dim := loading && p.thr.dim.ok && p.thr.dim.w == w && p.thr.dim.h == bh
	title := "Thread"
	if p.thr.c.ID != "" {
		if dim {
			title = loadingMark + p.thr.hdr.threadHeader(p.thr.c, p.cfg.Name, p.cfg.Location, w-1-len([]rune(loadingMark))) // header.go
		} else {
			title = p.thr.hdr.threadHeader(p.thr.c, p.cfg.Name, p.cfg.Location, w-1)
		}
	}
	head := p.titleLine(title, w, focused) // view.go: the focus mark
	var body string
	switch {
	case dim:
		body = p.thr.dim.body(p.cfg.Styles) // the last preview, dimmed, while this one loads (preview.go)
	case p.thr.state == threadNone:
		body = p.message(w, bh, styledLine{"Select a conversation and press enter to open its thread.", s.Muted.Render})
	case loading:
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
	case p.thr.state == threadFailed:
		body = p.message(w, bh, p.errorLines("Could not load the thread", p.thr.err)...)
	default:
		if p.thr.view.Len() == 0 {
			body = p.message(w, bh, styledLine{"This conversation has no interactions.", s.Muted.Render})
		} else {
			var t *cachedThread
			body, t = p.threadBody(focused && p.focused) // preview.go
			p.keepShown(w, bh, body)                     // keepDim's source (preview.go)
			if t != nil && bh > 0 {
				return t.column(head) // the column kept with its body
			}
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
