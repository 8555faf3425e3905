package cache

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

var (
	ctx   = context.Background()
	clock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

func fixedClock() time.Time { return clock }

// open opens a store in a fresh temp dir with the fixed clock.
func open(t testing.TB, opts ...Option) *Store {
	t.Helper()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "confab.db"), append([]Option{WithClock(fixedClock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func day(d int) time.Time { return time.Date(2026, 1, d, 9, 30, 0, 123456789, time.UTC) }

func conv(source, id string, started time.Time, summary string, attrs ...client.Attr) client.Conversation {
	return client.Conversation{
		Source: source, ID: id, UserID: "u-" + id, Started: started, Updated: started.Add(time.Minute),
		Summary: summary, Attrs: attrs,
		Raw: json.RawMessage(fmt.Sprintf(`{"id": %q,  "x":[1, 2.50, "\u00e9"]}`, id)),
	}
}

func TestRoundTripConversations(t *testing.T) {
	s := open(t)
	in := []client.Conversation{
		conv("mw", "1", day(1), "reset my password", client.Attr{Key: "domain", Value: "IT"}),
		{Source: "mw", ID: "2"}, // nothing but the keys: zero times, no raw, no attrs
	}
	if err := s.PutConversations(ctx, "mw", in); err != nil {
		t.Fatal(err)
	}
	got, err := s.Conversations(ctx, ListQuery{Order: client.OldestFirst})
	if err != nil {
		t.Fatal(err)
	}
	// NULL start sorts first in oldest-first order.
	want := []client.Conversation{in[1], in[0]}
	if len(got) != 2 {
		t.Fatalf("got %d rows", len(got))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	if !bytes.Equal(got[1].Raw, in[0].Raw) {
		t.Errorf("raw not byte for byte: %s", got[1].Raw)
	}
	if got[0].Raw != nil {
		t.Errorf("absent raw came back as %q", got[0].Raw)
	}
	c, ok, err := s.Conversation(ctx, "mw", "1")
	if err != nil || !ok || !reflect.DeepEqual(c, in[0]) {
		t.Errorf("Conversation = %+v, %v, %v", c, ok, err)
	}
	if _, ok, err := s.Conversation(ctx, "mw", "nope"); ok || err != nil {
		t.Errorf("missing conversation: %v, %v", ok, err)
	}
}

func thread(n int, conversationID string) []client.Interaction {
	var out []client.Interaction
	for i := range n {
		it := client.Interaction{
			ID: fmt.Sprintf("i%d", i), ConversationID: conversationID, Actor: client.ActorUser,
			Kind: client.KindText, Text: fmt.Sprintf("message %d", i), Time: day(1).Add(time.Duration(i) * time.Second),
			Seq: i + 1, UserID: "u1", Updated: day(2), Attrs: client.Attrs{{Key: "channel", Value: "slack"}},
			Raw: json.RawMessage(fmt.Sprintf(`{ "n" : %d }`, i)),
		}
		if i > 0 {
			it.ParentID = "i0"
			it.Actor = client.ActorBot
			it.Speaker = "Helper Bot"
		}
		out = append(out, it)
	}
	return out
}

func TestRoundTripThread(t *testing.T) {
	s := open(t)
	in := thread(4, "c1")
	in[2].Time = time.Time{} // unknown time
	in[3].Raw = nil
	// Stored order is the given order, not id or time order.
	in[0], in[1] = in[1], in[0]
	if err := s.PutThread(ctx, "td", "c1", in); err != nil {
		t.Fatal(err)
	}
	got, err := s.Thread(ctx, "td", "c1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("thread:\n got %+v\nwant %+v", got, in)
	}
	for i := range in {
		if !bytes.Equal(got[i].Raw, in[i].Raw) {
			t.Errorf("raw %d: %q, want %q", i, got[i].Raw, in[i].Raw)
		}
	}
	if none, err := s.Thread(ctx, "td", "other"); err != nil || len(none) != 0 {
		t.Errorf("unstored thread = %v, %v", none, err)
	}
}

func TestUpsert(t *testing.T) {
	s := open(t)
	c := conv("mw", "1", day(1), "first words")
	if err := s.PutConversations(ctx, "mw", []client.Conversation{c}); err != nil {
		t.Fatal(err)
	}
	c.Summary, c.Raw = "second words", json.RawMessage(`{"v":2}`)
	if err := s.PutConversations(ctx, "mw", []client.Conversation{c}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Errorf("Count = %d after upsert, want 1", n)
	}
	got, _, _ := s.Conversation(ctx, "mw", "1")
	if got.Summary != "second words" || string(got.Raw) != `{"v":2}` {
		t.Errorf("after upsert: %+v", got)
	}
	// The index follows: the old summary no longer matches, the new one does.
	if hits := search(t, s, SearchQuery{Text: "first"}); len(hits) != 0 {
		t.Errorf("old summary still indexed: %+v", hits)
	}
	if hits := search(t, s, SearchQuery{Text: "second"}); len(hits) != 1 {
		t.Errorf("new summary not indexed: %+v", hits)
	}

	// A thread stored again replaces it: changed text, a message gone.
	th := thread(3, "1")
	if err := s.PutThread(ctx, "mw", "1", th); err != nil {
		t.Fatal(err)
	}
	th = []client.Interaction{th[0], th[2]}
	th[1].Text = "edited eduroam"
	if err := s.PutThread(ctx, "mw", "1", th); err != nil {
		t.Fatal(err)
	}
	got2, _ := s.Thread(ctx, "mw", "1")
	if len(got2) != 2 || got2[1].Text != "edited eduroam" {
		t.Errorf("thread after upsert = %+v", got2)
	}
	if hits := search(t, s, SearchQuery{Text: `"message 1"`}); len(hits) != 0 {
		t.Errorf("deleted message still indexed: %+v", hits)
	}
	if hits := search(t, s, SearchQuery{Text: "eduroam"}); len(hits) != 1 || hits[0].InteractionID != "i2" {
		t.Errorf("edited message: %+v", hits)
	}
}

func TestConversationsWindow(t *testing.T) {
	s := open(t)
	var mw, td []client.Conversation
	for i := 1; i <= 10; i++ {
		mw = append(mw, conv("mw", fmt.Sprintf("m%02d", i), day(i), ""))
		td = append(td, conv("td", fmt.Sprintf("t%02d", i), day(i).Add(time.Hour), ""))
	}
	if err := s.PutConversations(ctx, "mw", mw); err != nil {
		t.Fatal(err)
	}
	if err := s.PutConversations(ctx, "td", td); err != nil {
		t.Fatal(err)
	}
	ids := func(cs []client.Conversation) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name string
		q    ListQuery
		want string
	}{
		{"newest first", ListQuery{Limit: 4}, "t10,m10,t09,m09"},
		{"second window", ListQuery{Offset: 4, Limit: 4}, "t08,m08,t07,m07"},
		{"oldest first", ListQuery{Order: client.OldestFirst, Limit: 3}, "m01,t01,m02"},
		{"one source", ListQuery{Sources: []string{"td"}, Limit: 3}, "t10,t09,t08"},
		{"two sources", ListQuery{Sources: []string{"td", "mw"}, Limit: 2}, "t10,m10"},
		{"unknown source", ListQuery{Sources: []string{"od"}}, ""},
		{"since until", ListQuery{Since: day(3), Until: day(5)}, "t04,m04,t03,m03"},
		{"past the end", ListQuery{Offset: 19, Limit: 5}, "m01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Conversations(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if ids(got) != tt.want {
				t.Errorf("got %s, want %s", ids(got), tt.want)
			}
		})
	}
	for _, c := range []struct {
		sources []string
		want    int
	}{{nil, 20}, {[]string{"mw"}, 10}, {[]string{"mw", "td"}, 20}, {[]string{"od"}, 0}} {
		if n, err := s.Count(ctx, c.sources...); err != nil || n != c.want {
			t.Errorf("Count(%v) = %d, %v; want %d", c.sources, n, err, c.want)
		}
	}
}

func search(t *testing.T, s *Store, q SearchQuery) []Hit {
	t.Helper()
	hits, err := s.Search(ctx, q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return hits
}

// searchFixture stores three sources' conversations and threads.
func searchFixture(t *testing.T) *Store {
	s := open(t)
	put := func(source string, c client.Conversation, texts ...string) {
		t.Helper()
		if err := s.PutConversations(ctx, source, []client.Conversation{c}); err != nil {
			t.Fatal(err)
		}
		var th []client.Interaction
		for i, text := range texts {
			th = append(th, client.Interaction{ID: fmt.Sprintf("%s-%d", c.ID, i), Actor: client.ActorUser, Text: text,
				Time: c.Started.Add(time.Duration(i) * time.Minute), UserID: "user-" + c.ID})
		}
		if err := s.PutThread(ctx, source, c.ID, th); err != nil {
			t.Fatal(err)
		}
	}
	put("mw", conv("mw", "a", day(1), "", client.Attr{Key: "domain", Value: "Networking"}),
		"my eduroam does not connect", "the wifi password expired")
	put("td", conv("td", "b", day(2), "printer jam", client.Attr{Key: client.AttrUserName, Value: "Zoë Smith"}),
		"the printer on floor 3 is jammed", "password reset please")
	put("od", conv("od", "c", day(3), ""), "Eduroam works now, thanks", "connecting from the library")
	return s
}

func TestSearchSyntax(t *testing.T) {
	s := searchFixture(t)
	tests := []struct {
		query string
		want  string // source/conversation[/interaction] of each hit, newest first
	}{
		{"eduroam", "od/c/c-0,mw/a/a-0"},
		{"EDUROAM", "od/c/c-0,mw/a/a-0"},
		{"password", "td/b/b-1,mw/a/a-1"},
		{`"password expired"`, "mw/a/a-1"},
		{`"expired password"`, ""},
		{"connect*", "od/c/c-1,mw/a/a-0"},
		{"eduroam AND library", ""}, // in different messages
		{"eduroam OR printer", "od/c/c-0,td/b/b-0,mw/a/a-0"},
		{"eduroam NOT thanks", "mw/a/a-0"},
		{"(wifi OR jammed) NOT floor", "mw/a/a-1"},
		{"jam", "td/b"},               // the summary
		{"networking", "mw/a"},        // an attribute value
		{"zoe", "td/b"},               // a user name, diacritics folded
		{`"user-c"`, "od/c/c-1"},      // a user id; the newest message of c
		{"who:smith", "td/b"},         // a column filter
		{"text:smith", ""},            // the name is not in any text
		{"nothing_like_this", ""},     // no match
		{`"floor 3"`, "td/b/b-0"},     // digits
		{"pass*   reset", "td/b/b-1"}, // prefix and word
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got []string
			for _, h := range search(t, s, SearchQuery{Text: tt.query}) {
				k := h.Conversation.Source + "/" + h.Conversation.ID
				if h.InteractionID != "" {
					k += "/" + h.InteractionID
				}
				got = append(got, k)
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("got %s, want %s", strings.Join(got, ","), tt.want)
			}
		})
	}
}

func TestSearchMalformed(t *testing.T) {
	s := searchFixture(t)
	for _, q := range []string{`"unterminated`, "eduroam AND", "OR", "(eduroam", "nosuchcolumn:x", "user-c", "a AND NOT b", "  ", "*"} {
		t.Run(q, func(t *testing.T) {
			_, err := s.Search(ctx, SearchQuery{Text: q})
			var qe *QueryError
			if !errors.Is(err, ErrBadQuery) || !errors.As(err, &qe) {
				t.Fatalf("Search(%q) = %v; want a *QueryError", q, err)
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, "invalid search") || strings.Contains(msg, "\n") || qe.Msg == "" ||
				strings.Contains(msg, "(1)") || strings.Contains(msg, "SQL logic error") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestSearchHighlight(t *testing.T) {
	s := open(t)
	c := conv("mw", "a", day(1), "")
	if err := s.PutConversations(ctx, "mw", []client.Conversation{c}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutThread(ctx, "mw", "a", []client.Interaction{
		{ID: "1", Text: "Hello \x1b[31mred\x1b[0m world, eduroam fails on eduroam-5G"},
	}); err != nil {
		t.Fatal(err)
	}
	hits := search(t, s, SearchQuery{Text: "eduroam"})
	if len(hits) != 1 {
		t.Fatalf("hits %+v", hits)
	}
	h := hits[0]
	if want := "Hello \x1b[31mred\x1b[0m world, \x02eduroam\x03 fails on \x02eduroam\x03-5G"; h.Snippet != want {
		t.Errorf("snippet %q, want %q", h.Snippet, want)
	}
	want := []Span{{`Hello \x1b[31mred\x1b[0m world, `, false}, {"eduroam", true}, {" fails on ", false}, {"eduroam", true}, {"-5G", false}}
	if got := h.Spans(); !reflect.DeepEqual(got, want) {
		t.Errorf("spans %+v, want %+v", got, want)
	}
	if h.Conversation.ID != "a" || !reflect.DeepEqual(h.Conversation, c) || !h.Time.IsZero() {
		t.Errorf("hit %+v", h)
	}
}

func TestSearchFilters(t *testing.T) {
	s := searchFixture(t)
	// A thread whose conversation is not stored is still found.
	if err := s.PutThread(ctx, "od", "orphan", []client.Interaction{{ID: "x", Text: "eduroam orphan", Time: day(9)}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    SearchQuery
		want string
	}{
		{"all", SearchQuery{Text: "eduroam"}, "od/orphan,od/c,mw/a"},
		{"source", SearchQuery{Text: "eduroam", Sources: []string{"mw"}}, "mw/a"},
		{"sources", SearchQuery{Text: "eduroam OR printer", Sources: []string{"mw", "td"}}, "td/b,mw/a"},
		{"since", SearchQuery{Text: "eduroam", Since: day(3)}, "od/orphan,od/c"},
		{"until", SearchQuery{Text: "eduroam", Until: day(3)}, "mw/a"},
		{"limit", SearchQuery{Text: "eduroam", Limit: 2}, "od/orphan,od/c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range search(t, s, tt.q) {
				got = append(got, h.Conversation.Source+"/"+h.Conversation.ID)
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("got %s, want %s", strings.Join(got, ","), tt.want)
			}
		})
	}
}

func TestClearAndStats(t *testing.T) {
	s := searchFixture(t)
	if err := s.SetWatermark(ctx, "mw", "", day(5)); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []SourceStats{
		{Source: "mw", Conversations: 1, Interactions: 2, Oldest: day(1), Newest: day(1), LastSync: clock},
		{Source: "od", Conversations: 1, Interactions: 2, Oldest: day(3), Newest: day(3)},
		{Source: "td", Conversations: 1, Interactions: 2, Oldest: day(2), Newest: day(2)},
	}
	if !reflect.DeepEqual(st.Sources, want) {
		t.Errorf("stats\n got %+v\nwant %+v", st.Sources, want)
	}
	if st.Size <= 0 || st.Path != s.Path() {
		t.Errorf("size %d path %q", st.Size, st.Path)
	}

	if err := s.Clear(ctx, "mw"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx, "mw"); n != 0 {
		t.Errorf("mw count after clear = %d", n)
	}
	if th, _ := s.Thread(ctx, "mw", "a"); len(th) != 0 {
		t.Errorf("mw thread after clear: %v", th)
	}
	if _, ok, _ := s.Watermark(ctx, "mw", ""); ok {
		t.Error("mw watermark survived clear")
	}
	if hits := search(t, s, SearchQuery{Text: "eduroam"}); len(hits) != 1 || hits[0].Conversation.Source != "od" {
		t.Errorf("search after clear mw: %+v", hits)
	}
	if n, _ := s.Count(ctx); n != 2 {
		t.Errorf("others' count after clear mw = %d", n)
	}

	if empty, err := s.Empty(ctx); err != nil || empty {
		t.Errorf("Empty with two sources stored = %v, %v", empty, err)
	}
	if err := s.Clear(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if empty, err := s.Empty(ctx); err != nil || !empty {
		t.Errorf("Empty after clear all = %v, %v", empty, err)
	}
	st, _ = s.Stats(ctx)
	if len(st.Sources) != 0 {
		t.Errorf("stats after clear all: %+v", st.Sources)
	}
	if hits := search(t, s, SearchQuery{Text: "eduroam OR printer OR jam"}); len(hits) != 0 {
		t.Errorf("search after clear all: %+v", hits)
	}
}

func TestWatermarks(t *testing.T) {
	s := open(t)
	if _, ok, err := s.Watermark(ctx, "mw", "f1"); ok || err != nil {
		t.Fatalf("unset watermark: %v %v", ok, err)
	}
	steps := []struct {
		source, key string
		t           time.Time
	}{{"mw", "f1", day(1)}, {"mw", "f2", day(2)}, {"td", "f1", day(3)}, {"mw", "f1", day(4)}}
	for _, st := range steps {
		if err := s.SetWatermark(ctx, st.source, st.key, st.t); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		source, key string
		want        time.Time
	}{{"mw", "f1", day(4)}, {"mw", "f2", day(2)}, {"td", "f1", day(3)}} {
		got, ok, err := s.Watermark(ctx, c.source, c.key)
		if err != nil || !ok || !got.Equal(c.want) {
			t.Errorf("Watermark(%s, %s) = %v, %v, %v; want %v", c.source, c.key, got, ok, err, c.want)
		}
	}
}

func TestFileMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "confab")
	path := filepath.Join(dir, "confab.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "1", day(1), "x")}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", fi.Mode().Perm())
	}
	var mode string
	s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode %q", mode)
	}

	// A file created too open by someone else is tightened.
	loose := filepath.Join(t.TempDir(), "loose.db")
	if err := os.WriteFile(loose, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, loose)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if fi, _ := os.Stat(loose); fi.Mode().Perm() != 0o600 {
		t.Errorf("loose file mode %v", fi.Mode().Perm())
	}
}

func TestOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a b#c?d%20e")
	path := filepath.Join(dir, "confab.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "1", day(1), "")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the file is not where asked: %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(dir)); len(ents) != 1 {
		t.Errorf("files beside the directory: %v", ents)
	}
}

func TestDefaultPath(t *testing.T) {
	env := map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"}
	if p, err := DefaultPath(func(k string) string { return env[k] }); err != nil || p != "/c/confab/confab.db" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
	delete(env, "XDG_CACHE_HOME")
	if p, err := DefaultPath(func(k string) string { return env[k] }); err != nil || p != "/h/.cache/confab/confab.db" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a database at all "), 400), 0o600); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		kind error
	}{
		{"corrupt", garbage, ErrCorrupt},
		{"directory is a file", filepath.Join(notDir, "confab.db"), ErrUnwritable},
		{"path is a directory", dir, ErrUnwritable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.path)
			s, err := Open(ctx, tt.path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			var ce *Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &ce) || ce.Path != tt.path {
				t.Fatalf("Open = %v; want %v for %s", err, tt.kind, tt.path)
			}
			t.Log(err)
			if msg := err.Error(); !strings.Contains(msg, tt.path) || strings.Contains(msg, "\n") {
				t.Errorf("message %q", msg)
			}
			if after, _ := os.ReadFile(tt.path); !bytes.Equal(before, after) {
				t.Error("Open changed the file")
			}
		})
	}
}

func TestLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "confab.db")
	holder, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	other, err := Open(ctx, path, WithBusyTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// The holder keeps a write transaction open.
	tx, err := holder.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO watermarks VALUES ('x', '', 1, 1)"); err != nil {
		t.Fatal(err)
	}
	err = other.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "1", day(1), "")})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("write while locked = %v; want ErrLocked", err)
	}
	// Reads go on (WAL).
	if _, err := other.Count(ctx); err != nil {
		t.Errorf("read while locked: %v", err)
	}
	// A new file being created while another holds it: opening waits, then ErrLocked.
	tx.Rollback()
	if err := other.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "1", day(1), "")}); err != nil {
		t.Errorf("write after unlock: %v", err)
	}
}

func TestClosed(t *testing.T) {
	s := open(t)
	s.Close()
	if _, err := s.Count(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Count after Close = %v", err)
	}
}

func TestRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), "confab.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "1", day(1), "")})
	s.Close()
	if err := Remove(path); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there: %v", p, err)
		}
	}
	if err := Remove(path); err != nil {
		t.Errorf("Remove of a missing file: %v", err)
	}
}

// storedAt is a new store file left at schema step n (the first n migrations), with the rows
// fill writes (through s.db, in that step's schema); every migration is back when it returns.
func storedAt(t *testing.T, n int, fill func(s *Store)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "confab.db")
	saved := migrations
	defer func() { migrations = saved }()
	migrations = saved[:n]
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fill(s)
	return path
}

