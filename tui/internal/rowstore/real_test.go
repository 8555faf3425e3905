package rowstore

import (
	"context"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
)

// realEnd is the end of the mock corpora the real-row tests and benchmarks read.
var realEnd = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

// realPages lists every page of each vendor's mock corpus (days days before realEnd) through
// the real vendor client over loopback HTTP: the rows exactly as the pane receives them.
func realPages(tb testing.TB, days int, hostile bool) map[string][]client.Page {
	tb.Helper()
	opts := mock.Options{Seed: 5, End: realEnd, Days: days, Hostile: hostile}
	now := func() time.Time { return realEnd }
	noRetry := client.HTTPOptions{MaxRetries: -1}

	mw := mock.NewMoveworks(opts)
	mwSrv := httptest.NewServer(mw)
	tb.Cleanup(mwSrv.Close)
	mws, err := moveworks.New(moveworks.Config{Name: "mw", BaseURL: mwSrv.URL + mock.MoveworksRecordsPath, Secret: mw.APIKey, HTTP: noRetry})
	if err != nil {
		tb.Fatal(err)
	}
	td := mock.NewTalkdesk(opts)
	tdSrv := httptest.NewServer(td)
	tb.Cleanup(tdSrv.Close)
	tds, err := talkdesk.New(talkdesk.Config{Name: "td", BaseURL: tdSrv.URL, TokenURL: tdSrv.URL + mock.TalkdeskTokenPath,
		ClientID: td.ClientID, Secret: td.ClientSecret, AllowedHosts: []string{mock.TalkdeskPagingOrigin(tdSrv.URL)},
		Now: now, HTTP: noRetry})
	if err != nil {
		tb.Fatal(err)
	}
	od := mock.NewOpenDialog(opts)
	odSrv := httptest.NewServer(od)
	tb.Cleanup(odSrv.Close)
	ods, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: odSrv.URL + mock.OpenDialogBasePath, Token: od.Token,
		Now: now, HTTP: noRetry})
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]client.Page{}
	q := client.Query{Since: realEnd.Add(-time.Duration(days) * 24 * time.Hour), Until: realEnd.Add(time.Hour)}
	for _, src := range []client.Source{mws, tds, ods} {
		cursor := ""
		for range 100_000 {
			p, err := src.Conversations(context.Background(), q, cursor)
			if err != nil {
				tb.Fatalf("%s: listing: %v", src.Kind(), err)
			}
			out[src.Kind()] = append(out[src.Kind()], p)
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
	}
	return out
}

// heapInUse is the heap in use after two collections.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// bytesDays is the span of the corpora BenchmarkBytesPerRow loads: enough rows that the
// last partly filled text chunk is noise.
const bytesDays = 120

// BenchmarkBytesPerRow measures the heap a loaded row costs with real client rows: every
// page of each vendor's mock corpus, listed by the real vendor client over loopback HTTP,
// copied (a fresh decode: the rows alias only their own pages' bodies) and held the pane's
// way. "slice" is the old list: []client.Conversation with Raw, each row keeping its slice of
// its page's body. "store" is the Store without the raw records (a local store holds them);
// "store+raw" keeps them in its chunks (--no-cache). B/row is the heap in use after GC, less
// the heap before, over the rows.
func BenchmarkBytesPerRow(b *testing.B) {
	all := realPages(b, bytesDays, false)
	for _, kind := range []string{"moveworks", "talkdesk", "opendialog"} {
		pages := all[kind]
		n := 0
		for _, p := range pages {
			n += len(p.Conversations)
		}
		for _, how := range []string{"slice", "store", "store+raw"} {
			b.Run(kind+"/"+how, func(b *testing.B) {
				var perRow float64
				for b.Loop() {
					b.StopTimer()
					before := heapInUse()
					// Decoded pages the way the pane receives them: a fresh copy, so nothing
					// is shared with the corpus kept for the next run.
					fresh := copyPages(pages)
					b.StartTimer()
					var keep any
					switch how {
					case "slice":
						var items []client.Conversation
						for _, p := range fresh {
							items = append(items, p.Conversations...)
						}
						keep = items
					default:
						s := New()
						for _, p := range fresh {
							s.AppendAll(p.Conversations, how == "store+raw")
						}
						keep = s
					}
					b.StopTimer()
					fresh = nil
					after := heapInUse()
					runtime.KeepAlive(keep)
					perRow = (float64(after) - float64(before)) / float64(n)
					b.StartTimer()
				}
				b.ReportMetric(perRow, "B/row")
				b.ReportMetric(float64(n), "rows")
			})
		}
	}
}

// copyPages copies pages as if decoded again: each row's strings and raw record in one
// buffer per page (as a page's body holds them), attributes in their own slices.
func copyPages(pages []client.Page) []client.Page {
	out := make([]client.Page, len(pages))
	for i, p := range pages {
		size := 0
		for _, c := range p.Conversations {
			size += len(c.Raw)
		}
		body := make([]byte, 0, size)
		cs := make([]client.Conversation, len(p.Conversations))
		for k, c := range p.Conversations {
			start := len(body)
			body = append(body, c.Raw...)
			c.Raw = body[start:len(body):len(body)]
			c.ID = strings.Clone(c.ID)
			c.Summary = strings.Clone(c.Summary)
			c.Attrs = slices.Clone(c.Attrs)
			cs[k] = c
		}
		out[i] = client.Page{Conversations: cs, Next: p.Next, Total: p.Total}
	}
	return out
}
