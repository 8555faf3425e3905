// Package cmdtest holds the helpers confab's TUI tests share to drive Bubble Tea models
// without a terminal: key presses by name, running a Cmd's batches to their messages, and the
// check that a Cmd never returns a function as its Msg (STYLE.md §6). Only tests import it.
package cmdtest

import (
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// Key is the key press named s: "enter", "esc", "tab", "shift+tab", "space", "up", "down",
// "pgdown", "pgup", "home", "end", "ctrl+c", "ctrl+d", "ctrl+u", or a single character typed
// as text.
func Key(s string) tea.KeyPressMsg {
	if k, ok := namedKeys[s]; ok {
		return k
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

// namedKeys are the key presses Key knows by name.
var namedKeys = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"esc":       {Code: tea.KeyEscape},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"space":     {Code: tea.KeySpace, Text: " "},
	"down":      {Code: tea.KeyDown},
	"up":        {Code: tea.KeyUp},
	"pgdown":    {Code: tea.KeyPgDown},
	"pgup":      {Code: tea.KeyPgUp},
	"home":      {Code: tea.KeyHome},
	"end":       {Code: tea.KeyEnd},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+d":    {Code: 'd', Mod: tea.ModCtrl},
	"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
}

// Keys are the key presses named ss, as messages.
func Keys(ss ...string) []tea.Msg {
	out := make([]tea.Msg, len(ss))
	for i, s := range ss {
		out[i] = Key(s)
	}
	return out
}

// Collect runs cmd, expanding batches, and returns the messages it produces without feeding
// them back to any model.
func Collect(t testing.TB, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		RequireMsg(t, msg)
		if b, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, b...)
			continue
		}
		if msg != nil {
			out = append(out, msg)
		}
	}
	return out
}

// RequireMsg fails the test if msg is a function (a Cmd returned where a Msg was expected).
func RequireMsg(t testing.TB, msg tea.Msg) {
	t.Helper()
	if msg != nil && reflect.TypeOf(msg).Kind() == reflect.Func {
		t.Fatalf("a Cmd returned a function (%T) as its Msg", msg)
	}
}

// maxSteps bounds Drain: a model whose Cmds keep producing Cmds fails instead of hanging.
const maxSteps = 100000

// Drain runs cmd breadth first until no Cmd is left: batches are expanded, nil messages
// dropped, and every other message given to handle, whose Cmd (nil for none) joins the queue.
// It fails the test if a Cmd returns a function as its Msg, or if the Cmds never settle.
func Drain(t testing.TB, cmd tea.Cmd, handle func(tea.Msg) tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > maxSteps {
			t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		RequireMsg(t, msg)
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		default:
			if next := handle(m); next != nil {
				queue = append(queue, next)
			}
		}
	}
}
