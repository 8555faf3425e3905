package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pane reads a tmux format of the session's pane ("#{pane_title}", "#{alternate_on}").
func (s *tmuxSession) pane(format string) string {
	s.t.Helper()
	return strings.TrimSpace(s.run("display-message", "-p", "-t", "0", format))
}

// buffers lists the tmux paste buffers (what an OSC 52 clipboard write would create).
func (s *tmuxSession) buffers() string {
	s.t.Helper()
	return strings.TrimSpace(s.run("list-buffers"))
}

// TestE2EHostileCorpus opens hostile conversations of `confab demo --hostile` — escape
// sequences that set the window title (OSC 0, OSC 2), write the clipboard (OSC 52), clear
// the screen, and DCS/APC strings — in the list, the preview and the thread, and checks that
// the window title is still confab's own and that no tmux buffer was written (set-clipboard
// is on, so an OSC 52 reaching the terminal would create one).
func TestE2EHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	s := startTmux(t, 120, 40, bin, "demo", "--hostile", "--seed", "7")
	s.run("set-option", "-g", "set-clipboard", "on")
	s.run("set-option", "-g", "allow-rename", "on")
	s.waitFor("the conversation list", contains("loaded"))
	title := s.pane("#{pane_title}")
	if !strings.HasPrefix(title, "confab") {
		t.Fatalf("window title %q before any hostile record, want confab's own", title)
	}
	bufs := s.buffers()

	for _, q := range []string{"pwned", "copy this", "RED ALERT", "device control", "invoice_"} {
		s.keys("/")
		s.waitFor("the quick filter", contains("quick"))
		s.keys("C-u")
		s.keys("-l", q)
		s.waitFor("a match for "+q, contains(" match"))
		s.keys("Enter")
		s.waitFor("the list with the match", contains("enter open thread"))
		s.keys("Enter")
		s.waitFor("the thread of "+q, func(scr string) bool {
			return strings.Contains(scr, "── Detail") && strings.Contains(scr, "esc back")
		})
		s.keys("j", "j", "j")
		s.waitFor("the thread still on screen", contains("── Detail"))
		s.keys("Escape")
		s.waitFor("the list focused again", contains("enter open thread"))
		if got := s.pane("#{pane_title}"); got != title {
			t.Fatalf("after viewing %q the window title is %q, want %q", q, got, title)
		}
		if got := s.buffers(); got != bufs {
			t.Fatalf("after viewing %q tmux has buffers %q (an OSC 52 clipboard write got through)", q, got)
		}
	}

	// Talkdesk's hostile interactions are the newest: walk the first rows with their previews.
	s.keys("2")
	s.waitFor("the Talkdesk list", contains("loaded"))
	for range 6 {
		s.keys("Enter")
		s.waitFor("a Talkdesk thread", contains("── Detail", "esc back"))
		s.keys("Escape")
		s.waitFor("the list focused again", contains("enter open thread"))
		s.keys("j")
	}
	if got := s.pane("#{pane_title}"); !strings.HasPrefix(got, "confab") || strings.Contains(got, "pwned") || strings.Contains(got, "owned") {
		t.Fatalf("after the Talkdesk records the window title is %q", got)
	}
	if got := s.buffers(); got != bufs {
		t.Fatalf("after the Talkdesk records tmux has buffers %q", got)
	}
	s.keys("q")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("confab demo --hostile exited with status %d", code)
	}
}

// exitLine is the line the test's shell prints after confab exits: EXIT and the status.
var exitLine = regexp.MustCompile(`(?m)^EXIT\d+`)

// TestE2ECrashRestoresTerminal forces a panic in a command, in Update and in View of
// `confab demo` run from an interactive shell, and checks that each time the terminal is
// restored (the alternate screen left, the cursor shown, raw mode off: the shell takes a
// typed command), that confab exits 1 with one line naming the crash file, and that the file
// holds the panic and its stack, readable by the user only.
func TestE2ECrashRestoresTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t, "confab_testpanic")
	state := t.TempDir()
	s := startTmux(t, 220, 30, "sh")
	s.keys("-l", "PS1='$ '")
	s.keys("Enter")
	for i, where := range []string{"cmd", "update", "view"} {
		s.keys("clear", "Enter")
		s.keys("-l", "XDG_STATE_HOME="+state+" CONFAB_TEST_PANIC="+where+" "+bin+" demo; echo $? | sed s/^/EXIT/")
		s.keys("Enter")
		scr := s.waitFor("the crash of "+where, exitLine.MatchString)
		if !strings.Contains(scr, "EXIT1") {
			t.Fatalf("%s: exit status is not 1:\n%s", where, scr)
		}
		if !strings.Contains(scr, "confab: crashed (a bug in confab); details in "+filepath.Join(state, "confab", "crash-")) {
			t.Fatalf("%s: no one-line crash message naming the file:\n%s", where, scr)
		}
		if strings.Contains(scr, "Caught panic") || strings.Contains(scr, "goroutine ") {
			t.Fatalf("%s: a stack was printed on the terminal:\n%s", where, scr)
		}
		if alt := s.pane("#{alternate_on}"); alt != "0" {
			t.Fatalf("%s: still in the alternate screen (alternate_on=%s)", where, alt)
		}
		if cur := s.pane("#{cursor_flag}"); cur != "1" {
			t.Fatalf("%s: the cursor is hidden (cursor_flag=%s)", where, cur)
		}
		s.keys("-l", "echo ok-"+where)
		s.keys("Enter")
		s.waitFor("the shell to run a command", func(scr string) bool {
			for _, l := range strings.Split(scr, "\n") {
				if strings.TrimSpace(l) == "ok-"+where {
					return true
				}
			}
			return false
		})

		files, _ := filepath.Glob(filepath.Join(state, "confab", "crash-*.txt"))
		if len(files) != i+1 {
			t.Fatalf("%s: %d crash files, want %d", where, len(files), i+1)
		}
		f := files[len(files)-1]
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: crash file mode %v, want 0600", where, fi.Mode().Perm())
		}
		b, _ := os.ReadFile(f)
		if !strings.Contains(string(b), "confab test panic") || !strings.Contains(string(b), "goroutine ") {
			t.Errorf("%s: the crash file lacks the panic or its stack:\n%s", where, b)
		}
	}
	s.keys("exit", "Enter")
}
