package secret

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// fakeKeyring is an in-memory Keyring. When hang is set, every call blocks until it is closed;
// when err is set, every call fails with it.
type fakeKeyring struct {
	mu    sync.Mutex
	items map[[2]string]string
	err   error
	hang  chan struct{}
	calls []string // "get service account", ...
}

func newFake() *fakeKeyring { return &fakeKeyring{items: map[[2]string]string{}} }

// hanging returns a fake whose calls block until the test ends.
func hanging(t *testing.T) *fakeKeyring {
	f := newFake()
	f.hang = make(chan struct{})
	t.Cleanup(func() { close(f.hang); waitIdle(t) })
	return f
}

func (f *fakeKeyring) enter(op, service, account string) error {
	f.mu.Lock()
	f.calls = append(f.calls, op+" "+service+" "+account)
	hang, err := f.hang, f.err
	f.mu.Unlock()
	if hang != nil {
		<-hang
	}
	return err
}

func (f *fakeKeyring) Get(service, account string) (string, error) {
	if err := f.enter("get", service, account); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[[2]string{service, account}]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(service, account, secret string) error {
	if err := f.enter("set", service, account); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[[2]string{service, account}] = secret
	return nil
}

func (f *fakeKeyring) Delete(service, account string) error {
	if err := f.enter("delete", service, account); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := [2]string{service, account}
	if _, ok := f.items[k]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, k)
	return nil
}

func (f *fakeKeyring) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// waitIdle waits until no keyring call is in flight (abandoned goroutines have returned).
func waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(inflight) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d keyring calls still in flight", len(inflight))
		}
		time.Sleep(time.Millisecond)
	}
}

// env returns a Getenv over a map.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// within runs f and fails the test if it has not returned after a generous guard; it guards
// against hangs and is not a speed check.
func within[T any](t *testing.T, f func() T) T {
	t.Helper()
	ch := make(chan T, 1)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("call did not return: the timeout did not fire")
		panic("unreachable")
	}
}

// noSecret fails the test if secret shows in any formatting of err.
func noSecret(t *testing.T, err error, secret string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		if s := fmt.Sprintf(format, err); strings.Contains(s, secret) {
			t.Errorf("secret leaked in %s of error: %s", format, s)
		}
	}
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), secret) {
			t.Errorf("secret leaked in wrapped error: %s", e.Error())
		}
	}
	if me, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range me.Unwrap() {
			if strings.Contains(e.Error(), secret) || strings.Contains(fmt.Sprintf("%#v", e), secret) {
				t.Errorf("secret leaked in wrapped error: %#v", e)
			}
		}
	}
}

