package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var testEnd = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// shared is one mock for the read-only tests (generation is the slow part).
var shared = NewMoveworks(Options{Seed: 7, End: testEnd})

func newServer(t testing.TB, m *Moveworks) string {
	t.Helper()
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv.URL
}

type envelope struct {
	Context string            `json:"@odata.context"`
	Count   *int              `json:"@odata.count"`
	Next    string            `json:"@odata.nextLink"`
	Value   []json.RawMessage `json:"value"`
}

func get(t testing.TB, rawURL, auth string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
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

func getPage(t testing.TB, rawURL, auth string) (envelope, map[string]json.RawMessage) {
	t.Helper()
	status, body := get(t, rawURL, auth)
	if status != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %s", rawURL, status, body)
	}
	var env envelope
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	_ = json.Unmarshal(body, &keys)
	return env, keys
}

// list follows nextLinks from first and returns every record.
func list(t testing.TB, first, auth string) []map[string]any {
	t.Helper()
	var out []map[string]any
	seen := map[string]bool{}
	for link := first; link != ""; {
		if seen[link] {
			t.Fatalf("nextLink loop at %s", link)
		}
		seen[link] = true
		env, _ := getPage(t, link, auth)
		for _, raw := range env.Value {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		link = env.Next
	}
	return out
}

func q(base, coll string, kv ...string) string {
	var parts []string
	for i := 0; i < len(kv); i += 2 {
		parts = append(parts, kv[i]+"="+url.QueryEscape(kv[i+1]))
	}
	u := base + MoveworksRecordsPath + "/" + coll
	if len(parts) > 0 {
		u += "?" + strings.Join(parts, "&")
	}
	return u
}

func TestPagingVisitsEveryRecordOnce(t *testing.T) {
	base := newServer(t, shared)
	auth := "Bearer " + shared.APIKey
	nConv, nInter := shared.Counts()
	if nConv < 2500 || nConv > 3500 || nInter < 15000 {
		t.Fatalf("corpus size %d conversations, %d interactions; want ~3000 and many more interactions", nConv, nInter)
	}
	for _, tc := range []struct {
		coll string
		want int
	}{{"conversations", nConv}, {"interactions", nInter}} {
		t.Run(tc.coll, func(t *testing.T) {
			first := q(base, tc.coll)
			pages := 0
			ids := map[string]bool{}
			for link := first; link != ""; pages++ {
				env, _ := getPage(t, link, auth)
				if env.Context != base+MoveworksRecordsPath+"/$metadata#"+tc.coll {
					t.Fatalf("@odata.context = %q", env.Context)
				}
				if env.Next != "" {
					if len(env.Value) != 500 {
						t.Fatalf("page %d has %d rows, want 500", pages, len(env.Value))
					}
					u, err := url.Parse(env.Next)
					if err != nil || !u.IsAbs() || "http://"+u.Host != base || u.Path != MoveworksRecordsPath+"/"+tc.coll {
						t.Fatalf("nextLink %q is not an absolute link to the collection", env.Next)
					}
					if qs := u.Query(); len(qs) != 1 || qs.Get("$skiptoken") == "" {
						t.Fatalf("nextLink %q should carry only $skiptoken", env.Next)
					}
				}
				for _, raw := range env.Value {
					var r struct{ ID string }
					if err := json.Unmarshal(raw, &r); err != nil {
						t.Fatal(err)
					}
					if ids[r.ID] {
						t.Fatalf("record %s seen twice", r.ID)
					}
					ids[r.ID] = true
				}
				link = env.Next
			}
			if len(ids) != tc.want {
				t.Fatalf("visited %d records in %d pages, want %d", len(ids), pages, tc.want)
			}
		})
	}
}

func TestDefaultOrderAndOrderBy(t *testing.T) {
	base := newServer(t, shared)
	auth := shared.APIKey // raw key
	tests := []struct {
		orderby string
		field   string
		desc    bool
	}{
		{"", "created_time", false},
		{"created_time", "created_time", false},
		{"created_time desc", "created_time", true},
		{"user_id desc", "user_id", true},
		{"last_updated_time asc", "last_updated_time", false},
		{"id", "id", false},
	}
	for _, tc := range tests {
		t.Run(tc.orderby, func(t *testing.T) {
			args := []string{"$filter", "route eq 'DM'"}
			if tc.orderby != "" {
				args = append(args, "$orderby", tc.orderby)
			}
			recs := list(t, q(base, "conversations", args...), auth)
			if len(recs) < 100 {
				t.Fatalf("only %d records", len(recs))
			}
			for i := 1; i < len(recs); i++ {
				a, b := recs[i-1][tc.field].(string), recs[i][tc.field].(string)
				if (tc.desc && a < b) || (!tc.desc && a > b) {
					t.Fatalf("row %d: %s %q then %q is out of order", i, tc.field, a, b)
				}
			}
		})
	}
}

func TestFilters(t *testing.T) {
	base := newServer(t, shared)
	auth := "Bearer " + shared.APIKey
	all := list(t, q(base, "conversations"), auth)
	someUser := all[len(all)/2]["user_id"].(string)
	from, to := "2026-11-10T00:00:00Z", "2026-11-12T00:00:00Z"
	tests := []struct {
		name   string
		filter string
		keep   func(map[string]any) bool
	}{
		{"route", "route eq 'Notification'", func(m map[string]any) bool { return m["route"] == "Notification" }},
		{"window", "created_time ge '" + from + "' and created_time lt '" + to + "'", func(m map[string]any) bool {
			s := m["created_time"].(string)
			return s >= "2026-11-10T00:00:00.000Z" && s < "2026-11-12T00:00:00.000Z"
		}},
		{"user", "user_id eq '" + someUser + "'", func(m map[string]any) bool { return m["user_id"] == someUser }},
		{"domain and route", "primary_domain eq 'HR' and route eq 'DM'", func(m map[string]any) bool {
			return m["primary_domain"] == "HR" && m["route"] == "DM"
		}},
		{"id fast path", "id eq '" + SpecialDeepThread + "'", func(m map[string]any) bool { return m["id"] == SpecialDeepThread }},
		{"nothing", "id eq 'nope'", func(map[string]any) bool { return false }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, m := range all {
				if tc.keep(m) {
					want = append(want, m["id"].(string))
				}
			}
			got := list(t, q(base, "conversations", "$filter", tc.filter), auth)
			var gotIDs []string
			for _, m := range got {
				gotIDs = append(gotIDs, m["id"].(string))
			}
			if !slices.Equal(gotIDs, want) {
				t.Fatalf("filter %q: got %d records, want %d", tc.filter, len(gotIDs), len(want))
			}
			if tc.name != "nothing" && len(want) == 0 {
				t.Fatalf("filter %q matched nothing; the test proves nothing", tc.filter)
			}
		})
	}
}