func TestMigrations(t *testing.T) {
	t.Run("from version 0", func(t *testing.T) {
		// An existing empty SQLite file at user_version 0.
		path := filepath.Join(t.TempDir(), "confab.db")
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"DROP TABLE conversations", "DROP TABLE interactions", "DROP TABLE watermarks",
			"DROP TABLE conversations_fts", "DROP TABLE interactions_fts", "DROP TABLE conversation_days", "PRAGMA user_version = 0"} {
			if _, err := s.db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		s, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		v, _ := s.version(ctx)
		if v != SchemaVersion() {
			t.Errorf("version %d, want %d", v, SchemaVersion())
		}
		if err := s.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "1", day(1), "eduroam")}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, s, SearchQuery{Text: "eduroam"}); len(hits) != 1 {
			t.Errorf("hits %v", hits)
		}
	})
	t.Run("a new file is set up without an upgrade notice", func(t *testing.T) {
		s, err := Open(ctx, filepath.Join(t.TempDir(), "confab.db"), WithUpgradeNotice(func(from, to int) {
			t.Errorf("upgrade notice %d to %d for a new file", from, to)
		}))
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	})
	t.Run("a later step keeps data", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "confab.db")
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.PutConversations(ctx, "mw", []client.Conversation{conv("mw", "1", day(1), "kept")})
		s.Close()
		saved := migrations
		t.Cleanup(func() { migrations = saved })
		migrations = append(append([]string(nil), saved...), "ALTER TABLE conversations ADD COLUMN extra TEXT NOT NULL DEFAULT 'new'")
		s, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var extra string
		if err := s.db.QueryRowContext(ctx, "SELECT extra FROM conversations WHERE id = '1'").Scan(&extra); err != nil || extra != "new" {
			t.Errorf("extra = %q, %v", extra, err)
		}
		if v, _ := s.version(ctx); v != len(saved)+1 {
			t.Errorf("version %d", v)
		}
		if c, ok, _ := s.Conversation(ctx, "mw", "1"); !ok || c.Summary != "kept" {
			t.Errorf("data lost: %+v", c)
		}
	})
	t.Run("2: summaries from threads stored before", func(t *testing.T) {
		path := storedAt(t, 1, func(s *Store) {
			for _, q := range []string{
				`INSERT INTO conversations (source, id, summary, fetched_at) VALUES ('mw', 'a', '', 0), ('mw', 'b', 'vendor', 0), ('mw', 'c', '', 0)`,
				`INSERT INTO interactions (source, conversation_id, id, pos, actor, text, fetched_at) VALUES
					('mw', 'a', 'x', 0, 'bot', 'hello', 0), ('mw', 'a', 'y', 1, 'user', ' wifi ', 0), ('mw', 'a', 'z', 2, 'user', 'later', 0),
					('mw', 'b', 'x', 0, 'user', 'not this', 0), ('td', 'c', 'x', 0, 'user', 'other source', 0)`,
			} {
				if _, err := s.db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
		})
		var notices [][2]int
		s, err := Open(ctx, path, WithUpgradeNotice(func(from, to int) { notices = append(notices, [2]int{from, to}) }))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if want := [][2]int{{1, len(migrations)}}; !slices.Equal(notices, want) {
			t.Errorf("upgrade notices %v, want %v", notices, want)
		}
		for id, want := range map[string]string{"a": "wifi", "b": "vendor", "c": ""} {
			if c, ok, err := s.Conversation(ctx, "mw", id); !ok || err != nil || c.Summary != want {
				t.Errorf("%s: summary %q (%v, %v), want %q", id, c.Summary, ok, err, want)
			}
		}
	})
	t.Run("3: full-text keys in time order for rows stored before", func(t *testing.T) {
		path := storedAt(t, 2, func(s *Store) {
			// Rows inserted out of time order, two in one millisecond, some without a time.
			for i, tm := range []any{day(5).UnixNano(), day(1).UnixNano(), nil, day(5).UnixNano() + 1000, day(3).UnixNano(), nil, day(5).UnixNano() - 1000} {
				if _, err := s.db.ExecContext(ctx, "INSERT INTO conversations (source, id, started, summary, fetched_at) VALUES ('mw', ?, ?, 'eduroam summary', 0)", fmt.Sprint("c", i), tm); err != nil {
					t.Fatal(err)
				}
				if _, err := s.db.ExecContext(ctx, "INSERT INTO interactions (source, conversation_id, id, pos, actor, text, time, fetched_at) VALUES ('td', ?, 'm', 0, 'user', 'eduroam down', ?, 0)", fmt.Sprint("c", i), tm); err != nil {
					t.Fatal(err)
				}
			}
		})
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, q := range []SearchQuery{{Text: "eduroam"}, {Text: "eduroam", Limit: 2}, {Text: "summary", Limit: 3}, {Text: "down", Limit: 4}} {
			got, want := search(t, s, q), referenceSearch(t, s, q)
			if len(got) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("%+v:\n got %v\nwant %v", q, hitKeys(got), hitKeys(want))
			}
		}
		if hits := search(t, s, SearchQuery{Text: "down", Limit: 3}); len(hits) != 3 || hits[0].Conversation.ID != "c3" || hits[1].Conversation.ID != "c0" || hits[2].Conversation.ID != "c6" {
			t.Errorf("newest three: %v", hitKeys(hits))
		}
		// New rows after the migration take their place among the old.
		if err := s.PutThread(ctx, "td", "new", []client.Interaction{{ID: "m", Actor: client.ActorUser, Text: "down again", Time: day(4)}}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, s, SearchQuery{Text: "down", Limit: 4}); len(hits) != 4 || hits[3].Conversation.ID != "new" {
			t.Errorf("after a new row: %v", hitKeys(hits))
		}
	})
	t.Run("4: day counts for rows stored before", func(t *testing.T) {
		path := storedAt(t, 3, func(s *Store) {
			for i, tm := range []any{day(5).UnixNano(), day(1).UnixNano(), nil, day(5).UnixNano() + 1, int64(-1), day(9).UnixNano()} {
				if _, err := s.db.ExecContext(ctx, "INSERT INTO conversations (source, id, started, fetched_at, tkey) VALUES ('mw', ?, ?, 0, ?)", fmt.Sprint("c", i), tm, i); err != nil {
					t.Fatal(err)
				}
			}
		})
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		src := NewSource(s, "mw", "moveworks")
		for _, tc := range []struct {
			since, until time.Time
			want         int
		}{
			{time.Time{}, time.Time{}, 6},
			{day(1), day(9), 3},
			{day(2), time.Time{}, 3},
			{time.Time{}, day(2), 2},
			{time.Unix(0, -1), time.Unix(0, 0), 1},
		} {
			p, err := src.Conversations(ctx, client.Query{Since: tc.since, Until: tc.until}, "")
			if err != nil || p.Total != tc.want {
				t.Errorf("since %v until %v: total %d (%v), want %d", tc.since, tc.until, p.Total, err, tc.want)
			}
		}
	})
	t.Run("too new", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "confab.db")
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1))
		s.Close()
		_, err = Open(ctx, path)
		if !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), strconv.Itoa(SchemaVersion()+1)) {
			t.Fatalf("Open = %v; want ErrTooNew", err)
		}
	})
	t.Run("a failing step rolls back", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "confab.db")
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		saved := migrations
		t.Cleanup(func() { migrations = saved })
		migrations = append(append([]string(nil), saved...), "CREATE TABLE t2 (x); SELECT * FROM no_such_table")
		if _, err := Open(ctx, path); err == nil {
			t.Fatal("Open with a failing step succeeded")
		}
		migrations = saved
		s, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if v, _ := s.version(ctx); v != len(saved) {
			t.Errorf("version %d after a failed step", v)
		}
		var n int
		s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 't2'").Scan(&n)
		if n != 0 {
			t.Error("the failed step left a table")
		}
	})
}

