package cache

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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

// match is one matching row, of an interaction (iid set) or a conversation.
type match struct {
	tkey         int64 // the row's full-text rowid
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
//
// The full-text rowids follow time (see migration 3), so each index is read newest first
// and only until the newest Limit conversations are certain: the cost follows Limit, not
// the number of matches.
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
	ims, err := s.newest(ctx, q, text, "interactions", limit)
	if err != nil {
		return nil, err
	}
	cms, err := s.newest(ctx, q, text, "conversations", limit)
	if err != nil {
		return nil, err
	}
	// Merge the two streams, each newest first; on equal times a message comes first.
	var ms []match
	seen := map[[2]string]bool{}
	for (len(ims) > 0 || len(cms) > 0) && len(ms) < limit {
		var m match
		if len(ims) > 0 && (len(cms) == 0 || !newer(cms[0], ims[0])) {
			m, ims = ims[0], ims[1:]
		} else {
			m, cms = cms[0], cms[1:]
		}
		key := [2]string{m.source, m.conv}
		if !seen[key] {
			seen[key] = true
			ms = append(ms, m)
		}
	}
	return s.hits(ctx, q.Text, text, ms)
}

// newest reads the matches of one table (interactions or conversations) newest first,
// enough of them to hold the newest match of each of the limit conversations with the
// newest matches: it walks the full-text index by descending rowid (time order to the
// millisecond), stops at the first millisecond after the one where limit conversations
// were seen, and sorts what it read exactly (time, then rid for messages, source and id for
// conversations, as a full sort of every match would).
func (s *Store) newest(ctx context.Context, q SearchQuery, text, table string, limit int) ([]match, error) {
	fts := table + "_fts"
	timeCol, convCol, iidCol := "time", "conversation_id", "id"
	if table == "conversations" {
		timeCol, convCol, iidCol = "started", "id", "''"
	}
	w, args := where(q.Sources, "r."+timeCol, q.Since, q.Until)
	w = strings.Replace(w, "source IN", "r.source IN", 1)
	args = append([]any{text}, args...)
	var keyRange string
	if !q.Since.IsZero() || !q.Until.IsZero() {
		// The rowids of the window: the index is read only there.
		keyRange = " AND " + fts + ".rowid >= ?"
		lo := int64(0)
		if l, _, ok := tkeyRange(q.Since); ok {
			lo = l
		}
		args = append(args, lo)
		if !q.Until.IsZero() {
			_, hi, _ := tkeyRange(q.Until.Add(-time.Nanosecond))
			keyRange += " AND " + fts + ".rowid <= ?"
			args = append(args, hi)
		}
	}
	query := "SELECT " + fts + ".rowid, r.rid, r.source, r." + convCol + ", " + iidCol + ", r." + timeCol +
		" FROM " + fts + " CROSS JOIN " + table + " AS r ON r.tkey = " + fts + ".rowid" +
		" WHERE " + fts + " MATCH ?" + and(w) + keyRange + " ORDER BY " + fts + ".rowid DESC"
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	defer rows.Close()
	// bucket is the unit of time order of a rowid: a millisecond; a message without a time
	// is its own (its rowid follows rid); conversations without a start time are one (they
	// are ordered by source and id).
	bucket := func(tkey int64) int64 {
		switch {
		case tkey >= 0:
			return tkey >> tkeyBits
		case table == "interactions":
			return tkey
		}
		return tkeyNull
	}
	var out []match
	seen := map[[2]string]bool{}
	stop, stopping := int64(0), false
	for rows.Next() {
		var m match
		if err := rows.Scan(&m.tkey, &m.rid, &m.source, &m.conv, &m.iid, &m.t); err != nil {
			return nil, s.searchErr(q.Text, err)
		}
		if stopping && bucket(m.tkey) != stop {
			break
		}
		out = append(out, m)
		if key := [2]string{m.source, m.conv}; !seen[key] {
			seen[key] = true
			if len(seen) == limit {
				stop, stopping = bucket(m.tkey), true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.searchErr(q.Text, err)
	}
	rows.Close()
	slices.SortFunc(out, func(a, b match) int {
		if newer(a, b) {
			return -1
		}
		if newer(b, a) {
			return 1
		}
		if table == "interactions" {
			return cmp.Compare(b.rid, a.rid)
		}
		return cmp.Or(strings.Compare(b.source, a.source), strings.Compare(b.conv, a.conv))
	})
	return out, nil
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
				rids = append(rids, m.tkey)
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
		out = append(out, Hit{Conversation: c, InteractionID: m.iid, Time: fromNanos(m.t), Snippet: snippets[[2]any{table, m.tkey}]})
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
