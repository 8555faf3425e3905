package client

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestListingFollow(t *testing.T) {
	const a, b, c = "https://x.test/p?page=1", "https://x.test/p?page=2", "https://x.test/p?page=3"
	type step struct {
		link, next string
		loop       bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"straight walk", []step{{a, b, false}, {b, c, false}, {c, "", false}}},
		{"a page names itself", []step{{a, b, false}, {b, b, true}}},
		{"back to an earlier page", []step{{a, b, false}, {b, c, false}, {c, b, true}}},
		{"back to the first page", []step{{a, b, false}, {b, a, true}}},
		{"the same page fetched again", []step{{a, b, false}, {b, c, false}, {b, c, false}, {c, "", false}}},
		{"a first page fetched again", []step{{a, b, false}, {a, b, false}}},
		{"the last page names nothing", []step{{a, "", false}, {a, "", false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l Listing
			for i, s := range tc.steps {
				err := l.Follow(s.link, s.next)
				if got := err != nil; got != s.loop {
					t.Fatalf("step %d %s -> %s: err = %v, want loop %v", i, s.link, s.next, err, s.loop)
				}
				if err == nil {
					continue
				}
				var ae *APIError
				if !errors.Is(err, ErrBadResponse) || !errors.As(err, &ae) || !strings.Contains(err.Error(), "paging loop") ||
					ae.Endpoint != "https://x.test/p" {
					t.Fatalf("step %d: %v (endpoint %q), want a paging-loop ErrBadResponse without the query", i, err, ae.Endpoint)
				}
			}
		})
	}
}

func TestPagerKeepsListings(t *testing.T) {
	p := NewPager(3)
	l := p.Listing("id1")
	if p.Listing("id1") != l {
		t.Fatal("the same key gave another listing")
	}
	if err := l.Follow("first", "second"); err != nil {
		t.Fatal(err)
	}
	p.Remember("second", l)
	if got := p.Listing("second"); got != l {
		t.Fatal("a remembered key gave another listing")
	}
	if err := p.Listing("second").Follow("second", "first"); err == nil {
		t.Fatal("the history of a remembered listing was lost")
	}
	// A third new key fills the pager; the fourth forgets every earlier key.
	p.Listing("id3")
	p.Listing("id4")
	if p.Listing("id1") == l || p.Listing("second") == l {
		t.Fatal("a full pager kept its keys")
	}
}

func TestListingConcurrentRefetch(t *testing.T) {
	var l Listing
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() { errs <- l.Follow("a", "b") })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("refetching one page concurrently: %v", err)
		}
	}
}
