package paint

import (
	"testing"

	"charm.land/lipgloss/v2"
)

// TestPaintIsRender checks that a paint writes what Render writes for the kinds of style the
// theme paints (colours, bold, italic, reverse), empty text included.
func TestPaintIsRender(t *testing.T) {
	styles := map[string]lipgloss.Style{
		"plain":   lipgloss.NewStyle(),
		"fg":      lipgloss.NewStyle().Foreground(lipgloss.Color("#5FD7D0")),
		"italic":  lipgloss.NewStyle().Foreground(lipgloss.Color("#9A9A9A")).Italic(true),
		"bold":    lipgloss.NewStyle().Bold(true),
		"fg bold": lipgloss.NewStyle().Foreground(lipgloss.Color("#7D56F4")).Bold(true), // a focused title
		"reverse": lipgloss.NewStyle().Reverse(true),
		"bg":      lipgloss.NewStyle().Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#3D3466")),
	}
	for name, st := range styles {
		p := New(st)
		for _, s := range []string{"", "15:04:05", " ├─ ▾ text with  spaces …", "▌Time  Details · Summary   1/1,000 "} {
			if got, want := p.String(s), st.Render(s); got != want {
				t.Errorf("%s %q: paint %q, Render %q", name, s, got, want)
			}
		}
	}
}
