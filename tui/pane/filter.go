package pane

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/history"
	"github.com/confab-dev/confab/tui/filterbar"
	"github.com/confab-dev/confab/tui/pane/request"
	"github.com/confab-dev/confab/tui/quickfilter"
)

// View is a saved filter of a source (a [[view]] of the config file).
type View struct {
	Name   string
	Source string // the source's configured name
	Filter string
	Order  string // "newest" (or "") or "oldest"
}

// FilterKeys are the bindings of the filter bar, the quick filter, the sort order and the
// saved views; tui/keys.go builds them.
type FilterKeys struct {
	Edit, Quick, Order, Views, SaveView key.Binding
	Bar                                 filterbar.Keys
}

// Orderer is implemented by sources that can list newest or oldest first (Query.Order);
// the pane enables the order key only for them.
type Orderer interface {
	Orders() bool
}

// defaultDebounce is the pause after the last keystroke before a valid filter is applied.
const defaultDebounce = 300 * time.Millisecond

// seenCap bounds the values remembered per attribute key, and the keys, for completion.
const seenCap = 64

// filterState is everything the pane keeps for filtering.
type filterState struct {
	bar    *filterbar.Model
	quick  *filterbar.Model
	name   *filterbar.Model // the "save view as" prompt
	fullH  int              // the pane's height including the filter lines
	orders bool

	editStart string // the applied filter when editing started (history is written on leaving)
	serverErr string // the vendor's rejection of the applied filter

	views   []View
	picking bool
	pickSel int

	seen  map[string][]string
	seenN int // rows of items scanned for seen values

	// The quick filter: idx are the indexes of items that match (nil: inactive).
	qm    *quickfilter.Matcher
	idx   []int
	qDone int               // items[:qDone] have been matched
	qRun  request.Lifecycle // the match run in flight

	// The quick filter's index of items[:qx.Len()], built off the UI loop once the quick filter
	// is first opened and then page by page; runs match the rows it does not cover yet directly.
	qx     quickfilter.Index
	qxRun  request.Lifecycle // the build in flight; stopped when items are replaced
	qxWant bool              // the quick filter was opened: keep the index up to date
}

// initFilter builds the filter state from the config.
func (p *Pane) initFilter() {
	st := p.cfg.Styles.Filter
	var spec client.FilterSpec
	if p.cfg.Source != nil {
		spec = p.cfg.Source.FilterSpec()
		if o, ok := p.cfg.Source.(Orderer); ok {
			p.fl.orders = o.Orders()
		}
	}
	p.fl.bar = filterbar.New("filter", spec, p.cfg.FilterKeys.Bar, st)
	p.fl.bar.SetApplied(p.cfg.Query.Filter)
	p.fl.quick = filterbar.New("quick", quickSpec{}, p.cfg.FilterKeys.Bar, st)
	p.fl.name = filterbar.New("save as", nameSpec{}, p.cfg.FilterKeys.Bar, st)
	p.fl.seen = map[string][]string{}
	for _, v := range p.cfg.Views {
		if p.cfg.Source != nil && v.Source == p.cfg.Source.Name() {
			p.fl.views = append(p.fl.views, v)
		}
	}
}

// --- messages -------------------------------------------------------------------------------

// debounceMsg fires after a pause in typing; it applies the filter if tag is still current.
type debounceMsg struct {
	pane ID
	tag  uint64
}

