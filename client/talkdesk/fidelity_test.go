package talkdesk_test

// Fidelity tests against a Talkdesk-shaped server written here from APIS.md §2 alone,
// independently of client/mock, so that confab is checked against something that does not
// share its mock's assumptions: message order, message fields, raw records, errors, the
// lookup's lookback and the window parameters.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/talkdesk"
	"github.com/confab-dev/confab/client/transcript"
)

// vendor is a Talkdesk "Retrieve all Interactions" server from APIS.md §2: POST
// /oauth/token gives a token to any client that authenticates with HTTP Basic;
// GET /conversations/interactions?start_date=…&end_date=… answers the interactions whose
// started_at is in [start, end) in the HAL shape, perPage at a time, later pages behind
// `_links.next.href` = {origin}/interactions?cursor=<base64 with unescaped '='> (the
// documented example's shape). fail, when set, answers every API request instead.
type vendor struct {
	srv          *httptest.Server
	interactions []string // raw JSON, as served
	perPage      int

	mu      sync.Mutex
	queries []url.Values
	cursors map[string][]string // cursor → the rest of a window
	fail    func(w http.ResponseWriter)
}

func newVendor(t *testing.T, interactions ...string) *vendor {
	t.Helper()
	v := &vendor{interactions: interactions, perPage: 50, cursors: map[string][]string{}}
	v.srv = httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.srv.Close)
	return v
}

