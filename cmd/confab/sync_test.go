package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/store/syncer"
)

// conversationRequests counts the GETs of …/conversations in a --debug-log file whose URL
// holds host (one mock vendor's origin), and empties the file.
func conversationRequests(t *testing.T, log, host string) int {
	t.Helper()
	f, err := os.Open(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "GET" && strings.Contains(rec.URL, host) &&
			strings.Contains(rec.URL, "/conversations") {
			n++
		}
	}
	if err := os.Truncate(log, 0); err != nil {
		t.Fatal(err)
	}
	return n
}

// pageLines are sync's piped progress lines for source.
func pageLines(stderr, source string) []string {
	return regexp.MustCompile(`(?m)^confab: sync `+source+`: page \d+, [\d,]+ conversations, [\d,]+ messages.*$`).FindAllString(stderr, -1)
}

// TestSyncOfflineListExport: `confab sync` stores the sources; with the mock vendors
// stopped, `list --offline` gives the rows the vendor listed, `export ID --offline` a stored
// thread, `search --offline` finds text; a thread sync did not store is a clear error naming
// `confab sync --threads`, and a vendor filter under --offline a usage error.
func TestSyncOfflineListExport(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	live := h.run("--config", h.config, "list", "mw", "--since", "3d", "--format", "ndjson")
	live.want(t, 0)
	want := ndjsonIDs(t, live.stdout)
	if len(want) < 60 {
		t.Fatalf("only %d mw conversations in 3 days", len(want))
	}
	h.run("--config", h.config, "sync", "mw", "--since", "3d", "--threads").want(t, 0)
	h.run("--config", h.config, "sync", "od", "--since", "3d").want(t, 0) // no threads

	if err := h.servers.Close(); err != nil {
		t.Fatal(err)
	}
	off := h.run("--config", h.config, "--offline", "list", "mw", "--format", "ndjson", "--limit", "0")
	off.want(t, 0)
	if got := ndjsonIDs(t, off.stdout); !slices.Equal(got, want) {
		t.Errorf("list --offline gave %d ids, the vendor listed %d (first %v vs %v)", len(got), len(want), got[:min(3, len(got))], want[:3])
	}
	table := h.run("--config", h.config, "list", "mw", "--offline", "--limit", "5")
	table.want(t, 0)
	if !strings.Contains(table.stdout, want[0]) {
		t.Errorf("list --offline table has no %s:\n%s", want[0], table.stdout)
	}
	oldest := h.run("--config", h.config, "list", "mw", "--offline", "--order", "oldest", "--format", "ndjson", "--limit", "1")
	oldest.want(t, 0)
	if got := ndjsonIDs(t, oldest.stdout); len(got) != 1 || got[0] != want[len(want)-1] {
		t.Errorf("--order oldest --offline gave %v, want %s", got, want[len(want)-1])
	}

	exp := h.run("--config", h.config, "--offline", "export", "mw", want[0], "--format", "json")
	exp.want(t, 0)
	var thread struct {
		Conversation struct {
			ID string `json:"id"`
		} `json:"conversation"`
		Interactions []json.RawMessage `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(exp.stdout), &thread); err != nil {
		t.Fatalf("export --offline: %v\n%s", err, exp.stdout)
	}
	if thread.Conversation.ID != want[0] || len(thread.Interactions) == 0 {
		t.Errorf("export --offline: conversation %q with %d interactions", thread.Conversation.ID, len(thread.Interactions))
	}
	h.run("--config", h.config, "--offline", "export", "mw", want[0], "--format", "text").want(t, 0)
	h.run("--config", h.config, "--offline", "search", "password*").want(t, 0)

	ods := ndjsonIDs(t, h.run("--config", h.config, "--offline", "list", "od", "--format", "ndjson").stdout)
	if len(ods) == 0 {
		t.Fatal("no od conversations stored")
	}
	h.run("--config", h.config, "--offline", "export", "od", ods[0]).want(t, 1, "not in the local store", "confab sync od --threads")
	h.run("--config", h.config, "--offline", "export", "mw", "no-such-id").want(t, 1, "not in the local store", "confab list mw --offline")
	h.run("--config", h.config, "--offline", "list", "mw", "--filter", "route eq 'DM'").want(t, 2, "cannot run on the local store")
	h.run("--config", h.config, "--offline", "list", "mw", "--order-by", "id").want(t, 2, "cannot run on the local store")
	h.run("--config", h.config, "--offline", "list", "td").want(t, 0) // nothing stored: an empty list
}

// TestSyncProgressAndIncremental: piped, sync prints one progress line per page; a second
// sync asks the vendor for the new pages only (requests counted in the debug log), and says
// nothing of resuming.
func TestSyncProgressAndIncremental(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	log := filepath.Join(h.dir, "debug.log")
	first := h.run("--config", h.config, "--debug-log", log, "sync", "mw", "--since", "7d")
	first.want(t, 0)
	n := syncedCount(t, first.stdout, "mw")
	pages := (n + 49) / 50
	lines := pageLines(first.stderr, "mw")
	if len(lines) != pages {
		t.Fatalf("%d progress lines for %d conversations in pages of 50:\n%s", len(lines), n, first.stderr)
	}
	if !strings.HasPrefix(lines[0], "confab: sync mw: page 1, 50 conversations, 0 messages") ||
		!strings.Contains(lines[len(lines)-1], "100%") || strings.Contains(first.stderr, "\r") {
		t.Errorf("progress lines:\n%s", strings.Join(lines, "\n"))
	}
	host := strings.TrimPrefix(h.servers.Moveworks.BaseURL, "http://")
	host = host[:strings.Index(host, "/")]
	if got := conversationRequests(t, log, host); got != pages {
		t.Errorf("first sync: %d page requests, want %d", got, pages)
	}

	h.now = testNow.Add(30 * time.Minute)
	second := h.run("--config", h.config, "--debug-log", log, "sync", "mw")
	second.want(t, 0)
	if got := conversationRequests(t, log, host); got != 1 {
		t.Errorf("second sync: %d page requests, want 1 (only what is new)", got)
	}
	if strings.Contains(second.stderr, "resumed") {
		t.Errorf("a sync after a finished one says it resumed: %s", second.stderr)
	}

	// A span with nothing in it says so in words, not "0 conversations, 0 messages".
	since := h.now.Add(time.Minute).UTC().Format(time.RFC3339)
	empty := h.run("--config", h.config, "sync", "mw", "--since", since)
	empty.want(t, 0)
	if want := "mw: no conversations since " + since + "\n"; empty.stdout != want {
		t.Errorf("an empty span: stdout %q, want %q", empty.stdout, want)
	}
}

// cancelAfter is a writer that cancels when what was written holds marker.
type cancelAfter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	cancel context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.marker) {
		c.cancel()
	}
	return len(p), nil
}

// TestSyncInterruptedResumes: ctrl+c mid-sync exits 130 with one line saying what was kept
// and to run sync again; the next sync resumes (says so), does not fetch the stored pages
// again, and ends with every conversation stored.
func TestSyncInterruptedResumes(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	log := filepath.Join(h.dir, "debug.log")
	ref := h.run("--config", h.config, "list", "mw", "--since", "7d", "--format", "ndjson")
	ref.want(t, 0)
	total := len(ndjsonIDs(t, ref.stdout))
	full := (total + 49) / 50
	if full < 8 {
		t.Fatalf("only %d pages", full)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errw := &cancelAfter{marker: "confab: sync mw: page 3,", cancel: cancel}
	var out bytes.Buffer
	code := h.app(&out, errw).run(ctx, []string{"--config", h.config, "--debug-log", log, "sync", "mw", "--since", "7d"})
	stderr := errw.buf.String()
	if code != exitInterrupted {
		t.Fatalf("interrupted sync: exit %d, want %d\n%s", code, exitInterrupted, stderr)
	}
	last := strings.TrimSpace(stderr[strings.LastIndex(strings.TrimSpace(stderr), "\n")+1:])
	if !regexp.MustCompile(`^confab: sync mw: interrupted after 150 conversations, kept in the local store: run confab sync again to finish$`).MatchString(last) {
		t.Errorf("last line %q", last)
	}
	host := strings.TrimPrefix(h.servers.Moveworks.BaseURL, "http://")
	host = host[:strings.Index(host, "/")]
	conversationRequests(t, log, host)

	h.now = testNow.Add(time.Minute)
	second := h.run("--config", h.config, "--debug-log", log, "sync", "mw") // no --since: the interrupted one's
	second.want(t, 0, "confab: sync mw: resumed an interrupted sync")
	if got := conversationRequests(t, log, host); got > full-3+2 {
		t.Errorf("resumed sync: %d page requests; the walk has %d and 3 were stored", got, full)
	}
	stored := h.run("--config", h.config, "--offline", "list", "mw", "--format", "ndjson", "--since", "7d")
	stored.want(t, 0)
	if got := len(ndjsonIDs(t, stored.stdout)); got != total {
		t.Errorf("%d stored after resuming, want %d", got, total)
	}
}

// TestSyncConcurrent: two `confab sync` at once on one store both succeed, and the store
// holds each conversation once, with its thread.
func TestSyncConcurrent(t *testing.T) {
	h := mockHarness(t, mock.Options{Seed: 7}, 50)
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Go(func() { results[i] = h.run("--config", h.config, "sync", "mw", "td", "--since", "2d", "--threads") })
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("sync %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	for _, s := range []string{"mw", "td"} {
		live := ndjsonIDs(t, h.run("--config", h.config, "list", s, "--since", "2d", "--format", "ndjson").stdout)
		stored := ndjsonIDs(t, h.run("--config", h.config, "--offline", "list", s, "--since", "2d", "--format", "ndjson").stdout)
		slices.Sort(live)
		slices.Sort(stored)
		if !slices.Equal(live, stored) {
			t.Errorf("%s: %d stored, the vendor lists %d", s, len(stored), len(live))
		}
		if len(stored) > 0 {
			h.run("--config", h.config, "--offline", "export", s, "--", stored[0]).want(t, 0)
		}
	}
	st := h.run("--config", h.config, "cache", "stats")
	st.want(t, 0)
}

// TestSyncLine: the terminal line has a bar, the percentage, rows, pages, rate and ETA; the
// piped line stays the plain one with the estimate appended.
func TestSyncLine(t *testing.T) {
	p := syncer.Progress{Pages: 12, Rows: 1234, Messages: 56, Rate: 340.4, Done: 0.5, ETA: 65 * time.Second, HasETA: true}
	tests := []struct {
		name string
		p    syncer.Progress
		tty  bool
		want string
	}{
		{"tty", p, true, "sync mw ██████████░░░░░░░░░░  50%  1,234 conversations · 12 pages · 56 messages · 340/s · ETA 1m5s"},
		{"piped", p, false, "confab: sync mw: page 12, 1,234 conversations, 56 messages, 50%, 340/s, ETA 1m5s"},
		{"unknown", syncer.Progress{Pages: 1, Rows: 50, Done: -1}, true, "sync mw 50 conversations · 1 page"},
		{"piped unknown", syncer.Progress{Pages: 1, Rows: 50, Done: -1}, false, "confab: sync mw: page 1, 50 conversations, 0 messages"},
		{"no ETA under a second", syncer.Progress{Pages: 3, Rows: 150, Done: 0.9, ETA: 400 * time.Millisecond, HasETA: true}, true,
			"sync mw ██████████████████░░  90%  150 conversations · 3 pages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := syncLine("mw", tt.p, tt.tty); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestSyncProcesses runs the built binary: two `confab sync --threads` processes at once on
// one store both succeed and store each conversation once with its thread; then a sync
// killed with SIGKILL mid-way keeps its pages, and the next process resumes below them
// without fetching them again.
func TestSyncProcesses(t *testing.T) {
	bin := buildBinary(t)
	// The processes read the wall clock and take no --now: the mock's corpus ends there and the
	// in-process runs share that clock, so od's walk from --since is a few windows on any day
	// (against the fixed corpusEnd it grew a window a day, past max_windows a year on).
	now := time.Now().UTC().Truncate(time.Hour)
	h := mockHarness(t, mock.Options{Seed: 7, End: now}, 50)
	h.now = now.Add(time.Hour)
	since := now.Add(-5 * 24 * time.Hour).Format(time.RFC3339)
	env := os.Environ()
	for k, v := range h.env {
		env = append(env, k+"="+v)
	}
	command := func(ctx context.Context, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, append([]string{"--config", h.config}, args...)...)
		cmd.Env = env
		return cmd
	}
	ctx := context.Background()

	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range outs {
		wg.Go(func() {
			outs[i], errs[i] = command(ctx, "sync", "mw", "od", "--since", since, "--threads").CombinedOutput()
		})
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatalf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	for _, s := range []string{"mw", "od"} {
		live := ndjsonIDs(t, h.run("--config", h.config, "list", s, "--since", since, "--format", "ndjson").stdout)
		stored := ndjsonIDs(t, h.run("--config", h.config, "--offline", "list", s, "--since", since, "--format", "ndjson").stdout)
		slices.Sort(live)
		slices.Sort(stored)
		if len(live) == 0 || !slices.Equal(live, stored) {
			t.Errorf("%s: %d stored, the vendor lists %d", s, len(stored), len(live))
		}
		for _, id := range []string{stored[0], stored[len(stored)-1]} {
			h.run("--config", h.config, "--offline", "export", s, "--", id).want(t, 0)
		}
	}

	// SIGKILL mid-way: a fresh store (another HOME), mw with its threads.
	since = now.Add(-14 * 24 * time.Hour).Format(time.RFC3339)
	home := t.TempDir()
	env = append(env, "HOME="+home)
	kill := command(ctx, "sync", "mw", "--since", since, "--threads")
	stderr, err := kill.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := kill.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	killed := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "confab: sync mw: page 4,") {
			_ = kill.Process.Kill()
			killed = true
			break
		}
	}
	_ = kill.Wait()
	if !killed {
		t.Fatal("the sync ended before its fourth page")
	}
	log := filepath.Join(home, "debug.log")
	out, err := command(ctx, "--debug-log", log, "sync", "mw", "--threads").CombinedOutput()
	if err != nil {
		t.Fatalf("sync after SIGKILL: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "confab: sync mw: resumed an interrupted sync") {
		t.Errorf("the sync after SIGKILL did not resume:\n%s", out)
	}
	host := strings.TrimPrefix(h.servers.Moveworks.BaseURL, "http://")
	host = host[:strings.Index(host, "/")]
	resumed := conversationRequests(t, log, host)
	out, err = command(ctx, "--debug-log", log, "sync", "mw", "--since", since, "--threads").CombinedOutput()
	if err != nil {
		t.Fatalf("whole sync: %v\n%s", err, out)
	}
	// Four pages were stored: the resumed walk skips them, less one for what is new and one
	// at the edge.
	whole := conversationRequests(t, log, host)
	t.Logf("page requests: resumed sync %d, whole sync %d", resumed, whole)
	if whole < 8 || resumed > whole-2 {
		t.Errorf("the resumed sync made %d page requests, a whole one %d", resumed, whole)
	}
}

// TestSyncShowTerminal: on a terminal the progress line is redrawn in place, another line on
// stderr (a retry notice) first clears it, and the end clears it for the summary.
func TestSyncShowTerminal(t *testing.T) {
	var b bytes.Buffer
	s := &syncShow{w: &b, name: "mw", tty: true, width: 40}
	s.page(syncer.Progress{Pages: 1, Rows: 50, Done: -1})
	fmt.Fprintf(s, "confab: mw: rate limited (HTTP 429) — retrying in 8s (retry 1)\n")
	s.page(syncer.Progress{Pages: 2, Rows: 100, Done: 0.5})
	s.end()
	s.end()
	want := "\rsync mw 50 conversations · 1 page\x1b[K" +
		"\r\x1b[Kconfab: mw: rate limited (HTTP 429) — retrying in 8s (retry 1)\n" +
		"\rsync mw ██████████░░░░░░░░░░  50%  100…\x1b[K" + // cut to the terminal's width
		"\r\x1b[K"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

// TestSyncUnderRateLimits: with most requests answered 429, sync waits them out (the
// client's policy) and stores what a sync without faults stores.
func TestSyncUnderRateLimits(t *testing.T) {
	clean := mockHarness(t, mock.Options{Seed: 7}, 50)
	faulty := mockHarness(t, mock.Options{Seed: 7, Faults: mock.Faults{RateLimit: 0.5, RetryAfterNone: true}}, 50)
	args := []string{"--config", "", "sync", "mw", "od", "--since", "3d"}
	args[1] = clean.config
	want, _ := clean.runFast(args...)
	want.want(t, 0)
	args[1] = faulty.config
	got, retries := faulty.runFast(args...)
	got.want(t, 0)
	if retries == 0 {
		t.Error("no request was retried: the 429s were not injected")
	}
	for _, s := range []string{"mw", "od"} {
		if g, w := syncedCount(t, got.stdout, s), syncedCount(t, want.stdout, s); g != w || g == 0 {
			t.Errorf("%s: %d stored under 429s, %d without", s, g, w)
		}
	}
}
