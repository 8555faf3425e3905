package client

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel error kinds. Every error a Source returns wraps one of them (check with errors.Is),
// so callers can say what happened and what to do.
var (
	// ErrAuth: the vendor refused the credential (401), or none is configured.
	ErrAuth = errors.New("credentials refused")
	// ErrForbidden: the vendor accepted the credential but does not permit the request (403):
	// a missing scope or role. It does not match ErrAuth, and renews no token.
	ErrForbidden = errors.New("not permitted")
	// ErrRateLimited: the vendor answered 429 and retries were spent; see APIError.RetryAfter.
	ErrRateLimited = errors.New("rate limited")
	// ErrBadFilter: the filter is invalid (client-side check or the vendor's 400/422).
	ErrBadFilter = errors.New("invalid filter")
	// ErrUnavailable: 5xx, a timeout, or a connection that broke off.
	ErrUnavailable = errors.New("service unavailable")
	// ErrConnect: confab could not reach the vendor at all: the host name does not resolve
	// (DNS), the TLS handshake failed (an untrusted or wrong certificate), or the connection
	// was refused. The message names the host and what failed. DNS and TLS failures are not
	// retried; a refused connection is retried once.
	ErrConnect = errors.New("cannot connect")
	// ErrBadResponse: the vendor answered something confab cannot read (malformed JSON, HTML,
	// a body over the size cap, JSON nested deeper than MaxDepth, a paging loop).
	ErrBadResponse = errors.New("unreadable response")
	// ErrNotFound: the conversation or resource does not exist.
	ErrNotFound = errors.New("not found")
	// ErrForeignHost: a paging link points at an origin the source does not allow; nothing was
	// sent there.
	ErrForeignHost = errors.New("link to a host that is not allowed")
)

// APIError is a failed exchange with a vendor. It never holds a credential: Endpoint is the
// request URL without its query string, Message (the vendor's text) is redacted when the
// error is made, and Error() redacts its whole text again with the source's Redactor (or,
// without one, masks what looks like a credential).
type APIError struct {
	Kind       error         // one of the sentinels above
	Endpoint   string        // scheme://host/path of the request
	Status     int           // HTTP status, 0 for network errors
	Code       string        // the vendor's error code, if any
	Message    string        // the vendor's message or a description of the failure
	RetryAfter time.Duration // for ErrRateLimited: how long the vendor asked to wait
	Err        error         // the underlying error, if any
	// Attempts is how many times the request was sent before confab gave up (0 or 1: no retry).
	Attempts int
	// Description is the vendor's own explanation of a refusal, made safe to show (redacted,
	// one line, at most 200 cells): a token endpoint's error_description. Message includes
	// it; it is kept apart for short summaries (auth status).
	Description string
	// Scope is the OAuth scope the request needs, as the source requests it (by default the
	// one the vendor documents for the endpoint, e.g. Talkdesk's interactions-public:read),
	// when known: set on ErrForbidden and on a token endpoint's refusals. Hint names it.
	Scope string

	transient bool          // a truncated or malformed body: worth retrying like a 5xx
	network   bool          // no answer at all (DNS, connection refused, TLS): maybe a wrong host
	refused   bool          // a 401 from the API (not the token endpoint): worth renewing the credential
	connect   string        // for ErrConnect: "dns", "tls" or "refused"
	waited    time.Duration // for ErrRateLimited: how long confab waited it out before giving up

	redact *Redactor // the source's secrets; nil masks the patterns only
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Kind == ErrConnect && e.Endpoint != "" {
		// "cannot connect to https://h/p: cannot resolve host h (DNS)"
		fmt.Fprintf(&b, " to %s: %s", e.Endpoint, e.Message)
		if e.Attempts > 1 {
			fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
		}
		return e.redact.Redact(b.String())
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.Code != "" {
			fmt.Fprintf(&b, " %s", e.Code)
		}
		b.WriteString(")")
	}
	if e.Endpoint != "" {
		fmt.Fprintf(&b, " from %s", e.Endpoint)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Kind == ErrRateLimited && e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Second))
	}
	if e.Attempts > 1 {
		if e.waited > 0 {
			fmt.Fprintf(&b, " (gave up after %d attempts over %s)", e.Attempts, e.waited.Round(time.Second))
		} else {
			fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
		}
	}
	return e.redact.Redact(b.String())
}

