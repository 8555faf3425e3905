package opendialog_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/opendialog"
)

func TestHostileCorpusListsAndOpens(t *testing.T) {
	m := mock.NewOpenDialog(mock.Options{Seed: 7, End: corpusEnd, Days: 3, Hostile: true})
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	s, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: srv.URL + mock.OpenDialogBasePath, Token: m.Token,
		Now: func() time.Time { return corpusEnd.Add(time.Hour) }, HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	q := client.Query{Since: corpusEnd.Add(-24 * time.Hour), Until: corpusEnd.Add(time.Hour)}
	rows, _ := listAll(t, s, q)
	compare(t, rows, m.Sessions(nil, q.Since, q.Until))

	users := map[string]int{}
	for _, c := range rows {
		switch c.UserID {
		case mock.OpenDialogHostileUser, mock.OpenDialogHostileLongUser, mock.OpenDialogHostileNullsUser, mock.OpenDialogHostileEscapeUser:
		default:
			continue
		}
		users[c.UserID]++
		th, err := s.Thread(context.Background(), c)
		if err != nil {
			t.Errorf("opening %q: %v", c.ID, err)
			continue
		}
		switch c.UserID {
		case mock.OpenDialogHostileLongUser:
			if len(th) != 2 || len(th[0].Text) < mock.HostileLongSize || len(th[1].Text) < mock.HostileLongSize {
				t.Errorf("long session: %d messages, want two of %d bytes", len(th), mock.HostileLongSize)
			}
		case mock.OpenDialogHostileNullsUser:
			if len(th) != 3 || th[0].Text != "" || th[1].Text != "" || th[2].Text != "after the nulls" {
				t.Errorf("nulls session: %d messages %+v", len(th), th)
			}
			if c.Summary != "after the nulls" {
				t.Errorf("nulls session: summary %q", c.Summary)
			}
		case mock.OpenDialogHostileUser:
			if len(th) != 4 {
				t.Errorf("hostile session %s: %d messages, want 4", c.ID, len(th))
			}
		}
		// An id found in the listing opens by id as well, hostile user ids included.
		if c.UserID != mock.OpenDialogHostileUser {
			got, err := s.Conversation(context.Background(), c.ID)
			if err != nil || got.ID != c.ID {
				t.Errorf("Conversation(%q) = %q, %v", c.ID, got.ID, err)
			}
		}
	}
	if n, want := users[mock.OpenDialogHostileUser], len(mock.HostileStrings()); n != want {
		t.Errorf("%d sessions of the hostile user, want %d", n, want)
	}
	for _, u := range []string{mock.OpenDialogHostileLongUser, mock.OpenDialogHostileNullsUser, mock.OpenDialogHostileEscapeUser} {
		if users[u] != 1 {
			t.Errorf("%d sessions of %q, want 1", users[u], u)
		}
	}
	for _, c := range rows {
		if strings.Contains(c.UserID, "hostile-od-user") && (c.Attrs.Value(client.AttrUserName) == "" || c.Attrs.Value(client.AttrUserEmail) == "") {
			t.Errorf("%s: the hostile user's name or e-mail is empty: %v", c.ID, c.Attrs)
		}
	}
}
