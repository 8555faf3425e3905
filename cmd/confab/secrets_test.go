package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/tui"
)

// leakyVendor is a vendor that echoes everything it was sent into its error bodies: the
// Authorization header, the query and, at its token endpoint, the form body. Its token
// endpoint grants a token when grant is set; the API then answers status with the token
// echoed back without its "Bearer " prefix (so only the known value can catch it).
func leakyVendor(t *testing.T, status int, grant bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var issued atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/token") && grant {
			fmt.Fprintf(w, `{"access_token":"AT%d-leaky-access-token-77","token_type":"Bearer","expires_in":3600}`, issued.Add(1))
			return
		}
		auth := r.Header.Get("Authorization")
		msg, _ := json.Marshal(fmt.Sprintf("you sent %s / %s / query %s / body %s",
			auth, strings.TrimPrefix(auth, "Bearer "), r.URL.RawQuery, body))
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"code":"ECHO","message":%s}`, msg)
	}))
	t.Cleanup(srv.Close)
	return srv, &issued
}

// noLeak fails when any of secrets, or its base64, appears in any of texts.
func noLeak(t *testing.T, texts map[string]string, secrets ...string) {
	t.Helper()
	for where, text := range texts {
		for _, s := range secrets {
			for _, n := range []string{s, base64.StdEncoding.EncodeToString([]byte(s))} {
				if strings.Contains(text, n) {
					t.Errorf("%s holds a secret (%q): %s", where, n, text)
				}
			}
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVendorEchoNeverLeaksSecrets(t *testing.T) {
	const key = "mwk_live_Echo+Key/0042=="
	const clientSecret = "client-Secret&007"
	tests := []struct {
		name    string
		status  int
		grant   bool   // the token endpoint grants tokens
		auth    string // extra source lines
		env     string // the secret
		want    []string
		secrets []string // besides env
	}{
		{"api key echoed with a 401", http.StatusUnauthorized, false, "", key,
			[]string{"credentials refused (HTTP 401 ECHO)", "you sent ***"}, nil},
		{"raw api key echoed with a 403", http.StatusForbidden, false, "api_key_style = \"raw\"\n", key,
			[]string{"not permitted (HTTP 403 ECHO)", "scope or role"}, nil},
		{"client secret echoed by the token endpoint", http.StatusBadRequest, false,
			"auth = \"oauth2\"\nclient_id = \"cid\"\ntoken_url = \"%s/oauth/token\"\n", clientSecret,
			[]string{"credentials refused", "refused the OAuth client credentials"}, []string{"cid:" + clientSecret}},
		{"access token echoed by the API", http.StatusUnauthorized, true,
			"auth = \"oauth2\"\nclient_id = \"cid\"\ntoken_url = \"%s/oauth/token\"\n", clientSecret,
			[]string{"credentials refused (HTTP 401 ECHO)"}, []string{"AT1-leaky-access-token-77", "AT2-leaky-access-token-77"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv, _ := leakyVendor(t, tc.status, tc.grant)
			extra := tc.auth
			if strings.Contains(extra, "%s") {
				extra = fmt.Sprintf(extra, srv.URL)
			}
			cfg := h.writeFile("leaky.toml", fmt.Sprintf(mockConfig, srv.URL)+extra)
			h.env["CONFAB_SECRET_MW"] = tc.env
			logPath := filepath.Join(h.dir, "debug.log")
			r := h.run("--config", cfg, "--debug-log", logPath, "list", "mw")
			r.want(t, exitFailure, tc.want...)
			log := readFile(t, logPath)
			noLeak(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr, "debug log": log},
				append([]string{tc.env}, tc.secrets...)...)
			if line := strings.TrimSuffix(r.stderr, "\n"); !strings.Contains(log, `"msg":"confab failed"`) ||
				!strings.Contains(log, jsonText(t, line)) {
				t.Errorf("the debug log lacks the failure line %q:\n%s", line, log)
			}
		})
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as slog writes it
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.Trim(strings.TrimSpace(b.String()), `"`)
}