// historyMsg carries the history file's contents.
type historyMsg struct {
	pane    ID
	entries []string
	err     error
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

// viewSavedMsg says whether a view was written to the config file.
type viewSavedMsg struct {
	pane ID
	view View
	err  error
}

func (m debounceMsg) PaneID() ID  { return m.pane }
func (m historyMsg) PaneID() ID   { return m.pane }
func (m quickMsg) PaneID() ID     { return m.pane }
func (m indexMsg) PaneID() ID     { return m.pane }
func (m viewSavedMsg) PaneID() ID { return m.pane }

// handleFilterMsg handles the filter's async results; ok is false for other messages.
func (p *Pane) handleFilterMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case debounceMsg:
		return p.handleDebounce(msg), true
	case historyMsg:
		if msg.err != nil {
			return notify(p.cfg.ID, true, "Could not read the filter history ("+msg.err.Error()+"); filters you apply are remembered for this session"), true
		}
		p.fl.bar.SetHistory(msg.entries)
		return nil, true
	case quickMsg:
		return p.handleQuick(msg), true
	case indexMsg:
		return p.handleIndex(msg), true
	case viewSavedMsg:
		if msg.err != nil {
			return notify(p.cfg.ID, true, msg.err.Error()), true
		}
		p.fl.views = append(p.fl.views, msg.view)
		return notify(p.cfg.ID, false, "Saved view "+msg.view.Name+" in "+p.cfg.ConfigPath), true
	}
	return nil, false
}

// --- commands -------------------------------------------------------------------------------

// loadHistory is the Cmd that reads the history file.
func (p *Pane) loadHistory() tea.Cmd {
	if p.cfg.HistoryDir == "" || p.cfg.Source == nil {
		return nil
	}
	ctx, id, path := p.cfg.Context, p.cfg.ID, history.Path(p.cfg.HistoryDir, p.sourceName())
	return func() tea.Msg {
		entries, err := history.Load(ctx, path)
		return historyMsg{pane: id, entries: entries, err: err}
	}
}

// saveHistory appends text to the history, in memory now and on disk in a Cmd.
func (p *Pane) saveHistory(text string) tea.Cmd {
	if text == "" {
		return nil
	}
	p.fl.bar.SetHistory(history.Add(p.fl.bar.History(), text, history.DefaultMax))
	if p.cfg.HistoryDir == "" {
		return nil
	}
	ctx, id, path := p.cfg.Context, p.cfg.ID, history.Path(p.cfg.HistoryDir, p.sourceName())
	return func() tea.Msg {
		if _, err := history.Append(ctx, path, text, history.DefaultMax); err != nil {
			return Notice{Pane: id, Err: true, Text: "Could not save the filter in the history: " + err.Error()}
		}
		return nil
	}
}

// saveView is the Cmd that appends v to the config file.
func (p *Pane) saveView(v View) tea.Cmd {
	ctx, id, path := p.cfg.Context, p.cfg.ID, p.cfg.ConfigPath
	return func() tea.Msg {
		err := config.AppendView(ctx, path, config.View{Name: v.Name, Source: v.Source, Filter: v.Filter, Order: v.Order})
		return viewSavedMsg{pane: id, view: v, err: err}
	}
}

// runQuick starts matching items[from:] with the current quick filter.
func (p *Pane) runQuick(from int) tea.Cmd {
	m := p.fl.qm
	if m == nil {
		return nil
	}
	// A run from a later row starts only when none is in flight (itemsChanged, handleQuick),
	// so a new generation supersedes nothing but a run from row 0.
	ctx, gen := p.fl.qRun.Start(p.cfg.Context)
	// The Cmd reads items[:to] and the index's text, which appending pages never changes.
	items, x := p.ls.items[:len(p.ls.items):len(p.ls.items)], p.fl.qx
	id, to := p.cfg.ID, len(p.ls.items)
	return func() tea.Msg {
		idx, err := quickfilter.FilterIndexed(ctx, x, items, m, from)
		return quickMsg{pane: id, gen: gen, from: from, to: to, idx: idx, err: err}
	}
}

// buildIndex starts indexing the loaded rows the quick filter's index does not cover yet.
func (p *Pane) buildIndex() tea.Cmd {
	f := &p.fl
	from := f.qx.Len()
	if !f.qxWant || f.qxRun.Busy() || from >= len(p.ls.items) {
		return nil
	}
	ctx, gen := f.qxRun.Start(p.cfg.Context)
	items := p.ls.items[from:len(p.ls.items):len(p.ls.items)]
	id := p.cfg.ID
	return func() tea.Msg {
		x, err := quickfilter.NewIndex(ctx, items)
		return indexMsg{pane: id, gen: gen, from: from, x: x, err: err}
	}
}

