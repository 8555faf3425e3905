package moveworks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/odata"
)

// strictVendor is a Moveworks Data API written for these tests from APIS.md §1 alone, not
// from confab's mock: it accepts only the raw API key (`Authorization: <key>`, the vendor's own
// example, M4), refuses $count on conversations (documented for interactions only, M7),
// pages at its own fixed size whatever the client prefers, links pages with an absolute
// opaque $skiptoken, leaves out `value` on an empty page, and answers errors with the
// documented flat body {"code","message"} (M1, §1.8).
type strictVendor struct {
	*httptest.Server
	key      string
	pageSize int
	conv     []string // conversation records, JSON, in created_time order
	inter    []string // interaction records of conversation "0B4ZobXF4Lxx", JSON

	mu      sync.Mutex
	queries []url.Values // the query of every records request, by arrival
	paths   []string
}

// The vendor's sample interactions (APIS.md §1.6: ids, user_id as a 20-digit decimal string,
// millisecond UTC timestamps, keys in alphabetical order).
var vendorInteractions = []string{
	`{"actor":"user","conversation_id":"0B4ZobXF4Lxx","created_time":"2025-08-01T16:45:27.511Z","detail":{"content":"my vpn keeps disconnecting","domain":"IT","entity":"vpn"},"id":"cun-BKxnVkaD","label":null,"last_updated_time":"2025-08-02T06:03:11.207Z","parent_interaction_id":null,"platform":"slack","type":"INTERACTION_TYPE_FREE_TEXT","user_id":"15392314957513647503"}`,
	`{"actor":"bot","conversation_id":"0B4ZobXF4Lxx","created_time":"2025-08-01T16:45:29.002Z","detail":{"content":"Try reconnecting with the GlobalProtect client."},"id":"dx9Lq2mZpT0a","label":null,"last_updated_time":"2025-08-03T18:26:40.000Z","parent_interaction_id":"cun-BKxnVkaD","platform":"slack","type":"INTERACTION_TYPE_BOT_MESSAGE","user_id":"15392314957513647503"}`,
	`{"actor":"user","conversation_id":"0B4ZobXF4Lxx","created_time":"2025-08-01T16:46:02.118Z","detail":{"content":"Helpful"},"id":"Qw3rTy-uI0p1","label":null,"last_updated_time":"2025-08-02T06:03:11.207Z","parent_interaction_id":null,"platform":"slack","type":"INTERACTION_TYPE_BUTTON_CLICK","user_id":"15392314957513647503"}`,
	`{"actor":"bot","conversation_id":"0B4ZobXF4Lxx","created_time":"2025-08-01T16:46:03.500Z","detail":{"content":"Glad I could help."},"id":"zZ0-aB1cD2eF","label":null,"last_updated_time":"2025-08-02T06:03:11.207Z","parent_interaction_id":"Qw3rTy-uI0p1","platform":"slack","type":"INTERACTION_TYPE_BOT_MESSAGE","user_id":"15392314957513647503"}`,
}

