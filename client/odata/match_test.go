package odata

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// matchRecords are interactions as encoding/json decodes them.
const matchRecords = `[
 {"id":"a","actor":"user","platform":"slack","type":"INTERACTION_TYPE_FREE_TEXT","label":null,
  "parent_interaction_id":null,"created_time":"2025-08-01T16:45:27.511Z",
  "last_updated_time":"2025-08-02T06:01:00Z",
  "detail":{"content":"My VPN is down","domain":"IT","entity":"vpn"}},
 {"id":"b","actor":"bot","platform":"slack","type":"INTERACTION_TYPE_BOT_MESSAGE",
  "parent_interaction_id":"a","created_time":"2025-08-01T16:45:28Z","detail":{"content":"Let me help"}},
 {"id":"c","actor":"user","platform":"msteams","type":"INTERACTION_TYPE_UIFORM_SUBMISSION","label":"file_ticket",
  "created_time":"2025-08-01T18:00:00.000+02:00","detail":{"detail":"RITM0010536"}},
 {"id":"d","actor":"user","platform":"web","label":"handoff","created_time":"2025-08-02T00:00:00Z","detail":null},
 {"id":"e","platform":"Slack","label":"mw_form","user_id":123,"created_time":"not a date"}
]`

func decodeRecords(t testing.TB, s string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	if err := json.Unmarshal([]byte(s), &recs); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestMatch(t *testing.T) {
	recs := decodeRecords(t, matchRecords)
	tests := []struct {
		filter string
		want   string // ids of the matching records
	}{
		{"", "abcde"},
		{"platform eq 'slack'", "ab"},
		{"platform ne 'slack'", "cde"},
		{"'slack' eq platform", "ab"},
		{"platform gt 'msteams'", "abd"}, // ordinal: "Slack" < "msteams"
		{"platform le 'msteams'", "ce"},
		{"tolower(platform) eq 'slack'", "abe"},
		{"toupper(platform) eq 'SLACK'", "abe"},
		// null and missing fields.
		{"label eq null", "ab"},
		{"null eq label", "ab"},
		{"label ne null", "cde"},
		{"label eq 'handoff'", "d"},
		{"label ne 'handoff'", "abce"}, // null ne 'x' holds
		{"label lt 'z'", "cde"},        // ordering with null is false
		{"parent_interaction_id eq label", "a"},
		{"tolower(label) eq null", "ab"},
		{"detail/domain eq 'IT'", "a"},
		{"detail/domain eq null", "bcde"},
		{"detail/entity ne 'vpn'", "bcde"},
		// Date-times compared as instants, whatever their form.
		{"created_time gt '2025-08-01T16:45:27.5Z'", "abd"},
		{"created_time eq 2025-08-01T16:45:27.511000Z", "a"},
		{"created_time eq '2025-08-01T18:45:27.511+02:00'", "a"},
		{"created_time eq '2025-08-01T16:00:00Z'", "c"},
		{"created_time le 2025-08-01T17:00:00+01:00", "c"},
		{"created_time lt 2025-08-01T17:00:00+01:00", ""},
		{"created_time ge 2025-08-02", "d"},
		{"created_time ge '2025-08-01' and created_time lt '2025-08-02'", "abc"},
		{"created_time ne '2025-08-02T00:00:00Z'", "abce"}, // an unreadable date is null
		{"created_time eq null", ""},
		{"created_time in ('2025-08-02', 2025-08-01T16:00:00Z)", "cd"},
		{"created_time lt last_updated_time", "a"},
		// in.
		{"platform in ('web', 'msteams')", "cd"},
		{"label in ('handoff', null)", "abd"},
		{"platform in ('a','b','c','d','e','f','g','h','i','web')", "d"}, // long lists use a set
		// Logic and precedence.
		{"not (platform eq 'slack')", "cde"},
		{"not not (platform eq 'slack')", "ab"},
		{"actor eq 'user' or actor eq 'bot' and platform eq 'msteams'", "acd"},
		{"(actor eq 'user' or actor eq 'bot') and platform eq 'slack'", "ab"},
		{"actor eq 'bot' or platform eq 'web' or label eq 'mw_form'", "bde"},
		{"platform eq 'slack' and not (actor eq 'bot') or id eq 'e'", "ae"},
		// String functions.
		{"contains(detail/content, 'VPN')", "a"},
		{"contains(detail/content, 'vpn')", ""},
		{"contains(tolower(detail/content), 'vpn')", "a"},
		{"startswith(detail/content, 'Let')", "b"},
		{"endswith(id, 'e')", "e"},
		{"not contains(detail/content, 'VPN')", "bcde"}, // two-valued: null content does not contain
		{"contains(detail/content, '')", "ab"},
		// Non-string values are compared as their text.
		{"user_id eq '123'", "e"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := Parse(tt.filter, Interactions)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got strings.Builder
			for _, r := range recs {
				if f.Match(r) {
					got.WriteString(r["id"].(string))
				}
			}
			if got.String() != tt.want {
				t.Errorf("matched %q, want %q", got.String(), tt.want)
			}
		})
	}
}

