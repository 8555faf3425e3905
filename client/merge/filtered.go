package merge

import (
	"context"
	"strings"

	"github.com/confab-dev/confab/client"
)

// Filtered is src listing with filter (src's own language) whenever a query gives none: the
// default filter of a configured source (Talkdesk's "since:28d"), so the All tab lists each
// source as its own tab does. A merge asks its sources with no filter. An empty filter
// returns src itself.
func Filtered(src client.Source, filter string) client.Source {
	if strings.TrimSpace(filter) == "" {
		return src
	}
	return &filtered{Source: src, filter: filter}
}

// filtered is a source with a default filter. It is a client.Summarizer and an Orderer only
// through the merge, which looks through it (unwrap).
type filtered struct {
	client.Source
	filter string
}

func (f *filtered) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	if strings.TrimSpace(q.Filter) == "" {
		q.Filter = f.filter
	}
	return f.Source.Conversations(ctx, q, cursor)
}

// Orders reports whether the source under the filter lists both ways.
func (f *filtered) Orders() bool {
	o, ok := f.Source.(interface{ Orders() bool })
	return ok && o.Orders()
}

// unwrap is the source under a default filter.
func unwrap(src client.Source) client.Source {
	if f, ok := src.(*filtered); ok {
		return f.Source
	}
	return src
}
