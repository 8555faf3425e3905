// Package clip puts text on the clipboard for confab's TUI and CLI: it finds the native
// clipboard, decides between OSC 52 (which only the terminal program can send), the native
// clipboard and a fallback file, and writes that file. It knows nothing of Bubble Tea.
package clip

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/confab-dev/confab/store/atomicfile"
	"github.com/confab-dev/confab/store/xdg"
)

// DefaultMaxOSC52 is the largest text sent to the terminal's clipboard with OSC 52 unless
// Config.MaxOSC52 says otherwise: tmux drops sequences of about 900 KB silently, and many
// terminals cap far lower.
const DefaultMaxOSC52 = 512 << 10

// Config is how copies reach the clipboard.
type Config struct {
	Native     func(string) error // the native clipboard's writer; nil: none
	NativeName string             // its name in status lines ("xclip")
	MaxOSC52   int                // the largest text for OSC 52, in bytes; < 0: never use OSC 52
	ExportDir  string             // where fallback files go; "": xdg.ExportDir(os.Getenv)
	Home       string             // the home directory, shown as "~" in paths
	// Tmux is the tmux the process runs inside (InTmux); nil: none. Deliver asks it whether
	// OSC 52 gets through (set-clipboard) and, when it does not, loads its paste buffer.
	Tmux *Tmux
}

// Route is a set of the ways a copy went.
type Route uint8

// The ways a copy can go.
const (
	ViaOSC52  Route = 1 << iota // the caller is to send Outcome.OSC52 with OSC 52
	ViaTmux                     // tmux load-buffer took it
	ViaNative                   // the native clipboard took it
	ViaFile                     // nothing else could: it is in Outcome.File
)

// Outcome is what Deliver did: OSC52 is the text still to send with OSC 52 (empty: none),
// Status the line to report, Err whether the copy failed (not even a file was written).
type Outcome struct {
	OSC52  string
	Status string
	Err    bool
	Route  Route
	// File is the fallback file (Route has ViaFile).
	File string
	// TmuxMode is tmux's set-clipboard ("" outside tmux or when tmux did not answer).
	TmuxMode string
	// NativeErr and TmuxErr are the failures of the native clipboard and of tmux.
	NativeErr, TmuxErr error
}

