package merge

import (
	"context"
	"strings"

	"github.com/confab-dev/confab/client"
)

// WithDefaults is src listing with def's Filter (src's own language) and PageSize whenever a
// query gives none: the configured default filter and page size of a source (Talkdesk's
// "since:28d"), so the All tab lists each source as its own tab does. A merge asks its
// sources with no filter. With neither set it returns src itself.
func WithDefaults(src client.Source, def client.Query) client.Source {
	if strings.TrimSpace(def.Filter) == "" && def.PageSize <= 0 {
		return src
	}
	return &filtered{Source: src, filter: def.Filter, pageSize: def.PageSize}
}

// filtered is a source with a default filter and page size. It is a client.Summarizer only
// through the merge, which looks through it (unwrap).
type filtered struct {
	client.Source
	filter   string
	pageSize int
}

func (f *filtered) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	if strings.TrimSpace(q.Filter) == "" {
		q.Filter = f.filter
	}
	if q.PageSize <= 0 {
		q.PageSize = f.pageSize
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
