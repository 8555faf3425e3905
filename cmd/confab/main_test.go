package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/store/secret"
	"github.com/confab-dev/confab/tui"
)

// The mock corpus ends here, and the tests' clock is just after it.
var (
	corpusEnd = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	testNow   = corpusEnd.Add(time.Hour)
	// harnessCorpus are the options of the mock newHarness starts; a test that needs the
	// corpus itself builds it from them (the same options give the same data).
	harnessCorpus = mock.Options{Seed: 7, End: corpusEnd, Days: 14}
)

// emptyKeyring is an OS keyring that holds nothing, so tests never touch the real one.
type emptyKeyring struct{}

func (emptyKeyring) Get(service, account string) (string, error) { return "", secret.ErrNotFound }
func (emptyKeyring) Set(service, account, value string) error    { return errors.New("read-only") }
func (emptyKeyring) Delete(service, account string) error        { return secret.ErrNotFound }

type result struct {
	code           int
	stdout, stderr string
}

// harness runs confab in-process against a mock and a config file.
type harness struct {
	t       *testing.T
	servers *mock.Servers
	dir     string
	config  string // path of a config for the mock
	env     map[string]string
	tui     func(ctx context.Context, deps tui.Deps) error
	now     time.Time // the app's clock; zero means testNow
}

const mockConfig = `[[source]]
name = "mw"
kind = "moveworks"
base_url = %q
`

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	servers, err := mock.Start(ctx, "127.0.0.1:0", harnessCorpus)
	if err != nil {
		t.Fatalf("mock.Start: %v", err)
	}
	t.Cleanup(func() { _ = servers.Close() })
	dir := t.TempDir()
	h := &harness{
		t: t, servers: servers, dir: dir,
		env: map[string]string{
			"HOME":             dir,
			"CONFAB_SECRET_MW": servers.Moveworks.APIKey,
		},
	}
	h.config = h.writeFile("config.toml", fmt.Sprintf(mockConfig, servers.Moveworks.BaseURL))
	return h
}

func (h *harness) writeFile(name, body string) string {
	h.t.Helper()
	path := filepath.Join(h.dir, name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		h.t.Fatal(err)
	}
	return path
}

func (h *harness) app(stdout, stderr io.Writer) *app {
	a := newApp(stdout, stderr, func(k string) string { return h.env[k] })
	a.keyring = emptyKeyring{}
	now := h.now
	if now.IsZero() {
		now = testNow
	}
	a.now = func() time.Time { return now }
	a.runTUI = func(ctx context.Context, deps tui.Deps) error {
		if h.tui == nil {
			h.t.Errorf("the TUI was started unexpectedly")
			return nil
		}
		return h.tui(ctx, deps)
	}
	return a
}

func (h *harness) run(args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	code := h.app(&out, &errb).run(context.Background(), args)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	// The error is one line starting "confab: "; a filter error may add the filter and a caret.
	first, rest, _ := strings.Cut(r.stderr, "\n")
	if code != 0 && (!strings.HasPrefix(first, "confab: ") || (rest != "" && !isFilterCaret(rest))) {
		h.t.Errorf("confab %s: stderr is not one line starting with \"confab: \": %q", strings.Join(args, " "), r.stderr)
	}
	return r
}

// startMock runs 'confab mock --addr 127.0.0.1:0 --write-config path args…' in process until
// the test ends, and returns the variables its "export NAME=value" lines set once it has
// written the config. The test fails unless the mock exits 0 when it is stopped.
func (h *harness) startMock(path string, args ...string) map[string]string {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- h.app(pw, &errb).run(ctx, append([]string{"mock", "--addr", "127.0.0.1:0", "--write-config", path}, args...))
		pw.Close()
	}()
	stop := sync.OnceValue(func() int { cancel(); return <-done })
	h.t.Cleanup(func() {
		if code := stop(); code != 0 {
			h.t.Errorf("confab mock: exit %d: %s", code, errb.String())
		}
	})
	env := map[string]string{}
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		out.WriteString(line + "\n")
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			env[k] = strings.Trim(v, "'")
		}
		if strings.HasPrefix(line, "wrote ") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if len(env) == 0 {
		stop()
		h.t.Fatalf("no export line in the output of confab mock:\n%s\nstderr: %s", out.String(), errb.String())
	}
	return env
}

