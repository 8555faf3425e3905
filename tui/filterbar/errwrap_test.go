package filterbar

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client/odata"
)

// TestErrorWrapsUnderTheBar: a long error (an unknown field and the list of Moveworks'
// fields) wraps under the bar at word boundaries instead of being cut at the right edge:
// at 80 columns every word of the message shows; narrower it takes at most errMaxLines
// lines, the last ending in "…". Every line is the bar's width and Height counts them.
func TestErrorWrapsUnderTheBar(t *testing.T) {
	tests := []struct {
		name  string
		width int
		whole bool // every word of the message shows
	}{
		{"80 columns", 80, true},
		{"200 columns", 200, true},
		{"40 columns", 40, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New("filter", odata.Spec(odata.Conversations), DefaultKeys(), Styles{})
			m.SetWidth(tc.width)
			m.Edit()
			typeIn(m, "foo eq 'x'")
			if m.Err() == nil {
				t.Fatal("no error for an unknown field")
			}
			msg := m.Err().Error()
			if !strings.Contains(msg, "fields:") {
				t.Fatalf("the message lists no fields: %q", msg)
			}
			v := m.View("")
			lines := strings.Split(v, "\n")
			if len(lines) != m.Height() {
				t.Fatalf("%d lines, Height %d:\n%s", len(lines), m.Height(), v)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != tc.width {
					t.Fatalf("line %d is %d wide, want %d: %q", i, w, tc.width, l)
				}
			}
			shown := strings.Join(strings.Fields(strings.Join(lines[2:], " ")), " ")
			if tc.whole {
				if shown != strings.Join(strings.Fields(msg), " ") {
					t.Fatalf("the message is not whole under the bar:\n got %q\nwant %q", shown, msg)
				}
				return
			}
			if n := len(lines) - 2; n != errMaxLines || !strings.HasSuffix(shown, "…") {
				t.Fatalf("%d message lines, want %d ending in …:\n%s", n, errMaxLines, v)
			}
			if !strings.HasPrefix(strings.Join(strings.Fields(msg), " "), strings.TrimSuffix(shown, "…")) {
				t.Fatalf("the lines shown are not the message's start:\n%s", v)
			}
		})
	}
}
