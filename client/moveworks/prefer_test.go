package moveworks

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
)

// TestPreferMaxPageSize pins the `Prefer: odata.maxpagesize=N` header: the query's page size
// wins, else the source's; with neither none is sent; a thread uses the source's. It is sent on
// every request of a call, retries included.
func TestPreferMaxPageSize(t *testing.T) {
	tests := []struct {
		name       string
		source     int // Config.PageSize
		query      int // Query.PageSize
		list, thr  string
		failFirstN int // 503s before the mock answers
	}{
		{"none", 0, 0, "", "", 0},
		{"source", 7, 0, "odata.maxpagesize=7", "odata.maxpagesize=7", 0},
		{"query wins", 7, 3, "odata.maxpagesize=3", "odata.maxpagesize=7", 0},
		{"query only", 0, 3, "odata.maxpagesize=3", "", 0},
		{"retried", 7, 3, "odata.maxpagesize=3", "odata.maxpagesize=7", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			got := map[string][]string{} // path -> Prefer of each request
			srv := newServer(t, mwPages5)
			srv.hook = func(w http.ResponseWriter, r *http.Request, n int) bool {
				mu.Lock()
				got[r.URL.Path] = append(got[r.URL.Path], r.Header.Get("Prefer"))
				mu.Unlock()
				if n <= tt.failFirstN {
					w.WriteHeader(http.StatusServiceUnavailable)
					return true
				}
				return false
			}
			s := newSource(t, srv.URL, func(c *Config) { c.PageSize = tt.source })
			ctx := context.Background()
			pg, err := s.Conversations(ctx, client.Query{PageSize: tt.query}, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Thread(ctx, pg.Conversations[0]); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for path, want := range map[string]string{
				mock.MoveworksRecordsPath + "/conversations": tt.list,
				mock.MoveworksRecordsPath + "/interactions":  tt.thr,
			} {
				reqs := got[path]
				if len(reqs) == 0 {
					t.Fatalf("no request to %s", path)
				}
				for i, p := range reqs {
					if p != want {
						t.Errorf("%s request %d: Prefer %q, want %q", path, i+1, p, want)
					}
				}
			}
			if tt.failFirstN > 0 && len(got[mock.MoveworksRecordsPath+"/conversations"]) < 2 {
				t.Errorf("the 503 was not retried: %v", got)
			}
		})
	}
}
