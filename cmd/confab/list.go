package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/timeexpr"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/store/syncer"
)

// defaultTableLimit is the number of rows `list --format table` prints unless --limit says
// otherwise; json and ndjson print everything by default.
const defaultTableLimit = 50

type listOptions struct {
	filter       string
	since, until string
	limit        int
	format       string
	maxWindows   int
	order        string
	orderBy      string
}

func (a *app) listCommand() *cobra.Command {
	var o listOptions
	cmd := &cobra.Command{
		Use:   "list SOURCE",
		Short: "List a source's conversations",
		Long: `List a source's conversations, newest first (--order oldest: oldest first), paging through
the vendor's API.

--since and --until take RFC 3339 times, dates (2026-11-08, local time; --until includes the
whole day), relative times (36h, 20d, 2w, "20 days ago") or today / yesterday.

--limit defaults to 50 rows for the table and to no limit for json and ndjson; 0 means no
limit. ndjson prints one conversation per line as pages arrive.

OpenDialog and Talkdesk sources ask for a range one window at a time (a day, a week); a range
that needs more than --max-windows requests (default: the source's max_windows, else 400) is
refused before any request. Narrow --since/--until, or raise the limit (-1: none).

With --offline it lists the conversations in the local store ('confab sync' fills it) and
never touches the network; --filter and --order-by, which run at the vendor, are refused.`,
		Example: `  confab list mw --since 7d --filter "primary_domain eq 'IT'"
  confab list mw --format ndjson --limit 0 | jq -r .id`,
		Args: exactArgs("SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("limit") && o.format == "table" {
				o.limit = defaultTableLimit
			}
			return a.list(cmd.Context(), args[0], o, cmd.Flags().Changed("filter"))
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.filter, "filter", "", "the source's native filter (default: the source's configured filter)")
	f.StringVar(&o.since, "since", "", "only conversations at or after `T`")
	f.StringVar(&o.until, "until", "", "only conversations before `T`")
	f.IntVar(&o.limit, "limit", 0, "at most `N` conversations; 0 for no limit (default 50 for table, none for json/ndjson)")
	f.StringVar(&o.format, "format", "table", "output format: table, json or ndjson")
	f.StringVar(&o.order, "order", "newest", "newest or oldest first")
	f.StringVar(&o.orderBy, "order-by", "", "the vendor's own sort (moveworks $orderby, e.g. \"last_updated_time desc\"); replaces --order")
	f.IntVar(&o.maxWindows, "max-windows", 0, "refuse a range that needs more than `N` window requests (talkdesk, opendialog; default: the source's max_windows, else 400; -1: no limit)")
	return cmd
}

