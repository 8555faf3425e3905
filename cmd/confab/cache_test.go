package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client/mock"
)

// syncedCount reads "mw: 1,234 conversations, …" from sync's stdout.
func syncedCount(t *testing.T, out, source string) int {
	t.Helper()
	if regexp.MustCompile(`(?m)^` + source + `: no conversations since `).MatchString(out) {
		return 0
	}
	m := regexp.MustCompile(`(?m)^` + source + `: ([\d,]+) conversations`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("sync printed no count for %s:\n%s", source, out)
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n
}

// TestSyncThenSearchOffline: `confab sync --threads` copies every source into a real SQLite
// file; with the mock vendors stopped, `confab search` finds what users wrote across sources,
// `cache stats` counts the rows; a second sync starts from the first one's watermark (less an
// hour) instead of the whole range; `cache clear SOURCE` removes one source.
func TestSyncThenSearchOffline(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	first := h.run("--config", h.config, "sync", "--since", "7d", "--threads")
	first.want(t, 0)
	for _, s := range []string{"mw", "td", "od"} {
		if syncedCount(t, first.stdout, s) == 0 {
			t.Errorf("sync stored no %s conversations", s)
		}
	}
	if !strings.Contains(first.stderr, "confab: sync mw: page 1,") {
		t.Errorf("no progress on stderr: %q", first.stderr)
	}
	// Incremental: the watermark is the first sync's start (the harness clock, an hour after
	// the corpus ends), so the second sync asks for the last two hours only.
	second := h.run("--config", h.config, "sync", "mw")
	second.want(t, 0)
	if n, was := syncedCount(t, second.stdout, "mw"), syncedCount(t, first.stdout, "mw"); n >= was {
		t.Errorf("second sync fetched %d conversations, the first %d: it did not start from the watermark", n, was)
	}

	if err := h.servers.Close(); err != nil { // the vendors are gone from here on
		t.Fatal(err)
	}
	r := h.run("--config", h.config, "search", "password*", "--offline", "--format", "ndjson", "--limit", "200")
	r.want(t, 0)
	sources := map[string]int{}
	for line := range strings.Lines(r.stdout) {
		var hit struct {
			Source  string `json:"source"`
			Snippet []struct {
				Text  string `json:"Text"`
				Match bool   `json:"Match"`
			} `json:"snippet"`
		}
		if err := json.Unmarshal([]byte(line), &hit); err != nil {
			t.Fatalf("ndjson line %q: %v", line, err)
		}
		sources[hit.Source]++
		marked := false
		for _, s := range hit.Snippet {
			marked = marked || s.Match && strings.HasPrefix(strings.ToLower(s.Text), "password")
		}
		if !marked {
			t.Errorf("hit in %s without the match marked: %+v", hit.Source, hit.Snippet)
		}
	}
	if len(sources) < 2 {
		t.Errorf("password* found in %v, want matches from more than one source", sources)
	}
	// The issue's own words: eduroam, offline, found in every vendor's corpus.
	edu := h.run("--config", h.config, "search", "eduroam", "--offline", "--format", "ndjson", "--limit", "500")
	edu.want(t, 0)
	found := map[string]bool{}
	for line := range strings.Lines(edu.stdout) {
		var hit struct {
			Source string `json:"source"`
		}
		if err := json.Unmarshal([]byte(line), &hit); err != nil {
			t.Fatalf("ndjson line %q: %v", line, err)
		}
		found[hit.Source] = true
	}
	if !found["mw"] || !found["td"] || !found["od"] {
		t.Errorf("eduroam found in %v, want mw, td and od", found)
	}
	table := h.run("--config", h.config, "search", "eduroam")
	table.want(t, 0)
	if !strings.Contains(table.stdout, "«eduroam»") {
		t.Errorf("the table does not mark the match:\n%s", table.stdout)
	}

	stats := h.run("--config", h.config, "cache", "stats")
	stats.want(t, 0)
	for _, s := range []string{"mw ", "td ", "od "} {
		if !strings.Contains(stats.stdout, "\n"+s) {
			t.Errorf("cache stats has no row for %s:\n%s", s, stats.stdout)
		}
	}
	h.run("--config", h.config, "cache", "clear", "mw").want(t, 0)
	if s := h.run("--config", h.config, "cache", "stats").stdout; strings.Contains(s, "\nmw ") {
		t.Errorf("mw still in the store after cache clear mw:\n%s", s)
	}
	h.run("--config", h.config, "search", "NOT").want(t, 2, "syntax error", "a phrase")
}

// TestCacheCorrupt: a store file that is not SQLite is reported with what to do, and
// `cache clear` removes it so confab can start afresh; the file is private (0600).
func TestCacheCorrupt(t *testing.T) {
	h := newHarness(t)
	path := strings.TrimSpace(h.run("cache", "path").stdout)
	if !strings.HasPrefix(path, h.dir) {
		t.Fatalf("cache path %q is not under the test's HOME %q", path, h.dir)
	}
	h.run("search", "anything").want(t, 0) // an empty store: no matches, no error
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("store file %v, %v: want mode 0600", fi, err)
	}
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(path + "-wal")
	_ = os.Remove(path + "-shm")
	h.run("search", "anything").want(t, 1, "corrupt", "confab cache clear")
	h.run("cache", "clear").want(t, 0)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("cache clear left %s: %v", filepath.Base(path), err)
	}
	h.run("search", "anything").want(t, 0)
}

