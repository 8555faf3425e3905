package clip

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTmux is a tmux server behind a Runner: its set-clipboard option, its version, and the
// paste buffers load-buffer made.
type fakeTmux struct {
	mode    string // set-clipboard; "" with absent: no answer
	absent  bool   // the tmux program is not installed
	version string // tmux -V
	loadErr error
	calls   []string
	buffers []string
}

func (f *fakeTmux) run(_ context.Context, stdin, name string, args ...string) (string, error) {
	f.calls = append(f.calls, name+" "+strings.Join(args, " "))
	if f.absent {
		return "", errors.New(`exec: "tmux": executable file not found in $PATH`)
	}
	switch {
	case len(args) == 3 && args[0] == "show-options" && args[1] == "-gv" && args[2] == "set-clipboard":
		return f.mode + "\n", nil
	case len(args) == 1 && args[0] == "-V":
		return f.version + "\n", nil
	case len(args) >= 2 && args[0] == "load-buffer" && args[len(args)-1] == "-":
		if f.loadErr != nil {
			return "", f.loadErr
		}
		f.buffers = append(f.buffers, stdin)
		return "", nil
	}
	return "", errors.New("unknown command " + strings.Join(args, " "))
}

func (f *fakeTmux) loadedWith() string {
	for _, c := range f.calls {
		if strings.HasPrefix(c, "tmux load-buffer") {
			return c
		}
	}
	return ""
}