func TestEnvName(t *testing.T) {
	tests := []struct{ source, want string }{
		{"prod", "CONFAB_SECRET_PROD"},
		{"Prod-EU.1", "CONFAB_SECRET_PROD_EU_1"},
		{"my source", "CONFAB_SECRET_MY_SOURCE"},
		{"a_b", "CONFAB_SECRET_A_B"},
		{"café", "CONFAB_SECRET_CAF_"},
		{"ıſ", "CONFAB_SECRET___"}, // non-ASCII letters that upper-case to ASCII stay '_'
		{"日本", "CONFAB_SECRET___"},
		{"x$(rm)", "CONFAB_SECRET_X__RM_"},
		{"", "CONFAB_SECRET_"},
	}
	for _, tt := range tests {
		if got := EnvName(tt.source); got != tt.want {
			t.Errorf("EnvName(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}

func TestResolveOrder(t *testing.T) {
	tests := []struct {
		name       string
		env        string   // CONFAB_SECRET_PROD
		command    []string // secret_command
		keyring    string   // stored secret
		wantSecret string
		wantOrigin Origin
		wantKind   error
		keyringUse bool // whether the keyring may be consulted
	}{
		{name: "env wins over all", env: "from-env", command: helper("print", "from-cmd"), keyring: "from-kr",
			wantSecret: "from-env", wantOrigin: OriginEnv},
		{name: "command wins over keyring", command: helper("print", "from-cmd"), keyring: "from-kr",
			wantSecret: "from-cmd", wantOrigin: OriginCommand},
		{name: "command output trimmed", command: helper("print", "  tok en \t "),
			wantSecret: "  tok en", wantOrigin: OriginCommand},
		{name: "command stdin is empty", command: helper("stdin"),
			wantSecret: "empty", wantOrigin: OriginCommand},
		{name: "keyring last", keyring: "from-kr", wantSecret: "from-kr", wantOrigin: OriginKeyring,
			keyringUse: true},
		{name: "missing everywhere", wantKind: ErrNotFound, keyringUse: true},
		{name: "failing command does not fall back", command: helper("fail", "", "boom", "1"),
			keyring: "from-kr", wantKind: ErrCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			if tt.keyring != "" {
				f.items[[2]string{Service, "prod"}] = tt.keyring
			}
			r := &Resolver{Keyring: f, Getenv: env("CONFAB_SECRET_PROD", tt.env)}
			got, origin, err := r.Resolve(context.Background(), "prod", tt.command)
			if tt.wantKind != nil {
				if !errors.Is(err, tt.wantKind) {
					t.Fatalf("Resolve error = %v, want %v", err, tt.wantKind)
				}
				if got != "" || origin != OriginMissing {
					t.Errorf("Resolve = %q, %q with an error", got, origin)
				}
			} else if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got != tt.wantSecret || origin != tt.wantOrigin {
				t.Errorf("Resolve = %q, %q; want %q, %q", got, origin, tt.wantSecret, tt.wantOrigin)
			}
			if used := f.callCount() > 0; used != tt.keyringUse {
				t.Errorf("keyring consulted = %v, want %v (%v)", used, tt.keyringUse, f.calls)
			}
		})
	}
}

func TestNotFoundMessageNamesTheWays(t *testing.T) {
	r := &Resolver{Keyring: newFake(), Getenv: env()}
	for _, source := range []string{"prod", "my src"} {
		_, _, err := r.Resolve(context.Background(), source, nil)
		if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnavailable) {
			t.Fatalf("Resolve(%q) = %v, want only ErrNotFound", source, err)
		}
		msg := err.Error()
		for _, want := range []string{"confab auth login " + ShellQuote(source), EnvName(source), "secret_command"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q does not name %q", msg, want)
			}
		}
	}
}

func TestKeyringErrorClasses(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		kind       error // ErrNotFound, ErrUnavailable or nil
		reason     string
		probeIsNil bool
	}{
		{"not found", keyring.ErrNotFound, ErrNotFound, "", true},
		{"not found wrapped", fmt.Errorf("x: %w", keyring.ErrNotFound), ErrNotFound, "", true},
		{"no dbus-launch", errors.New(`exec: "dbus-launch": executable file not found in $PATH`),
			ErrUnavailable, "no D-Bus session bus", false},
		{"no provider", errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
			ErrUnavailable, "no Secret Service provider", false},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"),
			ErrUnavailable, "locked", false},
		{"dial", errors.New("dial unix /run/user/0/bus: connect: no such file or directory"),
			ErrUnavailable, "cannot connect to the D-Bus session bus", false},
		{"bad address", errors.New("dbus: invalid bus address (no transport)"),
			ErrUnavailable, "cannot connect to the D-Bus session bus", false},
		{"too big", keyring.ErrSetDataTooBig, nil, "too large", false},
		{"other", errors.New("org.freedesktop.DBus.Error.AccessDenied: nope\x1b[31m"), nil,
			"keyring error: org.freedesktop.DBus.Error.AccessDenied: nope", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.err = tt.err
			r := &Resolver{Keyring: f, Getenv: env()}
			ctx := context.Background()
			_, _, resolveErr := r.Resolve(ctx, "prod", nil)
			_, describeErr := r.Describe(ctx, "prod", nil)
			for op, err := range map[string]error{
				"resolve": resolveErr, "describe": describeErr, "store": r.Store(ctx, "prod", "s3cr3t-value"),
				"delete": r.Delete(ctx, "prod"), "probe": r.Probe(ctx),
			} {
				if op == "probe" && tt.probeIsNil {
					if err != nil {
						t.Errorf("probe = %v, want nil (reachable)", err)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s: no error", op)
					continue
				}
				for _, k := range []error{ErrNotFound, ErrUnavailable} {
					if got, want := errors.Is(err, k), k == tt.kind; got != want {
						t.Errorf("%s: errors.Is(%v, %v) = %v, want %v", op, err, k, got, want)
					}
				}
				msg := err.Error()
				if !strings.Contains(msg, tt.reason) {
					t.Errorf("%s: message %q lacks %q", op, msg, tt.reason)
				}
				if strings.ContainsRune(msg, 0x1b) {
					t.Errorf("%s: message %q has an escape character", op, msg)
				}
				if tt.kind == ErrUnavailable && op != "probe" {
					for _, alt := range []string{"CONFAB_SECRET_PROD", "secret_command"} {
						if !strings.Contains(msg, alt) {
							t.Errorf("%s: message %q does not name %s", op, msg, alt)
						}
					}
				}
				var e *Error
				if !errors.As(err, &e) || e.Origin != OriginKeyring || e.Op != op {
					t.Errorf("%s: error %#v is not an *Error from the keyring for op %s", op, err, op)
				}
			}
		})
	}
}

