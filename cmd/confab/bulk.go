package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/transcript"
	"github.com/confab-dev/confab/store/cache"
	storeclip "github.com/confab-dev/confab/store/clip"
	"github.com/confab-dev/confab/store/syncer"
)

// Bulk export: `confab export SOURCE --since T` writes every conversation of a range with its
// thread, as NDJSON (one {"conversation", "interactions"} object per line) or as one Markdown
// file per conversation in a directory; live from the vendor, or from the local store with
// --offline.

// bulkWindow is how many stored conversations an offline export reads at a time.
const bulkWindow = 200

// bulkThread is one conversation of a bulk export with its thread.
type bulkThread struct {
	conv  client.Conversation
	items []client.Interaction
}

func (a *app) bulkExport(ctx context.Context, name string, o exportOptions) error {
	if o.since == "" {
		return usageError("see confab export --help",
			"export takes SOURCE and CONVERSATION_ID, or SOURCE and --since T for every conversation of a range (got %s alone)", name)
	}
	if o.clipboard || o.subtree != "" {
		return usageError("leave out --clipboard and --subtree", "a bulk export (--since) writes many threads")
	}
	ndjson := false
	switch o.format {
	case "ndjson":
		ndjson = true
	case "markdown", "md":
	default:
		return usageError("use ndjson or markdown", "a bulk export writes ndjson or markdown, not %q", o.format)
	}
	if !ndjson && o.output == "" {
		return usageError("give --output DIR", "a bulk Markdown export writes one file per conversation into a directory")
	}
	from, to, err := timeWindow(o.since, o.until, a.now())
	if err != nil {
		return err
	}
	if a.offline && o.filterSet {
		return usageError("leave out --filter, or --offline", "--filter is the vendor's: it cannot run on the local store")
	}
	kind := ""
	var walk func(func(bulkThread) error) error
	if a.offline {
		st, err := a.openCache(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		kind = a.configuredKind(name)
		walk = func(each func(bulkThread) error) error { return storedThreads(ctx, st, name, from, to, each) }
	} else {
		ctx = a.noticeRetries(ctx, name)
		sc, src, err := a.openConfigured(ctx, name)
		if err != nil {
			return err
		}
		kind = src.Kind()
		q := client.Query{Filter: sc.Filter, Since: from, Until: to, PageSize: sc.PageSize}
		if o.filterSet {
			q.Filter = o.filter
		}
		if q.Filter != "" {
			if err := src.FilterSpec().Validate(q.Filter); err != nil {
				return &exitError{code: exitUsage, what: fmt.Sprintf("source %q: %v", name, err), hint: client.HintFor(name, err), err: err}
			}
		}
		walk = func(each func(bulkThread) error) error { return liveThreads(ctx, src, q, each) }
	}
	opt := transcript.Options{Redact: o.redact, Kind: kind}
	convs, msgs := 0, 0
	count := func(t bulkThread) { convs++; msgs += len(t.items) }
	if ndjson {
		write := func(w io.Writer) error {
			var buf, line bytes.Buffer
			return walk(func(t bulkThread) error {
				buf.Reset()
				line.Reset()
				if err := transcript.JSON(&buf, t.conv, t.items, opt); err != nil {
					return err
				}
				if err := json.Compact(&line, buf.Bytes()); err != nil {
					return err
				}
				line.WriteByte('\n')
				count(t)
				_, err := w.Write(line.Bytes())
				return err
			})
		}
		if o.output == "" {
			err = write(a.stdout)
		} else {
			err = writeNewFile(o.output, o.force, write)
		}
	} else {
		if err := os.MkdirAll(o.output, 0o700); err != nil {
			return outputFailure(o.output, err)
		}
		err = walk(func(t bulkThread) error {
			path := filepath.Join(o.output, storeclip.SafeName(name+"-"+t.conv.ID)+".md")
			count(t)
			return writeNewFile(path, o.force, func(w io.Writer) error { return transcript.Markdown(w, t.conv, t.items, opt) })
		})
	}
	if err != nil {
		if ee := (*exitError)(nil); errors.As(err, &ee) {
			return err
		}
		return sourceFailure(name, err, "export %s (after %d conversations)", name, convs)
	}
	fmt.Fprintf(a.stderr, "confab: exported %s conversations (%s messages) of %s\n",
		client.Thousands(int64(convs)), client.Thousands(int64(msgs)), name)
	return nil
}

// liveThreads walks q's conversations page by page, fetching each one's thread.
func liveThreads(ctx context.Context, src client.Source, q client.Query, each func(bulkThread) error) error {
	return syncer.WalkPages(ctx, src, q, func(_ int, p client.Page) (bool, error) {
		for _, c := range p.Conversations {
			items, err := src.Thread(ctx, c)
			if err != nil {
				return false, err
			}
			if err := each(bulkThread{c, items}); err != nil {
				return false, err
			}
		}
		return false, nil
	})
}

// storedThreads walks the stored conversations of source in [from, to), newest first, a
// window at a time, with their stored threads (empty where sync ran without --threads).
func storedThreads(ctx context.Context, st *cache.Store, source string, from, to time.Time, each func(bulkThread) error) error {
	for off := 0; ; off += bulkWindow {
		cs, err := st.Conversations(ctx, cache.ListQuery{Sources: []string{source}, Since: from, Until: to, Offset: off, Limit: bulkWindow})
		if err != nil {
			return cacheFailure(st.Path(), err)
		}
		for _, c := range cs {
			items, err := st.Thread(ctx, source, c.ID)
			if err != nil {
				return cacheFailure(st.Path(), err)
			}
			if err := each(bulkThread{c, items}); err != nil {
				return err
			}
		}
		if len(cs) < bulkWindow {
			return nil
		}
	}
}

// configuredKind is the vendor kind of the configured source name, for the header of an
// export from the local store; "" when the config does not name it (or cannot be read: the
// export itself needs only the store).
func (a *app) configuredKind(name string) string {
	cfg, err := a.loadConfig()
	if err != nil {
		return ""
	}
	if s, ok := cfg.Source(name); ok {
		return s.Kind
	}
	return ""
}