// TestOfflineAndNoCache: --offline never touches the network (with the vendor gone, list and
// export answer from the empty local store, not with a connection failure; sync refuses),
// and --no-cache refuses every command that needs the local store.
func TestOfflineAndNoCache(t *testing.T) {
	h := newHarness(t)
	if err := h.servers.Close(); err != nil {
		t.Fatal(err)
	}
	h.run("--config", h.config, "list", "mw").want(t, 1, "cannot connect") // what a request would have met
	if r := h.run("--config", h.config, "--offline", "list", "mw"); r.code != 0 || r.stdout != "no conversations\n" {
		t.Errorf("list --offline on an empty store: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	h.run("--config", h.config, "--offline", "sync", "mw").want(t, 2, "--offline")
	h.run("--config", h.config, "--offline", "export", "mw", "x").want(t, 1, "not in the local store", "confab sync mw")
	h.run("--config", h.config, "--offline", "list", "nope").want(t, 2, "nope")
	h.run("--config", h.config, "--offline", "search", "vpn").want(t, 0)
	for _, args := range [][]string{{"search", "vpn"}, {"sync"}, {"cache", "stats"}, {"cache", "path"}} {
		h.run(append([]string{"--config", h.config, "--no-cache"}, args...)...).want(t, 2, "--no-cache")
	}
}

// TestBulkExport: `export SOURCE --since T` writes every conversation of the range with its
// thread: NDJSON lines (the same ids `list` gives), or one Markdown file per conversation;
// with --offline the same ids come from the local store, the vendor stopped.
func TestBulkExport(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	list := h.run("--config", h.config, "list", "td", "--since", "2d", "--format", "ndjson")
	list.want(t, 0)
	want := ndjsonIDs(t, list.stdout)
	if len(want) < 5 {
		t.Fatalf("only %d conversations in the range", len(want))
	}
	ids := func(out string) []string {
		var got []string
		for line := range strings.Lines(out) {
			var v struct {
				Conversation struct {
					ID string `json:"id"`
				} `json:"conversation"`
				Interactions []json.RawMessage `json:"interactions"`
			}
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			if len(v.Interactions) == 0 {
				t.Errorf("conversation %s exported without its thread", v.Conversation.ID)
			}
			got = append(got, v.Conversation.ID)
		}
		return got
	}
	live := h.run("--config", h.config, "export", "td", "--since", "2d", "--format", "ndjson")
	live.want(t, 0, "exported")
	if got := ids(live.stdout); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("bulk export gave %d conversations, list %d", len(got), len(want))
	}
	dir := filepath.Join(h.dir, "md")
	h.run("--config", h.config, "export", "td", "--since", "2d", "--output", dir).want(t, 0)
	files, _ := filepath.Glob(filepath.Join(dir, "td-*.md"))
	if len(files) != len(want) {
		t.Errorf("%d Markdown files, want %d", len(files), len(want))
	}
	h.run("--config", h.config, "export", "td", "--since", "2d", "--output", dir).want(t, 1, "already exists", "--force")

	h.run("--config", h.config, "sync", "td", "--since", "2d", "--threads").want(t, 0)
	if err := h.servers.Close(); err != nil {
		t.Fatal(err)
	}
	off := h.run("--config", h.config, "--offline", "export", "td", "--since", "2d", "--format", "ndjson")
	off.want(t, 0)
	if got := ids(off.stdout); len(got) != len(want) {
		t.Errorf("offline export gave %d conversations, live %d", len(got), len(want))
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "td"}, "or SOURCE and --since T"},
		{[]string{"export", "td", "--since", "2d", "--format", "markdown"}, "--output DIR"},
		{[]string{"export", "td", "--since", "2d", "--format", "json"}, "ndjson or markdown"},
		{[]string{"export", "td", "x", "--since", "2d"}, "for a bulk export"},
		{[]string{"--offline", "export", "td", "--since", "2d", "--format", "ndjson", "--filter", "x=y"}, "cannot run on the local store"},
	} {
		h.run(append([]string{"--config", h.config}, tc.args...)...).want(t, 2, tc.want)
	}
}
