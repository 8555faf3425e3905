// Package syncer copies a source's conversations (and optionally their threads) from a
// vendor into the local store (store/cache), incrementally and resumably.
//
// A sync walks the source newest first over [since, now). Its lower edge is, in order: the
// caller's Since; the lower edge of an interrupted sync it resumes; the last successful
// sync's start (the watermark, kept per source and filter) less Overlap, so records a vendor
// updated or published late are fetched again; else DefaultSince before now.
//
// While it walks, a sync records a checkpoint in the store's watermarks table: how far down
// it has stored everything. A sync that was killed (ctrl+c, SIGKILL, a failure) keeps what
// it stored, and the next one walks only what is new since the interrupted one began and
// the part below the checkpoint, not the part already covered. A successful sync sets the
// watermark to its start and clears the checkpoint.
//
// The package never talks to a terminal: progress goes to a callback (Options.Progress).
package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/cache"
)

// Overlap is how far before the last sync's start a new sync looks again, for records the
// vendor updated or published late.
const Overlap = time.Hour

// DefaultSince is how far back a source's first sync looks when Options.Since is zero.
const DefaultSince = 30 * 24 * time.Hour

// edgeMargin widens the part below a checkpoint by this much, so rows with the same start
// time as the last one stored (split across two pages) are fetched again rather than missed.
const edgeMargin = time.Second

// Options say what to sync.
type Options struct {
	// Store is the local store written to. Required.
	Store *cache.Store
	// Source is the vendor client read from. Required.
	Source client.Source
	// Name is the stored source name; "" means Source.Name().
	Name string
	// Filter is the vendor filter the sync runs with (the source's configured filter); the
	// watermark and the checkpoint are kept per source and filter.
	Filter string
	// Since is the lower edge of the walk; zero means: from an interrupted sync's lower edge,
	// else from the watermark less Overlap, else DefaultSince before now.
	Since time.Time
	// Threads also copies each conversation's interactions (one request per conversation).
	Threads bool
	// PageSize is the page size hint passed to the source (0: the source's default).
	PageSize int
	// Now is the clock (the watermark, the default range, elapsed time); nil means time.Now.
	Now func() time.Time
	// Progress, when set, is called after each page is stored (and, with Threads, every few
	// threads of a page: Progress.Partial).
	Progress func(Progress)
}

// Progress is where a sync is, reported after each page.
type Progress struct {
	Source   string
	Pages    int // pages stored so far in this run
	Rows     int // conversations stored so far in this run
	Messages int // interactions stored so far in this run (with Threads)
	Elapsed  time.Duration
	// Rate is conversations per second so far; 0 until time has passed.
	Rate float64
	// Done is the estimated fraction of the work done, in [0, 1]: the vendor's total when its
	// pages carry one (rows/total), else the part of the time span walked so far (from the
	// oldest row stored down from the newest). Negative when it cannot be estimated.
	Done float64
	// ETA is the estimated time left; valid when HasETA.
	ETA    time.Duration
	HasETA bool
	// Window is what a windowed source says it is reading (client.Page.Progress), if anything.
	Window string
	// Partial is true for a report in the middle of a page (its threads being fetched, every
	// threadReport threads); false for the report after each page.
	Partial bool
}

// threadReport is how many threads a partial progress report comes after.
const threadReport = 20

// Result is what a sync stored. Run returns it also on failure: what was stored is kept.
type Result struct {
	Source   string
	Pages    int
	Rows     int
	Messages int
	// Since is the lower edge of the span synced; Started the run's start (the new watermark
	// on success).
	Since, Started time.Time
	// Resumed is true when the run continued an interrupted one and skipped the part it had
	// already covered (Covered).
	Resumed bool
	// Covered is the span an interrupted sync had stored and this run did not fetch again.
	CoveredFrom, CoveredTo time.Time
}

// ThreadError is a failure fetching one conversation's thread; Err is the source's error.
type ThreadError struct {
	ConversationID string
	Err            error
}

func (e *ThreadError) Error() string {
	return fmt.Sprintf("thread %s: %v", e.ConversationID, e.Err)
}

// Unwrap returns the source's error.
func (e *ThreadError) Unwrap() error { return e.Err }

// Watermark keys: the filter's own key is the watermark of the last successful sync; the
// checkpoint of an interrupted one is three more keys in the same table.
const (
	keyFrom = cache.CheckpointPrefix + "from:" // the interrupted walk's lower edge
	keyLow  = cache.CheckpointPrefix + "low:"  // everything from here …
	keyHigh = cache.CheckpointPrefix + "high:" // … up to here is stored
)

// cleared is the value a cleared checkpoint key held before checkpoints were deleted: a
// store written then may still have it.
var cleared = time.Unix(0, 0)

