// Package clip puts text on the clipboard for confab's TUI and CLI: it finds the native
// clipboard, decides between OSC 52 (which only the terminal program can send), the native
// clipboard and a fallback file, and writes that file. It knows nothing of Bubble Tea.
package clip

import (
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
}

// Outcome is what Deliver did: OSC52 is the text still to send with OSC 52 (empty: none),
// Status the line to report, Err whether the copy failed.
type Outcome struct {
	OSC52  string
	Status string
	Err    bool
}

// Deliver puts text on the clipboard by every path that can take it: OSC 52 when it is under
// the cap (left to the caller, through Outcome.OSC52), the native clipboard when there is one;
// when neither can, the file name in cfg.ExportDir. what and size describe the text for the
// status line ("thread", "42 messages, 6.1 KB"; size may be empty).
func Deliver(text, what, size, name string, cfg Config) Outcome {
	desc := what
	if size != "" {
		desc += " (" + size + ")"
	}
	osc := cfg.MaxOSC52 >= 0 && len(text) <= cfg.MaxOSC52
	var nativeErr error
	native := false
	if cfg.Native != nil {
		nativeErr = cfg.Native(text)
		native = nativeErr == nil
	}
	switch {
	case osc && native:
		return Outcome{OSC52: text, Status: "Copied " + desc + " via OSC 52 + " + cfg.NativeName}
	case native:
		return Outcome{Status: "Copied " + desc + " via " + cfg.NativeName + " (too large for OSC 52)"}
	case osc:
		s := "Sent " + desc + " to the terminal clipboard (OSC 52)"
		if nativeErr != nil {
			s += "; " + cfg.NativeName + " failed: " + nativeErr.Error()
		}
		return Outcome{OSC52: text, Status: s}
	}
	path, err := SaveExport(cfg.ExportDir, name, text)
	if err != nil {
		return Outcome{Status: "Copy failed: no clipboard available, and " + err.Error(), Err: true}
	}
	why := "no clipboard available"
	if cfg.MaxOSC52 >= 0 {
		why = "too large for OSC 52, no native clipboard"
	}
	if nativeErr != nil {
		why += "; " + cfg.NativeName + " failed: " + nativeErr.Error()
	}
	return Outcome{Status: "Saved " + desc + " to " + TildePath(path, cfg.Home) + " (" + why + ")"}
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
