package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/thread"
)

type exportOptions struct {
	format string
	output string
	force  bool
}

func (a *app) exportCommand() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export SOURCE CONVERSATION_ID",
		Short: "Export one conversation's thread",
		Long: `Export one conversation and its thread.

--format json prints {"conversation": …, "interactions": […]} with each record's raw vendor
JSON; --format text prints a plain transcript, indented by thread depth.

--output writes to a new file with mode 0600; an existing file is kept unless --force.`,
		Example: `  confab export mw 6f1c2a --format text
  confab export mw 6f1c2a --output thread.json`,
		Args: exactArgs("SOURCE", "CONVERSATION_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.export(cmd.Context(), args[0], args[1], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "json", "output format: json or text")
	f.StringVarP(&o.output, "output", "o", "", "write to `FILE` instead of standard output")
	f.BoolVar(&o.force, "force", false, "overwrite the --output file if it exists")
	return cmd
}

func (a *app) export(ctx context.Context, name, id string, o exportOptions) error {
	switch o.format {
	case "json", "text":
	case "markdown", "md":
		return usageError("use --format text or json", "export --format markdown is not supported yet")
	default:
		return usageError("use json or text", "unknown --format %q", o.format)
	}
	if o.output != "" && !o.force {
		if _, err := os.Lstat(o.output); err == nil {
			return &exitError{code: exitFailure, what: fmt.Sprintf("export: %s already exists", o.output),
				hint: "pass --force to overwrite it, or choose another --output"}
		}
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	sc, err := configSource(cfg, name)
	if err != nil {
		return err
	}
	src, err := a.openSource(ctx, sc)
	if err != nil {
		return err
	}
	conv, err := src.Conversation(ctx, id)
	if err != nil {
		if errors.Is(err, client.ErrNotFound) {
			return &exitError{code: exitFailure, err: err,
				what: fmt.Sprintf("conversation %s not found in %s", id, name),
				hint: "check the id with 'confab list " + name + "'"}
		}
		return failure(err, "export %s %s", name, id)
	}
	items, err := src.Thread(ctx, conv)
	if err != nil {
		return failure(err, "export %s %s: thread", name, id)
	}
	var out []byte
	switch o.format {
	case "json":
		out, err = exportJSON(conv, items)
		if err != nil {
			return failure(err, "export %s %s", name, id)
		}
	case "text":
		out = exportText(conv, items)
	}
	if o.output == "" {
		if _, err := a.stdout.Write(out); err != nil {
			return failure(err, "write output")
		}
		return nil
	}
	if err := writeNewFile(o.output, out, o.force); err != nil {
		return failure(err, "export")
	}
	return nil
}

func exportJSON(conv client.Conversation, items []client.Interaction) ([]byte, error) {
	if items == nil {
		items = []client.Interaction{}
	}
	doc := struct {
		Conversation client.Conversation  `json:"conversation"`
		Interactions []client.Interaction `json:"interactions"`
	}{conv, items}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return b.Bytes(), nil
}

const textTimeLayout = "2006-01-02 15:04:05"

// exportText renders a plain transcript: a header, then one entry per interaction in thread
// order, indented with the tree guides of its depth. Vendor text is sanitized.
func exportText(conv client.Conversation, items []client.Interaction) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Conversation %s", sanitize.Line(conv.ID))
	if conv.Source != "" {
		fmt.Fprintf(&b, " in %s", sanitize.Line(conv.Source))
	}
	b.WriteString("\n")
	if conv.UserID != "" {
		fmt.Fprintf(&b, "User:    %s\n", sanitize.Line(conv.UserID))
	}
	if !conv.Started.IsZero() {
		fmt.Fprintf(&b, "Started: %s\n", conv.Started.Local().Format(textTimeLayout+" -0700"))
	}
	if conv.Summary != "" {
		fmt.Fprintf(&b, "Summary: %s\n", sanitize.Line(conv.Summary))
	}
	for _, kv := range conv.Attrs {
		fmt.Fprintf(&b, "%s: %s\n", sanitize.Line(kv.Key), sanitize.Line(kv.Value))
	}
	fmt.Fprintf(&b, "Interactions: %d\n", len(items))
	tree := thread.Build(items)
	timePad := strings.Repeat(" ", len(textTimeLayout))
	for _, row := range tree.Flatten(nil) {
		it := tree.Item(int(row.Index))
		b.WriteString("\n")
		ts := timePad
		if !it.Time.IsZero() {
			ts = it.Time.Local().Format(textTimeLayout)
		}
		fmt.Fprintf(&b, "%s  %s%s (%s)", ts, row.Prefix, it.Actor.Label(), sanitize.Line(it.Kind))
		switch {
		case row.Orphan:
			b.WriteString(" [parent not found]")
		case row.Cycle:
			b.WriteString(" [parent cycle cut]")
		case row.Duplicate:
			b.WriteString(" [duplicate id]")
		}
		b.WriteString("\n")
		cont := timePad + "  " + continuation(row.Prefix) + "  "
		text := strings.TrimRight(sanitize.Text(it.Text), "\n")
		if text == "" {
			text = attrsLine(it.Attrs)
		}
		for _, line := range strings.Split(text, "\n") {
			b.WriteString(strings.TrimRight(cont+line, " "))
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// continuation turns a row's tree guides into the guides of the lines below it: the branch of
// the row itself becomes a vertical line ("├─ " → "│  ") or nothing ("└─ " → "   ").
func continuation(prefix string) string {
	switch {
	case strings.HasSuffix(prefix, "├─ "):
		return strings.TrimSuffix(prefix, "├─ ") + "│  "
	case strings.HasSuffix(prefix, "└─ "):
		return strings.TrimSuffix(prefix, "└─ ") + "   "
	}
	return prefix
}

// writeNewFile writes data to path with mode 0600. Without force it refuses an existing path
// (atomically, with O_EXCL); with force it replaces the file by renaming a temporary file over
// it, so a failed write never leaves a half-written file.
func writeNewFile(path string, data []byte, force bool) (err error) {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return &exitError{code: exitFailure, what: fmt.Sprintf("export: %s already exists", path),
				hint: "pass --force to overwrite it, or choose another --output"}
		}
		if err != nil {
			return fmt.Errorf("create output: %w", err)
		}
		if _, err := f.Write(data); err != nil {
			_ = f.Close()
			_ = os.Remove(path)
			return fmt.Errorf("write output: %w", err)
		}
		if err := f.Close(); err != nil {
			_ = os.Remove(path)
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
