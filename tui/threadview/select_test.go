package threadview

import (
	"fmt"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// chain is a thread of n interactions, each the reply to the one before.
func chain(n int) []client.Interaction {
	t0 := time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)
	items := make([]client.Interaction, n)
	for i := range items {
		items[i] = client.Interaction{ID: fmt.Sprintf("i%d", i), Actor: client.ActorUser, Kind: "text",
			Text: fmt.Sprintf("message %d", i), Time: t0.Add(time.Duration(i) * time.Second)}
		if i > 0 {
			items[i].ParentID = fmt.Sprintf("i%d", i-1)
		}
	}
	return items
}

// TestSelectID: the interaction asked for is selected and on screen, the branches that hid
// it expanded; an id the thread does not have changes nothing.
func TestSelectID(t *testing.T) {
	tests := []struct {
		name     string
		collapse []int // rows collapsed before (by item index, collapsed from the deepest)
		start    int   // the cursor before
		id       string
		ok       bool
		want     string // the id selected after
	}{
		{"far below", nil, 0, "i150", true, "i150"},
		{"above the window", nil, 190, "i3", true, "i3"},
		{"already on screen", nil, 0, "i2", true, "i2"},
		{"hidden by collapsed branches", []int{100, 40}, 0, "i120", true, "i120"},
		{"unknown id", nil, 5, "nope", false, "i5"},
		{"empty id", nil, 5, "", false, "i5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Styles{}, time.UTC)
			m.SetItems(chain(200))
			m.SetSize(100, 30) // 18 tree rows
			for _, c := range tt.collapse {
				m.cursor = c
				m.Collapse()
			}
			if len(tt.collapse) > 0 && m.Len() == 200 {
				t.Fatal("nothing collapsed")
			}
			m.Home()
			m.Move(tt.start)
			if got := m.SelectID(tt.id); got != tt.ok {
				t.Fatalf("SelectID(%q) = %v, want %v", tt.id, got, tt.ok)
			}
			if it := m.Selected(); it == nil || it.ID != tt.want {
				t.Fatalf("selected %+v, want %s", it, tt.want)
			}
			if th := m.treeHeight(); m.cursor < m.offset || m.cursor >= m.offset+th {
				t.Fatalf("cursor %d is off screen [%d, %d)", m.cursor, m.offset, m.offset+th)
			}
		})
	}
}

func TestSelectIDBeforeItems(t *testing.T) {
	m := New(Styles{}, time.UTC)
	if m.SelectID("i1") {
		t.Fatal("SelectID on an empty view reported success")
	}
}
