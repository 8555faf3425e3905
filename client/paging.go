package client

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
)

// ErrWalkLimit is the kind of error a walk (a listing, a thread, a lookup by id) returns when
// it stopped at one of its WalkLimits while the server still had more: a server whose next
// links never end, or a range too large to read whole. It is not an ErrBadResponse (the data
// may be fine); the error (a *WalkLimitError) says what to narrow. Check with errors.Is.
var ErrWalkLimit = errors.New("walk limit reached")

// WalkLimits bound one walk over a vendor's pages. A zero field takes the value of
// DefaultWalkLimits; sources take theirs from HTTPOptions.Walk.
type WalkLimits struct {
	Pages int   // pages read
	Bytes int64 // response bytes read
	Rows  int   // rows (conversations, interactions, messages) read
}

// DefaultWalkLimits are the limits of a walk that sets none: 10,000 pages, 256 MiB of
// responses, 1,000,000 rows.
var DefaultWalkLimits = WalkLimits{Pages: 10_000, Bytes: 256 << 20, Rows: 1_000_000}

// withDefaults fills the zero fields of w from DefaultWalkLimits.
func (w WalkLimits) withDefaults() WalkLimits {
	if w.Pages <= 0 {
		w.Pages = DefaultWalkLimits.Pages
	}
	if w.Bytes <= 0 {
		w.Bytes = DefaultWalkLimits.Bytes
	}
	if w.Rows <= 0 {
		w.Rows = DefaultWalkLimits.Rows
	}
	return w
}

// WalkLimitError is a walk that stopped at one of its limits. It wraps ErrWalkLimit and
// reads "stopped after 10,000 pages of interactions of conversation X; narrow the range".
type WalkLimitError struct {
	What     string // what was walked: "interactions of conversation X"
	Unit     string // the limit reached: "pages", "bytes" or "rows"
	Limit    int64  // its value
	Advice   string // what to do; "" reads "narrow the range"
	Endpoint string // scheme://host/path of the last page read (no query)
}

func (e *WalkLimitError) Error() string {
	n := Thousands(e.Limit) + " " + e.Unit
	if e.Unit == "bytes" {
		n = sizeText(e.Limit)
	}
	what := e.What
	if what == "" {
		what = "a listing"
	}
	advice := e.Advice
	if advice == "" {
		advice = "narrow the range"
	}
	return fmt.Sprintf("stopped after %s of %s; %s", n, what, advice)
}

// Unwrap makes errors.Is(err, ErrWalkLimit) true.
func (e *WalkLimitError) Unwrap() error { return ErrWalkLimit }

// Thousands formats n with commas: 10000 -> "10,000" (counts in messages and footers).
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// sizeText formats a byte count for a limit error: "256 MB", "1.5 KB", "100 bytes".
func sizeText(n int64) string {
	trim := func(f float64, unit string) string {
		return strconv.FormatFloat(f, 'f', -1, 64) + " " + unit
	}
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return trim(float64(n)/(1<<30), "GB")
	case n >= 1<<20:
		return trim(float64(n*10/(1<<20))/10, "MB")
	case n >= 1<<10:
		return trim(float64(n*10/(1<<10))/10, "KB")
	}
	return Thousands(n) + " bytes"
}

// Listing follows one walk over a vendor's pages (a listing, a thread, a lookup by id): it
// remembers the paging links visited, to detect paging loops, and counts the pages, bytes and
// rows read, to stop the walk at its Limits. Fetching the same page again (a retry, a prefetch
// raced by a refresh) is not a loop; a next link that some other page already named, or that
// names its own page, is.
//
// The zero value is ready to use (with DefaultWalkLimits); set What, Advice and Limits before
// the first page. A Listing is safe for concurrent use.
type Listing struct {
	// What names what the walk reads, for its limit error: "interactions of conversation X".
	What string
	// Advice ends the limit error: what the user can do; "" reads "narrow the range".
	Advice string
	// Limits bound the walk; zero fields take DefaultWalkLimits' values.
	Limits WalkLimits

	mu sync.Mutex
	// visited maps each link to the link whose page named it ("" for a page reached
	// otherwise: the first page, or a cursor this process did not hand out).
	visited map[string]string
	pages   int
	bytes   int64
	rows    int
}

