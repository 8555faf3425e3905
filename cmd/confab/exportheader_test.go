package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client/mock"
)

// TestExportsNameIDAndSource: every export — one conversation as Markdown, text or JSON, and
// the bulk NDJSON and Markdown exports, live and from the local store — names the
// conversation's id and its source (with the vendor kind) in its header, so a pasted or
// archived transcript can be found again.
func TestExportsNameIDAndSource(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	list := h.run("--config", h.config, "list", "td", "--since", "2d", "--format", "ndjson")
	list.want(t, 0)
	ids := ndjsonIDs(t, list.stdout)
	if len(ids) < 2 {
		t.Fatalf("only %d conversations in the range", len(ids))
	}
	id := ids[0]
	markdown := func(t *testing.T, what, out, id string) {
		t.Helper()
		for _, want := range []string{"# Conversation `" + id + "`", "- **Source:** td (talkdesk)\n", "- **Conversation:** `" + id + "`\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the Markdown header lacks %q:\n%.500s", what, want, out)
			}
		}
	}
	jsonDoc := func(t *testing.T, what, line, id string) {
		t.Helper()
		var v struct {
			Conversation struct {
				Source string `json:"source"`
				ID     string `json:"id"`
			} `json:"conversation"`
		}
		if err := json.Unmarshal([]byte(line), &v); err != nil || v.Conversation.ID != id || v.Conversation.Source != "td" {
			t.Errorf("%s: conversation %+v (%v), want id %s and source td", what, v.Conversation, err, id)
		}
	}
	bulk := func(t *testing.T, what string, args ...string) {
		t.Helper()
		nd := h.run(append([]string{"--config", h.config}, append(args, "--format", "ndjson")...)...)
		nd.want(t, 0)
		n := 0
		for line := range strings.Lines(nd.stdout) {
			jsonDoc(t, what+" ndjson", line, ids[n])
			n++
		}
		dir := t.TempDir()
		h.run(append([]string{"--config", h.config}, append(args, "--format", "markdown", "--output", dir)...)...).want(t, 0)
		for _, id := range ids {
			data, err := os.ReadFile(filepath.Join(dir, "td-"+id+".md"))
			if err != nil {
				t.Errorf("%s markdown: %v", what, err)
				continue
			}
			markdown(t, what+" markdown "+id, string(data), id)
		}
	}
	single := func(t *testing.T, what string, pre ...string) {
		t.Helper()
		args := append(append([]string{"--config", h.config}, pre...), "export", "td", id)
		md := h.run(args...)
		md.want(t, 0)
		markdown(t, what+" markdown", md.stdout, id)
		txt := h.run(append(args, "--format", "text")...)
		txt.want(t, 0)
		if !strings.HasPrefix(txt.stdout, "Conversation "+id+" in td\nSource: td (talkdesk)\n") {
			t.Errorf("%s text: header %.200q", what, txt.stdout)
		}
		js := h.run(append(args, "--format", "json")...)
		js.want(t, 0)
		jsonDoc(t, what+" json", js.stdout, id)
	}

	single(t, "live")
	bulk(t, "live bulk", "export", "td", "--since", "2d")
	h.run("--config", h.config, "sync", "td", "--since", "2d", "--threads").want(t, 0)
	if err := h.servers.Close(); err != nil {
		t.Fatal(err)
	}
	single(t, "offline", "--offline")
	bulk(t, "offline bulk", "--offline", "export", "td", "--since", "2d")
}
