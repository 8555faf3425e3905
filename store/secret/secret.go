// Package secret resolves the credential of a configured source.
//
// A source's secret comes from, in order:
//
//  1. the environment variable CONFAB_SECRET_<NAME> (see EnvName), which wins when set;
//  2. the source's secret_command, an argv list run without a shell whose standard output is the
//     secret (for users of pass, op, bw and the like);
//  3. the OS keyring (go-keyring: Secret Service over D-Bus, macOS Keychain, Windows Credential
//     Manager) under service "confab", account = source name.
//
// There is no plain-text file store and no silent fallback: when a configured secret_command
// fails, the keyring is not consulted, and when the keyring is unavailable the error says why
// and names the alternatives.
//
// Every keyring call runs under a timeout, because a locked keyring can wait forever on an
// unlock prompt nobody can see. go-keyring calls block and take no context, so each one runs in
// its own goroutine; a call that times out is abandoned, not stopped. At most maxInflight
// keyring calls are in flight in the process; past that, calls fail at once with
// ErrUnavailable instead of piling up goroutines behind a hung keyring.
//
// Secrets never appear in an error message, and no type of this package holds one.
package secret

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Origin says where a secret came from.
type Origin string

// The origins of a secret.
const (
	OriginEnv     Origin = "env"     // the CONFAB_SECRET_<NAME> environment variable
	OriginCommand Origin = "command" // the source's secret_command
	OriginKeyring Origin = "keyring" // the OS keyring
	OriginMissing Origin = ""        // nowhere
)

// Service is the keyring service under which confab stores secrets; the account is the source
// name.
const Service = "confab"

// EnvPrefix is the prefix of the environment variable that overrides a source's secret.
const EnvPrefix = "CONFAB_SECRET_"

// TimeoutEnv names the environment variable (a Go duration such as "10s") that overrides both
// keyring timeouts.
const TimeoutEnv = "CONFAB_KEYRING_TIMEOUT"

// Default timeouts.
const (
	DefaultReadTimeout    = 5 * time.Second  // keyring reads, deletes and probes
	DefaultWriteTimeout   = 60 * time.Second // keyring writes, which may raise an unlock prompt
	DefaultCommandTimeout = 10 * time.Second // a secret_command
)

// Error kinds. Errors returned by this package wrap at most one of them; check with errors.Is.
var (
	// ErrNotFound: the secret is nowhere (or, for Delete, not in the keyring).
	ErrNotFound = errors.New("secret not found")
	// ErrUnavailable: the OS keyring cannot be used: no D-Bus session, no Secret Service
	// provider, a locked keyring, or no answer within the timeout.
	ErrUnavailable = errors.New("OS keyring unavailable")
	// ErrCommand: the source's secret_command could not be run, failed, timed out or printed
	// something that is not a secret.
	ErrCommand = errors.New("secret_command failed")
)

