package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The markers around a matched term in Hit.Snippet: control characters, which Spans splits
// on and removes. (A vendor text holding them itself only misplaces a highlight.)
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// snippetTokens is how many tokens a snippet holds at most.
const snippetTokens = 16

// SearchQuery is a full-text search over the store.
type SearchQuery struct {
	// Text is an FTS5 query: words (all must match), "a phrase", prefix*, AND, OR, NOT,
	// parentheses, and a column filter (text:, who:, attrs:). Words match case- and
	// diacritic-insensitively.
	Text string
	// Sources limits the search to these sources; empty means every source.
	Sources []string
	// Since and Until bound the time of the match (a message's time, a conversation's
	// start): Since inclusive, Until exclusive; zero means unbounded. A message without a
	// time is outside every bounded window.
	Since, Until time.Time
	// Limit is the most conversations returned (0 means DefaultLimit; at most MaxLimit).
	Limit int
}

// Hit is one conversation that matches: the newest match in it.
type Hit struct {
	// Conversation is the stored conversation; when only its thread is stored, just Source
	// and ID are set.
	Conversation client.Conversation
	// InteractionID is the matching message's id, or "" when the match is in the
	// conversation's own fields (summary, user, attributes).
	InteractionID string
	// Time is the match's time (the message's, or the conversation's start); zero when the
	// message has none.
	Time time.Time
	// Snippet is the matching text around the match, up to 16 words, the matched terms
	// between MarkStart and MarkEnd. It is vendor text: render it through Spans, or
	// client/sanitize.
	Snippet string
}

// Span is one piece of a snippet: terminal-safe text, and whether it is a matched term.
type Span struct {
	Text  string
	Match bool
}

// Spans splits the snippet into plain and matched pieces, each run through sanitize.Text
// (so no escape byte from vendor text reaches the terminal). Empty pieces are dropped.
func (h Hit) Spans() []Span {
	var out []Span
	rest := h.Snippet
	for rest != "" {
		i := strings.Index(rest, MarkStart)
		if i < 0 {
			out = appendSpan(out, rest, false)
			break
		}
		out = appendSpan(out, rest[:i], false)
		rest = rest[i+len(MarkStart):]
		j := strings.Index(rest, MarkEnd)
		if j < 0 {
			out = appendSpan(out, rest, true)
			break
		}
		out = appendSpan(out, rest[:j], true)
		rest = rest[j+len(MarkEnd):]
	}
	return out
}

func appendSpan(out []Span, s string, match bool) []Span {
	s = sanitize.Text(strings.NewReplacer(MarkStart, "", MarkEnd, "").Replace(s))
	if s == "" {
		return out
	}
	return append(out, Span{Text: s, Match: match})
}

// broadMatches is the number of matching rows above which Search walks the time indexes
// newest first, probing the matches, rather than sorting every match by time.
var broadMatches = 2000

// match is one matching row, of an interaction (iid set) or a conversation.
type match struct {
	rid          int64
	source, conv string
	iid          string
	t            sql.NullInt64
}

// newer reports whether a comes before b in newest-first order (unknown times last).
func newer(a, b match) bool {
	if a.t.Valid != b.t.Valid {
		return a.t.Valid
	}
	return a.t.Int64 > b.t.Int64
}