func TestMatchConversations(t *testing.T) {
	recs := decodeRecords(t, `[
	 {"id":"1","primary_domain":"IT","route":"DM","created_time":"2026-01-05T10:00:00Z"},
	 {"id":"2","primary_domain":null,"route":"Notification","type":"CONVERSATION_TYPE_COMMS_NOTIFICATION",
	  "detail":{"campaign_name":"Open enrolment"},"created_time":"2026-03-30T10:00:00Z"},
	 {"id":"3","primary_domain":"HR","route":"DM","created_time":"2025-12-31T23:59:59.999Z"}]`)
	tests := []struct {
		filter, want string
	}{
		{"created_time gt '2026-01-01T00:00:00Z' and created_time lt '2026-03-24T00:00:00Z'", "1"},
		{"primary_domain in ('IT', 'HR')", "13"},
		{"primary_domain eq null", "2"},
		{"route eq 'DM' and created_time lt 2026-01-01", "3"},
		{"contains(detail/campaign_name, 'enrol')", "2"},
	}
	for _, tt := range tests {
		f, err := Parse(tt.filter, Conversations)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.filter, err)
		}
		var got []string
		for _, r := range recs {
			if f.Match(r) {
				got = append(got, r["id"].(string))
			}
		}
		if strings.Join(got, "") != tt.want {
			t.Errorf("%s: matched %v, want %s", tt.filter, got, tt.want)
		}
	}
}

// benchRecords makes n interactions shaped like the vendor's samples.
func benchRecords(n int) []map[string]any {
	platforms := []string{"slack", "msteams", "movewebchat"}
	types := []string{"INTERACTION_TYPE_FREE_TEXT", "INTERACTION_TYPE_BOT_MESSAGE", "INTERACTION_TYPE_BUTTON_CLICK"}
	recs := make([]map[string]any, n)
	for i := range recs {
		recs[i] = map[string]any{
			"id":                fmt.Sprintf("id%010d", i),
			"conversation_id":   fmt.Sprintf("c%011d", i/7),
			"user_id":           fmt.Sprintf("%d", 15392314957513647503-uint64(i%500)),
			"actor":             []string{"user", "bot"}[i%2],
			"platform":          platforms[i%3],
			"type":              types[i%3],
			"label":             nil,
			"created_time":      fmt.Sprintf("2025-08-%02dT%02d:%02d:%02d.%03dZ", 1+i%28, i%24, i%60, (i*7)%60, i%1000),
			"last_updated_time": "2025-08-02T06:01:00Z",
			"detail":            map[string]any{"content": fmt.Sprintf("message %d about VPN access", i), "domain": "IT"},
		}
	}
	return recs
}

// BenchmarkMatch measures one Match call (ns/op is per record); the mock server runs it over
// ~30k records per request.
func BenchmarkMatch(b *testing.B) {
	recs := benchRecords(30000)
	for _, bc := range []struct{ name, filter string }{
		{"equality", "user_id eq '15392314957513647503'"},
		{"daterange", "created_time ge '2025-08-05T00:00:00Z' and created_time lt '2025-08-12T00:00:00Z'"},
		{"mixed", "platform in ('slack', 'msteams') and created_time ge 2025-08-05T00:00:00Z and not (label eq null) or contains(tolower(detail/content), 'vpn')"},
	} {
		f, err := Parse(bc.filter, Interactions)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			i := 0
			for b.Loop() {
				if f.Match(recs[i]) {
					n++
				}
				i++
				if i == len(recs) {
					i = 0
				}
			}
			_ = n
		})
	}
}

// BenchmarkParse measures parsing a typical filter.
func BenchmarkParse(b *testing.B) {
	const s = "platform eq 'slack' and created_time ge 2026-11-01T00:00:00Z and not (label eq null)"
	for b.Loop() {
		if _, err := Parse(s, Interactions); err != nil {
			b.Fatal(err)
		}
	}
}