func TestThreadFastPathMatchesScan(t *testing.T) {
	base := newServer(t, shared)
	auth := "Bearer " + shared.APIKey
	for _, id := range []string{SpecialDeepThread, SpecialOrphan, shared.data().conversations.recs[100].id} {
		fast := list(t, q(base, "interactions", "$filter", "conversation_id eq '"+id+"'"), auth)
		// Parentheses defeat the fast path: the full scan must agree.
		slow := list(t, q(base, "interactions", "$filter", "(conversation_id eq '"+id+"')"), auth)
		if len(fast) == 0 || len(fast) != len(slow) {
			t.Fatalf("%s: fast path %d rows, scan %d", id, len(fast), len(slow))
		}
		for i := range fast {
			if fast[i]["id"] != slow[i]["id"] || fast[i]["conversation_id"] != id {
				t.Fatalf("%s: row %d differs", id, i)
			}
		}
	}
}

func TestTopSkipCountSelect(t *testing.T) {
	base := newServer(t, shared)
	auth := "Bearer " + shared.APIKey
	n, _ := shared.Counts()

	env, _ := getPage(t, q(base, "conversations", "$top", "3"), auth)
	if len(env.Value) != 3 || env.Next != "" {
		t.Fatalf("$top=3: %d rows, next %q", len(env.Value), env.Next)
	}
	if got := list(t, q(base, "conversations", "$top", "700"), auth); len(got) != 700 {
		t.Fatalf("$top=700 over pages: %d rows", len(got))
	}
	env, _ = getPage(t, q(base, "conversations", "$skip", strconv.Itoa(n-10), "$count", "true"), auth)
	if len(env.Value) != 10 || env.Next != "" || env.Count == nil || *env.Count != n {
		t.Fatalf("$skip=n-10&$count=true: %d rows, next %q, count %v", len(env.Value), env.Next, env.Count)
	}
	env, _ = getPage(t, q(base, "conversations", "$count", "true", "$filter", "route eq 'DM'"), auth)
	if env.Count == nil || *env.Count <= 500 || env.Next == "" {
		t.Fatalf("$count with paging: count %v next %q", env.Count, env.Next)
	}
	env2, _ := getPage(t, env.Next, auth)
	if env2.Count == nil || *env2.Count != *env.Count {
		t.Fatalf("@odata.count not repeated on page 2")
	}
	// /$count path form: a bare integer.
	status, body := get(t, base+MoveworksRecordsPath+"/conversations/$count?$filter="+url.QueryEscape("route eq 'DM'"), auth)
	if status != 200 || string(body) != strconv.Itoa(*env.Count) {
		t.Fatalf("/$count: %d %q, want %d", status, body, *env.Count)
	}
	// Zero matches: only @odata.context (and the count asked for).
	_, keys := getPage(t, q(base, "conversations", "$filter", "id eq 'none'"), auth)
	if _, ok := keys["value"]; ok || len(keys) != 1 {
		t.Fatalf("empty result keys %v, want only @odata.context", keys)
	}
	// $select keeps the listed keys, in alphabetical order.
	status, body = get(t, q(base, "conversations", "$select", "user_id,id", "$top", "2"), auth)
	if status != 200 || !regexp.MustCompile(`"value":\[\{"id":"[^"]+","user_id":"\d+"\},\{`).Match(body) {
		t.Fatalf("$select: %d %s", status, body)
	}
}

