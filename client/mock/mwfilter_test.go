package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client/odata"
)

// The mock's $filter evaluator (mwfilter.go) and confab's (client/odata) are written apart;
// these tests run the same filters through both and compare what they match, so a bug in
// one shows up as a disagreement with the other.

// diffColl is a collection with its decoded records.
type diffColl struct {
	name string
	oc   odata.Collection
	c    *mwCollection
	recs []map[string]any
}

func diffColls() []diffColl {
	return []diffColl{
		{"conversations", odata.Conversations, &shared.data().conversations, shared.data().conversations.decoded()},
		{"interactions", odata.Interactions, &shared.data().interactions, shared.data().interactions.decoded()[:3000]},
	}
}

// compareFilter runs filter through both evaluators. It returns "" when they agree: both
// refuse it, both accept it and match the same records, or confab accepts it with a warning
// (a form the vendor does not document, which confab sends anyway) and the mock refuses it.
// Anything else is described.
func compareFilter(d diffColl, filter string) (msg string, matched int) {
	cf, warns, cerr := odata.Check(filter, d.oc)
	mf, merr := mwCompileFilter(filter, d.c.fields, mwTimeFields)
	switch {
	case cerr != nil && merr != nil:
		return "", 0
	case cerr == nil && len(warns) > 0 && merr != nil:
		return "", 0
	case cerr != nil:
		return fmt.Sprintf("confab refuses %q (%v) but the mock accepts it", filter, cerr), 0
	case merr != nil:
		return fmt.Sprintf("confab accepts %q without a warning but the mock refuses it: %v", filter, merr), 0
	}
	for i, rec := range d.recs {
		a, b := cf.Match(rec), mf(rec)
		if a != b {
			raw, _ := json.Marshal(rec)
			return fmt.Sprintf("%q on %s record %d: confab %v, mock %v: %s", filter, d.name, i, a, b, raw), 0
		}
		if a {
			matched++
		}
	}
	return "", matched
}

func TestFilterDifferentialTable(t *testing.T) {
	d := diffColls()[0]
	someUser, _ := d.recs[len(d.recs)/3]["user_id"].(string)
	someTime, _ := d.recs[len(d.recs)/2]["created_time"].(string)
	tests := []struct {
		filter string
		some   bool // must match at least one record and not all
	}{
		// The vendor's documented samples (APIS.md §1.4).
		{"created_time gt '2026-11-10T00:00:00Z' and created_time lt '2026-11-12T00:00:00Z'", true},
		{"last_updated_time ge '2026-11-10T00:00:00.000Z' and last_updated_time le '2026-11-10T23:59:59.999Z'", true},
		{"user_id eq '" + someUser + "'", true},
		// Standard comparisons and logic on string attributes.
		{"route ne 'DM'", true},
		{"route eq 'DM' or primary_domain eq 'HR'", true},
		{"not (route eq 'DM') and (primary_domain eq 'IT' or primary_domain eq 'HR')", true},
		{"primary_domain eq null", true},
		{"primary_domain ne null and route eq 'Notification'", true},
		{"'DM' eq route", true},
		{"user_id gt '" + someUser + "' and user_id le '9'", true},
		{"created_time ge " + someTime + " and created_time lt 2026-11-19", true},
		{"created_time eq '" + someTime + "'", true},
		{"created_time gt '2026-11-15T02:00:00+02:00'", true},
		{"ROUTE eq 'DM'", false}, // field names are case-sensitive: both refuse
		{"route EQ 'DM' AND NOT (primary_domain eq 'IT')", true},
		// Undocumented: confab warns, the mock refuses.
		{"primary_domain in ('IT', 'HR')", false},
		{"contains(route, 'Not')", false},
		{"tolower(route) eq 'dm'", false},
		{"detail/ticket_id ne null", false},
		// Invalid: both refuse.
		{"route eq", false},
		{"route gt null", false},
		{"user_id eq 42", false},
		{"created_time gt 'yesterday'", false},
		{"(route eq 'DM'", false},
		{"not route eq 'DM'", false},
		{"route has 'DM'", false},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			msg, n := compareFilter(d, tc.filter)
			if msg != "" {
				t.Fatal(msg)
			}
			if tc.some && (n == 0 || n == len(d.recs)) {
				t.Fatalf("%q matched %d of %d records: the comparison proves nothing", tc.filter, n, len(d.recs))
			}
		})
	}
}

