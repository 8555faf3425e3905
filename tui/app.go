// Package tui is confab's Bubble Tea v2 terminal UI: a tab per configured source, each a pane
// (package pane) with a lazily paged conversation list and the thread of the selected
// conversation (package threadview).
//
// Rules this package keeps (see STYLE.md):
//   - The root App owns layout (layout.go), focus and routing. Only the active pane gets keys;
//     async results go to the pane they name (pane.Routed), never to every pane.
//   - Leaf widgets (the thread view, the status bar) are imperative structs; panes have the
//     Update/View/SetSize/Focus/Blur/ID contract.
//   - Commands capture values; state changes only in Update; View has no side effects.
//   - All styling comes from theme.go; every vendor string goes through client/sanitize.
package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/clip"
	"github.com/confab-dev/confab/tui/pane"
	"github.com/confab-dev/confab/tui/search"
)

// Tab is one configured source.
type Tab struct {
	Name, Kind string
	Source     client.Source // nil when Err is set
	Query      client.Query  // the initial query (filter, order)
	// Err, when set, makes the tab show this problem (for example a missing credential and
	// what to run) instead of a list; the other tabs still work.
	Err error
	// Local, when set, makes the tab cache-first over the local store (pane.Local); under
	// --offline Source may be nil.
	Local *pane.Local
	// All marks the All tab (Source merges every source: client/merge): its rows show their
	// source, and it has no vendor filter bar (the quick filter works).
	All bool
}

// Deps is what the TUI needs from the outside world.
type Deps struct {
	Tabs []Tab
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Location is the time zone times are shown in (nil: time.Local).
	Location *time.Location
	// NoColor turns colour off (as does a non-empty NO_COLOR environment variable).
	NoColor bool

	// Views are the saved views ([[view]] of the config): the view picker (v) of a source's tab
	// offers that source's. ConfigPath is the config file S appends new views to ("": none).
	Views      []View
	ConfigPath string
	// HistoryDir is where each source's filter history is kept ("": in memory only).
	HistoryDir string

	// Clipboard writes to the system clipboard (clip.Native finds it); nil means there is
	// none, and copies use OSC 52 only. ClipboardName names it in the status bar ("xclip").
	Clipboard     func(string) error
	ClipboardName string
	// ClipboardMaxOSC52 is the largest text sent with OSC 52, in bytes (0: DefaultMaxOSC52;
	// negative: never use OSC 52). Larger copies go to the native clipboard or a file.
	ClipboardMaxOSC52 int
	// ExportDir is where a copy goes when no clipboard can take it ("": xdg.ExportDir(os.Getenv)).
	ExportDir string
	// Tmux is the tmux confab runs inside (clip.InTmux; nil: none): a copy asks it whether
	// OSC 52 gets through and, when not, goes to its paste buffer (clip.Deliver).
	Tmux *clip.Tmux

	// NoMouse leaves the mouse to the terminal (--no-mouse, mouse = false in the config), so
	// its text selection works; otherwise the wheel scrolls and clicks select (mouse.go).
	NoMouse bool

	// MaxPagesPerJump is how many pages one keypress (G or End, a move near the end of the
	// list, a refresh) loads at most before the pane stops and asks for another keypress
	// (0: pane.DefaultMaxPagesPerJump, 20).
	MaxPagesPerJump int

	// Warning, when set, is shown in the status bar at start (e.g. the local store could not
	// be opened, so the tabs run live).
	Warning string

	// Redact removes secrets from the error text the TUI shows (status bar, error panes);
	// confab passes its client.Redactor's. nil masks only what looks like a credential.
	Redact func(string) string

	// Search searches the local store (ctrl+f, search.go); nil when there is none.
	Search SearchFunc

	// ConsoleURLs are the sources' console_url templates, by source name; Browser opens
	// the links the console key copies (console.go).
	ConsoleURLs map[string]string
	Browser     Browser

	// For tests: a replacement for tea.Tick, and fixed styles.
	tick   func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	styles *Styles
	// For benchmarks: the panes' cache of built threads (pane.Config.ThreadCache; < 0: none,
	// and no prefetch), so that a benchmark of the list can keep its thread column as holding
	// j over rows never previewed shows it (the last preview, dimmed).
	threadCache int
}