func newStrictVendor(t *testing.T, pageSize int) *strictVendor {
	v := &strictVendor{key: "mwk_live_0123456789abcdef", pageSize: pageSize, inter: vendorInteractions}
	t0 := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
	for i := range 7 {
		v.conv = append(v.conv, fmt.Sprintf(`{"created_time":%q,"id":"conv%07d","last_updated_time":"2025-08-02T06:01:00.000Z","primary_domain":"IT","route":"DM","user_id":"1539231495751364750%d"}`,
			t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02T15:04:05.000Z"), i, i))
	}
	v.Server = httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.Close)
	return v
}

func (v *strictVendor) fail(w http.ResponseWriter, status int, code, msg string) {
	b, _ := json.Marshal(map[string]string{"code": code, "message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (v *strictVendor) recorded() ([]string, []url.Values) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.paths...), append([]url.Values(nil), v.queries...)
}

func (v *strictVendor) serve(w http.ResponseWriter, r *http.Request) {
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		v.fail(w, 400, "INVALID_ARGUMENT", "malformed query")
		return
	}
	v.mu.Lock()
	v.paths = append(v.paths, r.URL.Path)
	v.queries = append(v.queries, vals)
	v.mu.Unlock()
	if r.Header.Get("Authorization") != v.key {
		v.fail(w, http.StatusUnauthorized, "UNAUTHENTICATED", "invalid API key")
		return
	}
	var recs []string
	coll := strings.TrimPrefix(r.URL.Path, "/export/v1/records/")
	switch coll {
	case "conversations":
		if vals.Has("$count") {
			v.fail(w, 400, "INVALID_ARGUMENT", "$count is not supported on conversations")
			return
		}
		recs = v.conv
	case "interactions":
		recs = v.inter
	default:
		v.fail(w, 404, "NOT_FOUND", "no such collection")
		return
	}
	for key := range strings.SplitSeq(vals.Get("$orderby"), ",") {
		if f := strings.Fields(key); len(f) > 0 && !strings.Contains(recs0(recs), `"`+f[0]+`":`) {
			v.fail(w, 400, "INVALID_ARGUMENT", "cannot order by "+f[0])
			return
		}
	}
	if f := vals.Get("$filter"); strings.Contains(f, "bogus") {
		v.fail(w, 400, "INVALID_ARGUMENT", "Invalid filter: unknown property 'bogus'")
		return
	}
	if strings.Contains(vals.Get("$filter"), "'none'") {
		recs = nil
	}
	start := 0
	if tok := vals.Get("$skiptoken"); tok != "" {
		if len(vals) != 1 {
			v.fail(w, 400, "INVALID_ARGUMENT", "$skiptoken stands alone")
			return
		}
		if start, err = strconv.Atoi(strings.TrimPrefix(tok, "opaque-")); err != nil {
			v.fail(w, 400, "INVALID_ARGUMENT", "bad $skiptoken")
			return
		}
	}
	end := min(start+v.pageSize, len(recs)) // Prefer: odata.maxpagesize is ignored
	body := `{"@odata.context":"` + v.URL + `/export/v1/records/$metadata#` + coll + `"`
	if vals.Get("$count") == "true" {
		body += `,"@odata.count":` + strconv.Itoa(len(recs))
	}
	if end > start {
		body += `,"value":[` + strings.Join(recs[start:end], ",") + `]`
	}
	if end < len(recs) {
		body += `,"@odata.nextLink":"` + v.URL + r.URL.Path + `?$skiptoken=opaque-` + strconv.Itoa(end) + `"`
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte(body + "}"))
}

// recs0 is the first record, whose keys are the sortable attributes.
func recs0(recs []string) string {
	if len(recs) == 0 {
		return ""
	}
	return recs[0]
}

func (v *strictVendor) source(t *testing.T, edit func(*Config)) *Source {
	t.Helper()
	cfg := Config{Name: "mw", BaseURL: v.URL + "/export/v1/records", Secret: v.key, HTTP: fastRetries}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestVendorAuthScheme: by default confab sends the raw key, which the vendor's own example
// sends; "bearer" is an option; a refused key's hint names the other api_key_style.
func TestVendorAuthScheme(t *testing.T) {
	tests := []struct {
		style  string
		ok     bool
		hintTo string // the api_key_style the 401 hint suggests
	}{
		{"", true, ""},
		{"raw", true, ""},
		{"bearer", false, `api_key_style = "raw"`},
	}
	for _, tc := range tests {
		t.Run("style "+tc.style, func(t *testing.T) {
			v := newStrictVendor(t, 3)
			s := v.source(t, func(c *Config) { c.KeyStyle = tc.style })
			_, err := s.Conversations(context.Background(), client.Query{}, "")
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, client.ErrAuth) {
				t.Fatalf("err = %v, want ErrAuth", err)
			}
			hint := client.HintFor("mw", err)
			if !strings.Contains(hint, tc.hintTo) || !strings.Contains(hint, "confab auth login mw") {
				t.Fatalf("hint %q does not suggest %s", hint, tc.hintTo)
			}
			if strings.Contains(err.Error()+hint, v.key) {
				t.Fatal("the key leaked into the error")
			}
		})
	}
	// A wrong key sent raw: the hint suggests bearer, and the vendor's message is shown.
	v := newStrictVendor(t, 3)
	s := v.source(t, func(c *Config) { c.Secret = "mwk_wrong" })
	_, err := s.Thread(context.Background(), client.Conversation{ID: "0B4ZobXF4Lxx"})
	if hint := client.HintFor("mw", err); !errors.Is(err, client.ErrAuth) || !strings.Contains(hint, `api_key_style = "bearer"`) ||
		!strings.Contains(err.Error(), "UNAUTHENTICATED") || !strings.Contains(err.Error(), "invalid API key") {
		t.Fatalf("err %v, hint %q", err, hint)
	}
	// OAuth2 has no key style to suggest.
	if got := (&Source{}).explain(err); got != err {
		t.Fatalf("explain without a key style changed the error: %v", got)
	}
}

// TestVendorCountOnlyOnInteractions: $count=true is documented for interactions only; confab
// sends it there and never on conversations, whose listing has no total.
func TestVendorCountOnlyOnInteractions(t *testing.T) {
	v := newStrictVendor(t, 3)
	s := v.source(t, nil)
	ctx := context.Background()
	var all []client.Conversation
	for cursor := ""; ; {
		p, err := s.Conversations(ctx, client.Query{}, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != -1 {
			t.Fatalf("total %d without a vendor count", p.Total)
		}
		all = append(all, p.Conversations...)
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	if len(all) != len(v.conv) {
		t.Fatalf("listed %d of %d", len(all), len(v.conv))
	}
	if _, err := s.Thread(ctx, client.Conversation{ID: "0B4ZobXF4Lxx"}); err != nil {
		t.Fatal(err)
	}
	paths, queries := v.recorded()
	sawInteractions := false
	for i, p := range paths {
		first := !queries[i].Has("$skiptoken")
		switch {
		case strings.HasSuffix(p, "/conversations") && queries[i].Has("$count"):
			t.Errorf("request %d sent $count on conversations: %v", i, queries[i])
		case strings.HasSuffix(p, "/interactions") && first:
			sawInteractions = true
			if queries[i].Get("$count") != "true" {
				t.Errorf("the first interactions request has no $count=true: %v", queries[i])
			}
		}
	}
	if !sawInteractions {
		t.Fatal("no interactions request")
	}
}

// TestVendorInteractionFields: user_id (a 20-digit decimal string, beyond int64) and
// last_updated_time of the vendor's sample interactions survive into the model, across the
// vendor's fixed pages (confab asks for pages of 1; the vendor sends 3).
func TestVendorInteractionFields(t *testing.T) {
	v := newStrictVendor(t, 3)
	s := v.source(t, func(c *Config) { c.PageSize = 1 })
	got, err := s.Thread(context.Background(), client.Conversation{ID: "0B4ZobXF4Lxx"})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, user, updated string
	}{
		{"cun-BKxnVkaD", "15392314957513647503", "2025-08-02T06:03:11.207Z"},
		{"dx9Lq2mZpT0a", "15392314957513647503", "2025-08-03T18:26:40Z"},
		{"Qw3rTy-uI0p1", "15392314957513647503", "2025-08-02T06:03:11.207Z"},
		{"zZ0-aB1cD2eF", "15392314957513647503", "2025-08-02T06:03:11.207Z"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d interactions, want %d", len(got), len(want))
	}
	for i, w := range want {
		it := got[i]
		if it.ID != w.id || it.UserID != w.user || it.Updated.Format(time.RFC3339Nano) != w.updated {
			t.Errorf("interaction %d: id %s user %q updated %s; want %+v", i, it.ID, it.UserID, it.Updated.Format(time.RFC3339Nano), w)
		}
	}
	// The JSON export carries them under confab's names.
	b, _ := json.Marshal(got[0])
	if !strings.Contains(string(b), `"user_id":"15392314957513647503"`) || !strings.Contains(string(b), `"updated":"2025-08-02T06:03:11.207Z"`) {
		t.Fatalf("JSON: %s", b)
	}
	b, _ = json.Marshal(client.Interaction{ID: "x"})
	if strings.Contains(string(b), "user_id") || strings.Contains(string(b), "updated") {
		t.Fatalf("empty user and update time are not omitted: %s", b)
	}
}

// TestVendorErrorBody: the vendor's documented error body {"code","message"} reaches the
// error confab shows, and an empty result (no `value` key) is an empty page.
func TestVendorErrorBody(t *testing.T) {
	v := newStrictVendor(t, 3)
	s := v.source(t, nil)
	_, err := s.Conversations(context.Background(), client.Query{Filter: "route eq 'bogus'"}, "")
	if !errors.Is(err, client.ErrBadFilter) || !strings.Contains(err.Error(), "INVALID_ARGUMENT") ||
		!strings.Contains(err.Error(), "Invalid filter: unknown property 'bogus'") {
		t.Fatalf("err = %v", err)
	}
	p, err := s.Conversations(context.Background(), client.Query{Filter: "id eq 'none'"}, "")
	if err != nil || len(p.Conversations) != 0 || p.Next != "" {
		t.Fatalf("empty result: %+v, %v", p, err)
	}
}

// TestOrderByDocumentedFields: every $orderby of the vendor's material (APIS.md §1.4) and
// every other top-level attribute parses, in both directions, for both collections.
func TestOrderByDocumentedFields(t *testing.T) {
	tests := []struct {
		c       odata.Collection
		orderby string
	}{
		{odata.Interactions, "id desc"},                 // M10
		{odata.Conversations, "created_time"},           // M8, M9
		{odata.Conversations, "last_updated_time desc"}, // X1
		{odata.Interactions, "user_id desc"},            // M3
		{odata.Conversations, "user_id asc, id desc"},
		{odata.Conversations, "primary_domain, route desc, type"},
		{odata.Interactions, "conversation_id, actor, platform desc, type, label, parent_interaction_id, last_updated_time"},
	}
	for _, tc := range tests {
		t.Run(tc.orderby, func(t *testing.T) {
			keys, err := odata.ParseOrderBy(tc.orderby, tc.c)
			if err != nil || len(keys) == 0 {
				t.Fatalf("ParseOrderBy(%q) = %v, %v", tc.orderby, keys, err)
			}
		})
	}
}
