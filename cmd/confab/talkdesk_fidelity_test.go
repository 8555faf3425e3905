package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client/talkdesk"
	"github.com/confab-dev/confab/store/config"
)

// tdVendor is a Talkdesk-shaped server written from APIS.md §2 alone (not client/mock): a
// token for any HTTP Basic client, and the interactions whose started_at falls in the
// requested [start_date, end_date), all on one page.
func tdVendor(t *testing.T, interactions ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/oauth/token" {
			if _, _, ok := r.BasicAuth(); !ok {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
				return
			}
			_, _ = w.Write([]byte(`{"access_token":"t0k","token_type":"Bearer","expires_in":3600}`))
			return
		}
		start, err1 := time.Parse(time.RFC3339Nano, r.URL.Query().Get("start_date"))
		end, err2 := time.Parse(time.RFC3339Nano, r.URL.Query().Get("end_date"))
		if r.Header.Get("Authorization") != "Bearer t0k" || err1 != nil || err2 != nil {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"1001","message":"Bad Request","fields":[{"name":"start_date","description":"is required"}]}`))
			return
		}
		var page []string
		for _, raw := range interactions {
			var it struct {
				StartedAt time.Time `json:"started_at"`
			}
			_ = json.Unmarshal([]byte(raw), &it)
			if !it.StartedAt.Before(start) && it.StartedAt.Before(end) {
				page = append(page, raw)
			}
		}
		_, _ = w.Write([]byte(`{"_embedded":{"interactions":[` + strings.Join(page, ",") + `]},"_links":{}}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// tdCall is a call two days before testNow over two recordings (message_index and the audio
// offsets starting again in the second), no message_start_at, its messages shuffled; the
// first agent is named only in agents[]. The ids sort in no useful order.
var tdCall = `{"id":"call-7","customer_id":"c-1","started_at":"` + testNow.Add(-48*time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z") + `",` +
	`"ended_at":"` + testNow.Add(-47*time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z") + `","direction":"INBOUND","ring_groups":["billing"],` +
	`"agents":[{"id":"a-1","name":"Ana Souza"},{"id":"a-2","name":"Ben Okafor"}],"source_system":"STT","messages":[` +
	`{"message_id":"d55","message_index":1,"recording_index":1,"text":"Charged twice.","channel":"VOICE","participant":"CUSTOMER","start_time":3,"end_time":5},` +
	`{"message_id":"f9c","message_index":2,"recording_index":0,"text":"Transferring you.","channel":"VOICE","participant":"AGENT","agent_id":"a-1","start_time":9,"end_time":11},` +
	`{"message_id":"a13","message_index":0,"recording_index":1,"text":"Billing, Ben here.","channel":"VOICE","participant":"AGENT","agent_id":"a-2","agent_name":"Ben Okafor","transcription_type":"POST_CALL","start_time":0,"end_time":2},` +
	`{"message_id":"e41","message_index":0,"recording_index":0,"text":"Thanks for calling.","channel":"VOICE","participant":"AGENT","agent_id":"a-1","start_time":0,"end_time":2},` +
	`{"message_id":"c28","message_index":2,"recording_index":1,"text":"Refunded.","channel":"VOICE","participant":"AGENT","agent_id":"a-2","start_time":7,"end_time":8},` +
	`{"message_id":"b07","message_index":1,"recording_index":0,"text":"My bill is wrong.","channel":"VOICE","participant":"CUSTOMER","start_time":4,"end_time":6}]}`

var tdCallOrder = []string{"e41", "b07", "f9c", "a13", "d55", "c28"}

func tdVendorHarness(t *testing.T, extra string) *harness {
	t.Helper()
	h := newHarness(t)
	srv := tdVendor(t, tdCall)
	h.config = h.writeFile("td-vendor.toml", fmt.Sprintf("[[source]]\nname = \"td\"\nkind = \"talkdesk\"\nbase_url = %q\ntoken_url = %q\nclient_id = \"cid\"\n%s",
		srv.URL, srv.URL+"/oauth/token", extra))
	h.env["CONFAB_SECRET_TD"] = "csecret"
	return h
}

