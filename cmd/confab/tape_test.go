package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/store/secret"
)

// The tape replay keeps demo.tape honest: it parses the VHS tape at the repository's top
// level and replays its keystrokes against the built binary in tmux, in a bash started the
// way VHS starts it (no profile, no rc, prompt "> "), at the tape's size in cells. Every Wait
// must match within its time limit, and the program the tape runs must exit 0. Sleeps are
// shortened to at most tapeSleepCap: they are there for people watching the GIF, and the
// tour must not depend on them (Waits carry the synchronisation).

// tapeSleepCap bounds each Sleep and typing delay of the replay.
const tapeSleepCap = 250 * time.Millisecond

// tapeCmd is one command of a tape.
type tapeCmd struct {
	line  int
	name  string        // "Type", "Enter", "Ctrl+C", "Sleep", "Wait", "Set", …
	speed time.Duration // @speed of a key or Type command; the time limit of a Wait
	count int           // repeat count of a key command (1 by default)
	arg   string        // the text of Type, the duration of Sleep, the setting of Set, …
	scope string        // "Screen" or "Line" for Wait
	re    *regexp.Regexp
}

// tapeKeys maps VHS key commands to tmux send-keys names.
var tapeKeys = map[string]string{
	"Enter": "Enter", "Tab": "Tab", "Space": "Space", "Backspace": "BSpace", "Delete": "DC",
	"Insert": "IC", "Escape": "Escape", "Up": "Up", "Down": "Down", "Left": "Left",
	"Right": "Right", "PageUp": "PPage", "PageDown": "NPage", "Home": "Home", "End": "End",
}

// tapeIgnored are commands that change how VHS renders, not what the program receives.
var tapeIgnored = map[string]bool{
	"Output": true, "Require": true, "Set": true, "Screenshot": true, "Hide": true, "Show": true,
	"Env": true, "Source": true, "Copy": true, "Paste": true,
}

var tapeSpeedRe = regexp.MustCompile(`^([A-Za-z+]+?)(?:@(\S+))?$`)

// parseTapeDuration reads a VHS duration: a Go duration, or a number of seconds.
func parseTapeDuration(s string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: %w", s, err)
	}
	return d, nil
}

// unquoteTape reads a VHS string: "…", '…' or `…`, no escapes.
func unquoteTape(s string) (string, error) {
	if len(s) >= 2 && strings.ContainsRune("\"'`", rune(s[0])) && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], nil
	}
	return "", fmt.Errorf("not a quoted string: %s", s)
}

// parseTape reads the commands of a VHS tape.
func parseTape(text string) ([]tapeCmd, error) {
	var cmds []tapeCmd
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		head, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		m := tapeSpeedRe.FindStringSubmatch(head)
		if m == nil {
			return nil, fmt.Errorf("line %d: cannot read %q", n, line)
		}
		c := tapeCmd{line: n, name: m[1], count: 1}
		if m[2] != "" {
			d, err := parseTapeDuration(m[2])
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			c.speed = d
		}
		switch {
		case tapeIgnored[c.name]:
			c.arg = rest
		case c.name == "Type":
			s, err := unquoteTape(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: Type: %w", n, err)
			}
			c.arg = s
		case c.name == "Sleep":
			d, err := parseTapeDuration(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: Sleep: %w", n, err)
			}
			c.speed = d
		case c.name == "Wait" || strings.HasPrefix(c.name, "Wait+"):
			c.scope = "Line"
			if scope, ok := strings.CutPrefix(c.name, "Wait+"); ok {
				if scope != "Screen" && scope != "Line" {
					return nil, fmt.Errorf("line %d: Wait+ expects Line or Screen, not %q", n, scope)
				}
				c.scope = scope
			}
			c.name = "Wait"
			pattern := `>$` // VHS's default wait pattern: the prompt
			if rest != "" {
				if len(rest) < 2 || rest[0] != '/' || rest[len(rest)-1] != '/' {
					return nil, fmt.Errorf("line %d: Wait expects /regex/, got %s", n, rest)
				}
				pattern = rest[1 : len(rest)-1]
			}
			re, err := regexp.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("line %d: Wait: %w", n, err)
			}
			c.re = re
		default:
			if _, ok := tapeKeyName(c.name); !ok {
				return nil, fmt.Errorf("line %d: unknown command %q", n, c.name)
			}
			if rest != "" {
				k, err := strconv.Atoi(rest)
				if err != nil || k < 1 {
					return nil, fmt.Errorf("line %d: %s: bad repeat count %q", n, c.name, rest)
				}
				c.count = k
			}
		}
		cmds = append(cmds, c)
	}
	return cmds, sc.Err()
}

