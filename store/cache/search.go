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
	// Since and Until bound the time of the match (the message's time, else its
	// conversation's start; for a conversation, its start): Since inclusive, Until
	// exclusive; zero means unbounded.
	Since, Until time.Time
	// Limit is the most conversations returned (0 means DefaultLimit).
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
	// Time is the match's time (the message's, else the conversation's start).
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

// Search finds the conversations whose messages or own fields match q.Text, newest match
// first, one Hit per conversation (its newest match), at most q.Limit. A query FTS5 cannot
// parse gives a *QueryError (errors.Is ErrBadQuery) saying why.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]Hit, error) {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return nil, &QueryError{Query: q.Text, Msg: msgEmpty}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	// Matches of both indexes, newest first; the conversation's fields are fetched only for
	// the hits kept.
	var conds []string
	var args []any
	args = append(args, text, text)
	if len(q.Sources) > 0 {
		conds = append(conds, "source IN "+inList(len(q.Sources)))
		for _, src := range q.Sources {
			args = append(args, src)
		}
	}
	if !q.Since.IsZero() {
		conds = append(conds, "t >= ?")
		args = append(args, q.Since.UnixNano())
	}
	if !q.Until.IsZero() {
		conds = append(conds, "t < ?")
		args = append(args, q.Until.UnixNano())
	}
	w := ""
	if len(conds) > 0 {
		w = " WHERE " + strings.Join(conds, " AND ")
	}
	query := `
SELECT kind, rid, source, conv, t FROM (
	SELECT 'i' AS kind, i.rid AS rid, i.source AS source, i.conversation_id AS conv,
		coalesce(i.time, (SELECT c.started FROM conversations c WHERE c.source = i.source AND c.id = i.conversation_id)) AS t
	FROM interactions_fts f JOIN interactions i ON i.rid = f.rowid
	WHERE interactions_fts MATCH ?
	UNION ALL
	SELECT 'c', c.rid, c.source, c.id, c.started
	FROM conversations_fts f JOIN conversations c ON c.rid = f.rowid
	WHERE conversations_fts MATCH ?
)` + w + ` ORDER BY t DESC NULLS LAST, source, conv, kind DESC, rid`
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	type match struct {
		kind         string
		rid          int64
		source, conv string
		t            sql.NullInt64
	}
	var ms []match
	seen := map[[2]string]bool{}
	for rows.Next() {
		var m match
		if err := rows.Scan(&m.kind, &m.rid, &m.source, &m.conv, &m.t); err != nil {
			rows.Close()
			return nil, s.searchErr(q.Text, err)
		}
		key := [2]string{m.source, m.conv}
		if seen[key] {
			continue
		}
		seen[key] = true
		ms = append(ms, m)
		if len(ms) == limit {
			break
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	hits := make([]Hit, 0, len(ms))
	for _, m := range ms {
		h := Hit{Time: fromNanos(m.t)}
		c, ok, err := s.Conversation(ctx, m.source, m.conv)
		if err != nil {
			return nil, err
		}
		if !ok {
			c = client.Conversation{Source: m.source, ID: m.conv}
		}
		h.Conversation = c
		table := "conversations_fts"
		if m.kind == "i" {
			table = "interactions_fts"
			if err := s.db.QueryRowContext(ctx, "SELECT id FROM interactions WHERE rid = ?", m.rid).Scan(&h.InteractionID); err != nil {
				return nil, classify("search", s.path, err)
			}
		}
		err = s.db.QueryRowContext(ctx, "SELECT snippet("+table+", -1, ?, ?, '…', ?) FROM "+table+" WHERE "+table+" MATCH ? AND rowid = ?",
			MarkStart, MarkEnd, snippetTokens, text, m.rid).Scan(&h.Snippet)
		if err != nil {
			return nil, s.searchErr(q.Text, err)
		}
		hits = append(hits, h)
	}
	return hits, nil
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
