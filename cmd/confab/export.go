package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/transcript"
	"github.com/confab-dev/confab/store/atomicfile"
	"github.com/confab-dev/confab/store/cache"
	storeclip "github.com/confab-dev/confab/store/clip"
	"github.com/confab-dev/confab/store/xdg"
	"github.com/confab-dev/confab/tui"
)

type exportOptions struct {
	format    string
	output    string
	force     bool
	clipboard bool
	redact    bool
	subtree   string
	// Bulk export (no CONVERSATION_ID): the range and the vendor filter.
	since, until, filter string
	filterSet            bool
}

func (a *app) exportCommand() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export SOURCE [CONVERSATION_ID]",
		Short: "Export one conversation's thread as Markdown, text or JSON",
		Long: `Export one conversation and its thread, in the order the TUI's thread view shows it.

--format markdown (the default) writes a transcript for a ticket, a chat or a document:
a header with the source, ids, user, times and attributes, then each message with its
speaker, time (RFC 3339, UTC) and kind, replies nested under the turn they answer, message
text in fenced blocks. --format text is the same for a plain-text field. --format json writes
{"conversation": …, "interactions": […]} in confab's model with each record's raw vendor JSON.

--redact masks e-mail addresses, phone numbers, IP addresses, card numbers and token-like
strings (ids are kept; JSON then omits the raw vendor records).

The transcript goes to standard output, or with --output to a new file (mode 0600; an
existing file is kept unless --force), or with --clipboard to the clipboard: OSC 52 when
standard output is a terminal (inside tmux only with set-clipboard on), the tmux buffer inside
tmux, the system clipboard (xclip, xsel, wl-copy, pbcopy; $DISPLAY or $WAYLAND_DISPLAY on
Linux); stderr says which. When none can take it, the transcript is saved in confab's export
directory and export fails saying where.

Without a CONVERSATION_ID, --since T exports every conversation of the range with its thread
(--until, --filter as for list): --format ndjson writes one {"conversation", "interactions"}
object per line (to standard output or --output FILE); --format markdown writes one file per
conversation into --output DIR. With --offline, both forms read the local store ('confab
sync --threads') instead of the vendor.`,
		Example: `  confab export mw 6f1c2a
  confab export mw 6f1c2a --format json --output thread.json
  confab export mw 6f1c2a --redact --clipboard
  confab export mw --since 30d --format ndjson --output month.ndjson
  confab export td --since 7d --format markdown --output transcripts/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return nil
			}
			return exactArgs("SOURCE", "CONVERSATION_ID")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.filterSet = cmd.Flags().Changed("filter")
			if len(args) == 1 {
				return a.bulkExport(cmd.Context(), args[0], o)
			}
			if o.since != "" || o.until != "" || o.filterSet {
				return usageError("leave out the id to export a range", "--since, --until and --filter are for a bulk export")
			}
			return a.export(cmd.Context(), args[0], args[1], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", "markdown", "output format: markdown, text or json (bulk: ndjson or markdown)")
	f.StringVarP(&o.output, "output", "o", "", "write to `FILE` instead of standard output")
	f.BoolVar(&o.force, "force", false, "overwrite the --output file if it exists")
	f.BoolVar(&o.clipboard, "clipboard", false, "copy to the clipboard (OSC 52, the tmux buffer, the system clipboard) instead of standard output")
	f.BoolVar(&o.redact, "redact", false, "mask e-mail addresses, phone numbers, IPs, card numbers and tokens")
	f.StringVar(&o.subtree, "subtree", "", "export only the subtree of the interaction with this `ID`")
	f.StringVar(&o.since, "since", "", "bulk: every conversation at or after `T` (no CONVERSATION_ID)")
	f.StringVar(&o.until, "until", "", "bulk: only conversations before `T`")
	f.StringVar(&o.filter, "filter", "", "bulk: the source's native filter (default: the source's configured filter)")
	return cmd
}

func (a *app) export(ctx context.Context, name, id string, o exportOptions) error {
	format, err := transcript.ParseFormat(o.format)
	if err != nil {
		return usageError("use markdown, text or json", "unknown --format %q", o.format)
	}
	if o.clipboard && o.output != "" {
		return usageError("choose one", "--clipboard and --output both say where to write")
	}
	if o.output != "" && !o.force {
		if _, err := os.Lstat(o.output); err == nil {
			return existsError(o.output)
		}
	}
	ctx = a.noticeRetries(ctx, name)
	_, src, err := a.openConfigured(ctx, name)
	if err != nil {
		return err
	}
	defer closeSource(src)
	conv, err := src.Conversation(ctx, id)
	if err != nil {
		if errors.Is(err, client.ErrNotFound) && a.offline {
			return &exitError{code: exitFailure, err: err,
				what: fmt.Sprintf("conversation %s of %s is not in the local store", sanitize.Line(id), name),
				hint: fmt.Sprintf("check the id with 'confab list %s --offline', or run 'confab sync %s' (or leave out --offline)", name, name)}
		}
		if errors.Is(err, client.ErrNotFound) {
			what, hint := fmt.Sprintf("conversation %s not found in %s", id, name), "check the id with 'confab list "+name+"'"
			// A source without a lookup by id (Talkdesk) says how far back it searched.
			var searched interface{ Searched() string }
			if errors.As(err, &searched) {
				what += " (" + searched.Searched() + ")"
				hint += ", or raise the source's lookback in the config to search further back"
			}
			return &exitError{code: exitFailure, err: err, what: what, hint: hint}
		}
		return sourceFailure(name, err, "export %s %s", name, id)
	}
	items, err := src.Thread(ctx, conv)
	if errors.Is(err, cache.ErrNotStored) {
		return &exitError{code: exitFailure, err: err,
			what: fmt.Sprintf("export %s %s: its thread is not in the local store", name, sanitize.Line(id)),
			hint: fmt.Sprintf("run 'confab sync %s --threads' (or leave out --offline)", name)}
	}
	if ce := (*cache.Error)(nil); errors.As(err, &ce) {
		return cacheFailure(ce.Path, err)
	}
	if err != nil {
		return sourceFailure(name, err, "export %s %s: thread", name, id)
	}
	opt := transcript.Options{Redact: o.redact, Kind: src.Kind(), Root: o.subtree}
	render := func(w io.Writer) (transcript.Stats, error) {
		return transcript.Render(w, format, conv, items, opt)
	}
	var st transcript.Stats
	switch {
	case o.clipboard:
		var b bytes.Buffer
		if st, err = render(&b); err != nil {
			return renderFailure(err, name, id, o.subtree)
		}
		return a.exportToClipboard(ctx, b.String(), format, st, id)
	case o.output == "":
		if _, err := render(a.stdout); err != nil {
			return renderFailure(err, name, id, o.subtree)
		}
	default:
		err := writeNewFile(o.output, o.force, func(w io.Writer) error {
			_, err := render(w)
			return err
		})
		if err != nil {
			return renderFailure(err, name, id, o.subtree)
		}
	}
	return nil
}

func renderFailure(err error, name, id, subtree string) error {
	if errors.Is(err, transcript.ErrNoRoot) {
		return &exitError{code: exitFailure, err: err,
			what: fmt.Sprintf("export: interaction %s not found in conversation %s", subtree, id),
			hint: "check the id with 'confab export " + name + " " + id + " --format json'"}
	}
	return failure(err, "export")
}

func existsError(path string) error {
	return &exitError{code: exitFailure, what: fmt.Sprintf("export: %s already exists", path),
		hint: "pass --force to overwrite it, or choose another --output"}
}

// exportToClipboard copies an export's text by the chain the TUI's y uses (clip.Deliver):
// OSC 52 only when standard output is a terminal (it is written there), the tmux buffer when
// confab runs in a tmux that keeps OSC 52 out, the native clipboard; stderr says which. When
// none took it, the text is saved in the export directory, and the command fails saying where.
func (a *app) exportToClipboard(ctx context.Context, text string, format transcript.Format, st transcript.Stats, id string) error {
	cfg := storeclip.Config{MaxOSC52: -1, Tmux: storeclip.InTmux(a.getenv, a.tmuxRun)}
	if a.clipboard != nil {
		cfg.Native, cfg.NativeName = a.clipboard(a.getenv)
	}
	if cfg.NativeName == "" {
		cfg.NativeName = "the system clipboard"
	}
	if f, ok := a.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		cfg.MaxOSC52 = storeclip.DefaultMaxOSC52
	}
	if dir, err := xdg.ExportDir(a.getenv); err == nil {
		cfg.ExportDir = dir
	}
	if home := a.getenv("HOME"); home != "" {
		cfg.Home = home
	}
	size := storeclip.MessagesSize(st.Messages, st.Bytes)
	out := storeclip.Deliver(ctx, text, format.String(), size, "conversation-"+storeclip.SafeName(id)+"."+format.Ext(), cfg)
	if out.OSC52 != "" {
		if _, err := io.WriteString(a.stdout, ansi.SetSystemClipboard(out.OSC52)); err != nil {
			return failure(err, "export: write OSC 52 to standard output")
		}
	}
	if out.Route&storeclip.ViaFile == 0 && !out.Err {
		fmt.Fprintln(a.stderr, out.Status)
		return nil
	}
	// Nothing took it: say what failed, and where the text is.
	var what []string
	switch {
	case out.NativeErr != nil:
		what = append(what, fmt.Sprintf("copy to %s: %v", cfg.NativeName, out.NativeErr))
	case cfg.Native == nil:
		what = append(what, "no system clipboard available (no $DISPLAY or $WAYLAND_DISPLAY, or no xclip, xsel or wl-copy)")
	}
	if out.TmuxErr != nil {
		what = append(what, "tmux: "+out.TmuxErr.Error())
	}
	if out.Err {
		what = append(what, strings.TrimPrefix(out.Status, "Copy failed: "))
	} else {
		what = append(what, "saved the transcript to "+out.File+" instead")
	}
	return &exitError{code: exitFailure, what: "export: " + strings.Join(what, "; "),
		hint: "pipe the output to your clipboard tool, use --output FILE, or press y in the TUI (it also copies with OSC 52 and to the tmux buffer)"}
}

// clipboardDeps gives the TUI the native clipboard, when there is one, and the tmux it runs
// in.
func (a *app) clipboardDeps(d *tui.Deps) {
	if a.clipboard != nil {
		d.Clipboard, d.ClipboardName = a.clipboard(a.getenv)
	}
	d.Tmux = storeclip.InTmux(a.getenv, a.tmuxRun)
	if dir, err := xdg.ExportDir(a.getenv); err == nil {
		d.ExportDir = dir
	}
}

// writeNewFile streams write's output to path with mode 0600. Without force it refuses an
// existing path (atomically, with O_EXCL); with force it replaces the file atomically (see
// atomicfile.Write). A failed write never leaves a half-written file.
func writeNewFile(path string, force bool, write func(io.Writer) error) error {
	if force {
		if err := atomicfile.Write(path, 0o600, write); err != nil {
			return outputFailure(path, err)
		}
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return existsError(path)
	}
	if err != nil {
		return outputFailure(path, err)
	}
	if err := write(f); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return outputFailure(path, err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return outputFailure(path, err)
	}
	return nil
}

// outputFailure is the error of an --output file that could not be written; an error of the
// rendering itself passes through.
func outputFailure(path string, err error) error {
	var cause error
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		cause = pe.Err
	case errors.As(err, &le):
		cause = le.Err
	default:
		return err
	}
	return &exitError{code: exitFailure, err: err,
		what: fmt.Sprintf("export: cannot write %s: %v", path, cause),
		hint: "check that its directory exists and is writable, or choose another --output"}
}
