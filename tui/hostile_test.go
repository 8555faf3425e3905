package tui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
)

// staticSource serves conversations and threads fetched beforehand, in one page.
type staticSource struct {
	name    string
	convs   []client.Conversation
	threads map[string][]client.Interaction
}

func threadKey(c client.Conversation) string { return c.ID + "@" + c.Started.String() }

func (s *staticSource) Name() string                  { return s.name }
func (s *staticSource) Kind() string                  { return "static" }
func (s *staticSource) FilterSpec() client.FilterSpec { return nil }
func (s *staticSource) Conversation(context.Context, string) (client.Conversation, error) {
	return client.Conversation{}, client.ErrNotFound
}
func (s *staticSource) Conversations(context.Context, client.Query, string) (client.Page, error) {
	return client.Page{Conversations: s.convs, Total: len(s.convs)}, nil
}
func (s *staticSource) Thread(_ context.Context, c client.Conversation) ([]client.Interaction, error) {
	return s.threads[threadKey(c)], nil
}

// hostileEnd is the end of the hostile corpora.
var hostileEnd = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

// fetchHostile lists src over the last 30 hours of the corpus and fetches every thread, with
// the real client, so the records are exactly what confab gets from the vendor.
func fetchHostile(t *testing.T, src client.Source, keep func(client.Conversation) bool) *staticSource {
	t.Helper()
	q := client.Query{Since: hostileEnd.Add(-30 * time.Hour), Until: hostileEnd.Add(time.Hour)}
	out := &staticSource{name: src.Name(), threads: map[string][]client.Interaction{}}
	cursor := ""
	for range 1000 {
		p, err := src.Conversations(context.Background(), q, cursor)
		if err != nil {
			t.Fatalf("%s: listing: %v", src.Name(), err)
		}
		for _, c := range p.Conversations {
			if !keep(c) {
				continue
			}
			th, err := src.Thread(context.Background(), c)
			if err != nil {
				t.Fatalf("%s: thread %q: %v", src.Name(), c.ID, err)
			}
			out.convs = append(out.convs, c)
			out.threads[threadKey(c)] = th
		}
		if p.Next == "" {
			return out
		}
		cursor = p.Next
	}
	t.Fatalf("%s: paging never ends", src.Name())
	return nil
}

func hostileSources(t *testing.T) []*staticSource {
	t.Helper()
	opts := mock.Options{Seed: 5, End: hostileEnd, Days: 2, Hostile: true}
	now := func() time.Time { return hostileEnd }
	noRetry := client.HTTPOptions{MaxRetries: -1}

	mw := mock.NewMoveworks(opts)
	mwSrv := httptest.NewServer(mw)
	t.Cleanup(mwSrv.Close)
	mws, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: mwSrv.URL + mock.MoveworksRecordsPath, Secret: mw.APIKey, HTTP: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	td := mock.NewTalkdesk(opts)
	tdSrv := httptest.NewServer(td)
	t.Cleanup(tdSrv.Close)
	tds, err := talkdesk.New(talkdesk.Config{Name: "td", BaseURL: tdSrv.URL, TokenURL: tdSrv.URL + mock.TalkdeskTokenPath,
		ClientID: td.ClientID, Secret: td.ClientSecret, AllowedHosts: []string{mock.TalkdeskPagingOrigin(tdSrv.URL)},
		Now: now, HTTP: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	od := mock.NewOpenDialog(opts)
	odSrv := httptest.NewServer(od)
	t.Cleanup(odSrv.Close)
	ods, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: odSrv.URL + mock.OpenDialogBasePath, Token: od.Token,
		Now: now, HTTP: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	// Moveworks: the hostile records are the last day's; keep those and a few others.
	return []*staticSource{
		fetchHostile(t, mws, func(c client.Conversation) bool { return c.Started.After(hostileEnd.Add(-27 * time.Hour)) }),
		fetchHostile(t, tds, func(c client.Conversation) bool { return strings.HasPrefix(c.ID, mock.TalkdeskHostilePrefix) }),
		fetchHostile(t, ods, func(c client.Conversation) bool {
			return strings.HasPrefix(c.UserID, "hostile-od-") || strings.HasPrefix(c.UserID, "od")
		}),
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// rawControl reports the first raw control character in s once the styles' own SGR sequences
// are removed: C0 but \n, DEL, C1, ESC, bidi controls; and whether s is valid UTF-8.
func rawControl(s string) (string, bool) {
	s = sgr.ReplaceAllString(s, "")
	if !utf8.ValidString(s) {
		return "invalid UTF-8", true
	}
	for i, r := range s {
		bad := r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f ||
			r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
		if bad {
			lo, hi := max(0, i-30), min(len(s), i+30)
			return fmt.Sprintf("U+%04X at byte %d in %q", r, i, s[lo:hi]), true
		}
	}
	return "", false
}

// TestHostileRecordsRenderSafely walks every hostile record of the three vendors' mocks
// through the list, the thread and the detail panel, wide and narrow, and checks that no raw
// control byte reaches the screen.
func TestHostileRecordsRenderSafely(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every hostile record")
	}
	srcs := hostileSources(t)
	for _, size := range [][2]int{{120, 40}, {60, 24}} {
		for _, src := range srcs {
			t.Run(fmt.Sprintf("%s_%dx%d", src.name, size[0], size[1]), func(t *testing.T) {
				if len(src.convs) < 20 {
					t.Fatalf("only %d hostile conversations fetched", len(src.convs))
				}
				a := New(testDeps(Tab{Name: src.name, Kind: "static", Source: src}))
				a.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				start(t, a)
				sawEscaped := false // the hostile text did reach the screen, shown visibly
				check := func(where string) {
					t.Helper()
					v := a.View()
					sawEscaped = sawEscaped || strings.Contains(v.Content, `\x1b`)
					if bad, ok := rawControl(v.Content); ok {
						t.Fatalf("%s: raw control in the view: %s", where, bad)
					}
					if bad, ok := rawControl(v.WindowTitle); ok {
						t.Fatalf("%s: raw control in the window title: %s", where, bad)
					}
				}
				check("list")
				for i, c := range src.convs {
					update(t, a, press("enter"))
					check(fmt.Sprintf("thread of %q", c.ID))
					for j := range len(src.threads[threadKey(c)]) + 2 {
						update(t, a, press("down"))
						check(fmt.Sprintf("thread of %q, row %d", c.ID, j+1))
					}
					update(t, a, press("esc"), press("down"))
					check(fmt.Sprintf("list, row %d", i+1))
				}
				if !sawEscaped {
					t.Error("no view showed an escaped ESC: the walk did not meet the hostile text")
				}
			})
		}
	}
}