func (a *app) list(ctx context.Context, name string, o listOptions, filterSet bool) error {
	switch o.format {
	case "table", "json", "ndjson":
	default:
		return usageError("use table, json or ndjson", "unknown --format %q", o.format)
	}
	if o.limit < 0 {
		return usageError("use 0 for no limit", "--limit %d is negative", o.limit)
	}
	now := a.now()
	var q client.Query
	switch strings.ToLower(strings.TrimSpace(o.order)) {
	case "newest", "":
	case "oldest":
		q.Order = client.OldestFirst
	default:
		return usageError("use newest or oldest", "unknown --order %q", sanitize.Line(o.order))
	}
	var err error
	if q.Since, q.Until, err = timeWindow(o.since, o.until, now); err != nil {
		return err
	}
	if a.offline && filterSet && o.filter != "" {
		return usageError("leave out --filter, or --offline", "--filter is the vendor's: it cannot run on the local store")
	}
	if a.offline && o.orderBy != "" {
		return usageError("use --order newest|oldest", "--order-by is the vendor's sort: it cannot run on the local store")
	}
	ctx = a.noticeRetries(ctx, name)
	sc, src, err := a.openConfigured(ctx, name)
	if err != nil {
		return err
	}
	defer closeSource(src)
	if a.offline {
		sc.Filter = "" // the stored rows are those the configured filter let through
	}
	if or, ok := src.(interface{ Orders() bool }); ok && !or.Orders() && q.Order == client.OldestFirst {
		return usageError("leave out --order", "source %q lists newest first only", name)
	}
	if o.orderBy != "" {
		ob, ok := src.(client.OrderByChecker)
		if !ok {
			return usageError("use --order newest|oldest", "source %q (%s) sorts by time only; --order-by is for moveworks sources", name, sc.Kind)
		}
		if q.Order == client.OldestFirst {
			return usageError("put the direction in --order-by, e.g. \"created_time asc\"", "--order-by and --order oldest both say how to sort")
		}
		if q.OrderBy, err = ob.CheckOrderBy(o.orderBy); err != nil {
			return usageError("sortable fields are those of the filter; add asc or desc", "--order-by: %v", err)
		}
	}
	q.Filter = sc.Filter
	if filterSet {
		q.Filter = o.filter
	}
	q.PageSize = sc.PageSize
	q.MaxWindows = o.maxWindows
	if o.limit > 0 && (q.PageSize == 0 || o.limit < q.PageSize) {
		q.PageSize = o.limit
	}
	if q.Filter != "" {
		if err := src.FilterSpec().Validate(q.Filter); err != nil {
			ee := &exitError{code: exitUsage, what: fmt.Sprintf("source %q: %v", name, err), hint: client.HintFor(name, err), err: err}
			var fe *client.FilterError
			if errors.As(err, &fe) && sanitize.Line(q.Filter) == q.Filter {
				ee.detail = filterCaret(q.Filter, fe) // the caret the TUI's filter bar shows
			}
			return ee
		}
	}
	// Forms the vendor does not document are sent anyway: one warning line on stderr once the
	// listing is done, or, when the vendor refuses the filter, a hint on the error's line.
	var warning string
	if ws := client.FilterWarnings(src.FilterSpec(), q.Filter); len(ws) > 0 {
		msgs := make([]string, len(ws))
		for i, w := range ws {
			msgs[i] = w.String()
		}
		warning = sanitize.Line(fmt.Sprintf("filter %s", strings.Join(msgs, "; ")))
	}
	var out rowWriter
	switch o.format {
	case "json":
		out = &jsonArrayWriter{w: a.stdout}
	case "ndjson":
		out = &ndjsonWriter{w: a.stdout}
	default:
		out = &tableWriter{w: a.stdout}
	}
	if err := a.pageThrough(ctx, src, q, o.limit, out); err != nil {
		if errors.Is(err, client.ErrTooBroad) {
			return &exitError{code: exitUsage, what: fmt.Sprintf("list %s: %v", name, err), err: err,
				hint: "narrow --since/--until (or the filter's range), or raise --max-windows or the source's max_windows"}
		}
		if errors.Is(err, client.ErrBadFilter) {
			hint := client.HintFor(name, err)
			if warning != "" {
				hint = "the vendor may not support a form the filter uses (" + warning + ")"
			}
			return &exitError{code: exitUsage, what: fmt.Sprintf("list %s: %v", name, err), hint: hint, err: err}
		}
		if ce := (*cache.Error)(nil); errors.As(err, &ce) {
			return cacheFailure(ce.Path, err)
		}
		return sourceFailure(name, err, "list %s", name)
	}
	if warning != "" {
		fmt.Fprintf(a.stderr, "confab: warning: source %q: %s\n", name, warning)
	}
	return nil
}