func TestErrors(t *testing.T) {
	m := NewMoveworks(Options{Seed: 7, End: testEnd, Days: 2, ErrorShape: "wrapped"})
	base := newServer(t, m)
	bearer := "Bearer " + m.APIKey
	tests := []struct {
		name   string
		url    string
		auth   string
		status int
		code   string
	}{
		{"no credential", q(base, "conversations"), "", 401, "UNAUTHENTICATED"},
		{"wrong key", q(base, "conversations"), "Bearer nope", 401, "UNAUTHENTICATED"},
		{"raw key", q(base, "conversations"), m.APIKey, 200, ""},
		{"scoped key on conversations", q(base, "conversations"), m.ConversationsKey, 200, ""},
		{"scoped key on interactions", q(base, "interactions"), "Bearer " + m.ConversationsKey, 403, "PERMISSION_DENIED"},
		{"bad filter", q(base, "conversations", "$filter", "route eq"), bearer, 400, "INVALID_ARGUMENT"},
		{"unknown field", q(base, "conversations", "$filter", "plaform eq 'x'"), bearer, 400, "INVALID_ARGUMENT"},
		{"unknown option", q(base, "conversations", "$expand", "x"), bearer, 400, "INVALID_ARGUMENT"},
		{"bad top", q(base, "conversations", "$top", "-1"), bearer, 400, "INVALID_ARGUMENT"},
		{"bad select", q(base, "conversations", "$select", "nope"), bearer, 400, "INVALID_ARGUMENT"},
		{"bad skiptoken", q(base, "conversations", "$skiptoken", "garbage"), bearer, 400, "INVALID_ARGUMENT"},
		{"skiptoken plus filter", q(base, "conversations", "$skiptoken", (mwQuery{Coll: "conversations", Page: 5}).token(), "$filter", "route eq 'DM'"), bearer, 400, "INVALID_ARGUMENT"},
		{"token for other collection", q(base, "interactions", "$skiptoken", (mwQuery{Coll: "conversations", Page: 5}).token()), bearer, 400, "INVALID_ARGUMENT"},
		{"unknown collection", q(base, "plugin-calls"), bearer, 404, "NOT_FOUND"},
		{"unknown path", base + "/nope", bearer, 404, "NOT_FOUND"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(t, tc.url, tc.auth)
			if status != tc.status {
				t.Fatalf("HTTP %d, want %d: %s", status, tc.status, body)
			}
			if tc.code == "" {
				return
			}
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != tc.code || e.Error.Message == "" {
				t.Fatalf("body %s, want wrapped code %s with a message", body, tc.code)
			}
		})
	}
	// The default (flat) shape, with the parser's message.
	status, body := get(t, q(newServer(t, shared), "conversations", "$filter", "plaform eq 'x'"), "Bearer "+shared.APIKey)
	var flat struct{ Code, Message string }
	if status != 400 || json.Unmarshal(body, &flat) != nil || flat.Code != "INVALID_ARGUMENT" || !strings.Contains(flat.Message, "plaform") {
		t.Fatalf("flat error: %d %s", status, body)
	}
}