func (v *vendor) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth/token" {
		if _, _, ok := r.BasicAuth(); !ok || r.Method != http.MethodPost {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"Basic authentication required"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"vendor-token","token_type":"Bearer","expires_in":3600,"scope":"interactions-public:read"}`))
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.queries = append(v.queries, r.URL.Query())
	if v.fail != nil {
		v.fail(w)
		return
	}
	if r.Header.Get("Authorization") != "Bearer vendor-token" {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":"1002","message":"Unauthorized","fields":[]}`))
		return
	}
	var rest []string
	if c := r.URL.Query().Get("cursor"); c != "" {
		rest = v.cursors[c]
	} else {
		start, err1 := time.Parse(time.RFC3339Nano, r.URL.Query().Get("start_date"))
		end, err2 := time.Parse(time.RFC3339Nano, r.URL.Query().Get("end_date"))
		if err1 != nil || err2 != nil {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"1001","message":"Bad Request","fields":[{"name":"start_date","description":"is required"}]}`))
			return
		}
		for _, raw := range v.interactions {
			var it struct {
				StartedAt string `json:"started_at"`
			}
			_ = json.Unmarshal([]byte(raw), &it)
			at, _ := time.Parse(time.RFC3339Nano, it.StartedAt)
			if !at.Before(start) && at.Before(end) {
				rest = append(rest, raw)
			}
		}
	}
	page := rest[:min(len(rest), v.perPage)]
	body := `{"_embedded":{"interactions":[` + strings.Join(page, ",") + `]},"_links":{`
	body += `"self":{"href":"` + v.srv.URL + r.URL.RequestURI() + `"}`
	if len(rest) > len(page) {
		c := base64.StdEncoding.EncodeToString([]byte("page-" + strconv.Itoa(len(v.cursors))))
		v.cursors[c] = rest[len(page):]
		body += `,"next":{"href":"` + v.srv.URL + `/interactions?cursor=` + c + `"}`
	}
	body += "}}"
	w.Header().Set("Content-Type", "application/hal+json")
	_, _ = w.Write([]byte(body))
}

func (v *vendor) source(t *testing.T, edit func(*talkdesk.Config)) *talkdesk.Source {
	t.Helper()
	cfg := talkdesk.Config{Name: "td", BaseURL: v.srv.URL, TokenURL: v.srv.URL + "/oauth/token",
		ClientID: "cid", Secret: "csecret", Now: func() time.Time { return end },
		HTTP: client.HTTPOptions{MaxRetries: -1}}
	if edit != nil {
		edit(&cfg)
	}
	s, err := talkdesk.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// thread lists the last seven days and returns the conversation with id and its thread.
func (v *vendor) thread(t *testing.T, s *talkdesk.Source, id string) (client.Conversation, []client.Interaction) {
	t.Helper()
	rows, _, err := all(t, s, client.Query{Since: end.Add(-7 * 24 * time.Hour), Until: end})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rows {
		if c.ID == id {
			items, err := s.Thread(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			return c, items
		}
	}
	t.Fatalf("interaction %s not listed (%d rows)", id, len(rows))
	return client.Conversation{}, nil
}

// interactionJSON is an interaction in the documented shape (APIS.md §2.6), started
// 2026-11-10T09:00:00.000000Z (microseconds and Z, as documented), with the given agents and
// messages.
func interactionJSON(id, agents string, messages ...string) string {
	return `{"id":"` + id + `","customer_id":"5d8a1a2e-0c57-4b8b-9a4b-0d2f1b6c9e11",` +
		`"started_at":"2026-11-10T09:00:00.000000Z","ended_at":"2026-11-10T09:06:30.250000Z",` +
		`"direction":"INBOUND","ring_groups":["billing"],"agents":` + agents + `,"source_system":"STT",` +
		`"messages":[` + strings.Join(messages, ",") + `]}`
}

// TestMessageFields reads each message field the issue names from samples in the documented
// shape: the speaker's name (agent_name, else agents[] by agent_id), agent_id,
// recording_index, transcription_type, the audio offsets start_time/end_time, and the time
// only when message_start_at says it.
func TestMessageFields(t *testing.T) {
	agents := `[{"id":"a-1","name":"Ana Souza","email":"ana@example.com"},{"id":"a-2","name":"Ben Okafor"}]`
	cases := []struct {
		name    string
		agents  string
		message string
		actor   client.Actor
		kind    string
		speaker string // Speaker
		label   string // SpeakerLabel
		time    time.Time
		attrs   map[string]string // attributes that must hold ("" = absent)
	}{
		{"agent_name on the message wins over agents[]", agents,
			`{"message_id":"m1","message_index":0,"recording_index":0,"text":"Thanks for calling.","channel":"VOICE","participant":"AGENT","agent_id":"a-1","agent_name":"Ana S. (team lead)","transcription_type":"POST_CALL","start_time":0,"end_time":2.25}`,
			client.ActorAgent, client.KindVoice, "Ana S. (team lead)", "Agent (Ana S. (team lead))", time.Time{},
			map[string]string{"agent_id": "a-1", "recording_index": "0", "transcription_type": "POST_CALL", "audio": "00:00.0–00:02.3"}},
		{"the name from agents[] by agent_id", agents,
			`{"message_id":"m2","message_index":3,"recording_index":1,"text":"Billing, Ben speaking.","channel":"VOICE","participant":"AGENT","agent_id":"a-2","start_time":61.5,"end_time":64}`,
			client.ActorAgent, client.KindVoice, "Ben Okafor", "Agent (Ben Okafor)", time.Time{},
			map[string]string{"agent_id": "a-2", "recording_index": "1", "message_index": "3", "audio": "01:01.5–01:04.0", "transcription_type": ""}},
		{"an agent_id no agent has", agents,
			`{"message_id":"m3","text":"hello","channel":"CHAT","participant":"AGENT","agent_id":"a-9"}`,
			client.ActorAgent, client.KindMessage, "", "Agent", time.Time{},
			map[string]string{"agent_id": "a-9", "recording_index": "", "audio": ""}},
		{"a numeric agent_id", `[{"id":42,"name":"Chloé Martin"}]`,
			`{"message_id":"m4","text":"bonjour","channel":"SMS","participant":"AGENT","agent_id":42}`,
			client.ActorAgent, client.KindMessage, "Chloé Martin", "Agent (Chloé Martin)", time.Time{},
			map[string]string{"agent_id": "42"}},
		{"message_start_at gives the time", agents,
			`{"message_id":"m5","message_index":1,"message_start_at":"2026-11-10T09:00:12.300000Z","text":"I was charged twice","channel":"VOICE","participant":"CUSTOMER","sentiment":"NEGATIVE","intent":"billing_dispute","intent_confidence_score":0.873,"intent_is_fallback":false,"start_time":12.3,"end_time":15.9}`,
			client.ActorCustomer, client.KindVoice, "", "Customer", time.Date(2026, 11, 10, 9, 0, 12, 300_000_000, time.UTC),
			map[string]string{"sentiment": "negative", "intent": "billing_dispute (0.87)", "audio": "00:12.3–00:15.9", "agent_id": ""}},
		{"no message_start_at: no time, not the interaction's", agents,
			`{"message_id":"m6","message_index":2,"text":"(silence)","channel":"WEBCHAT","participant":"VIRTUAL_AGENT","intent":"fallback","intent_confidence_score":0.2,"intent_is_fallback":true}`,
			client.ActorVirtualAgent, client.KindMessage, "", "Virtual agent", time.Time{},
			map[string]string{"fallback": "yes", "channel": "webchat"}},
		{"fields of unexpected types are kept, not fatal", `[{"agent_id":"x","agent_name":"Emi Tanaka"}]`,
			`{"message_id":"m8","message_index":2.0,"recording_index":"1","text":"ok","channel":"VOICE","participant":"AGENT","agent_id":"x","transcription_type":5}`,
			client.ActorAgent, client.KindVoice, "Emi Tanaka", "Agent (Emi Tanaka)", time.Time{},
			map[string]string{"agent_id": "x", "message_index": "2", "recording_index": "1", "transcription_type": "5"}},
		{"unusable indexes are unset", agents,
			`{"message_id":"m9","message_index":"first","recording_index":1.5,"text":"ok","channel":"CHAT","participant":"AGENT","agent_id":true,"agent_name":null}`,
			client.ActorAgent, client.KindMessage, "", "Agent", time.Time{},
			map[string]string{"agent_id": "true", "message_index": "", "recording_index": ""}},
		{"an agent message without agent fields", `[]`,
			`{"message_id":"m7","text":"hi","channel":"DIGITAL_CONNECT","participant":"AGENT"}`,
			client.ActorAgent, client.KindMessage, "", "Agent", time.Time{},
			map[string]string{"channel": "digital_connect", "agent_id": ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newVendor(t, interactionJSON("i-1", tc.agents, tc.message))
			_, items := v.thread(t, v.source(t, nil), "i-1")
			if len(items) != 1 {
				t.Fatalf("%d interactions", len(items))
			}
			it := items[0]
			if it.Actor != tc.actor || it.Kind != tc.kind || it.Speaker != tc.speaker || it.SpeakerLabel() != tc.label || !it.Time.Equal(tc.time) || it.Seq != 1 {
				t.Fatalf("got actor %q kind %q speaker %q label %q time %v seq %d\nwant %q %q %q %q %v 1",
					it.Actor, it.Kind, it.Speaker, it.SpeakerLabel(), it.Time, it.Seq, tc.actor, tc.kind, tc.speaker, tc.label, tc.time)
			}
			for k, want := range tc.attrs {
				if got := it.Attrs.Value(k); got != want {
					t.Errorf("attr %s = %q, want %q (attrs %v)", k, got, want, it.Attrs)
				}
			}
			if !bytes.Equal(compact(t, it.Raw), compact(t, []byte(tc.message))) {
				t.Errorf("raw\n got %s\nwant %s", it.Raw, tc.message)
			}
		})
	}
}

func compact(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return out.Bytes()
}

// twoRecordings is a call over two recordings (a transfer), message_index and the audio
// offsets starting again in the second, no message_start_at anywhere, the messages shuffled;
// the first agent is named only in agents[], the second on its messages. The ids sort in
// no useful order (the prefix), so only the vendor's order can put them right.
var twoRecordings = []string{
	`{"message_id":"d55-r1m1","message_index":1,"recording_index":1,"text":"I was charged twice this month.","channel":"VOICE","participant":"CUSTOMER","transcription_type":"POST_CALL","start_time":3.1,"end_time":6}`,
	`{"message_id":"f9c-r0m2","message_index":2,"recording_index":0,"text":"Let me transfer you to billing.","channel":"VOICE","participant":"AGENT","agent_id":"a-1","transcription_type":"POST_CALL","start_time":9.4,"end_time":11.8}`,
	`{"message_id":"a13-r1m0","message_index":0,"recording_index":1,"text":"Billing, this is Ben.","channel":"VOICE","participant":"AGENT","agent_id":"a-2","agent_name":"Ben Okafor","transcription_type":"POST_CALL","start_time":0,"end_time":2.5}`,
	`{"message_id":"e41-r0m0","message_index":0,"recording_index":0,"text":"Thank you for calling, this is Ana.","channel":"VOICE","participant":"AGENT","agent_id":"a-1","transcription_type":"POST_CALL","start_time":0,"end_time":3.2}`,
	`{"message_id":"c28-r1m2","message_index":2,"recording_index":1,"text":"Refunded <ref A&B>; you will see it in 3 to 5 days \u2014 é 👍.","channel":"VOICE","participant":"AGENT","agent_id":"a-2","agent_name":"Ben Okafor","transcription_type":"POST_CALL","start_time":7.2,"end_time":10.9}`,
	`{"message_id":"b07-r0m1","message_index":1,"recording_index":0,"text":"My bill is wrong.","channel":"VOICE","participant":"CUSTOMER","transcription_type":"POST_CALL","start_time":4,"end_time":5.5}`,
}

var spokenOrder = []string{"e41-r0m0", "b07-r0m1", "f9c-r0m2", "a13-r1m0", "d55-r1m1", "c28-r1m2"}

// TestShuffledRecordingsExportInSpokenOrder: a page with shuffled messages without
// message_start_at across two recordings comes out in (recording_index, message_index) order
// in the thread, the Markdown, the text and the JSON, each agent named.
func TestShuffledRecordingsExportInSpokenOrder(t *testing.T) {
	agents := `[{"id":"a-1","name":"Ana Souza"},{"id":"a-2","name":"Ben Okafor"}]`
	v := newVendor(t, interactionJSON("call-1", agents, twoRecordings...))
	conv, items := v.thread(t, v.source(t, nil), "call-1")
	var got []string
	for _, it := range items {
		got = append(got, it.ID)
	}
	if !slices.Equal(got, spokenOrder) {
		t.Fatalf("thread order %v, want %v", got, spokenOrder)
	}
	texts := map[string]string{}
	for _, m := range twoRecordings {
		var x struct{ MessageID, Text string }
		_ = json.Unmarshal([]byte(strings.ReplaceAll(m, "message_id", "MessageID")), &x)
		texts[x.MessageID] = x.Text
	}
	speakers := map[string]string{"e41-r0m0": "Agent (Ana Souza)", "b07-r0m1": "Customer", "f9c-r0m2": "Agent (Ana Souza)",
		"a13-r1m0": "Agent (Ben Okafor)", "d55-r1m1": "Customer", "c28-r1m2": "Agent (Ben Okafor)"}
	for _, f := range []transcript.Format{transcript.FormatMarkdown, transcript.FormatText} {
		t.Run(f.String(), func(t *testing.T) {
			var b strings.Builder
			if _, err := transcript.Render(&b, f, conv, items, transcript.Options{Kind: talkdesk.Kind}); err != nil {
				t.Fatal(err)
			}
			out, at := b.String(), 0
			for _, id := range spokenOrder {
				// Each message: its speaker's label, then its text, after the previous one.
				i := strings.Index(out[at:], speakers[id])
				j := strings.Index(out[at:], texts[id])
				if i < 0 || j < i {
					t.Fatalf("%s (%q by %q) is not next after byte %d:\n%s", id, texts[id], speakers[id], at, out)
				}
				at += j + len(texts[id])
			}
			if strings.Contains(out, "09:00:00Z  ") || strings.Contains(out, "· 2026-11-10T09:00:00Z ·") {
				t.Errorf("a message got the interaction's start as its time:\n%s", out)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		var b bytes.Buffer
		if err := transcript.JSON(&b, conv, items, transcript.Options{Kind: talkdesk.Kind}); err != nil {
			t.Fatal(err)
		}
		var out struct {
			Conversation struct {
				Raw json.RawMessage `json:"raw"`
			} `json:"conversation"`
			Interactions []struct {
				ID      string          `json:"id"`
				Speaker string          `json:"speaker"`
				Time    *time.Time      `json:"time"`
				Raw     json.RawMessage `json:"raw"`
			} `json:"interactions"`
		}
		if err := json.Unmarshal(b.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		sent := map[string]string{}
		for _, m := range twoRecordings {
			var x struct {
				ID string `json:"message_id"`
			}
			_ = json.Unmarshal([]byte(m), &x)
			sent[x.ID] = m
		}
		var ids []string
		for _, it := range out.Interactions {
			ids = append(ids, it.ID)
			if it.Time != nil {
				t.Errorf("%s: time %v invented", it.ID, it.Time)
			}
			if !bytes.Equal(compact(t, it.Raw), compact(t, []byte(sent[it.ID]))) {
				t.Errorf("%s: raw\n got %s\nwant %s", it.ID, it.Raw, sent[it.ID])
			}
			want := map[string]string{"e41-r0m0": "Ana Souza", "f9c-r0m2": "Ana Souza", "a13-r1m0": "Ben Okafor", "c28-r1m2": "Ben Okafor"}[it.ID]
			if it.Speaker != want {
				t.Errorf("%s: speaker %q, want %q", it.ID, it.Speaker, want)
			}
		}
		if !slices.Equal(ids, spokenOrder) {
			t.Fatalf("json order %v, want %v", ids, spokenOrder)
		}
		if !bytes.Equal(compact(t, out.Conversation.Raw), compact(t, []byte(interactionJSON("call-1", agents, twoRecordings...)))) {
			t.Errorf("the interaction's raw record changed:\n%s", out.Conversation.Raw)
		}
	})
}

// TestMessageOrderRules: recording_index, then message_index, then message_start_at, then
// start_time, an absent value last, equal ones in the received order.
func TestMessageOrderRules(t *testing.T) {
	m := func(id, extra string) string {
		return `{"message_id":"` + id + `","text":"` + id + `","channel":"CHAT","participant":"CUSTOMER"` + extra + `}`
	}
	cases := []struct {
		name string
		msgs []string
		want []string
	}{
		{"recording first, then index", []string{m("b", `,"recording_index":1,"message_index":0`), m("a", `,"recording_index":0,"message_index":5`)}, []string{"a", "b"}},
		{"index before time", []string{m("b", `,"message_index":1,"message_start_at":"2026-11-10T09:00:01Z"`), m("a", `,"message_index":0,"message_start_at":"2026-11-10T09:00:09Z"`)}, []string{"a", "b"}},
		{"time where both indexes are absent", []string{m("b", `,"message_start_at":"2026-11-10T09:00:09Z"`), m("a", `,"message_start_at":"2026-11-10T09:00:01.5Z"`)}, []string{"a", "b"}},
		{"start_time where nothing else says", []string{m("b", `,"start_time":9`), m("a", `,"start_time":1`)}, []string{"a", "b"}},
		{"absent index after present ones", []string{m("x", ``), m("b", `,"message_index":1`), m("a", `,"message_index":0`)}, []string{"a", "b", "x"}},
		{"equals keep the received order", []string{m("c", `,"message_index":1`), m("a", `,"message_index":1`), m("b", `,"message_index":1`)}, []string{"c", "a", "b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newVendor(t, interactionJSON("i", `[]`, tc.msgs...))
			conv, items := v.thread(t, v.source(t, nil), "i")
			var b bytes.Buffer
			if err := transcript.JSON(&b, conv, items, transcript.Options{}); err != nil {
				t.Fatal(err)
			}
			var out struct{ Interactions []struct{ ID string } }
			_ = json.Unmarshal(b.Bytes(), &out)
			var got []string
			for _, it := range out.Interactions {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("order %v, want %v", got, tc.want)
			}
		})
	}
}

// TestErrorBodies: Talkdesk's documented error body {code, message, description, fields[]}
// (APIS.md §2.7) reaches the error message, whatever the status, with a 429 that has no
// Retry-After.
func TestErrorBodies(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		kind   error
		want   []string
	}{
		{"400 with fields", http.StatusBadRequest,
			`{"code":"1001","message":"Bad Request","description":"The time window is longer than seven days","fields":[{"name":"end_date","description":"must be at most seven days after start_date"}]}`,
			nil, []string{"HTTP 400 1001", "Bad Request", "The time window is longer than seven days", "end_date must be at most seven days after start_date"}},
		{"403 without description", http.StatusForbidden, `{"code":"1003","message":"Forbidden","fields":[]}`,
			client.ErrForbidden, []string{"HTTP 403 1003", "Forbidden"}},
		{"500 with a numeric code", http.StatusInternalServerError, `{"code":5000,"message":"Internal Server Error","description":"try again later"}`,
			client.ErrUnavailable, []string{"HTTP 500 5000", "Internal Server Error", "try again later"}},
		{"429 without Retry-After", http.StatusTooManyRequests, `{"code":"1429","message":"Too Many Requests","fields":[]}`,
			client.ErrRateLimited, []string{"HTTP 429 1429", "Too Many Requests"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newVendor(t)
			v.fail = func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}
			_, err := v.source(t, nil).Conversations(context.Background(), client.Query{}, "")
			if err == nil || (tc.kind != nil && !errors.Is(err, tc.kind)) {
				t.Fatalf("err = %v, want %v", err, tc.kind)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestLookBackIsConfigurableAndReported: Conversation searches exactly LookBack and, when the
// id is not there, says how far it looked.
func TestLookBackIsConfigurableAndReported(t *testing.T) {
	cases := []struct {
		name     string
		lookBack time.Duration
		found    bool   // the interaction, 5 days before end, is found
		says     string // in the not-found error
	}{
		{"default 30 days", 0, true, ""},
		{"3 days", 3 * 24 * time.Hour, false, "searched the last 3 days, 2026-11-12 12:00 … 2026-11-15 12:00 UTC"},
		{"36 hours", 36 * time.Hour, false, "searched the last 36h0m0s, 2026-11-14 00:00 … 2026-11-15 12:00 UTC"},
		{"10 days", 10 * 24 * time.Hour, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newVendor(t, interactionJSON("i-5d", `[]`)) // started 2026-11-10 09:00, end is 11-15 12:00
			s := v.source(t, func(c *talkdesk.Config) { c.LookBack = tc.lookBack })
			c, err := s.Conversation(context.Background(), "i-5d")
			if tc.found {
				if err != nil || c.ID != "i-5d" {
					t.Fatalf("Conversation: %v, %v", c.ID, err)
				}
				return
			}
			var nf *talkdesk.NotFoundError
			if !errors.Is(err, client.ErrNotFound) || !errors.As(err, &nf) || !strings.Contains(err.Error(), tc.says) || !strings.Contains(nf.Searched(), tc.says) {
				t.Fatalf("err = %v, want not found saying %q", err, tc.says)
			}
			// Exactly the lookback was asked for.
			v.mu.Lock()
			defer v.mu.Unlock()
			first := v.queries[0].Get("start_date")
			if want := end.Add(-tc.lookBack).UTC().Format(talkdesk.DefaultTimeLayout); first != want {
				t.Fatalf("searched from %s, want %s", first, want)
			}
		})
	}
}

// TestWindowParameterFormats: the window's parameter names and time format are settings.
func TestWindowParameterFormats(t *testing.T) {
	since := time.Date(2026, 11, 14, 8, 30, 15, 123456789, time.UTC)
	until := time.Date(2026, 11, 15, 8, 30, 15, 0, time.UTC)
	cases := []struct {
		format     string
		start, end string
	}{
		{"", "2026-11-14T08:30:15.123456Z", "2026-11-15T08:30:15.000000Z"},
		{"rfc3339micro", "2026-11-14T08:30:15.123456Z", "2026-11-15T08:30:15.000000Z"},
		{"rfc3339milli", "2026-11-14T08:30:15.123Z", "2026-11-15T08:30:15.000Z"},
		{"rfc3339nano", "2026-11-14T08:30:15.123456Z", "2026-11-15T08:30:15Z"},
		{"rfc3339", "2026-11-14T08:30:15Z", "2026-11-15T08:30:15Z"},
		{"unix", strconv.FormatInt(since.Unix(), 10), strconv.FormatInt(until.Unix(), 10)},
		{"unix_ms", strconv.FormatInt(since.UnixMilli(), 10), strconv.FormatInt(until.UnixMilli(), 10)},
	}
	for _, tc := range cases {
		t.Run(tc.format, func(t *testing.T) {
			v := newVendor(t)
			v.fail = func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"_embedded":{"interactions":[]},"_links":{}}`)) }
			s := v.source(t, func(c *talkdesk.Config) {
				c.TimeFormat, c.ParamStart, c.ParamEnd, c.ParamLimit, c.PageSize = tc.format, "from", "to", "page_size", 10
			})
			if _, err := s.Conversations(context.Background(), client.Query{Since: since, Until: until}, ""); err != nil {
				t.Fatal(err)
			}
			v.mu.Lock()
			q := v.queries[0]
			v.mu.Unlock()
			if q.Get("from") != tc.start || q.Get("to") != tc.end || q.Get("page_size") != "10" || q.Has("start_date") {
				t.Fatalf("query %v, want from=%s to=%s page_size=10", q, tc.start, tc.end)
			}
		})
	}
	if _, err := talkdesk.New(talkdesk.Config{Account: "a", ClientID: "c", Secret: "s", TimeFormat: "iso"}); err == nil || !strings.Contains(err.Error(), "rfc3339micro") {
		t.Fatalf("unknown time format: %v", err)
	}
}

