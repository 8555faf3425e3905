package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/secret"
	"github.com/confab-dev/confab/tui"
)

// memKeyring is an in-memory OS keyring. When hang is set, every call blocks until it is
// closed; when fail is set, every call fails with it.
type memKeyring struct {
	mu    sync.Mutex
	m     map[string]string
	calls atomic.Int32
	sets  atomic.Int32
	hang  chan struct{}
	fail  error
}

func newMemKeyring() *memKeyring { return &memKeyring{m: map[string]string{}} }

func (k *memKeyring) wait() error {
	k.calls.Add(1)
	if k.hang != nil {
		<-k.hang
	}
	return k.fail
}

func (k *memKeyring) Get(service, account string) (string, error) {
	if err := k.wait(); err != nil {
		return "", err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[service+"/"+account]
	if !ok {
		return "", secret.ErrNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(service, account, value string) error {
	k.sets.Add(1)
	if err := k.wait(); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[service+"/"+account] = value
	return nil
}

func (k *memKeyring) Delete(service, account string) error {
	if err := k.wait(); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[service+"/"+account]; !ok {
		return secret.ErrNotFound
	}
	delete(k.m, service+"/"+account)
	return nil
}

func (k *memKeyring) get(account string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[secret.Service+"/"+account]
	return v, ok
}

// fakeTerminal stands in for an interactive terminal: it answers prompts in order and records
// them. It is also an io.Reader, which 'auth login' must never read.
type fakeTerminal struct {
	answers []string
	prompts []string
	hidden  []bool
}

func (f *fakeTerminal) Prompt(ctx context.Context, prompt string, hidden bool) (string, error) {
	f.prompts = append(f.prompts, prompt)
	f.hidden = append(f.hidden, hidden)
	if len(f.answers) == 0 {
		return "", errors.New("fake terminal: no more answers")
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return a, nil
}

func (f *fakeTerminal) Read([]byte) (int, error) {
	return 0, errors.New("fake terminal: read from stdin instead of prompting")
}

// runAuth runs confab with the given keyring and stdin.
func (h *harness) runAuth(kr secret.Keyring, stdin io.Reader, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	a := h.app(&out, &errb)
	a.keyring = kr
	a.stdin = stdin
	code := a.run(context.Background(), args)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	if code != 0 && (strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "confab: ")) && !isTerminal(stdin) {
		h.t.Errorf("confab %s: stderr is not one line starting with \"confab: \": %q", strings.Join(args, " "), r.stderr)
	}
	if code != 0 && isTerminal(stdin) && !strings.HasPrefix(lastLine(r.stderr), "confab: ") {
		h.t.Errorf("confab %s: the last line of stderr does not start with \"confab: \": %q", strings.Join(args, " "), r.stderr)
	}
	return r
}

// isTerminal reports whether stdin stands in for a terminal, where login may print progress.
func isTerminal(stdin io.Reader) bool {
	_, ok := stdin.(prompter)
	return ok
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// authHarness is a harness whose config has no secret in the environment.
func authHarness(t *testing.T) *harness {
	h := newHarness(t)
	delete(h.env, "CONFAB_SECRET_MW")
	return h
}

func TestAuthLoginCycle(t *testing.T) {
	h := authHarness(t)
	kr := newMemKeyring()
	key := h.servers.Moveworks.APIKey

	r := h.runAuth(kr, strings.NewReader(key+"\n"), "--config", h.config, "auth", "login", "mw")
	r.want(t, 0)
	if v, ok := kr.get("mw"); !ok || v != key {
		t.Fatalf("keyring holds %q, %v after login; want the key", v, ok)
	}
	if !strings.Contains(r.stdout, "checked with the source and stored in the OS keyring") {
		t.Errorf("login stdout = %q", r.stdout)
	}

	r = h.runAuth(kr, nil, "--config", h.config, "list", "mw", "--format", "ndjson", "--limit", "2")
	r.want(t, 0)
	if n := len(decodeNDJSON(t, r.stdout)); n != 2 {
		t.Errorf("list after login gave %d conversations", n)
	}

	r = h.runAuth(kr, nil, "--config", h.config, "auth", "status")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "OS keyring: reachable") || !hasRow(r.stdout, "mw", "moveworks", "keyring") {
		t.Errorf("status = %q", r.stdout)
	}

	r = h.runAuth(kr, nil, "--config", h.config, "auth", "logout", "mw")
	r.want(t, 0)
	if _, ok := kr.get("mw"); ok {
		t.Fatalf("the secret is still in the keyring after logout")
	}
	h.runAuth(kr, nil, "--config", h.config, "auth", "logout", "mw").want(t, 1, "has no secret in the OS keyring")
	h.runAuth(kr, nil, "--config", h.config, "list", "mw").want(t, 1,
		`no secret for source "mw"`, `"confab auth login mw"`, "CONFAB_SECRET_MW", "secret_command")
}

// hasRow reports whether a line of out holds the given cells, in order, separated by spaces.
func hasRow(out string, cells ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Join(strings.Fields(line), " ") == strings.Join(cells, " ") ||
			strings.HasPrefix(strings.Join(strings.Fields(line), " "), strings.Join(cells, " ")+" ") {
			return true
		}
	}
	return false
}

func TestAuthLoginInput(t *testing.T) {
	h := authHarness(t)
	key := h.servers.Moveworks.APIKey
	tests := []struct {
		name     string
		stdin    io.Reader
		args     []string
		code     int
		has      []string
		stored   string // the secret expected in the keyring; "" for none
		setCalls bool   // whether the keyring may be written
	}{
		{"piped without newline", strings.NewReader(key), nil, 0, nil, key, true},
		{"piped with CRLF and spaces", strings.NewReader("  " + key + " \r\n"), nil, 0, nil, key, true},
		{"refused", strings.NewReader("mwk_wrong\n"), nil, 1,
			[]string{"the credential was refused by mw (HTTP 401 UNAUTHENTICATED: missing, invalid or expired credentials) (bad credentials); nothing was stored", `set api_key_style = "bearer"`}, "", false},
		{"refused but --no-verify", strings.NewReader("mwk_wrong\n"), []string{"--no-verify"}, 0, nil, "mwk_wrong", true},
		{"empty", strings.NewReader(""), nil, 2, []string{"no API key was given", "printf %s"}, "", false},
		{"blank", strings.NewReader(" \n\n"), nil, 2, []string{"no API key was given"}, "", false},
		{"two lines", strings.NewReader(key + "\nmore\n"), nil, 2, []string{"single line (got 2 lines)"}, "", false},
		{"control character", strings.NewReader("ab\x1bc"), nil, 2, []string{"control characters"}, "", false},
		{"too long", strings.NewReader(strings.Repeat("k", maxSecretInput+10)), nil, 2, []string{"longer than 64 KiB"}, "", false},
		{"terminal", &fakeTerminal{answers: []string{key}}, nil, 0, nil, key, true},
		{"no secret flag", strings.NewReader(key), []string{"--secret", key}, 2, []string{"unknown flag: --secret"}, "", false},
		{"no secret argument", strings.NewReader(key), []string{key}, 2, []string{"takes SOURCE (got 2 arguments)"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := newMemKeyring()
			args := append([]string{"--config", h.config, "auth", "login", "mw"}, tt.args...)
			r := h.runAuth(kr, tt.stdin, args...)
			r.want(t, tt.code, tt.has...)
			v, ok := kr.get("mw")
			if tt.stored == "" && ok || tt.stored != "" && v != tt.stored {
				t.Errorf("keyring holds %q (%v), want %q", v, ok, tt.stored)
			}
			if !tt.setCalls && kr.sets.Load() != 0 {
				t.Errorf("the keyring was written %d times", kr.sets.Load())
			}
			if strings.Contains(r.stderr+r.stdout, "mwk_wrong") || strings.Contains(r.stderr+r.stdout, key) {
				t.Errorf("the secret is in the output: %q %q", r.stdout, r.stderr)
			}
			if ft, ok := tt.stdin.(*fakeTerminal); ok {
				if len(ft.prompts) != 1 || !ft.hidden[0] || !strings.Contains(ft.prompts[0], "API key for source \"mw\"") {
					t.Errorf("terminal prompts = %q hidden %v", ft.prompts, ft.hidden)
				}
			}
		})
	}
	t.Run("unknown source", func(t *testing.T) {
		h.runAuth(newMemKeyring(), strings.NewReader(key), "--config", h.config, "auth", "login", "nope").
			want(t, 2, `unknown source "nope"`)
	})
	t.Run("env and command notes", func(t *testing.T) {
		h.env["CONFAB_SECRET_MW"] = key
		defer delete(h.env, "CONFAB_SECRET_MW")
		r := h.runAuth(newMemKeyring(), strings.NewReader(key), "--config", h.config, "auth", "login", "mw")
		r.want(t, 0)
		if !strings.Contains(r.stderr, "CONFAB_SECRET_MW is set; it takes precedence") {
			t.Errorf("stderr = %q", r.stderr)
		}
	})
}

const oauthConfig = `# my sources
[[source]]   # the mock, over OAuth
name = "mw"
kind = "moveworks"
# the mock's records endpoint
base_url = %q
auth = "oauth2"

[[source]]
name = "other"
kind = "moveworks"
base_url = %q
`

func TestAuthLoginOAuthClientID(t *testing.T) {
	h := authHarness(t)
	mw := h.servers.Moveworks
	original := fmt.Sprintf(oauthConfig, mw.BaseURL, mw.BaseURL)
	path := h.writeFile("oauth.toml", original)

	t.Run("not a terminal", func(t *testing.T) {
		kr := newMemKeyring()
		r := h.runAuth(kr, strings.NewReader(mw.ClientSecret), "--config", path, "auth", "login", "mw")
		r.want(t, 2, "uses oauth2 but has no client_id", `add client_id = "…" to source "mw" in `+path)
		if kr.calls.Load() != 0 {
			t.Errorf("the keyring was used")
		}
	})
	t.Run("refused", func(t *testing.T) {
		kr := newMemKeyring()
		term := &fakeTerminal{answers: []string{mw.ClientID, "wrong-client-secret"}}
		r := h.runAuth(kr, term, "--config", path, "auth", "login", "mw")
		r.want(t, 1, "the credential was refused by mw", "nothing was stored")
		if b, _ := os.ReadFile(path); string(b) != original {
			t.Errorf("the config changed after a refused login:\n%s", b)
		}
		if _, ok := kr.get("mw"); ok {
			t.Errorf("a refused secret was stored")
		}
	})
	t.Run("terminal", func(t *testing.T) {
		kr := newMemKeyring()
		term := &fakeTerminal{answers: []string{"  " + mw.ClientID + " ", mw.ClientSecret}}
		r := h.runAuth(kr, term, "--config", path, "auth", "login", "mw")
		r.want(t, 0)
		if len(term.prompts) != 2 || term.hidden[0] || !term.hidden[1] ||
			!strings.HasPrefix(term.prompts[0], "Client ID") || !strings.HasPrefix(term.prompts[1], "Client secret") {
			t.Errorf("prompts %q hidden %v", term.prompts, term.hidden)
		}
		if v, _ := kr.get("mw"); v != mw.ClientSecret {
			t.Errorf("keyring holds %q", v)
		}
		b, _ := os.ReadFile(path)
		want := strings.Replace(original, "[[source]]   # the mock, over OAuth\n",
			"[[source]]   # the mock, over OAuth\nclient_id = \""+mw.ClientID+"\"\n", 1)
		if string(b) != want {
			t.Errorf("config after login:\n%s\nwant:\n%s", b, want)
		}
		if strings.Contains(string(b), mw.ClientSecret) {
			t.Errorf("the client secret is in the config")
		}
		// The stored secret and the written client id work together.
		h.runAuth(kr, nil, "--config", path, "list", "mw", "--limit", "1").want(t, 0)
	})
}

func TestAuthKeyringHangs(t *testing.T) {
	h := authHarness(t)
	kr := newMemKeyring()
	kr.hang = make(chan struct{})
	t.Cleanup(func() { close(kr.hang) })
	h.env[secret.TimeoutEnv] = "50ms"
	key := h.servers.Moveworks.APIKey

	r := h.runAuth(kr, strings.NewReader(key), "--config", h.config, "auth", "login", "mw")
	r.want(t, 1, `cannot store the secret of source "mw"`, "did not answer within 50ms",
		"nothing was stored", "CONFAB_SECRET_MW", "secret_command")
	if n := strings.Count(r.stderr, "\n"); n != 1 {
		t.Errorf("stderr has %d lines, want one: %q", n, r.stderr)
	}
	if kr.sets.Load() != 0 {
		t.Errorf("the secret was written to a keyring that did not answer the probe")
	}

	// status waits for the keyring once, not once per source.
	before := kr.calls.Load()
	r = h.runAuth(kr, nil, "--config", h.config, "auth", "status")
	r.want(t, 0)
	if got := kr.calls.Load() - before; got != 1 {
		t.Errorf("status made %d keyring calls, want 1 (the probe)", got)
	}
	if !strings.Contains(r.stdout, "OS keyring: unavailable: it did not answer within 50ms") ||
		!hasRow(r.stdout, "mw", "moveworks", "unknown", "(keyring", "unavailable)") {
		t.Errorf("status = %q", r.stdout)
	}
}

func TestAuthKeyringUnavailable(t *testing.T) {
	h := authHarness(t)
	key := h.servers.Moveworks.APIKey
	tests := []struct {
		name   string
		err    error
		reason string
	}{
		{"no session bus", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), "there is no D-Bus session bus"},
		{"no provider", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), "no Secret Service provider"},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), "the keyring is locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := newMemKeyring()
			kr.fail = tt.err
			for _, args := range [][]string{{"auth", "login", "mw"}, {"auth", "logout", "mw"}} {
				r := h.runAuth(kr, strings.NewReader(key), append([]string{"--config", h.config}, args...)...)
				r.want(t, 1, "the OS keyring is unavailable: "+tt.reason)
				if args[1] == "login" {
					for _, s := range []string{"CONFAB_SECRET_MW", "secret_command", "nothing was stored"} {
						if !strings.Contains(r.stderr, s) {
							t.Errorf("login: %q does not name %s", r.stderr, s)
						}
					}
				}
			}
			if kr.sets.Load() != 0 {
				t.Errorf("login tried to write to an unavailable keyring")
			}
			// The environment still works without a keyring.
			h.env["CONFAB_SECRET_MW"] = key
			defer delete(h.env, "CONFAB_SECRET_MW")
			r := h.runAuth(kr, nil, "--config", h.config, "auth", "status", "--check")
			r.want(t, 0)
			if !hasRow(r.stdout, "mw", "moveworks", "env", "(CONFAB_SECRET_MW)", "accepted") {
				t.Errorf("status = %q", r.stdout)
			}
		})
	}
}

