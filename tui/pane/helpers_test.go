package pane

import (
	"github.com/confab-dev/confab/tui/internal/cmdtest"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/filterbar"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/internal/rowstore"
)

// fixedNow is the tests' clock: a little after the newest fake conversation.
var fixedNow = fake.Base.Add(3 * time.Hour)

// instantTick replaces tea.Tick: the message is produced at once, at fixedNow.
func instantTick(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return fn(fixedNow) }
}

// testKeys are the root's default bindings (tui/keys.go), rebuilt here: the pane takes them
// as values.
func testKeys() (Keys, FilterKeys) {
	b := func(k ...string) key.Binding { return key.NewBinding(key.WithKeys(k...)) }
	return Keys{
			Up: b("k", "up"), Down: b("j", "down"), PageUp: b("pgup"), PageDown: b("pgdown"),
			Home: b("g", "home"), End: b("G", "end"), Open: b("enter"), Back: b("esc"), Retry: b("r"),
			Toggle: b("space"), Collapse: b("h", "left"), Expand: b("l", "right"),
			Copy: CopyKeys{Thread: b("y"), JSON: b("Y"), Subtree: b("ctrl+y"), Message: b("c"), ID: b("i"), Redact: b("R"), Console: b("O")},
			Find: FindKeys{Open: b("/"), Next: b("n"), Prev: b("N"), Done: b("enter"), Clear: b("esc")},
		}, FilterKeys{Edit: b("f", ":"), Quick: b("/"), Order: b("o"), Views: b("v"), SaveView: b("S"),
			Bar: filterbar.DefaultKeys()}
}

// newTestPane is a pane on src with a fixed clock, UTC, instant ticks and unstyled output,
// sized w×h (listW == w: no preview column). change, when set, edits the config first.
func newTestPane(t testing.TB, src client.Source, w, h, listW int, change func(*Config)) *Pane {
	t.Helper()
	k, fk := testKeys()
	cfg := Config{ID: 7, Name: "fake", Kind: "fake", Source: src, Keys: k, FilterKeys: fk,
		Now: func() time.Time { return fixedNow }, Location: time.UTC, Tick: instantTick,
		Context: t.Context(), PageAhead: 5}
	if change != nil {
		change(&cfg)
	}
	p := New(cfg)
	p.SetSize(w, h, listW)
	p.Focus()
	return p
}

// drain runs cmd and feeds the pane's own messages back, breadth first, until no Cmd is
// left; it returns the messages meant for the root (Notice, CopyRequest, RedactToggle). It
// fails if a Cmd produces a Cmd instead of a Msg, or a Routed message names another pane.
func drain(t testing.TB, p *Pane, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	cmdtest.Drain(t, cmd, func(msg tea.Msg) tea.Cmd {
		m, ok := msg.(Routed)
		if !ok {
			out = append(out, msg)
			return nil
		}
		if m.PaneID() != p.ID() {
			t.Fatalf("%T names pane %d, not %d", m, m.PaneID(), p.ID())
		}
		_, next := p.Update(m)
		return next
	})
	return out
}

// send feeds msgs to the pane one by one, draining what each leads to.
func send(t testing.TB, p *Pane, msgs ...tea.Msg) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for _, m := range msgs {
		_, cmd := p.Update(m)
		out = append(out, drain(t, p, cmd)...)
	}
	return out
}

// typed is the key presses that type text.
func typed(text string) []tea.Msg {
	var out []tea.Msg
	for _, r := range text {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// requireView fails unless the pane's view holds every one of want.
func requireView(t testing.TB, p *Pane, want ...string) {
	t.Helper()
	v := p.View()
	for _, w := range want {
		if !strings.Contains(v, w) {
			t.Fatalf("the view lacks %q:\n%s", w, v)
		}
	}
}

// notices are the texts of the Notice messages in msgs.
func notices(msgs []tea.Msg) []string {
	var out []string
	for _, m := range msgs {
		if n, ok := m.(Notice); ok {
			out = append(out, n.Text)
		}
	}
	return out
}

// The shared drivers (tui/internal/cmdtest), under this package's old names.
var (
	collect    = cmdtest.Collect
	requireMsg = cmdtest.RequireMsg
	press      = cmdtest.Key
	keys       = cmdtest.Keys
)

// loadedRows is every loaded row, raw records included where the list keeps them.
func loadedRows(p *Pane) []client.Conversation {
	out := make([]client.Conversation, p.ls.items.Len())
	for i := range out {
		out[i] = p.ls.items.Conv(i)
		out[i].Raw = p.ls.items.Raw(i)
	}
	return out
}

// setRow changes loaded row i (the rows are immutable: the list is built again with it).
func setRow(p *Pane, i int, change func(c *client.Conversation)) {
	rows := loadedRows(p)
	change(&rows[i])
	p.ls.items = rowstore.FromSlice(rows, true)
}

// writeRow writes row i (w cells) formatted afresh, painted as the list paints it: the
// reference the tests hold the row cache (cachedRow) to.
func (p *Pane) writeRow(b *strings.Builder, i, w int, now time.Time) {
	cv := p.ls.items.Conv(p.ls.rowAt(i))
	e := p.formatRow(&cv, w, now)
	e.write(b, &p.paints, i == p.ls.cursor, p.selPaint())
}
