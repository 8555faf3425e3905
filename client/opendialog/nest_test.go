package opendialog_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/opendialog"
)

// deepSource is the mock behind a server that answers its nth request (1-based; 0: none)
// with the mock's body edited by edit; it counts requests.
func deepSource(t *testing.T, n int64, edit func([]byte) []byte) (*opendialog.Source, *atomic.Int64, string) {
	t.Helper()
	m := mock.NewOpenDialog(mock.Options{Seed: 7, End: corpusEnd, Days: 14})
	var count atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) != n {
			m.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(edit(rec.Body.Bytes()))
	}))
	t.Cleanup(srv.Close)
	s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: srv.URL + mock.OpenDialogBasePath, Token: m.Token,
		Window: 6 * time.Hour, Now: func() time.Time { return corpusEnd.Add(time.Hour) },
		HTTP: client.HTTPOptions{MaxRetries: 2, BaseBackoff: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return s, &count, srv.URL + mock.OpenDialogPath
}

// pages lists q page by page, calling after with the request count after each page, until
// the end or an error.
func pages(s client.Source, q client.Query, after func()) ([]client.Conversation, error) {
	var rows []client.Conversation
	cursor := ""
	for range 1000 {
		p, err := s.Conversations(context.Background(), q, cursor)
		if err != nil {
			return rows, err
		}
		rows = append(rows, p.Conversations...)
		after()
		if p.Next == "" {
			return rows, nil
		}
		cursor = p.Next
	}
	return rows, errors.New("paging never ends")
}

// TestDeeplyNestedBody: a response nested millions of levels deep inside an interaction is a
// typed error naming the endpoint, sent once; the pages listed before it stay listed.
func TestDeeplyNestedBody(t *testing.T) {
	deep := strings.Repeat("[", 5_000_000) + strings.Repeat("]", 5_000_000)
	tests := []struct {
		name string
		edit func([]byte) []byte
	}{
		{"arrays in an interaction's text", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"text":`), []byte(`"text":`+deep+`,"was_text":`), 1)
		}},
		{"objects in an interaction's data", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"data":{`), []byte(`"data":{"x":`+strings.Repeat(`{"a":`, 1_000_000)+"1"+strings.Repeat("}", 1_000_000)+`,`), 1)
		}},
		{"a nested body cut short", func(b []byte) []byte {
			i := bytes.Index(b, []byte(`"interactions":`))
			return append(b[:i:i], strings.Repeat("[", 1_000_000)...)
		}},
	}
	q := client.Query{Since: corpusEnd.Add(-3 * 24 * time.Hour), Until: corpusEnd}
	// The requests each page takes, from an undisturbed listing.
	s, count, _ := deepSource(t, 0, nil)
	var after []int64
	all, err := pages(s, q, func() { after = append(after, count.Load()) })
	if err != nil || len(after) < 4 {
		t.Fatalf("%d pages, %v; want at least 4", len(after), err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Disturb the first request of the third page.
			s, count, endpoint := deepSource(t, after[1]+1, tt.edit)
			var done []int64
			rows, err := pages(s, q, func() { done = append(done, count.Load()) })
			var ae *client.APIError
			var de *client.DepthError
			if !errors.Is(err, client.ErrBadResponse) || !errors.As(err, &ae) || !errors.As(err, &de) ||
				ae.Endpoint != endpoint || !strings.Contains(err.Error(), "JSON nested deeper than 512 levels at byte ") {
				t.Fatalf("err = %v, want an ErrBadResponse from %s for JSON nested too deep", err, endpoint)
			}
			if count.Load() != after[1]+1 {
				t.Fatalf("%d requests, want %d: a body nested too deep is not retried", count.Load(), after[1]+1)
			}
			if len(done) != 2 || len(rows) == 0 || len(rows) >= len(all) || rows[len(rows)-1].ID != all[len(rows)-1].ID {
				t.Fatalf("%d pages and %d of %d rows before the error, want the first two pages", len(done), len(rows), len(all))
			}
		})
	}
}