// TestTalkdeskExportInSpokenOrder: `confab export` of a call with shuffled messages without
// message_start_at across two recordings writes them in (recording_index, message_index)
// order, agents named, in Markdown and JSON, the JSON with the vendor's raw messages.
func TestTalkdeskExportInSpokenOrder(t *testing.T) {
	h := tdVendorHarness(t, "")
	texts := []string{"Thanks for calling.", "My bill is wrong.", "Transferring you.", "Billing, Ben here.", "Charged twice.", "Refunded."}
	speakers := []string{"Agent (Ana Souza)", "Customer", "Agent (Ana Souza)", "Agent (Ben Okafor)", "Customer", "Agent (Ben Okafor)"}
	for _, format := range []string{"markdown", "text"} {
		t.Run(format, func(t *testing.T) {
			r := h.run("--config", h.config, "export", "td", "call-7", "--format", format)
			r.want(t, 0)
			at := 0
			for i, text := range texts {
				s := strings.Index(r.stdout[at:], speakers[i])
				j := strings.Index(r.stdout[at:], text)
				if s < 0 || j < s {
					t.Fatalf("message %d (%q by %q) not next after byte %d:\n%s", i, text, speakers[i], at, r.stdout)
				}
				at += j + len(text)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		r := h.run("--config", h.config, "export", "td", "call-7", "--format", "json")
		r.want(t, 0)
		var out struct {
			Interactions []struct {
				ID  string          `json:"id"`
				Raw json.RawMessage `json:"raw"`
			} `json:"interactions"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		var sent struct{ Messages []map[string]any }
		_ = json.Unmarshal([]byte(tdCall), &sent)
		var ids []string
		for _, it := range out.Interactions {
			ids = append(ids, it.ID)
			var got map[string]any
			_ = json.Unmarshal(it.Raw, &got)
			i := slices.IndexFunc(sent.Messages, func(m map[string]any) bool { return m["message_id"] == it.ID })
			if i < 0 || fmt.Sprint(got) != fmt.Sprint(sent.Messages[i]) {
				t.Errorf("%s: raw %s", it.ID, it.Raw)
			}
		}
		if !slices.Equal(ids, tdCallOrder) {
			t.Fatalf("order %v, want %v", ids, tdCallOrder)
		}
	})
}

// TestTalkdeskExportLookBack: the lookback is a source setting, and `export` says how far it
// searched when the id is not there.
func TestTalkdeskExportLookBack(t *testing.T) {
	cases := []struct {
		name   string
		extra  string
		code   int
		stderr []string
	}{
		{"the default 30 days finds it", "", 0, nil},
		{"one day does not", "lookback = \"1d\"\n", 1, []string{"conversation call-7 not found in td", "(searched the last 1 day, 2026-11-01 01:00 … 2026-11-02 01:00 UTC)", "raise the source's lookback"}},
		{"a missing id in the default", "", 1, []string{"(searched the last 30 days, 2026-10-03 01:00 … 2026-11-02 01:00 UTC)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tdVendorHarness(t, tc.extra)
			id := "call-7"
			if strings.HasPrefix(tc.name, "a missing") {
				id = "no-such-call"
			}
			h.run("--config", h.config, "export", "td", id).want(t, tc.code, tc.stderr...)
		})
	}
}

// TestTalkdeskTimeFormatsAgree: the config accepts exactly the time formats the client does.
func TestTalkdeskTimeFormatsAgree(t *testing.T) {
	if !slices.Equal(config.TalkdeskTimeFormats, talkdesk.TimeFormats) {
		t.Fatalf("config %v, client %v", config.TalkdeskTimeFormats, talkdesk.TimeFormats)
	}
	for _, f := range config.TalkdeskTimeFormats {
		if _, err := talkdesk.New(talkdesk.Config{Account: "a", ClientID: "c", Secret: "s", TimeFormat: f}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