func (r result) want(t *testing.T, code int, stderrHas ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stderrHas {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr %q does not contain %q", r.stderr, s)
		}
	}
}

func decodeNDJSON(t *testing.T, s string) []client.Conversation {
	t.Helper()
	var out []client.Conversation
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var c client.Conversation
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, c)
	}
	return out
}

func TestListFormats(t *testing.T) {
	h := newHarness(t)
	t.Run("table default limit", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw")
		r.want(t, 0)
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if len(lines) != defaultTableLimit+1 {
			t.Fatalf("got %d lines, want header + %d", len(lines), defaultTableLimit)
		}
		if !strings.HasPrefix(lines[0], "TIME") || !strings.Contains(lines[0], "ID") || !strings.Contains(lines[0], "SUMMARY") {
			t.Errorf("header = %q", lines[0])
		}
	})
	t.Run("table limit", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw", "--limit", "3")
		r.want(t, 0)
		if n := strings.Count(r.stdout, "\n"); n != 4 {
			t.Errorf("got %d lines, want 4:\n%s", n, r.stdout)
		}
	})
	t.Run("json", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw", "--format", "json", "--limit", "5")
		r.want(t, 0)
		var cs []client.Conversation
		if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil {
			t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
		}
		if len(cs) != 5 {
			t.Fatalf("got %d conversations, want 5", len(cs))
		}
		for i, c := range cs {
			if c.Source != "mw" || c.ID == "" || len(c.Raw) == 0 {
				t.Errorf("conversation %d = %+v", i, c)
			}
			if i > 0 && c.Started.After(cs[i-1].Started) {
				t.Errorf("not newest first at %d: %v after %v", i, c.Started, cs[i-1].Started)
			}
		}
	})
	t.Run("ndjson", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw", "--format", "ndjson", "--limit", "7")
		r.want(t, 0)
		if cs := decodeNDJSON(t, r.stdout); len(cs) != 7 {
			t.Errorf("got %d lines, want 7", len(cs))
		}
	})
	t.Run("json window, no limit", func(t *testing.T) {
		since, until := corpusEnd.Add(-36*time.Hour), corpusEnd.Add(-12*time.Hour)
		r := h.run("--config", h.config, "list", "mw", "--format", "ndjson",
			"--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339))
		r.want(t, 0)
		cs := decodeNDJSON(t, r.stdout)
		if len(cs) == 0 {
			t.Fatal("no conversations in the window")
		}
		for _, c := range cs {
			if c.Started.Before(since) || !c.Started.Before(until) {
				t.Errorf("%s started %v, outside [%v, %v)", c.ID, c.Started, since, until)
			}
		}
	})
	t.Run("relative since", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw", "--format", "ndjson", "--since", "2h")
		r.want(t, 0)
		for _, c := range decodeNDJSON(t, r.stdout) {
			if c.Started.Before(testNow.Add(-2 * time.Hour)) {
				t.Errorf("%s started %v, before --since 2h", c.ID, c.Started)
			}
		}
	})
	t.Run("empty json", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "mw", "--format", "json", "--since", "2030-01-01")
		r.want(t, 0)
		if r.stdout != "[]\n" {
			t.Errorf("stdout = %q, want []", r.stdout)
		}
	})
}

// TestOutputIsTerminalSafe lists and exports everything, hostile records included, and checks
// no control character other than newline reaches stdout.
func TestOutputIsTerminalSafe(t *testing.T) {
	h := newHarness(t)
	for _, format := range []string{"table", "json"} {
		r := h.run("--config", h.config, "list", "mw", "--limit", "0", "--format", format)
		r.want(t, 0)
		if i := strings.IndexFunc(r.stdout, func(c rune) bool { return c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0 }); i >= 0 {
			t.Errorf("--format %s: control character %q in output near %q", format, r.stdout[i], r.stdout[max(0, i-40):i])
		}
		if format == "table" {
			if n := strings.Count(r.stdout, "\n"); n < 200 {
				t.Errorf("--limit 0 printed only %d lines", n)
			}
		}
	}
}

