package cache

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/confab-dev/confab/client"
)

// The errors a Source gives where the network would answer; match them with errors.Is.
var (
	// ErrNotStored: the conversation's thread is not in the local store.
	ErrNotStored = errors.New("thread not stored; run `confab sync --threads` to store threads")
	// ErrFilterOffline: a vendor filter was asked of the local store.
	ErrFilterOffline = errors.New("the vendor's filter cannot run on the local store; clear it or use the quick filter")
)

// DefaultPageSize is the page Source.Conversations returns when the query's PageSize is 0.
const DefaultPageSize = 100

// Source is a client.Source that reads the local store: the stored conversations of one
// configured source (or of several, for the All tab), newest first or oldest first, a page at
// a time, and their stored threads. It never touches the network.
//
// Pages are read by key (start time, source, id), not by offset, so a page deep down the
// list costs what the first does, and rows stored between two pages neither repeat nor
// shift the rows after the cursor.
type Source struct {
	st      *Store
	name    string
	kind    string
	sources []string
}

var _ client.Source = (*Source)(nil)

// NewSource is a Source over st named name (the tab title) of vendor kind ("" for the All
// tab), covering the stored source names sources (none: just name).
func NewSource(st *Store, name, kind string, sources ...string) *Source {
	if len(sources) == 0 {
		sources = []string{name}
	}
	var uniq []string
	for _, src := range sources {
		if !slices.Contains(uniq, src) {
			uniq = append(uniq, src)
		}
	}
	return &Source{st: st, name: name, kind: kind, sources: uniq}
}

// Name is the source's name.
func (s *Source) Name() string { return s.name }

// Kind is the vendor kind ("" for the All tab).
func (s *Source) Kind() string { return s.kind }

// cursor is where a page ends: the last row's key and which part of the list it is in
// (rows without a start time come last newest first, first oldest first).
type cursor struct {
	Null    bool   `json:"n,omitempty"` // the last row has no start time
	Started int64  `json:"t,omitempty"`
	Source  string `json:"s"`
	ID      string `json:"i"`
}

const cursorPrefix = "k1."

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return cursorPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, cursorPrefix))
	if err == nil && strings.HasPrefix(s, cursorPrefix) {
		err = json.Unmarshal(b, &c)
	} else if err == nil {
		err = errors.New("unknown form")
	}
	if err != nil {
		return c, fmt.Errorf("local store: invalid page cursor (%v); reload the list", err)
	}
	return c, nil
}

// Conversations returns the page at cur ("" for the first) of the stored conversations in
// q's window (Since inclusive, Until exclusive, on the start time), in q.Order (ties by
// source, then id; rows without a start time last newest first, first oldest first, and
// outside any window). q.PageSize 0 means DefaultPageSize (at most MaxLimit). Page.Total is
// the exact number of stored rows in the window. A q.Filter gives ErrFilterOffline.
func (s *Source) Conversations(ctx context.Context, q client.Query, cur string) (client.Page, error) {
	page := client.Page{Total: -1}
	if strings.TrimSpace(q.Filter) != "" {
		return page, fmt.Errorf("%s: %w", s.name, ErrFilterOffline)
	}
	var after *cursor
	if cur != "" {
		c, err := parseCursor(cur)
		if err != nil {
			return page, err
		}
		after = &c
	}
	size := q.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	size = min(size, MaxLimit)
	total, err := s.count(ctx, q)
	if err != nil {
		return page, err
	}
	page.Total = total
	windowed := !q.Since.IsZero() || !q.Until.IsZero()
	asc := q.Order == client.OldestFirst
	// The list is two parts: rows with a start time, and (outside a window) rows without.
	parts := []bool{false, true} // null part?
	if asc {
		parts = []bool{true, false}
	}
	if windowed {
		parts = []bool{false}
	}
	var out []client.Conversation
	for _, null := range parts {
		if after != nil && after.Null != null {
			// The cursor is in the other part: skip this one if it comes first.
			if null == asc { // asc: null part is before; desc: non-null part is before
				continue
			}
			after = nil // the cursor's part is over: this one starts from its beginning
		}
		// The next rows of every covered source, in order (see part).
		need := size + 1 - len(out)
		rows, err := s.part(ctx, q, null, asc, after, need)
		if err != nil {
			return client.Page{Total: -1}, err
		}
		out = append(out, rows...)
		after = nil
		if len(out) > size {
			break
		}
	}
	if len(out) > size {
		out = out[:size]
		last := out[size-1]
		c := cursor{Null: last.Started.IsZero(), Source: last.Source, ID: last.ID}
		if !c.Null {
			c.Started = last.Started.UnixNano()
		}
		page.Next = c.String()
	}
	page.Conversations = out
	return page, nil
}

