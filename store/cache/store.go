package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// tx runs fn in one write transaction (BEGIN IMMEDIATE: the write lock is taken up front,
// waiting up to the busy timeout), committing when fn returns nil.
func (s *Store) tx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(op, s.path, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return classify(op, s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return classify(op, s.path, err)
	}
	return nil
}

// PutConversations stores conversations of source (inserting new ones, replacing the
// fields and raw record of known ones) in one transaction, stamped fetched now. A
// conversation's own Source field is ignored: source names the configured source.
func (s *Store) PutConversations(ctx context.Context, source string, cs []client.Conversation) error {
	if len(cs) == 0 {
		return nil
	}
	now := s.now().UnixNano()
	return s.tx(ctx, "write", func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `
INSERT INTO conversations (source, id, user_id, started, updated, summary, attrs, raw, fetched_at, first_text, tkey)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, coalesce((SELECT substr(trim(i.text, ' ' || char(9, 10, 13)), 1, 1000) FROM interactions i
	WHERE i.source = ?1 AND i.conversation_id = ?2 AND i.actor = 'user'
	AND trim(i.text, ' ' || char(9, 10, 13)) <> '' ORDER BY i.pos, i.rid LIMIT 1), ''), `+newTkey("conversations")+`
WHERE true
ON CONFLICT (source, id) DO UPDATE SET
	user_id = excluded.user_id, started = excluded.started, updated = excluded.updated,
	summary = excluded.summary, attrs = excluded.attrs, raw = excluded.raw,
	fetched_at = excluded.fetched_at, tkey = `+keptTkey("started"))
		if err != nil {
			return err
		}
		defer st.Close()
		for _, c := range cs {
			attrs, err := attrsJSON(c.Attrs)
			if err != nil {
				return fmt.Errorf("conversation %s: %w", c.ID, err)
			}
			lo, hi := tkeyArgs(c.Started)
			if _, err := st.ExecContext(ctx, source, c.ID, c.UserID, nanos(c.Started), nanos(c.Updated),
				c.Summary, attrs, rawBytes(c.Raw), now, lo, hi); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutThread stores the whole thread of one conversation: its interactions in the given
// order (which Thread gives back), replacing known ones and deleting stored interactions of
// that conversation the thread no longer has, in one transaction. The interactions'
// ConversationID fields are ignored: conversationID names the conversation. An empty
// thread deletes the stored one.
func (s *Store) PutThread(ctx context.Context, source, conversationID string, items []client.Interaction) error {
	now := s.now().UnixNano()
	return s.tx(ctx, "write", func(tx *sql.Tx) error {
		keep := make(map[string]bool, len(items))
		st, err := tx.PrepareContext(ctx, `
INSERT INTO interactions (source, conversation_id, id, pos, parent_id, actor, speaker, kind, text, time, seq, user_id, updated, attrs, raw, fetched_at, tkey)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, `+newTkey("interactions")+`)
ON CONFLICT (source, conversation_id, id) DO UPDATE SET
	pos = excluded.pos, parent_id = excluded.parent_id, actor = excluded.actor,
	speaker = excluded.speaker, kind = excluded.kind, text = excluded.text, time = excluded.time,
	seq = excluded.seq, user_id = excluded.user_id, updated = excluded.updated,
	attrs = excluded.attrs, raw = excluded.raw, fetched_at = excluded.fetched_at, tkey = `+keptTkey("time"))
		if err != nil {
			return err
		}
		defer st.Close()
		for i, it := range items {
			attrs, err := attrsJSON(it.Attrs)
			if err != nil {
				return fmt.Errorf("interaction %s: %w", it.ID, err)
			}
			keep[it.ID] = true
			lo, hi := tkeyArgs(it.Time)
			if _, err := st.ExecContext(ctx, source, conversationID, it.ID, i, it.ParentID, string(it.Actor),
				it.Speaker, it.Kind, it.Text, nanos(it.Time), it.Seq, it.UserID, nanos(it.Updated),
				attrs, rawBytes(it.Raw), now, lo, hi); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, "SELECT id FROM interactions WHERE source = ? AND conversation_id = ?", source, conversationID)
		if err != nil {
			return err
		}
		var gone []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if !keep[id] {
				gone = append(gone, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range gone {
			if _, err := tx.ExecContext(ctx, "DELETE FROM interactions WHERE source = ? AND conversation_id = ? AND id = ?", source, conversationID, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "UPDATE conversations SET first_text = ? WHERE source = ? AND id = ? AND first_text <> ?",
			firstText(items), source, conversationID, firstText(items))
		return err
	})
}

// newTkey is the SQL of a new row's full-text key (see migration 3), its time's key range
// being the statement's two last parameters (NULL for an unknown time): the next free key of
// the time's millisecond, or tkeyNull + the rid the row will get.
func newTkey(table string) string {
	return fmt.Sprintf(`CASE WHEN ?%[2]d IS NULL THEN %[3]d + (SELECT coalesce(max(rid), 0) + 1 FROM %[1]s)
	ELSE coalesce((SELECT max(tkey) + 1 FROM %[1]s WHERE tkey BETWEEN ?%[2]d AND ?%[4]d), ?%[2]d) END`,
		table, map[string]int{"conversations": 10, "interactions": 17}[table], tkeyNull, map[string]int{"conversations": 11, "interactions": 18}[table])
}

// keptTkey is the SQL of a stored row's full-text key when a put replaces it: kept while
// its time stays in the same millisecond, else the new one (excluded.tkey).
func keptTkey(timeCol string) string {
	return fmt.Sprintf(`CASE WHEN excluded.%[1]s IS NULL THEN %[2]d + rid WHEN tkey BETWEEN excluded.tkey & %[3]d AND excluded.tkey | %[4]d THEN tkey ELSE excluded.tkey END`,
		timeCol, tkeyNull, ^int64(1<<tkeyBits-1), int64(1<<tkeyBits-1))
}

// tkeyArgs are the key range parameters of a row of time t (NULL, NULL when unknown).
func tkeyArgs(t time.Time) (lo, hi any) {
	l, h, ok := tkeyRange(t)
	if !ok {
		return nil, nil
	}
	return l, h
}

// firstText is the summary a thread gives its conversation: its first user message with
// text, trimmed, at most maxFirstText characters ("" when none).
func firstText(items []client.Interaction) string {
	for _, it := range items {
		if it.Actor != client.ActorUser {
			continue
		}
		if t := clipFirstText(it.Text); t != "" {
			return t
		}
	}
	return ""
}

// clipFirstText is text as first_text keeps it: trimmed, at most maxFirstText characters.
func clipFirstText(text string) string {
	t := strings.Trim(text, " \t\n\r")
	if r := []rune(t); len(r) > maxFirstText {
		t = string(r[:maxFirstText])
	}
	return t
}

// PutSummary keeps text, the first user message of conversation id fetched on its own (the
// TUI's lazy Moveworks summaries), as the conversation's summary when the store has none for
// it yet (from its stored thread): a later listing shows it without asking the vendor again.
// A vendor summary still wins; a conversation not stored is left alone.
func (s *Store) PutSummary(ctx context.Context, source, id, text string) error {
	t := clipFirstText(text)
	if t == "" {
		return nil
	}
	return s.tx(ctx, "write", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE conversations SET first_text = ? WHERE source = ? AND id = ? AND first_text = ''", t, source, id)
		return err
	})
}

// ListQuery selects a window of stored conversations.
type ListQuery struct {
	// Sources limits the list to these sources; empty means every source.
	Sources []string
	// Since and Until bound the conversations' start time (Since inclusive, Until
	// exclusive); zero means unbounded.
	Since, Until time.Time
	// Order is by start time, newest first by default; ties break by source, then id.
	Order client.Order
	// Offset skips that many rows of the ordered list; Limit is the window's size (0 means
	// DefaultLimit).
	Offset, Limit int
}

// where is the WHERE clause (with its arguments) for sources and a time window over the
// column col.
func where(sources []string, col string, since, until time.Time) (string, []any) {
	var conds []string
	var args []any
	if len(sources) > 0 {
		conds = append(conds, "source IN "+inList(len(sources)))
		for _, s := range sources {
			args = append(args, s)
		}
	}
	if !since.IsZero() {
		conds = append(conds, col+" >= ?")
		args = append(args, since.UnixNano())
	}
	if !until.IsZero() {
		conds = append(conds, col+" < ?")
		args = append(args, until.UnixNano())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// conversationCols are the columns scanConversation reads: the summary is the vendor's, or
// when it gives none the first user message of the stored thread.
const conversationCols = "source, id, user_id, started, updated, CASE WHEN summary <> '' THEN summary ELSE first_text END, attrs, raw"

// scanConversation reads one row of conversationCols.
func scanConversation(sc interface{ Scan(...any) error }) (client.Conversation, error) {
	var c client.Conversation
	var started, updated sql.NullInt64
	var attrs string
	var raw []byte
	if err := sc.Scan(&c.Source, &c.ID, &c.UserID, &started, &updated, &c.Summary, &attrs, &raw); err != nil {
		return c, err
	}
	c.Started, c.Updated = fromNanos(started), fromNanos(updated)
	a, err := parseAttrs(attrs)
	if err != nil {
		return c, fmt.Errorf("conversation %s: attributes: %w", c.ID, err)
	}
	c.Attrs = a
	if raw != nil {
		c.Raw = raw
	}
	return c, nil
}

// Conversations reads one window of stored conversations (see ListQuery), so a caller
// never holds every row.
func (s *Store) Conversations(ctx context.Context, q ListQuery) ([]client.Conversation, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	dir := "DESC"
	if q.Order == client.OldestFirst {
		dir = "ASC"
	}
	w, args := where(q.Sources, "started", q.Since, q.Until)
	query := "SELECT " + conversationCols + " FROM conversations" + w +
		fmt.Sprintf(" ORDER BY started %[1]s, source %[1]s, id %[1]s LIMIT ? OFFSET ?", dir)
	args = append(args, limit, max(0, q.Offset))
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify("read", s.path, err)
	}
	defer rows.Close()
	var out []client.Conversation
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, classify("read", s.path, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, classify("read", s.path, err)
	}
	return out, nil
}

// Count is the number of stored conversations of the given sources (none: every source).
func (s *Store) Count(ctx context.Context, sources ...string) (int, error) {
	w, args := where(sources, "", time.Time{}, time.Time{})
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM conversations"+w, args...).Scan(&n); err != nil {
		return 0, classify("read", s.path, err)
	}
	return n, nil
}

// Empty reports whether the store holds no conversation at all (cheap at any size).
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var any bool
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM conversations)").Scan(&any); err != nil {
		return false, classify("read", s.path, err)
	}
	return !any, nil
}

// Conversation reads one stored conversation; ok is false when it is not stored.
func (s *Store) Conversation(ctx context.Context, source, id string) (c client.Conversation, ok bool, err error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+conversationCols+" FROM conversations WHERE source = ? AND id = ?", source, id)
	c, err = scanConversation(row)
	if err == sql.ErrNoRows {
		return client.Conversation{}, false, nil
	}
	if err != nil {
		return client.Conversation{}, false, classify("read", s.path, err)
	}
	return c, true, nil
}