func firstIDs(t *testing.T, h *harness, n int) []string {
	t.Helper()
	r := h.run("--config", h.config, "list", "mw", "--format", "ndjson", "--limit", fmt.Sprint(n))
	r.want(t, 0)
	var ids []string
	for _, c := range decodeNDJSON(t, r.stdout) {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestExport(t *testing.T) {
	h := newHarness(t)
	id := firstIDs(t, h, 1)[0]
	t.Run("json", func(t *testing.T) {
		r := h.run("--config", h.config, "export", "mw", id, "--format", "json")
		r.want(t, 0)
		var doc struct {
			Conversation client.Conversation
			Interactions []client.Interaction
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("decode: %v\n%s", err, r.stdout)
		}
		if doc.Conversation.ID != id || len(doc.Conversation.Raw) == 0 {
			t.Errorf("conversation = %+v", doc.Conversation)
		}
		if len(doc.Interactions) == 0 {
			t.Fatal("no interactions")
		}
		for _, it := range doc.Interactions {
			if it.ConversationID != id || len(it.Raw) == 0 {
				t.Errorf("interaction %+v", it)
			}
		}
	})
	t.Run("text", func(t *testing.T) {
		r := h.run("--config", h.config, "export", "mw", id, "--format", "text")
		r.want(t, 0)
		if !strings.HasPrefix(r.stdout, "Conversation "+id+" in mw\n") {
			t.Errorf("text starts %q", r.stdout[:min(80, len(r.stdout))])
		}
		if !strings.Contains(r.stdout, "User (") && !strings.Contains(r.stdout, "Bot (") {
			t.Errorf("no actor labels in:\n%s", r.stdout)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		r := h.run("--config", h.config, "export", "mw", id)
		r.want(t, 0)
		if !strings.HasPrefix(r.stdout, "# Conversation `"+id+"`\n") || !strings.Contains(r.stdout, "## Transcript") {
			t.Errorf("markdown starts %q", r.stdout[:min(80, len(r.stdout))])
		}
		h.run("--config", h.config, "export", "mw", id, "--format", "yaml").want(t, 2, "unknown --format")
	})
	t.Run("unknown id", func(t *testing.T) {
		h.run("--config", h.config, "export", "mw", "no-such-id").want(t, 1, "conversation no-such-id not found in mw")
	})
	t.Run("output file", func(t *testing.T) {
		out := filepath.Join(h.dir, "thread.json")
		h.run("--config", h.config, "export", "mw", id, "--output", out).want(t, 0)
		fi, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
			t.Errorf("output mode %v size %d", fi.Mode().Perm(), fi.Size())
		}
		if err := os.WriteFile(out, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		h.run("--config", h.config, "export", "mw", id, "--output", out).want(t, 1, "already exists", "--force")
		if b, _ := os.ReadFile(out); string(b) != "mine" {
			t.Errorf("existing file was changed to %q", b)
		}
		h.run("--config", h.config, "export", "mw", id, "--output", out, "--force", "--format", "text").want(t, 0)
		b, _ := os.ReadFile(out)
		fi, _ = os.Stat(out)
		if !strings.HasPrefix(string(b), "Conversation "+id) || fi.Mode().Perm() != 0o600 {
			t.Errorf("forced output: mode %v, %q", fi.Mode().Perm(), b[:min(40, len(b))])
		}
	})
	t.Run("output in a missing directory", func(t *testing.T) {
		out := filepath.Join(h.dir, "no-such-dir", "thread.md")
		for _, force := range []string{"--force=false", "--force"} {
			h.run("--config", h.config, "export", "mw", id, "--output", out, force).
				want(t, 1, "export: cannot write "+out+": no such file or directory", "choose another --output")
		}
	})
}

func TestErrors(t *testing.T) {
	h := newHarness(t)
	badConfig := h.writeFile("bad.toml", "[[source]]\nname = \"mw\"\nkind = \"movewords\"\n")
	secretConfig := h.writeFile("secret.toml", "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\napi_key = \"x\"\n")
	nokey := h.writeFile("nokey.toml", fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL)+
		fmt.Sprintf("[[source]]\nname = \"other-mw\"\nkind = \"moveworks\"\nbase_url = %q\n", h.servers.Moveworks.BaseURL))
	tdConfig := h.writeFile("td.toml", "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"acme\"\nclient_id = \"c\"\n")
	tests := []struct {
		name string
		args []string
		code int
		has  []string
	}{
		{"bad config names file and line", []string{"--config", badConfig, "list", "mw"}, 2, []string{badConfig + ":3: source \"mw\": kind \"movewords\" is not one of"}},
		{"secret in config", []string{"--config", secretConfig, "list", "mw"}, 2, []string{secretConfig + ":4:", "CONFAB_SECRET_MW"}},
		{"missing explicit config", []string{"--config", filepath.Join(h.dir, "none.toml"), "list", "mw"}, 2, []string{"does not exist"}},
		{"unknown source", []string{"--config", h.config, "list", "nope"}, 2, []string{`unknown source "nope"`, "configured sources: mw"}},
		{"missing secret", []string{"--config", nokey, "list", "other-mw"}, 1, []string{"CONFAB_SECRET_OTHER_MW"}},
		{"talkdesk without a secret", []string{"--config", tdConfig, "list", "td"}, 1, []string{"confab auth login td", "CONFAB_SECRET_TD"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"unknown flag", []string{"list", "mw", "--colour"}, 2, []string{"unknown flag: --colour", "confab list --help"}},
		{"bad flag value", []string{"list", "mw", "--limit", "many"}, 2, []string{"--limit"}},
		{"missing argument", []string{"--config", h.config, "list"}, 2, []string{"takes SOURCE"}},
		{"extra argument", []string{"--config", h.config, "export", "mw"}, 2, []string{"takes SOURCE and CONVERSATION_ID"}},
		{"bad format", []string{"--config", h.config, "list", "mw", "--format", "xml"}, 2, []string{`unknown --format "xml"`}},
		{"negative limit", []string{"--config", h.config, "list", "mw", "--limit", "-1"}, 2, []string{"negative"}},
		{"bad since", []string{"--config", h.config, "list", "mw", "--since", "last tuesday"}, 2, []string{"--since", "cannot read time"}},
		{"empty window", []string{"--config", h.config, "list", "mw", "--since", "2026-11-01", "--until", "2026-10-01"}, 2, []string{"empty time window"}},
		{"bad filter", []string{"--config", h.config, "list", "mw", "--filter", "plaform eq 'slack'"}, 2, []string{"invalid filter", "fix the filter"}},
		{"bad debug log", []string{"--debug-log", filepath.Join(h.dir, "no", "such", "dir.log"), "version"}, 2, []string{"debug log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.run(tt.args...).want(t, tt.code, tt.has...)
		})
	}
}

func TestVersion(t *testing.T) {
	h := newHarness(t)
	r := h.run("version")
	r.want(t, 0)
	if !strings.HasPrefix(r.stdout, "confab "+client.Version+" (go") {
		t.Errorf("version = %q", r.stdout)
	}
}

func TestConfigCommands(t *testing.T) {
	h := newHarness(t)
	warn := h.writeFile("warn.toml", fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL)+"auth = \"oauth2\"\n")
	bad := h.writeFile("bad.toml", "[[source]]\nname = \"a\"\nkind = \"x\"\n[[source]]\nname = \"b\"\nkind = \"moveworks\"\nregion = \"mars\"\n")
	t.Run("path default", func(t *testing.T) {
		r := h.run("config", "path")
		r.want(t, 0)
		if want := filepath.Join(h.dir, ".config", "confab", "config.toml") + "\n"; r.stdout != want {
			t.Errorf("path = %q, want %q", r.stdout, want)
		}
		if !strings.Contains(r.stderr, "does not exist") {
			t.Errorf("stderr = %q", r.stderr)
		}
	})
	t.Run("path env", func(t *testing.T) {
		h.env["CONFAB_CONFIG"] = h.config
		defer delete(h.env, "CONFAB_CONFIG")
		r := h.run("config", "path")
		r.want(t, 0)
		if r.stdout != h.config+"\n" || r.stderr != "" {
			t.Errorf("path = %q, stderr %q", r.stdout, r.stderr)
		}
	})
	t.Run("check ok", func(t *testing.T) {
		r := h.run("--config", h.config, "config", "check")
		r.want(t, 0)
		if !strings.Contains(r.stdout, ": ok (1 source, 0 views)") {
			t.Errorf("stdout = %q", r.stdout)
		}
	})
	t.Run("check warning", func(t *testing.T) {
		r := h.run("--config", warn, "config", "check")
		r.want(t, 0)
		if !strings.Contains(r.stdout, warn+":5: warning: source \"mw\": auth is oauth2 but client_id is not set") {
			t.Errorf("stdout = %q", r.stdout)
		}
	})
	t.Run("check errors", func(t *testing.T) {
		r := h.run("--config", bad, "config", "check")
		r.want(t, 2, "2 errors in "+bad)
		if !strings.Contains(r.stdout, bad+":3: source \"a\": kind \"x\"") || !strings.Contains(r.stdout, bad+":7: source \"b\": region \"mars\"") {
			t.Errorf("stdout = %q", r.stdout)
		}
	})
	t.Run("check invalid TOML", func(t *testing.T) {
		broken := h.writeFile("broken.toml", "[[source]]\nname = \"mw\"\npage_size = \"ten\"\n")
		r := h.run("--config", broken, "config", "check")
		r.want(t, 2, "1 error in "+broken)
		if !strings.Contains(r.stdout, broken+":3: source.page_size must be an integer, not a string") {
			t.Errorf("stdout = %q", r.stdout)
		}
	})
	t.Run("check missing default", func(t *testing.T) {
		h.run("config", "check").want(t, 0)
	})
}

func TestTUIWiring(t *testing.T) {
	h := newHarness(t)
	t.Run("no sources", func(t *testing.T) {
		h.run().want(t, 2, "no sources configured", "confab demo")
	})
	t.Run("tabs", func(t *testing.T) {
		cfg := h.writeFile("tabs.toml", fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL)+
			"filter = \"primary_domain eq 'IT'\"\n"+
			fmt.Sprintf("[[source]]\nname = \"nokey\"\nkind = \"moveworks\"\nbase_url = %q\n", h.servers.Moveworks.BaseURL)+
			"[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"acme\"\nclient_id = \"c\"\n"+
			"[[view]]\nname = \"old teams\"\nsource = \"mw\"\nfilter = \"primary_domain eq 'HR'\"\norder = \"oldest\"\n")
		var got []tui.Tab
		h.tui = func(ctx context.Context, deps tui.Deps) error {
			got = deps.Tabs
			return nil
		}
		defer func() { h.tui = nil }()
		h.run("--config", cfg).want(t, 0)
		if len(got) != 4 {
			t.Fatalf("got %d tabs, want 4", len(got))
		}
		mw, nokey, td, view := got[0], got[1], got[2], got[3]
		if mw.Name != "mw" || mw.Err != nil || mw.Source == nil || mw.Query.Filter != "primary_domain eq 'IT'" {
			t.Errorf("mw tab = %+v", mw)
		}
		if nokey.Err == nil || !strings.Contains(nokey.Err.Error(), "CONFAB_SECRET_NOKEY") {
			t.Errorf("nokey tab err = %v", nokey.Err)
		}
		if td.Err == nil || !strings.Contains(td.Err.Error(), "CONFAB_SECRET_TD") {
			t.Errorf("td tab err = %v", td.Err)
		}
		if view.Name != "old teams" || view.Source != mw.Source || view.Query.Filter != "primary_domain eq 'HR'" || view.Query.Order != client.OldestFirst {
			t.Errorf("view tab = %+v", view)
		}
		page, err := mw.Source.Conversations(context.Background(), mw.Query, "")
		if err != nil || len(page.Conversations) == 0 {
			t.Errorf("mw tab source: %d conversations, %v", len(page.Conversations), err)
		}
	})
	t.Run("tui failure", func(t *testing.T) {
		h.tui = func(ctx context.Context, deps tui.Deps) error { return errors.New("no terminal") }
		defer func() { h.tui = nil }()
		h.run("--config", h.config).want(t, 1, "no terminal")
	})
}

func TestDemo(t *testing.T) {
	h := newHarness(t)
	var got []tui.Tab
	h.tui = func(ctx context.Context, deps tui.Deps) error {
		got = deps.Tabs
		for _, tab := range deps.Tabs {
			if tab.Err != nil {
				return tab.Err
			}
			if _, err := tab.Source.Conversations(ctx, tab.Query, ""); err != nil {
				return err
			}
		}
		return nil
	}
	delete(h.env, "CONFAB_SECRET_MW")
	h.env["HOME"] = filepath.Join(h.dir, "home-that-does-not-exist")
	h.run("--no-cache", "demo", "--seed", "3").want(t, 0)
	if len(got) == 0 || got[0].Name != "mw" || got[0].Kind != "moveworks" {
		t.Errorf("demo tabs = %+v", got)
	}
	if _, err := os.Stat(h.env["HOME"]); err == nil {
		t.Errorf("demo --no-cache wrote under HOME")
	}
}

func TestMockWriteConfig(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(h.dir, "mock", "confab.toml")
	env := h.startMock(path)
	if env["CONFAB_SECRET_MW"] == "" {
		t.Fatalf("no CONFAB_SECRET_MW export in mock output: %v", env)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("config file: %v", err)
	}
	h.env = map[string]string{"HOME": h.dir, "CONFAB_SECRET_MW": env["CONFAB_SECRET_MW"]}
	r := h.run("--config", path, "list", "mw", "--format", "ndjson", "--limit", "3")
	r.want(t, 0)
	if cs := decodeNDJSON(t, r.stdout); len(cs) != 3 {
		t.Errorf("listed %d conversations through the written config", len(cs))
	}
	body, _ := os.ReadFile(path)
	if strings.Contains(string(body), env["CONFAB_SECRET_MW"]) {
		t.Errorf("the secret is in the config file:\n%s", body)
	}

	// A second run may replace the file it wrote, never someone else's.
	mine := h.writeFile("mine.toml", "# my config\n")
	h.run("mock", "--addr", "127.0.0.1:0", "--write-config", mine).want(t, 2, "was not written by confab mock")
	if b, _ := os.ReadFile(mine); string(b) != "# my config\n" {
		t.Errorf("foreign config changed: %q", b)
	}
}

func TestDebugLog(t *testing.T) {
	h := newHarness(t)
	logPath := filepath.Join(h.dir, "debug.log")
	h.run("--config", h.config, "--debug-log", logPath, "list", "mw", "--limit", "2").want(t, 0)
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"level":"DEBUG"`) {
		t.Errorf("debug log has no debug records:\n%s", b)
	}
	if strings.Contains(string(b), h.servers.Moveworks.APIKey) {
		t.Errorf("the secret is in the debug log")
	}
	if fi, _ := os.Stat(logPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v", fi.Mode().Perm())
	}
}

func TestRefusedCredential(t *testing.T) {
	h := newHarness(t)
	h.env["CONFAB_SECRET_MW"] = "mwk_wrong"
	for _, format := range []string{"table", "json", "ndjson"} {
		r := h.run("--config", h.config, "list", "mw", "--format", format)
		r.want(t, 1, "credentials refused", "CONFAB_SECRET_")
		if r.stdout != "" {
			t.Errorf("--format %s: stdout %q after a failure on the first page", format, r.stdout)
		}
		if strings.Contains(r.stderr, "mwk_wrong") {
			t.Errorf("the secret is in the error: %q", r.stderr)
		}
	}
}

// isFilterCaret reports whether s is the two-line filter-and-caret detail of a filter error.
func isFilterCaret(s string) bool {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return len(lines) == 2 && strings.HasPrefix(lines[0], "  ") && strings.HasSuffix(lines[1], "^") &&
		strings.TrimSpace(lines[1]) == "^"
}