// part reads up to n rows of one part of the list (with or without a start time) after the
// cursor (nil: from the part's beginning). One source is one query by its (source, started,
// id) index; several are merged by key first (each source's next keys, from that index
// alone), and only the rows that make the page are read.
func (s *Source) part(ctx context.Context, q client.Query, null, asc bool, after *cursor, n int) ([]client.Conversation, error) {
	if len(s.sources) == 1 {
		sel, args := s.sourcePart(q, s.sources[0], null, asc, after, conversationCols)
		if sel == "" {
			return nil, nil
		}
		return s.read(ctx, sel+" LIMIT ?", append(args, n)...)
	}
	type key struct {
		rid     int64
		started int64
		source  string
		id      string
	}
	var keys []key
	for _, src := range s.sources {
		sel, args := s.sourcePart(q, src, null, asc, after, "rid, coalesce(started, 0), id")
		if sel == "" {
			continue
		}
		rows, err := s.st.db.QueryContext(ctx, sel+" LIMIT ?", append(args, n)...)
		if err != nil {
			return nil, classify("read", s.st.path, err)
		}
		for rows.Next() {
			k := key{source: src}
			if err := rows.Scan(&k.rid, &k.started, &k.id); err != nil {
				rows.Close()
				return nil, classify("read", s.st.path, err)
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, classify("read", s.st.path, err)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		c := cmp.Or(cmp.Compare(a.started, b.started), strings.Compare(a.source, b.source), strings.Compare(a.id, b.id))
		if asc {
			return c
		}
		return -c
	})
	keys = keys[:min(len(keys), n)]
	if len(keys) == 0 {
		return nil, nil
	}
	rids := make([]any, len(keys))
	for i, k := range keys {
		rids[i] = k.rid
	}
	got, err := s.read(ctx, "SELECT "+conversationCols+" FROM conversations WHERE rid IN "+inList(len(rids)), rids...)
	if err != nil {
		return nil, err
	}
	at := make(map[[2]string]client.Conversation, len(got))
	for _, c := range got {
		at[[2]string{c.Source, c.ID}] = c
	}
	out := make([]client.Conversation, 0, len(keys))
	for _, k := range keys {
		if c, ok := at[[2]string{k.source, k.id}]; ok { // else deleted since: skipped
			out = append(out, c)
		}
	}
	return out, nil
}

// read runs a query of conversationCols.
func (s *Source) read(ctx context.Context, query string, args ...any) ([]client.Conversation, error) {
	rows, err := s.st.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify("read", s.st.path, err)
	}
	defer rows.Close()
	var out []client.Conversation
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, classify("read", s.st.path, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, classify("read", s.st.path, err)
	}
	return out, nil
}

// sourcePart is the SELECT of cols (without LIMIT) of source src's rows in one part of the
// list after the cursor, in order, with its arguments; "" when none can be.
func (s *Source) sourcePart(q client.Query, src string, null, asc bool, after *cursor, cols string) (string, []any) {
	conds, args := []string{"source = ?"}, []any{src}
	op, dir := "<", "DESC"
	// Rows of a source after the cursor's (in the list's order) at an equal start time
	// come after the cursor too.
	later := func(a, b string) bool { return a < b }
	if asc {
		op, dir = ">", "ASC"
		later = func(a, b string) bool { return a > b }
	}
	if null {
		conds = append(conds, "started IS NULL")
		if after != nil {
			switch {
			case src == after.Source:
				conds, args = append(conds, "id "+op+" ?"), append(args, after.ID)
			case !later(src, after.Source):
				return "", nil // all of this source's rows come before the cursor
			}
		}
	} else {
		conds = append(conds, "started IS NOT NULL")
		if !q.Since.IsZero() {
			conds, args = append(conds, "started >= ?"), append(args, q.Since.UnixNano())
		}
		if !q.Until.IsZero() {
			conds, args = append(conds, "started < ?"), append(args, q.Until.UnixNano())
		}
		if after != nil {
			switch {
			case src == after.Source:
				conds, args = append(conds, "(started, id) "+op+" (?, ?)"), append(args, after.Started, after.ID)
			case later(src, after.Source):
				conds, args = append(conds, "started "+op+"= ?"), append(args, after.Started)
			default:
				conds, args = append(conds, "started "+op+" ?"), append(args, after.Started)
			}
		}
	}
	return "SELECT " + cols + " FROM conversations INDEXED BY conversations_source_started WHERE " +
		strings.Join(conds, " AND ") + fmt.Sprintf(" ORDER BY started %[1]s, id %[1]s", dir), args
}

