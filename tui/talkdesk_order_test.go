package tui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/talkdesk"
)

// tdShuffledCall is a call over two recordings, no message_start_at, its messages shuffled,
// the first agent named only in agents[]; the ids sort in no useful order.
func tdShuffledCall(started time.Time) string {
	return `{"id":"call-9","customer_id":"c-1","started_at":"` + started.UTC().Format("2006-01-02T15:04:05.000000Z") + `",` +
		`"direction":"INBOUND","ring_groups":[],"agents":[{"id":"a-1","name":"Ana Souza"},{"id":"a-2","name":"Ben Okafor"}],"source_system":"STT","messages":[` +
		`{"message_id":"d55","message_index":1,"recording_index":1,"text":"Charged twice.","channel":"VOICE","participant":"CUSTOMER"},` +
		`{"message_id":"f9c","message_index":2,"recording_index":0,"text":"Transferring you.","channel":"VOICE","participant":"AGENT","agent_id":"a-1"},` +
		`{"message_id":"a13","message_index":0,"recording_index":1,"text":"Billing, Ben here.","channel":"VOICE","participant":"AGENT","agent_id":"a-2","agent_name":"Ben Okafor"},` +
		`{"message_id":"e41","message_index":0,"recording_index":0,"text":"Thanks for calling.","channel":"VOICE","participant":"AGENT","agent_id":"a-1","transcription_type":"POST_CALL"},` +
		`{"message_id":"b07","message_index":1,"recording_index":0,"text":"My bill is wrong.","channel":"VOICE","participant":"CUSTOMER","start_time":4,"end_time":6}]}`
}

// TestTalkdeskCopyInSpokenOrder: y and Y copy a Talkdesk thread from a vendor-shaped server
// (not client/mock) in (recording_index, message_index) order, agents named, the JSON with
// the raw messages.
func TestTalkdeskCopyInSpokenOrder(t *testing.T) {
	call := tdShuffledCall(fixedNow.Add(-48 * time.Hour))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/oauth/token" {
			_, _ = w.Write([]byte(`{"access_token":"t","token_type":"Bearer","expires_in":3600}`))
			return
		}
		start, _ := time.Parse(time.RFC3339Nano, r.URL.Query().Get("start_date"))
		end, _ := time.Parse(time.RFC3339Nano, r.URL.Query().Get("end_date"))
		body := `{"_embedded":{"interactions":[]},"_links":{}}`
		if at := fixedNow.Add(-48 * time.Hour); !at.Before(start) && at.Before(end) {
			body = `{"_embedded":{"interactions":[` + call + `]},"_links":{}}`
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	src, err := talkdesk.New(talkdesk.Config{Name: "td", BaseURL: srv.URL, TokenURL: srv.URL + "/oauth/token",
		ClientID: "c", Secret: "s", Now: func() time.Time { return fixedNow }, HTTP: client.HTTPOptions{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	deps := testDeps(Tab{Name: "td", Kind: talkdesk.Kind, Source: src, Query: client.Query{Filter: "since:7d"}})
	deps.ExportDir = t.TempDir()
	clip := &fakeClip{}
	deps.Clipboard, deps.ClipboardName = clip.write, "fakeclip"
	a := start(t, newTestApp(t, deps))

	r := runCopy(t, a, press("y"))
	if len(r.osc) != 1 {
		t.Fatalf("y copied %d texts", len(r.osc))
	}
	md, at := r.osc[0], 0
	for _, want := range []string{"Agent (Ana Souza)", "Thanks for calling.", "Customer", "My bill is wrong.", "Agent (Ana Souza)", "Transferring you.",
		"Agent (Ben Okafor)", "Billing, Ben here.", "Customer", "Charged twice."} {
		i := strings.Index(md[at:], want)
		if i < 0 {
			t.Fatalf("%q not after byte %d:\n%s", want, at, md)
		}
		at += i + len(want)
	}

	r = runCopy(t, a, press("Y"))
	if len(r.osc) != 1 {
		t.Fatalf("Y copied %d texts", len(r.osc))
	}
	var doc struct {
		Interactions []struct {
			ID  string          `json:"id"`
			Raw json.RawMessage `json:"raw"`
		} `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(r.osc[0]), &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range doc.Interactions {
		ids = append(ids, it.ID)
		if !strings.Contains(call, compactJSON(t, it.Raw)) {
			t.Errorf("%s: raw %s is not the message sent", it.ID, it.Raw)
		}
	}
	if want := []string{"e41", "b07", "f9c", "a13", "d55"}; !slices.Equal(ids, want) {
		t.Fatalf("Y order %v, want %v", ids, want)
	}
}

func compactJSON(t *testing.T, b []byte) string {
	t.Helper()
	var v json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}
