package tui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/transcript"
	"github.com/confab-dev/confab/store/atomicfile"
	"github.com/confab-dev/confab/store/xdg"
	"github.com/confab-dev/confab/tui/pane"
)

// DefaultMaxOSC52 is the largest text sent to the terminal's clipboard with OSC 52 unless
// Deps.ClipboardMaxOSC52 says otherwise: tmux drops sequences of about 900 KB silently, and
// many terminals cap far lower.
const DefaultMaxOSC52 = 512 << 10

// copyConfig is how copies reach the clipboard, from Deps.
type copyConfig struct {
	native     func(string) error // nil: no native clipboard
	nativeName string
	maxOSC52   int    // < 0: never use OSC 52
	exportDir  string // "" : the default state directory
	home       string // for "~" in paths shown
}

func newCopyConfig(d Deps) copyConfig {
	c := copyConfig{native: d.Clipboard, nativeName: d.ClipboardName, maxOSC52: d.ClipboardMaxOSC52, exportDir: d.ExportDir}
	if c.maxOSC52 == 0 {
		c.maxOSC52 = DefaultMaxOSC52
	}
	if c.nativeName == "" {
		c.nativeName = "the system clipboard"
	}
	c.home, _ = os.UserHomeDir()
	return c
}

// copyDoneMsg is the result of a copy's rendering and I/O: what remains is the OSC 52 write,
// which only the program can do.
type copyDoneMsg struct {
	text   string // the text, when OSC 52 is to carry it
	status string
	err    bool
}

// handleCopyRequest starts a copy: rendering, the native write and any file fallback run in a
// Cmd (off the event loop); copyDoneMsg brings the result back.
func (a *App) handleCopyRequest(req pane.CopyRequest) tea.Cmd {
	return copyCmd(req, a.copyCfg, a.redact)
}

// handleCopyDone sends the text with OSC 52 (when it is to go that way) and then reports.
func (a *App) handleCopyDone(msg copyDoneMsg) tea.Cmd {
	report := reportInfo(msg.status)
	if msg.err {
		report = reportErr(msg.status)
	}
	if msg.text == "" {
		return report
	}
	return a.sequence(tea.SetClipboard(msg.text), report)
}

// toggleRedact turns redaction of copies on or off.
func (a *App) toggleRedact() tea.Cmd {
	a.redact = !a.redact
	if a.redact {
		return reportInfo("Redaction on: copies mask e-mail addresses, phone numbers, IPs, card numbers and tokens")
	}
	return reportInfo("Redaction off: copies are verbatim")
}

// statusIdle is the status bar when it has no message: blank, or the redaction badge.
func (a *App) statusIdle(w int) string {
	if !a.redact {
		return strings.Repeat(" ", w)
	}
	return a.styles.Status.Info.Render(sanitize.Pad(" redaction on (R)", w))
}

// copyCmd renders what req asks for and puts it on the clipboard. It uses only its arguments.
func copyCmd(req pane.CopyRequest, cfg copyConfig, redact bool) tea.Cmd {
	return func() tea.Msg {
		text, what, size, ext, err := copyText(req, redact)
		if err != nil {
			return copyDoneMsg{status: "Copy failed: " + err.Error(), err: true}
		}
		if redact {
			size += ", redacted"
		}
		return deliver(text, what, size, fileName(req, ext), cfg)
	}
}