func TestTokenEndpoint(t *testing.T) {
	m := NewMoveworks(Options{Seed: 3, End: testEnd, Days: 2})
	now := testEnd
	m.Now = func() time.Time { return now }
	base := newServer(t, m)
	tokenURL := base + MoveworksTokenPath
	post := func(ctype string, body string, basic bool, secret string) (int, map[string]any) {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, tokenURL, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		if basic {
			req.SetBasicAuth(url.QueryEscape(m.ClientID), url.QueryEscape(secret))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("token endpoint Content-Type %q", ct)
		}
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, out
	}
	jsonBody := func(secret string) string {
		b, _ := json.Marshal(map[string]string{"client_id": m.ClientID, "client_secret": secret, "grant_type": "client_credentials"})
		return string(b)
	}
	formBody := func(secret string) string {
		return url.Values{"client_id": {m.ClientID}, "client_secret": {secret}, "grant_type": {"client_credentials"}}.Encode()
	}
	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name   string
		ctype  string
		body   string
		basic  string
		status int
		errStr string
	}{
		{"json", "application/json", jsonBody(m.ClientSecret), "", 200, ""},
		{"form", form, formBody(m.ClientSecret), "", 200, ""},
		{"basic", form, "grant_type=client_credentials", m.ClientSecret, 200, ""},
		{"json wrong secret", "application/json", jsonBody("wrong"), "", 401, "invalid_client"},
		{"form wrong secret", form, formBody("wrong"), "", 401, "invalid_client"},
		{"basic wrong secret", form, "grant_type=client_credentials", "wrong", 401, "invalid_client"},
		{"bad grant", form, "grant_type=password", m.ClientSecret, 400, "unsupported_grant_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out := post(tc.ctype, tc.body, tc.basic != "", tc.basic)
			if status != tc.status {
				t.Fatalf("HTTP %d, want %d: %v", status, tc.status, out)
			}
			if tc.errStr != "" {
				if out["error"] != tc.errStr {
					t.Fatalf("error %v, want %s", out["error"], tc.errStr)
				}
				return
			}
			tok, _ := out["access_token"].(string)
			if !strings.HasPrefix(tok, "mwt_") || out["expires_in"] != 3600.0 || out["token_type"] != "Bearer" {
				t.Fatalf("token response %v", out)
			}
			if st, body := get(t, q(base, "interactions", "$top", "1"), "Bearer "+tok); st != 200 {
				t.Fatalf("token refused: %d %s", st, body)
			}
			now = now.Add(time.Hour)
			if st, _ := get(t, q(base, "interactions", "$top", "1"), "Bearer "+tok); st != 401 {
				t.Fatalf("expired token: HTTP %d, want 401", st)
			}
			now = testEnd
		})
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	dump := func(m *Moveworks) []byte {
		var b bytes.Buffer
		for _, c := range []*mwCollection{&m.data().conversations, &m.data().interactions} {
			for _, r := range c.recs {
				b.Write(r.raw)
				b.WriteByte('\n')
			}
		}
		return b.Bytes()
	}
	a := dump(NewMoveworks(Options{Seed: 7, End: testEnd}))
	if !bytes.Equal(a, dump(shared)) {
		t.Fatal("same seed and End gave different corpora")
	}
	if bytes.Equal(a, dump(NewMoveworks(Options{Seed: 8, End: testEnd}))) {
		t.Fatal("different seeds gave the same corpus")
	}
	m1, m2 := NewMoveworks(Options{Seed: 7, End: testEnd}), shared
	if m1.APIKey != m2.APIKey || m1.ClientSecret != m2.ClientSecret {
		t.Fatal("credentials are not derived from the seed")
	}
}