func TestAuthStatus(t *testing.T) {
	h := authHarness(t)
	mw := h.servers.Moveworks
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := h.writeFile("status.toml", fmt.Sprintf(`[[source]]
name = "env-ok"
kind = "moveworks"
base_url = %[1]q
[[source]]
name = "env-bad"
kind = "moveworks"
base_url = %[1]q
[[source]]
name = "kr"
kind = "moveworks"
base_url = %[1]q
[[source]]
name = "cmd"
kind = "moveworks"
base_url = %[1]q
secret_command = [%[2]q, "--session", "s3cr3t-session"]
[[source]]
name = "nocmd"
kind = "moveworks"
base_url = %[1]q
secret_command = ["confab-no-such-program"]
[[source]]
name = "missing"
kind = "moveworks"
base_url = %[1]q
`, mw.BaseURL, exe))
	h.env["CONFAB_SECRET_ENV_OK"] = mw.APIKey
	h.env["CONFAB_SECRET_ENV_BAD"] = "mwk_wrong"
	kr := newMemKeyring()
	kr.m[secret.Service+"/kr"] = mw.APIKey

	r := h.runAuth(kr, nil, "--config", cfg, "auth", "status")
	r.want(t, 0)
	for _, row := range [][]string{
		{"SOURCE", "KIND", "SECRET", "FROM"},
		{"env-ok", "moveworks", "env", "(CONFAB_SECRET_ENV_OK)"},
		{"env-bad", "moveworks", "env", "(CONFAB_SECRET_ENV_BAD)"},
		{"kr", "moveworks", "keyring"},
		{"cmd", "moveworks", "command", "(" + filepath.Base(exe) + ")"},
		{"nocmd", "moveworks", "command", "(confab-no-such-program:", "not", "found", "in", "PATH)"},
		{"missing", "moveworks", "missing", "(confab", "auth", "login", "missing)"},
	} {
		if !hasRow(r.stdout, row...) {
			t.Errorf("status has no row %q:\n%s", row, r.stdout)
		}
	}
	for _, s := range []string{mw.APIKey, "mwk_wrong", "s3cr3t-session"} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("status prints %q", s)
		}
	}

	r = h.runAuth(kr, nil, "--config", cfg, "auth", "status", "--check")
	r.want(t, 1, "4 of 6 sources have no credential that was accepted now: env-bad, cmd, nocmd, missing")
	for _, row := range [][]string{
		{"env-ok", "moveworks", "env", "(CONFAB_SECRET_ENV_OK)", "accepted"},
		{"env-bad", "moveworks", "env", "(CONFAB_SECRET_ENV_BAD)", "refused:", "bad", "credentials", "(HTTP", "401", "UNAUTHENTICATED:", "missing,", "invalid", "or", "expired", "credentials)"},
		{"kr", "moveworks", "keyring", "accepted"},
		{"missing", "moveworks", "missing", "(confab", "auth", "login", "missing)", "-"},
	} {
		if !hasRow(r.stdout, row...) {
			t.Errorf("status --check has no row %q:\n%s", row, r.stdout)
		}
	}
}

