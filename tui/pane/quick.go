package pane

import (
	"context"
	"errors"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/filterterm"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/filterbar"
	"github.com/confab-dev/confab/tui/pane/request"
	"github.com/confab-dev/confab/tui/quickfilter"
)

// quickBinding is the quick filter's part of the pane: its bar, its matcher and the runs that
// narrow the list's rows (list.idx) to the matches off the UI loop (quick.go).
type quickBinding struct {
	*filterbar.Model
	m    *quickfilter.Matcher // nil: inactive
	text string               // the text m was parsed from
	done int                  // items[:done] have been matched
	run  request.Lifecycle    // the match run in flight

	// The index of items[:x.Len()], built off the UI loop once the quick filter is first
	// opened and then page by page; runs match the rows it does not cover yet directly.
	x     quickfilter.Index
	xRun  request.Lifecycle // the build in flight; stopped when items are replaced
	xWant bool              // the quick filter was opened: keep the index up to date

	// pending: an edit waits for the pause in typing (quickDelay) before it is matched; the
	// tick carries the bar's tag of that edit.
	pending bool
	stopped bool // typing stopped a run: the rows shown may be short of its matches
	// late are rows whose summary arrived while a run was in flight: its snapshot of the
	// summaries missed them, so they are matched again when it ends.
	late []int
}

// quickDelay is the pause in typing after which the quick filter matches what was typed: a
// burst of keys runs one scan, not one per key.
const quickDelay = 30 * time.Millisecond

// quickTickMsg ends a pause in typing in the quick filter.
type quickTickMsg struct {
	pane ID
	tag  uint64
}

func (m quickTickMsg) PaneID() ID { return m.pane }

// quickMsg is the result of one quick-filter run over items[from:to].
type quickMsg struct {
	pane     ID
	gen      uint64
	from, to int
	idx      []int
	err      error
}

// indexMsg carries the quick filter's index of items[from:from+x.Len()].
type indexMsg struct {
	pane ID
	gen  uint64
	from int
	x    quickfilter.Index
	err  error
}

func (m quickMsg) PaneID() ID { return m.pane }
func (m indexMsg) PaneID() ID { return m.pane }

// runQuick starts matching items[from:] with the current quick filter.
func (p *Pane) runQuick(from int) tea.Cmd {
	m := p.quick.m
	if m == nil {
		return nil
	}
	// A run from a later row starts only when none is in flight (itemsChanged, handleQuick),
	// so a new generation supersedes nothing but a run from row 0.
	ctx, gen := p.quick.run.Start(p.cfg.Context)
	// The Cmd reads items[:to] and the index's text, which appending pages never changes, and
	// its own copy of the summaries fetched for rows (summary.go writes those on this loop).
	items, x := p.ls.items.View(), p.quick.x
	id, to := p.cfg.ID, p.ls.items.Len()
	patches := p.sum.patches(items, from)
	return func() tea.Msg {
		idx, err := quickfilter.FilterPatchedRows(ctx, x, items, m, from, patches)
		return quickMsg{pane: id, gen: gen, from: from, to: to, idx: idx, err: err}
	}
}

// buildIndex starts indexing the loaded rows the quick filter's index does not cover yet.
func (p *Pane) buildIndex() tea.Cmd {
	from := p.quick.x.Len()
	if !p.quick.xWant || p.quick.xRun.Busy() || from >= p.ls.items.Len() {
		return nil
	}
	ctx, gen := p.quick.xRun.Start(p.cfg.Context)
	items := p.ls.items.View().Slice(from, p.ls.items.Len())
	id := p.cfg.ID
	return func() tea.Msg {
		x, err := quickfilter.NewIndexRows(ctx, items)
		return indexMsg{pane: id, gen: gen, from: from, x: x, err: err}
	}
}

// handleIndex adds a built part to the quick filter's index and indexes rows loaded since.
func (p *Pane) handleIndex(msg indexMsg) tea.Cmd {
	if !p.quick.xRun.Done(msg.gen) {
		return nil
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return nil
		}
		return notify(p.cfg.ID, true, "Quick filter failed: "+msg.err.Error())
	}
	if msg.from == p.quick.x.Len() {
		p.quick.x = p.quick.x.Append(msg.x)
	}
	return p.buildIndex()
}

// dropIndex forgets the quick filter's index (the rows were replaced) and cancels its build.
func (p *Pane) dropIndex() {
	p.quick.xRun.Stop()
	p.quick.x = quickfilter.Index{}
}