// Deliver puts text on the clipboard by every path that can take it, and says which:
//
//   - OSC 52 when the text is under the cap and, inside tmux, set-clipboard is "on" (the
//     only value with which tmux passes an application's OSC 52 on; see Tmux.SetClipboard).
//     The caller sends it (Outcome.OSC52): only the terminal program can.
//   - Inside tmux, when OSC 52 will not carry the text: tmux load-buffer, with -w (tmux
//     passes it on to the terminal's clipboard itself) when set-clipboard is "on" or
//     "external"; "off" forbids tmux to set the clipboard, and Deliver respects it.
//   - The native clipboard, when there is one.
//   - When none of them took it, the file name in cfg.ExportDir.
//
// what and size describe the text for the status line ("thread", "42 messages, 6.1 KB";
// size may be empty). The status never says "copied" unless something took the text; OSC 52
// cannot be confirmed, so it says "sent".
func Deliver(ctx context.Context, text, what, size, name string, cfg Config) Outcome {
	desc := what
	if size != "" {
		desc += " (" + size + ")"
	}
	var o Outcome
	fits := cfg.MaxOSC52 >= 0 && len(text) <= cfg.MaxOSC52
	osc := fits
	var reasons []string // why OSC 52 does not carry the text, and what failed
	if cfg.Tmux != nil {
		mode, err := cfg.Tmux.SetClipboard(ctx)
		o.TmuxMode = mode
		switch {
		case err != nil:
			o.TmuxErr = err // unknown: OSC 52 may get through
		case mode != SetClipboardOn:
			osc = false
		}
	}
	if !osc && cfg.MaxOSC52 >= 0 && !fits {
		reasons = append(reasons, "too large for OSC 52")
	}
	if fits && !osc && o.TmuxMode != "" {
		reasons = append(reasons, "set-clipboard is "+o.TmuxMode)
	}
	passed := false
	if cfg.Tmux != nil && o.TmuxErr == nil && !osc {
		var err error
		passOn := o.TmuxMode == SetClipboardOn || o.TmuxMode == SetClipboardExternal
		if passed, err = cfg.Tmux.Load(ctx, text, passOn); err != nil {
			o.TmuxErr = err
		} else {
			o.Route |= ViaTmux
		}
	}
	if osc {
		o.Route |= ViaOSC52
		o.OSC52 = text
	}
	if cfg.Native != nil {
		if o.NativeErr = cfg.Native(text); o.NativeErr == nil {
			o.Route |= ViaNative
		}
	}
	failures := func() string {
		var f []string
		if o.TmuxErr != nil {
			if o.Route&ViaOSC52 != 0 {
				f = append(f, "could not ask tmux about set-clipboard: "+o.TmuxErr.Error())
			} else {
				f = append(f, "tmux failed: "+o.TmuxErr.Error())
			}
		}
		if o.NativeErr != nil {
			f = append(f, cfg.NativeName+" failed: "+o.NativeErr.Error())
		}
		return strings.Join(f, "; ")
	}
	join := func(parts ...string) string {
		var keep []string
		for _, p := range parts {
			if p != "" {
				keep = append(keep, p)
			}
		}
		return strings.Join(keep, "; ")
	}
	paren := func(s string) string {
		if s == "" {
			return ""
		}
		return " (" + s + ")"
	}
	switch {
	case o.Route&ViaOSC52 != 0 && o.Route&ViaNative != 0:
		o.Status = "Copied " + desc + " via OSC 52 + " + cfg.NativeName + paren(failures())
	case o.Route&ViaOSC52 != 0:
		o.Status = "Sent " + desc + " to the terminal clipboard (OSC 52)"
		if f := failures(); f != "" {
			o.Status += "; " + f
		}
	case o.Route&ViaTmux != 0:
		// How to paste comes first: at 80 columns the status line shows little more.
		o.Status = "Copied " + desc + " to the tmux buffer"
		if o.Route&ViaNative != 0 {
			o.Status += " + " + cfg.NativeName
		}
		o.Status += ": paste with prefix ]"
		offered, advice := "", ""
		if passed {
			offered = "tmux also offers it to the terminal clipboard"
		}
		if o.TmuxMode != SetClipboardOn {
			advice = "or set -g set-clipboard on"
		}
		o.Status += paren(join(offered, strings.Join(reasons, ", "), advice, failures()))
	case o.Route&ViaNative != 0:
		o.Status = "Copied " + desc + " via " + cfg.NativeName + paren(join(strings.Join(reasons, ", "), failures()))
	default:
		path, err := SaveExport(cfg.ExportDir, name, text)
		if err != nil {
			o.Status, o.Err = "Copy failed: no clipboard available, and "+err.Error(), true
			return o
		}
		o.Route, o.File = ViaFile, path
		why := "no clipboard available"
		if len(reasons) > 0 {
			why = strings.Join(reasons, ", ") + ", no other clipboard"
		}
		o.Status = "Saved " + desc + " to " + TildePath(path, cfg.Home) + paren(join(why, failures()))
	}
	return o
}

// SaveExport writes text to dir/name (dir created 0700, the file 0600, replaced atomically)
// and returns its path. dir "" is xdg.ExportDir(os.Getenv).
func SaveExport(dir, name, text string) (string, error) {
	if dir == "" {
		d, err := xdg.ExportDir(os.Getenv)
		if err != nil {
			return "", err
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", dir, err)
	}
	path := filepath.Join(dir, name)
	if err := atomicfile.WriteFile(path, []byte(text), 0o600); err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	return path, nil
}

// SafeName makes s safe as part of a file name: ASCII letters, digits, '-', '_' and '.'
// are kept, anything else becomes '_'; at most about 80 bytes; no leading dots; "unnamed"
// when nothing is left.
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= 80 {
			break
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if out == "" {
		return "unnamed"
	}
	return out
}

// TildePath shows path under home as ~/….
func TildePath(path, home string) string {
	if home != "" && strings.HasPrefix(path, home+string(filepath.Separator)) {
		return "~" + path[len(home):]
	}
	return path
}

// MessagesSize is a transcript's size for the status line: "42 messages, 6.1 KB".
func MessagesSize(messages int, bytes int64) string {
	s := "s"
	if messages == 1 {
		s = ""
	}
	return fmt.Sprintf("%d message%s, %s", messages, s, HumanBytes(bytes))
}

// HumanBytes formats n as "812 B", "6.1 KB", "1.4 MB".
func HumanBytes(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}
