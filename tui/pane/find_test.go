package pane

import (
	"testing"

	"github.com/confab-dev/confab/tui/internal/fake"
)

// TestPaneFindRouting: / in the focused thread opens its search, whose input takes every key
// (the copy keys type letters); enter keeps the hits, esc clears the search before it leaves
// the thread; / in the list is still the quick filter.
func TestPaneFindRouting(t *testing.T) {
	tests := []struct {
		name                        string
		keys                        []string
		mode                        Mode
		finding, editing, capturing bool
	}{
		{"/ in the thread opens the search", []string{"enter", "/"}, ModeFilter, true, true, true},
		{"typing takes the copy keys", []string{"enter", "/", "y", "Y", "c", "i", "R"}, ModeFilter, true, true, true},
		{"enter keeps the hits", []string{"enter", "/", "r", "enter"}, ModeThread, true, false, false},
		{"n and N work on kept hits", []string{"enter", "/", "r", "enter", "n", "N"}, ModeThread, true, false, false},
		{"esc clears the input", []string{"enter", "/", "r", "esc"}, ModeThread, false, false, false},
		{"esc clears kept hits, in the thread", []string{"enter", "/", "r", "enter", "esc"}, ModeThread, false, false, false},
		{"the next esc leaves the thread", []string{"enter", "/", "r", "enter", "esc", "esc"}, ModeList, false, false, false},
		{"/ in the list is the quick filter", []string{"/"}, ModeFilter, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPane(t, fake.New("fake", 10, 1), 120, 30, 120, nil)
			drain(t, p, p.Init())
			for _, m := range send(t, p, keys(tt.keys...)...) {
				if _, ok := m.(CopyRequest); ok {
					t.Fatalf("a key typed in the search copied: %+v", m)
				}
			}
			if got := p.Mode(); got != tt.mode {
				t.Errorf("Mode = %v, want %v", got, tt.mode)
			}
			if p.Finding() != tt.finding || p.FindEditing() != tt.editing || p.Capturing() != tt.capturing {
				t.Errorf("Finding %v FindEditing %v Capturing %v, want %v %v %v", p.Finding(), p.FindEditing(),
					p.Capturing(), tt.finding, tt.editing, tt.capturing)
			}
			if tt.mode == ModeFilter && !tt.editing && !p.quick.Editing() {
				t.Error("the quick filter is not editing")
			}
		})
	}
}