// App is the root model. It implements tea.Model and help.KeyMap.
type App struct {
	ctx    context.Context
	cancel context.CancelFunc

	keys         KeyMap
	palette      Palette
	noColor      bool
	fixed        bool // styles were given by the caller (tests): ignore background colour
	isDark       bool
	styles       Styles
	help         help.Model
	showHelp     bool
	helpMemo     helpMemo     // the short help's lines, kept between frames (helpmemo.go)
	fullHelpMemo fullHelpMemo // the full help's lines, kept while it is open (fullhelp.go)
	tabsMemo     tabsMemo     // the tab bar, kept between frames (tabsmemo.go)
	frame        frameMemo    // the window title, the status line and the frame's size (status.go)
	hints        []hint       // the short help's hints, written again by every shortHints (keys.go)

	panes  []*pane.Pane
	active int

	width, height int
	layout        Layout

	status statusBar
	tick   func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	scrub  func(string) string // Deps.Redact: secrets out of error text

	copyCfg copyConfig // copy.go
	redact  bool       // copies are redacted
	browser Browser    // console.go

	guardCmd func(tea.Cmd) tea.Cmd // the guard's recovering wrapper (guard.go); nil: none

	warning string        // Deps.Warning, shown at start
	srch    *search.Model // the search overlay (search.go); nil without Deps.Search
	noMouse bool          // Deps.NoMouse (mouse.go)
}

// New returns the root model for deps. Requests it starts are cancelled when the user quits.
func New(deps Deps) *App {
	return newApp(context.Background(), deps)
}

// Run runs the TUI until the user quits or ctx is cancelled. It returns the program's error;
// it never exits the process. A panic anywhere in the TUI (an Update, a View, a Cmd) is
// recovered: the terminal is restored, every request is cancelled and Run returns a
// *PanicError (guard.go). Every request is cancelled when Run returns.
func Run(ctx context.Context, deps Deps) error {
	app := newApp(ctx, deps)
	defer app.close()
	progCtx, kill := context.WithCancel(ctx)
	defer kill()
	var root tea.Model = app
	if testHook != nil {
		root = testHook(root)
	}
	g := newGuard(root, kill)
	app.guardCmds(g.wrap) // also when root wraps app

	// The colour profile is the one lipgloss detected at init for the same output (stdout)
	// and environment: left to itself Bubble Tea detects it again, and inside tmux that runs
	// `tmux info` on the way to the first frame (~25 ms, more on a busy machine).
	_, err := tea.NewProgram(g, tea.WithContext(progCtx), tea.WithColorProfile(lipgloss.Writer.Profile)).Run()
	if pe := g.crashed(); pe != nil {
		return pe
	}
	if errors.Is(err, tea.ErrProgramPanic) {
		// Caught by Bubble Tea's own recovery (which printed it): still a crash.
		return &PanicError{Where: "bubbletea", Value: err, Time: time.Now()}
	}
	if err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}

func newApp(ctx context.Context, deps Deps) *App {
	ctx, cancel := context.WithCancel(ctx)
	a := &App{
		ctx:     ctx,
		cancel:  cancel,
		keys:    DefaultKeyMap(),
		palette: DefaultPalette(),
		noColor: deps.NoColor || os.Getenv("NO_COLOR") != "",
		isDark:  true,
		help:    help.New(),
		tick:    deps.tick,
		copyCfg: newCopyConfig(deps),
		browser: deps.Browser,
	}
	if a.tick == nil {
		a.tick = tea.Tick
	}
	a.scrub, a.warning = deps.Redact, deps.Warning
	a.noMouse = deps.NoMouse
	if a.scrub == nil {
		a.scrub = (*client.Redactor)(nil).Redact
	}
	switch {
	case deps.styles != nil:
		a.styles, a.fixed = *deps.styles, true
	case a.noColor:
		a.styles = NoColorStyles()
	default:
		a.styles = NewStyles(a.palette, a.isDark)
	}
	a.help.Styles = a.styles.Help
	for i, t := range deps.Tabs {
		a.panes = append(a.panes, pane.New(pane.Config{
			ID:       pane.ID(i),
			Name:     t.Name,
			Kind:     t.Kind,
			Source:   t.Source,
			Query:    t.Query,
			Err:      tabErr(t),
			Local:    t.Local,
			Keys:     a.keys.Pane,
			Styles:   a.styles.Pane,
			Context:  ctx,
			Now:      deps.Now,
			Location: deps.Location,
			Tick:     deps.tick, // nil: the real clock (the pane then keeps its preview timer off the program)
			Redact:   a.scrub,

			ThreadCache: deps.threadCache,

			ShowSource:     t.All,
			NoVendorFilter: t.All,

			MaxPagesPerJump: deps.MaxPagesPerJump,
			FilterKeys:      a.keys.Filter,
			HistoryDir:      deps.HistoryDir,
			ConfigPath:      deps.ConfigPath,
			Views:           deps.Views,
			ConsoleURLs:     deps.ConsoleURLs,
		}))
	}
	if len(a.panes) > 0 {
		a.panes[0].Focus()
	}
	a.srch = a.newSearch(deps)
	return a
}