// copyText renders req: the text, what it is ("thread"), its size ("42 messages, 6.1 KB")
// and the file extension for a fallback file.
func copyText(req pane.CopyRequest, redact bool) (text, what, size, ext string, err error) {
	switch req.What {
	case pane.CopyID:
		return sanitize.Line(req.Conv.ID), "conversation id", "", "txt", nil
	case pane.CopyMessage:
		t := req.Text
		if redact {
			t = transcript.Redact(t)
		}
		t = sanitize.Text(t)
		return t, "message", humanBytes(len(t)), "txt", nil
	}
	f, what := transcript.FormatMarkdown, "thread"
	opt := transcript.Options{Redact: redact, Kind: req.Kind}
	switch req.What {
	case pane.CopyThreadJSON:
		f, what = transcript.FormatJSON, "thread as JSON"
	case pane.CopySubtree:
		what, opt.Root = "subtree", req.Root
	}
	var b bytes.Buffer
	st, err := transcript.Render(&b, f, req.Conv, req.Items, opt)
	if err != nil {
		return "", "", "", "", err
	}
	size = fmt.Sprintf("%d message%s, %s", st.Messages, plural(st.Messages), humanBytes(b.Len()))
	return b.String(), what, size, f.Ext(), nil
}

// deliver puts text on the clipboard by every path that can take it: OSC 52 when it is
// under the cap (done by the program after this returns), the native clipboard when there
// is one; when neither can, a file. It returns the outcome to report.
func deliver(text, what, size, file string, cfg copyConfig) copyDoneMsg {
	desc := what
	if size != "" {
		desc += " (" + size + ")"
	}
	osc := cfg.maxOSC52 >= 0 && len(text) <= cfg.maxOSC52
	var nativeErr error
	native := false
	if cfg.native != nil {
		nativeErr = cfg.native(text)
		native = nativeErr == nil
	}
	switch {
	case osc && native:
		return copyDoneMsg{text: text, status: "Copied " + desc + " via OSC 52 + " + cfg.nativeName}
	case native:
		return copyDoneMsg{status: "Copied " + desc + " via " + cfg.nativeName + " (too large for OSC 52)"}
	case osc:
		s := "Sent " + desc + " to the terminal clipboard (OSC 52)"
		if nativeErr != nil {
			s += "; " + cfg.nativeName + " failed: " + nativeErr.Error()
		}
		return copyDoneMsg{text: text, status: s}
	}
	path, err := saveExport(cfg.exportDir, file, text)
	if err != nil {
		return copyDoneMsg{status: "Copy failed: no clipboard available, and " + err.Error(), err: true}
	}
	why := "no clipboard available"
	if cfg.maxOSC52 >= 0 {
		why = "too large for OSC 52, no native clipboard"
	}
	if nativeErr != nil {
		why += "; " + cfg.nativeName + " failed: " + nativeErr.Error()
	}
	return copyDoneMsg{status: "Saved " + desc + " to " + tildePath(path, cfg.home) + " (" + why + ")"}
}

// fileName is the fallback file's name for req: conversation-<id>.<ext>, the id made safe
// for a file name.
func fileName(req pane.CopyRequest, ext string) string {
	id := safeName(req.Conv.ID)
	switch req.What {
	case pane.CopyMessage:
		return "message-" + id + "-" + safeName(req.Root) + "." + ext
	case pane.CopySubtree:
		return "conversation-" + id + "-subtree-" + safeName(req.Root) + "." + ext
	case pane.CopyID:
		return "conversation-" + id + "-id.txt"
	}
	return "conversation-" + id + "." + ext
}

func safeName(s string) string {
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

// ExportDir is the directory copies fall back to: $XDG_STATE_HOME/confab/exports, else
// ~/.local/state/confab/exports.
func ExportDir(getenv func(string) string) (string, error) {
	d, err := xdg.StateDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "exports"), nil
}

// saveExport writes text to dir/name (dir created 0700, the file 0600, replaced atomically)
// and returns its path.
func saveExport(dir, name, text string) (string, error) {
	if dir == "" {
		d, err := ExportDir(os.Getenv)
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

// tildePath shows path under home as ~/….
func tildePath(path, home string) string {
	if home != "" && strings.HasPrefix(path, home+string(filepath.Separator)) {
		return "~" + path[len(home):]
	}
	return path
}

// humanBytes formats n as "812 B", "6.1 KB", "1.4 MB".
func humanBytes(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