// sealWith redacts e's vendor text with r and keeps r for Error().
func (e *APIError) sealWith(r *Redactor) {
	if r == nil {
		return
	}
	e.redact = r
	e.Message = r.Redact(e.Message)
	e.Code = r.Redact(e.Code)
}

// Unwrap lets errors.Is match the kind and the underlying error.
func (e *APIError) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

// FilterError is an invalid filter, found before any request or reported by the vendor.
type FilterError struct {
	Msg   string // what is wrong, e.g. `unknown field "plaform"`
	Pos   int    // byte offset of the offending token in the filter text, -1 if unknown
	Token string // the offending token, if known
}

func (e *FilterError) Error() string {
	if e.Pos >= 0 {
		return fmt.Sprintf("invalid filter at column %d: %s", e.Pos+1, e.Msg)
	}
	return "invalid filter: " + e.Msg
}

// Unwrap makes errors.Is(err, ErrBadFilter) true.
func (e *FilterError) Unwrap() error { return ErrBadFilter }

// HintError is Err with a hint more specific than Hint's default for its kind (a source that
// knows what else to try says so). Error() is Err's; errors.Is and errors.As see through it.
type HintError struct {
	Err  error
	Hint string // may hold the "<source>" placeholder
}

func (e *HintError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *HintError) Unwrap() error { return e.Err }

// HintFor is Hint with the source's name filled in.
func HintFor(source string, err error) string {
	return strings.ReplaceAll(Hint(err), "<source>", source)
}

// Hint says what a user can do about err, in a few words, or "" when nothing specific helps.
// A "<source>" placeholder stands for the source's name (see HintFor).
func Hint(err error) string {
	if he := (*HintError)(nil); errors.As(err, &he) && he.Hint != "" {
		return he.Hint
	}
	switch {
	case errors.Is(err, ErrAuth):
		return "check the credential: run confab auth login <source> (or set its CONFAB_SECRET_ variable)"
	case errors.Is(err, ErrForbidden):
		if sc := scopeOf(err); sc != "" {
			return "the credential is valid but lacks a permission: give the OAuth client the scope " + sc +
				" it requests (the vendor's admin grants it), then retry"
		}
		return "the credential works but lacks a permission: ask the vendor's admin for the scope or role that allows reading conversations"
	case errors.Is(err, ErrConnect):
		switch connectKind(err) {
		case "dns":
			return "check the source's base_url or region (the host name does not resolve), and the network"
		case "tls":
			return "check the source's base_url (the right https host?) and the system's CA certificates; a proxy that intercepts TLS needs its CA installed"
		}
		return "check the source's base_url (host and port) and that the service is running"
	case errors.Is(err, ErrRateLimited):
		return "the vendor is rate limiting; wait and retry"
	case errors.Is(err, ErrBadFilter):
		return "fix the filter"
	case errors.Is(err, ErrForeignHost):
		return "add the host to allowed_hosts in the source's config if it is really the vendor's"
	case errors.As(err, new(*DepthError)):
		return "report it to the vendor: confab does not read JSON nested that deeply"
	case isNetwork(err):
		return "check that the host is reachable and the source's base_url or region is right, then retry"
	case errors.Is(err, ErrUnavailable), errors.Is(err, ErrBadResponse):
		return "retry later"
	}
	return ""
}

// scopeOf is the Scope of err's *APIError ("" when none).
func scopeOf(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Scope
	}
	return ""
}

// connectKind is what failed in an ErrConnect: "dns", "tls" or "refused".
func connectKind(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.connect
	}
	return ""
}

// isNetwork reports whether err is a request that got no answer at all.
func isNetwork(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.network
}