// TestMissingSecretTab: a source without a secret becomes a TUI tab whose error says exactly
// what to run.
func TestMissingSecretTab(t *testing.T) {
	h := authHarness(t)
	var got []tui.Tab
	h.tui = func(ctx context.Context, deps tui.Deps) error {
		got = deps.Tabs
		return nil
	}
	h.runAuth(newMemKeyring(), nil, "--config", h.config).want(t, 0)
	if len(got) != 1 || got[0].Err == nil {
		t.Fatalf("tabs = %+v", got)
	}
	msg := got[0].Err.Error()
	for _, s := range []string{`no secret for source "mw"`, `"confab auth login mw"`, "CONFAB_SECRET_MW", "secret_command"} {
		if !strings.Contains(msg, s) {
			t.Errorf("tab error %q does not contain %q", msg, s)
		}
	}
}

// requireOSKeyring skips the test unless the real OS keyring is usable (fails it when
// CONFAB_REQUIRE_KEYRING=1, as in CI).
func requireOSKeyring(t *testing.T) {
	t.Helper()
	r := &secret.Resolver{Keyring: secret.OSKeyring(), ReadTimeout: 10 * time.Second}
	if err := r.Probe(context.Background()); err != nil {
		if os.Getenv("CONFAB_REQUIRE_KEYRING") == "1" {
			t.Fatalf("CONFAB_REQUIRE_KEYRING=1 but the OS keyring is not usable: %v", err)
		}
		t.Skipf("OS keyring not usable (set CONFAB_REQUIRE_KEYRING=1 to fail instead): %v", err)
	}
}

