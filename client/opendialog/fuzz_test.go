package opendialog

import (
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// FuzzDecodeResponse feeds the response decoder, and what a conversation and its thread make
// of the result, nested, cut-short and malformed bodies. It runs them even on a body
// client.HTTP would refuse as nested too deep: encoding/json bounds its own nesting and
// flatten stops at 4 levels, so they must not crash either way.
func FuzzDecodeResponse(f *testing.F) {
	it := `{"data":{"name":"n","value":{"a":[1,{"b":2}]},"callback_id":"c"},"date":"2026-10-30T10:00:00.000000Z","text":"hi","type":"text"}`
	user := func(items ...string) string {
		return `{"u1":{"user_id":"u1","from":"x","interactions":[` + strings.Join(items, ",") + `]}}`
	}
	for _, s := range []string{
		`{"data":[]}`, `{"data":null}`, `{"data":[` + user(it, it) + `]}`, `{"data":` + user(it) + `}`,
		`{"data":[` + user(strings.Replace(it, `"text":"hi"`, `"text":`+strings.Repeat("[", 600)+strings.Repeat("]", 600), 1)) + `]}`,
		`{"data":[` + user(strings.Replace(it, `"name":"n"`, `"name":`+strings.Repeat(`{"a":`, 600)+"1"+strings.Repeat("}", 600), 1)) + `]}`,
		`{"data":[` + user(strings.Replace(it, `"name":"n"`, `"x":`+strings.Repeat("[", 20_000)+strings.Repeat("]", 20_000), 1)) + `]}`,
		`{"data":[` + user(it)[:40],
		`{"data":[{"u":{"interactions":` + strings.Repeat("[", 600),
		`{"data":[{"u":{"interactions":[{"date":"bad"}]}}]}`,
		``, `[]`, `{"data":"x"}`,
		`{"data":[{"u1":{"chatbot_user_data":{"id":"u1","name":"Jane Doe","email":"j@example.com"},"browser":"chr","interactions":[` + it + `]}}]}`,
		`{"data":[{"u1":{"chatbot_user_data":{"name":{"x":1},"first_name":null,"last_name":7,"custom":[1]},"interactions":[` + it + `]}}]}`,
		`{"data":[{"u1":{"chatbot_user_data":"x","interactions":[` + it + `]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = client.CheckDepth(b, client.MaxDepth)
		blocks, err := decodeResponse(b)
		if err != nil {
			return
		}
		s := &Source{name: "od", timeout: 30 * time.Minute}
		for _, bl := range blocks {
			for _, r := range s.split(bl) {
				c := r.conversation("od")
				_ = r.interactions(c.ID)
				back, err := runFromRaw(r.User, r.raw())
				if err != nil {
					t.Fatalf("a run does not survive its own Raw: %v", err)
				}
				_ = back
			}
		}
	})
}
