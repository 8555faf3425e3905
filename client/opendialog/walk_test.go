package opendialog_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/opendialog"
)

// TestLookupOfAnEndlessConversationStops looks up a conversation whose messages never pause
// (one every 10 minutes, 2 KB each): the lookup walks window after window and stops at the
// byte limit instead of reading 31 windows of it.
func TestLookupOfAnEndlessConversationStops(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		const layout = "2006-01-02 15:04:05"
		from, err1 := time.Parse(layout, r.URL.Query().Get("from"))
		to, err2 := time.Parse(layout, r.URL.Query().Get("to"))
		if err1 != nil || err2 != nil {
			http.Error(w, "bad range", http.StatusBadRequest)
			return
		}
		var msgs []string
		for at := from; at.Before(to); at = at.Add(10 * time.Minute) {
			msgs = append(msgs, fmt.Sprintf(`{"type":"text","date":%q,"text":%q}`,
				at.Format(time.RFC3339Nano), strings.Repeat("x", 2000)))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":[{"u1":{"user_id":"u1","interactions":[%s]}}]}`, strings.Join(msgs, ","))
	}))
	t.Cleanup(srv.Close)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: srv.URL, Token: "t", Window: time.Hour,
		Now:  func() time.Time { return start.Add(48 * time.Hour) },
		HTTP: client.HTTPOptions{MaxRetries: -1, Walk: client.WalkLimits{Bytes: 30_000}}})
	if err != nil {
		t.Fatal(err)
	}
	id := opendialog.ID("u1", start)
	_, err = s.Conversation(context.Background(), id)
	want := "stopped after 29.2 KB of messages of conversation " + id + "; the conversation is too large to load"
	if !errors.Is(err, client.ErrWalkLimit) || err == nil || err.Error() != want {
		t.Fatalf("Conversation: %v\nwant %s", err, want)
	}
	if requests.Load() != 3 {
		t.Fatalf("%d requests, want 3 windows of 12 KB", requests.Load())
	}
}