// quickKey handles a key while the quick filter is being edited.
func (p *Pane) quickKey(msg tea.KeyPressMsg) tea.Cmd {
	ev := p.quick.Update(msg)
	defer p.relayoutHead()
	if ev != filterbar.None {
		p.quick.pending = false // this event decides what is matched
	}
	switch ev {
	case filterbar.Changed:
		if p.quick.Err() != nil {
			return nil
		}
		// Typing: the scan in flight is for text already stale; the next one starts after
		// the pause.
		if p.quick.run.Busy() {
			p.quick.run.Stop()
			p.quick.stopped = true
		}
		p.quick.pending = true
		id, tag := p.cfg.ID, p.quick.Tag()
		return p.cfg.Tick(quickDelay, func(time.Time) tea.Msg { return quickTickMsg{pane: id, tag: tag} })
	case filterbar.Recalled:
		if p.quick.Err() != nil {
			return nil
		}
		return p.setQuick(p.quick.Value())
	case filterbar.Submit:
		if p.quick.Applied() == "" {
			p.clearQuick()
			return nil
		}
		if !p.quickCurrent() || p.quick.stopped { // Enter before the pause: match now
			return p.setQuick(p.quick.Applied())
		}
	case filterbar.Cancel:
		// Back to the quick filter of before editing (none: off). Matching is local.
		if prev := p.quick.Applied(); prev != "" {
			return p.setQuick(prev)
		}
		p.clearQuick()
	}
	return nil
}

// handleQuickTick matches the quick filter's text once typing pauses, unless a later key
// (a newer tag), Enter or Esc came first.
func (p *Pane) handleQuickTick(msg quickTickMsg) tea.Cmd {
	if !p.quick.pending || msg.tag != p.quick.Tag() || !p.quick.Editing() {
		return nil
	}
	p.quick.pending = false
	if p.quick.Err() != nil {
		return nil
	}
	return p.setQuick(p.quick.Value())
}

// quickCurrent reports whether the rows shown are (or are being) matched with the text in
// the bar.
func (p *Pane) quickCurrent() bool { return p.quick.text == p.quick.Applied() }

// setQuick narrows the list to the rows matching text, in a Cmd.
func (p *Pane) setQuick(text string) tea.Cmd {
	m, err := quickfilter.Parse(text)
	if err != nil {
		return nil // the bar shows it
	}
	if m.Empty() {
		p.dropQuick()
		return nil
	}
	p.quick.m, p.quick.text = m, text
	p.quick.done, p.quick.stopped = 0, false
	p.quick.late = nil
	p.quick.xWant = true
	return tea.Batch(p.runQuick(0), p.buildIndex())
}

// clearQuick turns the quick filter off.
func (p *Pane) clearQuick() {
	p.quick.SetApplied("")
	p.dropQuick()
	p.relayoutHead()
}

// dropQuick forgets the quick filter's results and cancels its run.
func (p *Pane) dropQuick() {
	p.quick.run.Stop()
	p.quick.m, p.quick.text, p.quick.done, p.quick.late, p.quick.stopped = nil, "", 0, nil, false
	if p.ls.idx != nil {
		// Keep the selected conversation selected in the whole list.
		if p.ls.cursor >= 0 && p.ls.cursor < len(p.ls.idx) {
			p.ls.cursor = p.ls.idx[p.ls.cursor]
		}
		p.ls.idx = nil
		p.clampList()
	}
}

func (p *Pane) handleQuick(msg quickMsg) tea.Cmd {
	if !p.quick.run.Current(msg.gen) || p.quick.m == nil {
		return nil
	}
	p.quick.run.Done(msg.gen)
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return nil
		}
		return notify(p.cfg.ID, true, "Quick filter failed: "+msg.err.Error())
	}
	var cmds []tea.Cmd
	switch {
	case msg.from == 0:
		p.ls.idx = msg.idx
		if p.ls.idx == nil {
			p.ls.idx = []int{}
		}
		p.ls.cursor, p.ls.offset = 0, 0
		cmds = append(cmds, p.selectionChanged())
	case msg.from == p.quick.done:
		p.ls.idx = append(p.ls.idx, msg.idx...)
	default:
		return nil
	}
	p.quick.done = msg.to
	for _, r := range p.quick.late {
		p.rematch(r)
	}
	p.quick.late = nil
	p.clampList()
	if p.quick.done < p.ls.items.Len() {
		cmds = append(cmds, p.runQuick(p.quick.done))
	}
	return tea.Batch(cmds...)
}

// summaryArrived matches row r again now that its summary was fetched: it joins the rows
// shown, or leaves them, as its summary says. A run in flight took its snapshot of the
// summaries before: the row is matched again when it ends, too.
func (p *Pane) summaryArrived(r int) {
	if p.quick.m == nil {
		return
	}
	if p.quick.run.Busy() {
		p.quick.late = append(p.quick.late, r)
	}
	p.rematch(r)
	p.clampList()
}