// Read records one page of the walk, read from link: its size in bytes and its rows. more
// says whether the walk would go on past it. With more, it returns a *WalkLimitError (wrapping
// ErrWalkLimit) when the walk has read Limits.Pages pages, or more than Limits.Bytes bytes or
// Limits.Rows rows: the caller stops there and returns the error. A walk that ends by itself
// is never stopped.
func (l *Listing) Read(link string, size, rows int, more bool) error {
	l.mu.Lock()
	l.pages++
	l.bytes += int64(size)
	l.rows += rows
	lim := l.Limits.withDefaults()
	e := &WalkLimitError{What: l.What, Advice: l.Advice, Endpoint: EndpointOf(link)}
	switch {
	case !more:
		e = nil
	case l.pages >= lim.Pages:
		e.Unit, e.Limit = "pages", int64(lim.Pages)
	case l.bytes > lim.Bytes:
		e.Unit, e.Limit = "bytes", lim.Bytes
	case l.rows > lim.Rows:
		e.Unit, e.Limit = "rows", int64(lim.Rows)
	default:
		e = nil
	}
	l.mu.Unlock()
	if e == nil {
		return nil
	}
	return e
}

// Follow records that the page at link named next as its next page, and returns an
// ErrBadResponse naming link's endpoint when that closes a loop. An empty next (the last
// page) records nothing.
func (l *Listing) Follow(link, next string) error {
	if next == "" {
		return nil
	}
	l.mu.Lock()
	if l.visited == nil {
		l.visited = map[string]string{}
	}
	if _, ok := l.visited[link]; !ok {
		l.visited[link] = ""
	}
	from, seen := l.visited[next]
	loop := next == link || (seen && from != link)
	if !seen {
		l.visited[next] = link
	}
	l.mu.Unlock()
	if loop {
		return &APIError{Kind: ErrBadResponse, Endpoint: EndpointOf(link),
			Message: "paging loop: the server sent a next link to a page this listing already read"}
	}
	return nil
}

// Pager keeps the Listing of each live listing of a source under a key (a listing id, or the
// next link a caller will come back with), so a later page continues its listing's history
// and its counts toward its limits. It holds at most max keys and then forgets them all: a
// forgotten listing starts afresh and loses the loop detection and the counts across that
// point. A Pager is safe for concurrent use.
type Pager struct {
	// What, Advice and Limits are given to every listing the pager makes (see Listing); set
	// them before the pager is used.
	What   string
	Advice string
	Limits WalkLimits

	mu    sync.Mutex
	max   int
	byKey map[string]*Listing
}

// NewPager returns a Pager holding at most max keys (at least 1).
func NewPager(max int) *Pager {
	return &Pager{max: max, byKey: map[string]*Listing{}}
}

// New returns a new listing with the pager's What, Advice and Limits, not kept under any key.
func (p *Pager) New() *Listing {
	return &Listing{What: p.What, Advice: p.Advice, Limits: p.Limits}
}

// Listing returns the listing kept under key, or a new one (see New), now kept under key.
func (p *Pager) Listing(key string) *Listing {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.byKey[key]
	if l == nil {
		l = p.New()
		p.keep(key, l)
	}
	return l
}

// Remember keeps l under key (e.g. the next link of its latest page).
func (p *Pager) Remember(key string, l *Listing) {
	p.mu.Lock()
	p.keep(key, l)
	p.mu.Unlock()
}

func (p *Pager) keep(key string, l *Listing) {
	if _, ok := p.byKey[key]; !ok && len(p.byKey) >= max(p.max, 1) {
		clear(p.byKey)
	}
	p.byKey[key] = l
}