// TestAuthRealKeyring is the "done when" against the real OS keyring: login from a
// pipe, list with no environment variable, status says keyring, logout, list fails.
func TestAuthRealKeyring(t *testing.T) {
	requireOSKeyring(t)
	h := authHarness(t)
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	name := "confab-test-" + hex.EncodeToString(b)
	t.Cleanup(func() { _ = (&secret.Resolver{Keyring: secret.OSKeyring()}).Delete(context.Background(), name) })
	cfg := h.writeFile("real.toml", fmt.Sprintf("[[source]]\nname = %q\nkind = \"moveworks\"\nbase_url = %q\n", name, h.servers.Moveworks.BaseURL))
	kr := secret.OSKeyring()
	h.env[secret.TimeoutEnv] = "20s"

	h.runAuth(kr, strings.NewReader(h.servers.Moveworks.APIKey), "--config", cfg, "auth", "login", name).want(t, 0)
	r := h.runAuth(kr, nil, "--config", cfg, "list", name, "--format", "ndjson", "--limit", "3")
	r.want(t, 0)
	if n := len(decodeNDJSON(t, r.stdout)); n != 3 {
		t.Errorf("list with the keyring's secret gave %d conversations", n)
	}
	r = h.runAuth(kr, nil, "--config", cfg, "auth", "status", "--check")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "OS keyring: reachable") || !hasRow(r.stdout, name, "moveworks", "keyring", "accepted") {
		t.Errorf("status = %q", r.stdout)
	}
	h.runAuth(kr, nil, "--config", cfg, "auth", "logout", name).want(t, 0)
	h.runAuth(kr, nil, "--config", cfg, "list", name).want(t, 1, "no secret for source", "confab auth login "+name)
}

