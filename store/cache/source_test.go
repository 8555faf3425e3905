package cache

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// sourceFixture stores, in three sources, conversations with equal start times across
// and within sources, and some without a start time; it returns them all.
func sourceFixture(t *testing.T) (*Store, []client.Conversation) {
	t.Helper()
	s := open(t)
	var all []client.Conversation
	for si, src := range []string{"mw", "td", "od"} {
		var cs []client.Conversation
		for i := range 23 {
			started := day(1).Add(time.Duration(i/3) * time.Hour) // three at each time
			if i%7 == 6 {
				started = time.Time{}
			}
			id := fmt.Sprintf("%s-%02d", src, (i*7+si)%23)
			c := conv(src, id, started, "summary "+id)
			c.Source = src
			cs = append(cs, c)
		}
		if err := s.PutConversations(ctx, src, cs); err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	return s, all
}

// listOrder sorts cs as a Source lists them.
func listOrder(cs []client.Conversation, order client.Order) []client.Conversation {
	out := slices.Clone(cs)
	slices.SortFunc(out, func(a, b client.Conversation) int {
		an, bn := a.Started.IsZero(), b.Started.IsZero()
		c := 0
		switch {
		case an && !bn:
			c = -1 // null first in ascending order
		case !an && bn:
			c = 1
		default:
			c = cmp.Or(a.Started.Compare(b.Started), strings.Compare(a.Source, b.Source), strings.Compare(a.ID, b.ID))
		}
		if order == client.NewestFirst {
			return -c
		}
		return c
	})
	return out
}

func keys(cs []client.Conversation) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Source+"/"+c.ID)
	}
	return out
}

// pageAll reads every page of q, checking each page's size and total.
func pageAll(t *testing.T, src *Source, q client.Query, wantTotal int) []client.Conversation {
	t.Helper()
	var out []client.Conversation
	cur := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		p, err := src.Conversations(ctx, q, cur)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != wantTotal {
			t.Fatalf("page %d: total %d, want %d", pages, p.Total, wantTotal)
		}
		if p.Next != "" && len(p.Conversations) != q.PageSize {
			t.Fatalf("page %d: %d rows, want %d", pages, len(p.Conversations), q.PageSize)
		}
		if len(p.Conversations) > q.PageSize {
			t.Fatalf("page %d: %d rows > page size %d", pages, len(p.Conversations), q.PageSize)
		}
		out = append(out, p.Conversations...)
		if p.Next == "" {
			return out
		}
		cur = p.Next
	}
}

func TestSourcePaging(t *testing.T) {
	s, all := sourceFixture(t)
	of := func(srcs ...string) []client.Conversation {
		var out []client.Conversation
		for _, c := range all {
			if slices.Contains(srcs, c.Source) {
				out = append(out, c)
			}
		}
		return out
	}
	inWindow := func(cs []client.Conversation, since, until time.Time) []client.Conversation {
		var out []client.Conversation
		for _, c := range cs {
			if c.Started.IsZero() || (!since.IsZero() && c.Started.Before(since)) || (!until.IsZero() && !c.Started.Before(until)) {
				continue
			}
			out = append(out, c)
		}
		return out
	}
	since, until := day(1).Add(2*time.Hour), day(1).Add(5*time.Hour)
	for _, tc := range []struct {
		name         string
		src          *Source
		since, until time.Time
		want         []client.Conversation
	}{
		{"one source", NewSource(s, "td", "talkdesk"), time.Time{}, time.Time{}, of("td")},
		{"named apart from its stored name", NewSource(s, "Talkdesk EU", "talkdesk", "td"), time.Time{}, time.Time{}, of("td")},
		{"all tab", NewSource(s, "All", "", "mw", "td", "od"), time.Time{}, time.Time{}, all},
		{"two of three", NewSource(s, "All", "", "od", "mw"), time.Time{}, time.Time{}, of("mw", "od")},
		{"window one source", NewSource(s, "mw", "moveworks"), since, until, inWindow(of("mw"), since, until)},
		{"window all", NewSource(s, "All", "", "mw", "td", "od"), since, until, inWindow(all, since, until)},
		{"since only", NewSource(s, "All", "", "mw", "td", "od"), since, time.Time{}, inWindow(all, since, time.Time{})},
		{"until only", NewSource(s, "od", "opendialog"), time.Time{}, until, inWindow(of("od"), time.Time{}, until)},
		{"empty window", NewSource(s, "od", "opendialog"), until, since, nil},
		{"nothing stored", NewSource(s, "none", "moveworks"), time.Time{}, time.Time{}, nil},
	} {
		for _, order := range []client.Order{client.NewestFirst, client.OldestFirst} {
			for _, size := range []int{1, 2, 5, 7, 100} {
				t.Run(fmt.Sprintf("%s/%v/%d", tc.name, order, size), func(t *testing.T) {
					q := client.Query{Since: tc.since, Until: tc.until, Order: order, PageSize: size}
					got := pageAll(t, tc.src, q, len(tc.want))
					want := listOrder(tc.want, order)
					if !slices.Equal(keys(got), keys(want)) {
						t.Fatalf("rows:\n got %v\nwant %v", keys(got), keys(want))
					}
					for i := range got {
						if got[i].Source == "" || got[i].Summary != want[i].Summary || !got[i].Started.Equal(want[i].Started) {
							t.Errorf("row %d: %+v, want %+v", i, got[i], want[i])
						}
					}
				})
			}
		}
	}
}

