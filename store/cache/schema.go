package cache

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations are the schema's steps, in order: migrations[i] takes the file from version i
// to version i+1 (PRAGMA user_version). Append new steps; never edit a released one.
var migrations = []string{
	// 1: conversations, interactions, watermarks and their full-text indexes.
	`
CREATE TABLE conversations (
	rid        INTEGER PRIMARY KEY,
	source     TEXT NOT NULL,
	id         TEXT NOT NULL,
	user_id    TEXT NOT NULL DEFAULT '',
	started    INTEGER,           -- UTC Unix nanoseconds; NULL when unknown
	updated    INTEGER,
	summary    TEXT NOT NULL DEFAULT '',
	attrs      TEXT NOT NULL DEFAULT '[]', -- client.Attrs as JSON
	raw        BLOB,              -- the vendor's record, byte for byte
	fetched_at INTEGER NOT NULL,
	UNIQUE (source, id)
);
CREATE INDEX conversations_started ON conversations (started, source, id);
CREATE INDEX conversations_source_started ON conversations (source, started, id);

CREATE TABLE interactions (
	rid             INTEGER PRIMARY KEY,
	source          TEXT NOT NULL,
	conversation_id TEXT NOT NULL,
	id              TEXT NOT NULL,
	pos             INTEGER NOT NULL, -- position in the thread as last stored
	parent_id       TEXT NOT NULL DEFAULT '',
	actor           TEXT NOT NULL DEFAULT '',
	speaker         TEXT NOT NULL DEFAULT '',
	kind            TEXT NOT NULL DEFAULT '',
	text            TEXT NOT NULL DEFAULT '',
	time            INTEGER,
	seq             INTEGER NOT NULL DEFAULT 0,
	user_id         TEXT NOT NULL DEFAULT '',
	updated         INTEGER,
	attrs           TEXT NOT NULL DEFAULT '[]',
	raw             BLOB,
	fetched_at      INTEGER NOT NULL,
	UNIQUE (source, conversation_id, id)
);
CREATE INDEX interactions_time ON interactions (time);

CREATE TABLE watermarks (
	source     TEXT NOT NULL,
	filter_key TEXT NOT NULL,
	watermark  INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (source, filter_key)
);

-- One index per table, with the same columns so one query fits both: text (a message's
-- text, a conversation's summary), who (user id, speaker, user name and e-mail), attrs
-- (attribute values). rowid is the row's rid.
CREATE VIRTUAL TABLE conversations_fts USING fts5(text, who, attrs, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE interactions_fts USING fts5(text, who, attrs, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER conversations_ai AFTER INSERT ON conversations BEGIN
	INSERT INTO conversations_fts (rowid, text, who, attrs)
	VALUES (new.rid, new.summary, new.user_id || char(10) || coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j WHERE json_extract(j.value, '$.key') IN ('user_name', 'user_email')), ''), coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;
CREATE TRIGGER conversations_ad AFTER DELETE ON conversations BEGIN
	DELETE FROM conversations_fts WHERE rowid = old.rid;
END;
CREATE TRIGGER conversations_au AFTER UPDATE ON conversations BEGIN
	DELETE FROM conversations_fts WHERE rowid = old.rid;
	INSERT INTO conversations_fts (rowid, text, who, attrs)
	VALUES (new.rid, new.summary, new.user_id || char(10) || coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j WHERE json_extract(j.value, '$.key') IN ('user_name', 'user_email')), ''), coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;

CREATE TRIGGER interactions_ai AFTER INSERT ON interactions BEGIN
	INSERT INTO interactions_fts (rowid, text, who, attrs)
	VALUES (new.rid, new.text, new.user_id || char(10) || new.speaker, coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;
CREATE TRIGGER interactions_ad AFTER DELETE ON interactions BEGIN
	DELETE FROM interactions_fts WHERE rowid = old.rid;
END;
CREATE TRIGGER interactions_au AFTER UPDATE ON interactions BEGIN
	DELETE FROM interactions_fts WHERE rowid = old.rid;
	INSERT INTO interactions_fts (rowid, text, who, attrs)
	VALUES (new.rid, new.text, new.user_id || char(10) || new.speaker, coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;
`,
	// 2: a conversation's first user message (its thread's), the summary of a conversation
	// whose vendor gives none (Moveworks); kept apart from the vendor's summary so that a
	// later vendor record without one does not wipe it.
	`
ALTER TABLE conversations ADD COLUMN first_text TEXT NOT NULL DEFAULT '';
UPDATE conversations SET first_text = coalesce((SELECT substr(trim(i.text, ' ' || char(9, 10, 13)), 1, 1000)
	FROM interactions i
	WHERE i.source = conversations.source AND i.conversation_id = conversations.id AND i.actor = 'user'
		AND trim(i.text, ' ' || char(9, 10, 13)) <> ''
	ORDER BY i.pos, i.rid LIMIT 1), '');
`,
	// 3: full-text rowids in time order, so a search reads its matches newest first and stops
	// after the newest few (FTS5 walks rowids in order) instead of sorting every match.
	// tkey is the row's key in its full-text index: for a known time, the time's Unix
	// millisecond (clamped to [0, 2^43)) times 2^20 plus a counter for rows of the same
	// millisecond; for an unknown time, -2^62 + rid (below every known time). Store.tkeys
	// computes it for new rows.
	`
ALTER TABLE interactions ADD COLUMN tkey INTEGER;
ALTER TABLE conversations ADD COLUMN tkey INTEGER;
UPDATE interactions SET tkey = k.tkey FROM (
	SELECT rid, CASE WHEN time IS NULL THEN -4611686018427387904 + rid
		ELSE max(0, min(8796093022207, time / 1000000)) * 1048576
			+ row_number() OVER (PARTITION BY max(0, min(8796093022207, time / 1000000)) ORDER BY time, rid) - 1 END AS tkey
	FROM interactions) AS k WHERE interactions.rid = k.rid;
UPDATE conversations SET tkey = k.tkey FROM (
	SELECT rid, CASE WHEN started IS NULL THEN -4611686018427387904 + rid
		ELSE max(0, min(8796093022207, started / 1000000)) * 1048576
			+ row_number() OVER (PARTITION BY max(0, min(8796093022207, started / 1000000)) ORDER BY started, source, id) - 1 END AS tkey
	FROM conversations) AS k WHERE conversations.rid = k.rid;
CREATE UNIQUE INDEX interactions_tkey ON interactions (tkey);
CREATE UNIQUE INDEX conversations_tkey ON conversations (tkey);

DROP TRIGGER conversations_ai;
DROP TRIGGER conversations_ad;
DROP TRIGGER conversations_au;
DROP TRIGGER interactions_ai;
DROP TRIGGER interactions_ad;
DROP TRIGGER interactions_au;
DROP TABLE conversations_fts;
DROP TABLE interactions_fts;
CREATE VIRTUAL TABLE conversations_fts USING fts5(text, who, attrs, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE interactions_fts USING fts5(text, who, attrs, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER conversations_ai AFTER INSERT ON conversations BEGIN
	INSERT INTO conversations_fts (rowid, text, who, attrs)
	VALUES (new.tkey, new.summary, new.user_id || char(10) || coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j WHERE json_extract(j.value, '$.key') IN ('user_name', 'user_email')), ''), coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;
CREATE TRIGGER conversations_ad AFTER DELETE ON conversations BEGIN
	DELETE FROM conversations_fts WHERE rowid = old.tkey;
END;
CREATE TRIGGER conversations_au AFTER UPDATE OF summary, user_id, attrs, tkey ON conversations BEGIN
	DELETE FROM conversations_fts WHERE rowid = old.tkey;
	INSERT INTO conversations_fts (rowid, text, who, attrs)
	VALUES (new.tkey, new.summary, new.user_id || char(10) || coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j WHERE json_extract(j.value, '$.key') IN ('user_name', 'user_email')), ''), coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;

CREATE TRIGGER interactions_ai AFTER INSERT ON interactions BEGIN
	INSERT INTO interactions_fts (rowid, text, who, attrs)
	VALUES (new.tkey, new.text, new.user_id || char(10) || new.speaker, coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;
CREATE TRIGGER interactions_ad AFTER DELETE ON interactions BEGIN
	DELETE FROM interactions_fts WHERE rowid = old.tkey;
END;
CREATE TRIGGER interactions_au AFTER UPDATE OF text, user_id, speaker, attrs, tkey ON interactions BEGIN
	DELETE FROM interactions_fts WHERE rowid = old.tkey;
	INSERT INTO interactions_fts (rowid, text, who, attrs)
	VALUES (new.tkey, new.text, new.user_id || char(10) || new.speaker, coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(new.attrs) AS j), ''));
END;

INSERT INTO conversations_fts (rowid, text, who, attrs)
SELECT tkey, summary, user_id || char(10) || coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(attrs) AS j WHERE json_extract(j.value, '$.key') IN ('user_name', 'user_email')), ''), coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(attrs) AS j), '')
FROM conversations ORDER BY tkey;
INSERT INTO interactions_fts (rowid, text, who, attrs)
SELECT tkey, text, user_id || char(10) || speaker, coalesce((SELECT group_concat(json_extract(j.value, '$.value'), char(10)) FROM json_each(attrs) AS j), '')
FROM interactions ORDER BY tkey;
`,
	// 4: stored conversations counted per source and UTC day of their start, kept by
	// triggers, so that a list's exact total is a sum of days plus the rows of at most two
	// partial days (a count of every row in a window was tens of milliseconds at 1M rows).
	// day is floor(started / 86400e9), -2^62 for an unknown start.
	`
CREATE TABLE conversation_days (
	source TEXT NOT NULL,
	day    INTEGER NOT NULL,
	n      INTEGER NOT NULL,
	PRIMARY KEY (source, day)
) WITHOUT ROWID;
INSERT INTO conversation_days (source, day, n)
SELECT source, ` + dayOf("started") + `, count(*) FROM conversations GROUP BY 1, 2;
CREATE TRIGGER conversations_days_ai AFTER INSERT ON conversations BEGIN
	INSERT INTO conversation_days (source, day, n) VALUES (new.source, ` + dayOf("new.started") + `, 1)
	ON CONFLICT (source, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER conversations_days_ad AFTER DELETE ON conversations BEGIN
	UPDATE conversation_days SET n = n - 1 WHERE source = old.source AND day = ` + dayOf("old.started") + `;
	DELETE FROM conversation_days WHERE source = old.source AND day = ` + dayOf("old.started") + ` AND n <= 0;
END;
CREATE TRIGGER conversations_days_au AFTER UPDATE OF source, started ON conversations
WHEN old.source IS NOT new.source OR ` + dayOf("old.started") + ` IS NOT ` + dayOf("new.started") + ` BEGIN
	UPDATE conversation_days SET n = n - 1 WHERE source = old.source AND day = ` + dayOf("old.started") + `;
	DELETE FROM conversation_days WHERE source = old.source AND day = ` + dayOf("old.started") + ` AND n <= 0;
	INSERT INTO conversation_days (source, day, n) VALUES (new.source, ` + dayOf("new.started") + `, 1)
	ON CONFLICT (source, day) DO UPDATE SET n = n + 1;
END;
`,
}