// tapeKeyName returns the tmux key for a VHS key command: Enter, PageDown, Ctrl+C, Alt+x,
// Shift+Tab, Ctrl+Alt+x…
func tapeKeyName(name string) (string, bool) {
	if k, ok := tapeKeys[name]; ok {
		return k, true
	}
	if name == "Shift+Tab" {
		return "BTab", true
	}
	parts := strings.Split(name, "+")
	if len(parts) < 2 {
		return "", false
	}
	var prefix string
	for _, mod := range parts[:len(parts)-1] {
		switch mod {
		case "Ctrl":
			prefix += "C-"
		case "Alt":
			prefix += "M-"
		case "Shift":
			prefix += "S-"
		default:
			return "", false
		}
	}
	last := parts[len(parts)-1]
	if k, ok := tapeKeys[last]; ok {
		return prefix + k, true
	}
	if len(last) == 1 {
		if strings.HasPrefix(prefix, "C-") {
			last = strings.ToLower(last)
		}
		return prefix + last, true
	}
	return "", false
}

// tapeSettings are the Set commands of a tape, with VHS's defaults.
type tapeSettings struct {
	width, height, padding, fontSize int
	lineHeight                       float64
}

func settingsOf(t *testing.T, cmds []tapeCmd) tapeSettings {
	t.Helper()
	s := tapeSettings{width: 1200, height: 600, padding: 60, fontSize: 22, lineHeight: 1}
	for _, c := range cmds {
		if c.name != "Set" {
			continue
		}
		key, val, _ := strings.Cut(c.arg, " ")
		val = strings.TrimSpace(val)
		var err error
		switch key {
		case "Width":
			s.width, err = strconv.Atoi(val)
		case "Height":
			s.height, err = strconv.Atoi(val)
		case "Padding":
			s.padding, err = strconv.Atoi(val)
		case "FontSize":
			s.fontSize, err = strconv.Atoi(val)
		case "LineHeight":
			s.lineHeight, err = strconv.ParseFloat(val, 64)
		}
		if err != nil {
			t.Fatalf("line %d: Set %s: %v", c.line, key, err)
		}
	}
	return s
}

// cells is the terminal size of the tape in cells: the pixel size less the padding, divided
// by a cell of JetBrains Mono (VHS's first-choice font): 0.6 em wide, 1.32 em high (ascent +
// descent) rounded up to whole pixels, times the line height.
func (s tapeSettings) cells() (cols, rows int) {
	cw := 0.6 * float64(s.fontSize)
	ch := math.Ceil(1.32 * float64(s.fontSize) * s.lineHeight)
	return int(float64(s.width-2*s.padding) / cw), int(float64(s.height-2*s.padding) / ch)
}

func readTape(t *testing.T) []tapeCmd {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "demo.tape"))
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := parseTape(string(data))
	if err != nil {
		t.Fatalf("demo.tape: %v", err)
	}
	return cmds
}

// TestTapeShape checks what the replay cannot see: the size, the outputs, and that every
// Escape is followed by a Wait before the next key.
func TestTapeShape(t *testing.T) {
	cmds := readTape(t)
	if cols, rows := settingsOf(t, cmds).cells(); cols < 120 || rows < 35 {
		t.Errorf("demo.tape is %dx%d cells; the tour needs at least 120x35", cols, rows)
	}
	var waits, screenshots int
	for i, c := range cmds {
		switch c.name {
		case "Wait":
			waits++
		case "Output", "Screenshot":
			if c.name == "Screenshot" {
				screenshots++
			}
			if !strings.HasPrefix(c.arg, "docs/") {
				t.Errorf("line %d: %s %s: pictures belong under docs/", c.line, c.name, c.arg)
			}
		case "Escape":
			for _, next := range cmds[i+1:] {
				if next.name == "Wait" {
					break
				}
				if _, key := tapeKeyName(next.name); key || next.name == "Type" {
					t.Errorf("line %d: Escape is followed by %s (line %d) without a Wait: it would read as alt+key",
						c.line, next.name, next.line)
					break
				}
			}
		}
	}
	if waits < 5 || screenshots < 2 {
		t.Errorf("demo.tape has %d Waits and %d Screenshots; want a tour synchronised on the screen and the README's pictures", waits, screenshots)
	}
}

