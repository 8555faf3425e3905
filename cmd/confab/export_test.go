package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// runWithClip runs confab in-process with clip as the native clipboard (nil: none).
func (h *harness) runWithClip(clip func(string) error, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	a := h.app(&out, &errb)
	a.clipboard = func(func(string) string) (func(string) error, string) { return clip, "fakeclip" }
	code := a.run(context.Background(), args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestExportFormats(t *testing.T) {
	h := newHarness(t)
	id := firstIDs(t, h, 1)[0]
	md := h.run("--config", h.config, "export", "mw", id)
	md.want(t, 0)
	for _, want := range []string{"# Conversation `" + id + "`", "- **Source:** mw (moveworks)", "## Transcript", "```text"} {
		if !strings.Contains(md.stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.stdout)
		}
	}
	if h.run("--config", h.config, "export", "mw", id, "--format", "md").stdout != md.stdout {
		t.Error("--format md differs from the default")
	}
	txt := h.run("--config", h.config, "export", "mw", id, "-f", "text")
	txt.want(t, 0)
	if !strings.HasPrefix(txt.stdout, "Conversation "+id+" in mw\n") {
		t.Errorf("text starts %q", txt.stdout[:min(60, len(txt.stdout))])
	}

	// The subtree of the first interaction is part of the whole thread.
	js := h.run("--config", h.config, "export", "mw", id, "--format", "json")
	var doc struct {
		Interactions []client.Interaction `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || len(doc.Interactions) == 0 {
		t.Fatalf("json: %v", err)
	}
	sub := h.run("--config", h.config, "export", "mw", id, "--subtree", doc.Interactions[0].ID)
	sub.want(t, 0)
	if !strings.Contains(sub.stdout, "**Subtree of:** `"+doc.Interactions[0].ID+"`") {
		t.Errorf("subtree header missing:\n%.400s", sub.stdout)
	}
	h.run("--config", h.config, "export", "mw", id, "--subtree", "nope").want(t, 1, "interaction nope not found in conversation "+id)

	red := h.run("--config", h.config, "export", "mw", id, "--redact")
	red.want(t, 0)
	if !strings.Contains(red.stdout, "**Redacted:**") || !strings.Contains(red.stdout, "`"+id+"`") {
		t.Errorf("redacted export lacks the marker or the id:\n%.400s", red.stdout)
	}
	redJSON := h.run("--config", h.config, "export", "mw", id, "--redact", "--format", "json")
	if !strings.Contains(redJSON.stdout, `"redacted": true`) || strings.Contains(redJSON.stdout, `"raw"`) {
		t.Errorf("redacted json keeps raw records or lacks the marker")
	}
}

func TestExportClipboard(t *testing.T) {
	h := newHarness(t)
	id := firstIDs(t, h, 1)[0]
	var got []string
	clip := func(s string) error { got = append(got, s); return nil }
	r := h.runWithClip(clip, "--config", h.config, "export", "mw", id, "--clipboard")
	r.want(t, 0, "Copied markdown (", " via fakeclip")
	want := h.run("--config", h.config, "export", "mw", id).stdout
	if r.stdout != "" || len(got) != 1 || got[0] != want {
		t.Errorf("clipboard got %d texts; stdout %q", len(got), r.stdout)
	}

	r = h.runWithClip(nil, "--config", h.config, "export", "mw", id, "--clipboard")
	r.want(t, 1, "no system clipboard available", "--output FILE")
	r = h.runWithClip(func(string) error { return errors.New("exit status 1") }, "--config", h.config, "export", "mw", id, "--clipboard")
	r.want(t, 1, "copy to fakeclip", "exit status 1")
	h.run("--config", h.config, "export", "mw", id, "--clipboard", "--output", "x").want(t, 2, "--clipboard and --output")
}

// TestListLimitZero: --limit 0 means every page the filter matches.
func TestListLimitZero(t *testing.T) {
	h := newHarness(t)
	all := decodeNDJSON(t, h.run("--config", h.config, "list", "mw", "--format", "ndjson", "--limit", "0").stdout)
	def := decodeNDJSON(t, h.run("--config", h.config, "list", "mw", "--format", "ndjson").stdout)
	three := decodeNDJSON(t, h.run("--config", h.config, "list", "mw", "--format", "ndjson", "--limit", "3").stdout)
	if len(all) <= 100 || len(def) != len(all) || len(three) != 3 {
		t.Errorf("--limit 0: %d, no limit: %d, --limit 3: %d (want more than a page, equal, 3)", len(all), len(def), len(three))
	}
}
