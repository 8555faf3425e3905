package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/store/config"
)

// TestListDeeplyNestedPage: when the third page of `confab list` nests 5,000,000 arrays in
// a record, the rows of the first two pages are printed, then one line says which endpoint
// sent JSON nested too deep and what to do; nothing crashes and nothing is retried.
func TestListDeeplyNestedPage(t *testing.T) {
	const pageSize = 50
	deep := `{"value":[{"id":"x","detail":{"x":` + strings.Repeat("[", 5_000_000) + strings.Repeat("]", 5_000_000) + `}}]}`
	var lists atomic.Int64
	var proxy *httptest.Server
	h := mockHarness(t, mock.Options{Seed: 7}, pageSize, func(s *config.Source) {
		if s.Name != "mw" {
			return
		}
		target, err := url.Parse(s.BaseURL)
		if err != nil {
			t.Fatal(err)
		}
		rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
		proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/conversations") && lists.Add(1) == 3 {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(deep))
				return
			}
			rp.ServeHTTP(w, r)
		}))
		t.Cleanup(proxy.Close)
		s.BaseURL = proxy.URL + target.Path
	})
	r, _ := h.runFast("--config", h.config, "list", "mw", "--since", "30d", "--limit", "500", "--format", "ndjson")
	r.want(t, 1, "from "+proxy.URL+mock.MoveworksRecordsPath+"/conversations", "JSON nested deeper than 512 levels at byte ",
		"report it to the vendor")
	if got := len(ndjsonIDs(t, r.stdout)); got != 2*pageSize {
		t.Fatalf("%d rows printed before the error, want the first two pages' %d", got, 2*pageSize)
	}
	if lists.Load() != 3 {
		t.Fatalf("%d listing requests, want 3: a body nested too deep is not retried", lists.Load())
	}
}
