package rowstore

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

func roundTripCases() map[string][]client.Conversation {
	t0 := time.Date(2026, 11, 21, 14, 5, 0, 123456789, time.UTC)
	huge := strings.Repeat("x", 3*chunkSize)
	hostile := "\x1b]0;pwned\x07\x1b[2J\x00\xff\xfe\u202eevil"
	many := make([]client.Conversation, 300)
	for i := range many {
		many[i] = client.Conversation{Source: "s", ID: fmt.Sprint("c", i), Started: t0.Add(time.Duration(i)),
			Attrs: client.Attrs{{Key: "n", Value: fmt.Sprint(i % 97)}, {Key: fmt.Sprint("k", i%13), Value: "v"}}}
	}
	return map[string][]client.Conversation{
		"every field": {{Source: "mw", ID: "c1", UserID: "u1", Started: t0, Updated: t0.Add(time.Hour),
			Summary: "Reset my VPN password", Attrs: client.Attrs{{Key: "domain", Value: "IT"}, {Key: "route", Value: "dm"}},
			Raw: json.RawMessage(`{"id":"c1"}`)}},
		"empty values": {{}, {ID: "", Attrs: client.Attrs{{Key: "", Value: ""}}}, {Attrs: client.Attrs{}}},
		"hostile text": {{Source: hostile, ID: hostile, UserID: hostile, Summary: hostile,
			Attrs: client.Attrs{{Key: hostile, Value: hostile}}, Raw: json.RawMessage(`"` + hostile + `"`)}},
		"huge fields": {{ID: "small", Summary: "s"}, {ID: huge, UserID: huge[:chunkSize], Summary: huge,
			Attrs: client.Attrs{{Key: "k", Value: huge}}, Raw: json.RawMessage(huge)}, {ID: "after", Summary: "a"}},
		"odd times": {
			{ID: "zone", Started: t0.In(time.FixedZone("X", 3600)), Updated: t0},
			{ID: "far", Started: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), Updated: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
			{ID: "marker", Started: time.Unix(0, noTime).UTC(), Updated: time.Unix(0, farTime).UTC()},
			{ID: "epoch", Started: time.Unix(0, 0).UTC()},
			{ID: "local", Started: t0.In(time.Local), Updated: t0.Add(time.Minute).In(time.Local)},
		},
		"a zone a row (time.Parse with an offset)": zoned(t0, 50),
		"many attr sets": many,
	}
}

// TestRoundTrip appends rows and reads them back through Conv, View.At and the field
// accessors: every field equal, raw kept only when asked.
func TestRoundTrip(t *testing.T) {
	for name, rows := range roundTripCases() {
		for _, keepRaw := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/raw=%v", name, keepRaw), func(t *testing.T) {
				s := FromSlice(rows, keepRaw)
				if s.Len() != len(rows) {
					t.Fatalf("Len = %d, want %d", s.Len(), len(rows))
				}
				v := s.View()
				var buf client.Conversation
				for i, want := range rows {
					raw := want.Raw
					want.Raw = nil
					if len(want.Attrs) == 0 {
						want.Attrs = nil
					}
					got := s.Conv(i)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("Conv(%d) = %+v, want %+v", i, clip(got), clip(want))
					}
					at := *v.At(i, &buf)
					if len(at.Attrs) == 0 {
						at.Attrs = nil
					}
					if !reflect.DeepEqual(at, want) {
						t.Fatalf("At(%d) = %+v, want %+v", i, clip(at), clip(want))
					}
					if s.ID(i) != want.ID || v.ID(i) != want.ID || s.Summary(i) != want.Summary || v.Summary(i) != want.Summary || s.Source(i) != want.Source {
						t.Fatalf("row %d: accessors differ", i)
					}
					if !got.Started.Equal(want.Started) || got.Started.Location().String() != want.Started.Location().String() {
						t.Fatalf("row %d: started %v, want %v", i, got.Started, want.Started)
					}
					gotRaw := s.Raw(i)
					if !keepRaw {
						raw = nil
					}
					if string(gotRaw) != string(raw) {
						t.Fatalf("Raw(%d) = %d bytes, want %d", i, len(gotRaw), len(raw))
					}
					if len(gotRaw) > 0 {
						gotRaw[0] ^= 1 // a copy: the store's bytes stay
						if string(s.Raw(i)) != string(raw) {
							t.Fatalf("Raw(%d) is not a copy", i)
						}
					}
				}
			})
		}
	}
}

// zoned is n rows whose times were parsed with an offset: a new FixedZone each.
func zoned(t0 time.Time, n int) []client.Conversation {
	out := make([]client.Conversation, n)
	for i := range out {
		off := (i%3 - 1) * 3600
		started, err := time.Parse(time.RFC3339Nano, t0.Add(time.Duration(i)*time.Second).In(time.FixedZone("", off)).Format(time.RFC3339Nano))
		if err != nil {
			panic(err)
		}
		out[i] = client.Conversation{ID: fmt.Sprint("z", i), Started: started, Updated: started.Add(time.Hour)}
	}
	return out
}