func resumeKey(prefix, filter string, threads bool) string {
	if threads {
		prefix += "threads:"
	}
	return prefix + filter
}

// checkpoint is how far an interrupted sync got: [low, high] is stored; from was its lower
// edge.
type checkpoint struct {
	from, low, high time.Time
	ok              bool
}

func loadCheckpoint(ctx context.Context, st *cache.Store, name, filter string, threads bool) (checkpoint, error) {
	var cp checkpoint
	var times [3]time.Time
	for i, p := range []string{keyFrom, keyLow, keyHigh} {
		t, ok, err := st.Watermark(ctx, name, resumeKey(p, filter, threads))
		if err != nil {
			return cp, err
		}
		if ok && t.After(cleared) {
			times[i] = t
		}
	}
	cp.from, cp.low, cp.high = times[0], times[1], times[2]
	cp.ok = !cp.low.IsZero() && !cp.high.IsZero() && !cp.low.After(cp.high)
	return cp, nil
}

// span is one walk: [from, to); to zero means up to the source's now.
type span struct {
	from, to time.Time
	// below is true for a walk whose progress moves the checkpoint's low edge down.
	below bool
}

// Run syncs one source into the store (see the package comment). ctx cancels it: what was
// stored stays, and the next Run resumes. Errors: the store's (*cache.Error), the source's
// for a page, *ThreadError for a thread.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Store == nil || o.Source == nil {
		return Result{}, errors.New("syncer: Options.Store and Options.Source are required")
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	name := o.Name
	if name == "" {
		name = o.Source.Name()
	}
	st := o.Store
	started := now()
	res := Result{Source: name, Started: started}

	cp, err := loadCheckpoint(ctx, st, name, o.Filter, o.Threads)
	if err != nil {
		return res, err
	}
	cp.ok = cp.ok && !cp.high.After(started)
	since := o.Since
	if since.IsZero() && cp.ok && !cp.from.IsZero() {
		since = cp.from
	}
	if since.IsZero() {
		mark, ok, err := st.Watermark(ctx, name, o.Filter)
		if err != nil {
			return res, err
		}
		since = started.Add(-DefaultSince)
		if ok {
			since = mark.Add(-Overlap)
		}
	}
	res.Since = since

	var walks []span
	newFrom := since
	if cp.ok {
		newFrom = maxTime(since, cp.high.Add(-Overlap))
	}
	if cp.ok && cp.high.Add(-Overlap).After(since) && newFrom.After(cp.low.Add(edgeMargin)) {
		// Resume: what is new since the interrupted sync began, then what lies below it.
		res.Resumed = true
		res.CoveredFrom, res.CoveredTo = maxTime(since, cp.low), newFrom
		walks = append(walks, span{from: newFrom})
		if cp.low.After(since) {
			walks = append(walks, span{from: since, to: cp.low.Add(edgeMargin), below: true})
		}
	} else {
		walks = append(walks, span{from: since, below: true})
	}

	r := &run{o: o, name: name, st: st, now: now, started: started, walks: walks, res: &res}
	for i := range walks {
		if err := r.walk(ctx, i); err != nil {
			return res, err
		}
		if i == 0 && !walks[0].below {
			// The new part is stored: the checkpoint now reaches up to this run's start.
			if err := r.mark(ctx, keyFrom, since); err != nil {
				return res, err
			}
			if err := r.mark(ctx, keyHigh, started); err != nil {
				return res, err
			}
		}
	}
	if err := st.SetWatermark(ctx, name, o.Filter, started); err != nil {
		return res, err
	}
	for _, p := range []string{keyFrom, keyLow, keyHigh} { // done: no checkpoint left
		if err := st.DeleteWatermark(ctx, name, resumeKey(p, o.Filter, o.Threads)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// run is one Run's state.
type run struct {
	o       Options
	name    string
	st      *cache.Store
	now     func() time.Time
	started time.Time
	walks   []span
	res     *Result
}

func (r *run) mark(ctx context.Context, prefix string, t time.Time) error {
	return r.st.SetWatermark(ctx, r.name, resumeKey(prefix, r.o.Filter, r.o.Threads), t)
}

// walk runs walks[i], storing each page, moving the checkpoint down (for a walk below) and
// reporting progress.
func (r *run) walk(ctx context.Context, i int) error {
	w := r.walks[i]
	q := client.Query{Filter: r.o.Filter, Since: w.from, Until: w.to, PageSize: r.o.PageSize}
	top := w.to
	if top.IsZero() {
		top = r.started
	}
	if w.below && w.to.IsZero() {
		// A fresh walk: record its edges before the first page, its low edge after each.
		if err := r.mark(ctx, keyFrom, w.from); err != nil {
			return err
		}
		if err := r.mark(ctx, keyHigh, r.started); err != nil {
			return err
		}
	}
	var (
		oldest   time.Time // the oldest start time stored by this walk
		ordered  = true    // every page so far came no newer than the pages before it
		walkRows int
	)
	return WalkPages(ctx, r.o.Source, q, func(_ int, p client.Page) (bool, error) {
		if err := r.st.PutConversations(ctx, r.name, p.Conversations); err != nil {
			return false, err
		}
		r.res.Rows += len(p.Conversations)
		walkRows += len(p.Conversations)
		if r.o.Threads {
			for n, c := range p.Conversations {
				if r.o.Progress != nil && n > 0 && n%threadReport == 0 {
					pr := r.progress(i, top, oldest, walkRows, client.Page{Total: -1, Next: "more", Progress: p.Progress})
					pr.Pages, pr.Partial = r.res.Pages+1, true
					r.o.Progress(pr)
				}
				items, err := r.o.Source.Thread(ctx, c)
				if err != nil {
					return false, &ThreadError{ConversationID: c.ID, Err: err}
				}
				if err := r.st.PutThread(ctx, r.name, c.ID, items); err != nil {
					return false, err
				}
				r.res.Messages += len(items)
			}
		}
		r.res.Pages++

		pageOldest := time.Time{}
		for _, c := range p.Conversations {
			if c.Started.IsZero() {
				continue
			}
			if ordered && !oldest.IsZero() && c.Started.After(oldest.Add(edgeMargin)) {
				ordered = false // the source does not list strictly newest first
			}
			if pageOldest.IsZero() || c.Started.Before(pageOldest) {
				pageOldest = c.Started
			}
		}
		if !pageOldest.IsZero() && (oldest.IsZero() || pageOldest.Before(oldest)) {
			oldest = pageOldest
		}
		if w.below {
			switch {
			case !ordered:
				// A checkpoint would claim rows not yet seen: drop it, the next run walks all.
				if err := r.mark(ctx, keyLow, cleared); err != nil {
					return false, err
				}
			case !oldest.IsZero():
				if err := r.mark(ctx, keyLow, oldest); err != nil {
					return false, err
				}
			}
		}
		if r.o.Progress != nil {
			r.o.Progress(r.progress(i, top, oldest, walkRows, p))
		}
		return false, nil
	})
}

// WalkPages hands each page of q's conversations to each (page numbers from 1) until the
// last page, an error, or each says it is done. A source that returns the same cursor twice
// is an error rather than an endless walk.
func WalkPages(ctx context.Context, src client.Source, q client.Query, each func(page int, p client.Page) (done bool, err error)) error {
	cursor := ""
	for page := 1; ; page++ {
		p, err := src.Conversations(ctx, q, cursor)
		if err != nil {
			return err
		}
		done, err := each(page, p)
		if err != nil || done || p.Next == "" {
			return err
		}
		if p.Next == cursor {
			return &client.APIError{Kind: client.ErrBadResponse, Message: "the source returned the same page cursor twice"}
		}
		cursor = p.Next
	}
}

// progress is the report after a page of walks[i], whose oldest stored row is oldest.
func (r *run) progress(i int, top, oldest time.Time, walkRows int, p client.Page) Progress {
	pr := Progress{Source: r.name, Pages: r.res.Pages, Rows: r.res.Rows, Messages: r.res.Messages,
		Elapsed: r.now().Sub(r.started), Done: -1, Window: p.Progress}
	if pr.Elapsed < 0 {
		pr.Elapsed = 0
	}
	if s := pr.Elapsed.Seconds(); s > 0 {
		pr.Rate = float64(pr.Rows) / s
	}
	// Each walk weighs its time span; the current one counts its covered part.
	var total, done time.Duration
	for j, w := range r.walks {
		to := w.to
		if to.IsZero() {
			to = r.started
		}
		d := max(to.Sub(w.from), 0)
		total += d
		switch {
		case j < i:
			done += d
		case j == i:
			f := -1.0
			if p.Total > 0 {
				f = min(float64(walkRows)/float64(p.Total), 1)
			} else if !oldest.IsZero() && d > 0 {
				f = float64(top.Sub(maxTime(oldest, w.from))) / float64(d)
			}
			if p.Next == "" {
				f = 1
			}
			if f < 0 {
				return pr
			}
			done += time.Duration(min(max(f, 0), 1) * float64(d))
		}
	}
	if total <= 0 {
		return pr
	}
	pr.Done = float64(done) / float64(total)
	if pr.Done > 0 && pr.Elapsed > 0 {
		pr.ETA = time.Duration(float64(pr.Elapsed) * (1 - pr.Done) / pr.Done)
		pr.HasETA = true
	}
	return pr
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
