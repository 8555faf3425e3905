package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestE2ECopyTmux runs `confab demo` in tmux with set-clipboard on, presses y on the first
// conversation, and reads the Markdown transcript back from tmux's paste buffer (OSC 52). It
// must be what `confab export` prints for the same conversation of a mock with the same seed.
func TestE2ECopyTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	s := startTmux(t, 120, 40, bin, "demo", "--seed", "7")
	s.run("set-option", "-g", "set-clipboard", "on")
	s.waitFor("the conversation list", contains("loaded"))
	s.keys("y")
	scr := s.waitFor("the copy reported", func(scr string) bool {
		return strings.Contains(scr, "Sent thread (") || strings.Contains(scr, "Copied thread (")
	})
	var buf string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("tmux", "-L", s.socket, "show-buffer").Output()
		if err == nil && strings.HasPrefix(string(out), "# Conversation ") {
			buf = string(out)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if buf == "" {
		t.Fatalf("tmux show-buffer never held the transcript; screen:\n%s", scr)
	}
	m := regexp.MustCompile("^# Conversation `([^`]+)`\n").FindStringSubmatch(buf)
	if m == nil {
		t.Fatalf("the buffer does not start with the conversation id:\n%.300s", buf)
	}
	id := m[1]
	for _, want := range []string{"- **Source:** mw (moveworks)", "## Transcript", "- **User** · "} {
		if !strings.Contains(buf, want) {
			t.Errorf("the copied transcript lacks %q:\n%s", want, buf)
		}
	}
	s.keys("q")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("confab demo exited with status %d", code)
	}

	export := exportFromMock(t, 7, id)
	if buf == export {
		return
	}
	// The mock's corpus ends at the current hour: across an hour boundary the two runs can
	// differ in times. Compare the structure: the header id and every speaker line's speaker
	// and kind, in order.
	shape := func(s string) []string {
		var out []string
		for _, line := range strings.Split(s, "\n") {
			if i := strings.Index(line, "- **"); i >= 0 && strings.Contains(line, "** · ") {
				speaker, rest, _ := strings.Cut(line[i:], " · ")
				_, kind, _ := strings.Cut(rest, " · ")
				out = append(out, line[:i]+speaker+" "+kind)
			}
		}
		return out
	}
	if a, b := shape(buf), shape(export); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("the copy and `confab export` differ:\ncopy:\n%s\nexport:\n%s", buf, export)
	}
}

// exportFromMock runs `confab mock --seed N` and `confab export mw ID` against it, in process.
func exportFromMock(t *testing.T, seed int, id string) string {
	t.Helper()
	h := newHarness(t)
	path := filepath.Join(h.dir, "mock.toml")
	secret := h.startMock(path, "--seed", strconv.Itoa(seed))["CONFAB_SECRET_MW"]
	if secret == "" {
		t.Fatal("confab mock printed no CONFAB_SECRET_MW")
	}
	h.env = map[string]string{"HOME": h.dir, "CONFAB_SECRET_MW": secret}
	r := h.run("--config", path, "export", "mw", id)
	r.want(t, 0)
	return r.stdout
}

// TestE2EClipboardXvfb copies an export to the native clipboard under Xvfb with xclip and
// reads it back. CI installs xvfb and xclip; elsewhere the test is skipped without them.
func TestE2EClipboardXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	for _, tool := range []string{"xvfb-run", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required in CI (apt-get install xvfb xclip)", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	bin := buildBinary(t)
	h := newHarness(t)
	id := firstIDs(t, h, 1)[0]
	want := h.run("--config", h.config, "export", "mw", id).stdout
	script := `"$1" --config "$2" export mw "$3" --clipboard && xclip -o -selection clipboard`
	cmd := exec.Command("xvfb-run", "-a", "sh", "-c", script, "sh", bin, h.config, id)
	cmd.Env = append(os.Environ(), "CONFAB_SECRET_MW="+h.servers.Moveworks.APIKey, "HOME="+h.dir, "WAYLAND_DISPLAY=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("xvfb-run: %v\nstderr: %s", err, stderr.String())
	}
	if stdout.String() != want {
		t.Errorf("the clipboard holds %d bytes, want the %d of the export\n%.300s", stdout.Len(), len(want), stdout.String())
	}
	if !strings.Contains(stderr.String(), "via xclip") {
		t.Errorf("stderr %q does not say the copy went via xclip", stderr.String())
	}
}