// TestSecretsNeverReachTheTUIOrCrashFiles hands the TUI an error and a panic holding the
// secret: the error text it shows and the crash file must not hold it.
func TestSecretsNeverReachTheTUIOrCrashFiles(t *testing.T) {
	h := newHarness(t)
	secret := h.env["CONFAB_SECRET_MW"]
	h.env["XDG_STATE_HOME"] = filepath.Join(h.dir, "state")
	var shown string
	h.tui = func(_ context.Context, deps tui.Deps) error {
		if deps.Redact == nil {
			t.Fatal("the TUI has no Redact")
		}
		shown = deps.Redact("vendor said: bad key " + secret)
		return &tui.PanicError{Where: "update", Value: "boom with key " + secret, Stack: []byte("goroutine 1:\n" + secret),
			Time: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	}
	r := h.run("--config", h.config)
	r.want(t, exitFailure, "crashed")
	crash := readFile(t, filepath.Join(h.dir, "state", "confab", "crash-20261122-100000.000.txt"))
	if !strings.Contains(crash, "boom with key ***") {
		t.Errorf("crash file:\n%s", crash)
	}
	noLeak(t, map[string]string{"stderr": r.stderr, "TUI text": shown, "crash file": crash}, secret)
}

func TestConfigCheckHidesURLSecrets(t *testing.T) {
	h := newHarness(t)
	cfg := h.writeFile("q.toml", "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = \"https://h.example/x?api_key=QSECRET-99\"\n"+
		"[[source]]\nname = \"m2\"\nkind = \"moveworks\"\nbase_url = \"https://user:PSECRET-98@h.example/x\"\n")
	r := h.run("--config", cfg, "config", "check")
	r.want(t, exitUsage, "2 errors")
	if !strings.Contains(r.stdout, "https://h.example/x?api_key=***") {
		t.Errorf("stdout: %s", r.stdout)
	}
	noLeak(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr}, "QSECRET-99", "PSECRET-98")
}

func TestSecretCommandStderrIsScrubbed(t *testing.T) {
	h := newHarness(t)
	const leaked = "sk-Live-7Hq2Zp9Xw4Rt6Yu8Io0P"
	cfg := h.writeFile("cmd.toml", fmt.Sprintf(mockConfig, h.servers.Moveworks.BaseURL)+
		fmt.Sprintf("secret_command = [\"sh\", \"-c\", \"echo 'cannot decrypt %s' >&2; echo 'password=hunter2' >&2; exit 1\"]\n", leaked))
	delete(h.env, "CONFAB_SECRET_MW")
	h.env["PATH"] = os.Getenv("PATH")
	logPath := filepath.Join(h.dir, "debug.log")
	r := h.run("--config", cfg, "--debug-log", logPath, "list", "mw")
	r.want(t, exitFailure, "secret_command", "exit status 1", "cannot decrypt [redacted]")
	noLeak(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr, "debug log": readFile(t, logPath)}, leaked, "hunter2")
}

func TestConnectFailuresAreNamed(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	var conns atomic.Int32
	tlsSrv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	tlsSrv.StartTLS() // its certificate is not trusted
	defer tlsSrv.Close()
	tests := []struct {
		name, baseURL string
		want          []string
	}{
		{"DNS", "https://mw.confab-test.invalid", []string{"cannot connect to https://mw.confab-test.invalid/",
			"cannot resolve host mw.confab-test.invalid (DNS", "base_url or region"}},
		{"TLS", tlsSrv.URL, []string{"TLS handshake with 127.0.0.1 failed: x509: certificate signed by unknown authority", "CA certificates"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			cfg := h.writeFile("c.toml", fmt.Sprintf(mockConfig, tc.baseURL))
			logPath := filepath.Join(h.dir, "debug.log")
			before := conns.Load()
			r := h.run("--config", cfg, "--debug-log", logPath, "list", "mw")
			r.want(t, exitFailure, tc.want...)
			if strings.Contains(r.stderr, "service unavailable") || strings.Contains(r.stderr, "attempts") {
				t.Errorf("stderr: %s", r.stderr)
			}
			if tc.name == "TLS" && conns.Load()-before != 1 {
				t.Errorf("%d connections to the TLS server, want 1 (no retry)", conns.Load()-before)
			}
			// Not retried: no retry record in the debug log.
			if log := readFile(t, logPath); !strings.Contains(log, "confab failed") || strings.Contains(log, `"msg":"retry"`) {
				t.Errorf("debug log:\n%s", log)
			}
		})
	}
}
