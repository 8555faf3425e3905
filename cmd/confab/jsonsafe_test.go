package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileVendorText is what a stranger typed: a CSI clear screen, a C1 CSI, a right-to-left
// override, invalid UTF-8, NUL, DEL, a lone ESC and a line separator.
const hostileVendorText = "clear\x1b[2J c1\u009b2J rlo\u202egnp.exe bad\xff\xfe nul\x00 del\x7f esc\x1b sep\u2028end"

// hostileVendorDecoded is hostileVendorText as JSON gives it back: each invalid byte is U+FFFD.
const hostileVendorDecoded = "clear\x1b[2J c1\u009b2J rlo\u202egnp.exe bad\ufffd\ufffd nul\x00 del\x7f esc\x1b sep\u2028end"

// vendorJSONString quotes s as a vendor sends it: quotes, backslashes and C0 controls
// escaped (or the JSON would be invalid), everything else — DEL, C1, bidi controls, invalid
// UTF-8 — as raw bytes.
func vendorJSONString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// checkMachineSafe fails unless out is valid UTF-8 without ESC or any other C0 control but
// newline, without DEL, C1 controls (UTF-8 C2 80–C2 9F), bidi controls or U+2028/U+2029.
func checkMachineSafe(t *testing.T, what string, out []byte) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatalf("%s: output is not valid UTF-8", what)
	}
	for i, r := range string(out) {
		bad := forbiddenRune(r) || r == '\t' || r == 0x200e || r == 0x200f || r == 0x061c || r == 0x2028 || r == 0x2029
		if bad {
			t.Fatalf("%s: raw %U at byte %d: %q", what, r, i, out[max(0, i-30):min(len(out), i+30)])
		}
	}
}

// TestMachineOutputEscapesVendorText lists and exports an OpenDialog conversation whose text
// and attributes hold terminal controls and invalid UTF-8, sent raw by the vendor: every
// JSON output is valid JSON with those characters escaped (not stripped), so a jq pipe to a
// terminal cannot be hijacked, and decoding gives the original text back.
func TestMachineOutputEscapesVendorText(t *testing.T) {
	hostile := vendorJSONString(hostileVendorText)
	body := `{"data":[{"u-1":{"user_id":"u-1","chatbot_user_data":{"country":` + hostile + `},"interactions":[` +
		`{"type":"text","date":"2026-11-01T10:00:00.000000Z","text":` + hostile + `}]}}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("from") > "2026-11-01 10:00:00" || r.URL.Query().Get("to") <= "2026-11-01 10:00:00" {
			_, _ = w.Write([]byte(`{"data":[]}`))
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	h := newHarness(t)
	h.config = h.writeFile("hostile.toml", fmt.Sprintf(odConfig, srv.URL))
	h.env["CONFAB_SECRET_OD"] = "token"
	window := []string{"--since", "2026-11-01T00:00:00Z", "--until", "2026-11-02T00:00:00Z"}

	check := func(t *testing.T, what string, c map[string]any) {
		t.Helper()
		if got := c["summary"]; got != hostileVendorDecoded {
			t.Errorf("%s: summary %q, want %q", what, got, hostileVendorDecoded)
		}
		raw, _ := c["raw"].(map[string]any)
		items, _ := raw["interactions"].([]any)
		if len(items) != 1 {
			t.Fatalf("%s: raw record %v, want its one interaction", what, raw)
		}
		if got := items[0].(map[string]any)["text"]; got != hostileVendorDecoded {
			t.Errorf("%s: raw text %q, want %q", what, got, hostileVendorDecoded)
		}
	}

	r := h.run(append([]string{"--config", h.config, "list", "od", "--format", "ndjson"}, window...)...)
	r.want(t, 0)
	checkMachineSafe(t, "list --format ndjson", []byte(r.stdout))
	var id string
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		lines++
		var c map[string]any
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("ndjson line %q: %v", sc.Text(), err)
		}
		check(t, "ndjson", c)
		id, _ = c["id"].(string)
	}
	if lines != 1 {
		t.Fatalf("ndjson printed %d lines, want 1:\n%s", lines, r.stdout)
	}

	r = h.run(append([]string{"--config", h.config, "list", "od", "--format", "json"}, window...)...)
	r.want(t, 0)
	checkMachineSafe(t, "list --format json", []byte(r.stdout))
	var all []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil || len(all) != 1 {
		t.Fatalf("list --format json: %v, %d conversations:\n%s", err, len(all), r.stdout)
	}
	check(t, "json", all[0])

	r = h.run("--config", h.config, "export", "od", id, "--format", "json")
	r.want(t, 0)
	checkMachineSafe(t, "export --format json", []byte(r.stdout))
	var doc struct {
		Conversation map[string]any   `json:"conversation"`
		Interactions []map[string]any `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("export --format json: %v\n%s", err, r.stdout)
	}
	check(t, "export", doc.Conversation)
	if len(doc.Interactions) != 1 || doc.Interactions[0]["text"] != hostileVendorDecoded {
		t.Errorf("export interactions %v, want the one message decoded to %q", doc.Interactions, hostileVendorDecoded)
	}
	if raw, _ := doc.Interactions[0]["raw"].(map[string]any); raw["text"] != hostileVendorDecoded {
		t.Errorf("export interaction raw %v, want its text %q", raw, hostileVendorDecoded)
	}
}
