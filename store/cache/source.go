package cache

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
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
	return &Source{st: st, name: name, kind: kind, sources: slices.Clone(sources)}
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
		rows, err := s.part(ctx, q, null, asc, after, size+1-len(out))
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

// part reads up to n rows of one part of the list (with or without a start time) after
// the cursor (nil: from the part's beginning).
func (s *Source) part(ctx context.Context, q client.Query, null, asc bool, after *cursor, n int) ([]client.Conversation, error) {
	var conds []string
	var args []any
	one := len(s.sources) == 1
	if one {
		conds, args = append(conds, "source = ?"), append(args, s.sources[0])
	} else {
		conds = append(conds, "source IN "+inList(len(s.sources)))
		for _, src := range s.sources {
			args = append(args, src)
		}
	}
	cmp, dir := "<", "DESC"
	if asc {
		cmp, dir = ">", "ASC"
	}
	var order string
	if null {
		conds = append(conds, "started IS NULL")
		if after != nil {
			if one {
				conds, args = append(conds, "id "+cmp+" ?"), append(args, after.ID)
			} else {
				conds, args = append(conds, "(source, id) "+cmp+" (?, ?)"), append(args, after.Source, after.ID)
			}
		}
		order = fmt.Sprintf("source %[1]s, id %[1]s", dir)
	} else {
		conds = append(conds, "started IS NOT NULL")
		if !q.Since.IsZero() {
			conds, args = append(conds, "started >= ?"), append(args, q.Since.UnixNano())
		}
		if !q.Until.IsZero() {
			conds, args = append(conds, "started < ?"), append(args, q.Until.UnixNano())
		}
		if after != nil {
			if one {
				conds, args = append(conds, "(started, id) "+cmp+" (?, ?)"), append(args, after.Started, after.ID)
			} else {
				conds, args = append(conds, "(started, source, id) "+cmp+" (?, ?, ?)"), append(args, after.Started, after.Source, after.ID)
			}
		}
		order = fmt.Sprintf("started %[1]s, source %[1]s, id %[1]s", dir)
	}
	query := "SELECT " + conversationCols + " FROM conversations WHERE " + strings.Join(conds, " AND ") +
		" ORDER BY " + order + " LIMIT ?"
	rows, err := s.st.db.QueryContext(ctx, query, append(args, n)...)
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

// count is the number of stored rows in q's window.
func (s *Source) count(ctx context.Context, q client.Query) (int, error) {
	w, args := where(s.sources, "started", q.Since, q.Until)
	var n int
	if err := s.st.db.QueryRowContext(ctx, "SELECT count(*) FROM conversations"+w, args...).Scan(&n); err != nil {
		return 0, classify("read", s.st.path, err)
	}
	return n, nil
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