func TestCorpusShape(t *testing.T) {
	c := shared.data()
	idRe := regexp.MustCompile(`^[A-Za-z0-9_-]{12}$`)
	maxInt64 := new(big.Int).SetUint64(1<<63 - 1)
	byID := map[string]map[string]any{}
	inters := c.interactions.decoded()
	for _, m := range inters {
		byID[m["id"].(string)] = m
	}
	platformsSeen, typesSeen, domains := map[any]bool{}, map[any]bool{}, map[any]bool{}
	clickOnBot, cjk, emoji := 0, 0, 0
	for i, m := range inters {
		if !idRe.MatchString(m["id"].(string)) || !idRe.MatchString(m["conversation_id"].(string)) {
			t.Fatalf("bad id in %s", c.interactions.recs[i].raw)
		}
		uid := m["user_id"].(string)
		n, ok := new(big.Int).SetString(uid, 10)
		if !ok || len(uid) < 19 || len(uid) > 20 || n.Cmp(maxInt64) <= 0 {
			t.Fatalf("user_id %q is not a 19-20 digit number above int64", uid)
		}
		if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(m["created_time"].(string)) {
			t.Fatalf("timestamp %q", m["created_time"])
		}
		platformsSeen[m["platform"]] = true
		typesSeen[m["type"]] = true
		text, _ := m["detail"].(map[string]any)["content"].(string)
		if regexp.MustCompile(`\p{Han}|\p{Hiragana}|\p{Katakana}`).MatchString(text) {
			cjk++
		}
		if strings.ContainsAny(text, "🎉😩🐢👋☕🌴") {
			emoji++
		}
		p, hasParent := m["parent_interaction_id"].(string)
		switch m["actor"] {
		case "bot":
			if hasParent && p != MissingParent {
				par := byID[p]
				if par == nil || par["conversation_id"] != m["conversation_id"] {
					t.Fatalf("bot message %s has parent %s outside its conversation", m["id"], p)
				}
			}
		case "user":
			if hasParent {
				if byID[p]["actor"] != "bot" {
					t.Fatalf("user interaction %s has a non-bot parent", m["id"])
				}
				clickOnBot++
			}
		}
	}
	for _, m := range c.conversations.decoded() {
		domains[m["primary_domain"]] = true
	}
	if len(platformsSeen) != 3 || len(typesSeen) != 6 || !domains["IT"] || !domains["HR"] || !domains[nil] || len(domains) < 7 {
		t.Fatalf("platforms %v types %v domains %v", platformsSeen, typesSeen, domains)
	}
	if clickOnBot == 0 || cjk == 0 || emoji == 0 {
		t.Fatalf("clicks on bot messages %d, CJK texts %d, emoji texts %d: all should be > 0", clickOnBot, cjk, emoji)
	}
	for _, id := range []string{SpecialDeepThread, SpecialOrphan, SpecialLong, SpecialHostile} {
		if _, ok := c.convIndex[id]; !ok {
			t.Fatalf("special conversation %s missing", id)
		}
	}
	if _, ok := byID[MissingParent]; ok {
		t.Fatal("the orphan's parent exists")
	}
	if len(c.interByConv[SpecialDeepThread]) < 20 {
		t.Fatalf("deep thread has only %d interactions", len(c.interByConv[SpecialDeepThread]))
	}
}

func TestStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, "127.0.0.1:0", Options{Seed: 1, End: testEnd, Days: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v := s.Moveworks
	if v.Kind != "moveworks" || !strings.HasSuffix(v.BaseURL, MoveworksRecordsPath) || !strings.HasSuffix(v.TokenURL, MoveworksTokenPath) || v.APIKey == "" {
		t.Fatalf("vendor %+v", v)
	}
	if st, body := get(t, v.BaseURL+"/conversations?$top=1", "Bearer "+v.APIKey); st != 200 {
		t.Fatalf("HTTP %d: %s", st, body)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(v.BaseURL + "/conversations"); err == nil {
		t.Fatal("server still answers after Close")
	}
	if _, err := Start(ctx, "0.0.0.0:0", Options{}); err == nil {
		t.Fatal("Start accepted a non-loopback address")
	}
}

func BenchmarkGenerate(b *testing.B) {
	opts := Options{Seed: 1, End: testEnd}.withDefaults()
	for b.Loop() {
		genMoveworks(opts)
	}
}

func BenchmarkListPage(b *testing.B) {
	base := newServer(b, shared)
	u := q(base, "interactions", "$filter", "created_time ge '2026-11-01T00:00:00Z'", "$orderby", "created_time desc")
	for b.Loop() {
		if st, _ := get(b, u, shared.APIKey); st != 200 {
			b.Fatal(st)
		}
	}
}

func TestStampAndAppendString(t *testing.T) {
	for _, tm := range []time.Time{testEnd, time.Date(2025, 8, 1, 16, 45, 27, 511_999_999, time.UTC), time.Date(99, 1, 2, 3, 4, 5, 0, time.FixedZone("x", -3600))} {
		if got, want := stamp(tm), tm.UTC().Format("2006-01-02T15:04:05.000Z"); got != want {
			t.Errorf("stamp(%v) = %q, want %q", tm, got, want)
		}
	}
	for _, s := range []string{"plain", "quote \" backslash \\ nl \n tab \t", "\x1b[31m\x00\x7f", "é😀中", "bad \xff utf8", "sep \u2028 \u2029"} {
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		want, _ := json.Marshal(s)
		var w string
		_ = json.Unmarshal(want, &w)
		if got != w {
			t.Errorf("round trip of %q gave %q, want %q", s, got, w)
		}
	}
}

// TestSummaryQuery: a conversation's first user interaction, as confab asks for it
// (conversation_id and actor, created_time asc, $top=1), is one row: the first user row of
// the conversation's thread. A conjunction with an or is not answered from the
// conversation's rows alone.
func TestSummaryQuery(t *testing.T) {
	base := newServer(t, shared)
	auth := "Bearer " + shared.APIKey
	convs := list(t, q(base, "conversations", "$top", "3"), auth)
	if len(convs) != 3 {
		t.Fatalf("%d conversations", len(convs))
	}
	for _, c := range convs {
		id := c["id"].(string)
		t.Run(id, func(t *testing.T) {
			var first map[string]any
			for _, it := range list(t, q(base, "interactions", "$filter", "conversation_id eq '"+id+"'", "$orderby", "created_time asc"), auth) {
				if it["actor"] == "user" {
					first = it
					break
				}
			}
			env, _ := getPage(t, q(base, "interactions", "$filter", "conversation_id eq '"+id+"' and actor eq 'user'",
				"$orderby", "created_time asc", "$top", "1"), auth)
			if first == nil {
				if len(env.Value) != 0 {
					t.Fatalf("%d rows for a conversation without user rows", len(env.Value))
				}
				return
			}
			if len(env.Value) != 1 || env.Next != "" {
				t.Fatalf("%d rows, next %q; want 1 row, no next link", len(env.Value), env.Next)
			}
			var got map[string]any
			if err := json.Unmarshal(env.Value[0], &got); err != nil {
				t.Fatal(err)
			}
			if got["id"] != first["id"] {
				t.Fatalf("row %v, want the first user row %v", got["id"], first["id"])
			}
		})
	}
	a, b := convs[0]["id"].(string), convs[1]["id"].(string)
	rows := list(t, q(base, "interactions", "$filter", "conversation_id eq '"+a+"' and actor eq 'bot' or conversation_id eq '"+b+"'"), auth)
	seen := map[any]bool{}
	for _, r := range rows {
		seen[r["conversation_id"]] = true
	}
	if !seen[b] {
		t.Fatalf("the or's other conversation is missing: %v", seen)
	}
}
