package tui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
)

// TestDeeplyNestedLaterPage: a real Moveworks source whose third page nests 5,000,000
// arrays in a record's detail: the pane keeps the first two pages and shows the refusal and
// its hint.
func TestDeeplyNestedLaterPage(t *testing.T) {
	m := mock.NewMoveworks(mock.Options{Seed: 11, End: fixedNow, Days: 7, PageSize: 25})
	deep := `{"value":[{"id":"x","detail":{"x":` + strings.Repeat("[", 5_000_000) + strings.Repeat("]", 5_000_000) + `}}]}`
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/conversations") && n.Add(1) == 3 {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(deep))
			return
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	src, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: srv.URL + mock.MoveworksRecordsPath, Secret: m.APIKey,
		HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	a := start(t, newTestApp(t, testDeps(Tab{Name: "mw", Kind: moveworks.Kind, Source: src})))
	update(t, a, press("G"))
	if got := a.panes[0].Len(); got != 50 {
		t.Fatalf("%d rows loaded, want the first two pages (50)", got)
	}
	requireFrame(t, a)
	// The error line (cut to the list's width) and the hint saying a retry will not help.
	requireContains(t, a, "⚠ unreadable response (HTTP 200) from http://127.0.0", "report it to the vendor")
	if n.Load() != 3 {
		t.Fatalf("%d listing requests, want 3 (the refusal is not retried)", n.Load())
	}
}