func TestKeyringTimeout(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		r      func(kr Keyring) *Resolver
		call   func(r *Resolver) error
		wantIn string
	}{
		{"resolve read timeout", func(kr Keyring) *Resolver {
			return &Resolver{Keyring: kr, Getenv: env(), ReadTimeout: 30 * time.Millisecond, WriteTimeout: time.Hour}
		}, func(r *Resolver) error { _, _, err := r.Resolve(ctx, "prod", nil); return err }, "30ms"},
		{"store write timeout", func(kr Keyring) *Resolver {
			return &Resolver{Keyring: kr, Getenv: env(), ReadTimeout: time.Hour, WriteTimeout: 40 * time.Millisecond}
		}, func(r *Resolver) error { return r.Store(ctx, "prod", "v") }, "40ms"},
		{"delete read timeout", func(kr Keyring) *Resolver {
			return &Resolver{Keyring: kr, Getenv: env(), ReadTimeout: 30 * time.Millisecond, WriteTimeout: time.Hour}
		}, func(r *Resolver) error { return r.Delete(ctx, "prod") }, "30ms"},
		{"probe read timeout", func(kr Keyring) *Resolver {
			return &Resolver{Keyring: kr, Getenv: env(), ReadTimeout: 30 * time.Millisecond, WriteTimeout: time.Hour}
		}, func(r *Resolver) error { return r.Probe(ctx) }, "30ms"},
		{"env overrides both defaults", func(kr Keyring) *Resolver {
			return &Resolver{Keyring: kr, Getenv: env(TimeoutEnv, "25ms")}
		}, func(r *Resolver) error { return r.Store(ctx, "prod", "v") }, "25ms"},
		{"env overrides read default", func(kr Keyring) *Resolver {
			return &Resolver{Keyring: kr, Getenv: env(TimeoutEnv, "25ms")}
		}, func(r *Resolver) error { _, err := r.Describe(ctx, "prod", nil); return err }, "25ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := hanging(t)
			r := tt.r(f)
			err := within(t, func() error { return tt.call(r) })
			if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error = %v, want ErrUnavailable and DeadlineExceeded", err)
			}
			if !strings.Contains(err.Error(), "did not answer within "+tt.wantIn) {
				t.Errorf("message %q does not give the timeout %s", err, tt.wantIn)
			}
		})
	}
}