// handleIndex adds a built part to the quick filter's index and indexes rows loaded since.
func (p *Pane) handleIndex(msg indexMsg) tea.Cmd {
	f := &p.fl
	if !f.qxRun.Done(msg.gen) {
		return nil
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return nil
		}
		return notify(p.cfg.ID, true, "Quick filter failed: "+msg.err.Error())
	}
	if msg.from == f.qx.Len() {
		f.qx = f.qx.Append(msg.x)
	}
	return p.buildIndex()
}

// dropIndex forgets the quick filter's index (the rows were replaced) and cancels its build.
func (p *Pane) dropIndex() {
	f := &p.fl
	f.qxRun.Stop()
	f.qx = quickfilter.Index{}
}

// --- handlers -------------------------------------------------------------------------------

// Capturing reports whether the pane is taking text input (the filter bar, the quick filter,
// the view picker or the save prompt): the root then sends it every key but ctrl+c.
func (p *Pane) Capturing() bool {
	return p.fl.bar != nil && (p.fl.bar.Editing() || p.fl.quick.Editing() || p.fl.name.Editing() || p.fl.picking)
}

// Filter is the applied filter.
func (p *Pane) Filter() string { return p.cfg.Query.Filter }

// Order is the pane's sort order.
func (p *Pane) Order() client.Order { return p.cfg.Query.Order }

// CanOrder reports whether the source can change its sort order.
func (p *Pane) CanOrder() bool { return p.fl.orders }

// HasViews reports whether the source has saved views.
func (p *Pane) HasViews() bool { return len(p.fl.views) > 0 }

// handleFilterKey handles the filter keys; ok is false when the key is not one of them.
func (p *Pane) handleFilterKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if p.fl.bar == nil {
		return nil, false
	}
	f := &p.fl
	switch {
	case f.bar.Editing():
		return p.barKey(msg), true
	case f.quick.Editing():
		return p.quickKey(msg), true
	case f.name.Editing():
		return p.nameKey(msg), true
	case f.picking:
		return p.pickKey(msg), true
	}
	if p.area != areaList {
		return nil, false
	}
	k := p.cfg.FilterKeys
	switch {
	case key.Matches(msg, k.Edit):
		f.editStart = f.bar.Applied()
		f.bar.Edit()
		p.relayoutHead()
		return nil, true
	case key.Matches(msg, k.Quick):
		f.quick.Edit()
		p.relayoutHead()
		f.qxWant = true // index the rows while the user types
		return p.buildIndex(), true
	case key.Matches(msg, k.Order) && f.orders:
		if p.cfg.Query.Order == client.NewestFirst {
			p.cfg.Query.Order = client.OldestFirst
		} else {
			p.cfg.Query.Order = client.NewestFirst
		}
		return p.fetch(""), true
	case key.Matches(msg, k.Views):
		if len(f.views) == 0 {
			return notify(p.cfg.ID, false, "No saved views for "+p.sourceName()+": press S to save the current filter as one"), true
		}
		f.picking, f.pickSel = true, 0
		p.relayoutHead()
		return nil, true
	case key.Matches(msg, k.SaveView):
		if p.cfg.ConfigPath == "" {
			return notify(p.cfg.ID, true, "No config file to save views in (the demo has none)"), true
		}
		f.name.Edit()
		p.relayoutHead()
		return nil, true
	case key.Matches(msg, p.cfg.Keys.Back) && p.ls.idx != nil:
		p.clearQuick()
		return nil, true
	}
	return nil, false
}

