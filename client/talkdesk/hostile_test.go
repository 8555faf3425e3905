package talkdesk_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/talkdesk"
)

// hostileSource serves the Talkdesk mock with the hostile corpus.
func hostileSource(t *testing.T) (*talkdesk.Source, *mock.Talkdesk) {
	t.Helper()
	m := mock.NewTalkdesk(mock.Options{Seed: 7, End: end, Days: 3, Hostile: true})
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	s, err := talkdesk.New(talkdesk.Config{
		Name: "td", BaseURL: srv.URL, TokenURL: srv.URL + mock.TalkdeskTokenPath,
		ClientID: m.ClientID, Secret: m.ClientSecret,
		AllowedHosts: []string{mock.TalkdeskPagingOrigin(srv.URL)},
		Now:          func() time.Time { return end },
		HTTP:         client.HTTPOptions{MaxRetries: -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, m
}

func TestHostileCorpusListsAndOpens(t *testing.T) {
	s, m := hostileSource(t)
	rows, pages, err := all(t, s, client.Query{Since: end.Add(-24 * time.Hour), Until: end, PageSize: 10})
	if err != nil {
		t.Fatalf("listing the hostile corpus: %v", err)
	}
	if got, want := ids(rows), want(m, end.Add(-24*time.Hour), end); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("listed %d interactions, the corpus holds %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	byID := map[string][]client.Conversation{}
	for _, c := range rows {
		byID[c.ID] = append(byID[c.ID], c)
	}
	for i := range mock.HostileStrings() {
		if id := fmt.Sprintf("%s%02d", mock.TalkdeskHostilePrefix, i); len(byID[id]) != 1 {
			t.Errorf("hostile interaction %s listed %d times", id, len(byID[id]))
		}
	}
	if n := len(byID[mock.TalkdeskHostileDuplicateID]); n != 2 {
		t.Errorf("the duplicated id is listed %d times, want 2 (both copies)", n)
	}
	// The two copies come on different pages.
	pageOf := map[int]bool{}
	for i, p := range pages {
		for _, c := range p.Conversations {
			if c.ID == mock.TalkdeskHostileDuplicateID {
				pageOf[i] = true
			}
		}
	}
	if len(pageOf) != 2 {
		t.Errorf("the duplicated id is on pages %v, want two different pages", pageOf)
	}

	opened := 0
	for _, c := range rows {
		if !strings.HasPrefix(c.ID, mock.TalkdeskHostilePrefix) {
			continue
		}
		th, err := s.Thread(context.Background(), c)
		if err != nil {
			t.Errorf("opening %q: %v", c.ID, err)
			continue
		}
		opened++
		switch c.ID {
		case mock.TalkdeskHostileLongID:
			// Invalid UTF-8 arrives as U+FFFD, so a message may grow a little on the way.
			if len(th) != 2 || len(th[0].Text) < mock.HostileLongSize || len(th[1].Text) < mock.HostileLongSize {
				t.Errorf("long interaction: %d messages, want two of at least %d bytes", len(th), mock.HostileLongSize)
			}
			if len([]rune(c.Summary)) > 100 {
				t.Errorf("long interaction: summary of %d runes, want it shortened", len([]rune(c.Summary)))
			}
		case mock.TalkdeskHostileNullsID:
			if len(th) != 3 {
				t.Fatalf("nulls interaction: %d messages, want 3 (a null one, a null element, a real one)", len(th))
			}
			// The message with an index sorts first; the null ones keep their order after it.
			if th[0].Text != "after a null message" {
				t.Errorf("nulls interaction: first message %q", th[0].Text)
			}
			if th[1].Text != "" || th[1].Actor != "" || c.UserID != "" {
				t.Errorf("nulls interaction: null text %q, actor %q, customer %q; want empty strings", th[1].Text, th[1].Actor, c.UserID)
			}
		case mock.TalkdeskHostileMissingID:
			if len(th) != 2 || th[1].Text != "only a text" {
				t.Errorf("missing-fields interaction: %+v", th)
			}
		}
		for _, it := range th {
			if it.ID == "" {
				t.Errorf("%s: a message without an id", c.ID)
			}
		}
	}
	if want := len(mock.HostileStrings()) + 5; opened != want {
		t.Errorf("opened %d hostile interactions, want %d", opened, want)
	}
	if c, err := s.Conversation(context.Background(), mock.TalkdeskHostileNullsID); err != nil || c.ID != mock.TalkdeskHostileNullsID {
		t.Errorf("looking up the nulls interaction by id: %v, %q", err, c.ID)
	}
}

func TestHostileCorpusOffByDefault(t *testing.T) {
	m := mock.NewTalkdesk(mock.Options{Seed: 7, End: end, Days: 3})
	for _, it := range m.Interactions() {
		if strings.HasPrefix(it.ID, mock.TalkdeskHostilePrefix) {
			t.Fatalf("hostile interaction %s without Options.Hostile", it.ID)
		}
	}
}