// timeWindow reads --since and --until (either may be ""), relative to now; an empty or
// inverted window is a usage error.
func timeWindow(since, until string, now time.Time) (from, to time.Time, err error) {
	if since != "" {
		if from, err = timeexpr.Parse(since, now); err != nil {
			return from, to, usageError("", "--since: %v", err)
		}
	}
	if until != "" {
		if to, err = timeexpr.ParseEnd(until, now); err != nil {
			return from, to, usageError("", "--until: %v", err)
		}
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, usageError("--since must be before --until", "empty time window %s … %s",
			from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return from, to, nil
}

// pageThrough fetches pages until the end or limit conversations (0: no limit), handing each
// page's rows to out as it arrives.
func (a *app) pageThrough(ctx context.Context, src client.Source, q client.Query, limit int, out rowWriter) error {
	n := 0
	err := syncer.WalkPages(ctx, src, q, func(page int, p client.Page) (bool, error) {
		if a.logger != nil {
			a.logger.Debug("list page", "page", page, "conversations", len(p.Conversations), "more", p.Next != "")
		}
		batch := p.Conversations
		if limit > 0 && n+len(batch) > limit {
			batch = batch[:limit-n]
		}
		if err := out.write(batch); err != nil {
			return false, err
		}
		n += len(batch)
		return limit > 0 && n >= limit, nil
	})
	if err != nil {
		out.abort() // keep what was already printed well-formed
		return err
	}
	return out.end()
}

// rowWriter prints conversations in one output format.
type rowWriter interface {
	write([]client.Conversation) error
	end() error // called once after the last page
	abort()     // called instead of end after a failure: finish what was printed, if anything
}

// ndjsonWriter prints one JSON object per line, flushed page by page.
type ndjsonWriter struct {
	w io.Writer
}

func (n *ndjsonWriter) write(cs []client.Conversation) error {
	bw := bufio.NewWriter(n.w)
	for i := range cs {
		b, err := marshalNoEscape(&cs[i])
		if err != nil {
			return fmt.Errorf("write ndjson: %w", err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func (n *ndjsonWriter) end() error { return nil }
func (n *ndjsonWriter) abort()     {}

// jsonArrayWriter streams a JSON array, one element per line.
type jsonArrayWriter struct {
	w     io.Writer
	count int
	ended bool
}

func (j *jsonArrayWriter) write(cs []client.Conversation) error {
	bw := bufio.NewWriter(j.w)
	for i := range cs {
		b, err := marshalNoEscape(&cs[i])
		if err != nil {
			return fmt.Errorf("write json: %w", err)
		}
		sep := ",\n"
		if j.count == 0 {
			sep = "[\n"
		}
		j.count++
		bw.WriteString(sep)
		bw.Write(b)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func (j *jsonArrayWriter) abort() {
	if j.count > 0 {
		_ = j.end()
	}
}

func (j *jsonArrayWriter) end() error {
	if j.ended {
		return nil
	}
	j.ended = true
	s := "\n]\n"
	if j.count == 0 {
		s = "[]\n"
	}
	if _, err := io.WriteString(j.w, s); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// marshalNoEscape encodes v on one line, with '<', '>' and '&' as they are, and escapes
// what a terminal would act on (sanitize.JSON): C1 and bidi controls, DEL, U+2028/U+2029,
// and invalid UTF-8 in a vendor's raw record.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return sanitize.JSON(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// tableWriter collects rows and prints an aligned plain-text table at the end. Cells are
// sanitized: vendor text never reaches the terminal as control sequences.
type tableWriter struct {
	w     io.Writer
	rows  [][4]string
	ended bool
}

const (
	maxIDWidth      = 80 // ids are for copying into `confab export`: cut only absurd ones
	maxUserWidth    = 36
	maxSummaryWidth = 72
)

func (t *tableWriter) write(cs []client.Conversation) error {
	for _, c := range cs {
		summary := c.Summary
		if summary == "" {
			summary = attrsLine(c.Attrs)
		}
		t.rows = append(t.rows, [4]string{
			shortTime(c.Started),
			sanitize.Truncate(sanitize.Line(c.ID), maxIDWidth, "…"),
			sanitize.Truncate(sanitize.Line(c.UserLabel()), maxUserWidth, "…"),
			sanitize.Truncate(sanitize.Line(summary), maxSummaryWidth, "…"),
		})
	}
	return nil
}

func (t *tableWriter) abort() {
	if len(t.rows) > 0 {
		_ = t.end()
	}
}

func (t *tableWriter) end() error {
	if t.ended {
		return nil
	}
	t.ended = true
	if len(t.rows) == 0 {
		_, err := io.WriteString(t.w, "no conversations\n")
		return err
	}
	header := [4]string{"TIME", "ID", "USER", "SUMMARY"}
	var widths [3]int
	for _, r := range append([][4]string{header}, t.rows...) {
		for i := range widths {
			widths[i] = max(widths[i], sanitize.Width(r[i]))
		}
	}
	bw := bufio.NewWriter(t.w)
	for _, r := range append([][4]string{header}, t.rows...) {
		for i := range widths {
			bw.WriteString(sanitize.Pad(r[i], widths[i]))
			bw.WriteString("  ")
		}
		bw.WriteString(strings.TrimRight(r[3], " "))
		bw.WriteString("\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// shortTime formats t in the local zone, short.
func shortTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func attrsLine(attrs client.Attrs) string {
	parts := make([]string, 0, len(attrs))
	for _, kv := range attrs {
		parts = append(parts, kv.Key+"="+kv.Value)
	}
	return strings.Join(parts, " ")
}
