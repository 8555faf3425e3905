package secret

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Keyring is the OS keyring behind an interface, so that tests can fake a provider (one that
// hangs, or fails with a given text) without touching go-keyring's global provider.
//
// Get and Delete report a missing secret with an error wrapping keyring.ErrNotFound or
// ErrNotFound. Calls may block for ever; the Resolver bounds them with timeouts.
type Keyring interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
	Delete(service, account string) error
}

// osKeyring is go-keyring's package-level provider.
type osKeyring struct{}

func (osKeyring) Get(service, account string) (string, error) { return keyring.Get(service, account) }
func (osKeyring) Set(service, account, secret string) error {
	return keyring.Set(service, account, secret)
}
func (osKeyring) Delete(service, account string) error { return keyring.Delete(service, account) }

// String names the keyring without revealing anything.
func (osKeyring) String() string { return "OS keyring" }

// OSKeyring returns the OS keyring (github.com/zalando/go-keyring): the Secret Service over the
// D-Bus session bus on Linux and BSD, the Keychain on macOS, the Credential Manager on Windows.
// On Linux, go-keyring reads DBUS_SESSION_BUS_ADDRESS when it first connects; with no address
// and no /run/user/UID/bus it runs dbus-launch if installed, which starts a new bus.
func OSKeyring() Keyring { return osKeyring{} }

// maxInflight bounds the keyring calls in flight in the process, including calls abandoned
// after a timeout whose goroutine is still blocked in the keyring.
const maxInflight = 8

// inflight holds one token per keyring call in flight.
var inflight = make(chan struct{}, maxInflight)

// errBusy: maxInflight earlier calls are still blocked in the keyring.
var errBusy = errors.New("too many earlier keyring calls are still waiting for an answer")

// timeoutError is a keyring call that did not answer within its timeout.
type timeoutError struct{ d time.Duration }

func (e timeoutError) Error() string {
	return fmt.Sprintf("the keyring did not answer within %v", e.d)
}

// Is makes a timeout match context.DeadlineExceeded.
func (e timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// panicError is a keyring call that panicked (go-keyring type-asserts D-Bus replies).
type panicError struct{ v any }

func (e panicError) Error() string { return fmt.Sprintf("the keyring library panicked: %v", e.v) }

// call runs fn in a goroutine and waits for it, for timeout d, or for ctx. A call that times out
// or is cancelled is abandoned: its goroutine keeps its inflight token until fn returns, and its
// result is dropped. When maxInflight calls are in flight, call fails at once with errBusy.
func call[T any](ctx context.Context, d time.Duration, fn func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	select {
	case inflight <- struct{}{}:
	default:
		return zero, errBusy
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned goroutine never blocks on send
	go func() {
		defer func() { <-inflight }()
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: panicError{p}}
			}
		}()
		v, err := fn()
		done <- result{v, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		return zero, timeoutError{d}
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// isNotFound reports whether err is a keyring's "not found".
func isNotFound(err error) bool {
	return errors.Is(err, keyring.ErrNotFound) || errors.Is(err, ErrNotFound)
}

// Classify sorts an error from a Keyring into ErrNotFound, ErrUnavailable or nil (another
// failure), with the reason in plain words. go-keyring has no sentinels for an unusable
// keyring, so the D-Bus and Secret Service error texts are matched.
func Classify(err error) (kind error, reason string) {
	if err == nil {
		return nil, ""
	}
	var te timeoutError
	if errors.As(err, &te) {
		return ErrUnavailable, fmt.Sprintf("it did not answer within %v (a locked keyring may be waiting "+
			"for an unlock prompt that cannot be shown; %s=1m allows more time)", te.d, TimeoutEnv)
	}
	if errors.Is(err, errBusy) {
		return ErrUnavailable, errBusy.Error() + " (the keyring seems to hang)"
	}
	if isNotFound(err) {
		return ErrNotFound, "not in the keyring"
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return nil, "the secret is too large for the OS keyring"
	}
	text := err.Error()
	switch {
	case strings.Contains(text, "dbus-launch"),
		strings.Contains(text, "couldn't determine address of session bus"):
		return ErrUnavailable, "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set " +
			"and dbus-launch is not installed)"
	case strings.Contains(text, "org.freedesktop.secrets was not provided"),
		strings.Contains(text, "ServiceUnknown"):
		return ErrUnavailable, "no Secret Service provider (such as gnome-keyring or KeePassXC) is " +
			"running on the D-Bus session bus"
	case strings.Contains(text, "failed to unlock correct collection"):
		return ErrUnavailable, "the keyring is locked (or no default keyring exists) and could not be unlocked"
	case strings.Contains(text, "dial unix"),
		strings.Contains(text, "invalid bus address"),
		strings.Contains(text, "dbus: authentication failed"),
		strings.Contains(text, "connection refused"):
		return ErrUnavailable, "cannot connect to the D-Bus session bus at DBUS_SESSION_BUS_ADDRESS (" +
			sanitize(text, 160) + ")"
	}
	var pe panicError
	if errors.As(err, &pe) {
		return nil, sanitize(pe.Error(), 200)
	}
	return nil, "keyring error: " + sanitize(text, 200)
}

// keyringError turns a failed keyring call into an *Error. secret, when not empty, is redacted
// from the reason.
func keyringError(op, source, secret string, err error) error {
	if secret != "" && strings.Contains(err.Error(), secret) {
		err = newRedactedError(err, secret)
	}
	e := &Error{Op: op, Source: source, Origin: OriginKeyring, err: err}
	if errors.Is(err, context.Canceled) || (errors.Is(err, context.DeadlineExceeded) && !isTimeout(err)) {
		// The caller's context ended: neither the keyring's fault nor a missing secret.
		e.Reason = "cancelled: " + err.Error()
		return e
	}
	kind, reason := Classify(err)
	e.kind = kind
	e.Reason = reason
	switch {
	case kind == ErrUnavailable:
		e.Reason = "the OS keyring is unavailable: " + e.Reason
		if op == "store" && isTimeout(err) {
			e.Reason += "; the abandoned write may still complete later"
		}
		if op == "probe" {
			e.Hint = fmt.Sprintf("Sources can use %s<NAME> or secret_command instead", EnvPrefix)
		} else {
			e.Hint = alternatives(source)
		}
	case kind == ErrNotFound && op != "delete":
		e.Reason = ""
		e.Hint = waysToProvide(source)
	}
	return e
}

func isTimeout(err error) bool {
	var te timeoutError
	return errors.As(err, &te)
}

// redactedError stands for an error whose text held the secret. It keeps the redacted text and
// which sentinels the original matched, but not the original, so its text cannot be reached
// (not even with %#v).
type redactedError struct {
	msg string
	is  []error
}

func newRedactedError(err error, secret string) redactedError {
	e := redactedError{msg: redact(err.Error(), secret)}
	for _, s := range []error{keyring.ErrNotFound, ErrNotFound, keyring.ErrSetDataTooBig} {
		if errors.Is(err, s) {
			e.is = append(e.is, s)
		}
	}
	return e
}

func (e redactedError) Error() string { return e.msg }

func (e redactedError) Is(target error) bool {
	for _, s := range e.is {
		if s == target {
			return true
		}
	}
	return false
}