// TestZonesNotOverflow: times parsed with offsets are held in the records (their zones
// interned), not in the overflow map.
func TestZonesNotOverflow(t *testing.T) {
	s := FromSlice(zoned(time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC), 1000), false)
	if len(s.d.far) != 0 || len(s.d.zones) > 4 {
		t.Fatalf("%d rows in the overflow map, %d zones", len(s.d.far), len(s.d.zones))
	}
}

func clip(c client.Conversation) string {
	s := fmt.Sprintf("%+v", c)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// TestViewIsASnapshot: a View keeps its rows while the Store appends more (and more text
// chunks), and Slice re-bases rows and their odd times.
func TestViewIsASnapshot(t *testing.T) {
	s := New()
	far := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Append(&client.Conversation{ID: "a", Summary: "first", Started: far}, true)
	s.Append(&client.Conversation{ID: "b", Summary: "second"}, true)
	v := s.View()
	for i := range 5000 {
		s.Append(&client.Conversation{ID: fmt.Sprint("row", i), Summary: strings.Repeat("z", 200), Started: far.AddDate(i, 0, 0)}, true)
	}
	var buf client.Conversation
	if got := v.At(0, &buf).Started; !got.Equal(far) {
		t.Fatalf("the view's far time became %v", got)
	}
	if got := s.Conv(4000).Started; !got.Equal(far.AddDate(3998, 0, 0)) {
		t.Fatalf("row 4000 started %v", got)
	}
	if v.Len() != 2 || v.ID(0) != "a" || v.Summary(1) != "second" || s.Len() != 5002 {
		t.Fatalf("view changed: len %d, %q %q", v.Len(), v.ID(0), v.Summary(1))
	}
	w := s.View().Slice(0, 2).Slice(1, 2)
	if w.Len() != 1 || w.At(0, &buf).ID != "b" {
		t.Fatalf("Slice: %d rows, %q", w.Len(), buf.ID)
	}
	if x := s.View().Slice(0, 1); !x.At(0, &buf).Started.Equal(far) {
		t.Fatalf("Slice lost the far time: %v", buf.Started)
	}
	if x := s.View().Slice(3000, 4002); !x.At(1000, &buf).Started.Equal(far.AddDate(3998, 0, 0)) {
		t.Fatalf("Slice re-based the far times wrongly: %v", buf.Started)
	}
}

// TestConvAttrsShared: rows of one set share their Attrs (no allocation a read), and the
// strings alias the text chunks.
func TestConvAttrsShared(t *testing.T) {
	a := client.Attrs{{Key: "domain", Value: "IT"}}
	s := FromSlice([]client.Conversation{{ID: "1", Attrs: a}, {ID: "2", Attrs: client.Attrs{{Key: "domain", Value: "IT"}}}}, false)
	c1, c2 := s.Conv(0), s.Conv(1)
	if &c1.Attrs[0] != &c2.Attrs[0] {
		t.Fatal("two rows of one set got two Attrs")
	}
	if n := testing.AllocsPerRun(100, func() { _ = s.Conv(1) }); n != 0 {
		t.Fatalf("Conv allocates %v times", n)
	}
	v := s.View()
	var buf client.Conversation
	v.At(0, &buf)
	if n := testing.AllocsPerRun(100, func() { v.At(1, &buf) }); n != 0 {
		t.Fatalf("View.At allocates %v times", n)
	}
}

// BenchmarkConv reads rows the list's way (a screenful, again and again).
func BenchmarkConv(b *testing.B) {
	rows := make([]client.Conversation, 1000)
	for i := range rows {
		rows[i] = client.Conversation{Source: "mw", ID: fmt.Sprintf("conv-%06d", i), UserID: fmt.Sprint("u-", i%50),
			Started: time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC).Add(-time.Duration(i) * time.Minute),
			Summary: "Reset my VPN password", Attrs: client.Attrs{{Key: "domain", Value: fmt.Sprint(i % 6)}}}
	}
	s := FromSlice(rows, false)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := s.Conv(i % 40)
		if c.ID == "" {
			b.Fatal("no id")
		}
		i++
	}
}

// TestViewWhileAppending reads a View on another goroutine while the Store appends (run
// with -race): the quick filter's and the index's Cmds do this while pages arrive.
func TestViewWhileAppending(t *testing.T) {
	s := New()
	for i := range 2000 {
		s.Append(&client.Conversation{ID: fmt.Sprint("a", i), Summary: fmt.Sprint("s", i%7),
			Started: time.Date(3000+i%2, 1, 1, 0, 0, 0, 0, time.UTC), Attrs: client.Attrs{{Key: "k", Value: fmt.Sprint(i)}}}, true)
	}
	v := s.View()
	done := make(chan string)
	go func() {
		var buf client.Conversation
		for range 5 {
			for i := range v.Len() {
				if c := v.At(i, &buf); c.ID != fmt.Sprint("a", i) || c.Attrs[0].Value != fmt.Sprint(i) {
					done <- fmt.Sprintf("row %d read as %q", i, c.ID)
					return
				}
			}
		}
		done <- ""
	}()
	for i := range 20000 {
		s.Append(&client.Conversation{ID: fmt.Sprint("b", i), Summary: strings.Repeat("y", i%500),
			Started: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), Attrs: client.Attrs{{Key: "k", Value: fmt.Sprint("b", i)}}}, true)
	}
	if msg := <-done; msg != "" {
		t.Fatal(msg)
	}
}