// noBusChildEnv marks the child process of TestAuthNoSessionBus.
const noBusChildEnv = "CONFAB_TEST_AUTH_NOBUS_CHILD"

// TestAuthNoSessionBusChild runs only as the child of TestAuthNoSessionBus, in a process whose
// DBUS_SESSION_BUS_ADDRESS points at nothing: 'auth login' against the real OS keyring.
func TestAuthNoSessionBusChild(t *testing.T) {
	if os.Getenv(noBusChildEnv) != "1" {
		t.Skip("run by TestAuthNoSessionBus")
	}
	h := authHarness(t)
	h.env[secret.TimeoutEnv] = "30s" // a hang would show as a timeout message, not pass
	r := h.runAuth(secret.OSKeyring(), strings.NewReader("nobus-secret-value"), "--config", h.config, "auth", "login", "mw", "--no-verify")
	fmt.Printf("CODE=%d\nSTDERR=%s\n", r.code, r.stderr)
}

func TestAuthNoSessionBus(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keyring does not use D-Bus on " + runtime.GOOS)
	}
	if os.Getenv(noBusChildEnv) == "1" {
		t.Skip("in the child")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^TestAuthNoSessionBusChild$", "-test.v")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") &&
			!strings.HasPrefix(kv, "CONFAB_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, noBusChildEnv+"=1",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-such-bus"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	text := string(out)
	t.Logf("child:\n%s", text)
	if !strings.Contains(text, "CODE=1\n") {
		t.Fatalf("auth login without a session bus did not exit 1")
	}
	for _, s := range []string{"confab: cannot store the secret of source \"mw\": the OS keyring is unavailable: cannot connect to the D-Bus session bus",
		"nothing was stored", "CONFAB_SECRET_MW", "secret_command"} {
		if !strings.Contains(text, s) {
			t.Errorf("the error does not contain %q", s)
		}
	}
	if strings.Contains(text, "did not answer within") {
		t.Errorf("the dial failure was reported only after the timeout")
	}
	if strings.Contains(text, "nobus-secret-value") {
		t.Errorf("the secret leaked")
	}
}

