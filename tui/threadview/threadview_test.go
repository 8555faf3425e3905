package threadview

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
)

func items() []client.Interaction {
	t0 := time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)
	return []client.Interaction{
		{ID: "a", Actor: client.ActorUser, Kind: "text", Text: "root", Time: t0},
		{ID: "b", ParentID: "a", Actor: client.ActorBot, Kind: "bot", Text: "child one", Time: t0.Add(time.Second)},
		{ID: "c", ParentID: "b", Actor: client.ActorUser, Kind: "button", Text: "grandchild", Time: t0.Add(2 * time.Second)},
		{ID: "d", ParentID: "a", Actor: client.ActorAgent, Kind: "message", Text: "child two\x1b[2J", Time: t0.Add(3 * time.Second)},
		{ID: "e", ParentID: "zzz", Actor: client.ActorSystem, Kind: "form", Text: "orphan", Time: t0.Add(4 * time.Second)},
	}
}

func TestMoveCollapseExpand(t *testing.T) {
	m := New(Styles{}, time.UTC)
	m.SetItems(items())
	m.SetSize(60, 20)
	steps := []struct {
		do      func()
		len     int
		selects string
	}{
		{func() {}, 5, "a"},
		{func() { m.Move(1) }, 5, "b"},
		{m.Collapse, 4, "b"}, // hides c
		{m.Collapse, 4, "a"}, // already collapsed: go to the parent
		{m.Toggle, 1 + 1, "a"},
		{m.Expand, 4, "a"},
		{m.End, 4, "e"},
		{func() { m.Move(-100) }, 4, "a"},
		{func() { m.Move(1); m.Expand() }, 5, "b"},
	}
	for i, s := range steps {
		s.do()
		if m.Len() != s.len || m.Selected() == nil || m.Selected().ID != s.selects {
			t.Fatalf("step %d: len %d selected %v, want %d %q", i, m.Len(), m.Selected(), s.len, s.selects)
		}
	}
}

func TestViewIsExactlySizedAndSafe(t *testing.T) {
	for _, sz := range [][2]int{{30, 5}, {60, 20}, {149, 66}, {5, 3}} {
		m := New(Styles{}, time.UTC)
		m.SetItems(items())
		m.SetSize(sz[0], sz[1])
		m.End()
		m.Move(-1) // the hostile row, shown in the detail panel
		v := m.View(true)
		lines := strings.Split(v, "\n")
		if len(lines) != sz[1] {
			t.Fatalf("%v: %d lines", sz, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != sz[0] {
				t.Fatalf("%v: line %d is %d cells: %q", sz, i, w, l)
			}
		}
		if strings.Contains(v, "\x1b") {
			t.Fatalf("%v: raw ESC in %q", sz, v)
		}
	}
}

// TestSpeakerNamesAndUnknownTimes: a named speaker shows as "Agent (Jane Doe)" in the row
// and the detail panel, the column widening for it; a message without a time shows no time
// (not 00:00:00); rows follow Seq, not time.
func TestSpeakerNamesAndUnknownTimes(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)
	m := New(Styles{}, time.UTC)
	m.SetItems([]client.Interaction{
		{ID: "2", Actor: client.ActorCustomer, Kind: "voice", Text: "second, no time", Seq: 2},
		{ID: "1", Actor: client.ActorAgent, Speaker: "Jane Doe", Kind: "voice", Text: "first", Seq: 1},
		{ID: "3", Actor: client.ActorAgent, Speaker: "Jane Doe", Kind: "voice", Text: "third", Time: t0, Seq: 3},
		{ID: "4", Actor: client.ActorCustomer, Kind: "voice", Text: "fourth, audio only", Seq: 4,
			Attrs: client.Attrs{{Key: "audio", Value: "00:08.9–00:14.4"}}},
	})
	m.SetSize(90, 12)
	lines := strings.Split(ansi.Strip(m.View(true)), "\n")
	cases := []struct {
		line int
		want string
	}{
		{0, "         Agent (Jane Doe) "}, // no time, the full label
		{1, "         Customer         "},
		{2, "14:05:00 Agent (Jane Doe) "},
		{3, "+00:08.9 Customer         "}, // where it starts in its recording
	}
	for _, c := range cases {
		if !strings.HasPrefix(lines[c.line], c.want) {
			t.Errorf("line %d = %q, want prefix %q", c.line, lines[c.line], c.want)
		}
	}
	v := ansi.Strip(m.View(true))
	if !strings.Contains(v, "Agent (Jane Doe) · voice\n") && !strings.Contains(v, "Agent (Jane Doe) · voice ") {
		t.Errorf("detail head without the speaker or with a time:\n%s", v)
	}
	if strings.Contains(v, "00:00:00") || strings.Contains(v, "0001-01-01") {
		t.Errorf("an unknown time is shown as midnight:\n%s", v)
	}
}
