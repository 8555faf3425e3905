package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client/transcript"
	"github.com/confab-dev/confab/store/clip"
)

// fakeTmuxServer answers the tmux commands a copy runs: set-clipboard is mode, and
// load-buffer keeps what it is given.
type fakeTmuxServer struct {
	mode    string
	buffers []string
	args    []string
}

func (f *fakeTmuxServer) run(_ context.Context, stdin, _ string, args ...string) (string, error) {
	switch args[0] {
	case "show-options":
		return f.mode + "\n", nil
	case "-V":
		return "tmux 3.3a\n", nil
	case "load-buffer":
		f.args = args
		f.buffers = append(f.buffers, stdin)
		return "", nil
	}
	return "", errors.New("unexpected tmux " + strings.Join(args, " "))
}

// TestCopyInTmux: inside tmux, y sends OSC 52 only when set-clipboard is on; otherwise the
// thread goes to the tmux buffer and the status bar says so, with what to do.
func TestCopyInTmux(t *testing.T) {
	tests := []struct {
		mode    string
		osc     bool
		args    string
		status  string
		buffers int
	}{
		{"on", true, "", "Sent thread (7 messages, ", 0},
		{"external", false, "load-buffer -w -", "to the tmux buffer: paste with prefix ] (tmux also offers it to the terminal clipboard; set-clipboard is external; or set -g set-clipboard on)", 1},
		{"off", false, "load-buffer -", "to the tmux buffer: paste with prefix ] (set-clipboard is off; or set -g set-clipboard on)", 1},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			srv := &fakeTmuxServer{mode: tt.mode}
			a, _, c := copyApp(t, nil, func(d *Deps) {
				d.Tmux = clip.InTmux(func(string) string { return "/tmp/tmux-0/default,1,0" }, srv.run)
			})
			r := runCopy(t, a, press("y"))
			want := render(t, transcript.FormatMarkdown, c, transcript.Options{Kind: "fake"})
			if (len(r.osc) == 1) != tt.osc {
				t.Errorf("OSC 52 sent %d texts, want %v", len(r.osc), tt.osc)
			}
			if len(srv.buffers) != tt.buffers || tt.buffers == 1 && srv.buffers[0] != want {
				t.Errorf("tmux buffers %d, want %d holding the transcript", len(srv.buffers), tt.buffers)
			}
			if got := strings.Join(srv.args, " "); got != tt.args {
				t.Errorf("load-buffer args %q, want %q", got, tt.args)
			}
			if !strings.Contains(r.lastStatus(), tt.status) {
				t.Errorf("status %q lacks %q", r.lastStatus(), tt.status)
			}
			if !tt.osc && !strings.HasPrefix(r.lastStatus(), "Copied thread (7 messages, ") {
				t.Errorf("status %q", r.lastStatus())
			}
		})
	}
}