// Raw reads one stored conversation's raw vendor record; ok is false when the conversation
// is not stored (a stored conversation without a raw record gives nil and ok).
func (s *Store) Raw(ctx context.Context, source, id string) (raw json.RawMessage, ok bool, err error) {
	var b []byte
	err = s.db.QueryRowContext(ctx, "SELECT raw FROM conversations WHERE source = ? AND id = ?", source, id).Scan(&b)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, classify("read", s.path, err)
	}
	return b, true, nil
}

// Thread reads a conversation's stored interactions in the order PutThread stored them;
// none (and no error) when the thread is not stored.
func (s *Store) Thread(ctx context.Context, source, conversationID string) ([]client.Interaction, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT id, parent_id, actor, speaker, kind, text, time, seq, user_id, updated, attrs, raw
FROM interactions WHERE source = ? AND conversation_id = ? ORDER BY pos, rid`, source, conversationID)
	if err != nil {
		return nil, classify("read", s.path, err)
	}
	defer rows.Close()
	var out []client.Interaction
	for rows.Next() {
		it := client.Interaction{ConversationID: conversationID}
		var actor, attrs string
		var t, updated sql.NullInt64
		var raw []byte
		if err := rows.Scan(&it.ID, &it.ParentID, &actor, &it.Speaker, &it.Kind, &it.Text, &t, &it.Seq,
			&it.UserID, &updated, &attrs, &raw); err != nil {
			return nil, classify("read", s.path, err)
		}
		it.Actor = client.Actor(actor)
		it.Time, it.Updated = fromNanos(t), fromNanos(updated)
		if it.Attrs, err = parseAttrs(attrs); err != nil {
			return nil, classify("read", s.path, fmt.Errorf("interaction %s: attributes: %w", it.ID, err))
		}
		if raw != nil {
			it.Raw = raw
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, classify("read", s.path, err)
	}
	return out, nil
}

// Watermark is the sync watermark stored for source and filterKey (the caller's key for
// the filter a sync ran with; "" for none): ok is false when none is stored.
func (s *Store) Watermark(ctx context.Context, source, filterKey string) (t time.Time, ok bool, err error) {
	var n sql.NullInt64
	err = s.db.QueryRowContext(ctx, "SELECT watermark FROM watermarks WHERE source = ? AND filter_key = ?", source, filterKey).Scan(&n)
	if err == sql.ErrNoRows {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, classify("read", s.path, err)
	}
	return fromNanos(n), true, nil
}

// CheckpointPrefix starts the filter keys of a sync's checkpoints (how far an interrupted
// sync got, store/syncer): they live beside the watermarks but are not syncs, so Stats does
// not report them as the source's last sync.
const CheckpointPrefix = "resume:"

// DeleteWatermark removes the watermark of source and filterKey (nothing when none is
// stored): a sync clears its checkpoint this way once it has finished.
func (s *Store) DeleteWatermark(ctx context.Context, source, filterKey string) error {
	return s.tx(ctx, "write", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM watermarks WHERE source = ? AND filter_key = ?", source, filterKey)
		return err
	})
}

// SetWatermark stores the sync watermark for source and filterKey, stamped updated now
// (Stats reports the latest as the source's last sync).
func (s *Store) SetWatermark(ctx context.Context, source, filterKey string, t time.Time) error {
	now := s.now().UnixNano()
	return s.tx(ctx, "write", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
INSERT INTO watermarks (source, filter_key, watermark, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (source, filter_key) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at`,
			source, filterKey, t.UnixNano(), now)
		return err
	})
}