func TestKeyringTimeoutEnvInvalid(t *testing.T) {
	for _, v := range []string{"5", "soon", "-1s", "0s"} {
		r := &Resolver{Keyring: newFake(), Getenv: env(TimeoutEnv, v)}
		err := r.Store(context.Background(), "prod", "v")
		if err == nil || !strings.Contains(err.Error(), TimeoutEnv) || errors.Is(err, ErrUnavailable) {
			t.Errorf("%s=%q: Store = %v, want an error naming the variable", TimeoutEnv, v, err)
		}
	}
	// An explicit field wins over an invalid variable.
	r := &Resolver{Keyring: newFake(), Getenv: env(TimeoutEnv, "soon"), WriteTimeout: time.Second}
	if err := r.Store(context.Background(), "prod", "v"); err != nil {
		t.Errorf("Store with explicit timeout: %v", err)
	}
}

func TestKeyringContextCancel(t *testing.T) {
	f := hanging(t)
	r := &Resolver{Keyring: f, Getenv: env(), ReadTimeout: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for f.callCount() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	err := within(t, func() error {
		_, _, err := r.Resolve(ctx, "prod", nil)
		return err
	})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNotFound) {
		t.Fatalf("error = %v, want context.Canceled only", err)
	}
	// An already cancelled context does not reach the keyring.
	n := f.callCount()
	if err := r.Delete(ctx, "prod"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with cancelled ctx = %v", err)
	}
	if f.callCount() != n {
		t.Error("keyring called with a cancelled context")
	}
}

func TestKeyringInflightBound(t *testing.T) {
	waitIdle(t) // earlier calls release their token just after answering
	f := hanging(t)
	r := &Resolver{Keyring: f, Getenv: env(), ReadTimeout: 5 * time.Millisecond}
	for i := 0; i < maxInflight; i++ {
		if err := within(t, func() error { return r.Probe(context.Background()) }); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("call %d: %v, want a timeout", i, err)
		}
	}
	if f.callCount() != maxInflight {
		t.Fatalf("keyring calls = %d, want %d", f.callCount(), maxInflight)
	}
	err := r.Probe(context.Background())
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "still waiting") {
		t.Fatalf("call past the bound = %v, want an immediate ErrUnavailable", err)
	}
	if f.callCount() != maxInflight {
		t.Errorf("a call past the bound reached the keyring")
	}
}

func TestKeyringPanicIsAnError(t *testing.T) {
	r := &Resolver{Keyring: panicKeyring{}, Getenv: env()}
	_, _, err := r.Resolve(context.Background(), "prod", nil)
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("Resolve = %v, want a panic turned into an error", err)
	}
	waitIdle(t)
}

type panicKeyring struct{ Keyring }

func (panicKeyring) Get(string, string) (string, error) { panic("interface conversion") }

func TestStoreResolveDeleteFake(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	r := &Resolver{Keyring: f, Getenv: env()}
	if err := r.Store(ctx, "prod", "first"); err != nil {
		t.Fatal(err)
	}
	if err := r.Store(ctx, "prod", "second"); err != nil {
		t.Fatal(err)
	}
	if s, o, err := r.Resolve(ctx, "prod", nil); err != nil || s != "second" || o != OriginKeyring {
		t.Fatalf("Resolve = %q, %q, %v", s, o, err)
	}
	if o, err := r.Describe(ctx, "prod", nil); err != nil || o != OriginKeyring {
		t.Fatalf("Describe = %q, %v", o, err)
	}
	if err := r.Delete(ctx, "prod"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Resolve(ctx, "prod", nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Resolve after Delete = %v", err)
	}
	if err := r.Delete(ctx, "prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete = %v", err)
	}
	if err := r.Store(ctx, "prod", ""); err == nil {
		t.Error("Store of an empty secret succeeded")
	}
	if err := r.Store(ctx, "", "x"); err == nil {
		t.Error("Store for an empty source succeeded")
	}
	for _, c := range f.calls {
		if !strings.HasPrefix(strings.SplitN(c, " ", 2)[1], Service+" ") {
			t.Errorf("keyring call %q not under service %q", c, Service)
		}
	}
}