// Error is a failure to resolve, store, delete or probe a secret. It never holds the secret:
// Reason is sanitized and has any occurrence of the secret redacted.
type Error struct {
	Op     string // "resolve", "store", "delete", "probe" or "describe"
	Source string // the source name; empty for probe
	Origin Origin // the mechanism that failed (OriginCommand, OriginKeyring), or OriginMissing
	Reason string // why, in plain words
	Hint   string // what the user can do instead; may be empty
	kind   error  // ErrNotFound, ErrUnavailable, ErrCommand or nil
	err    error  // the underlying cause, if any
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Op == "probe":
		b.WriteString("keyring probe")
	case errors.Is(e.kind, ErrNotFound) && e.Op != "delete":
		fmt.Fprintf(&b, "no secret for source %q", e.Source)
	default:
		verb := map[string]string{
			"resolve": "cannot read", "describe": "cannot check", "store": "cannot store",
			"delete": "cannot delete",
		}[e.Op]
		if verb == "" {
			verb = "cannot use"
		}
		fmt.Fprintf(&b, "%s the secret of source %q", verb, e.Source)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	switch {
	case e.Hint == "":
	case e.Reason == "":
		b.WriteString(": ")
		b.WriteString(e.Hint)
	default:
		b.WriteString(". ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns the error kind (ErrNotFound, ErrUnavailable, ErrCommand) and the underlying
// cause, so both errors.Is(err, ErrUnavailable) and errors.Is(err, context.DeadlineExceeded)
// work.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.kind != nil {
		errs = append(errs, e.kind)
	}
	if e.err != nil {
		errs = append(errs, e.err)
	}
	return errs
}

// EnvName returns the environment variable that overrides source's secret: CONFAB_SECRET_
// followed by the source name with ASCII letters upper-cased and every other character that is
// not A-Z or 0-9 (including non-ASCII letters) replaced by '_'. Distinct names can map to the
// same variable ("a-b" and "a_b").
func EnvName(source string) string {
	var b strings.Builder
	b.Grow(len(EnvPrefix) + len(source))
	b.WriteString(EnvPrefix)
	for _, r := range source {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Resolver finds, stores and deletes source secrets. The zero value is ready to use; a Resolver
// holds no secret and may be used from several goroutines.
type Resolver struct {
	// Keyring is the OS keyring; nil means OSKeyring().
	Keyring Keyring
	// Getenv reads the environment (CONFAB_SECRET_<NAME>, CONFAB_KEYRING_TIMEOUT); nil means
	// os.Getenv.
	Getenv func(string) string
	// ReadTimeout bounds keyring reads, deletes and probes; WriteTimeout bounds keyring writes.
	// Zero means CONFAB_KEYRING_TIMEOUT when set, else DefaultReadTimeout / DefaultWriteTimeout.
	ReadTimeout, WriteTimeout time.Duration
	// CommandTimeout bounds a secret_command; zero means DefaultCommandTimeout.
	CommandTimeout time.Duration
}

func (r *Resolver) keyring() Keyring {
	if r.Keyring != nil {
		return r.Keyring
	}
	return OSKeyring()
}

func (r *Resolver) getenv(name string) string {
	if r.Getenv != nil {
		return r.Getenv(name)
	}
	return os.Getenv(name)
}

// timeout picks the explicit value, else CONFAB_KEYRING_TIMEOUT, else def. An invalid
// CONFAB_KEYRING_TIMEOUT is an error rather than silently ignored.
func (r *Resolver) timeout(explicit, def time.Duration) (time.Duration, error) {
	if explicit > 0 {
		return explicit, nil
	}
	if v := strings.TrimSpace(r.getenv(TimeoutEnv)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("%s=%q is not a positive Go duration such as 5s or 1m", TimeoutEnv, sanitize(v, 40))
		}
		return d, nil
	}
	return def, nil
}

func (r *Resolver) commandTimeout() time.Duration {
	if r.CommandTimeout > 0 {
		return r.CommandTimeout
	}
	return DefaultCommandTimeout
}

// alternatives is the hint given when the keyring cannot be used.
func alternatives(source string) string {
	return fmt.Sprintf("Instead, set %s or add secret_command to source %q in the config", EnvName(source), source)
}

// waysToProvide is the hint given when a secret is missing everywhere.
func waysToProvide(source string) string {
	return fmt.Sprintf("run %q, set %s, or add secret_command to source %q in the config",
		"confab auth login "+ShellQuote(source), EnvName(source), source)
}

func checkSource(op, source string) error {
	if source == "" {
		return &Error{Op: op, Reason: "the source name is empty"}
	}
	return nil
}

// Resolve returns the secret of source and where it came from: CONFAB_SECRET_<NAME> when set,
// else the output of command when command is not empty, else the OS keyring. A failing command
// is an error (wrapping ErrCommand); the keyring is then not consulted. Missing everywhere gives
// an error wrapping ErrNotFound whose message names the ways to provide the secret; an unusable
// keyring gives an error wrapping ErrUnavailable that says why and names the alternatives.
func (r *Resolver) Resolve(ctx context.Context, source string, command []string) (string, Origin, error) {
	if err := checkSource("resolve", source); err != nil {
		return "", OriginMissing, err
	}
	if v := r.getenv(EnvName(source)); v != "" {
		return v, OriginEnv, nil
	}
	if len(command) > 0 {
		v, err := runCommand(ctx, source, command, r.commandTimeout())
		if err != nil {
			return "", OriginMissing, err
		}
		return v, OriginCommand, nil
	}
	v, err := r.keyringGet(ctx, "resolve", source, source)
	if err != nil {
		return "", OriginMissing, err
	}
	return v, OriginKeyring, nil
}

// Describe reports where source's secret would come from, without returning it. The environment
// is checked for a non-empty value; a secret_command is not run (it may prompt) but its program
// must be found; the keyring is read and the value discarded. The Origin is OriginMissing
// whenever the error is not nil.
func (r *Resolver) Describe(ctx context.Context, source string, command []string) (Origin, error) {
	if err := checkSource("describe", source); err != nil {
		return OriginMissing, err
	}
	if r.getenv(EnvName(source)) != "" {
		return OriginEnv, nil
	}
	if len(command) > 0 {
		if err := lookCommand("describe", source, command); err != nil {
			return OriginMissing, err
		}
		return OriginCommand, nil
	}
	if _, err := r.keyringGet(ctx, "describe", source, source); err != nil {
		return OriginMissing, err
	}
	return OriginKeyring, nil
}

// Store saves secret as source's secret in the OS keyring, replacing any previous one, within
// the write timeout. If the timeout fires, the abandoned write may still complete later.
func (r *Resolver) Store(ctx context.Context, source, secret string) error {
	if err := checkSource("store", source); err != nil {
		return err
	}
	if secret == "" {
		return &Error{Op: "store", Source: source, Reason: "the secret is empty"}
	}
	d, err := r.timeout(r.WriteTimeout, DefaultWriteTimeout)
	if err != nil {
		return &Error{Op: "store", Source: source, Origin: OriginKeyring, Reason: err.Error()}
	}
	kr := r.keyring()
	_, err = call(ctx, d, func() (struct{}, error) {
		return struct{}{}, kr.Set(Service, source, secret)
	})
	if err != nil {
		return keyringError("store", source, secret, err)
	}
	return nil
}

// Delete removes source's secret from the OS keyring within the read timeout. A secret that is
// not there gives an error wrapping ErrNotFound.
func (r *Resolver) Delete(ctx context.Context, source string) error {
	if err := checkSource("delete", source); err != nil {
		return err
	}
	d, err := r.timeout(r.ReadTimeout, DefaultReadTimeout)
	if err != nil {
		return &Error{Op: "delete", Source: source, Origin: OriginKeyring, Reason: err.Error()}
	}
	kr := r.keyring()
	_, err = call(ctx, d, func() (struct{}, error) {
		return struct{}{}, kr.Delete(Service, source)
	})
	if err != nil {
		return keyringError("delete", source, "", err)
	}
	return nil
}

// ProbeAccount is the account Probe looks up. It lives under its own service, ProbeService, so
// that it can never be a source's secret.
const (
	ProbeService = "confab-probe"
	ProbeAccount = "probe"
)

// Probe reports whether the OS keyring is reachable and unlocked (nil) or why not (an error
// wrapping ErrUnavailable), within the read timeout. It looks up ProbeAccount under
// ProbeService and discards any value; "not found" means reachable.
func (r *Resolver) Probe(ctx context.Context) error {
	d, err := r.timeout(r.ReadTimeout, DefaultReadTimeout)
	if err != nil {
		return &Error{Op: "probe", Origin: OriginKeyring, Reason: err.Error()}
	}
	kr := r.keyring()
	_, err = call(ctx, d, func() (struct{}, error) {
		_, err := kr.Get(ProbeService, ProbeAccount)
		return struct{}{}, err
	})
	if err == nil || isNotFound(err) {
		return nil
	}
	return keyringError("probe", "", "", err)
}

// keyringGet reads source's secret from the keyring under the read timeout.
func (r *Resolver) keyringGet(ctx context.Context, op, source, account string) (string, error) {
	d, err := r.timeout(r.ReadTimeout, DefaultReadTimeout)
	if err != nil {
		return "", &Error{Op: op, Source: source, Origin: OriginKeyring, Reason: err.Error()}
	}
	kr := r.keyring()
	v, err := call(ctx, d, func() (string, error) { return kr.Get(Service, account) })
	if err != nil {
		return "", keyringError(op, source, "", err)
	}
	if v == "" {
		return "", &Error{Op: op, Source: source, Origin: OriginKeyring, kind: ErrNotFound,
			Reason: "the keyring holds an empty secret", Hint: waysToProvide(source)}
	}
	return v, nil
}
