package merge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// base is the tests' fixed instant (no wall clock).
var base = time.Date(2026, 11, 21, 14, 0, 0, 0, time.UTC)

// rowsAt makes rows of source name started at base minus each offset in minutes, in the order
// given; ids are name-<offset>-<i>.
func rowsAt(name string, minutes ...int) []client.Conversation {
	out := make([]client.Conversation, len(minutes))
	for i, m := range minutes {
		out[i] = client.Conversation{Source: name, ID: fmt.Sprintf("%s-%d-%d", name, m, i), Started: base.Add(-time.Duration(m) * time.Minute)}
	}
	return out
}

// serveRows serves rows over HTTP on loopback, size a page: GET /?cursor=N&order=asc|desc
// returns {"rows":[…],"next":"…"}. The rows are listed in the order given for newest first,
// reversed for oldest first. fail, when set, answers 503 to the request for a cursor, each
// time (until cleared).
type served struct {
	srv   *httptest.Server
	rows  []client.Conversation
	size  int
	total bool

	mu    sync.Mutex
	fail  map[string]bool
	calls []string
	block chan struct{} // when set, a request waits for it (or its context)
}

func serveRows(t *testing.T, rows []client.Conversation, size int) *served {
	t.Helper()
	s := &served{rows: rows, size: size, fail: map[string]bool{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *served) handle(w http.ResponseWriter, r *http.Request) {
	cur, order := r.URL.Query().Get("cursor"), r.URL.Query().Get("order")
	s.mu.Lock()
	s.calls = append(s.calls, cur)
	fail, block := s.fail[cur], s.block
	s.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-r.Context().Done():
			return
		}
	}
	if fail {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	rows := slices.Clone(s.rows)
	if order == "asc" {
		slices.Reverse(rows)
	}
	from, _ := strconv.Atoi(cur)
	to := min(from+s.size, len(rows))
	body := map[string]any{"rows": rows[min(from, len(rows)):to]}
	if to < len(rows) {
		body["next"] = strconv.Itoa(to)
	}
	if s.total {
		body["total"] = len(rows)
	}
	_ = json.NewEncoder(w).Encode(body)
}

func (s *served) setFail(cursor string, on bool) {
	s.mu.Lock()
	s.fail[cursor] = on
	s.mu.Unlock()
}

func (s *served) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// httpSource is a client.Source reading a served list over real HTTP.
type httpSource struct {
	name, kind string
	srv        *served
	orders     bool
	lastQ      client.Query // the query of the latest page asked (tests read it after the call)
}

func (h *httpSource) Name() string { return h.name }
func (h *httpSource) Kind() string { return h.kind }
func (h *httpSource) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	if q.Filter != "" && q.Filter != "f:"+h.name {
		return client.Page{}, fmt.Errorf("unexpected filter %q", q.Filter)
	}
	h.lastQ = q
	order := "desc"
	if q.Order == client.OldestFirst {
		order = "asc"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.srv.URL+"/?cursor="+cursor+"&order="+order, nil)
	if err != nil {
		return client.Page{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return client.Page{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return client.Page{}, &client.APIError{Kind: client.ErrUnavailable, Status: resp.StatusCode}
	}
	var body struct {
		Rows  []client.Conversation `json:"rows"`
		Next  string                `json:"next"`
		Total *int                  `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return client.Page{}, err
	}
	p := client.Page{Conversations: body.Rows, Next: body.Next, Total: -1}
	if body.Total != nil {
		p.Total = *body.Total
	}
	return p, nil
}
func (h *httpSource) Thread(_ context.Context, c client.Conversation) ([]client.Interaction, error) {
	return []client.Interaction{{ID: h.name + "/" + c.ID, ConversationID: c.ID}}, nil
}
func (h *httpSource) Conversation(_ context.Context, id string) (client.Conversation, error) {
	for _, c := range h.srv.rows {
		if c.ID == id {
			return c, nil
		}
	}
	return client.Conversation{}, client.ErrNotFound
}
func (h *httpSource) FilterSpec() client.FilterSpec { return nil }
func (h *httpSource) Orders() bool                  { return h.orders }

func newHTTPSource(t *testing.T, name string, rows []client.Conversation, size int) *httpSource {
	return &httpSource{name: name, kind: "kind-" + name, srv: serveRows(t, rows, size), orders: true}
}

// walk reads every page of m, returning the rows and the number of pages.
func walk(t *testing.T, m *Source, q client.Query) ([]client.Conversation, int) {
	t.Helper()
	var out []client.Conversation
	cur := ""
	for pages := 1; ; pages++ {
		p, err := m.Conversations(context.Background(), q, cur)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if p.Progress != "" {
			t.Fatalf("page %d: progress %q", pages, p.Progress)
		}
		out = append(out, p.Conversations...)
		if p.Next == "" {
			return out, pages
		}
		if pages > 1000 {
			t.Fatal("no end")
		}
		cur = p.Next
	}
}

func ids(rows []client.Conversation) []string {
	out := make([]string, len(rows))
	for i, c := range rows {
		out[i] = c.Source + "/" + c.ID
	}
	return out
}

// want is the expected merge: all rows sorted by time in order, ties by source index (the
// order of srcs) then each source's own order.
func want(order client.Order, srcs ...[]client.Conversation) []string {
	type r struct {
		c   client.Conversation
		src int
	}
	var all []r
	for i, rows := range srcs {
		rows = slices.Clone(rows)
		if order == client.OldestFirst {
			slices.Reverse(rows)
		}
		for _, c := range rows {
			all = append(all, r{c, i})
		}
	}
	slices.SortStableFunc(all, func(a, b r) int {
		if !a.c.Started.Equal(b.c.Started) {
			if before(a.c.Started, b.c.Started, order) {
				return -1
			}
			return 1
		}
		return a.src - b.src
	})
	out := make([]string, len(all))
	for i, x := range all {
		out[i] = x.c.Source + "/" + x.c.ID
	}
	return out
}

// minutes returns n offsets from start, step apart.
func minutes(start, step, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = start + i*step
	}
	return out
}

func TestMergeOrder(t *testing.T) {
	tests := []struct {
		name     string
		a, b, c  []client.Conversation
		sizes    [3]int // server page sizes
		pageSize int    // merged page size
		order    client.Order
	}{
		{"interleaved newest first", rowsAt("a", minutes(0, 3, 40)...), rowsAt("b", minutes(1, 3, 40)...), rowsAt("c", minutes(2, 3, 40)...),
			[3]int{7, 11, 5}, 9, client.NewestFirst},
		{"interleaved oldest first", rowsAt("a", minutes(0, 3, 40)...), rowsAt("b", minutes(1, 3, 40)...), rowsAt("c", minutes(2, 3, 40)...),
			[3]int{7, 11, 5}, 9, client.OldestFirst},
		{"equal times", rowsAt("a", minutes(0, 5, 30)...), rowsAt("b", minutes(0, 5, 30)...), rowsAt("c", minutes(0, 10, 15)...),
			[3]int{4, 6, 3}, 10, client.NewestFirst},
		{"equal times within a source across pages", rowsAt("a", 0, 0, 0, 0, 0, 1, 1, 1, 1, 2), rowsAt("b", 0, 1, 1, 2, 2, 2), nil,
			[3]int{2, 3, 1}, 3, client.NewestFirst},
		{"one source empty", rowsAt("a", minutes(0, 2, 33)...), nil, rowsAt("c", minutes(1, 2, 33)...),
			[3]int{10, 10, 10}, 25, client.NewestFirst},
		{"all empty", nil, nil, nil, [3]int{10, 10, 10}, 25, client.NewestFirst},
		{"one source newer than all the others", rowsAt("a", minutes(1000, 1, 60)...), rowsAt("b", minutes(0, 1, 60)...), rowsAt("c", minutes(500, 1, 20)...),
			[3]int{13, 17, 3}, 50, client.NewestFirst},
		{"page size one", rowsAt("a", minutes(0, 2, 10)...), rowsAt("b", minutes(1, 2, 10)...), rowsAt("c", 5),
			[3]int{3, 3, 3}, 1, client.NewestFirst},
		{"default page size", rowsAt("a", minutes(0, 2, 130)...), rowsAt("b", minutes(1, 2, 120)...), nil,
			[3]int{100, 100, 100}, 0, client.NewestFirst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newHTTPSource(t, "a", tt.a, tt.sizes[0])
			b := newHTTPSource(t, "b", tt.b, tt.sizes[1])
			c := newHTTPSource(t, "c", tt.c, tt.sizes[2])
			m := New("All", a, b, c)
			q := client.Query{Order: tt.order, PageSize: tt.pageSize}
			got, pages := walk(t, m, q)
			if w := want(tt.order, tt.a, tt.b, tt.c); !slices.Equal(ids(got), w) {
				t.Fatalf("merged %d rows:\n%v\nwant %d:\n%v", len(got), ids(got), len(w), w)
			}
			// Lazily: each page asks each source at most once, and each source's page is
			// read once (the buffers are kept under the cursor).
			for _, s := range []*httpSource{a, b, c} {
				reqs := s.srv.requests()
				if len(reqs) > pages {
					t.Errorf("%s: %d requests for %d merged pages", s.name, len(reqs), pages)
				}
				if len(slices.Compact(slices.Clone(reqs))) != len(reqs) {
					t.Errorf("%s: a page read twice: %v", s.name, reqs)
				}
			}
		})
	}
}

// TestMergeResumesFromACursorNotRemembered: a cursor the merge does not remember (another
// Source, as after a restart) re-reads each buffered page and drops what was emitted.
func TestMergeResumesFromACursorNotRemembered(t *testing.T) {
	ra := rowsAt("a", 0, 2, 2, 2, 4, 6, 8, 10, 12, 14, 16)
	rb := rowsAt("b", 1, 2, 3, 5, 7, 9, 11, 13)
	rc := rowsAt("c", 2, 2, 2, 2)
	for _, size := range []int{1, 2, 3, 5, 100} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			srcs := []client.Source{newHTTPSource(t, "a", ra, 3), newHTTPSource(t, "b", rb, 4), newHTTPSource(t, "c", rc, 2)}
			var got []client.Conversation
			cur := ""
			for range 100 {
				m := New("All", srcs...) // a fresh merge each page: nothing remembered
				p, err := m.Conversations(context.Background(), client.Query{PageSize: size}, cur)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, p.Conversations...)
				if cur = p.Next; cur == "" {
					break
				}
			}
			if w := want(client.NewestFirst, ra, rb, rc); !slices.Equal(ids(got), w) {
				t.Fatalf("got  %v\nwant %v", ids(got), w)
			}
		})
	}
}

func TestMergeOneSourceFailing(t *testing.T) {
	ra, rb, rc := rowsAt("a", minutes(0, 3, 20)...), rowsAt("b", minutes(1, 3, 20)...), rowsAt("c", minutes(2, 3, 20)...)
	a, b, c := newHTTPSource(t, "a", ra, 5), newHTTPSource(t, "b", rb, 5), newHTTPSource(t, "c", rc, 5)
	m := New("All", a, b, c)
	ctx := context.Background()
	q := client.Query{PageSize: 6}

	b.srv.setFail("", true)
	p, err := m.Conversations(ctx, q, "")
	if err != nil {
		t.Fatalf("one source failing failed the page: %v", err)
	}
	if slices.ContainsFunc(p.Conversations, func(c client.Conversation) bool { return c.Source == "b" }) || len(p.Conversations) != 6 {
		t.Fatalf("page: %v", ids(p.Conversations))
	}
	if !strings.Contains(p.Progress, "b: ") || !strings.Contains(p.Progress, "retried") || strings.Contains(p.Progress, "\n") {
		t.Fatalf("progress %q does not name the failed source", p.Progress)
	}
	if p.Next == "" {
		t.Fatal("no next page: the failed source would be lost")
	}
	var got []client.Conversation
	got = append(got, p.Conversations...)
	// The next page asks b again; it has recovered.
	b.srv.setFail("", false)
	cur := p.Next
	for cur != "" {
		p, err = m.Conversations(ctx, q, cur)
		if err != nil {
			t.Fatal(err)
		}
		if p.Progress != "" {
			t.Fatalf("progress %q after recovery", p.Progress)
		}
		got = append(got, p.Conversations...)
		cur = p.Next
	}
	// Nothing lost, nothing twice (b's first rows come late: they are newer than rows
	// emitted while it was down).
	w := want(client.NewestFirst, ra, rb, rc)
	gotIDs := ids(got)
	if len(gotIDs) != len(w) || !sameSet(gotIDs, w) {
		t.Fatalf("got %d rows %v\nwant %d %v", len(gotIDs), gotIDs, len(w), w)
	}
	if n := len(b.srv.requests()); n < 2 || b.srv.requests()[0] != "" || b.srv.requests()[1] != "" {
		t.Fatalf("b's requests %v: want its first page retried", b.srv.requests())
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b) && len(slices.Compact(a)) == len(b)
}

// TestMergeEverySourceFailing: no row and a failure is an error naming each source, wrapping
// the vendors' errors; the same cursor works once they recover.
func TestMergeEverySourceFailing(t *testing.T) {
	a, b := newHTTPSource(t, "a", rowsAt("a", 0, 2, 4), 2), newHTTPSource(t, "b", rowsAt("b", 1, 3), 2)
	m := New("All", a, b)
	a.srv.setFail("", true)
	b.srv.setFail("", true)
	_, err := m.Conversations(context.Background(), client.Query{}, "")
	if err == nil || !errors.Is(err, client.ErrUnavailable) || !strings.Contains(err.Error(), "a: ") || !strings.Contains(err.Error(), "; b: ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err %v", err)
	}
	var se *SourceError
	if !errors.As(err, &se) {
		t.Fatalf("%T is no SourceError", err)
	}
	// A source failing after the others ended: an error too, and r (the same cursor) retries.
	a, b = newHTTPSource(t, "a", rowsAt("a", 0, 2), 10), newHTTPSource(t, "b", rowsAt("b", 1, 3, 5), 2)
	m = New("All", a, b)
	b.srv.setFail("2", true)
	p, err := m.Conversations(context.Background(), client.Query{PageSize: 10}, "")
	if err != nil || len(p.Conversations) != 4 || p.Next == "" {
		t.Fatalf("page %v next %q err %v", ids(p.Conversations), p.Next, err)
	}
	if _, err := m.Conversations(context.Background(), client.Query{PageSize: 10}, p.Next); !errors.Is(err, client.ErrUnavailable) {
		t.Fatalf("err %v, want b's failure", err)
	}
	b.srv.setFail("2", false)
	p, err = m.Conversations(context.Background(), client.Query{PageSize: 10}, p.Next)
	if err != nil || len(p.Conversations) != 1 || p.Next != "" {
		t.Fatalf("page %v next %q err %v", ids(p.Conversations), p.Next, err)
	}
}

func TestMergeCancellation(t *testing.T) {
	a, b := newHTTPSource(t, "a", rowsAt("a", 0, 2), 2), newHTTPSource(t, "b", rowsAt("b", 1, 3), 2)
	b.srv.block = make(chan struct{})
	defer close(b.srv.block)
	m := New("All", a, b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := m.Conversations(ctx, client.Query{}, "")
		done <- err
	}()
	for len(b.srv.requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Conversations did not return after cancel")
	}
}

func TestMergeTotalAndFilter(t *testing.T) {
	a, b := newHTTPSource(t, "a", rowsAt("a", 0, 2, 4), 2), newHTTPSource(t, "b", rowsAt("b", 1, 3), 5)
	m := New("All", a, b)
	ctx := context.Background()
	p, err := m.Conversations(ctx, client.Query{}, "")
	if err != nil || p.Total != -1 {
		t.Fatalf("total %d err %v: want -1 when the sources do not say", p.Total, err)
	}
	a.srv.total, b.srv.total = true, true
	if p, err = m.Conversations(ctx, client.Query{PageSize: 2}, ""); err != nil || p.Total != 5 {
		t.Fatalf("total %d err %v, want 5", p.Total, err)
	}
	if p, err = m.Conversations(ctx, client.Query{PageSize: 2}, p.Next); err != nil || p.Total != 5 {
		t.Fatalf("second page total %d err %v, want 5", p.Total, err)
	}
	b.srv.total = false
	if p, err = m.Conversations(ctx, client.Query{PageSize: 2}, ""); err != nil || p.Total != -1 {
		t.Fatalf("total %d err %v, want -1 (b does not say)", p.Total, err)
	}

	n := len(a.srv.requests())
	_, err = m.Conversations(ctx, client.Query{Filter: "domain eq 'IT'"}, "")
	var fe *client.FilterError
	if !errors.As(err, &fe) || !errors.Is(err, client.ErrBadFilter) || len(a.srv.requests()) != n {
		t.Fatalf("filter: err %v (%d requests)", err, len(a.srv.requests())-n)
	}
	spec := m.FilterSpec()
	if spec.Validate("") != nil || spec.Validate("x") == nil || len(spec.Fields()) != 0 {
		t.Fatal("the spec accepts a filter")
	}

	// A source's default filter and page size (WithDefaults) are sent when the merge asks
	// with none; a merged page size goes to every source.
	fa := WithDefaults(a, client.Query{Filter: "f:a", PageSize: 7})
	if _, err := New("All", fa, b).Conversations(ctx, client.Query{}, ""); err != nil || a.lastQ.PageSize != 7 || a.lastQ.Filter != "f:a" {
		t.Fatalf("defaults: %+v %v", a.lastQ, err)
	}
	if _, err := New("All", fa, b).Conversations(ctx, client.Query{PageSize: 3}, ""); err != nil || a.lastQ.PageSize != 3 || b.lastQ.PageSize != 3 {
		t.Fatalf("page size: %+v %+v %v", a.lastQ, b.lastQ, err)
	}
	if WithDefaults(a, client.Query{Filter: " "}) != client.Source(a) {
		t.Fatal("an empty filter wraps")
	}
}

func TestMergeDispatch(t *testing.T) {
	a := newHTTPSource(t, "a", rowsAt("a", 0, 2), 2)
	b := newHTTPSource(t, "b", rowsAt("b", 1, 3), 2)
	b.orders = false
	rows := rowsAt("b", 1)
	rows[0].Source = "" // a source that leaves it empty: the merge names it
	c := &httpSource{name: "c", kind: "kind-c", srv: serveRows(t, rowsAt("", 7), 5), orders: true}
	m := New("All", WithDefaults(a, client.Query{Filter: "f:a"}), b, c)
	ctx := context.Background()
	p, err := m.Conversations(ctx, client.Query{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range p.Conversations {
		if row.Source == "" {
			t.Fatalf("row %s has no source", row.ID)
		}
		th, err := m.Thread(ctx, row)
		if err != nil || len(th) != 1 || th[0].ID != row.Source+"/"+row.ID {
			t.Fatalf("thread of %s/%s: %v %v", row.Source, row.ID, th, err)
		}
	}
	if _, err := m.Thread(ctx, client.Conversation{Source: "zz", ID: "1"}); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("unknown source: %v", err)
	}
	if m.KindOf("b") != "kind-b" || m.KindOf("a") != "kind-a" || m.KindOf("zz") != "" || m.Kind() != "" || m.Name() != "All" {
		t.Fatal("kinds")
	}
	if m.Orders() || !New("All", a, c).Orders() || !New("All", WithDefaults(a, client.Query{Filter: "f:a"})).Orders() {
		t.Fatal("Orders: true only when every source lists both ways")
	}
	if sum, err := m.Summary(ctx, p.Conversations[0]); sum != "" || err != nil {
		t.Fatalf("summary of a source that is no Summarizer: %q %v", sum, err)
	}
	got, err := m.Conversation(ctx, "b:b-3-1")
	if err != nil || got.ID != "b-3-1" || got.Source != "b" {
		t.Fatalf("b:b-3-1: %+v %v", got, err)
	}
	if got, err = m.Conversation(ctx, "b-3-1"); err != nil || got.Source != "b" {
		t.Fatalf("b-3-1: %+v %v", got, err)
	}
	if _, err = m.Conversation(ctx, "nope"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("nope: %v", err)
	}
}

func TestMergeBadCursor(t *testing.T) {
	a := newHTTPSource(t, "a", rowsAt("a", 0, 2, 4), 1)
	b := newHTTPSource(t, "b", rowsAt("b", 0, 2, 4), 1)
	p, err := New("All", a, b).Conversations(context.Background(), client.Query{PageSize: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, cur := range []string{"!!", "e30", p.Next} {
		m := New("Other", b, a) // other sources: the cursor is refused
		if cur == "e30" {
			m = New("All", a, b)
		}
		if _, err := m.Conversations(context.Background(), client.Query{}, cur); !errors.Is(err, client.ErrBadResponse) || !strings.Contains(err.Error(), "refresh") {
			t.Fatalf("cursor %q: %v", cur, err)
		}
	}
	if len(p.Next) > 200 {
		t.Fatalf("cursor of %d bytes", len(p.Next))
	}
}