func TestSourcePageSize(t *testing.T) {
	s := open(t)
	var cs []client.Conversation
	for i := range 250 {
		cs = append(cs, conv("mw", fmt.Sprintf("c%03d", i), day(1).Add(time.Duration(i)*time.Minute), ""))
	}
	if err := s.PutConversations(ctx, "mw", cs); err != nil {
		t.Fatal(err)
	}
	src := NewSource(s, "mw", "moveworks")
	for _, tc := range []struct{ size, want int }{{0, DefaultPageSize}, {-3, DefaultPageSize}, {1, 1}, {50, 50}, {249, 249}, {250, 250}, {1000, 250}} {
		p, err := src.Conversations(ctx, client.Query{PageSize: tc.size}, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Conversations) != tc.want || p.Total != 250 || (p.Next == "") != (tc.want == 250) {
			t.Errorf("PageSize %d: %d rows, total %d, next %q; want %d rows", tc.size, len(p.Conversations), p.Total, p.Next, tc.want)
		}
	}
}

// TestSourceInsertBetweenPages: rows stored between two pages do not repeat or shift the
// rows after the cursor.
func TestSourceInsertBetweenPages(t *testing.T) {
	s := open(t)
	var cs []client.Conversation
	for i := range 10 {
		cs = append(cs, conv("mw", fmt.Sprintf("c%d", i), day(1+i), ""))
	}
	s.PutConversations(ctx, "mw", cs)
	src := NewSource(s, "mw", "moveworks")
	p1, err := src.Conversations(ctx, client.Query{PageSize: 4}, "")
	if err != nil {
		t.Fatal(err)
	}
	// A newer row arrives (a background refresh).
	s.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "new", day(20), "")})
	p2, err := src.Conversations(ctx, client.Query{PageSize: 4}, p1.Next)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(append(p1.Conversations, p2.Conversations...)); !slices.Equal(got, []string{"mw/c9", "mw/c8", "mw/c7", "mw/c6", "mw/c5", "mw/c4", "mw/c3", "mw/c2"}) {
		t.Errorf("pages: %v", got)
	}
	if p2.Total != 11 {
		t.Errorf("total %d after a row was stored, want 11", p2.Total)
	}
}

