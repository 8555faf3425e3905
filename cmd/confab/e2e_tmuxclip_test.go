package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// showBuffer polls tmux's newest paste buffer until it starts with prefix.
func (s *tmuxSession) showBuffer(prefix string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("tmux", "-L", s.socket, "show-buffer").Output()
		if err == nil && strings.HasPrefix(string(out), prefix) {
			return string(out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ""
}

// TestE2ECopyTmuxClipboardOff runs `confab demo` in tmux with set-clipboard off (where an
// OSC 52 copy is lost), presses y, and checks that the status line names the tmux buffer and
// that the buffer holds the thread's transcript.
func TestE2ECopyTmuxClipboardOff(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	s := startTmux(t, 200, 50, bin, "demo", "--seed", "7")
	s.run("set-option", "-g", "set-clipboard", "off")
	s.waitFor("the conversation list", contains("loaded"))
	s.keys("y")
	scr := s.waitFor("the copy reported", contains(") to the tmux buffer: paste with prefix ]", "set-clipboard is off"))
	if strings.Contains(scr, "Sent thread") || strings.Contains(scr, "OSC 52") {
		t.Errorf("the status line speaks of OSC 52:\n%s", scr)
	}
	buf := s.showBuffer("# Conversation ")
	if buf == "" {
		t.Fatalf("tmux show-buffer never held the transcript; screen:\n%s", scr)
	}
	m := regexp.MustCompile("^# Conversation `([^`]+)`\n").FindStringSubmatch(buf)
	if m == nil {
		t.Fatalf("the buffer does not start with the conversation id:\n%.300s", buf)
	}
	for _, want := range []string{"- **Source:** mw (moveworks)", "## Transcript", "- **User** · "} {
		if !strings.Contains(buf, want) {
			t.Errorf("the copied transcript lacks %q:\n%s", want, buf)
		}
	}
	s.keys("q")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("confab demo exited with status %d", code)
	}
}

// TestE2EExportClipboardTmux runs `confab export --clipboard` in a tmux pane with
// set-clipboard off and standard output redirected to a file (not a terminal, so no OSC 52):
// the transcript goes to the tmux buffer, and stderr says so.
func TestE2EExportClipboardTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	h := newHarness(t)
	id := firstIDs(t, h, 1)[0]
	want := h.run("--config", h.config, "export", "mw", id).stdout
	dir := t.TempDir()
	out, start := filepath.Join(dir, "out"), filepath.Join(dir, "start")
	// The export waits for set-clipboard off to be set before it runs.
	script := `while [ ! -e "$5" ]; do sleep 0.05; done; "$1" --config "$2" export mw "$3" --clipboard > "$4" 2> "$4.err"`
	s := startTmux(t, 120, 40, "env", "CONFAB_SECRET_MW="+h.servers.Moveworks.APIKey, "DISPLAY=", "WAYLAND_DISPLAY=",
		"sh", "-c", script, "sh", bin, h.config, id, out, start)
	s.run("set-option", "-g", "set-clipboard", "off")
	if err := os.WriteFile(start, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := s.waitExit(); code != 0 {
		b, _ := os.ReadFile(out + ".err")
		t.Fatalf("export exited with status %d: %s", code, b)
	}
	stdout, _ := os.ReadFile(out)
	stderr, _ := os.ReadFile(out + ".err")
	if len(stdout) != 0 {
		t.Errorf("stdout holds %q", stdout)
	}
	if !strings.Contains(string(stderr), ") to the tmux buffer: paste with prefix ] (or set -g set-clipboard on)") {
		t.Errorf("stderr %q does not name the tmux buffer", stderr)
	}
	if buf := s.showBuffer("# Conversation "); buf != want {
		t.Errorf("the tmux buffer holds %d bytes, want the %d of the export:\n%.300s", len(buf), len(want), buf)
	}
}
