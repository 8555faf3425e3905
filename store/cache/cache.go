// Package cache is confab's local store: every conversation and interaction confab has
// fetched, with the vendor's raw JSON beside the model fields, in one SQLite file (pure Go,
// modernc.org/sqlite) with an FTS5 index for search across every source.
//
// The file lives at DefaultPath ($XDG_CACHE_HOME/confab/confab.db, else
// ~/.cache/confab/confab.db), mode 0600 in a 0700 directory. It runs in WAL mode with a busy
// timeout and takes write locks up front (BEGIN IMMEDIATE), so two confab processes may read
// and write it at once. Its schema is versioned (PRAGMA user_version) and migrated on Open.
//
// Only what the client model carries is stored (client.Conversation, client.Interaction):
// never a credential. Text in the store is vendor text: callers render it through
// client/sanitize (Hit.Spans does so for snippets).
//
// A corrupt, locked or unwritable file gives an *Error matching ErrCorrupt, ErrLocked or
// ErrUnwritable (errors.Is), so the caller can report it and run live.
package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/xdg"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// FileName is the database's file name inside the cache directory.
const FileName = "confab.db"

// DefaultBusyTimeout is how long a call waits for another process's write lock before it
// fails with ErrLocked.
const DefaultBusyTimeout = 10 * time.Second

// DefaultLimit is the window size Conversations and Search use when the query's Limit is 0.
const DefaultLimit = 200

// MaxLimit is the largest window Search returns; a larger Limit is lowered to it.
const MaxLimit = 10000

// The kinds of failure an *Error carries; match them with errors.Is.
var (
	// ErrCorrupt: the file is not a SQLite database, or its pages are damaged.
	ErrCorrupt = errors.New("corrupt")
	// ErrLocked: another process held the file's lock longer than the busy timeout.
	ErrLocked = errors.New("locked by another process")
	// ErrUnwritable: the file or its directory cannot be created, opened or written.
	ErrUnwritable = errors.New("cannot be written")
	// ErrTooNew: the file's schema is newer than this confab knows (written by a later
	// version); it is left untouched.
	ErrTooNew = errors.New("written by a newer confab")
	// ErrBadQuery: a search query is not valid FTS5 syntax (see *QueryError).
	ErrBadQuery = errors.New("invalid search query")
	// ErrClosed: the Store was closed.
	ErrClosed = errors.New("closed")
)

// Error is a failure of the cache file: what was done (Op), the file (Path), the kind
// (ErrCorrupt, ErrLocked, ErrUnwritable, ErrTooNew, or nil for anything else) and the
// underlying error.
type Error struct {
	Op   string // "open", "write", "read", "migrate"…
	Path string
	Kind error
	Err  error
}

// Error is one line: "cache /path/confab.db: open: corrupt: file is not a database".
func (e *Error) Error() string {
	if e.Kind != nil {
		return fmt.Sprintf("cache %s: %s: %v: %v", e.Path, e.Op, e.Kind, e.Err)
	}
	return fmt.Sprintf("cache %s: %s: %v", e.Path, e.Op, e.Err)
}

// Unwrap gives the kind and the underlying error to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Kind == nil {
		return []error{e.Err}
	}
	return []error{e.Kind, e.Err}
}

// QueryError is a search query SQLite's FTS5 refused. It matches ErrBadQuery.
type QueryError struct {
	Query string
	Msg   string // SQLite's reason, e.g. `fts5: syntax error near "AND"`
}

// Error says what is wrong and how to search for the text literally.
func (e *QueryError) Error() string {
	if e.Msg == msgEmpty {
		return "invalid search: the query is empty; type words to search for"
	}
	return fmt.Sprintf("invalid search %q: %s (put words in double quotes to search for them literally)", e.Query, e.Msg)
}

// msgEmpty is QueryError.Msg for an empty query.
const msgEmpty = "empty query"

// Is makes errors.Is(err, ErrBadQuery) true.
func (e *QueryError) Is(target error) bool { return target == ErrBadQuery }

// DefaultPath is the database's default location: CacheDir/confab.db (see xdg.CacheDir).
// getenv nil means os.Getenv.
func DefaultPath(getenv func(string) string) (string, error) {
	d, err := xdg.CacheDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, FileName), nil
}

// Option changes how Open opens the store.
type Option func(*options)

type options struct {
	now     func() time.Time
	busy    time.Duration
	upgrade func(from, to int)
}

// WithClock sets the clock that stamps fetched_at and watermark updated_at (tests inject
// one); the default is time.Now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithBusyTimeout sets how long a call waits for another writer's lock before ErrLocked
// (default DefaultBusyTimeout).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busy = d } }