// TestDeliverChain: which ways a copy goes, and what the status says, inside tmux or not,
// for each set-clipboard value, with tmux installed or not and a native clipboard or not.
func TestDeliverChain(t *testing.T) {
	const text = "# Conversation `c1`\n\nhello\n"
	tests := []struct {
		name     string
		tmux     bool // $TMUX is set
		mode     string
		absent   bool
		version  string
		loadErr  error
		native   bool
		natErr   error
		maxOSC   int
		route    Route
		load     string   // the load-buffer command ("": none)
		status   []string // substrings of the status
		notInSts []string
	}{
		{name: "no tmux, native", native: true, route: ViaOSC52 | ViaNative,
			status: []string{"Copied thread (1 KB) via OSC 52 + fakeclip"}},
		{name: "no tmux, no native", route: ViaOSC52,
			status: []string{"Sent thread (1 KB) to the terminal clipboard (OSC 52)"}},
		{name: "no tmux, no osc, no native", maxOSC: -1, route: ViaFile,
			status: []string{"Saved thread (1 KB) to ", "(no clipboard available)"}},
		{name: "tmux on", tmux: true, mode: "on", version: "tmux 3.3a", route: ViaOSC52,
			status: []string{"Sent thread (1 KB) to the terminal clipboard (OSC 52)"}, notInSts: []string{"tmux"}},
		{name: "tmux on, native", tmux: true, mode: "on", version: "tmux 3.3a", native: true, route: ViaOSC52 | ViaNative,
			status: []string{"Copied thread (1 KB) via OSC 52 + fakeclip"}},
		{name: "tmux on, too large", tmux: true, mode: "on", version: "tmux 3.3a", maxOSC: 4, route: ViaTmux,
			load: "tmux load-buffer -w -", status: []string{"Copied thread (1 KB) to the tmux buffer: paste with prefix ] (tmux also offers it to the terminal clipboard; too large for OSC 52)"}},
		{name: "tmux external", tmux: true, mode: "external", version: "tmux 3.3a", route: ViaTmux,
			load:   "tmux load-buffer -w -",
			status: []string{"Copied thread (1 KB) to the tmux buffer: paste with prefix ] (tmux also offers it to the terminal clipboard; set-clipboard is external; or set -g set-clipboard on)"}},
		{name: "tmux external, old tmux", tmux: true, mode: "external", version: "tmux 3.1c", route: ViaTmux,
			load: "tmux load-buffer -", status: []string{"Copied thread (1 KB) to the tmux buffer: paste with prefix ] (set-clipboard is external; or set -g set-clipboard on)"}},
		{name: "tmux off", tmux: true, mode: "off", version: "tmux 3.3a", route: ViaTmux,
			load: "tmux load-buffer -", status: []string{"Copied thread (1 KB) to the tmux buffer: paste with prefix ] (set-clipboard is off; or set -g set-clipboard on)"}},
		{name: "tmux off, native", tmux: true, mode: "off", version: "tmux 3.3a", native: true, route: ViaTmux | ViaNative,
			load: "tmux load-buffer -", status: []string{"Copied thread (1 KB) to the tmux buffer + fakeclip: paste with prefix ] (set-clipboard is off"}},
		{name: "tmux off, load fails, native", tmux: true, mode: "off", loadErr: errors.New("no server"), native: true, route: ViaNative,
			load: "tmux load-buffer -", status: []string{"Copied thread (1 KB) via fakeclip (set-clipboard is off; tmux failed: no server)"}},
		{name: "tmux off, load fails, no native", tmux: true, mode: "off", loadErr: errors.New("no server"), route: ViaFile,
			load: "tmux load-buffer -", status: []string{"Saved thread (1 KB) to ", "(set-clipboard is off, no other clipboard; tmux failed: no server)"}},
		{name: "tmux off, native fails", tmux: true, mode: "off", version: "tmux 3.3a", native: true, natErr: errors.New("exit status 1"), route: ViaTmux,
			load: "tmux load-buffer -", status: []string{"Copied thread (1 KB) to the tmux buffer: paste with prefix ] (set-clipboard is off; or set -g set-clipboard on; fakeclip failed: exit status 1)"}},
		{name: "tmux absent, native", tmux: true, absent: true, native: true, route: ViaOSC52 | ViaNative,
			status: []string{"Copied thread (1 KB) via OSC 52 + fakeclip (could not ask tmux about set-clipboard: exec: \"tmux\": executable file not found"}},
		{name: "tmux absent, no native", tmux: true, absent: true, route: ViaOSC52,
			status: []string{"Sent thread (1 KB) to the terminal clipboard (OSC 52); could not ask tmux about set-clipboard"}},
		{name: "tmux absent, no osc, no native", tmux: true, absent: true, maxOSC: -1, route: ViaFile,
			status: []string{"Saved thread (1 KB) to ", "(no clipboard available; tmux failed: exec"}},
		{name: "tmux off, osc disabled", tmux: true, mode: "off", version: "tmux 3.3a", maxOSC: -1, route: ViaTmux,
			load: "tmux load-buffer -", status: []string{"Copied thread (1 KB) to the tmux buffer: paste with prefix ] (or set -g set-clipboard on)"}},
		{name: "tmux on, osc disabled (export to a pipe)", tmux: true, mode: "on", version: "tmux 3.3a", maxOSC: -1, route: ViaTmux,
			load: "tmux load-buffer -w -", status: []string{"Copied thread (1 KB) to the tmux buffer: paste with prefix ] (tmux also offers it to the terminal clipboard)"}},
		{name: "tmux unreadable version", tmux: true, mode: "external", version: "tmux master", route: ViaTmux,
			load: "tmux load-buffer -w -", status: []string{"to the tmux buffer: paste with prefix ] (tmux also offers it"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeTmux{mode: tt.mode, absent: tt.absent, version: tt.version, loadErr: tt.loadErr}
			env := map[string]string{}
			if tt.tmux {
				env["TMUX"] = "/tmp/tmux-0/default,1234,0"
			}
			var natGot []string
			cfg := Config{MaxOSC52: DefaultMaxOSC52, ExportDir: t.TempDir(), NativeName: "fakeclip",
				Tmux: InTmux(func(k string) string { return env[k] }, ft.run)}
			if tt.maxOSC != 0 {
				cfg.MaxOSC52 = tt.maxOSC
			}
			if tt.native {
				cfg.Native = func(s string) error { natGot = append(natGot, s); return tt.natErr }
			}
			o := Deliver(context.Background(), text, "thread", "1 KB", "conversation-c1.md", cfg)
			if o.Route != tt.route {
				t.Errorf("route %b, want %b (status %q)", o.Route, tt.route, o.Status)
			}
			if (o.OSC52 == text) != (tt.route&ViaOSC52 != 0) || o.OSC52 != "" && o.OSC52 != text {
				t.Errorf("OSC52 %q with route %b", o.OSC52, o.Route)
			}
			for _, s := range tt.status {
				if !strings.Contains(o.Status, s) {
					t.Errorf("status %q lacks %q", o.Status, s)
				}
			}
			for _, s := range tt.notInSts {
				if strings.Contains(o.Status, s) {
					t.Errorf("status %q has %q", o.Status, s)
				}
			}
			if strings.HasPrefix(o.Status, "Copied") && o.Route&(ViaTmux|ViaNative) == 0 {
				t.Errorf("status %q says copied, but nothing confirmed the copy", o.Status)
			}
			if !tt.tmux && len(ft.calls) > 0 {
				t.Errorf("tmux ran outside tmux: %q", ft.calls)
			}
			if got := ft.loadedWith(); got != tt.load {
				t.Errorf("load-buffer: %q, want %q (calls %q)", got, tt.load, ft.calls)
			}
			if tt.route&ViaTmux != 0 && (len(ft.buffers) != 1 || ft.buffers[0] != text) {
				t.Errorf("tmux buffers %q", ft.buffers)
			}
			if tt.native && (len(natGot) != 1 || natGot[0] != text) {
				t.Errorf("native got %q", natGot)
			}
			if tt.route&ViaFile != 0 {
				b, err := os.ReadFile(o.File)
				if err != nil || string(b) != text || filepath.Base(o.File) != "conversation-c1.md" {
					t.Errorf("file %q: %q, %v", o.File, b, err)
				}
			} else if o.File != "" {
				t.Errorf("file %q written", o.File)
			}
		})
	}
}

func TestParseTmuxVersion(t *testing.T) {
	for in, want := range map[string][3]int{
		"tmux 3.3a": {3, 3, 1}, "tmux 3.2": {3, 2, 1}, "tmux next-3.6": {3, 6, 1}, "tmux 2.9a\n": {2, 9, 1},
		"tmux master": {0, 0, 0}, "tmux openbsd-7.4": {0, 0, 0}, "": {0, 0, 0},
	} {
		maj, min, ok := parseTmuxVersion(in)
		if got := [3]int{maj, min, map[bool]int{true: 1}[ok]}; got != want {
			t.Errorf("parseTmuxVersion(%q) = %v, want %v", in, got, want)
		}
	}
}