// SourceStats is what the store holds of one source.
type SourceStats struct {
	Source        string
	Conversations int
	Interactions  int
	// Oldest and Newest are the earliest and latest conversation start times (zero when
	// unknown).
	Oldest, Newest time.Time
	// LastSync is the latest watermark update of the source (zero when never synced); a
	// checkpoint (CheckpointPrefix) is not a sync.
	LastSync time.Time
}

// Stats is what the store holds: per source (sorted by name) and the file's size.
type Stats struct {
	Path    string
	Sources []SourceStats
	// Size is the bytes on disk: the database file and its write-ahead log.
	Size int64
}

// Stats reports rows per source, their time span, the last sync and the file's size.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Path: s.path}
	rows, err := s.db.QueryContext(ctx, `
WITH srcs AS (
	SELECT source FROM conversations UNION SELECT source FROM interactions UNION SELECT source FROM watermarks
)
SELECT srcs.source,
	(SELECT count(*) FROM conversations c WHERE c.source = srcs.source),
	(SELECT count(*) FROM interactions i WHERE i.source = srcs.source),
	(SELECT min(started) FROM conversations c WHERE c.source = srcs.source),
	(SELECT max(started) FROM conversations c WHERE c.source = srcs.source),
	(SELECT max(updated_at) FROM watermarks w WHERE w.source = srcs.source AND substr(w.filter_key, 1, length(?)) <> ?)
FROM srcs ORDER BY srcs.source`, CheckpointPrefix, CheckpointPrefix)
	if err != nil {
		return st, classify("read", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var ss SourceStats
		var oldest, newest, last sql.NullInt64
		if err := rows.Scan(&ss.Source, &ss.Conversations, &ss.Interactions, &oldest, &newest, &last); err != nil {
			return st, classify("read", s.path, err)
		}
		ss.Oldest, ss.Newest, ss.LastSync = fromNanos(oldest), fromNanos(newest), fromNanos(last)
		st.Sources = append(st.Sources, ss)
	}
	if err := rows.Err(); err != nil {
		return st, classify("read", s.path, err)
	}
	for _, p := range []string{s.path, s.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			st.Size += fi.Size()
		}
	}
	return st, nil
}

// Clear deletes everything stored of source (conversations, interactions, watermarks);
// "" clears every source and compacts the file.
func (s *Store) Clear(ctx context.Context, source string) error {
	err := s.tx(ctx, "clear", func(tx *sql.Tx) error {
		for _, table := range []string{"interactions", "conversations", "watermarks"} {
			q, args := "DELETE FROM "+table, []any(nil)
			if source != "" {
				q, args = q+" WHERE source = ?", []any{source}
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || source != "" {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM"); err != nil {
		return classify("clear", s.path, err)
	}
	return nil
}
