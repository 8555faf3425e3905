package client

import "sync"

// Listing remembers the paging links one listing (or one thread walk) has visited, to detect
// paging loops. Fetching the same page again (a retry, a prefetch raced by a refresh) is not a
// loop; a next link that some other page already named, or that names its own page, is.
// The zero value is ready to use; a Listing is safe for concurrent use.
type Listing struct {
	mu sync.Mutex
	// visited maps each link to the link whose page named it ("" for a page reached
	// otherwise: the first page, or a cursor this process did not hand out).
	visited map[string]string
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
// next link a caller will come back with), so a later page continues its listing's history.
// It holds at most max keys and then forgets them all: a forgotten listing starts afresh and
// loses only the loop detection across that point. A Pager is safe for concurrent use.
type Pager struct {
	mu    sync.Mutex
	max   int
	byKey map[string]*Listing
}

// NewPager returns a Pager holding at most max keys (at least 1).
func NewPager(max int) *Pager {
	return &Pager{max: max, byKey: map[string]*Listing{}}
}

// Listing returns the listing kept under key, or a new one, now kept under key.
func (p *Pager) Listing(key string) *Listing {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.byKey[key]
	if l == nil {
		l = &Listing{}
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
