// Package merge is a client.Source over several sources: their conversations merged by time
// into one list (the TUI's All tab), each row keeping the name of the source it came from
// (Conversation.Source), and each thread read from that source.
//
// # The merge
//
// Conversations is a lazy k-way merge. A page asks each source for at most one page of its
// own (concurrently at the start of the call, or later in the call when a source's buffered
// rows run out), and emits rows while every source that has more has rows buffered: the next
// row is the newest buffered head (oldest for client.OldestFirst), ties going to the source
// given first to New. Rows a page does not emit stay buffered for the next one. A source's
// rows are sorted by time (Conversation.Started, stably) as each of its pages arrives, so a
// source that lists a page out of order (Talkdesk keeps the vendor's order within a window,
// which the vendor does not document) still merges in order within what it has sent; the
// merge is exact when each source lists in the order asked, as Moveworks does ($orderby
// created_time), OpenDialog does (its windows) and Talkdesk does newest first over the mock.
// A source that lists out of order across its pages loses nothing and duplicates nothing: its
// late rows come where they arrive.
//
// # Order
//
// Query.Order goes to every source. Orders reports true only when every source can list both
// ways (an Orders method reporting true, as the TUI's pane asks): Talkdesk does not say so (it
// walks its seven-day windows oldest first, but a window's rows come in the vendor's order,
// newest first over the mock), so an All tab with a Talkdesk source stays newest first. Asked OldestFirst anyway (a caller that does not check Orders), each source gets
// OldestFirst and the merge sorts each page as above.
//
// # The cursor
//
// Page.Next is base64url of a small JSON object: per source, its started/next-page cursor, and
// when rows of one of its pages are still buffered, that page's cursor and the time and id of
// its last row emitted. It never holds rows, so it stays as small as the sources' own cursors.
// The buffered rows themselves are kept in the Source, keyed by the cursor text (the last 64
// cursors handed out): resuming from one of those costs no request. A cursor the Source does
// not remember (evicted, or from another process) resumes by fetching each buffered page again
// and dropping what was emitted (through the row with the remembered id, else every row before
// its time): one request for such a source, counted as its request of the page.
//
// # Failures
//
// A source whose request fails does not stop the others: the page holds the other sources'
// rows, Page.Progress names the failed source and its error ("⚠ td: …; retried on the next
// page"), and its state is kept, so the next page asks it again. Rows it lists then that are
// newer than rows already emitted come late, never lost. A page that has no row and a failure
// is an error (wrapping each source's error, prefixed with its name), so the caller's retry
// asks again from the same cursor. A cancelled context cancels every request and returns its
// error.
//
// Query.Filter must be empty: each vendor has its own filter language (WithDefaults
// keeps the filter of one source). Since, Until, Order, PageSize and MaxWindows go to every
// source. Page.Total is the sum of the sources' totals when every source says, else -1.
package merge

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/confab-dev/confab/client"
)

// DefaultPageSize is the number of rows of a merged page when the query gives no PageSize.
const DefaultPageSize = 50

// cacheSize is how many cursors' buffered rows a Source remembers.
const cacheSize = 64

// cursorVersion is the version of the cursor's encoding.
const cursorVersion = 1

// ErrFilter is the error (wrapped in a *client.FilterError's ErrBadFilter) of a merged
// listing asked with a vendor filter.
var ErrFilter = errors.New("a vendor filter cannot apply to every source of the All tab")

// Source is the merge of several sources. It is safe for concurrent use.
type Source struct {
	name    string
	members []client.Source

	mu    sync.Mutex
	cache map[string][]state // buffered rows by the cursor handed out
	order []string           // the cache's keys, oldest first
}

var (
	_ client.Source     = (*Source)(nil)
	_ client.Summarizer = (*Source)(nil)
)

// New returns the merge named name (the tab title, e.g. "All") of sources, in the order given
// (ties in time go to the earlier). Sources are told apart by name (Conversation.Source):
// names should be unique; of two sources with one name, threads go to the first.
func New(name string, sources ...client.Source) *Source {
	return &Source{name: name, members: slices.Clone(sources), cache: map[string][]state{}}
}

// Name is the merge's name.
func (s *Source) Name() string { return s.name }

// Kind is "": the merge has every kind (KindOf names a row's).
func (s *Source) Kind() string { return "" }

// Sources are the merged sources, in the order given to New.
func (s *Source) Sources() []client.Source { return slices.Clone(s.members) }

// KindOf is the vendor kind of the source named name ("" when none is).
func (s *Source) KindOf(name string) string {
	if m := s.member(name); m != nil {
		return m.Kind()
	}
	return ""
}

