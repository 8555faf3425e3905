package secret

// Tests against the real OS keyring (go-keyring). They run when a Secret Service is reachable
// and are skipped otherwise, unless CONFAB_REQUIRE_KEYRING=1 (set in CI), which turns the skip
// into a failure. In CI they run inside a private session bus:
//
//	XDG_DATA_HOME=$(mktemp -d) env -u DISPLAY dbus-run-session -- bash -c \
//	  'printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
//	   CONFAB_REQUIRE_KEYRING=1 go test ./store/secret/'
//
// keyring.MockInit must never be used in this package: it replaces go-keyring's global provider.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// requireKeyring returns a Resolver on the OS keyring, or skips the test when the keyring is
// not reachable (fails it when CONFAB_REQUIRE_KEYRING=1).
func requireKeyring(t *testing.T) *Resolver {
	t.Helper()
	r := &Resolver{Keyring: OSKeyring(), Getenv: env(), ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	if err := r.Probe(context.Background()); err != nil {
		if os.Getenv("CONFAB_REQUIRE_KEYRING") == "1" {
			t.Fatalf("CONFAB_REQUIRE_KEYRING=1 but the OS keyring is not usable: %v", err)
		}
		t.Skipf("OS keyring not usable (set CONFAB_REQUIRE_KEYRING=1 to fail instead): %v", err)
	}
	return r
}

// testSource returns a source name no other run uses, and deletes its secret at the end.
func testSource(t *testing.T, r *Resolver) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	source := "confab-test-" + hex.EncodeToString(b)
	t.Cleanup(func() { _ = r.Delete(context.Background(), source) })
	return source
}

func TestOSKeyringRoundTrip(t *testing.T) {
	r := requireKeyring(t)
	ctx := context.Background()
	tests := []struct{ name, secret string }{
		{"ascii", "tok_0123456789abcdef"},
		{"unicode and spaces", "pässwörd 日本 🔑 with spaces"},
		{"long", strings.Repeat("k", 2000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			source := testSource(t, r)
			if err := r.Store(ctx, source, tt.secret); err != nil {
				t.Fatalf("Store: %v", err)
			}
			got, origin, err := r.Resolve(ctx, source, nil)
			if err != nil || got != tt.secret || origin != OriginKeyring {
				t.Fatalf("Resolve = %d bytes, %q, %v; want the stored secret from the keyring", len(got), origin, err)
			}
			if o, err := r.Describe(ctx, source, nil); err != nil || o != OriginKeyring {
				t.Fatalf("Describe = %q, %v", o, err)
			}
			// The environment still wins over the keyring.
			withEnv := *r
			withEnv.Getenv = env(EnvName(source), "from-env")
			if got, origin, err := withEnv.Resolve(ctx, source, nil); err != nil || got != "from-env" || origin != OriginEnv {
				t.Fatalf("Resolve with env = %q, %q, %v", got, origin, err)
			}
			if err := r.Delete(ctx, source); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			_, origin, err = r.Resolve(ctx, source, nil)
			if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnavailable) || origin != OriginMissing {
				t.Fatalf("Resolve after Delete = %q, %v; want ErrNotFound", origin, err)
			}
			if !strings.Contains(err.Error(), "confab auth login "+source) {
				t.Errorf("not-found message %q does not name confab auth login", err)
			}
			if err := r.Delete(ctx, source); !errors.Is(err, ErrNotFound) {
				t.Fatalf("second Delete = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestOSKeyringOverwrite(t *testing.T) {
	r := requireKeyring(t)
	ctx := context.Background()
	source := testSource(t, r)
	for _, s := range []string{"first", "second"} {
		if err := r.Store(ctx, source, s); err != nil {
			t.Fatalf("Store(%q): %v", s, err)
		}
	}
	if got, _, err := r.Resolve(ctx, source, nil); err != nil || got != "second" {
		t.Fatalf("Resolve = %q, %v; want the second secret", got, err)
	}
}

// noBusResult is what the child of TestOSKeyringNoSessionBus reports for one call.
type noBusResult struct {
	Op          string
	Err         string
	Unavailable bool
	NotFound    bool
	Timeout     bool
}

// noBusHelper runs in a child process whose DBUS_SESSION_BUS_ADDRESS points at a socket that
// does not exist, and prints one noBusResult per call as JSON.
func noBusHelper() int {
	ctx := context.Background()
	r := &Resolver{Keyring: OSKeyring(), Getenv: env(), ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second}
	results := []noBusResult{}
	add := func(op string, err error) {
		res := noBusResult{Op: op, Unavailable: errors.Is(err, ErrUnavailable), NotFound: errors.Is(err, ErrNotFound),
			Timeout: errors.Is(err, context.DeadlineExceeded)}
		if err != nil {
			res.Err = err.Error()
		}
		results = append(results, res)
	}
	add("store", r.Store(ctx, "nobus-src", "nobus-secret-value"))
	_, _, err := r.Resolve(ctx, "nobus-src", nil)
	add("resolve", err)
	add("delete", r.Delete(ctx, "nobus-src"))
	add("probe", r.Probe(ctx))
	withEnv := *r
	withEnv.Getenv = env("CONFAB_SECRET_NOBUS_SRC", "from-env")
	if v, o, err := withEnv.Resolve(ctx, "nobus-src", nil); err != nil || v != "from-env" || o != OriginEnv {
		add("resolve-env", errors.New("env did not win without a keyring"))
	} else {
		add("resolve-env", nil)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		return 2
	}
	return 0
}

func TestOSKeyringNoSessionBus(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keyring does not use D-Bus on " + runtime.GOOS)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, noBusArg)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") &&
			!strings.HasPrefix(kv, "CONFAB_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	bus := filepath.Join(t.TempDir(), "no-such-bus")
	cmd.Env = append(cmd.Env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+bus)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	var results []noBusResult
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("child output %q: %v", stdout.String(), err)
	}
	if len(results) != 5 {
		t.Fatalf("child gave %d results: %+v", len(results), results)
	}
	for _, res := range results {
		t.Logf("%s: %s", res.Op, res.Err)
		if res.Op == "resolve-env" {
			if res.Err != "" {
				t.Errorf("resolve-env: %s", res.Err)
			}
			continue
		}
		if !res.Unavailable || res.NotFound {
			t.Errorf("%s: %q is not (only) ErrUnavailable", res.Op, res.Err)
		}
		if res.Timeout {
			t.Errorf("%s: the dial failure was not reported before the timeout: %q", res.Op, res.Err)
		}
		if !strings.Contains(res.Err, "cannot connect to the D-Bus session bus") {
			t.Errorf("%s: %q does not say why", res.Op, res.Err)
		}
		if strings.Contains(res.Err, "nobus-secret-value") {
			t.Errorf("%s: the secret leaked: %q", res.Op, res.Err)
		}
		if res.Op != "probe" {
			for _, alt := range []string{"CONFAB_SECRET_NOBUS_SRC", "secret_command"} {
				if !strings.Contains(res.Err, alt) {
					t.Errorf("%s: %q does not name %s", res.Op, res.Err, alt)
				}
			}
		}
	}
}