// count is the exact number of stored rows in q's window: whole UTC days from
// conversation_days, the rows of the partial days at the window's ends from the index.
func (s *Source) count(ctx context.Context, q client.Query) (int, error) {
	in := "source IN " + inList(len(s.sources))
	srcArgs := make([]any, len(s.sources))
	for i, src := range s.sources {
		srcArgs[i] = src
	}
	var query string
	var args []any
	sum := func(lo, hi int64) {
		query += " + (SELECT coalesce(sum(n), 0) FROM conversation_days WHERE " + in + " AND day >= ? AND day < ?)"
		args = append(append(args, srcArgs...), lo, hi)
	}
	rows := func(lo, hi int64) {
		query += " + (SELECT count(*) FROM conversations INDEXED BY conversations_source_started WHERE " + in + " AND started >= ? AND started < ?)"
		args = append(append(args, srcArgs...), lo, hi)
	}
	since, until := q.Since.UnixNano(), q.Until.UnixNano()
	switch {
	case q.Since.IsZero() && q.Until.IsZero():
		query += " + (SELECT coalesce(sum(n), 0) FROM conversation_days WHERE " + in + ")"
		args = append(args, srcArgs...)
	default:
		// Whole days [lo, hi), and the partial days around them.
		lo, hi := int64(dayNull+1), int64(math.MaxInt64)
		if !q.Since.IsZero() {
			lo = ceilDiv(since, dayNanos)
		}
		if !q.Until.IsZero() {
			hi = floorDiv(until, dayNanos)
		}
		switch {
		case !q.Since.IsZero() && !q.Until.IsZero() && lo >= hi:
			if since < until {
				rows(since, until)
			}
		default:
			sum(lo, hi)
			if !q.Since.IsZero() {
				rows(since, lo*dayNanos)
			}
			if !q.Until.IsZero() {
				rows(hi*dayNanos, until)
			}
		}
	}
	var n int
	if err := s.st.db.QueryRowContext(ctx, "SELECT 0"+query, args...).Scan(&n); err != nil {
		return 0, classify("read", s.st.path, err)
	}
	return n, nil
}

// floorDiv is a / b rounded down (b > 0); ceilDiv rounded up.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

// candidates are the stored sources c may be in: its own, when the Source covers it, else
// every one the Source covers.
func (s *Source) candidates(c string) []string {
	if slices.Contains(s.sources, c) {
		return []string{c}
	}
	return s.sources
}

// Thread returns c's stored interactions in their stored order; an error wrapping
// ErrNotStored when none is stored.
func (s *Source) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	for _, src := range s.candidates(c.Source) {
		items, err := s.st.Thread(ctx, src, c.ID)
		if err != nil {
			return nil, err
		}
		if len(items) > 0 {
			return items, nil
		}
	}
	return nil, fmt.Errorf("%s: conversation %q: %w", s.name, c.ID, ErrNotStored)
}

// Raw returns c's stored raw vendor record (c's own source first, then every covered one);
// an error wrapping client.ErrNotFound when c is not stored.
func (s *Source) Raw(ctx context.Context, c client.Conversation) (json.RawMessage, error) {
	srcs := s.candidates(c.Source)
	if len(srcs) != len(s.sources) {
		srcs = append(srcs, s.sources...) // a row listed under the tab's name
	}
	for _, src := range srcs {
		raw, ok, err := s.st.Raw(ctx, src, c.ID)
		if err != nil {
			return nil, err
		}
		if ok {
			return raw, nil
		}
	}
	return nil, fmt.Errorf("%s: conversation %q is not in the local store: %w", s.name, c.ID, client.ErrNotFound)
}

// Conversation returns the stored conversation id (of the first covered source that has
// it); an error wrapping client.ErrNotFound when none has.
func (s *Source) Conversation(ctx context.Context, id string) (client.Conversation, error) {
	for _, src := range s.sources {
		c, ok, err := s.st.Conversation(ctx, src, id)
		if err != nil {
			return client.Conversation{}, err
		}
		if ok {
			return c, nil
		}
	}
	return client.Conversation{}, fmt.Errorf("%s: conversation %q is not in the local store: %w", s.name, id, client.ErrNotFound)
}

// FilterSpec is a language with no fields whose Validate refuses any filter (a vendor's
// filter runs only at the vendor).
func (s *Source) FilterSpec() client.FilterSpec { return offlineSpec{} }

type offlineSpec struct{}

func (offlineSpec) Fields() []client.Field { return nil }
func (offlineSpec) Operators() []string    { return nil }
func (offlineSpec) Examples() []string     { return nil }
func (offlineSpec) Validate(text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return &client.FilterError{Msg: ErrFilterOffline.Error(), Pos: -1}
}
func (offlineSpec) Complete(text string, cursor int) client.Completion {
	cursor = max(0, min(cursor, len(text)))
	return client.Completion{From: cursor, To: cursor}
}
