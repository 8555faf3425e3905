package tui

import (
	"bytes"
	"context"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/transcript"
	"github.com/confab-dev/confab/store/clip"
	"github.com/confab-dev/confab/tui/pane"
)

// DefaultMaxOSC52 is the largest text sent to the terminal's clipboard with OSC 52 unless
// Deps.ClipboardMaxOSC52 says otherwise (clip.DefaultMaxOSC52).
const DefaultMaxOSC52 = clip.DefaultMaxOSC52

// copyConfig is how copies reach the clipboard, from Deps.
type copyConfig = clip.Config

func newCopyConfig(d Deps) copyConfig {
	c := copyConfig{Native: d.Clipboard, NativeName: d.ClipboardName, MaxOSC52: d.ClipboardMaxOSC52, ExportDir: d.ExportDir,
		Tmux: d.Tmux}
	if c.MaxOSC52 == 0 {
		c.MaxOSC52 = DefaultMaxOSC52
	}
	if c.NativeName == "" {
		c.NativeName = "the system clipboard"
	}
	c.Home, _ = os.UserHomeDir()
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
	return copyCmd(a.ctx, req, a.copyCfg, a.redact)
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
	mark := a.syncMark() // status.go
	if !a.redact && mark == "" {
		return strings.Repeat(" ", w)
	}
	return a.styles.Status.Info.Render(sanitize.Pad(idleText(a.redact, mark), w))
}

// copyCmd renders what req asks for and puts it on the clipboard (clip.Deliver: OSC 52, the
// tmux buffer, the native clipboard or a file). It uses only its arguments.
func copyCmd(ctx context.Context, req pane.CopyRequest, cfg copyConfig, redact bool) tea.Cmd {
	return func() tea.Msg {
		text, what, size, ext, err := copyText(req, redact)
		if err != nil {
			return copyDoneMsg{status: "Copy failed: " + err.Error(), err: true}
		}
		if redact {
			size += ", redacted"
		}
		o := clip.Deliver(ctx, text, what, size, fileName(req, ext), cfg)
		return copyDoneMsg{text: o.OSC52, status: o.Status, err: o.Err}
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
		return t, "message", clip.HumanBytes(int64(len(t))), "txt", nil
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
	size = clip.MessagesSize(st.Messages, int64(b.Len()))
	return b.String(), what, size, f.Ext(), nil
}

// fileName is the fallback file's name for req: conversation-<id>.<ext>, the id made safe
// for a file name.
func fileName(req pane.CopyRequest, ext string) string {
	id := clip.SafeName(req.Conv.ID)
	switch req.What {
	case pane.CopyMessage:
		return "message-" + id + "-" + clip.SafeName(req.Root) + "." + ext
	case pane.CopySubtree:
		return "conversation-" + id + "-subtree-" + clip.SafeName(req.Root) + "." + ext
	case pane.CopyID:
		return "conversation-" + id + "-id.txt"
	}
	return "conversation-" + id + "." + ext
}