// TestAuthNoSecretLeaks runs login → list → export → status → logout with a known secret,
// in a temporary home with its own XDG directories and a debug log, then scans every file
// under it and every output for the secret and its base64 forms.
func TestAuthNoSecretLeaks(t *testing.T) {
	h := authHarness(t)
	mw := h.servers.Moveworks
	root := t.TempDir()
	for _, d := range []string{"config", "cache", "state", "data"} {
		h.env["XDG_"+strings.ToUpper(d)+"_HOME"] = filepath.Join(root, d)
	}
	h.env["HOME"] = root
	cfgPath := filepath.Join(root, "config", "confab", "config.toml")
	body := fmt.Sprintf("# keys\n[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = %q\n"+
		"[[source]]\nname = \"oa\"\nkind = \"moveworks\"\nbase_url = %q\nauth = \"oauth2\"\n", mw.BaseURL, mw.BaseURL)
	if err := config.WriteFile(cfgPath, []byte(body)); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(root, "state", "debug.log")
	if err := os.MkdirAll(filepath.Dir(logPath), 0o700); err != nil {
		t.Fatal(err)
	}
	exportPath := filepath.Join(root, "export.json")
	kr := newMemKeyring()
	var outputs []string
	step := func(stdin io.Reader, code int, args ...string) result {
		t.Helper()
		r := h.runAuth(kr, stdin, append([]string{"--debug-log", logPath}, args...)...)
		r.want(t, code)
		outputs = append(outputs, r.stdout, r.stderr)
		return r
	}
	step(strings.NewReader("mwk_wrong_known_secret"), 1, "auth", "login", "mw")
	step(strings.NewReader(mw.APIKey), 0, "auth", "login", "mw")
	step(&fakeTerminal{answers: []string{mw.ClientID, mw.ClientSecret}}, 0, "auth", "login", "oa")
	r := step(nil, 0, "list", "mw", "--format", "ndjson", "--limit", "2")
	id := decodeNDJSON(t, r.stdout)[0].ID
	step(nil, 0, "list", "oa", "--limit", "2")
	step(nil, 0, "export", "mw", id, "--output", exportPath)
	step(nil, 0, "export", "oa", id)
	step(nil, 0, "auth", "status", "--check")
	step(nil, 0, "auth", "logout", "mw")
	step(nil, 0, "auth", "logout", "oa")
	step(nil, 1, "list", "mw")

	var needles []string
	for _, s := range []string{mw.APIKey, mw.ClientSecret, "mwk_wrong_known_secret", mw.ClientID + ":" + mw.ClientSecret} {
		needles = append(needles, s, base64.StdEncoding.EncodeToString([]byte(s)),
			base64.RawURLEncoding.EncodeToString([]byte(s)))
	}
	check := func(where, text string) {
		for _, n := range needles {
			if strings.Contains(text, n) {
				t.Errorf("%s contains a secret (%d bytes)", where, len(n))
			}
		}
	}
	for i, o := range outputs {
		check(fmt.Sprintf("output %d", i), o)
	}
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		check(path, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if log, _ := os.ReadFile(logPath); !strings.Contains(string(log), `"msg":"auth login"`) {
		t.Errorf("the debug log has no auth records:\n%s", log)
	}
	if b, _ := os.ReadFile(cfgPath); !strings.Contains(string(b), "client_id = \""+mw.ClientID+"\"") {
		t.Errorf("config after the OAuth login:\n%s", b)
	}
	if files < 3 {
		t.Errorf("scanned only %d files", files)
	}
}
