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

func TestListingReadStopsAtLimits(t *testing.T) {
	const link = "https://x.test/p?page=9&token=secret"
	type read struct {
		size, rows int
		more       bool
	}
	tests := []struct {
		name    string
		lim     WalkLimits
		reads   []read
		stopAt  int // index of the read that stops the walk; -1: none
		wantErr string
	}{
		{"pages", WalkLimits{Pages: 3}, []read{{1, 1, true}, {1, 1, true}, {1, 1, true}}, 2,
			"stopped after 3 pages of interactions of conversation X; narrow the range"},
		{"the last page at the page limit ends the walk", WalkLimits{Pages: 3}, []read{{1, 1, true}, {1, 1, true}, {1, 1, false}}, -1, ""},
		{"bytes", WalkLimits{Bytes: 256 << 20}, []read{{200 << 20, 1, true}, {100 << 20, 1, true}}, 1,
			"stopped after 256 MB of interactions of conversation X; narrow the range"},
		{"bytes exactly at the limit go on", WalkLimits{Bytes: 100}, []read{{100, 1, true}, {1, 1, true}}, 1,
			"stopped after 100 bytes of interactions"},
		{"rows", WalkLimits{Rows: 1_000_000}, []read{{1, 600_000, true}, {1, 600_000, true}}, 1,
			"stopped after 1,000,000 rows of interactions of conversation X; narrow the range"},
		{"a huge last page is kept", WalkLimits{Rows: 10}, []read{{1, 50, false}}, -1, ""},
		{"defaults", WalkLimits{}, []read{{1 << 20, 100, true}, {1 << 20, 100, true}}, -1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := Listing{What: "interactions of conversation X", Limits: tc.lim}
			for i, r := range tc.reads {
				err := l.Read(link, r.size, r.rows, r.more)
				if (err != nil) != (i == tc.stopAt) {
					t.Fatalf("read %d: %v", i, err)
				}
				if err == nil {
					continue
				}
				var wl *WalkLimitError
				if !errors.Is(err, ErrWalkLimit) || !errors.As(err, &wl) || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("read %d: %v, want %q", i, err, tc.wantErr)
				}
				if wl.Endpoint != "https://x.test/p" || strings.Contains(err.Error(), "secret") {
					t.Fatalf("endpoint %q, error %q: the query must not be kept", wl.Endpoint, err)
				}
			}
		})
	}
}

func TestWalkLimitErrorText(t *testing.T) {
	tests := []struct {
		e    WalkLimitError
		want string
	}{
		{WalkLimitError{What: "interactions of conversation X", Unit: "pages", Limit: 10_000},
			"stopped after 10,000 pages of interactions of conversation X; narrow the range"},
		{WalkLimitError{Unit: "bytes", Limit: 1536, Advice: "retry"}, "stopped after 1.5 KB of a listing; retry"},
		{WalkLimitError{Unit: "bytes", Limit: 2 << 30}, "stopped after 2 GB of a listing; narrow the range"},
		{WalkLimitError{Unit: "rows", Limit: 999}, "stopped after 999 rows of a listing; narrow the range"},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestThousandsSeparators(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 10_000: "10,000", 1_234_567: "1,234,567", -1500: "-1,500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPagerGivesItsLimitsToNewListings(t *testing.T) {
	p := NewPager(10)
	p.What, p.Advice, p.Limits = "conversations of source mw", "narrow it", WalkLimits{Pages: 2}
	for _, l := range []*Listing{p.New(), p.Listing("k")} {
		if err := l.Read("https://x.test/p", 1, 1, true); err != nil {
			t.Fatal(err)
		}
		err := l.Read("https://x.test/p", 1, 1, true)
		if err == nil || err.Error() != "stopped after 2 pages of conversations of source mw; narrow it" {
			t.Fatalf("second page: %v", err)
		}
	}
	// A listing kept under a key goes on counting where it was.
	if err := p.Listing("k").Read("https://x.test/p", 1, 1, true); err == nil {
		t.Fatal("a kept listing forgot its count")
	}
}