// randomFilter builds a filter of documented forms from the collection's own values.
func randomFilter(r *rand.Rand, d diffColl, depth int) string {
	if depth > 0 && r.IntN(3) > 0 {
		a, b := randomFilter(r, d, depth-1), randomFilter(r, d, depth-1)
		switch r.IntN(4) {
		case 0:
			return a + " and " + b
		case 1:
			return a + " or " + b
		case 2:
			return "not (" + a + ")"
		}
		return "(" + a + ") and (" + b + " or " + a + ")"
	}
	fields := make([]string, 0, len(d.c.fields))
	for f := range d.c.fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	f := fields[r.IntN(len(fields))]
	if f == "detail" {
		f = "id"
	}
	ops := []string{"eq", "ne", "gt", "ge", "lt", "le"}
	op := ops[r.IntN(len(ops))]
	rec := d.recs[r.IntN(len(d.recs))]
	v, _ := rec[f].(string)
	switch {
	case v == "" && (op == "eq" || op == "ne"):
		return f + " " + op + " null"
	case v == "":
		v = "M"
	}
	if mwTimeFields[f] {
		t, _ := time.Parse(time.RFC3339Nano, v)
		t = t.Add(time.Duration(r.IntN(7200)-3600) * time.Second)
		switch r.IntN(3) {
		case 0:
			return f + " " + op + " " + t.Format("2006-01-02T15:04:05Z")
		case 1:
			return f + " " + op + " '" + t.Format("2006-01-02") + "'"
		}
		return f + " " + op + " '" + t.In(time.FixedZone("", 5400)).Format(time.RFC3339Nano) + "'"
	}
	if r.IntN(4) == 0 && len(v) > 1 {
		v = v[:len(v)/2] // a prefix: ordering comparisons between records
	}
	return f + " " + op + " '" + strings.ReplaceAll(v, "'", "''") + "'"
}

func TestFilterDifferentialRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 7))
	for _, d := range diffColls() {
		matchedSome := 0
		for range 300 {
			f := randomFilter(r, d, 3)
			msg, n := compareFilter(d, f)
			if msg != "" {
				t.Fatal(msg)
			}
			if n > 0 && n < len(d.recs) {
				matchedSome++
			}
		}
		if matchedSome < 50 {
			t.Fatalf("%s: only %d of 300 random filters split the records", d.name, matchedSome)
		}
	}
}

// FuzzFilterDifferential feeds arbitrary text to both evaluators (go test -fuzz
// FuzzFilterDifferential -fuzztime 20s ./client/mock/).
func FuzzFilterDifferential(f *testing.F) {
	for _, s := range []string{
		"created_time gt '2026-11-10T00:00:00Z' and route eq 'DM'",
		"not (primary_domain eq null) or user_id lt '3'",
		"route in ('DM')", "contains(route, 'D')", "detail/domain eq 'IT'",
		"created_time ge 2026-11-12", "(route eq 'DM') and (id ne 'x''y')",
	} {
		f.Add(s)
	}
	d := diffColls()[0]
	d.recs = d.recs[:400]
	f.Fuzz(func(t *testing.T, filter string) {
		if len(filter) > 512 {
			return
		}
		if msg, _ := compareFilter(d, filter); msg != "" {
			t.Fatal(msg)
		}
	})
}

// TestMockRefusesUndocumentedFilters: forms the vendor's documents do not promise are a 400
// with Moveworks' documented error body ({"code","message"}, APIS.md §1.8).
func TestMockRefusesUndocumentedFilters(t *testing.T) {
	base := newServer(t, shared)
	for _, filter := range []string{
		"primary_domain in ('IT', 'HR')",
		"contains(route, 'DM')",
		"tolower(route) eq 'dm'",
		"detail/domain eq 'IT'",
		"route eq 'DM' and startswith(id, 'a')",
	} {
		t.Run(filter, func(t *testing.T) {
			status, body := get(t, q(base, "conversations", "$filter", filter), shared.APIKey)
			var e struct{ Code, Message string }
			if status != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Code != "INVALID_ARGUMENT" || e.Message == "" {
				t.Fatalf("HTTP %d %s, want 400 INVALID_ARGUMENT", status, body)
			}
		})
	}
}