// dayOf is the SQL of conversation_days.day for the start time column col (migration 4:
// never change it).
func dayOf(col string) string {
	return fmt.Sprintf("(CASE WHEN %[1]s IS NULL THEN -4611686018427387904 WHEN %[1]s >= 0 THEN %[1]s / 86400000000000 ELSE (%[1]s + 1) / 86400000000000 - 1 END)", col)
}

// dayNanos is a UTC day in nanoseconds, conversation_days' unit; dayNull is the day of an
// unknown start.
const (
	dayNanos = int64(24 * time.Hour)
	dayNull  = -4611686018427387904
)

// Full-text keys (tkey): see migration 3.
const (
	tkeyBits    = 20                   // the counter's bits: rows of one millisecond
	tkeyNull    = -4611686018427387904 // -2^62: tkey of an unknown time is tkeyNull + rid
	tkeyMaxMsec = 1<<(63-tkeyBits) - 1 // the latest millisecond with its own key range
)

// tkeyRange is the range of tkeys for a row of time t (the zero time: unknown), lo to hi
// inclusive; ok is false for an unknown time (its key is tkeyNull + rid).
func tkeyRange(t time.Time) (lo, hi int64, ok bool) {
	if t.IsZero() {
		return 0, 0, false
	}
	ms := max(0, min(tkeyMaxMsec, t.UnixNano()/1_000_000))
	return ms << tkeyBits, ms<<tkeyBits | (1<<tkeyBits - 1), true
}

// maxFirstText is the most characters (runes) of a first user message kept as a summary.
const maxFirstText = 1000

// SchemaVersion is the schema version this confab writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the file to SchemaVersion, one step per transaction, under the write lock
// (so two processes opening a new file at once migrate it once). A file newer than this
// confab knows is refused with ErrTooNew and left untouched.
func (s *Store) migrate(ctx context.Context, notice func(from, to int)) error {
	v, err := s.version(ctx)
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return &Error{Op: "open", Path: s.path, Kind: ErrTooNew, Err: fmt.Errorf("schema version %d, this confab knows up to %d", v, len(migrations))}
	}
	if v > 0 && v < len(migrations) && notice != nil {
		notice(v, len(migrations))
	}
	for v < len(migrations) {
		err := s.tx(ctx, "migrate", func(tx *sql.Tx) error {
			// Another process may have migrated since we looked.
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
				return err
			}
			if v >= len(migrations) {
				return nil
			}
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("step %d: %w", v+1, err)
			}
			v++
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// version is the file's PRAGMA user_version.
func (s *Store) version(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, classify("open", s.path, err)
	}
	return v, nil
}
