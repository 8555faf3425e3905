package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/timeexpr"
	"github.com/confab-dev/confab/store/cache"
)

// The local store's commands: `confab sync` fills it from the vendors, `confab search` reads
// it (never the network), `confab cache path|stats|clear` look after it. The TUI does not use
// it yet.

// syncOverlap is how far before the last sync's start a new sync looks again, for records
// the vendor updated or published late.
const syncOverlap = time.Hour

// syncDefaultSince is how far back a source's first sync looks when --since is not given.
const syncDefaultSince = 30 * 24 * time.Hour

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

// openCache opens the local store, with an error that says what to do when it cannot be read.
func (a *app) openCache(ctx context.Context) (*cache.Store, error) {
	p, err := a.cachePath()
	if err != nil {
		return nil, err
	}
	st, err := cache.Open(ctx, p, cache.WithClock(a.now))
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
hour before the previous sync began, so only what is new or changed is fetched again. An
interrupted sync keeps what it stored; run it again to finish.`,
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

// syncSource copies one source's conversations since since (zero: from its watermark) into st.
func (a *app) syncSource(ctx context.Context, st *cache.Store, name string, since time.Time, threads bool) error {
	ctx = a.noticeRetries(ctx, name)
	sc, src, err := a.openConfigured(ctx, name)
	if err != nil {
		return err
	}
	started := a.now()
	filterKey := sc.Filter
	if since.IsZero() {
		mark, ok, err := st.Watermark(ctx, name, filterKey)
		if err != nil {
			return cacheFailure(st.Path(), err)
		}
		since = started.Add(-syncDefaultSince)
		if ok {
			since = mark.Add(-syncOverlap)
		}
	}
	q := client.Query{Filter: sc.Filter, Since: since, PageSize: sc.PageSize}
	convs, msgs := 0, 0
	err = walkPages(ctx, src, q, func(page int, p client.Page) (bool, error) {
		if err := st.PutConversations(ctx, name, p.Conversations); err != nil {
			return false, cacheFailure(st.Path(), err)
		}
		convs += len(p.Conversations)
		if threads {
			for _, c := range p.Conversations {
				items, err := src.Thread(ctx, c)
				if err != nil {
					return false, sourceFailure(name, err, "sync %s: thread %s (after %d conversations, kept)", name, sanitize.Line(c.ID), convs)
				}
				if err := st.PutThread(ctx, name, c.ID, items); err != nil {
					return false, cacheFailure(st.Path(), err)
				}
				msgs += len(items)
			}
		}
		fmt.Fprintf(a.stderr, "confab: sync %s: page %d, %s conversations, %s messages\n",
			name, page, client.Thousands(int64(convs)), client.Thousands(int64(msgs)))
		return false, nil
	})
	if err != nil {
		if ee := (*exitError)(nil); errors.As(err, &ee) {
			return err
		}
		return sourceFailure(name, err, "sync %s (after %d conversations, kept)", name, convs)
	}
	if err := st.SetWatermark(ctx, name, filterKey, started); err != nil {
		return cacheFailure(st.Path(), err)
	}
	fmt.Fprintf(a.stdout, "%s: %s conversations, %s messages since %s\n", name,
		client.Thousands(int64(convs)), client.Thousands(int64(msgs)), since.UTC().Format(time.RFC3339))
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
