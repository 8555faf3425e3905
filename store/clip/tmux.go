package clip

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// tmuxTimeout bounds each tmux command: a hung server must not hang a copy.
const tmuxTimeout = 5 * time.Second

// Runner runs the program name with args, stdin as its standard input, and returns its
// standard output. RunCommand is the real one; tests pass fakes.
type Runner func(ctx context.Context, stdin, name string, args ...string) (string, error)

// RunCommand runs name with args (os/exec), stdin as its standard input; a failure's error
// carries the first line of the program's standard error.
func RunCommand(ctx context.Context, stdin, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if msg, _, _ := strings.Cut(strings.TrimSpace(errb.String()), "\n"); msg != "" {
			return out.String(), fmt.Errorf("%s %s: %w: %s", name, args[0], err, msg)
		}
		return out.String(), fmt.Errorf("%s %s: %w", name, args[0], err)
	}
	return out.String(), nil
}

// Tmux is the tmux server a process runs inside ($TMUX names its socket, and the tmux
// client finds it there).
type Tmux struct {
	Run Runner // how tmux commands run
}

// InTmux returns the tmux this process runs inside, or nil when $TMUX is not set. run nil
// means RunCommand. Whether the tmux program is there shows when a command runs.
func InTmux(getenv func(string) string, run Runner) *Tmux {
	if getenv("TMUX") == "" {
		return nil
	}
	if run == nil {
		run = RunCommand
	}
	return &Tmux{Run: run}
}

// The values of tmux's set-clipboard option.
const (
	SetClipboardOn       = "on"
	SetClipboardExternal = "external"
	SetClipboardOff      = "off"
)

// SetClipboard is the global set-clipboard option ("on", "external" or "off").
//
// What it means for an application's OSC 52, per tmux(1), set-clipboard: with "on" tmux
// "will both accept the escape sequence to create a buffer and attempt to set the terminal
// clipboard"; with "external" it "will attempt to set the terminal clipboard but ignore
// attempts by applications to set tmux buffers"; with "off" it "will neither accept the
// clipboard escape sequence nor attempt to set the clipboard". So only "on" lets an
// application's OSC 52 through: with "external" (tmux's default) tmux sets the clipboard
// only for its own copies (copy mode, load-buffer -w), and the application's sequence is
// dropped (input.c, input_osc_52: it returns unless set-clipboard is 2, "on").
func (t *Tmux) SetClipboard(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, tmuxTimeout)
	defer cancel()
	out, err := t.Run(ctx, "", "tmux", "show-options", "-gv", "set-clipboard")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

// version is tmux's version from tmux -V ("tmux 3.3a", "tmux next-3.6"); ok false when it
// cannot be read ("tmux master").
func (t *Tmux) version(ctx context.Context) (major, minor int, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, tmuxTimeout)
	defer cancel()
	out, err := t.Run(ctx, "", "tmux", "-V")
	if err != nil {
		return 0, 0, false
	}
	return parseTmuxVersion(out)
}

func parseTmuxVersion(s string) (major, minor int, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "tmux ")
	s = strings.TrimPrefix(s, "next-")
	maj, rest, found := strings.Cut(s, ".")
	if !found {
		return 0, 0, false
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	a, err1 := strconv.Atoi(maj)
	b, err2 := strconv.Atoi(rest[:end])
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return a, b, true
}

// Load puts text in a new tmux paste buffer (tmux load-buffer -, the text on its standard
// input). With passOn, and a tmux of 3.2 or later, it adds -w: "the buffer is also sent to
// the clipboard for target-client using the xterm(1) escape sequence, if possible"
// (tmux(1), load-buffer). It reports whether -w was used.
func (t *Tmux) Load(ctx context.Context, text string, passOn bool) (passed bool, err error) {
	if passOn {
		if maj, min, ok := t.version(ctx); ok && (maj < 3 || maj == 3 && min < 2) {
			passOn = false
		}
	}
	ctx, cancel := context.WithTimeout(ctx, tmuxTimeout)
	defer cancel()
	args := []string{"load-buffer"}
	if passOn {
		args = append(args, "-w")
	}
	args = append(args, "-")
	if _, err := t.Run(ctx, text, "tmux", args...); err != nil {
		if !passOn {
			return false, err
		}
		// An unknown version that has no -w: once more without it.
		if _, err2 := t.Run(ctx, text, "tmux", "load-buffer", "-"); err2 != nil {
			return false, err
		}
		return false, nil
	}
	return passOn, nil
}
