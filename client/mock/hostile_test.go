package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHostileStringsCoverage(t *testing.T) {
	all := strings.Join(HostileStrings(), "\n")
	for _, want := range []struct{ name, s string }{
		{"CSI clear screen", "\x1b[2J"},
		{"OSC 52 clipboard write", "\x1b]52;c;"},
		{"OSC 0 title", "\x1b]0;"},
		{"OSC 2 title", "\x1b]2;"},
		{"OSC 8 hyperlink", "\x1b]8;;"},
		{"DCS", "\x1bP"},
		{"APC", "\x1b_"},
		{"NUL", "\x00"},
		{"BEL", "\a"},
		{"DEL", "\x7f"},
		{"C1 CSI", "\u009b"},
		{"RTL override", "\u202e"},
		{"bidi isolate", "\u2067"},
		{"ZWJ emoji", "👩‍👩‍👧‍👦"},
		{"CJK", "日本語"},
		{"combining marks", "\u0301\u0301"},
		{"invalid UTF-8", "\xff"},
	} {
		if !strings.Contains(all, want.s) {
			t.Errorf("HostileStrings has no %s (%q)", want.name, want.s)
		}
	}
	a := HostileStrings()
	a[0] = "changed"
	if HostileStrings()[0] == "changed" {
		t.Error("HostileStrings returns the catalogue itself, not a copy")
	}
	if HostileString(-1) != HostileString(len(a)-1) || HostileString(len(a)) != HostileString(0) {
		t.Error("HostileString does not cycle")
	}
}

func TestHostileLong(t *testing.T) {
	for _, tc := range []struct {
		size  int
		lines bool
	}{{HostileLongSize, true}, {HostileLongSize, false}, {10, true}, {1000, false}} {
		s := HostileLong(tc.size, tc.lines)
		if want := max(tc.size, 64); len(s) != want {
			t.Errorf("HostileLong(%d, %v) is %d bytes", tc.size, tc.lines, len(s))
		}
		if !strings.Contains(s[:min(len(s), 200)], "\x1b") {
			t.Errorf("HostileLong(%d, %v) starts without escape sequences", tc.size, tc.lines)
		}
		if got := strings.ContainsAny(s, "\n\r\u2028\u2029"); got != tc.lines && tc.size > 1000 {
			t.Errorf("HostileLong(%d, %v) has line breaks: %v", tc.size, tc.lines, got)
		}
	}
}

// hostileMock is the Moveworks mock with the hostile records.
var hostileMock = NewMoveworks(Options{Seed: 7, End: testEnd, Days: 3, Hostile: true})