// TestMockOrderByEveryDocumentedField: $orderby takes every top-level attribute (APIS.md §1.4
// shows id, created_time, last_updated_time, user_id), in both directions, and refuses paths
// into detail and unknown directions.
func TestMockOrderByEveryDocumentedField(t *testing.T) {
	m := NewMoveworks(Options{Seed: 7, End: testEnd, Days: 2, PageSize: 40})
	base := newServer(t, m)
	for _, coll := range []string{"conversations", "interactions"} {
		c := &m.data().conversations
		filter := "route eq 'DM'"
		if coll == "interactions" {
			c, filter = &m.data().interactions, "created_time ge '"+testEnd.Add(-12*time.Hour).Format(time.RFC3339)+"'"
		}
		var fields []string
		for f := range c.fields {
			if f != "detail" {
				fields = append(fields, f)
			}
		}
		sort.Strings(fields)
		for _, f := range fields {
			for _, dir := range []string{"asc", "desc"} {
				t.Run(coll+" "+f+" "+dir, func(t *testing.T) {
					recs := list(t, q(base, coll, "$filter", filter, "$orderby", f+" "+dir), m.APIKey)
					if len(recs) < 41 {
						t.Fatalf("%d records: not enough for two pages", len(recs))
					}
					for i := 1; i < len(recs); i++ {
						a, _ := recs[i-1][f].(string) // null sorts first, as ""
						b, _ := recs[i][f].(string)
						if (dir == "desc" && a < b) || (dir == "asc" && a > b) {
							t.Fatalf("row %d: %s %q then %q", i, f, a, b)
						}
					}
				})
			}
		}
	}
	for _, bad := range []string{"detail/domain", "created_time sideways", "nope desc", "id desc desc"} {
		status, body := get(t, q(base, "conversations", "$orderby", bad), m.APIKey)
		if status != http.StatusBadRequest || !strings.Contains(string(body), "INVALID_ARGUMENT") {
			t.Errorf("$orderby %q: HTTP %d %s, want 400", bad, status, body)
		}
	}
}

// TestMockIgnoresMaxPageSize: the vendor pages at its own size; `Prefer:
// odata.maxpagesize` changes nothing (APIS.md §1.4, §1.5).
func TestMockIgnoresMaxPageSize(t *testing.T) {
	m := NewMoveworks(Options{Seed: 7, End: testEnd, Days: 2, PageSize: 30})
	base := newServer(t, m)
	for _, prefer := range []string{"", "odata.maxpagesize=5", "odata.maxpagesize=1000"} {
		status, body := getWithPrefer(t, q(base, "conversations"), m.APIKey, prefer)
		var env envelope
		if status != 200 || json.Unmarshal(body, &env) != nil || len(env.Value) != 30 || env.Next == "" {
			t.Fatalf("Prefer %q: HTTP %d, %d rows, next %q; want the server's 30", prefer, status, len(env.Value), env.Next)
		}
	}
}

// TestFaultRateLimitWithoutRetryAfter: retry-after=none sends 429s with no Retry-After, as
// the Data API may (it documents none, APIS.md §1.7).
func TestFaultRateLimitWithoutRetryAfter(t *testing.T) {
	f, err := ParseFaults("429=1,retry-after=none")
	if err != nil || !f.RetryAfterNone || f.RateLimit != 1 {
		t.Fatalf("ParseFaults: %+v, %v", f, err)
	}
	srv := httptest.NewServer(f.Wrap(shared, 1))
	defer srv.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, q(srv.URL, "conversations"), nil)
	req.Header.Set("Authorization", shared.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Values("Retry-After") != nil {
		t.Fatalf("HTTP %d, Retry-After %q; want a 429 without one", resp.StatusCode, resp.Header.Values("Retry-After"))
	}
}
