package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// sizedApp is an app of w×h on two fake tabs, started, after keys.
func sizedApp(t *testing.T, w, h int, color bool, ks ...string) *App {
	t.Helper()
	tab, _ := fakeTab("moveworks", 300)
	other, _ := fakeTab("talkdesk", 40)
	d := testDeps(tab, other)
	if color {
		st := NewStyles(DefaultPalette(), true)
		d.styles = &st
	}
	a := New(d)
	update(t, a, tea.WindowSizeMsg{Width: w, Height: h})
	start(t, a)
	update(t, a, keys(ks...)...)
	return a
}

// helpLine is the last line of the view, styles stripped, without trailing spaces.
func helpLine(a *App) string {
	lines := strings.Split(ansi.Strip(content(a)), "\n")
	return strings.TrimRight(lines[len(lines)-1], " ")
}

// TestSizesGolden: the list, and the list with the thread, at 80x24, 120x40 and 200x50, in
// colour and with NO_COLOR. At 80x24 the thread takes the whole pane after enter (esc goes
// back); wider, it previews beside the list. The focused column's title starts with the
// focus mark, so focus shows without colour; the help line ends with "? help • q quit".
func TestSizesGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, view := range []string{"list", "thread"} {
			for _, color := range []bool{false, true} {
				w, h := size[0], size[1]
				name := fmt.Sprintf("%s_%dx%d", view, w, h)
				if color {
					name += "_color"
				} else {
					name += "_nocolor"
				}
				t.Run(name, func(t *testing.T) {
					var ks []string
					if view == "thread" {
						ks = []string{"j", "enter", "j"}
					}
					a := sizedApp(t, w, h, color, ks...)
					requireFrame(t, a)
					plain := ansi.Strip(content(a))
					focused := map[string]string{"list": "▌Time ", "thread": "▌source "}[view]
					if strings.Count(plain, focusMarkForTest) != 1 || !strings.Contains(plain, focused) {
						t.Fatalf("want one focus mark, on %q:\n%s", focused, plain)
					}
					if wide := w >= wideMin; view == "thread" && wide != strings.Contains(plain, " Time ") {
						t.Fatalf("thread at %dx%d: list shown %v, want %v:\n%s", w, h, !wide, wide, plain)
					}
					if l := helpLine(a); !strings.HasSuffix(l, "? help • q quit") || strings.Contains(l, "…") {
						t.Fatalf("help line %q", l)
					}
					golden.RequireEqual(t, content(a))
				})
			}
		}
	}
}

// focusMarkForTest is pane's focus mark.
const focusMarkForTest = "▌"

// TestShortHelpKeepsHelpAndQuit: at every width confab draws in, in the list and the
// thread, with one tab and with two, the help line is whole (no "…") and ends with
// "? help • q quit"; hints are left out only when they do not fit.
func TestShortHelpKeepsHelpAndQuit(t *testing.T) {
	for _, w := range []int{60, 61, 66, 72, 79, 80, 90, 100, 119, 120, 160, 200} {
		for _, tabs := range []int{1, 2} {
			for _, ks := range [][]string{nil, {"enter"}} {
				tab, _ := fakeTab("moveworks", 300)
				ts := []Tab{tab}
				if tabs == 2 {
					other, _ := fakeTab("talkdesk", 40)
					ts = append(ts, other)
				}
				a := New(testDeps(ts...))
				update(t, a, tea.WindowSizeMsg{Width: w, Height: 24})
				start(t, a)
				update(t, a, keys(ks...)...)
				l := helpLine(a)
				if !strings.HasSuffix(l, "? help • q quit") || strings.Contains(l, "…") || ansi.StringWidth(l) > w {
					t.Fatalf("width %d, %d tabs, keys %v: help line %q", w, tabs, ks, l)
				}
				if w >= 200 && !strings.Contains(l, "↑/k up") {
					t.Fatalf("width %d: a hint left out of %q", w, l)
				}
			}
		}
	}
}

// TestTooSmall: below 60x15 the screen is one line saying so and nothing else (wrapped only
// where the terminal is narrower than the line); growing the terminal back restores the
// screen exactly.
func TestTooSmall(t *testing.T) {
	tests := []struct {
		w, h  int
		small bool
	}{
		{59, 15, true},
		{60, 14, true},
		{52, 14, true},
		{20, 40, true},
		{60, 15, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			a := sizedApp(t, 80, 24, false, "j", "enter")
			want := content(a)
			update(t, a, tea.WindowSizeMsg{Width: tt.w, Height: tt.h})
			c := content(a)
			msg := fmt.Sprintf("terminal too small: %dx%d, confab needs at least 60x15", tt.w, tt.h)
			if !tt.small {
				requireFrame(t, a)
				if strings.Contains(c, "too small") {
					t.Fatalf("%dx%d says too small", tt.w, tt.h)
				}
				return
			}
			if got := strings.Join(strings.Fields(c), " "); got != msg {
				t.Fatalf("%dx%d shows %q, want only %q", tt.w, tt.h, c, msg)
			}
			for _, l := range strings.Split(c, "\n") {
				if ansi.StringWidth(l) > tt.w {
					t.Fatalf("line %q is wider than %d", l, tt.w)
				}
			}
			if ansi.StringWidth(msg) <= tt.w {
				if c != msg {
					t.Fatalf("%dx%d: %q, want the one line %q", tt.w, tt.h, c, msg)
				}
				if tt.w == 59 || tt.h == 14 && tt.w == 60 {
					golden.RequireEqual(t, c)
				}
			}
			// Keys still work underneath (esc leaves the thread), and the size comes back.
			update(t, a, press("esc"), press("enter"))
			update(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
			if got := content(a); got != want {
				t.Fatalf("back at 80x24:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
