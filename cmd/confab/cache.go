package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/timeexpr"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/store/syncer"
)

// The local store's commands: `confab sync` fills it from the vendors, `confab search` reads
// it (never the network), `confab cache path|stats|clear` look after it. The TUI opens it
// too (tuistore.go).

// errOffline is what a request to a vendor under --offline fails with.
var errOffline = errors.New("offline")

// cachePath is the local store's file.
func (a *app) cachePath() (string, error) {
	if a.noCache {
		return "", &exitError{code: exitUsage, what: "--no-cache: this command needs the local store", hint: "leave out --no-cache"}
	}
	p, err := cache.DefaultPath(a.getenv)
	if err != nil {
		return "", &exitError{code: exitFailure, what: "cache: " + err.Error(), hint: "set HOME or XDG_CACHE_HOME", err: err}
	}
	return p, nil
}

// cacheOptions are how confab opens the store at path: its clock, and a line on stderr
// before an upgrade of a store an earlier confab wrote (it can take a minute or two).
func (a *app) cacheOptions(path string) []cache.Option {
	return []cache.Option{cache.WithClock(a.now), cache.WithUpgradeNotice(func(from, to int) {
		fmt.Fprintf(a.stderr, "confab: upgrading the local store %s (format %d to %d); a large one takes a minute or two…\n",
			sanitize.Line(path), from, to)
	})}
}

// openCache opens the local store, with an error that says what to do when it cannot be read.
func (a *app) openCache(ctx context.Context) (*cache.Store, error) {
	p, err := a.cachePath()
	if err != nil {
		return nil, err
	}
	st, err := cache.Open(ctx, p, a.cacheOptions(p)...)
	if err != nil {
		return nil, cacheFailure(p, err)
	}
	return st, nil
}

// cacheFailure is the error of a store that cannot be used, with what to do about it.
func cacheFailure(path string, err error) error {
	hint := "check the file's permissions and free space"
	switch {
	case errors.Is(err, cache.ErrCorrupt), errors.Is(err, cache.ErrTooNew):
		hint = "run 'confab cache clear' to start the store afresh (then 'confab sync')"
	case errors.Is(err, cache.ErrLocked):
		hint = "another confab is writing to it; try again when it is done"
	}
	return &exitError{code: exitFailure, what: sanitize.Line(err.Error()), hint: hint, err: err}
}

func (a *app) cacheCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Look after the local store that `confab sync` fills and `confab search` reads",
		Args:  exactArgs(),
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "path",
		Short: "Print the local store's file ($XDG_CACHE_HOME/confab/confab.db)",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			p, err := a.cachePath()
			if err == nil {
				fmt.Fprintln(a.stdout, p)
			}
			return err
		},
	}, &cobra.Command{
		Use:   "stats",
		Short: "Rows per source, oldest and newest conversation, last sync, file size",
		Args:  exactArgs(),
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.cacheStats(cmd.Context()) },
	}, &cobra.Command{
		Use:   "clear [SOURCE]",
		Short: "Remove one source's rows from the local store, or the whole store",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			source := ""
			if len(args) == 1 {
				source = args[0]
			}
			return a.cacheClear(cmd.Context(), source)
		},
	})
	return cmd
}