// writeMany stores n conversations of source, one transaction each.
func writeMany(s *Store, source string, n int) error {
	for i := range n {
		c := conv(source, strconv.Itoa(i), day(1+i%28), "concurrent writer")
		if err := s.PutConversations(ctx, source, []client.Conversation{c}); err != nil {
			return err
		}
		if err := s.PutThread(ctx, source, c.ID, thread(2, c.ID)); err != nil {
			return err
		}
	}
	return nil
}

const childEnv = "CONFAB_CACHE_TEST_CHILD"

// TestChildWriter is the child process of TestTwoProcesses (it does nothing otherwise).
func TestChildWriter(t *testing.T) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("only as TestTwoProcesses' child")
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := writeMany(s, "child", 100); err != nil {
		t.Fatal(err)
	}
}

func TestTwoProcesses(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	path := filepath.Join(t.TempDir(), "confab.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Both open the new file at once: one creates and migrates it, the other waits.
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	werr := writeMany(s, "parent", 100)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, out.String())
	}
	if werr != nil {
		t.Fatal(werr)
	}
	for _, src := range []string{"parent", "child"} {
		if n, err := s.Count(ctx, src); err != nil || n != 100 {
			t.Errorf("Count(%s) = %d, %v", src, n, err)
		}
	}
	if hits := search(t, s, SearchQuery{Text: "concurrent", Limit: 1000}); len(hits) != 200 {
		t.Errorf("%d hits", len(hits))
	}
}

func TestTwoStoresGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "confab.db")
	var stores []*Store
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	// Both Opens race on the new file too.
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, path)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			stores = append(stores, s)
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	defer func() {
		for _, s := range stores {
			s.Close()
		}
	}()
	errs = make(chan error, 4)
	for i, s := range stores {
		wg.Add(2)
		go func() { defer wg.Done(); errs <- writeMany(s, fmt.Sprintf("g%d", i), 100) }()
		go func() { // a reader at the same time
			defer wg.Done()
			for range 50 {
				if _, err := s.Conversations(ctx, ListQuery{Limit: 50}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n, err := stores[0].Count(ctx); err != nil || n != 200 {
		t.Errorf("Count = %d, %v", n, err)
	}
}

// TestSearchBroadNarrow checks that both ways of finding the newest matches (sorting them,
// or walking the time indexes when there are many) give the same hits.
func TestSearchBroadNarrow(t *testing.T) {
	s := open(t)
	r := 0
	for ci := range 60 {
		src := []string{"mw", "td", "od"}[ci%3]
		c := conv(src, fmt.Sprintf("c%02d", ci), day(1).Add(time.Duration((ci*37)%60)*time.Hour), fmt.Sprintf("summary %d common", ci%4))
		if err := s.PutConversations(ctx, src, []client.Conversation{c}); err != nil {
			t.Fatal(err)
		}
		var th []client.Interaction
		for i := range 5 {
			r = (r*7 + 3) % 101
			it := client.Interaction{ID: fmt.Sprintf("i%d", i), Text: fmt.Sprintf("common word%d w%d", i, r%5),
				Time: c.Started.Add(time.Duration(r) * time.Minute)}
			if r%13 == 0 {
				it.Time = time.Time{}
			}
			th = append(th, it)
		}
		if err := s.PutThread(ctx, src, c.ID, th); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []SearchQuery{
		{Text: "common", Limit: 10},
		{Text: "common", Limit: 100},
		{Text: "w3 OR summary", Limit: 25},
		{Text: "word1", Sources: []string{"td", "od"}, Limit: 30},
		{Text: "common", Since: day(1).Add(10 * time.Hour), Until: day(1).Add(40 * time.Hour)},
		{Text: "w0"},
	} {
		narrow := search(t, s, q)
		broad := referenceSearch(t, s, q)
		if len(narrow) == 0 || !reflect.DeepEqual(narrow, broad) {
			t.Errorf("%+v:\nSearch    %d hits %v\nreference %d hits %v", q, len(narrow), hitKeys(narrow), len(broad), hitKeys(broad))
		}
		for i := 1; i < len(narrow); i++ {
			if newer(match{t: nullTime(narrow[i].Time)}, match{t: nullTime(narrow[i-1].Time)}) {
				t.Errorf("%+v: hit %d is newer than hit %d", q, i, i-1)
			}
		}
	}
}

// referenceSearch is Search done the plain way: every match of both indexes sorted by time
// (then rid for messages, source and id for conversations), merged, one per conversation.
func referenceSearch(t *testing.T, s *Store, q SearchQuery) []Hit {
	t.Helper()
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	read := func(query string, args ...any) []match {
		rows, err := s.db.QueryContext(ctx, query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []match
		for rows.Next() {
			var m match
			if err := rows.Scan(&m.tkey, &m.rid, &m.source, &m.conv, &m.iid, &m.t); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		return out
	}
	iw, iargs := where(q.Sources, "time", q.Since, q.Until)
	cw, cargs := where(q.Sources, "started", q.Since, q.Until)
	ims := read("SELECT tkey, rid, source, conversation_id, id, time FROM interactions WHERE tkey IN (SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ?)"+
		and(iw)+" ORDER BY time DESC, rid DESC", append([]any{q.Text}, iargs...)...)
	cms := read("SELECT tkey, rid, source, id, '', started FROM conversations WHERE tkey IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?)"+
		and(cw)+" ORDER BY started DESC, source DESC, id DESC", append([]any{q.Text}, cargs...)...)
	var ms []match
	seen := map[[2]string]bool{}
	for (len(ims) > 0 || len(cms) > 0) && len(ms) < limit {
		var m match
		if len(ims) > 0 && (len(cms) == 0 || !newer(cms[0], ims[0])) {
			m, ims = ims[0], ims[1:]
		} else {
			m, cms = cms[0], cms[1:]
		}
		if key := [2]string{m.source, m.conv}; !seen[key] {
			seen[key] = true
			ms = append(ms, m)
		}
	}
	hits, err := s.hits(ctx, q.Text, q.Text, ms)
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

func hitKeys(hs []Hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Conversation.Source+"/"+h.Conversation.ID+"/"+h.InteractionID)
	}
	return out
}

// TestCheckpointsAreNotSyncs: a checkpoint (CheckpointPrefix) is kept like a watermark but is
// not the source's last sync in Stats; DeleteWatermark removes one, and a missing one is fine.
func TestCheckpointsAreNotSyncs(t *testing.T) {
	var now time.Time
	s := open(t, WithClock(func() time.Time { return now }))
	now = day(1)
	if err := s.SetWatermark(ctx, "mw", "", day(1)); err != nil {
		t.Fatal(err)
	}
	now = day(5) // an interrupted sync, later
	key := CheckpointPrefix + "low:"
	if err := s.SetWatermark(ctx, "mw", key, day(3)); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sources) != 1 || !st.Sources[0].LastSync.Equal(day(1)) {
		t.Fatalf("stats %+v, want mw last synced %v (the checkpoint is not a sync)", st.Sources, day(1))
	}
	if _, ok, _ := s.Watermark(ctx, "mw", key); !ok {
		t.Fatal("the checkpoint is not kept")
	}
	for range 2 {
		if err := s.DeleteWatermark(ctx, "mw", key); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := s.Watermark(ctx, "mw", key); ok {
		t.Error("the checkpoint is still there after DeleteWatermark")
	}
	if _, ok, _ := s.Watermark(ctx, "mw", ""); !ok {
		t.Error("DeleteWatermark removed another key's watermark")
	}
}