// Orders reports whether every source lists newest or oldest first (see the package doc).
func (s *Source) Orders() bool {
	for _, m := range s.members {
		o, ok := m.(interface{ Orders() bool })
		if !ok || !o.Orders() {
			return false
		}
	}
	return len(s.members) > 0
}

// FilterSpec is a language with no filter: Validate refuses any text but the empty one.
func (s *Source) FilterSpec() client.FilterSpec { return noFilter{} }

// member is the first source named name, or nil.
func (s *Source) member(name string) client.Source {
	for _, m := range s.members {
		if m.Name() == name {
			return m
		}
	}
	return nil
}

// Thread reads c's thread from the source named by c.Source.
func (s *Source) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	m := s.member(c.Source)
	if m == nil {
		return nil, s.noSource(c.Source)
	}
	return m.Thread(ctx, c)
}

// Summary asks the source named by c.Source for c's summary when it is a client.Summarizer;
// else it returns "" (the source lists its summaries), with no request.
func (s *Source) Summary(ctx context.Context, c client.Conversation) (string, error) {
	m := s.member(c.Source)
	if m == nil {
		return "", s.noSource(c.Source)
	}
	if sum, ok := unwrap(m).(client.Summarizer); ok {
		return sum.Summary(ctx, c)
	}
	return "", nil
}

func (s *Source) noSource(name string) error {
	return fmt.Errorf("%s: no source named %q: %w", s.name, name, client.ErrNotFound)
}

