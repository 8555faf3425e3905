package pane

import (
	"context"
	"errors"
	"slices"

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
	done int                  // items[:done] have been matched
	run  request.Lifecycle    // the match run in flight

	// The index of items[:x.Len()], built off the UI loop once the quick filter is first
	// opened and then page by page; runs match the rows it does not cover yet directly.
	x     quickfilter.Index
	xRun  request.Lifecycle // the build in flight; stopped when items are replaced
	xWant bool              // the quick filter was opened: keep the index up to date
}

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
	// The Cmd reads items[:to] and the index's text, which appending pages never changes.
	items, x := p.ls.items[:len(p.ls.items):len(p.ls.items)], p.quick.x
	id, to := p.cfg.ID, len(p.ls.items)
	return func() tea.Msg {
		idx, err := quickfilter.FilterIndexed(ctx, x, items, m, from)
		return quickMsg{pane: id, gen: gen, from: from, to: to, idx: idx, err: err}
	}
}

// buildIndex starts indexing the loaded rows the quick filter's index does not cover yet.
func (p *Pane) buildIndex() tea.Cmd {
	from := p.quick.x.Len()
	if !p.quick.xWant || p.quick.xRun.Busy() || from >= len(p.ls.items) {
		return nil
	}
	ctx, gen := p.quick.xRun.Start(p.cfg.Context)
	items := p.ls.items[from:len(p.ls.items):len(p.ls.items)]
	id := p.cfg.ID
	return func() tea.Msg {
		x, err := quickfilter.NewIndex(ctx, items)
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
	switch ev {
	case filterbar.Changed, filterbar.Recalled:
		if p.quick.Err() != nil {
			return nil
		}
		return p.setQuick(p.quick.Value())
	case filterbar.Submit:
		if p.quick.Applied() == "" {
			p.clearQuick()
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
	p.quick.m = m
	p.quick.done = 0
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
	p.quick.m, p.quick.done = nil, 0
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
	p.clampList()
	if p.quick.done < len(p.ls.items) {
		cmds = append(cmds, p.runQuick(p.quick.done))
	}
	return tea.Batch(cmds...)
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
		return Commas(len(p.ls.items)) + " loaded"
	case p.quick.run.Busy() && p.quick.done == 0:
		return "matching…"
	}
	return Commas(len(p.ls.idx)) + " of " + Commas(len(p.ls.items)) + " loaded match"
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
	p.seen.learn(p.ls.items)
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
func (s *seenValues) learn(items []client.Conversation) {
	if s.vals == nil {
		s.vals = map[string][]string{}
	}
	for i := s.n; i < len(items); i++ {
		for _, a := range items[i].Attrs {
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
	s.n = len(items)
}