func TestSourceErrors(t *testing.T) {
	s, _ := sourceFixture(t)
	src := NewSource(s, "Talkdesk", "talkdesk", "td")
	if src.Name() != "Talkdesk" || src.Kind() != "talkdesk" {
		t.Errorf("Name, Kind = %q, %q", src.Name(), src.Kind())
	}
	_, err := src.Conversations(ctx, client.Query{Filter: "status=open"}, "")
	if !errors.Is(err, ErrFilterOffline) || !strings.Contains(err.Error(), "quick filter") {
		t.Errorf("filter: %v", err)
	}
	spec := src.FilterSpec()
	if err := spec.Validate(""); err != nil {
		t.Errorf("Validate empty: %v", err)
	}
	var fe *client.FilterError
	if err := spec.Validate("status=open"); !errors.As(err, &fe) || !errors.Is(err, client.ErrBadFilter) {
		t.Errorf("Validate: %v", err)
	}
	if c := spec.Complete("abc", 99); c.From != 3 || c.To != 3 || len(c.Candidates) != 0 {
		t.Errorf("Complete: %+v", c)
	}
	for _, cur := range []string{"x", "k1.", "k1.!!!", "k1." + strings.Repeat("A", 1000), "k1.bnVsbA", "k1.e30"} {
		p, err := src.Conversations(ctx, client.Query{}, cur)
		if cur == "k1.bnVsbA" || cur == "k1.e30" {
			// Well-formed (null, {}): read as a key (time 0, no source), not an error; no panic.
			if err != nil {
				t.Errorf("cursor %q: %v", cur, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "cursor") || len(p.Conversations) != 0 {
			t.Errorf("cursor %q: %d rows, %v", cur, len(p.Conversations), err)
		}
	}
}

func TestSourceConversationAndThread(t *testing.T) {
	s, _ := sourceFixture(t)
	if err := s.PutThread(ctx, "td", "td-03", thread(3, "td-03")); err != nil {
		t.Fatal(err)
	}
	hostile := []string{"", "'", `"; DROP TABLE conversations; --`, "td-03' OR '1'='1", "%", "_", "td-0%", "\x00", "\x1b[31m", strings.Repeat("é", 5000)}
	all := NewSource(s, "All", "", "mw", "td", "od")
	one := NewSource(s, "td", "talkdesk")
	for _, src := range []*Source{all, one} {
		c, err := src.Conversation(ctx, "td-03")
		if err != nil || c.Source != "td" || c.ID != "td-03" {
			t.Errorf("%s: Conversation = %+v, %v", src.Name(), c, err)
		}
		items, err := src.Thread(ctx, c)
		if err != nil || len(items) != 3 || items[0].Text != "message 0" {
			t.Errorf("%s: Thread = %v, %v", src.Name(), items, err)
		}
		// Without its Source set, the thread is still found among the covered sources.
		if items, err := src.Thread(ctx, client.Conversation{ID: "td-03"}); err != nil || len(items) != 3 {
			t.Errorf("%s: Thread without Source = %v, %v", src.Name(), items, err)
		}
		if _, err := src.Thread(ctx, client.Conversation{Source: "td", ID: "td-04"}); !errors.Is(err, ErrNotStored) || !strings.Contains(err.Error(), "confab sync --threads") {
			t.Errorf("%s: unstored thread: %v", src.Name(), err)
		}
		for _, id := range hostile {
			if _, err := src.Conversation(ctx, id); !errors.Is(err, client.ErrNotFound) {
				t.Errorf("%s: Conversation(%q): %v", src.Name(), id, err)
			} else if strings.ContainsAny(err.Error(), "\x00\x1b") {
				t.Errorf("%s: Conversation(%q): control bytes in %q", src.Name(), id, err)
			}
			if _, err := src.Thread(ctx, client.Conversation{Source: "td", ID: id}); !errors.Is(err, ErrNotStored) {
				t.Errorf("%s: Thread(%q): %v", src.Name(), id, err)
			}
		}
	}
	// A covered source only: mw's conversation is not found through td's Source.
	if _, err := one.Conversation(ctx, "mw-00"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("other source's conversation: %v", err)
	}
	if n, _ := s.Count(ctx); n != 69 {
		t.Errorf("store changed by hostile ids: %d rows", n)
	}
}

// TestSummaryFromThread: a conversation without a vendor summary shows its stored thread's
// first user message; the vendor's summary wins when it has one.
func TestSummaryFromThread(t *testing.T) {
	s := open(t)
	summary := func(id string) string {
		t.Helper()
		c, ok, err := s.Conversation(ctx, "mw", id)
		if err != nil || !ok {
			t.Fatalf("Conversation(%s) = %v, %v", id, ok, err)
		}
		// The list reads the same.
		p, err := NewSource(s, "mw", "moveworks").Conversations(ctx, client.Query{PageSize: 1000}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Conversations {
			if r.ID == id && r.Summary != c.Summary {
				t.Errorf("list summary %q, Conversation %q", r.Summary, c.Summary)
			}
		}
		return c.Summary
	}
	msg := func(id string, actor client.Actor, text string) client.Interaction {
		return client.Interaction{ID: id, Actor: actor, Text: text, Time: day(1)}
	}
	put := func(c client.Conversation) {
		t.Helper()
		if err := s.PutConversations(ctx, "mw", []client.Conversation{c}); err != nil {
			t.Fatal(err)
		}
	}
	putThread := func(id string, items ...client.Interaction) {
		t.Helper()
		if err := s.PutThread(ctx, "mw", id, items); err != nil {
			t.Fatal(err)
		}
	}
	long := strings.Repeat("é", 1500)
	steps := []struct {
		name string
		do   func()
		id   string
		want string
	}{
		{"no thread, no summary", func() { put(conv("mw", "a", day(1), "")) }, "a", ""},
		{"thread: first user message with text", func() {
			putThread("a", msg("1", client.ActorBot, "Hi, how can I help?"), msg("2", client.ActorUser, "  \n "),
				msg("3", client.ActorUser, "  eduroam is down\n"), msg("4", client.ActorUser, "later"))
		}, "a", "eduroam is down"},
		{"vendor record without a summary keeps it", func() { put(conv("mw", "a", day(1), "")) }, "a", "eduroam is down"},
		{"vendor summary wins", func() { put(conv("mw", "a", day(1), "IT · DM")) }, "a", "IT · DM"},
		{"vendor summary gone again", func() { put(conv("mw", "a", day(1), "")) }, "a", "eduroam is down"},
		{"re-put thread changes it", func() { putThread("a", msg("9", client.ActorUser, "printer jam")) }, "a", "printer jam"},
		{"thread without user text", func() { putThread("a", msg("1", client.ActorBot, "bot only")) }, "a", ""},
		{"empty thread", func() { putThread("a", msg("9", client.ActorUser, "x")); putThread("a") }, "a", ""},
		{"thread stored before its conversation", func() {
			putThread("b", msg("1", client.ActorUser, "vpn drops"))
			put(conv("mw", "b", day(2), ""))
		}, "b", "vpn drops"},
		{"long message cut", func() { putThread("b", msg("1", client.ActorUser, long)) }, "b", long[:2000]},
		{"a summary fetched alone, none stored", func() {
			put(conv("mw", "d", day(4), ""))
			if err := s.PutSummary(ctx, "mw", "d", "  my laptop is on fire \n"); err != nil {
				t.Fatal(err)
			}
		}, "d", "my laptop is on fire"},
		{"a summary fetched alone does not replace the thread's", func() {
			putThread("d", msg("1", client.ActorUser, "from the thread"))
			if err := s.PutSummary(ctx, "mw", "d", "fetched"); err != nil {
				t.Fatal(err)
			}
		}, "d", "from the thread"},
		{"a summary for a conversation not stored is dropped", func() {
			if err := s.PutSummary(ctx, "mw", "zz", "nobody"); err != nil {
				t.Fatal(err)
			}
			put(conv("mw", "zz", day(5), ""))
		}, "zz", ""},
		{"another source's thread is not it", func() {
			put(conv("mw", "c", day(3), ""))
			if err := s.PutThread(ctx, "td", "c", []client.Interaction{msg("1", client.ActorUser, "other source")}); err != nil {
				t.Fatal(err)
			}
		}, "c", ""},
	}
	for _, st := range steps {
		st.do()
		if got := summary(st.id); got != st.want {
			t.Errorf("%s: summary %q, want %q", st.name, got, st.want)
		}
	}
}

// TestSourceTotals: Page.Total is the exact count of the window's rows, through inserts,
// moves in time, deletes and windows of every shape (whole days, parts of days, before
// 1970, open ends).
func TestSourceTotals(t *testing.T) {
	s := open(t)
	r := rand.New(rand.NewPCG(3, 4))
	mid := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	stamps := []time.Time{
		{}, mid, mid.Add(-time.Nanosecond), mid.Add(24 * time.Hour), time.Unix(0, 0).UTC(), time.Unix(0, -1).UTC(),
		time.Unix(-86400, 0).UTC(), time.Unix(-86400, 1).UTC(), time.Unix(-86401, 0).UTC(),
	}
	randTime := func() time.Time {
		if r.IntN(3) == 0 {
			return stamps[r.IntN(len(stamps))]
		}
		return mid.Add(time.Duration(r.Int64N(int64(40*24*time.Hour))) - 20*24*time.Hour)
	}
	stored := map[[2]string]time.Time{}
	sources := []string{"mw", "td", "od"}
	check := func(step string) {
		t.Helper()
		for range 40 {
			var q client.Query
			if r.IntN(4) > 0 {
				q.Since = randTime()
			}
			if r.IntN(4) > 0 {
				q.Until = randTime()
			}
			if r.IntN(5) == 0 && !q.Since.IsZero() {
				q.Until = q.Since.Add(time.Duration(r.IntN(3)) * 24 * time.Hour) // whole days
			}
			srcs := sources[:1+r.IntN(3)]
			want := 0
			for k, st := range stored {
				if !slices.Contains(srcs, k[0]) {
					continue
				}
				windowed := !q.Since.IsZero() || !q.Until.IsZero()
				if st.IsZero() && windowed || !q.Since.IsZero() && st.Before(q.Since) || !q.Until.IsZero() && !st.Before(q.Until) {
					continue
				}
				want++
			}
			p, err := NewSource(s, "x", "", srcs...).Conversations(ctx, q, "")
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != want {
				t.Fatalf("%s: %v since %v until %v: total %d, want %d", step, srcs, q.Since, q.Until, p.Total, want)
			}
		}
	}
	for round := range 5 {
		var cs []client.Conversation
		src := sources[round%3]
		for range 80 {
			c := conv(src, fmt.Sprint("c", r.IntN(120)), randTime(), "")
			cs = append(cs, c)
			stored[[2]string{src, c.ID}] = c.Started
		}
		if err := s.PutConversations(ctx, src, cs); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("round %d", round))
	}
	if err := s.Clear(ctx, "td"); err != nil {
		t.Fatal(err)
	}
	for k := range stored {
		if k[0] == "td" {
			delete(stored, k)
		}
	}
	check("after clearing td")
}

// TestSourceMemoryFlat: the Go memory a page costs does not grow with the rows stored (the
// list holds a page, not every row). BenchmarkSourceMemory measures it at 1M rows.
func TestSourceMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 9,000 rows")
	}
	perPage := func(rows int) float64 {
		s := open(t)
		if err := fillBench(s, rows); err != nil {
			t.Fatal(err)
		}
		src := NewSource(s, "All", "", "moveworks", "talkdesk", "opendialog")
		pages := func() {
			cur := ""
			for range 3 {
				p, err := src.Conversations(ctx, client.Query{}, cur)
				if err != nil || len(p.Conversations) != DefaultPageSize || p.Total != rows {
					t.Fatal(len(p.Conversations), p.Total, err)
				}
				cur = p.Next
			}
		}
		pages()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 5 {
			pages()
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / 15
	}
	small, large := perPage(1000), perPage(8000)
	t.Logf("bytes allocated per page: %.0f at 1,000 rows, %.0f at 8,000", small, large)
	if large > small*1.2 {
		t.Errorf("a page costs %.0f B at 8,000 rows, %.0f B at 1,000: memory grows with the rows stored", large, small)
	}
}
