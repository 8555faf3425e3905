package cache

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// TestSearchOrderOutOfOrder: hits stay newest first, exactly as a full sort of every match
// gives them, when rows arrive out of time order, share a millisecond or a nanosecond, have
// no time, and are stored again with other times, texts or none.
func TestSearchOrderOutOfOrder(t *testing.T) {
	s := open(t)
	r := rand.New(rand.NewPCG(7, 8))
	base := day(3)
	// A handful of instants, so that many rows share a millisecond or a time exactly.
	randTime := func() time.Time {
		switch r.IntN(10) {
		case 0:
			return time.Time{}
		case 1:
			return base // the same nanosecond
		case 2:
			return base.Add(time.Duration(r.IntN(1000)) * time.Microsecond) // the same millisecond
		}
		return base.Add(time.Duration(r.IntN(500)-250) * time.Hour)
	}
	words := []string{"alpha", "beta", "gamma", "delta"}
	randText := func() string {
		var w []string
		for range 1 + r.IntN(3) {
			w = append(w, words[r.IntN(len(words))])
		}
		return strings.Join(w, " ")
	}
	sources := []string{"mw", "td", "od"}
	putThread := func(src, id string) {
		var th []client.Interaction
		for i := range r.IntN(5) {
			th = append(th, client.Interaction{ID: fmt.Sprintf("m%d", r.IntN(6)+i*10), Actor: client.ActorUser, Text: randText(), Time: randTime()})
		}
		if err := s.PutThread(ctx, src, id, th); err != nil {
			t.Fatal(err)
		}
	}
	queries := []SearchQuery{
		{Text: "alpha", Limit: 1},
		{Text: "alpha", Limit: 3},
		{Text: "beta", Limit: 10},
		{Text: "gamma OR delta", Limit: 25},
		{Text: `"alpha beta"`, Limit: 1000},
		{Text: "alpha NOT beta"},
		{Text: "al*", Limit: 7, Sources: []string{"td", "od"}},
		{Text: "delta", Limit: 5, Since: base.Add(-24 * time.Hour), Until: base.Add(time.Millisecond)},
		{Text: "beta", Limit: 4, Since: base},
		{Text: "gamma", Limit: 4, Until: base.Add(500 * time.Microsecond)},
	}
	for round := range 6 {
		// New and re-stored conversations (times changing, to and from unknown), in random
		// order, and their threads.
		for range 60 {
			src, id := sources[r.IntN(3)], fmt.Sprintf("c%d", r.IntN(80))
			c := conv(src, id, randTime(), randText())
			if err := s.PutConversations(ctx, src, []client.Conversation{c}); err != nil {
				t.Fatal(err)
			}
			putThread(src, id)
		}
		// Threads stored without their conversation.
		for range 10 {
			putThread(sources[r.IntN(3)], fmt.Sprintf("orphan%d", r.IntN(20)))
		}
		for _, q := range queries {
			got := search(t, s, q)
			want := referenceSearch(t, s, q)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round %d, %+v:\n got %v\nwant %v", round, q, hitKeys(got), hitKeys(want))
			}
			for i := 1; i < len(got); i++ {
				if newer(match{t: nullTime(got[i].Time)}, match{t: nullTime(got[i-1].Time)}) {
					t.Errorf("round %d, %q: hit %d (%v) is newer than hit %d (%v)", round, q.Text, i, got[i].Time, i-1, got[i-1].Time)
				}
			}
		}
	}
	// The index and the tables agree: one full-text row per stored row, under its key.
	for _, table := range []string{"interactions", "conversations"} {
		var rows, fts, bad int
		s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&rows)
		s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table+"_fts").Scan(&fts)
		s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE tkey IS NULL OR tkey NOT IN (SELECT rowid FROM "+table+"_fts)").Scan(&bad)
		if rows != fts || bad != 0 || rows == 0 {
			t.Errorf("%s: %d rows, %d indexed, %d without their index row", table, rows, fts, bad)
		}
	}
}

// TestSearchRePutMoves: a message stored again with a later time moves to the top; one
// whose time is dropped goes after every message with a time.
func TestSearchRePutMoves(t *testing.T) {
	s := open(t)
	put := func(id string, tm time.Time) {
		t.Helper()
		if err := s.PutThread(ctx, "mw", id, []client.Interaction{{ID: "m", Actor: client.ActorUser, Text: "eduroam " + id, Time: tm}}); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range []string{"a", "b", "c"} {
		put(id, day(1+i))
	}
	order := func() string {
		var ids []string
		for _, h := range search(t, s, SearchQuery{Text: "eduroam"}) {
			ids = append(ids, h.Conversation.ID)
		}
		return strings.Join(ids, "")
	}
	for _, step := range []struct {
		id   string
		tm   time.Time
		want string
	}{
		{"", time.Time{}, "cba"},
		{"a", day(9), "acb"},
		{"c", time.Time{}, "abc"},
		{"b", time.Time{}, "acb"}, // both unknown: the later stored row (higher rid) first
		{"c", day(5), "acb"},
		{"b", day(9), "bac"}, // equal times: the newer row (higher rid) first
	} {
		if step.id != "" {
			put(step.id, step.tm)
		}
		if got := order(); got != step.want {
			t.Errorf("after %s at %v: %s, want %s", step.id, step.tm, got, step.want)
		}
	}
	// Two messages of one millisecond stored newest first: the index has them the other way
	// round, the hits do not.
	ms := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	put("x", ms.Add(900*time.Microsecond))
	put("y", ms.Add(100*time.Microsecond))
	for limit, want := range map[int]string{1: "x", 2: "xy", 3: "xyb"} {
		var ids []string
		for _, h := range search(t, s, SearchQuery{Text: "eduroam", Limit: limit}) {
			ids = append(ids, h.Conversation.ID)
		}
		if got := strings.Join(ids, ""); got != want {
			t.Errorf("one millisecond, limit %d: %s, want %s", limit, got, want)
		}
	}
}
