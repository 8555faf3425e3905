package tui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// drawCells draws frame as Bubble Tea's renderer does (into a cleared w×h cell buffer,
// through ultraviolet's parser) and returns the buffer.
func drawCells(frame string, w, h int) *uv.ScreenBuffer {
	buf := uv.NewScreenBuffer(w, h)
	buf.Clear()
	uv.NewStyledString(frame).Draw(buf, buf.Bounds())
	return &buf
}

// requireSameCells fails unless a and b draw the same cells: content, width, style
// (attributes, colours, underline) and link, cell by cell.
func requireSameCells(t *testing.T, a, b string, w, h int) {
	t.Helper()
	ba, bb := drawCells(a, w, h), drawCells(b, w, h)
	bad := 0
	for y := range h {
		for x := range w {
			ca, cb := ba.CellAt(x, y), bb.CellAt(x, y)
			if (ca == nil) != (cb == nil) || ca != nil && !ca.Equal(cb) {
				if bad++; bad <= 5 {
					t.Errorf("cell (%d,%d): %+v before, %+v trimmed", x, y, ca, cb)
				}
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d cells differ", bad)
	}
}

// TestTrimFrameSameCells checks that the frame the program gets (trimFrame of App.View)
// draws the same cells as App.View, in the frames the program shows: the list beside the
// thread (the selected row, either column focused, the thread loaded or loading), the thread
// alone, the help, the filter being edited, an error, narrow windows; in true colour (dark and
// light) and without colour. It also checks that the wide frames lose most of their padding.
func TestTrimFrameSameCells(t *testing.T) {
	themes := []struct {
		name   string
		styles func() Styles
	}{
		{"nocolor", NoColorStyles},
		{"dark", func() Styles { return NewStyles(DefaultPalette(), true) }},
		{"light", func() Styles { return NewStyles(DefaultPalette(), false) }},
	}
	states := []struct {
		name string
		msgs []tea.Msg
	}{
		{"list", keys("j", "j", "j")},
		{"thread_focused", keys("j", "enter", "j")},
		{"thread_back", keys("enter", "esc", "k")},
		{"help", keys("?")},
		{"filter_editing", keys("f", "v", "p")},
		{"end", keys("G")},
	}
	sizes := [][2]int{{200, 50}, {120, 40}, {80, 24}, {60, 16}}
	for _, th := range themes {
		for _, st := range states {
			for _, sz := range sizes {
				w, h := sz[0], sz[1]
				t.Run(fmt.Sprintf("%s/%s/%dx%d", th.name, st.name, w, h), func(t *testing.T) {
					tab, _ := fakeTab("moveworks", 300)
					d := testDeps(tab)
					s := th.styles()
					d.styles = &s
					a := New(d)
					update(t, a, tea.WindowSizeMsg{Width: w, Height: h})
					start(t, a)
					update(t, a, st.msgs...)
					frame := a.View().Content
					trimmed := trimFrame(frame)
					requireSameCells(t, frame, trimmed, w, h)
					if w == 200 && st.name == "list" && len(trimmed) > len(frame)*3/4 {
						t.Errorf("trimmed %d of %d bytes: the padding stayed", len(frame)-len(trimmed), len(frame))
					}
				})
			}
		}
	}
	t.Run("loading", func(t *testing.T) { // the first page not yet delivered
		tab, _ := fakeTab("moveworks", 300)
		a := newTestApp(t, testDeps(tab))
		a.Init()
		frame := a.View().Content
		requireSameCells(t, frame, trimFrame(frame), 120, 40)
	})
}

// TestTrimFrame checks what trimFrame keeps: spaces under an attribute (a background, a
// reverse, an underline, carried from the line before), spaces on a line with a hyperlink,
// sequences it cannot read; and what it drops: spaces after a reset, on unstyled lines.
func TestTrimFrame(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "ab   \n  \ncd", "ab\n\ncd"},
		{"after reset", "\x1b[31mab\x1b[m   ", "\x1b[31mab\x1b[m"},
		{"after reset 0", "\x1b[31mab\x1b[0m   ", "\x1b[31mab\x1b[0m"},
		{"background", "\x1b[41mab   \x1b[m", "\x1b[41mab   \x1b[m"},
		{"open at the end", "\x1b[41mab   ", "\x1b[41mab   "},
		{"reverse carried to the next line", "\x1b[7mab\ncd   \x1b[m\nx  ", "\x1b[7mab\ncd   \x1b[m\nx"},
		{"open across lines", "\x1b[4mab  \ncd  ", "\x1b[4mab  \ncd  "},
		{"reset then set", "\x1b[m\x1b[44m  ", "\x1b[m\x1b[44m  "},
		{"reset among params", "\x1b[0;44m  ", "\x1b[0;44m  "},
		{"fg only", "\x1b[38;2;1;2;3mab  ", "\x1b[38;2;1;2;3mab  "},
		{"hyperlink", "\x1b]8;;https://x\x1b\\ab  \x1b]8;;\x1b\\  ", "\x1b]8;;https://x\x1b\\ab  \x1b]8;;\x1b\\  "},
		{"other csi", "ab\x1b[2K  ", "ab\x1b[2K  "},
		{"tabs stay", "ab\t \t", "ab\t \t"},
		{"nothing to trim", "ab\ncd", "ab\ncd"},
		{"empty", "", ""},
		{"blank only", "   ", ""},
		{"wide rune", "界  \n", "界\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := trimFrame(tt.in)
			if got != tt.want {
				t.Fatalf("trimFrame(%q) = %q, want %q", tt.in, got, tt.want)
			}
			requireSameCells(t, tt.in, got, 12, 4)
		})
	}
}
