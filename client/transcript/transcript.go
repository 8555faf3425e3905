// Package transcript renders one conversation's thread as Markdown, plain text or JSON, for
// `confab export` and the TUI's copy commands.
//
// The renderers are pure (no I/O but the io.Writer they are given) and stream: a thread is
// written row by row, never built as one string, so a huge thread is not held twice. They walk
// the tree that client/thread builds, in the order thread.Tree.Flatten returns, which is the
// order the thread view shows: what a user sees on screen and what they paste are the same.
//
// Vendor text is untrusted. Markdown and text output pass it through client/sanitize, so an
// escape sequence or control character appears as visible text (`\x1b[2J`), never as itself;
// Markdown additionally fences message text with a fence longer than any backtick run in it,
// and escapes the inline text of headers, so a message cannot close its block, start a
// heading or a list, or inject HTML. JSON keeps the original characters, JSON-escaped (ESC is
// \u001b; DEL, C1 controls and bidirectional controls are \u-escaped too, so the JSON is safe
// to cat to a terminal).
//
// With Options.Redact, e-mail addresses, phone numbers, IP addresses, card-like numbers and
// token-like strings are masked (see Redact) in message text, attribute values, the summary
// and the user id. Conversation and interaction ids are never redacted: they are what a
// reader uses to find the conversation again. Redacted JSON omits the vendors' raw records,
// which would otherwise repeat what was masked.
package transcript

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/thread"
)

// Format is an output format.
type Format int

// The formats.
const (
	FormatMarkdown Format = iota // the default
	FormatText
	FormatJSON
)

// ParseFormat parses a format name: "markdown" (or "md"), "text" (or "txt") or "json".
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "markdown", "md":
		return FormatMarkdown, nil
	case "text", "txt":
		return FormatText, nil
	case "json":
		return FormatJSON, nil
	}
	return 0, fmt.Errorf("unknown format %q (want markdown, text or json)", s)
}

// String is the format's name.
func (f Format) String() string {
	switch f {
	case FormatText:
		return "text"
	case FormatJSON:
		return "json"
	}
	return "markdown"
}

// Ext is the usual file extension of the format, without the dot.
func (f Format) Ext() string {
	switch f {
	case FormatText:
		return "txt"
	case FormatJSON:
		return "json"
	}
	return "md"
}

// Options change what a transcript holds. The zero value renders the whole thread, in UTC,
// unredacted.
type Options struct {
	// Redact masks personal data and secrets (see Redact) in text, attribute values, the
	// summary and the user id.
	Redact bool
	// Root, when set, is the id of the interaction whose subtree alone is rendered. When
	// several interactions share the id, the first one (the one that has the children) is used.
	Root string
	// Kind is the source's vendor kind ("moveworks"…), shown beside the source name.
	Kind string
	// Location is the zone timestamps are written in (RFC 3339); nil means UTC.
	Location *time.Location
	// Now, when set, adds an "Exported" time to the header.
	Now func() time.Time
}

// Stats says what a render wrote.
type Stats struct {
	Messages int   // interactions written
	Bytes    int64 // bytes written
}

// ErrNoRoot is returned when Options.Root names no interaction of the thread.
var ErrNoRoot = errors.New("no interaction with that id in the thread")

// Render writes c and items in format f to w.
func Render(w io.Writer, f Format, c client.Conversation, items []client.Interaction, opt Options) (Stats, error) {
	d, err := newDoc(w, c, items, opt)
	if err != nil {
		return Stats{}, err
	}
	switch f {
	case FormatText:
		d.text()
	case FormatJSON:
		d.json()
	default:
		d.markdown()
	}
	return d.finish()
}

// Markdown writes c and items as a Markdown transcript to w.
func Markdown(w io.Writer, c client.Conversation, items []client.Interaction, opt Options) error {
	_, err := Render(w, FormatMarkdown, c, items, opt)
	return err
}

// Text writes c and items as a plain-text transcript to w.
func Text(w io.Writer, c client.Conversation, items []client.Interaction, opt Options) error {
	_, err := Render(w, FormatText, c, items, opt)
	return err
}

// JSON writes c and items as JSON to w: {"conversation": …, "interactions": […]} with each
// record's raw vendor JSON (unless redacted), the interactions in thread order.
func JSON(w io.Writer, c client.Conversation, items []client.Interaction, opt Options) error {
	_, err := Render(w, FormatJSON, c, items, opt)
	return err
}