func TestProbe(t *testing.T) {
	f := newFake()
	r := &Resolver{Keyring: f, Getenv: env()}
	if err := r.Probe(context.Background()); err != nil {
		t.Fatalf("Probe on an empty keyring = %v", err)
	}
	f.items[[2]string{ProbeService, ProbeAccount}] = "whatever"
	if err := r.Probe(context.Background()); err != nil {
		t.Fatalf("Probe with a value = %v", err)
	}
	if want := "get " + ProbeService + " " + ProbeAccount; f.calls[0] != want {
		t.Errorf("Probe called %q, want %q", f.calls[0], want)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name    string
		env     string
		command []string
		keyring string
		want    Origin
		kind    error
	}{
		{"env", "x", helper("print", "y"), "z", OriginEnv, nil},
		{"command not run", "", helper("fail", "", "", "1"), "z", OriginCommand, nil},
		{"command missing", "", []string{"confab-no-such-program-xyz"}, "z", OriginMissing, ErrCommand},
		{"keyring", "", nil, "z", OriginKeyring, nil},
		{"nowhere", "", nil, "", OriginMissing, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			if tt.keyring != "" {
				f.items[[2]string{Service, "prod"}] = tt.keyring
			}
			r := &Resolver{Keyring: f, Getenv: env("CONFAB_SECRET_PROD", tt.env)}
			o, err := r.Describe(context.Background(), "prod", tt.command)
			if o != tt.want || (tt.kind == nil) != (err == nil) || (tt.kind != nil && !errors.Is(err, tt.kind)) {
				t.Errorf("Describe = %q, %v; want %q, %v", o, err, tt.want, tt.kind)
			}
		})
	}
}

