package filterbar

import (
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client/odata"
)

// TestViewMemoFollowsItsInputs checks that the bar kept from the frame before is byte for byte
// the bar drawn from scratch, whatever changed in between, and that drawing it again
// allocates nothing.
func TestViewMemoFollowsItsInputs(t *testing.T) {
	colour := Styles{Label: lipgloss.NewStyle().Bold(true),
		Text:  lipgloss.NewStyle().Foreground(lipgloss.Color("#5FD7D0")),
		Muted: lipgloss.NewStyle().Foreground(lipgloss.Color("#9A9A9A")).Italic(true)}
	tests := []struct {
		name   string
		right  string
		change func(m *Model)
	}{
		{"nothing", "newest first", func(m *Model) {}},
		{"the right-hand text", "oldest first", func(m *Model) {}},
		{"narrower", "newest first", func(m *Model) { m.SetWidth(50) }},
		{"too narrow for the right-hand text", "newest first", func(m *Model) { m.SetWidth(30) }},
		{"more room on the right", "1,200 of 5,000 loaded match", func(m *Model) { m.SetRightWidth(28) }},
		{"applied", "newest first", func(m *Model) { m.SetApplied("route eq 'DM'") }},
		{"styles", "newest first", func(m *Model) { m.SetStyles(colour) }},
		{"editing", "newest first", func(m *Model) { m.Edit(); typeIn(m, "route eq 'DM'") }},
		{"edited and applied", "newest first", func(m *Model) {
			m.Edit()
			typeIn(m, "route eq 'DM'")
			m.Update(kp("enter"))
		}},
		{"edited and cancelled", "newest first", func(m *Model) {
			m.Edit()
			typeIn(m, "route eq 'DM'")
			m.Update(kp("esc"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New("filter", odata.Spec(odata.Conversations), DefaultKeys(), Styles{})
			m.SetWidth(100)
			m.SetApplied("platform eq 'slack'")
			_ = m.View("newest first") // fills the memo
			tt.change(m)
			got := m.View(tt.right)
			m.memo = viewMemo{}
			if want := m.View(tt.right); got != want {
				t.Errorf("the kept bar differs from a fresh one:\ngot:  %q\nwant: %q", got, want)
			}
		})
	}
	m := New("filter", odata.Spec(odata.Conversations), DefaultKeys(), Styles{})
	m.SetWidth(100)
	_ = m.View("newest first")
	if n := testing.AllocsPerRun(100, func() { _ = m.View("newest first") }); n != 0 {
		t.Errorf("an unchanged bar allocates %.0f times a frame, want 0", n)
	}
}
