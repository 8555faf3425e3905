package main

import (
	"context"
	"errors"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui"
)

// The TUI's search (ctrl+f) over the local store: the TUI knows only a tui.SearchFunc; here
// the store its tabs already read (tuistore.go) has its Search adapted.

// searchDeps sets deps.Search over st, the store the TUI's tabs read (the user's, or the
// demo's own). Without one (--no-cache, or a store that could not be opened, which the status
// bar already says) deps.Search stays nil and ctrl+f says why.
func searchDeps(deps *tui.Deps, st *cache.Store) {
	if st != nil {
		deps.Search = storeSearch(st)
	}
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
		if len(hits) == 0 {
			if empty, err := st.Empty(ctx); err == nil && empty {
				return nil, tui.ErrSearchNothingStored
			}
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
