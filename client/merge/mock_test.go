package merge

import (
	"context"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
)

// TestMergeOverTheMockVendors merges the three mock vendors (real clients over loopback HTTP,
// as `confab demo` runs them): every row of every source once, newest first, each row named
// by its source and its thread read from it.
func TestMergeOverTheMockVendors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	end := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return end }
	servers, err := mock.Start(ctx, "127.0.0.1:0", mock.Options{Seed: 3, Now: now, End: end, Days: 3, PageSize: 40})
	if err != nil {
		t.Fatal(err)
	}
	defer servers.Close()
	mw, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: servers.Moveworks.BaseURL, Secret: servers.Moveworks.APIKey, KeyStyle: "raw"})
	if err != nil {
		t.Fatal(err)
	}
	td, err := talkdesk.New(talkdesk.Config{Name: "td", BaseURL: servers.Talkdesk.BaseURL, TokenURL: servers.Talkdesk.TokenURL,
		ClientID: servers.Talkdesk.ClientID, Secret: servers.Talkdesk.ClientSecret, AllowedHosts: servers.Talkdesk.PagingOrigins, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	od, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: servers.OpenDialog.BaseURL, Token: servers.OpenDialog.APIKey, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	srcs := []client.Source{mw, WithDefaults(td, client.Query{Filter: "since:28d"}), od}
	m := New("All", srcs...)
	q := client.Query{PageSize: 30}
	got, pages := walk(t, m, q)
	t.Logf("%d rows in %d pages", len(got), pages)

	count := map[string]int{}
	for _, s := range srcs {
		n, cur := 0, ""
		for {
			p, err := s.Conversations(ctx, client.Query{}, cur)
			if err != nil {
				t.Fatalf("%s: %v", s.Name(), err)
			}
			n += len(p.Conversations)
			if cur = p.Next; cur == "" {
				break
			}
		}
		count[s.Name()] = n
		if n == 0 {
			t.Fatalf("%s lists nothing: the test proves nothing", s.Name())
		}
	}
	seen := map[string]bool{}
	per := map[string]int{}
	for i, c := range got {
		k := c.Source + "/" + c.ID
		if seen[k] {
			t.Fatalf("row %d: %s twice", i, k)
		}
		seen[k] = true
		per[c.Source]++
		if i > 0 && c.Started.After(got[i-1].Started) {
			t.Fatalf("row %d (%s, %v) is newer than row %d (%s/%s, %v)", i, k, c.Started, i-1, got[i-1].Source, got[i-1].ID, got[i-1].Started)
		}
	}
	for name, n := range count {
		if per[name] != n {
			t.Errorf("%s: %d rows merged, %d listed alone", name, per[name], n)
		}
	}
	for _, i := range []int{0, len(got) / 2, len(got) - 1} {
		th, err := m.Thread(ctx, got[i])
		if err != nil || len(th) == 0 {
			t.Fatalf("thread of %s/%s: %d interactions, %v", got[i].Source, got[i].ID, len(th), err)
		}
	}
	if m.KindOf("td") != talkdesk.Kind || m.Orders() {
		t.Fatal("td: kind, or Orders with a Talkdesk source")
	}
}