// Search finds the conversations whose messages or own fields match q.Text, newest match
// first (a message's time, a conversation's start; a message without a time comes after
// those with one), one Hit per conversation (its newest match), at most q.Limit. A query
// FTS5 cannot parse gives a *QueryError (errors.Is ErrBadQuery) saying why.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]Hit, error) {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return nil, &QueryError{Query: q.Text, Msg: msgEmpty}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT
	(SELECT count(*) FROM (SELECT 1 FROM interactions_fts WHERE interactions_fts MATCH ? LIMIT ?)) +
	(SELECT count(*) FROM (SELECT 1 FROM conversations_fts WHERE conversations_fts MATCH ? LIMIT ?))`,
		text, broadMatches+1, text, broadMatches+1).Scan(&n)
	if err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	if n == 0 {
		return nil, nil
	}
	broad := n > broadMatches
	// Two streams, each newest first: a few matches are sorted, many are found by walking
	// the time index (stopping as soon as enough conversations are found).
	iw, iargs := where(q.Sources, "time", q.Since, q.Until)
	cw, cargs := where(q.Sources, "started", q.Since, q.Until)
	iIdx, cIdx := "", ""
	if broad {
		iIdx, cIdx = " INDEXED BY interactions_time", " INDEXED BY conversations_started"
	}
	iq := "SELECT rid, source, conversation_id, id, time FROM interactions" + iIdx +
		" WHERE rid IN (SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ?)" + and(iw) +
		" ORDER BY time DESC, rid DESC"
	cq := "SELECT rid, source, id, '', started FROM conversations" + cIdx +
		" WHERE rid IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?)" + and(cw) +
		" ORDER BY started DESC, source DESC, id DESC"
	irows, err := s.db.QueryContext(ctx, iq, append([]any{text}, iargs...)...)
	if err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	defer irows.Close()
	crows, err := s.db.QueryContext(ctx, cq, append([]any{text}, cargs...)...)
	if err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	defer crows.Close()
	next := func(rows *sql.Rows) (match, bool, error) {
		var m match
		if !rows.Next() {
			return m, false, rows.Err()
		}
		err := rows.Scan(&m.rid, &m.source, &m.conv, &m.iid, &m.t)
		return m, err == nil, err
	}
	im, iok, err := next(irows)
	if err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	cm, cok, err := next(crows)
	if err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	var ms []match
	seen := map[[2]string]bool{}
	for (iok || cok) && len(ms) < limit {
		var m match
		if iok && (!cok || !newer(cm, im)) {
			m = im
			im, iok, err = next(irows)
		} else {
			m = cm
			cm, cok, err = next(crows)
		}
		if err != nil {
			return nil, s.searchErr(q.Text, err)
		}
		key := [2]string{m.source, m.conv}
		if !seen[key] {
			seen[key] = true
			ms = append(ms, m)
		}
	}
	irows.Close()
	crows.Close()
	return s.hits(ctx, q.Text, text, ms)
}

// and is " AND cond" for where's " WHERE cond" ("" for none).
func and(w string) string {
	if w == "" {
		return ""
	}
	return " AND " + strings.TrimPrefix(w, " WHERE ")
}

// hits completes the matches: their conversations and snippets, three queries in all.
func (s *Store) hits(ctx context.Context, query, text string, ms []match) ([]Hit, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	convs := map[[2]string]client.Conversation{}
	var keys []any
	for _, m := range ms {
		keys = append(keys, m.source, m.conv)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+conversationCols+" FROM conversations WHERE (source, id) IN (VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?), ", len(ms)), ", ")+")", keys...)
	if err != nil {
		return nil, classify("search", s.path, err)
	}
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			rows.Close()
			return nil, classify("search", s.path, err)
		}
		convs[[2]string{c.Source, c.ID}] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify("search", s.path, err)
	}
	snippets := map[[2]any]string{} // {table, rid}
	for _, table := range []string{"interactions_fts", "conversations_fts"} {
		var rids []any
		for _, m := range ms {
			if (m.iid != "") == (table == "interactions_fts") {
				rids = append(rids, m.rid)
			}
		}
		if len(rids) == 0 {
			continue
		}
		rows, err := s.db.QueryContext(ctx, "SELECT rowid, snippet("+table+", -1, ?, ?, '…', ?) FROM "+table+
			" WHERE "+table+" MATCH ? AND rowid IN "+inList(len(rids)),
			append([]any{MarkStart, MarkEnd, snippetTokens, text}, rids...)...)
		if err != nil {
			return nil, s.searchErr(query, err)
		}
		for rows.Next() {
			var rid int64
			var snip string
			if err := rows.Scan(&rid, &snip); err != nil {
				rows.Close()
				return nil, s.searchErr(query, err)
			}
			snippets[[2]any{table, rid}] = snip
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.searchErr(query, err)
		}
	}
	out := make([]Hit, 0, len(ms))
	for _, m := range ms {
		c, ok := convs[[2]string{m.source, m.conv}]
		if !ok {
			c = client.Conversation{Source: m.source, ID: m.conv}
		}
		table := "conversations_fts"
		if m.iid != "" {
			table = "interactions_fts"
		}
		out = append(out, Hit{Conversation: c, InteractionID: m.iid, Time: fromNanos(m.t), Snippet: snippets[[2]any{table, m.rid}]})
	}
	return out, nil
}

// searchErr is a *QueryError when SQLite refused the query's syntax, else the store's
// error.
func (s *Store) searchErr(query string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
		// "SQL logic error: fts5: syntax error near "AND" (1)" → the middle.
		msg := strings.TrimPrefix(se.Error(), "SQL logic error: ")
		if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
			msg = msg[:i]
		}
		msg = strings.TrimPrefix(msg, "fts5: ")
		switch {
		case msg == `syntax error near ""`:
			msg = `syntax error at the end (an operator or "(" without what follows it)`
		case strings.HasPrefix(msg, "no such column: "):
			msg = fmt.Sprintf("unknown column %q (the columns are text, who and attrs)", strings.TrimPrefix(msg, "no such column: "))
		case strings.HasPrefix(msg, "unknown special query"):
			msg = "a query cannot start with * (write prefix* after a word)"
		}
		return &QueryError{Query: query, Msg: msg}
	}
	return classify("search", s.path, err)
}