func TestCommandFailures(t *testing.T) {
	const secret = "hunter2-SECRET-value"
	long := strings.Repeat("e", 5000)
	tests := []struct {
		name     string
		command  []string
		timeout  time.Duration
		want     []string // substrings of the message
		deadline bool     // wraps context.DeadlineExceeded
	}{
		{name: "no such program", command: []string{"confab-no-such-program-xyz", "arg"},
			want: []string{`"confab-no-such-program-xyz"`, "not found in PATH"}},
		{name: "no such path", command: []string{"/nonexistent/confab/pass"},
			want: []string{`"/nonexistent/confab/pass"`, "no such file"}},
		{name: "empty program", command: []string{""}, want: []string{"program name is empty"}},
		{name: "exit status and stderr", command: helper("fail", "", "gpg: decryption failed: No secret key\n", "3"),
			want: []string{"exit status 3", "standard error: gpg: decryption failed: No secret key"}},
		{name: "stderr echoes the secret", command: helper("fail", secret+"\n", "bad token "+secret+" rejected", "1"),
			want: []string{"bad token [redacted] rejected"}},
		{name: "stderr holds an unknown key, stdout empty", command: helper("fail", "", "cannot decrypt sk-live-9f8E7d6C5b4A3928x1: bad MAC\n", "1"),
			want: []string{"standard error: cannot decrypt [redacted]: bad MAC"}},
		{name: "stderr holds credential fields", command: helper("fail", "", "sent Authorization: Bearer eyJhbGci.OiJIUzI1.NiJ9 and password=hunter2 and api_key: \"k\"", "1"),
			want: []string{"Bearer [redacted] and password=[redacted] and api_key: \"[redacted]\""}},
		{name: "stderr paths and words stay", command: helper("fail", "", "pass: Error: moveworks/api-key-2024-prod is not in the password store.", "1"),
			want: []string{"pass: Error: moveworks/api-key-2024-prod is not in the password store."}},
		{name: "stderr escapes removed", command: helper("fail", "", "\x1b[31mred\x1b[0m\x1b]0;title\x07 line1\nline2\x01", "1"),
			want: []string{"standard error: red line1 | line2"}},
		{name: "long stderr truncated", command: helper("fail", "", long, "1"), want: []string{"eee…"}},
		{name: "empty output", command: helper("print", "  "), want: []string{"printed nothing on standard output"}},
		{name: "several lines", command: helper("print", "pw\nurl: x"), want: []string{"printed 2 lines"}},
		{name: "too much output", command: helper("big", "70000"), want: []string{"more than 64 KiB"}},
		{name: "timeout", command: helper("sleep"), timeout: 100 * time.Millisecond,
			want: []string{"did not finish within 100ms and was killed"}, deadline: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.items[[2]string{Service, "prod"}] = secret
			r := &Resolver{Keyring: f, Getenv: env(), CommandTimeout: tt.timeout}
			type res struct {
				s   string
				o   Origin
				err error
			}
			got := within(t, func() res {
				s, o, err := r.Resolve(context.Background(), "prod", tt.command)
				return res{s, o, err}
			})
			if !errors.Is(got.err, ErrCommand) || errors.Is(got.err, ErrUnavailable) || errors.Is(got.err, ErrNotFound) {
				t.Fatalf("Resolve = %q, %q, %v; want an ErrCommand error", got.s, got.o, got.err)
			}
			msg := got.err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if len(msg) > 700 {
				t.Errorf("message is %d bytes long", len(msg))
			}
			if strings.ContainsAny(msg, "\x1b\x00\x07\n") {
				t.Errorf("message %q has control characters", msg)
			}
			if errors.Is(got.err, context.DeadlineExceeded) != tt.deadline {
				t.Errorf("errors.Is(DeadlineExceeded) = %v, want %v", !tt.deadline, tt.deadline)
			}
			noSecret(t, got.err, secret)
			if len(tt.command) > 2 && strings.Contains(msg, helperArg) {
				t.Errorf("message %q shows the command's arguments", msg)
			}
			if f.callCount() != 0 {
				t.Error("the keyring was consulted after a failing secret_command")
			}
		})
	}
}

func TestSecretNeverInErrors(t *testing.T) {
	const secret = "s3cr3t-Pa55-9x"
	f := newFake()
	f.err = errors.New("org.freedesktop.Secret.Error: cannot store '" + secret + "' now")
	r := &Resolver{Keyring: f, Getenv: env()}
	err := r.Store(context.Background(), "prod", secret)
	if err == nil || !strings.Contains(err.Error(), redacted) {
		t.Fatalf("Store = %v, want a redacted error", err)
	}
	noSecret(t, err, secret)

	// A not-found error that held the secret keeps its class.
	f.err = fmt.Errorf("%w: %s", keyring.ErrNotFound, secret)
	err = r.Store(context.Background(), "prod", secret)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("redacted error lost its class: %v", err)
	}
	noSecret(t, err, secret)
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 10, "plain"},
		{"  a \t b  ", 10, "a b"},
		{"l1\r\nl2\n\nl3\n", 20, "l1 | l2 | l3"},
		{"\x1b[1;31mred\x1b[0m", 10, "red"},
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", 10, "link"},
		{"bell\x07\x00nul", 10, "bellnul"},
		{"bidi\u202eevil", 20, "bidievil"},
		{"bad\xffutf8", 20, "bad\uFFFDutf8"},
		{"abcdefghij", 5, "abcd…"},
		{"日本語テキスト", 4, "日本語…"},
		{"ab | cd", 4, "ab…"},
		{"trailing ESC\x1b", 20, "trailing ESC"},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in, tt.max); got != tt.want {
			t.Errorf("sanitize(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"prod", "prod"},
		{"prod-eu.1", "prod-eu.1"},
		{"my src", "'my src'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := ShellQuote(tt.in); got != tt.want {
			t.Errorf("ShellQuote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