// doc is one render in progress.
type doc struct {
	w    *bufio.Writer
	cw   *countWriter
	c    client.Conversation
	opt  Options
	loc  *time.Location
	tree *thread.Tree
	rows []thread.Row
	err  error // the first encoding error (write errors stick in w)
}

func newDoc(w io.Writer, c client.Conversation, items []client.Interaction, opt Options) (*doc, error) {
	tree := thread.Build(items)
	var rows []thread.Row
	if opt.Root != "" {
		i, ok := tree.Lookup(opt.Root)
		if !ok {
			return nil, fmt.Errorf("transcript: %w: %q", ErrNoRoot, opt.Root)
		}
		rows = tree.Subtree(i, nil)
	} else {
		rows = tree.Flatten(nil)
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	cw := &countWriter{w: w}
	return &doc{w: bufio.NewWriterSize(cw, 32<<10), cw: cw, c: c, opt: opt, loc: loc, tree: tree, rows: rows}, nil
}

func (d *doc) finish() (Stats, error) {
	ferr := d.w.Flush()
	st := Stats{Messages: len(d.rows), Bytes: d.cw.n}
	switch {
	case d.err != nil:
		return st, fmt.Errorf("transcript: %w", d.err)
	case ferr != nil:
		return st, fmt.Errorf("transcript: write: %w", ferr)
	}
	return st, nil
}

// redact applies redaction when it is on.
func (d *doc) redact(s string) string {
	if d.opt.Redact {
		return Redact(s)
	}
	return s
}

// stamp formats t for a transcript ("" for the zero time).
func (d *doc) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(d.loc).Format(time.RFC3339)
}

// itemStamp is when an interaction happened: its time, or — a Talkdesk message without
// message_start_at — where it starts in its recording, "+00:08.9" ("rec 1 +00:08.9" when the
// call has more than the first recording), so a transcript of a call still says when each
// line was spoken. "" when neither is known.
func (d *doc) itemStamp(it *client.Interaction) string {
	if ts := d.stamp(it.Time); ts != "" {
		return ts
	}
	start, _, _ := strings.Cut(it.Attrs.Value("audio"), "–")
	if start == "" {
		return ""
	}
	if rec := it.Attrs.Value("recording_index"); rec != "" && rec != "0" {
		return "rec " + sanitize.Line(rec) + " +" + sanitize.Line(start)
	}
	return "+" + sanitize.Line(start)
}

// header is the conversation's header fields, in order, before escaping.
type field struct{ key, value string }

func (d *doc) headerFields() (fields []field, note string) {
	c := d.c
	src := c.Source
	if d.opt.Kind != "" {
		if src == "" {
			src = d.opt.Kind
		} else {
			src += " (" + d.opt.Kind + ")"
		}
	}
	add := func(k, v string) {
		if v != "" {
			fields = append(fields, field{k, v})
		}
	}
	add("Source", src)
	add("Conversation", c.ID)
	add("User", d.redact(c.UserID))
	add("Started", d.stamp(c.Started))
	add("Updated", d.stamp(c.Updated))
	add("Summary", d.redact(c.Summary))
	for _, kv := range c.Attrs {
		if kv.Key == "note" {
			note = d.redact(kv.Value)
			continue
		}
		add(kv.Key, d.redact(kv.Value))
	}
	if d.opt.Root != "" {
		add("Subtree of", d.opt.Root)
	}
	add("Messages", fmt.Sprint(len(d.rows)))
	if d.opt.Now != nil {
		add("Exported", d.stamp(d.opt.Now()))
	}
	if d.opt.Redact {
		add("Redacted", "e-mail addresses, phone numbers, IP addresses, card numbers and tokens are masked")
	}
	return fields, note
}

// marker is the note a row gets for imperfect data ("" for none).
func marker(r thread.Row) string {
	switch {
	case r.Orphan():
		return "parent not found"
	case r.Cycle():
		return "parent cycle cut"
	case r.Duplicate():
		return "duplicate id"
	}
	return ""
}

// action describes an interaction kind for a reader ("clicked a button"); "" keeps the kind.
func action(kind string) string {
	switch kind {
	case client.KindButton:
		return "clicked a button"
	case client.KindLink:
		return "opened a link"
	case client.KindForm:
		return "submitted a form"
	case client.KindUpload:
		return "uploaded a file"
	}
	return ""
}

// showsAttrs reports whether an interaction's attributes are part of its transcript entry:
// for actions (buttons, links, forms, uploads) they say what was clicked or sent.
func showsAttrs(kind string) bool { return action(kind) != "" }

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
