package mock

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// EndlessMoveworks is a Moveworks Data API whose paging never ends, as a broken or hostile
// server's might: every page of /conversations and of /interactions carries an
// @odata.nextLink to a page never seen before (`$skiptoken=<n+1>`), so no paging loop is ever
// detected. A lookup by id (`$filter=id eq '…'`) answers that one conversation, without a next
// link. It checks no credential. Tests use it to check that every walk stops at its limits and
// can be cancelled.
type EndlessMoveworks struct {
	// Rows is the number of rows of every page (0: 1).
	Rows int
	// Pad is the length of the text of every interaction, to make pages large.
	Pad int
	// OnRequest, when set, is called with the number of the request (from 1) before it is
	// answered, e.g. to cancel the client's context mid-walk.
	OnRequest func(n int64)

	n atomic.Int64
}

// Requests is the number of requests served so far.
func (e *EndlessMoveworks) Requests() int64 { return e.n.Load() }

// ServeHTTP answers under any base path ending in /conversations or /interactions.
func (e *EndlessMoveworks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := e.n.Add(1)
	if e.OnRequest != nil {
		e.OnRequest(n)
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("$skiptoken"))
	rows := max(e.Rows, 1)
	next := fmt.Sprintf("http://%s%s?$skiptoken=%d", r.Host, r.URL.Path, page+1)
	var b strings.Builder
	b.WriteString(`{"value":[`)
	switch {
	case strings.HasSuffix(r.URL.Path, "/conversations"):
		if id, ok := strings.CutPrefix(q.Get("$filter"), "id eq '"); ok {
			id = strings.ReplaceAll(strings.TrimSuffix(id, "'"), "''", "'")
			writeEndlessConversation(&b, id)
			next = ""
			break
		}
		for i := range rows {
			if i > 0 {
				b.WriteByte(',')
			}
			writeEndlessConversation(&b, fmt.Sprintf("c-%d-%d", page, i))
		}
	case strings.HasSuffix(r.URL.Path, "/interactions"):
		conv := "c"
		if id, ok := strings.CutPrefix(q.Get("$filter"), "conversation_id eq '"); ok {
			conv, _, _ = strings.Cut(id, "'")
		}
		text := strings.Repeat("x", e.Pad)
		for i := range rows {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"i-%d-%d","conversation_id":%q,"actor":"user","type":"INTERACTION_TYPE_FREE_TEXT",`+
				`"created_time":"2026-11-01T00:00:00.000Z","detail":{"content":"%s"}}`, page, i, conv, text)
		}
	default:
		http.NotFound(w, r)
		return
	}
	b.WriteString(`]`)
	if next != "" {
		fmt.Fprintf(&b, `,"@odata.nextLink":%q`, next)
	}
	b.WriteString(`}`)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(b.String()))
}

func writeEndlessConversation(b *strings.Builder, id string) {
	fmt.Fprintf(b, `{"id":%q,"user_id":"u-1","created_time":"2026-11-01T00:00:00.000Z",`+
		`"last_updated_time":"2026-11-01T00:10:00.000Z","primary_domain":"IT","route":"DM","type":"CONVERSATION_TYPE_USER_INITIATED"}`, id)
}