func (a *app) cacheStats(ctx context.Context) error {
	st, err := a.openCache(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		return cacheFailure(st.Path(), err)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tCONVERSATIONS\tINTERACTIONS\tOLDEST\tNEWEST\tLAST SYNC")
	day := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	for _, s := range stats.Sources {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", sanitize.Line(s.Source), client.Thousands(int64(s.Conversations)),
			client.Thousands(int64(s.Interactions)), day(s.Oldest), day(s.Newest), day(s.LastSync))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s, %s bytes\n", stats.Path, client.Thousands(stats.Size))
	return nil
}

func (a *app) cacheClear(ctx context.Context, source string) error {
	p, err := a.cachePath()
	if err != nil {
		return err
	}
	if source == "" {
		// The whole store goes, readable or not (a corrupt file is what clear is for).
		if err := cache.Remove(p); err != nil {
			return cacheFailure(p, err)
		}
		fmt.Fprintf(a.stderr, "confab: removed the local store %s\n", p)
		return nil
	}
	st, err := a.openCache(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Clear(ctx, source); err != nil {
		return cacheFailure(p, err)
	}
	fmt.Fprintf(a.stderr, "confab: removed source %q from the local store\n", source)
	return nil
}

// syncOptions are the flags of `confab sync`.
type syncOptions struct {
	since   string
	threads bool
}

func (a *app) syncCommand() *cobra.Command {
	var o syncOptions
	cmd := &cobra.Command{
		Use:   "sync [SOURCE...]",
		Short: "Copy conversations (and with --threads their messages) into the local store",
		Long: `Copy every configured source's conversations (or only the SOURCEs named) into the local store,
so that 'confab search' finds them without the network. With --threads each conversation's
messages are copied too (one request per conversation).

A source's first sync reaches back 30 days unless --since says otherwise; later ones start an
hour before the previous sync began, so only what is new or changed is fetched again.

Progress goes to standard error: on a terminal one line with a bar, the rows and pages so far,
the rate and the time left; piped, one line per page. ctrl+c stops a sync and keeps what it
stored; run it again to finish: it fetches what is new and the part not yet stored, not the
part already copied.`,
		Example: `  confab sync --since 7d --threads
  confab sync mw && confab search 'vpn AND password'`,
		RunE: func(cmd *cobra.Command, args []string) error { return a.sync(cmd.Context(), args, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.since, "since", "", "copy conversations at or after `T` (default: since the last sync, else 30d)")
	f.BoolVar(&o.threads, "threads", false, "also copy each conversation's messages")
	return cmd
}

func (a *app) sync(ctx context.Context, names []string, o syncOptions) error {
	if a.offline {
		return &exitError{code: exitUsage, err: errOffline, what: "sync: --offline: sync copies from the vendors' APIs",
			hint: "leave out --offline"}
	}
	now := a.now()
	var since time.Time
	if o.since != "" {
		t, err := timeexpr.Parse(o.since, now)
		if err != nil {
			return usageError("", "--since: %v", err)
		}
		since = t
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	if len(names) == 0 {
		for _, s := range cfg.Sources {
			names = append(names, s.Name)
		}
	}
	if len(names) == 0 {
		return usageError("add a [[source]] to the config (see 'confab config --help')", "no sources to sync")
	}
	st, err := a.openCache(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, name := range names {
		if err := a.syncSource(ctx, st, name, since, o.threads); err != nil {
			return err
		}
	}
	return nil
}

// syncSource copies one source's conversations since since (zero: from an interrupted sync,
// else its watermark) into st with store/syncer, showing progress on stderr.
func (a *app) syncSource(ctx context.Context, st *cache.Store, name string, since time.Time, threads bool) error {
	ctx = a.noticeRetries(ctx, name)
	sc, src, err := a.openConfigured(ctx, name)
	if err != nil {
		return err
	}
	show := a.syncProgress(name)
	if show.tty {
		// Other lines on stderr (a retry notice while a rate limit holds the sync) first
		// clear the progress line, which the next page draws again.
		stderr := a.stderr
		a.stderr = show
		defer func() { a.stderr = stderr }()
	}
	res, err := syncer.Run(ctx, syncer.Options{Store: st, Source: src, Name: name, Filter: sc.Filter, Since: since,
		Threads: threads, PageSize: sc.PageSize, Now: a.now, Progress: show.page})
	show.end()
	if res.Resumed {
		fmt.Fprintf(a.stderr, "confab: sync %s: resumed an interrupted sync (%s … %s was already stored)\n", name,
			res.CoveredFrom.UTC().Format(time.RFC3339), res.CoveredTo.UTC().Format(time.RFC3339))
	}
	if err != nil {
		kept := fmt.Sprintf("after %s conversations, kept", client.Thousands(int64(res.Rows)))
		var ce *cache.Error
		var te *syncer.ThreadError
		switch {
		case errors.Is(err, context.Canceled) && ctx.Err() != nil:
			// Not the bare "interrupted": say what was kept and how to finish.
			return &exitError{code: exitInterrupted, what: fmt.Sprintf("sync %s: interrupted %s in the local store", name, kept),
				hint: "run confab sync again to finish"}
		case errors.As(err, &ce):
			return cacheFailure(st.Path(), err)
		case errors.As(err, &te):
			return sourceFailure(name, te.Err, "sync %s: thread %s (%s; run confab sync again to finish)", name, sanitize.Line(te.ConversationID), kept)
		}
		if ee := (*exitError)(nil); errors.As(err, &ee) {
			return err
		}
		return sourceFailure(name, err, "sync %s (%s; run confab sync again to finish)", name, kept)
	}
	from := res.Since.UTC().Format(time.RFC3339)
	if res.Rows == 0 && res.Messages == 0 {
		fmt.Fprintf(a.stdout, "%s: no conversations since %s\n", name, from)
		return nil
	}
	fmt.Fprintf(a.stdout, "%s: %s conversations, %s messages since %s\n", name,
		client.Thousands(int64(res.Rows)), client.Thousands(int64(res.Messages)), from)
	return nil
}

// searchOptions are the flags of `confab search`.
type searchOptions struct {
	sources      []string
	since, until string
	format       string
	limit        int
}

func (a *app) searchCommand() *cobra.Command {
	var o searchOptions
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search what people wrote, across every source, in the local store",
		Long: `Search the local store (fill it with 'confab sync --threads') for conversations whose
messages, summary, user or attributes match QUERY, newest first, with the match marked.
It never touches the network.

QUERY is SQLite FTS5 syntax: words (all must match), "a phrase", prefix*, AND, OR, NOT,
parentheses. Matching ignores case and accents.`,
		Example: `  confab search eduroam
  confab search '"reset my password" OR pwd*' --source td --since 7d --format ndjson`,
		Args: exactArgs("QUERY"),
		RunE: func(cmd *cobra.Command, args []string) error { return a.search(cmd.Context(), args[0], o) },
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.sources, "source", nil, "only these sources (repeat or comma-separate)")
	f.StringVar(&o.since, "since", "", "only matches at or after `T`")
	f.StringVar(&o.until, "until", "", "only matches before `T`")
	f.StringVar(&o.format, "format", "table", "output format: table, json or ndjson")
	f.IntVar(&o.limit, "limit", 50, "at most `N` conversations")
	return cmd
}

func (a *app) search(ctx context.Context, text string, o searchOptions) error {
	switch o.format {
	case "table", "json", "ndjson":
	default:
		return usageError("use table, json or ndjson", "unknown --format %q", sanitize.Line(o.format))
	}
	if o.limit < 0 {
		return usageError("", "--limit %d is negative", o.limit)
	}
	now := a.now()
	q := cache.SearchQuery{Text: text, Sources: o.sources, Limit: o.limit}
	var err error
	if q.Since, q.Until, err = timeWindow(o.since, o.until, now); err != nil {
		return err
	}
	st, err := a.openCache(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	hits, err := st.Search(ctx, q)
	if err != nil {
		if errors.Is(err, cache.ErrBadQuery) {
			return usageError(`words, "a phrase", prefix*, AND, OR, NOT, parentheses`, "%s", sanitize.Line(err.Error()))
		}
		return cacheFailure(st.Path(), err)
	}
	if len(hits) == 0 {
		fmt.Fprintf(a.stderr, "confab: no matches in the local store (%s); 'confab sync --threads' fills it\n", st.Path())
	}
	switch o.format {
	case "table":
		return writeHitsTable(a.stdout, hits)
	default:
		return writeHitsJSON(a.stdout, hits, o.format == "ndjson")
	}
}

// hitJSON is a search hit as json/ndjson print it.
type hitJSON struct {
	Source        string              `json:"source"`
	ID            string              `json:"id"`
	InteractionID string              `json:"interaction_id,omitempty"`
	Time          time.Time           `json:"time,omitzero"`
	Snippet       []cache.Span        `json:"snippet"`
	Conversation  client.Conversation `json:"conversation"`
}

func writeHitsJSON(w io.Writer, hits []cache.Hit, nd bool) error {
	out := make([]hitJSON, len(hits))
	for i, h := range hits {
		out[i] = hitJSON{Source: h.Conversation.Source, ID: h.Conversation.ID, InteractionID: h.InteractionID,
			Time: h.Time, Snippet: h.Spans(), Conversation: h.Conversation}
	}
	put := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(append(sanitize.JSON(b), '\n'))
		return err
	}
	if !nd {
		return put(out)
	}
	for _, h := range out {
		if err := put(h); err != nil {
			return err
		}
	}
	return nil
}

// writeHitsTable prints one line per hit: time, source, conversation id, and the snippet with
// each matched term between « and ».
func writeHitsTable(w io.Writer, hits []cache.Hit) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSOURCE\tCONVERSATION\tMATCH")
	for _, h := range hits {
		var b strings.Builder
		for _, s := range h.Spans() {
			if s.Match {
				b.WriteString("«" + s.Text + "»")
			} else {
				b.WriteString(s.Text)
			}
		}
		t := "-"
		if !h.Time.IsZero() {
			t = h.Time.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t, sanitize.Line(h.Conversation.Source),
			sanitize.Line(sanitize.Clip(h.Conversation.ID, 40)), sanitize.Line(b.String()))
	}
	return tw.Flush()
}

// syncShow draws a sync's progress on stderr: on a terminal one line redrawn in place (a bar
// when the work done can be estimated), else one plain line per page.
type syncShow struct {
	w     io.Writer
	name  string
	tty   bool
	width int // the terminal's columns (0: unknown)
	drawn bool
}

// syncProgress is the progress display of one source's sync.
func (a *app) syncProgress(name string) *syncShow {
	s := &syncShow{w: a.stderr, name: name}
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(f.Fd()) {
		s.tty = true
		if w, _, err := term.GetSize(f.Fd()); err == nil {
			s.width = w
		}
	}
	return s
}

// page shows p.
func (s *syncShow) page(p syncer.Progress) {
	if !s.tty {
		if !p.Partial { // piped: one line per page
			fmt.Fprintln(s.w, syncLine(s.name, p, false))
		}
		return
	}
	line := syncLine(s.name, p, true)
	if s.width > 1 {
		line = sanitize.Truncate(line, s.width-1, "…")
	}
	fmt.Fprint(s.w, "\r"+line+"\x1b[K")
	s.drawn = true
}

// Write writes p to the terminal on a line of its own: the progress line, if drawn, is
// cleared first.
func (s *syncShow) Write(p []byte) (int, error) {
	s.end()
	return s.w.Write(p)
}

// end clears the terminal's progress line, if one was drawn.
func (s *syncShow) end() {
	if s.drawn {
		fmt.Fprint(s.w, "\r\x1b[K")
		s.drawn = false
	}
}

// syncBarWidth is the cells of the progress bar on a terminal.
const syncBarWidth = 20

// syncLine is one progress report: for a terminal "sync mw ██████░░░░ 31%  1,234
// conversations · 12 pages · 56 messages · 340/s · ETA 1m05s", else (piped) "confab: sync mw:
// page 12, 1,234 conversations, 56 messages" with the percentage, rate and ETA when known.
func syncLine(name string, p syncer.Progress, tty bool) string {
	var extra []string
	if p.Done >= 0 && !tty {
		extra = append(extra, fmt.Sprintf("%d%%", int(p.Done*100)))
	}
	if p.Rate > 0 {
		extra = append(extra, fmt.Sprintf("%s/s", client.Thousands(int64(p.Rate+0.5))))
	}
	if eta := p.ETA.Round(time.Second); p.HasETA && p.Done < 1 && eta > 0 {
		extra = append(extra, "ETA "+eta.String())
	}
	convs, msgs := client.Thousands(int64(p.Rows)), client.Thousands(int64(p.Messages))
	if !tty {
		line := fmt.Sprintf("confab: sync %s: page %d, %s conversations, %s messages", name, p.Pages, convs, msgs)
		if len(extra) > 0 {
			line += ", " + strings.Join(extra, ", ")
		}
		return line
	}
	var b strings.Builder
	b.WriteString("sync " + name + " ")
	if p.Done >= 0 {
		full := int(p.Done*syncBarWidth + 0.5)
		b.WriteString(strings.Repeat("█", full) + strings.Repeat("░", syncBarWidth-full))
		fmt.Fprintf(&b, " %3d%%  ", int(p.Done*100))
	}
	fmt.Fprintf(&b, "%s conversations · %d page%s", convs, p.Pages, plural(p.Pages))
	if p.Messages > 0 {
		b.WriteString(" · " + msgs + " messages")
	}
	for _, e := range extra {
		b.WriteString(" · " + e)
	}
	return b.String()
}