// rematch brings row r's place in the quick filter's rows in line with its summary, keeping
// the cursor on its row. A row not matched yet is left to the run that will.
func (p *Pane) rematch(r int) {
	if p.quick.m == nil || r < 0 || r >= p.quick.done || r >= p.ls.items.Len() || p.ls.idx == nil {
		return
	}
	cv := p.ls.items.Conv(r)
	c := &cv
	is := p.quick.m.MatchPatched(c, p.sum.summary(c))
	at, was := slices.BinarySearch(p.ls.idx, r)
	switch {
	case is && !was:
		p.ls.idx = slices.Insert(p.ls.idx, at, r)
		if at <= p.ls.cursor && len(p.ls.idx) > 1 {
			p.ls.cursor++
		}
	case !is && was:
		p.ls.idx = slices.Delete(p.ls.idx, at, at+1)
		if at < p.ls.cursor {
			p.ls.cursor--
		}
	}
}

// itemsChanged follows a page: the quick filter matches the new rows (all of them after a
// refresh) and completion learns their attribute values.
func (p *Pane) itemsChanged(replaced bool) tea.Cmd {
	if p.bar.Model == nil {
		return nil
	}
	if replaced {
		p.seen.n = 0
		p.dropIndex()
	}
	p.learnValues()
	build := p.buildIndex()
	if p.quick.m == nil {
		return build
	}
	if replaced {
		p.ls.idx = []int{}
		p.quick.done = 0
		p.ls.cursor, p.ls.offset = 0, 0
		return tea.Batch(p.runQuick(0), build)
	}
	if p.quick.run.Busy() {
		return build // the run in flight continues with the new rows when it ends
	}
	return tea.Batch(p.runQuick(p.quick.done), build)
}

// quickCountW is the widest quick count: "1,000,000 of 1,000,000 loaded match".
const quickCountW = 35

// quickCount is the quick filter's right-hand text: how many loaded rows match.
func (p *Pane) quickCount() string {
	switch {
	case p.quick.m == nil:
		return Commas(p.ls.items.Len()) + " loaded"
	case p.quick.run.Busy() && p.quick.done == 0:
		return "matching…"
	}
	return Commas(len(p.ls.idx)) + " of " + Commas(p.ls.items.Len()) + " loaded match"
}

// quickSpec is the quick filter's language as a client.FilterSpec, so the bar validates and
// completes it like a vendor's.
type quickSpec struct{}

func (quickSpec) Fields() []client.Field {
	return []client.Field{{Name: "user", Type: "string", Doc: "the user id"},
		{Name: "summary", Type: "string", Doc: "the summary"}, {Name: "id", Type: "string", Doc: "the conversation id"}}
}
func (quickSpec) Operators() []string { return []string{"re:"} }
func (quickSpec) Examples() []string  { return []string{"vpn !hr domain:it", "re:^reset"} }

// Complete completes the quick filter's terms (client/filterterm, plain words).
func (s quickSpec) Complete(text string, cursor int) client.Completion {
	return filterterm.Complete(s.Fields(), s.Operators(), text, cursor, filterterm.Options{Plain: true})
}

func (quickSpec) Validate(text string) error {
	_, err := quickfilter.Parse(text)
	var qe *quickfilter.Error
	if errors.As(err, &qe) {
		return &client.FilterError{Msg: qe.Msg, Pos: qe.Pos}
	}
	return err
}

// seenCap bounds the values remembered per attribute key, and the keys, for completion.
const seenCap = 64

// learnValues remembers the attribute values of rows loaded since the last call, for the
// completion of both bars.
func (p *Pane) learnValues() {
	p.seen.learn(p.ls.items.View())
	p.bar.SetSeen(p.seen.vals)
	p.quick.SetSeen(p.seen.vals)
}

// seenValues are the attribute values seen in the loaded rows, per key, for completion.
type seenValues struct {
	vals map[string][]string
	n    int // rows of items scanned
}

// learn scans the rows of items it has not seen yet. It keeps at most seenCap keys and
// seenCap values per key, and only short one-line values.
func (s *seenValues) learn(items quickfilter.Rows) {
	if s.vals == nil {
		s.vals = map[string][]string{}
	}
	var buf client.Conversation
	for i := s.n; i < items.Len(); i++ {
		for _, a := range items.At(i, &buf).Attrs {
			vals, ok := s.vals[a.Key]
			if !ok && len(s.vals) >= seenCap {
				continue
			}
			if len(vals) >= seenCap || a.Value == "" || len(a.Value) > 64 || sanitize.Line(a.Value) != a.Value {
				continue
			}
			if !slices.Contains(vals, a.Value) {
				s.vals[a.Key] = append(vals, a.Value)
			}
		}
	}
	s.n = items.Len()
}