// Conversation looks id up: "SOURCE:ID" in the source named SOURCE, else id in each source in
// turn, the first found. Not found anywhere is client.ErrNotFound; another error stops the
// search.
func (s *Source) Conversation(ctx context.Context, id string) (client.Conversation, error) {
	if name, rest, ok := strings.Cut(id, ":"); ok {
		if m := s.member(name); m != nil {
			c, err := m.Conversation(ctx, rest)
			if err == nil {
				return withSource(c, m.Name()), nil
			}
			if !errors.Is(err, client.ErrNotFound) {
				return client.Conversation{}, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	for _, m := range s.members {
		c, err := m.Conversation(ctx, id)
		if err == nil {
			return withSource(c, m.Name()), nil
		}
		if !errors.Is(err, client.ErrNotFound) {
			return client.Conversation{}, fmt.Errorf("%s: %w", m.Name(), err)
		}
	}
	return client.Conversation{}, fmt.Errorf("conversation %q is in none of the sources of %s: %w", id, s.name, client.ErrNotFound)
}

// withSource fills in c.Source when the source left it empty.
func withSource(c client.Conversation, name string) client.Conversation {
	if c.Source == "" {
		c.Source = name
	}
	return c
}

// key is the last row emitted of a page: its time and id.
type key struct {
	t  time.Time
	id string
}

// state is one source's part of a merged listing.
type state struct {
	started bool                  // its first page was asked for
	next    string                // the cursor of its next page ("" after the last, once started)
	at      string                // the cursor of the page buf came from
	buf     []client.Conversation // rows of page at not yet emitted, in merge order (never written)
	last    *key                  // the last row of page at emitted, nil when none
	total   int                   // its latest page's Total
	refetch bool                  // buf is unknown: page at must be read again (a cursor not in the cache)
}

// more reports whether the source may still have rows to emit.
func (st *state) more() bool {
	return st.refetch || len(st.buf) > 0 || !st.started || st.next != ""
}

// Conversations returns the merged page at cursor ("" for the first); see the package doc.
func (s *Source) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	if strings.TrimSpace(q.Filter) != "" {
		return client.Page{}, &client.FilterError{Msg: ErrFilter.Error() + "; use a source's tab, or the quick filter (/)", Pos: -1}
	}
	states, err := s.resume(cursor)
	if err != nil {
		return client.Page{}, err
	}
	size := q.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	c := call{src: s, q: q, states: states, fetched: make([]bool, len(states)), errs: make([]error, len(states))}
	// Every source that needs a page asks for it at once.
	var need []int
	for i := range states {
		if st := &states[i]; st.refetch || (len(st.buf) == 0 && st.more()) {
			need = append(need, i)
		}
	}
	c.fetch(ctx, need)
	var rows []client.Conversation
	for len(rows) < size {
		if ctx.Err() != nil {
			break
		}
		best, blocked := -1, false
		for i := range states {
			st := &states[i]
			if c.errs[i] != nil {
				continue
			}
			if len(st.buf) == 0 && st.more() {
				if c.fetched[i] {
					blocked = true // its one request of this page is spent
					break
				}
				c.fetch(ctx, []int{i})
				if c.errs[i] != nil {
					continue
				}
				if len(st.buf) == 0 && st.more() {
					blocked = true
					break
				}
			}
			if len(st.buf) == 0 {
				continue
			}
			if best < 0 || before(st.buf[0].Started, states[best].buf[0].Started, q.Order) {
				best = i
			}
		}
		if blocked || best < 0 {
			break
		}
		st := &states[best]
		row := st.buf[0]
		st.buf = st.buf[1:]
		st.last = &key{t: row.Started, id: row.ID}
		rows = append(rows, withSource(row, s.members[best].Name()))
	}
	if err := ctx.Err(); err != nil {
		return client.Page{}, fmt.Errorf("%s: %w", s.name, err)
	}
	var failed []error
	var notes []string
	for i, e := range c.errs {
		if e != nil {
			name := s.members[i].Name()
			failed = append(failed, &SourceError{Source: name, Err: e})
			notes = append(notes, name+": "+oneLine(e.Error()))
		}
	}
	if len(rows) == 0 && len(failed) > 0 {
		if len(failed) == 1 {
			return client.Page{}, failed[0]
		}
		return client.Page{}, sourceErrors(failed)
	}
	page := client.Page{Conversations: rows, Total: 0}
	if rows == nil {
		page.Conversations = []client.Conversation{}
	}
	more := false
	for i := range states {
		st := &states[i]
		more = more || st.more()
		if page.Total >= 0 && st.started && st.total >= 0 {
			page.Total += st.total
		} else {
			page.Total = -1
		}
	}
	if len(notes) > 0 {
		page.Progress = "⚠ " + strings.Join(notes, "; ") + "; retried on the next page"
	}
	if more {
		if page.Next, err = s.remember(states); err != nil {
			return client.Page{}, err
		}
	}
	return page, nil
}

// SourceError is the failure of one source of a merge; it wraps the source's error and reads
// "td: …".
type SourceError struct {
	Source string
	Err    error
}

func (e *SourceError) Error() string { return e.Source + ": " + e.Err.Error() }

// Unwrap makes errors.Is and errors.As see the source's error.
func (e *SourceError) Unwrap() error { return e.Err }

// sourceErrors are the failures of several sources, on one line: "mw: …; td: …".
type sourceErrors []error

func (e sourceErrors) Error() string {
	parts := make([]string, len(e))
	for i, err := range e {
		parts[i] = oneLine(err.Error())
	}
	return strings.Join(parts, "; ")
}

// Unwrap makes errors.Is and errors.As see each source's error.
func (e sourceErrors) Unwrap() []error { return e }

// oneLine is text on one line.
func oneLine(text string) string {
	return strings.Join(strings.Fields(text), " ")
}

// before reports whether a row started at a comes before one started at b in order o.
func before(a, b time.Time, o client.Order) bool {
	if o == client.OldestFirst {
		return a.Before(b)
	}
	return a.After(b)
}

// sortRows sorts rows by time in order o, stably (a source's order holds for equal times).
func sortRows(rows []client.Conversation, o client.Order) {
	slices.SortStableFunc(rows, func(a, b client.Conversation) int {
		switch {
		case before(a.Started, b.Started, o):
			return -1
		case before(b.Started, a.Started, o):
			return 1
		}
		return 0
	})
}

// call is one Conversations call: the sources' states and what this call asked each.
type call struct {
	src     *Source
	q       client.Query
	states  []state
	fetched []bool  // the source had its request of this page
	errs    []error // the source's request failed
}

// fetch asks each source of idx for its page, concurrently: the page its buffered rows came
// from (refetch), else its next page. A failure leaves the source's state as it was.
func (c *call) fetch(ctx context.Context, idx []int) {
	var wg sync.WaitGroup
	for _, i := range idx {
		c.fetched[i] = true
		st := &c.states[i]
		cur := st.next
		if st.refetch {
			cur = st.at
		}
		m := c.src.members[i]
		wg.Go(func() {
			q := c.q
			q.Filter = ""
			page, err := m.Conversations(ctx, q, cur)
			if err != nil {
				c.errs[i] = err
				return
			}
			rows := slices.Clone(page.Conversations)
			sortRows(rows, c.q.Order)
			if st.refetch {
				rows = dropEmitted(rows, st.last, c.q.Order)
			} else {
				st.last = nil
			}
			st.started, st.refetch = true, false
			st.at, st.next, st.buf, st.total = cur, page.Next, rows, page.Total
		})
	}
	wg.Wait()
}

// dropEmitted drops the rows of a page read again that were emitted before: through the row
// with last's id, or when it is gone, every row before last's time (rows at its time stay:
// one may come twice, none is lost).
func dropEmitted(rows []client.Conversation, last *key, o client.Order) []client.Conversation {
	if last == nil {
		return rows
	}
	for i := range rows {
		if rows[i].ID == last.id {
			return rows[i+1:]
		}
	}
	i := 0
	for i < len(rows) && before(rows[i].Started, last.t, o) {
		i++
	}
	return rows[i:]
}

// wireState is one source's state in a cursor.
type wireState struct {
	Started bool   `json:"s,omitempty"`
	Next    string `json:"n,omitempty"`
	At      string `json:"a,omitempty"`  // with Buf: the page whose rows remain
	Buf     bool   `json:"b,omitempty"`  // rows of page At remain
	LastT   int64  `json:"t,omitempty"`  // the last row of page At emitted: its time (Unix ns)
	LastID  string `json:"i,omitempty"`  // and its id
	Last    bool   `json:"l,omitempty"`  // a row of page At was emitted
	Total   int    `json:"tt,omitempty"` // the latest page's Total (+1: 0 is unknown)
	Source  string `json:"src"`          // the source's name, to refuse a cursor of other sources
}

type wireCursor struct {
	V int         `json:"v"`
	S []wireState `json:"s"`
}

// remember encodes states as a cursor and keeps their buffers under it.
func (s *Source) remember(states []state) (string, error) {
	w := wireCursor{V: cursorVersion, S: make([]wireState, len(states))}
	for i, st := range states {
		ws := wireState{Started: st.started, Next: st.next, Source: s.members[i].Name(), Total: st.total + 1}
		if len(st.buf) > 0 || st.refetch {
			ws.At, ws.Buf = st.at, true
			if st.last != nil {
				ws.Last, ws.LastT, ws.LastID = true, st.last.t.UnixNano(), st.last.id
			}
		}
		w.S[i] = ws
	}
	js, err := json.Marshal(w)
	if err != nil {
		return "", fmt.Errorf("%s: encode cursor: %w", s.name, err)
	}
	tok := base64.RawURLEncoding.EncodeToString(js)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cache[tok]; !ok {
		if len(s.order) >= cacheSize {
			delete(s.cache, s.order[0])
			s.order = s.order[1:]
		}
		s.order = append(s.order, tok)
	}
	s.cache[tok] = slices.Clone(states)
	return tok, nil
}

// errBadCursor is a cursor this merge did not make.
var errBadCursor = errors.New("bad cursor")

// resume returns the states at cursor: fresh ones for "", the remembered ones, else the ones
// the cursor encodes, each with buffered rows to read again.
func (s *Source) resume(cursor string) ([]state, error) {
	states := make([]state, len(s.members))
	if cursor == "" {
		return states, nil
	}
	s.mu.Lock()
	kept, ok := s.cache[cursor]
	s.mu.Unlock()
	if ok {
		copy(states, kept)
		return states, nil
	}
	bad := func(why string) error {
		return &client.APIError{Kind: client.ErrBadResponse, Message: s.name + ": " + errBadCursor.Error() + " (" + why + "); refresh the list",
			Err: errBadCursor}
	}
	js, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad("not base64")
	}
	var w wireCursor
	if err := json.Unmarshal(js, &w); err != nil {
		return nil, bad("not JSON")
	}
	if w.V != cursorVersion || len(w.S) != len(s.members) {
		return nil, bad("made by another version or for other sources")
	}
	for i, ws := range w.S {
		if ws.Source != s.members[i].Name() {
			return nil, bad("made for other sources")
		}
		st := state{started: ws.Started, next: ws.Next, total: ws.Total - 1}
		if ws.Buf {
			st.at, st.refetch = ws.At, true
			if ws.Last {
				st.last = &key{t: time.Unix(0, ws.LastT), id: ws.LastID}
			}
		}
		states[i] = st
	}
	return states, nil
}

// noFilter is the filter language of a merge: none.
type noFilter struct{}

func (noFilter) Fields() []client.Field { return nil }
func (noFilter) Operators() []string    { return nil }
func (noFilter) Examples() []string     { return nil }
func (noFilter) Complete(_ string, cursor int) client.Completion {
	return client.Completion{From: cursor, To: cursor}
}

// Validate accepts only the empty filter.
func (noFilter) Validate(text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return &client.FilterError{Msg: ErrFilter.Error() + "; use a source's tab, or the quick filter (/)", Pos: -1}
}