// barKey handles a key while the filter bar is being edited.
func (p *Pane) barKey(msg tea.KeyPressMsg) tea.Cmd {
	f := &p.fl
	ev := f.bar.Update(msg)
	defer p.relayoutHead()
	switch ev {
	case filterbar.Changed:
		if f.bar.Err() != nil || f.bar.Value() == f.bar.Applied() {
			return nil
		}
		id, tag, delay := p.cfg.ID, f.bar.Tag(), p.cfg.FilterDelay
		if delay <= 0 {
			delay = defaultDebounce
		}
		return p.cfg.Tick(delay, func(time.Time) tea.Msg { return debounceMsg{pane: id, tag: tag} })
	case filterbar.Submit:
		var cmds []tea.Cmd
		if f.bar.Applied() != p.cfg.Query.Filter {
			cmds = append(cmds, p.applyFilter(f.bar.Applied()))
		}
		return tea.Batch(append(cmds, p.leaveEditing())...)
	case filterbar.Cancel:
		return p.leaveEditing()
	}
	return nil
}

// leaveEditing records the applied filter in the history if editing changed it.
func (p *Pane) leaveEditing() tea.Cmd {
	if a := p.fl.bar.Applied(); a != p.fl.editStart {
		return p.saveHistory(a)
	}
	return nil
}

// handleDebounce applies the edited filter if no key was typed since the tick was scheduled.
func (p *Pane) handleDebounce(msg debounceMsg) tea.Cmd {
	b := p.fl.bar
	if !b.Editing() || msg.tag != b.Tag() || b.Err() != nil || b.Value() == p.cfg.Query.Filter {
		return nil
	}
	b.SetApplied(b.Value())
	return p.applyFilter(b.Value())
}

// applyFilter makes text the pane's filter and reloads: the request in flight is cancelled and
// its results, should they still arrive, are dropped (fetch bumps the generation).
func (p *Pane) applyFilter(text string) tea.Cmd {
	p.cfg.Query.Filter = text
	p.fl.bar.SetApplied(text)
	p.resetBroad() // broad.go
	p.fl.serverErr = ""
	p.ls.err = nil
	p.relayoutHead()
	return p.fetch("")
}

// pageFailed shows a filter the vendor rejected in the bar (the loaded rows stay).
func (p *Pane) pageFailed(err error) {
	if errors.Is(err, client.ErrBadFilter) && p.cfg.Query.Filter != "" {
		p.fl.serverErr = err.Error()
		p.relayoutHead()
	}
}

// quickKey handles a key while the quick filter is being edited.
func (p *Pane) quickKey(msg tea.KeyPressMsg) tea.Cmd {
	f := &p.fl
	ev := f.quick.Update(msg)
	defer p.relayoutHead()
	switch ev {
	case filterbar.Changed:
		if f.quick.Err() != nil {
			return nil
		}
		return p.setQuick(f.quick.Value())
	case filterbar.Submit:
		if f.quick.Applied() == "" {
			p.clearQuick()
		}
	case filterbar.Cancel:
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
	p.fl.qm = m
	p.fl.qDone = 0
	p.fl.qxWant = true
	return tea.Batch(p.runQuick(0), p.buildIndex())
}

// clearQuick turns the quick filter off.
func (p *Pane) clearQuick() {
	p.fl.quick.SetApplied("")
	p.dropQuick()
	p.relayoutHead()
}

// dropQuick forgets the quick filter's results and cancels its run.
func (p *Pane) dropQuick() {
	f := &p.fl
	f.qRun.Stop()
	f.qm, f.qDone = nil, 0
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
	f := &p.fl
	if !f.qRun.Current(msg.gen) || f.qm == nil {
		return nil
	}
	f.qRun.Done(msg.gen)
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
	case msg.from == f.qDone:
		p.ls.idx = append(p.ls.idx, msg.idx...)
	default:
		return nil
	}
	f.qDone = msg.to
	p.clampList()
	if f.qDone < len(p.ls.items) {
		cmds = append(cmds, p.runQuick(f.qDone))
	}
	return tea.Batch(cmds...)
}