// TestJSONExportCarriesTheMocksRawRecords: every field of the mock's raw messages and
// interactions reaches the JSON export, with the same values in the same key order. The
// mock's records are fetched here over plain HTTP, not through confab.
func TestJSONExportCarriesTheMocksRawRecords(t *testing.T) {
	f := newFixture(t, nil)
	since := end.Add(-3 * 24 * time.Hour)
	sent := mockRecords(t, f, since, end)
	s := f.source(t, nil)
	rows, _, err := all(t, s, client.Query{Since: since, Until: end})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(sent) || len(rows) < 20 {
		t.Fatalf("listed %d, the mock sent %d", len(rows), len(sent))
	}
	var agentsOnly, noStart, shuffled, recordings int
	for _, c := range rows {
		items, err := s.Thread(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := transcript.JSON(&b, c, items, transcript.Options{Kind: talkdesk.Kind}); err != nil {
			t.Fatal(err)
		}
		var out struct {
			Conversation struct {
				Raw json.RawMessage `json:"raw"`
			} `json:"conversation"`
			Interactions []struct {
				Raw json.RawMessage `json:"raw"`
			} `json:"interactions"`
		}
		if err := json.Unmarshal(b.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		orig := sent[c.ID]
		if !bytes.Equal(compact(t, out.Conversation.Raw), compact(t, orig)) {
			t.Fatalf("%s: the interaction's raw record changed", c.ID)
		}
		var it struct {
			Agents   []map[string]any  `json:"agents"`
			Messages []json.RawMessage `json:"messages"`
		}
		if err := json.Unmarshal(orig, &it); err != nil {
			t.Fatal(err)
		}
		if len(out.Interactions) != len(it.Messages) {
			t.Fatalf("%s: %d interactions exported, %d messages sent", c.ID, len(out.Interactions), len(it.Messages))
		}
		byID := map[string]json.RawMessage{}
		type key struct{ rec, idx float64 }
		var keys []key
		for _, m := range it.Messages {
			var fields map[string]any
			if err := json.Unmarshal(m, &fields); err != nil {
				t.Fatal(err)
			}
			byID[fields["message_id"].(string)] = m
			if _, ok := fields["message_start_at"]; !ok {
				noStart++
			}
			if fields["participant"] == "AGENT" && fields["agent_id"] != nil && fields["agent_name"] == nil {
				agentsOnly++
			}
			rec, _ := fields["recording_index"].(float64)
			if rec == 1 {
				recordings++
			}
			keys = append(keys, key{rec, fields["message_index"].(float64)})
		}
		if !slices.IsSortedFunc(keys, func(a, b key) int {
			if a.rec != b.rec {
				return int(a.rec - b.rec)
			}
			return int(a.idx - b.idx)
		}) {
			shuffled++
		}
		var prev key
		for i, x := range out.Interactions {
			var fields map[string]any
			if err := json.Unmarshal(x.Raw, &fields); err != nil {
				t.Fatal(err)
			}
			id, _ := fields["message_id"].(string)
			m, ok := byID[id]
			if !ok {
				t.Fatalf("%s: exported message %s was not sent", c.ID, id)
			}
			var want map[string]any
			_ = json.Unmarshal(m, &want)
			if !reflect.DeepEqual(fields, want) || !bytes.Equal(compact(t, x.Raw), compact(t, m)) {
				t.Fatalf("%s: message %s\nexported %s\n    sent %s", c.ID, id, compact(t, x.Raw), compact(t, m))
			}
			k := key{0, want["message_index"].(float64)}
			k.rec, _ = want["recording_index"].(float64)
			if i > 0 && (k.rec < prev.rec || k.rec == prev.rec && k.idx <= prev.idx) {
				t.Fatalf("%s: message %s (recording %v, index %v) exported after (%v, %v)", c.ID, id, k.rec, k.idx, prev.rec, prev.idx)
			}
			prev = k
		}
	}
	// The mock must have exercised what the test is about.
	if agentsOnly == 0 || noStart == 0 || shuffled == 0 || recordings == 0 {
		t.Fatalf("the mock's records lack variety: %d agent messages named only in agents[], %d without message_start_at, %d shuffled, %d in a second recording",
			agentsOnly, noStart, shuffled, recordings)
	}
}

// mockRecords fetches the mock's interactions in [since, until) directly: a token by HTTP
// Basic, then one-day windows followed through their next links. It returns each
// interaction's raw JSON by id.
func mockRecords(t *testing.T, f *fixture, since, until time.Time) map[string]json.RawMessage {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+mock.TalkdeskTokenPath, strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(f.mock.ClientID, f.mock.ClientSecret)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	getJSON(t, req, &tok)
	out := map[string]json.RawMessage{}
	for day := since; day.Before(until); day = day.Add(24 * time.Hour) {
		link := f.srv.URL + mock.TalkdeskInteractionsPath + "?" + url.Values{
			"start_date": {day.Format(time.RFC3339Nano)}, "end_date": {minTime(day.Add(24*time.Hour), until).Format(time.RFC3339Nano)}, "limit": {"100"}}.Encode()
		for link != "" {
			req, _ := http.NewRequest(http.MethodGet, link, nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			var pg struct {
				Embedded struct {
					Interactions []json.RawMessage `json:"interactions"`
				} `json:"_embedded"`
				Links struct {
					Next *struct{ Href string } `json:"next"`
				} `json:"_links"`
			}
			getJSON(t, req, &pg)
			for _, raw := range pg.Embedded.Interactions {
				var id struct{ ID string }
				_ = json.Unmarshal(raw, &id)
				out[id.ID] = raw
			}
			link = ""
			if pg.Links.Next != nil {
				link = pg.Links.Next.Href
			}
		}
	}
	return out
}

func getJSON(t *testing.T, req *http.Request, v any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s", req.Method, req.URL, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// TestNotFoundSaysWhereDataStarts: a lookback reaching before 2023-05-01 is cut there, and
// the error says so.
func TestNotFoundSaysWhereDataStarts(t *testing.T) {
	e := &talkdesk.NotFoundError{ID: "x", LookBack: 400 * 24 * time.Hour, Since: talkdesk.DataStart,
		Until: time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)}
	want := `not found: no interaction with id "x": searched the last 400 days, 2023-05-01 00:00 (when Talkdesk's data starts) … 2024-01-02 03:04 UTC`
	if !strings.HasPrefix(e.Error(), want) || !errors.Is(e, client.ErrNotFound) {
		t.Fatalf("%v", e)
	}
}