// WithUpgradeNotice calls notice before Open upgrades a file an earlier confab wrote (schema
// version from, to version to): on a large store that takes a while (about two minutes for
// a million conversations), and holds the write lock meanwhile, so the caller can say so. A
// new, empty file is set up without a notice.
func WithUpgradeNotice(notice func(from, to int)) Option {
	return func(o *options) { o.upgrade = notice }
}

// Store is an open cache file. Its methods are safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time
}

// Open opens (creating it if needed) the cache file at path; "" means DefaultPath(nil). It
// creates the directory (0700) and the file (0600), turns on WAL, and migrates the schema; a
// new file another process is setting up at the same moment is tried again a few times.
// Failures are *Error: ErrCorrupt for a file that is not a database, ErrLocked when another
// process holds it, ErrUnwritable when it cannot be created or written, ErrTooNew when a
// later confab wrote it.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{now: time.Now, busy: DefaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		p, err := DefaultPath(nil)
		if err != nil {
			return nil, &Error{Op: "open", Path: "(default)", Kind: ErrUnwritable, Err: err}
		}
		path = p
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, &Error{Op: "open", Path: path, Kind: ErrUnwritable, Err: err}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, &Error{Op: "open", Path: path, Kind: ErrUnwritable, Err: err}
	}
	fi, err := f.Stat()
	if err == nil && fi.Mode().Perm() != 0o600 {
		err = f.Chmod(0o600)
	}
	f.Close()
	if err != nil {
		return nil, &Error{Op: "open", Path: path, Kind: ErrUnwritable, Err: err}
	}
	// A file: URI, so that ?, # and % in the path are escaped, not parsed.
	dsn := (&url.URL{Scheme: "file", Path: path}).String() + "?" + strings.Join([]string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", o.busy.Milliseconds()),
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(NORMAL)",
		"_pragma=foreign_keys(1)",
		"_txlock=immediate",
	}, "&")
	for attempt := 1; ; attempt++ {
		began := time.Now()
		s, err := openDB(ctx, dsn, path, o)
		if err == nil {
			return s, nil
		}
		// Two processes opening a new file at once: one may find it locked at once, without
		// waiting out the busy timeout (turning on WAL needs the file to itself); try again.
		if !errors.Is(err, ErrLocked) || attempt == openRetries || time.Since(began) > o.busy/2 {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(attempt) * 20 * time.Millisecond):
		}
	}
}

// openRetries is how many times Open tries a file found locked at once.
const openRetries = 5

// openDB opens dsn, checks the file and migrates its schema.
func openDB(ctx context.Context, dsn, path string, o options) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, classify("open", path, err)
	}
	s := &Store{db: db, path: path, now: o.now}
	if err := s.check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx, o.upgrade); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// check reads the header and schema so a file that is not a database fails now, as
// ErrCorrupt, rather than on first use. (It does not scan every page: damage deeper in the
// file is reported as ErrCorrupt by the call that meets it.)
func (s *Store) check(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return classify("open", s.path, err)
	}
	return nil
}

// Path is the file the store is in.
func (s *Store) Path() string { return s.path }

// Close closes the store; later calls fail with ErrClosed.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return classify("close", s.path, err)
	}
	return nil
}

// Remove deletes the cache file at path and its WAL and shared-memory companions, for
// `confab cache clear` on a file too damaged to open. A missing file is not an error.
func Remove(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return &Error{Op: "remove", Path: path, Kind: ErrUnwritable, Err: err}
		}
	}
	return nil
}

// classify wraps err from SQLite as an *Error whose Kind says what the caller can do.
func classify(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("cache %s: %s: %w", path, op, err)
	}
	if strings.Contains(err.Error(), "database is closed") {
		return &Error{Op: op, Path: path, Kind: ErrClosed, Err: err}
	}
	var kind error
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			kind = ErrCorrupt
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			kind = ErrLocked
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
			kind = ErrUnwritable
		}
	}
	return &Error{Op: op, Path: path, Kind: kind, Err: err}
}

// nanos stores a time as UTC Unix nanoseconds; the zero time is NULL.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// fromNanos reverses nanos.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// attrsJSON encodes attributes for the attrs column ("[]" for none).
func attrsJSON(a client.Attrs) (string, error) {
	if len(a) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(a)
	return string(b), err
}

// parseAttrs reverses attrsJSON; nil for none.
func parseAttrs(s string) (client.Attrs, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var a client.Attrs
	err := json.Unmarshal([]byte(s), &a)
	return a, err
}

// rawBytes is the raw column's value: nil (NULL) when the vendor record is absent.
func rawBytes(r json.RawMessage) any {
	if r == nil {
		return nil
	}
	return []byte(r)
}

// inList is "(?, ?, …)" for n placeholders.
func inList(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}
