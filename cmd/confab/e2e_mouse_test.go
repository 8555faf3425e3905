package main

import (
	"fmt"
	"strings"
	"testing"
)

// sgrClick is what a terminal sends for a left click at cell (x, y) (0-based) in SGR mouse
// mode: the press and the release.
func sgrClick(x, y int) string {
	return fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1)
}

// TestE2EMouseTmux runs `confab demo` in tmux: confab turns on mouse reporting (tmux's
// pane flags say so), and two clicks on a list row open its thread with the focus; with
// --no-mouse, mouse reporting stays off.
func TestE2EMouseTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	for _, noMouse := range []bool{false, true} {
		args := []string{bin, "demo", "--seed", "7"}
		if noMouse {
			args = append(args, "--no-mouse")
		}
		s := startTmux(t, 120, 40, args...)
		scr := s.waitFor("the conversation list", contains("loaded"))
		flags := strings.TrimSpace(s.run("display-message", "-p", "-t", "0", "#{mouse_button_flag} #{mouse_sgr_flag}"))
		if want := map[bool]string{false: "1 1", true: "0 0"}[noMouse]; flags != want {
			t.Errorf("--no-mouse %v: tmux's mouse_button_flag and mouse_sgr_flag are %q, want %q", noMouse, flags, want)
		}
		if noMouse {
			s.keys("q")
			s.waitExit()
			continue
		}
		header := -1
		for i, l := range strings.Split(scr, "\n") {
			if strings.Contains(l, "Time") {
				header = i
				break
			}
		}
		if header < 0 {
			t.Fatalf("no list header on screen:\n%s", scr)
		}
		if strings.Contains(scr, "esc back") {
			t.Fatalf("the hint line speaks of the thread before any click:\n%s", scr)
		}
		s.run("send-keys", "-t", "0", "-l", sgrClick(5, header+3))
		s.run("send-keys", "-t", "0", "-l", sgrClick(5, header+3))
		s.waitFor("the thread focused by the second click", contains("esc back"))
		s.keys("q")
		if code := s.waitExit(); code != 0 {
			t.Fatalf("confab demo exited with status %d", code)
		}
	}
}
