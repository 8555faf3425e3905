package main

import (
	"context"
	"errors"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/tui"
)

// The TUI's search (ctrl+f) over the local store: the TUI knows only a tui.SearchFunc; here
// the store is opened for it and its Search adapted.

// searchDeps opens the local store for the TUI's search and sets deps.Search; it returns
// what closes the store, to call when the TUI ends. With --no-cache, and in the demo (cfg
// nil: it writes nothing outside its temporary directory), there is no store and deps.Search
// stays nil (ctrl+f says so). A store that cannot be opened does not stop the TUI: its
// search then answers every query with why.
func (a *app) searchDeps(ctx context.Context, deps *tui.Deps, cfg *config.Config) (closeStore func()) {
	if a.noCache || cfg == nil {
		return func() {}
	}
	st, err := a.openCache(ctx)
	if err != nil {
		if a.logger != nil {
			a.logger.Debug("local store unavailable for search", "err", err.Error())
		}
		failed := storeUnavailable{err}
		deps.Search = func(context.Context, tui.SearchQuery) ([]tui.SearchHit, error) { return nil, failed }
		return func() {}
	}
	deps.Search = storeSearch(st)
	return func() { _ = st.Close() }
}

// storeSearch adapts st's Search to the TUI: every source, newest match first.
func storeSearch(st *cache.Store) tui.SearchFunc {
	return func(ctx context.Context, q tui.SearchQuery) ([]tui.SearchHit, error) {
		hits, err := st.Search(ctx, cache.SearchQuery{Text: q.Text, Limit: q.Limit})
		if err != nil {
			var qe *cache.QueryError
			if errors.As(err, &qe) {
				return nil, badQuery{qe}
			}
			return nil, err
		}
		out := make([]tui.SearchHit, len(hits))
		for i, h := range hits {
			var spans []tui.SearchSpan
			for _, s := range h.Spans() {
				spans = append(spans, tui.SearchSpan{Text: s.Text, Match: s.Match})
			}
			out[i] = tui.SearchHit{Conversation: h.Conversation, InteractionID: h.InteractionID,
				Time: h.Time, Spans: spans}
		}
		return out, nil
	}
}

// badQuery is a query FTS5 cannot parse, said in the few words the line under the search
// input has room for (cache.QueryError's own text adds what to do, for the command line).
type badQuery struct{ err *cache.QueryError }

func (e badQuery) Error() string {
	return "invalid query: " + sanitize.Line(e.err.Msg)
}

func (e badQuery) Unwrap() error { return e.err }

// storeUnavailable is the answer of a search whose store could not be opened.
type storeUnavailable struct{ err error }

func (e storeUnavailable) Error() string {
	return "the local store cannot be read: " + e.err.Error()
}

func (e storeUnavailable) Unwrap() error { return e.err }