func TestParseTape(t *testing.T) {
	tests := []struct {
		name, in string
		want     tapeCmd
		err      bool
	}{
		{"type", `Type@40ms "f 'x'"`, tapeCmd{name: "Type", arg: "f 'x'", speed: 40 * time.Millisecond, count: 1}, false},
		{"repeat", "Down@300ms 5", tapeCmd{name: "Down", speed: 300 * time.Millisecond, count: 5}, false},
		{"ctrl", "Ctrl+U", tapeCmd{name: "Ctrl+U", count: 1}, false},
		{"sleep seconds", "Sleep 1.5", tapeCmd{name: "Sleep", speed: 1500 * time.Millisecond, count: 1}, false},
		{"wait screen", `Wait+Screen@5s /a\/b/`, tapeCmd{name: "Wait", scope: "Screen", speed: 5 * time.Second, count: 1}, false},
		{"wait default", "Wait", tapeCmd{name: "Wait", scope: "Line", count: 1}, false},
		{"unknown", "Jump 3", tapeCmd{}, true},
		{"bad wait", "Wait+Column /x/", tapeCmd{}, true},
		{"bad regex", "Wait+Screen /(/", tapeCmd{}, true},
		{"unquoted", "Type hello", tapeCmd{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds, err := parseTape(tt.in)
			if tt.err {
				if err == nil {
					t.Fatalf("parseTape(%q) = %+v, want an error", tt.in, cmds)
				}
				return
			}
			if err != nil || len(cmds) != 1 {
				t.Fatalf("parseTape(%q) = %+v, %v", tt.in, cmds, err)
			}
			got := cmds[0]
			if got.name != tt.want.name || got.arg != tt.want.arg || got.speed != tt.want.speed ||
				got.count != tt.want.count || got.scope != tt.want.scope {
				t.Fatalf("parseTape(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
	if k, ok := tapeKeyName("Ctrl+Y"); !ok || k != "C-y" {
		t.Errorf("tapeKeyName(Ctrl+Y) = %q, %v", k, ok)
	}
	if k, ok := tapeKeyName("PageDown"); !ok || k != "NPage" {
		t.Errorf("tapeKeyName(PageDown) = %q, %v", k, ok)
	}
}

// TestTapeReplay replays demo.tape against the built binary in tmux, on today's clock.
func TestTapeReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	replayTape(t, buildBinary(t), "")
}

// replayTape replays demo.tape against bin. With now set, the tape's `confab demo` runs as
// `confab demo --now NOW` (through a wrapper first on PATH), so the whole tour runs on a clock
// other than the machine's.
func replayTape(t *testing.T, bin, now string) {
	cmds := readTape(t)
	cols, rows := settingsOf(t, cmds).cells()
	dir := filepath.Dir(bin)
	if now != "" {
		dir = t.TempDir()
		wrapper := fmt.Sprintf("#!/bin/sh\nif [ \"$1\" = demo ]; then shift; exec %s demo --now %s \"$@\"; fi\nexec %s \"$@\"\n",
			secret.ShellQuote(bin), secret.ShellQuote(now), secret.ShellQuote(bin))
		if err := os.WriteFile(filepath.Join(dir, "confab"), []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=" + dir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PS1=> "} // VHS's bash prompt, which its default Wait pattern matches
	s := startTmux(t, cols, rows, append([]string{"env"}, append(env, "bash", "--noprofile", "--norc")...)...)
	s.waitFor("the shell prompt", regexp.MustCompile(`(?m)^>$`).MatchString)
	capped := func(d time.Duration) time.Duration { return min(d, tapeSleepCap) }
	for _, c := range cmds {
		switch {
		case tapeIgnored[c.name]:
		case c.name == "Type":
			if c.speed == 0 {
				s.keys("-l", c.arg)
				break
			}
			for _, r := range c.arg {
				s.keys("-l", string(r))
				time.Sleep(capped(c.speed))
			}
		case c.name == "Sleep":
			time.Sleep(capped(c.speed))
		case c.name == "Wait":
			what := fmt.Sprintf("demo.tape line %d: Wait+%s /%s/", c.line, c.scope, c.re)
			if c.scope == "Screen" {
				s.waitFor(what, c.re.MatchString)
				break
			}
			s.waitFor(what, func(string) bool { return c.re.MatchString(s.cursorLine()) })
		default:
			k, _ := tapeKeyName(c.name)
			for i := 0; i < c.count; i++ {
				s.keys(k)
				if c.speed > 0 {
					time.Sleep(capped(c.speed))
				}
			}
		}
	}
	// bash's exit status is the status of the last command: the program the tape ran.
	s.keys("-l", "exit")
	s.keys("Enter")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("the program demo.tape runs exited with status %d", code)
	}
}

// cursorLine is the pane's line under the cursor (VHS's Wait+Line scope).
func (s *tmuxSession) cursorLine() string {
	y, err := strconv.Atoi(strings.TrimSpace(s.run("display-message", "-p", "-t", "0", "#{cursor_y}")))
	if err != nil {
		s.t.Fatalf("cursor position: %v", err)
	}
	lines := strings.Split(s.screen(), "\n")
	if y < 0 || y >= len(lines) {
		return ""
	}
	return strings.TrimRight(lines[y], " ")
}

// TestTapeVHSValidate runs `vhs validate demo.tape` when vhs is on PATH (docs/tools builds
// it: cd docs/tools && go build -o "$(go env GOPATH)/bin/vhs" github.com/charmbracelet/vhs).
// CI does not build vhs by default (about a minute); CONFAB_REQUIRE_VHS=1 makes it required.
func TestTapeVHSValidate(t *testing.T) {
	vhs, err := exec.LookPath("vhs")
	if err != nil {
		if os.Getenv("CONFAB_REQUIRE_VHS") != "" {
			t.Fatal("CONFAB_REQUIRE_VHS is set but vhs is not on PATH")
		}
		t.Skip("vhs not on PATH")
	}
	out, err := exec.Command(vhs, "validate", filepath.Join("..", "..", "demo.tape")).CombinedOutput()
	if err != nil {
		t.Fatalf("vhs validate demo.tape: %v\n%s", err, out)
	}
}