// guardCmds is cmdGuarded (guard.go): the Cmds of the app's tea.Sequences are wrapped with wrap.
func (a *App) guardCmds(wrap func(tea.Cmd) tea.Cmd) { a.guardCmd = wrap }

// sequence is tea.Sequence with each Cmd under the guard's recover (the guard cannot see
// into a sequence's message).
func (a *App) sequence(cmds ...tea.Cmd) tea.Cmd {
	if a.guardCmd != nil {
		for i, c := range cmds {
			cmds[i] = a.guardCmd(c)
		}
	}
	return tea.Sequence(cmds...)
}

// tabErr is the problem a tab shows instead of a list.
func tabErr(t Tab) error {
	if t.Err == nil && t.Source == nil && t.Local == nil {
		return fmt.Errorf("source %q has no client configured", t.Name)
	}
	return t.Err
}

// close cancels every request in flight.
func (a *App) close() {
	for _, p := range a.panes {
		p.Close()
	}
	if a.srch != nil {
		a.srch.Close()
	}
	a.cancel()
}

// Init asks for the terminal's background colour and starts every pane's first page.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if a.warning != "" {
		cmds = append(cmds, reportErr(a.warning))
	}
	for _, p := range a.panes {
		cmds = append(cmds, p.Init())
	}
	return tea.Batch(cmds...)
}

// Update routes msg: one handler per message type.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return a, a.handleResize(msg)
	case tea.BackgroundColorMsg:
		return a, a.handleBackground(msg)
	case tea.KeyPressMsg:
		return a, a.handleKey(msg)
	case tea.MouseMsg:
		return a, a.handleMouse(msg) // mouse.go
	case statusMsg:
		return a, a.handleStatus(msg)
	case clearStatusMsg:
		a.status.clear(msg.ID)
		return a, nil
	case pane.Notice:
		return a, a.handleNotice(msg)
	case pane.Routed:
		return a, a.handlePaneMsg(msg)
	case pane.CopyRequest:
		return a, a.handleCopyRequest(msg)
	case pane.ConsoleRequest:
		return a, a.handleConsoleRequest(msg) // console.go
	case copyDoneMsg:
		return a, a.handleCopyDone(msg)
	case pane.RedactToggle:
		return a, a.toggleRedact()
	case search.Msg:
		return a, a.handleSearchMsg(msg)
	case search.OpenHit:
		return a, a.openHit(msg.Hit)
	}
	return a, nil
}

func (a *App) handleResize(msg tea.WindowSizeMsg) tea.Cmd {
	a.width, a.height = msg.Width, msg.Height
	return a.relayout()
}

// relayout recomputes the layout and pushes the sizes to the panes and the help.
func (a *App) relayout() tea.Cmd {
	rows := 1
	if a.showHelp {
		rows = len(a.fullHelpLines(a.width, fullHelpMaxRows(a.height)))
	}
	a.layout = layout(a.width, a.height, layoutState{helpRows: rows, fullHelp: a.showHelp})
	a.help.SetWidth(a.layout.Help.W)
	var cmds []tea.Cmd
	for _, p := range a.panes {
		cmds = append(cmds, p.SetSize(a.layout.Body.W, a.layout.Body.H, a.layout.ListW))
	}
	if a.srch != nil {
		a.srch.SetSize(a.layout.Body.W, a.layout.Body.H)
	}
	return tea.Batch(cmds...)
}

func (a *App) handleBackground(msg tea.BackgroundColorMsg) tea.Cmd {
	a.isDark = msg.IsDark()
	if a.fixed || a.noColor {
		return nil
	}
	a.styles = NewStyles(a.palette, a.isDark)
	a.help.Styles = a.styles.Help
	a.helpMemo = helpMemo{} // rendered with the old styles
	a.fullHelpMemo = fullHelpMemo{}
	a.tabsMemo = tabsMemo{}
	a.frame.status = statusMemo{}
	for _, p := range a.panes {
		p.SetStyles(a.styles.Pane)
	}
	if a.srch != nil {
		a.srch.SetStyles(a.styles.Search)
	}
	return nil
}