// itemsChanged follows a page: the quick filter matches the new rows (all of them after a
// refresh) and completion learns their attribute values.
func (p *Pane) itemsChanged(replaced bool) tea.Cmd {
	f := &p.fl
	if f.bar == nil {
		return nil
	}
	if replaced {
		f.seenN = 0
		p.dropIndex()
	}
	p.learnValues()
	build := p.buildIndex()
	if f.qm == nil {
		return build
	}
	if replaced {
		p.ls.idx = []int{}
		f.qDone = 0
		p.ls.cursor, p.ls.offset = 0, 0
		return tea.Batch(p.runQuick(0), build)
	}
	if f.qRun.Busy() {
		return build // the run in flight continues with the new rows when it ends
	}
	return tea.Batch(p.runQuick(f.qDone), build)
}

// learnValues remembers the attribute values of rows loaded since the last call.
func (p *Pane) learnValues() {
	f := &p.fl
	for i := f.seenN; i < len(p.ls.items); i++ {
		for _, a := range p.ls.items[i].Attrs {
			vals, ok := f.seen[a.Key]
			if !ok && len(f.seen) >= seenCap {
				continue
			}
			if len(vals) >= seenCap || a.Value == "" || len(a.Value) > 64 || sanitize.Line(a.Value) != a.Value {
				continue
			}
			if !containsString(vals, a.Value) {
				f.seen[a.Key] = append(vals, a.Value)
			}
		}
	}
	f.seenN = len(p.ls.items)
	f.bar.SetSeen(f.seen)
	f.quick.SetSeen(f.seen)
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// nameKey handles a key in the "save view as" prompt.
func (p *Pane) nameKey(msg tea.KeyPressMsg) tea.Cmd {
	f := &p.fl
	ev := f.name.Update(msg)
	defer p.relayoutHead()
	if ev != filterbar.Submit {
		return nil
	}
	name := f.name.Applied()
	f.name.SetApplied("")
	if name == "" {
		return nil
	}
	order := "newest"
	if p.cfg.Query.Order == client.OldestFirst {
		order = "oldest"
	}
	return p.saveView(View{Name: name, Source: p.sourceName(), Filter: p.cfg.Query.Filter, Order: order})
}

// pickKey handles a key in the view picker.
func (p *Pane) pickKey(msg tea.KeyPressMsg) tea.Cmd {
	f := &p.fl
	k := p.cfg.Keys
	defer p.relayoutHead()
	switch {
	case key.Matches(msg, k.Up):
		f.pickSel = (f.pickSel - 1 + len(f.views)) % len(f.views)
	case key.Matches(msg, k.Down):
		f.pickSel = (f.pickSel + 1) % len(f.views)
	case key.Matches(msg, k.Back), key.Matches(msg, p.cfg.FilterKeys.Views):
		f.picking = false
	case key.Matches(msg, k.Open):
		f.picking = false
		v := f.views[f.pickSel]
		if v.Order == "oldest" && f.orders {
			p.cfg.Query.Order = client.OldestFirst
		} else if f.orders {
			p.cfg.Query.Order = client.NewestFirst
		}
		return tea.Batch(p.applyFilter(v.Filter), p.saveHistory(v.Filter),
			notify(p.cfg.ID, false, "View "+v.Name))
	}
	return nil
}

// --- layout and view ------------------------------------------------------------------------

// headLines is the number of lines above the list: the filter bar and what it opened.
func (p *Pane) headLines() int {
	f := &p.fl
	if p.cfg.Err != nil || f.bar == nil {
		return 0
	}
	n := f.bar.Height()
	if f.serverErr != "" && !f.bar.Editing() {
		n++
	}
	if f.quick.Editing() || f.quick.Applied() != "" {
		n += f.quick.Height()
	}
	if f.name.Editing() {
		n += f.name.Height()
	}
	if f.picking {
		n += min(len(f.views), pickRows)
	}
	// Never take the whole pane: the list keeps at least 3 lines.
	return max(0, min(n, f.fullH-3))
}

const pickRows = 8

// sizeHead sets the pane's full height and the filter lines' width.
func (p *Pane) sizeHead(w, h int) {
	p.fl.fullH = h
	if p.fl.bar != nil {
		p.fl.bar.SetWidth(w)
		p.fl.quick.SetWidth(w)
		p.fl.name.SetWidth(w)
	}
}

// relayoutHead gives the list what the filter lines leave.
func (p *Pane) relayoutHead() {
	p.h = max(0, p.fl.fullH-p.headLines())
	p.clampList()
	p.sizeThread()
}

// View renders the pane in exactly its height: the filter lines, then the list and thread.
func (p *Pane) View() string {
	head := p.viewHead()
	body := p.viewBody()
	switch {
	case head == "":
		return body
	case body == "":
		return head
	}
	return head + "\n" + body
}

// viewHead renders the filter lines (headLines of them, p.w wide).
func (p *Pane) viewHead() string {
	n := p.headLines()
	if n == 0 || p.w <= 0 {
		return ""
	}
	f := &p.fl
	s := p.cfg.Styles
	right := p.cfg.Query.Order.String()
	if f.orders && !f.bar.Editing() {
		right += " (o)"
	}
	lines := strings.Split(f.bar.View(right), "\n")
	if f.serverErr != "" && !f.bar.Editing() {
		lines = append(lines, s.Error.Render(sanitize.Pad("        ⚠ "+sanitize.Line(f.serverErr), p.w)))
	}
	if f.quick.Editing() || f.quick.Applied() != "" {
		lines = append(lines, strings.Split(f.quick.View(p.quickCount()), "\n")...)
	}
	if f.name.Editing() {
		lines = append(lines, strings.Split(f.name.View("enter save · esc cancel"), "\n")...)
	}
	if f.picking {
		lines = append(lines, p.pickLines()...)
	}
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// quickCount is the quick filter's right-hand text: how many loaded rows match.
func (p *Pane) quickCount() string {
	f := &p.fl
	switch {
	case f.qm == nil:
		return Commas(len(p.ls.items)) + " loaded"
	case f.qRun.Busy() && f.qDone == 0:
		return "matching…"
	}
	return Commas(len(p.ls.idx)) + " of " + Commas(len(p.ls.items)) + " match"
}

// pickLines are the view picker's rows.
func (p *Pane) pickLines() []string {
	f := &p.fl
	s := p.cfg.Styles
	n := min(len(f.views), pickRows)
	start := max(0, min(f.pickSel-n/2, len(f.views)-n))
	out := make([]string, 0, n)
	for i := start; i < start+n; i++ {
		v := f.views[i]
		order := v.Order
		if order == "" {
			order = "newest"
		}
		text := sanitize.Pad(" view   "+sanitize.Pad(sanitize.Line(v.Name), 20)+"  "+sanitize.Pad(order, 7)+"  "+sanitize.Line(v.Filter), p.w)
		if i == f.pickSel {
			out = append(out, s.Filter.MenuSelected.Render(text))
		} else {
			out = append(out, s.Filter.Menu.Render(text))
		}
	}
	return out
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
func (quickSpec) Validate(text string) error {
	_, err := quickfilter.Parse(text)
	var qe *quickfilter.Error
	if errors.As(err, &qe) {
		return &client.FilterError{Msg: qe.Msg, Pos: qe.Pos}
	}
	return err
}

// nameSpec checks a view name.
type nameSpec struct{}

func (nameSpec) Fields() []client.Field { return nil }
func (nameSpec) Operators() []string    { return nil }
func (nameSpec) Examples() []string     { return []string{"slack-it"} }
func (nameSpec) Validate(text string) error {
	if strings.ContainsAny(text, "\n\r\t") {
		return &client.FilterError{Msg: "a view name is one line", Pos: strings.IndexAny(text, "\n\r\t")}
	}
	return nil
}
