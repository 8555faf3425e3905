package moveworks

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
)

// deepArrays is n nested arrays; cut leaves out the closing half.
func deepArrays(n int, cut bool) string {
	if cut {
		return strings.Repeat("[", n)
	}
	return strings.Repeat("[", n) + strings.Repeat("]", n)
}

// deepObjects is {"a":{"a":…1…}} n levels deep.
func deepObjects(n int) string {
	return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)
}

// serveBody makes srv answer every request on path with a 200 JSON body.
func serveBody(srv *server, path, body string) {
	srv.hook = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		if !strings.HasSuffix(r.URL.Path, path) {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
		return true
	}
}

// requireDepthError checks err is the typed refusal of a body nested too deep from endpoint.
func requireDepthError(t *testing.T, err error, endpoint string) {
	t.Helper()
	var ae *client.APIError
	var de *client.DepthError
	if !errors.Is(err, client.ErrBadResponse) || !errors.As(err, &ae) || !errors.As(err, &de) {
		t.Fatalf("err = %v, want an ErrBadResponse for JSON nested too deep", err)
	}
	if ae.Endpoint != endpoint || de.Limit != client.MaxDepth ||
		!strings.Contains(err.Error(), "from "+endpoint+": JSON nested deeper than 512 levels at byte ") {
		t.Fatalf("err = %v (endpoint %q), want it to name %s and the limit", err, ae.Endpoint, endpoint)
	}
}

// TestDeeplyNestedBodies: a body nesting millions of levels inside a field the reader skips
// is refused with a typed error naming the endpoint, at once (no retry), without a crash.
func TestDeeplyNestedBodies(t *testing.T) {
	const levels = 5_000_000
	rec := `{"id":"i1","conversation_id":"c1","actor":"USER","type":"INTERACTION_TYPE_FREE_TEXT","created_time":"2026-01-01T00:00:00.000Z","detail":`
	tests := []struct {
		name, path, body string
		call             func(s *Source) error
	}{
		{"arrays in an interaction's detail", "/interactions",
			`{"value":[` + rec + `{"content":"hi","extra":` + deepArrays(levels, false) + `}}]}`,
			func(s *Source) error {
				_, err := s.Thread(context.Background(), client.Conversation{ID: "c1"})
				return err
			}},
		{"arrays as an interaction's detail", "/interactions",
			`{"value":[` + rec + deepArrays(levels, false) + `}]}`,
			func(s *Source) error {
				_, err := s.Thread(context.Background(), client.Conversation{ID: "c1"})
				return err
			}},
		{"objects in a conversation's detail", "/conversations",
			`{"value":[{"id":"c1","detail":{"x":` + deepObjects(levels/5) + `}}]}`,
			func(s *Source) error { _, err := s.Conversations(context.Background(), client.Query{}, ""); return err }},
		{"a nested body cut short", "/conversations",
			`{"value":[{"id":"c1","detail":{"x":` + deepArrays(levels, true),
			func(s *Source) error { _, err := s.Conversation(context.Background(), "c1"); return err }},
		{"an unknown top-level member", "/conversations",
			`{"@odata.context":` + deepArrays(levels, false) + `,"value":[]}`,
			func(s *Source) error { _, err := s.Conversations(context.Background(), client.Query{}, ""); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, mw)
			serveBody(srv, tt.path, tt.body)
			s := newSource(t, srv.URL, nil)
			requireDepthError(t, tt.call(s), s.base+tt.path)
			if n := srv.hitsOn(mock.MoveworksRecordsPath + tt.path); n != 1 {
				t.Fatalf("%d requests, want 1: a body nested too deep is not transient", n)
			}
		})
	}
}

// TestDeepPageKeepsEarlierPages: when the third page of a listing is nested too deep, the
// first two pages have been returned and the third is a typed error.
func TestDeepPageKeepsEarlierPages(t *testing.T) {
	srv := newServer(t, mw)
	srv.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n != 3 {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"value":[{"id":"x","detail":` + deepArrays(1_000_000, false) + `}]}`))
		return true
	}
	s := newSource(t, srv.URL, nil)
	var rows []client.Conversation
	cursor := ""
	var err error
	for range 10 {
		var p client.Page
		p, err = s.Conversations(context.Background(), client.Query{}, cursor)
		if err != nil {
			break
		}
		rows = append(rows, p.Conversations...)
		cursor = p.Next
	}
	requireDepthError(t, err, s.base+"/conversations")
	if len(rows) != 200 {
		t.Fatalf("%d rows before the error, want the first two pages' 200", len(rows))
	}
}

// TestDeepBodyMemory: refusing 1,000,000 nested arrays inside a record costs about the body
// (the recursive skip took 415 MB for it, and overflowed the stack at 5,000,000).
func TestDeepBodyMemory(t *testing.T) {
	body := `{"value":[{"id":"i1","detail":{"x":` + deepArrays(1_000_000, false) + `}}]}`
	srv := newServer(t, mw)
	serveBody(srv, "/interactions", body)
	s := newSource(t, srv.URL, nil)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := s.Thread(context.Background(), client.Conversation{ID: "c1"})
	runtime.ReadMemStats(&after)
	requireDepthError(t, err, s.base+"/interactions")
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(8*len(body)); got > limit {
		t.Fatalf("allocated %d MB refusing a %d MB body, want at most %d MB", got>>20, len(body)>>20, limit>>20)
	}
}

// FuzzDecodePages feeds both page readers what client.HTTP hands them: they must not panic,
// and a body nested too deep is refused with a DepthError before they run.
func FuzzDecodePages(f *testing.F) {
	rec := `{"id":"i1","conversation_id":"c1","actor":"USER","type":"INTERACTION_TYPE_FREE_TEXT","created_time":"2026-01-01T00:00:00.000Z","detail":{"content":"hi","x":`
	for _, s := range []string{
		`{"value":[]}`,
		`{"@odata.count":1,"value":[` + rec + `1}}],"@odata.nextLink":"https://x/y"}`,
		`{"value":[` + rec + deepArrays(600, false) + `}}]}`,
		`{"value":[` + rec + deepArrays(100, false) + `}}]}`,
		`{"value":[` + rec + deepArrays(600, true),
		`{"value":[` + rec + deepObjects(600) + `}}]}`,
		`{"value":[` + rec + deepObjects(50),
		`{"value":[{"id":"c","detail":{"content":"a\"[[[","file_types":[["x"]]}}]}`,
		`{"value":[{"id":"c","detail":{"detail":[[[[{"a":[]}]]]]}}]}`,
		`[[[[[[`, `{"value":[{`, `{"value":[{"id":"\`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		deep := client.CheckDepth(b, client.MaxDepth)
		var ip interactionsPage
		ierr := ip.UnmarshalJSON(b)
		var cp conversationsPage
		cerr := cp.UnmarshalJSON(b)
		var de *client.DepthError
		for _, err := range []error{ierr, cerr} {
			if (deep != nil) != errors.As(err, &de) {
				t.Fatalf("CheckDepth = %v but the reader said %v", deep, err)
			}
		}
	})
}
