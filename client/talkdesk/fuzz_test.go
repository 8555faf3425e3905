package talkdesk

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// FuzzDecodePage feeds the page decoder and the interaction mapping nested, cut-short and
// malformed bodies. It runs them even on a body client.HTTP would refuse as nested too deep:
// encoding/json bounds its own nesting, so they must not crash either way.
func FuzzDecodePage(f *testing.F) {
	it := `{"id":"i1","customer_id":"c1","started_at":"2026-01-01T10:00:00.000000Z","ended_at":"2026-01-01T10:05:00Z",` +
		`"direction":"INBOUND","ring_groups":["a"],"agents":[{"name":"Ann"}],"messages":[` +
		`{"message_id":"m2","message_index":2,"text":"bye","participant":"AGENT","channel":"VOICE","start_time":3.5,"end_time":4},` +
		`{"message_id":"m1","message_index":1,"text":"hi","participant":"CUSTOMER","sentiment":"NEGATIVE","intent":"x","intent_confidence_score":0.5}]}`
	body := func(items ...string) string {
		return `{"_embedded":{"interactions":[` + strings.Join(items, ",") + `]},"_links":{"next":{"href":"https://x/y"}}}`
	}
	for _, s := range []string{
		body(), body(it), body(it, it),
		body(strings.Replace(it, `"participant":"AGENT"`, `"participant":"AGENT","agent_id":7,"agent_name":"Ann","recording_index":"1","transcription_type":["x"]`, 1)),
		body(strings.Replace(it, `"text":"hi"`, `"text":`+strings.Repeat("[", 600)+strings.Repeat("]", 600), 1)),
		body(strings.Replace(it, `"text":"hi"`, `"x":`+strings.Repeat(`{"a":`, 600)+"1"+strings.Repeat("}", 600), 1)),
		body(strings.Replace(it, `"text":"hi"`, `"x":`+strings.Repeat("[", 20_000)+strings.Repeat("]", 20_000), 1)),
		body(it)[:len(body(it))/2],
		`{"_embedded":{"interactions":[` + strings.Repeat("[", 600),
		`{"_embedded":{"interactions":[{"id":"i","started_at":"bad","messages":[[]]}]}}`,
		`{"_embedded":{"interactions":[{"id":"i","started_at":"2026-01-01T10:00:00Z","messages":[{"start_time":1e300,"message_index":-1}]}]}}`,
		``, `null`, `[]`, `{"_links":{"next":null}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = client.CheckDepth(b, client.MaxDepth)
		var pg page
		if json.Unmarshal(b, &pg) != nil {
			return
		}
		_ = pg.next()
		for _, raw := range pg.Embedded.Interactions {
			it, err := decodeInteraction(raw)
			if err != nil {
				continue
			}
			_ = it.conversation("td")
			_ = it.interactions()
		}
	})
}