func TestHostileMoveworksCorpus(t *testing.T) {
	base := newServer(t, hostileMock)
	key := hostileMock.APIKey
	convs := list(t, q(base, "conversations", "$orderby", "created_time desc"), key)
	byID := map[string][]map[string]any{}
	domains := map[string]bool{}
	for _, c := range convs {
		id, _ := c["id"].(string)
		byID[id] = append(byID[id], c)
		if d, ok := c["primary_domain"].(string); ok {
			domains[d] = true
		}
	}
	for i, s := range HostileStrings() {
		var want string
		if err := json.Unmarshal(appendString(nil, s), &want); err != nil {
			t.Fatal(err)
		}
		if !domains[want] {
			t.Errorf("no conversation carries hostile string %d (%.40q)", i, s)
		}
	}
	if n := len(byID[HostileDuplicateID]); n != 2 {
		t.Errorf("%d conversations with the duplicate id, want 2", n)
	}
	for _, id := range []string{HostileNullsID, HostileMissingID, HostileLongID, HostileCyclesID, HostileEscapeID} {
		if len(byID[id]) != 1 {
			t.Errorf("conversation %q listed %d times", id, len(byID[id]))
		}
	}
	nulls := byID[HostileNullsID][0]
	for _, k := range []string{"user_id", "route", "primary_domain", "type", "last_updated_time"} {
		if v, ok := nulls[k]; !ok || v != nil {
			t.Errorf("nulls conversation: %s = %v (present %v), want null", k, v, ok)
		}
	}
	if _, ok := byID[HostileMissingID][0]["user_id"]; ok {
		t.Errorf("missing-fields conversation has a user_id")
	}

	// Threads: cycles, a self-parent, an orphan, a duplicated interaction id.
	inter := list(t, q(base, "interactions", "$filter", "conversation_id eq '"+HostileCyclesID+"'"), key)
	ids := map[string]int{}
	parents := map[string]string{}
	for _, it := range inter {
		id, _ := it["id"].(string)
		ids[id]++
		p, _ := it["parent_interaction_id"].(string)
		parents[id] = p
	}
	selfParent, dup, orphan := false, false, false
	for id, n := range ids {
		if parents[id] == id {
			selfParent = true
		}
		if n > 1 {
			dup = true
		}
		if p := parents[id]; p != "" && ids[p] == 0 {
			orphan = true
		}
	}
	if !selfParent || !dup || !orphan || len(inter) < 8 {
		t.Errorf("cyclic thread: self-parent %v, duplicate id %v, orphan %v, %d interactions", selfParent, dup, orphan, len(inter))
	}

	// The 200 KB messages are served whole.
	long := list(t, q(base, "interactions", "$filter", "conversation_id eq '"+HostileLongID+"'"), key)
	for _, it := range long {
		d, _ := it["detail"].(map[string]any)
		c, _ := d["content"].(string)
		if len(c) < HostileLongSize-1024 {
			t.Errorf("long message is %d bytes", len(c))
		}
		if !utf8.ValidString(c) {
			t.Errorf("long message is not valid UTF-8 once decoded")
		}
	}
}

// TestHostileDuplicatePages: with a small page size, the two conversations sharing an id are
// on different pages. (The page size is the server's: the mock ignores `Prefer:
// odata.maxpagesize`, as the vendor does.)
func TestHostileDuplicatePages(t *testing.T) {
	base := newServer(t, NewMoveworks(Options{Seed: 7, End: testEnd, Days: 3, Hostile: true, PageSize: 25}))
	var pages []int
	n := 0
	for link := q(base, "conversations", "$orderby", "created_time desc"); link != ""; n++ {
		status, body := getWithPrefer(t, link, hostileMock.APIKey, "odata.maxpagesize=25")
		if status != 200 {
			t.Fatalf("HTTP %d: %s", status, body)
		}
		if bytes.Contains(body, []byte(`"id":"`+HostileDuplicateID+`"`)) {
			pages = append(pages, n)
		}
		env, _ := decodeEnvelope(t, body)
		link = env.Next
	}
	if len(pages) != 2 || pages[0] == pages[1] {
		t.Errorf("duplicate id on pages %v, want two different pages", pages)
	}
}

func TestHostileOffByDefault(t *testing.T) {
	plain := NewMoveworks(Options{Seed: 7, End: testEnd, Days: 3})
	if _, ok := plain.data().convIndex[HostileCyclesID]; ok {
		t.Fatal("hostile records in a corpus without Options.Hostile")
	}
	// The hostile records are added on top: every plain record is still there, unchanged.
	hostile := map[string][]byte{}
	for _, r := range hostileMock.data().conversations.recs {
		hostile[r.id] = r.raw
	}
	for _, r := range plain.data().conversations.recs {
		if !bytes.Equal(hostile[r.id], r.raw) {
			t.Fatalf("conversation %s differs between the plain and the hostile corpus", r.id)
		}
	}
}

func getWithPrefer(t *testing.T, rawURL, auth, prefer string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Prefer", prefer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func decodeEnvelope(t *testing.T, body []byte) (envelope, error) {
	t.Helper()
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("page is not valid JSON: %v", err)
	}
	return env, nil
}
