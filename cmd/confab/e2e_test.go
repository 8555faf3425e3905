package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/store/secret"
)

// tmuxSession drives the built confab binary in a private tmux server at a fixed size.
type tmuxSession struct {
	t      *testing.T
	socket string
	status string // file the wrapper shell writes the program's exit status to
}

// buildBinary builds confab, with the given build tags (confab_testpanic: the crash-recovery
// hook of tui/testpanic_hook.go).
func buildBinary(t *testing.T, tags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "confab")
	args := []string{"build", "-o", bin}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.Command("go", append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startTmux(t *testing.T, w, h int, args ...string) *tmuxSession {
	t.Helper()
	return startTmuxCache(t, w, h, t.TempDir(), args...)
}

// startTmuxCache is startTmux with XDG_CACHE_HOME (the local store's directory) at cacheDir.
func startTmuxCache(t *testing.T, w, h int, cacheDir string, args ...string) *tmuxSession {
	t.Helper()
	return startTmuxEnv(t, w, h, cacheDir, nil, args...)
}

// startTmuxEnv is startTmuxCache with more environment variables (KEY=value) for the program.
func startTmuxEnv(t *testing.T, w, h int, cacheDir string, env []string, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required in CI")
		}
		t.Skip("tmux not installed")
	}
	s := &tmuxSession{t: t, socket: fmt.Sprintf("confab-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()),
		status: filepath.Join(t.TempDir(), "status")}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	base := []string{"-f", "/dev/null", "new-session", "-d", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		"-e", "TERM=xterm-256color", "-e", "HOME=" + t.TempDir(), "-e", "XDG_CONFIG_HOME=" + t.TempDir(), "-e", "XDG_CACHE_HOME=" + cacheDir}
	for _, e := range env {
		base = append(base, "-e", e)
	}
	// tmux records a pane's exit status only once it reaps the child, which under load can
	// come long after the pane is dead: a wrapper shell writes the status to a file instead.
	wrapper := []string{"sh", "-c", `"$0" "$@"; echo $? > ` + secret.ShellQuote(s.status)}
	s.run(append(append(base, wrapper...), args...)...)
	s.run("set-option", "-g", "remain-on-exit", "on")
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.run("capture-pane", "-p") }

func (s *tmuxSession) keys(keys ...string) {
	s.run(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// waitFor polls the screen until pred holds, failing with the last screen after timeout.
func (s *tmuxSession) waitFor(what string, pred func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		if pred(scr) {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %s; screen:\n%s", what, scr)
	return ""
}

func (s *tmuxSession) waitExit() int {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(s.status); err == nil && strings.HasSuffix(string(b), "\n") {
			var status int
			if _, err := fmt.Sscanf(string(b), "%d", &status); err != nil {
				s.t.Fatalf("unreadable exit status %q", b)
			}
			return status
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("program did not exit; screen:\n%s", s.run("capture-pane", "-p", "-S", "-200"))
	return -1
}

func contains(subs ...string) func(string) bool {
	return func(scr string) bool {
		for _, s := range subs {
			if !strings.Contains(scr, s) {
				return false
			}
		}
		return true
	}
}

// TestE2EDemo runs `confab demo` in tmux at 120x40: waits for the Moveworks list, opens a
// thread, sees the tree, goes back and quits with exit status 0.
func TestE2EDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	s := startTmux(t, 120, 40, bin, "demo", "--seed", "7")
	s.waitFor("the conversation list", contains("loaded"))
	s.keys("Enter")
	s.waitFor("a thread tree", func(scr string) bool {
		return strings.Contains(scr, "└─") || strings.Contains(scr, "├─")
	})
	// ESC immediately followed by another key reads as alt+key: wait for the list to have focus.
	s.keys("Escape")
	s.waitFor("the list focused again", contains("enter open thread"))
	s.keys("q")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("confab demo exited with status %d", code)
	}
}

// TestE2EDemoFromStore runs `confab demo` twice on one cache directory: the second opens on
// the rows the first stored, before its mock vendors are up, with the store's mark in the
// status bar. It logs how long the second took to show a row.
func TestE2EDemoFromStore(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	cacheDir := t.TempDir()
	first := startTmuxCache(t, 120, 40, cacheDir, bin, "demo", "--seed", "7")
	first.waitFor("the conversation list", contains("loaded"))
	first.keys("q")
	if code := first.waitExit(); code != 0 {
		t.Fatalf("the first demo exited with status %d", code)
	}
	start := time.Now()
	second := startTmuxCache(t, 120, 40, cacheDir, bin, "demo", "--seed", "7")
	var scr string
	for scr = second.screen(); !strings.Contains(scr, "loaded"); scr = second.screen() {
		if time.Since(start) > 20*time.Second {
			t.Fatalf("the second demo showed no rows; screen:\n%s", scr)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("second confab demo: first row on screen after %v (tmux and process start included)", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(scr, "syncing…") && !strings.Contains(scr, "synced") && !strings.Contains(scr, "local store") {
		t.Errorf("the first screen with rows has no local-store mark:\n%s", scr)
	}
	second.waitFor("the refresh", contains("synced"))
	second.keys("q")
	if code := second.waitExit(); code != 0 {
		t.Fatalf("the second demo exited with status %d", code)
	}
}