func (a *App) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := a.handleSearchKey(msg); ok {
		return cmd
	}
	if cmd, ok := a.handleCapturedKey(msg); ok {
		return cmd
	}
	if cmd, ok := a.handlePagerKey(msg); ok { // pager.go
		return cmd
	}
	g := a.keys.Global
	switch {
	case key.Matches(msg, g.Quit):
		a.close()
		return tea.Quit
	case key.Matches(msg, g.Search):
		return a.openSearch()
	case key.Matches(msg, g.Help):
		a.showHelp = !a.showHelp
		a.help.ShowAll = a.showHelp
		return a.relayout()
	case a.showHelp && key.Matches(msg, a.keys.Pane.Back):
		a.showHelp, a.help.ShowAll = false, false
		return a.relayout()
	case len(a.panes) > 1 && key.Matches(msg, g.NextTab):
		a.switchTab(a.active + 1)
		return nil
	case len(a.panes) > 1 && key.Matches(msg, g.PrevTab):
		a.switchTab(a.active - 1)
		return nil
	case key.Matches(msg, g.GotoTab):
		if s := msg.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
			if i := int(s[0] - '1'); i < len(a.panes) {
				a.switchTab(i)
			}
		}
		return nil
	}
	if len(a.panes) == 0 {
		return nil
	}
	_, cmd := a.panes[a.active].Update(msg)
	return cmd
}

// switchTab focuses tab i (wrapping around).
func (a *App) switchTab(i int) {
	n := len(a.panes)
	if n == 0 {
		return
	}
	i = ((i % n) + n) % n
	a.panes[a.active].Blur()
	a.active = i
	a.panes[a.active].Focus()
}

func (a *App) handleStatus(msg statusMsg) tea.Cmd {
	msg.Text = a.scrub(msg.Text) // the one way into the status bar
	return a.status.set(msg, a.tick)
}

func (a *App) handleNotice(msg pane.Notice) tea.Cmd {
	if msg.Err {
		return reportErr(msg.Text)
	}
	return reportInfo(msg.Text)
}

// handlePaneMsg delivers an async result to the pane it names, and to no other.
func (a *App) handlePaneMsg(msg pane.Routed) tea.Cmd {
	id := int(msg.PaneID())
	if id < 0 || id >= len(a.panes) {
		return nil
	}
	_, cmd := a.panes[id].Update(msg)
	return cmd
}

// mode is the active pane's mode.
func (a *App) mode() pane.Mode {
	if len(a.panes) == 0 {
		return pane.ModeUnavailable
	}
	return a.panes[a.active].Mode()
}

// View renders the whole screen; it changes nothing.
func (a *App) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = a.mouseMode() // mouse.go
	v.WindowTitle = "confab"
	if len(a.panes) > 0 {
		v.WindowTitle = a.frame.windowTitle(a.panes[a.active].Name())
	}
	if a.width <= 0 || a.height <= 0 {
		return v
	}
	if tooSmall(a.width, a.height) {
		// One line (wrapped only where the terminal is narrower than it), nothing else; the
		// layout is kept up to date underneath, so growing the terminal restores everything.
		v.SetContent(ansi.Wrap(tooSmallText(a.width, a.height), a.width, ""))
		return v
	}
	// The frame is written into one builder: the tab bar, the pane (its filter lines, list
	// and thread), the status line and the help, each part a line or more, newline-separated.
	l := a.layout
	var b strings.Builder
	b.Grow(a.frame.bytes + 256) // the last frame's size, and room for a longer status
	parts := 0
	sep := func() {
		if parts > 0 {
			b.WriteByte('\n')
		}
		parts++
	}
	if l.Tabs.H > 0 {
		sep()
		b.WriteString(a.viewTabs(l.Tabs.W))
	}
	if l.Body.H > 0 {
		sep()
		if a.searching() {
			b.WriteString(a.srch.View())
		} else if len(a.panes) == 0 {
			b.WriteString(a.viewNoTabs(l.Body.W, l.Body.H))
		} else {
			a.panes[a.active].WriteView(&b)
		}
	}
	if l.Status.H > 0 {
		sep()
		b.WriteString(a.viewStatus(l.Status.W))
	}
	if l.Help.H > 0 {
		sep()
		b.WriteString(a.viewHelp(l.Help.W, l.Help.H))
	}
	a.frame.bytes = b.Len()
	v.SetContent(b.String())
	return v
}

