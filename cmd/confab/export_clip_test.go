package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// tmuxFake answers the tmux commands of a copy: set-clipboard is mode; load-buffer keeps
// its text, or fails with loadErr.
type tmuxFake struct {
	mode    string
	loadErr error
	buffers []string
}

func (f *tmuxFake) run(_ context.Context, stdin, _ string, args ...string) (string, error) {
	switch args[0] {
	case "show-options":
		return f.mode + "\n", nil
	case "-V":
		return "tmux 3.3a\n", nil
	case "load-buffer":
		if f.loadErr != nil {
			return "", f.loadErr
		}
		f.buffers = append(f.buffers, stdin)
		return "", nil
	}
	return "", errors.New("unexpected tmux " + strings.Join(args, " "))
}

// runInTmux runs confab in-process as if inside tmux ($TMUX set) whose server is fake, with
// clip as the native clipboard (nil: none).
func (h *harness) runInTmux(fake *tmuxFake, clip func(string) error, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	h.env["TMUX"] = "/tmp/tmux-0/default,4242,0"
	defer delete(h.env, "TMUX")
	a := h.app(&out, &errb)
	a.clipboard = func(func(string) string) (func(string) error, string) { return clip, "fakeclip" }
	a.tmuxRun = fake.run
	code := a.run(context.Background(), args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// TestExportClipboardChain: export --clipboard with standard output not a terminal goes to
// the tmux buffer inside tmux (whatever set-clipboard says: OSC 52 is not an option), to the
// native clipboard too when there is one, and when nothing takes it saves the transcript,
// says where, and fails.
func TestExportClipboardChain(t *testing.T) {
	h := newHarness(t)
	id := firstIDs(t, h, 1)[0]
	want := h.run("--config", h.config, "export", "mw", id).stdout

	for _, mode := range []string{"off", "external", "on"} {
		fake := &tmuxFake{mode: mode}
		r := h.runInTmux(fake, nil, "--config", h.config, "export", "mw", id, "--clipboard")
		r.want(t, 0, "Copied markdown (", ") to the tmux buffer", "paste with prefix ]")
		if len(fake.buffers) != 1 || fake.buffers[0] != want || r.stdout != "" {
			t.Errorf("set-clipboard %s: tmux got %d buffers; stdout %q", mode, len(fake.buffers), r.stdout)
		}
	}

	var got []string
	fake := &tmuxFake{mode: "off"}
	r := h.runInTmux(fake, func(s string) error { got = append(got, s); return nil }, "--config", h.config, "export", "mw", id, "--clipboard")
	r.want(t, 0, ") to the tmux buffer + fakeclip: paste with prefix ]")
	if len(got) != 1 || got[0] != want {
		t.Errorf("native got %d texts", len(got))
	}

	// tmux fails, no native clipboard: the transcript is saved, and the command says where.
	fake = &tmuxFake{mode: "off", loadErr: errors.New("tmux load-buffer: exit status 1: no server running")}
	r = h.runInTmux(fake, nil, "--config", h.config, "export", "mw", id, "--clipboard")
	r.want(t, 1, "no system clipboard available", "tmux: tmux load-buffer: exit status 1: no server running", "saved the transcript to ", "--output FILE")
	path := strings.TrimSpace(r.stderr[strings.Index(r.stderr, "saved the transcript to ")+len("saved the transcript to "):])
	path, _, _ = strings.Cut(path, " instead")
	if b, err := os.ReadFile(path); err != nil || string(b) != want {
		t.Errorf("the saved transcript %s: %v", path, err)
	}
	if strings.Contains(r.stderr, "Copied") {
		t.Errorf("stderr says copied: %q", r.stderr)
	}
}