// viewTabs renders the tab bar: "1 name count" per tab, the active one highlighted; a real
// tab bar even with one tab.
func (a *App) viewTabs(w int) string {
	if len(a.panes) == 0 {
		return a.styles.Tabs.Active.Render(sanitize.Pad(" confab ", w))
	}
	if out, ok := a.tabsMemo.lookup(a, w); ok {
		return out
	}
	var b strings.Builder
	used := 0
	for i, lbl := range a.tabLabels(a.tabsMemo.scratchTitles, w) {
		lw := sanitize.Width(lbl)
		if i == a.active {
			b.WriteString(a.styles.Tabs.Active.Render(lbl))
		} else {
			b.WriteString(a.styles.Tabs.Inactive.Render(lbl))
		}
		used += lw
		if used < w {
			b.WriteString(a.styles.Tabs.Gap.Render("│"))
			used++
		}
	}
	if used < w {
		b.WriteString(strings.Repeat(" ", w-used))
	}
	out := b.String()
	a.tabsMemo.store(a, w, out)
	return out
}

// tabLabels are the labels of the tab bar w cells wide, titles being the panes' titles: " 1
// name title " per tab, each cut to an equal share when they do not all fit, and only the
// tabs that fit, each followed by a one-cell gap. viewTabs draws them and tabAt hit-tests
// them, so the two agree by construction.
func (a *App) tabLabels(titles []string, w int) []string {
	labels := make([]string, len(a.panes))
	total := 0
	for i, p := range a.panes {
		labels[i] = fmt.Sprintf(" %d %s %s ", i+1, sanitize.Line(p.Name()), titles[i])
		total += sanitize.Width(labels[i]) + 1
	}
	if total > w && len(a.panes) > 0 {
		// Too wide: give each tab an equal share.
		share := max(4, w/len(a.panes)-1)
		for i := range labels {
			labels[i] = sanitize.Truncate(labels[i], share, "…")
		}
	}
	used := 0
	for i, lbl := range labels {
		lw := sanitize.Width(lbl)
		if used+lw > w {
			return labels[:i]
		}
		used += lw + 1
	}
	return labels
}

func (a *App) viewStatus(w int) string {
	s := a.status.cur
	k := statusKey{w: w, level: s.Level, text: s.Text}
	if s.Text == "" {
		k.redact, k.mark = a.redact, a.syncMark()
	}
	if m := &a.frame.status; m.ok && m.key == k {
		return m.out
	}
	var out string
	switch {
	case s.Text == "":
		out = a.statusIdle(w)
	case s.Level == LevelError:
		out = a.styles.Status.Error.Render(sanitize.Pad(" "+sanitize.Line(s.Text), w))
	default:
		out = a.styles.Status.Info.Render(sanitize.Pad(" "+sanitize.Line(s.Text), w))
	}
	a.frame.status = statusMemo{ok: true, key: k, out: out}
	return out
}

// viewHelp renders the help in exactly h lines; the short help is the hints that fit w
// (keys.go: shortHelpFit), so "? help" and "q quit" never fall off its end.
func (a *App) viewHelp(w, h int) string {
	var lines []string
	var hs []hint
	if a.help.ShowAll {
		lines = a.fullHelpLines(w, h)
	} else {
		hs = a.shortHints()
		if a.helpMemo.same(hs, w, h) {
			return a.helpMemo.out
		}
		lines = []string{a.shortHelpFit(hs, w)}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		// help.Model can overshoot its width by one item; cut what is left over.
		if lipgloss.Width(l) > w {
			l = ansi.Truncate(l, w, "…")
			lines[i] = l
		}
		if gap := w - lipgloss.Width(l); gap > 0 {
			lines[i] = l + strings.Repeat(" ", gap)
		}
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	out := strings.Join(lines, "\n")
	if hs != nil {
		a.helpMemo.store(hs, w, h, out)
	}
	return out
}

func (a *App) viewNoTabs(w, h int) string {
	lines := []string{"", sanitize.Pad(" No sources are configured.", w),
		sanitize.Pad(" Add a [[source]] to the config file (confab config path), or try confab demo.", w)}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	lines[0] = strings.Repeat(" ", w)
	return strings.Join(lines[:h], "\n")
}
