package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// HTTPOptions tune the shared HTTP plumbing. Zero values take the defaults.
type HTTPOptions struct {
	Timeout     time.Duration // per attempt; default 30 s
	MaxBody     int64         // response size cap in bytes; default 64 MiB
	MaxDepth    int           // how deeply a body's JSON may nest; default MaxDepth (512)
	MaxRetries  int           // retries of 5xx and network errors after the first attempt; default 4; -1 for no retries at all (429s included)
	MaxWait     time.Duration // total time spent waiting between retries of 5xx and network errors; default 2 min
	BaseBackoff time.Duration // first backoff step; default 500 ms
	// RateLimitWait is the total time one request may spend waiting out 429s (with or without
	// Retry-After) before confab gives up; default DefaultRateLimitWait. MaxRetries does not
	// bound 429s: only this budget does.
	RateLimitWait time.Duration
	// RateLimitBackoff is the first wait after a 429 without Retry-After; each next one doubles,
	// up to RateLimitMaxStep, with jitter; default DefaultRateLimitBackoff.
	RateLimitBackoff time.Duration
	Transport        http.RoundTripper // the underlying transport; default http.DefaultTransport
	Logger           *slog.Logger      // debug log of requests (never headers); nil for none
	// Redactor removes the source's secrets from every error and log line; the credential of
	// the Authorizer given to NewHTTP (and each OAuth access token) is added to it. nil: a
	// new one. Give the same one to every part of a source, and to the sinks that print its
	// errors (stderr, the TUI, the debug log, crash files).
	Redactor *Redactor
	// DecodeError extracts the vendor's error code and message from an error body.
	DecodeError func(status int, body []byte) (code, message string)
	// Walk bounds every walk over pages (a listing, a thread, a lookup by id) of the source;
	// zero fields take DefaultWalkLimits (paging.go).
	Walk WalkLimits
}

func (o HTTPOptions) withDefaults() HTTPOptions {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 20
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = MaxDepth
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 4
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 2 * time.Minute
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = 500 * time.Millisecond
	}
	if o.RateLimitWait <= 0 {
		o.RateLimitWait = DefaultRateLimitWait
	}
	if o.RateLimitBackoff <= 0 {
		o.RateLimitBackoff = DefaultRateLimitBackoff
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	if o.DecodeError == nil {
		o.DecodeError = DecodeErrorGeneric
	}
	if o.Redactor == nil {
		o.Redactor = NewRedactor()
	}
	return o
}

// Authorizer attaches a credential to a request. It is called only for requests to an origin
// the source allows.
type Authorizer interface {
	Authorize(ctx context.Context, req *http.Request) error
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(ctx context.Context, req *http.Request) error

// Authorize calls f.
func (f AuthorizerFunc) Authorize(ctx context.Context, req *http.Request) error { return f(ctx, req) }

// Renewer is an Authorizer whose credential can be renewed, such as *OAuth. When the API
// answers 401 to a request that carried it, HTTP invalidates that credential and tries once
// more with a new one.
type Renewer interface {
	Authorizer
	// Current is the credential in use ("" before the first one is fetched).
	Current() string
	// Invalidate forgets cred if it is still the current credential.
	Invalidate(cred string)
}

// secretSharer is an Authorizer that tells a Redactor its secrets (and, for OAuth, every
// access token it fetches later).
type secretSharer interface {
	shareSecrets(r *Redactor)
}

// HeaderAuth returns an Authorizer that sets header to value. NewHTTP adds value (and the
// credential after its scheme, as in "Bearer <key>") to the source's Redactor.
func HeaderAuth(header, value string) Authorizer {
	return headerAuth{header: header, value: value}
}

type headerAuth struct{ header, value string }

func (a headerAuth) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set(a.header, a.value)
	return nil
}

func (a headerAuth) shareSecrets(r *Redactor) { r.Add(a.value) }

// Origins is the set of origins a source may talk to (and send its credential to).
type Origins struct {
	exact    map[string]bool // "https://api.example.com:443"
	suffixes []string        // ".talkdesk.com": any https host under that domain
}

// NewOrigins builds an allow-list from absolute URLs or bare host names, and domain suffixes
// (written with a leading dot) that allow any https host under them. Every entry must pass
// CheckAllowedHost: plain http only on loopback, and a suffix names at least a registrable
// domain, so a credential is never sent unencrypted or to a whole public suffix.
func NewOrigins(entries ...string) (Origins, error) {
	o := Origins{exact: map[string]bool{}}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if err := CheckAllowedHost(e); err != nil {
			return Origins{}, err
		}
		switch {
		case strings.HasPrefix(e, "."):
			o.suffixes = append(o.suffixes, strings.ToLower(e))
		case strings.Contains(e, "://"):
			u, _ := url.Parse(e) // CheckAllowedHost parsed it
			o.exact[OriginOf(u)] = true
		default:
			o.exact[OriginOf(&url.URL{Scheme: "https", Host: e})] = true
		}
	}
	return o, nil
}

// OriginOf returns scheme://host:port of u, lower-cased, with the default port made explicit.
func OriginOf(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return scheme + "://" + host + ":" + port
}

// Allows reports whether u is on an allowed origin. Plain http to a host that is not loopback
// is never allowed, whatever the list says: a credential is never sent unencrypted.
func (o Origins) Allows(u *url.URL) bool {
	if u == nil || u.Host == "" {
		return false
	}
	if !strings.EqualFold(u.Scheme, "https") && !(strings.EqualFold(u.Scheme, "http") && IsLoopback(u.Hostname())) {
		return false
	}
	if o.exact[OriginOf(u)] {
		return true
	}
	if strings.EqualFold(u.Scheme, "https") {
		host := strings.ToLower(u.Hostname())
		for _, s := range o.suffixes {
			if strings.HasSuffix(host, s) {
				return true
			}
		}
	}
	return false
}

// CheckLink parses a paging link and refuses it unless it is absolute and on an allowed
// origin. The error wraps ErrForeignHost and names the host; nothing has been sent there.
func (o Origins) CheckLink(link string) (*url.URL, error) {
	u, err := url.Parse(link)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, &APIError{Kind: ErrBadResponse, Message: fmt.Sprintf("paging link %q is not an absolute URL", truncate(link, 200))}
	}
	if !o.Allows(u) {
		return nil, &APIError{Kind: ErrForeignHost, Endpoint: Endpoint(u),
			Message: fmt.Sprintf("refused to follow a paging link to %s (not an allowed host for this source; nothing was sent there)", u.Host)}
	}
	return u, nil
}

// Endpoint is u without its query and fragment, for errors and logs.
func Endpoint(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.RawQuery, c.Fragment, c.User = "", "", nil
	return c.String()
}

// HTTP is the shared, retrying, size-capped JSON-over-HTTP client of one source.
type HTTP struct {
	opts    HTTPOptions
	client  *http.Client
	allowed Origins
	renew   Renewer // auth, when its credential can be renewed after a 401
	scope   string  // the OAuth scope auth requests, named by a 403's error (APIError.Scope)
}

// NewHTTP returns an HTTP client that attaches auth (may be nil) only to requests on allowed
// origins, and never follows a redirect off them. When auth is a Renewer, a 401 from the API
// renews the credential and the request is tried once more.
func NewHTTP(opts HTTPOptions, allowed Origins, auth Authorizer) *HTTP {
	opts = opts.withDefaults()
	if ss, ok := auth.(secretSharer); ok {
		ss.shareSecrets(opts.Redactor)
	}
	if opts.Logger != nil {
		opts.Logger = slog.New(RedactHandler(opts.Logger.Handler(), opts.Redactor))
	}
	h := &HTTP{opts: opts, allowed: allowed}
	h.renew, _ = auth.(Renewer)
	if o, ok := auth.(*OAuth); ok {
		h.scope = o.scope()
	}
	h.client = &http.Client{
		Transport: &authTransport{base: opts.Transport, allowed: allowed, auth: auth},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !allowed.Allows(req.URL) {
				return &APIError{Kind: ErrForeignHost, Endpoint: Endpoint(req.URL),
					Message: fmt.Sprintf("refused a redirect to %s", req.URL.Host)}
			}
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
	return h
}

// Origins returns the origins this client may talk to.
func (h *HTTP) Origins() Origins { return h.allowed }

// Redactor is the source's Redactor: it knows the source's secrets.
func (h *HTTP) Redactor() *Redactor { return h.opts.Redactor }

// authTransport adds the credential only for allowed origins and sets the User-Agent.
type authTransport struct {
	base    http.RoundTripper
	allowed Origins
	auth    Authorizer
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("User-Agent", "confab/"+Version)
	r.Header.Del("Authorization")
	if t.auth != nil && t.allowed.Allows(r.URL) {
		if err := t.auth.Authorize(r.Context(), r); err != nil {
			return nil, err
		}
	}
	return t.base.RoundTrip(r)
}

// RetryEvent tells an observer that a request is about to be retried after Wait.
type RetryEvent struct {
	Endpoint string
	Attempt  int           // 1 for the first retry
	Wait     time.Duration // how long until the retry
	Err      error         // why (an *APIError)
}

type retryKey struct{}

// WithRetryNotify returns a context whose requests report each retry to fn (for countdowns).
func WithRetryNotify(ctx context.Context, fn func(RetryEvent)) context.Context {
	return context.WithValue(ctx, retryKey{}, fn)
}

// NotifyRetry reports ev to the observer that WithRetryNotify put in ctx, if there is one.
// Sources with retry loops of their own, and test fakes, use it to report their waits.
func NotifyRetry(ctx context.Context, ev RetryEvent) {
	if fn, _ := ctx.Value(retryKey{}).(func(RetryEvent)); fn != nil {
		fn(ev)
	}
}

type noRetryKey struct{}

// WithoutRetries returns a context whose requests are sent once: the HTTP layer gives up at
// the first 429 (whatever its Retry-After), 5xx, network error or unreadable body, without
// waiting, and returns the usual *APIError (a 429 is still ErrRateLimited, with the vendor's
// RetryAfter). It is for speculative requests, such as the TUI's prefetch, that should not
// press a vendor that said "slow down"; a user's own request keeps the source's retries. A
// 401 still renews an OAuth token and tries once more (that is no retry of a failure), and a
// walk over several pages still sends one request per page.
func WithoutRetries(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey{}, true)
}

// retriesOff reports whether ctx was made by WithoutRetries (or derives from one).
func retriesOff(ctx context.Context) bool {
	off, _ := ctx.Value(noRetryKey{}).(bool)
	return off
}

// GetJSON GETs rawURL and decodes its JSON body into v, retrying as Get does; a body that is
// not valid JSON is retried like a 5xx, then reported as ErrBadResponse.
func (h *HTTP) GetJSON(ctx context.Context, rawURL string, v any) error {
	return h.do(ctx, rawURL, func(body []byte) error {
		if err := json.Unmarshal(body, v); err != nil {
			return fmt.Errorf("malformed JSON: %w", err)
		}
		return nil
	})
}

// GetDecoded GETs rawURL and hands its body to decode, retrying as Get does; a body decode
// rejects (malformed or cut short) is retried like a 5xx, then reported as ErrBadResponse
// naming the endpoint, the status and decode's error. decode may be called more than once and
// must start afresh each time; it may keep body.
// opts change every request of the call (each attempt), e.g. WithHeader.
func (h *HTTP) GetDecoded(ctx context.Context, rawURL string, decode func(body []byte) error, opts ...RequestOption) error {
	return h.do(ctx, rawURL, decode, opts...)
}

// RequestOption changes the headers of the requests of one GetDecoded call.
type RequestOption func(http.Header)

// WithHeader sets the header key to value on every request of the call.
func WithHeader(key, value string) RequestOption {
	return func(hd http.Header) { hd.Set(key, value) }
}

// Get GETs rawURL and returns its body, retrying idempotently on 429 (honouring Retry-After),
// 5xx and network errors with exponential backoff and jitter, within MaxRetries and MaxWait;
// under WithoutRetries it sends the request once.
func (h *HTTP) Get(ctx context.Context, rawURL string) ([]byte, error) {
	var out []byte
	err := h.do(ctx, rawURL, func(body []byte) error { out = body; return nil })
	return out, err
}

// do is try with every error it returns redacted with the source's secrets.
func (h *HTTP) do(ctx context.Context, rawURL string, accept func([]byte) error, opts ...RequestOption) error {
	err := h.try(ctx, rawURL, accept, opts)
	var ae *APIError
	if errors.As(err, &ae) {
		ae.sealWith(h.opts.Redactor)
		if ae.Kind == ErrForbidden && ae.Scope == "" {
			ae.Scope = h.scope
		}
	}
	return err
}

func (h *HTTP) try(ctx context.Context, rawURL string, accept func([]byte) error, opts []RequestOption) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return &APIError{Kind: ErrBadResponse, Message: "bad URL", Err: err}
	}
	if !h.allowed.Allows(u) {
		return &APIError{Kind: ErrForeignHost, Endpoint: Endpoint(u),
			Message: fmt.Sprintf("refused to send a request to %s (not an allowed host for this source)", u.Host)}
	}
	var waited time.Duration // waiting on 5xx and network errors, bounded by MaxWait
	retries := 0             // retries of 5xx and network errors, bounded by MaxRetries
	// 429s have their own budget (RateLimitWait) and count.
	var limitedWait time.Duration
	limited := 0
	renewed := false
	maxRetries := h.opts.MaxRetries
	if retriesOff(ctx) {
		maxRetries = 0
	}
	for attempt := 0; ; attempt++ {
		used := ""
		if h.renew != nil {
			used = h.renew.Current()
		}
		err := h.once(ctx, u, accept, opts)
		if err == nil {
			return nil
		}
		var ae *APIError
		if errors.As(err, &ae) {
			ae.sealWith(h.opts.Redactor) // before a retry event shows it
		}
		if ae != nil && ae.refused && h.renew != nil && !renewed {
			// The API refused the credential (revoked, or expired early): drop it and try
			// once more with a new one. This is not a retry of a failure, so it is not counted.
			renewed = true
			if used == "" {
				used = h.renew.Current() // fetched during the request
			}
			h.renew.Invalidate(used)
			attempt--
			continue
		}
		if ae == nil || !retryable(ae) || ctx.Err() != nil {
			return err
		}
		var wait time.Duration
		if ae.Kind == ErrRateLimited {
			// A rate limit is waited out patiently, within its own time budget: vendors
			// document no numbers, and their own scripts sleep a minute or more.
			wait = ae.RetryAfter
			if wait <= 0 {
				wait = rateBackoff(h.opts.RateLimitBackoff, limited)
			}
			left := h.opts.RateLimitWait - limitedWait
			if maxRetries == 0 || left <= 0 || (ae.RetryAfter > 0 && wait > left) {
				// Retries are off, the budget is spent, or the vendor asks for longer than
				// is left of it.
				ae.Attempts = attempt + 1
				ae.waited = limitedWait
				return err
			}
			wait = min(wait, left) // the last wait uses what is left of the budget
			limited++
			limitedWait += wait
		} else {
			wait = h.backoff(retries)
			limit := maxRetries
			if ae.Kind == ErrConnect {
				limit = min(limit, maxConnectRetries)
			}
			if retries >= limit || waited+wait > h.opts.MaxWait {
				ae.Attempts = attempt + 1 // the message says confab already retried
				return err
			}
			retries++
			waited += wait
		}
		NotifyRetry(ctx, RetryEvent{Endpoint: ae.Endpoint, Attempt: attempt + 1, Wait: wait, Err: err})
		h.log(ctx, "retry", "endpoint", ae.Endpoint, "attempt", attempt+1, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return &APIError{Kind: ErrUnavailable, Endpoint: ae.Endpoint, Message: "cancelled while waiting to retry", Err: ctx.Err()}
		case <-t.C:
		}
	}
}

// maxConnectRetries is how often a refused connection is retried: once, as a service may be
// restarting, but a wrong port should not cost the whole backoff.
const maxConnectRetries = 1

func retryable(e *APIError) bool {
	switch e.Kind {
	case ErrRateLimited, ErrUnavailable:
		return true
	case ErrBadResponse:
		return e.transient
	case ErrConnect:
		return e.connect == "refused" // DNS and TLS failures do not fix themselves
	}
	return false
}

// Defaults of the rate-limit policy: a 429 without Retry-After waits 2 s, then 4, 8, … up to
// a minute per wait (each with jitter), for at most three minutes in all. The vendors publish
// no limits; Moveworks' own export script sleeps 60 s on a 429 (APIS.md §1.7), so the budget
// covers more than one such window.
const (
	DefaultRateLimitWait    = 3 * time.Minute
	DefaultRateLimitBackoff = 2 * time.Second
	RateLimitMaxStep        = time.Minute
)

// rateBackoff is the wait before retry n (0-based) after a 429 without Retry-After:
// first·2ⁿ capped at RateLimitMaxStep, with jitter in [d/2, d) — never below first/2.
func rateBackoff(first time.Duration, n int) time.Duration {
	d := first << min(n, 20)
	if d > RateLimitMaxStep || d <= 0 {
		d = max(RateLimitMaxStep, first)
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func (h *HTTP) backoff(attempt int) time.Duration {
	d := h.opts.BaseBackoff << min(attempt, 10)
	// full jitter in [d/2, d)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func (h *HTTP) log(ctx context.Context, msg string, args ...any) {
	if h.opts.Logger != nil {
		h.opts.Logger.DebugContext(ctx, msg, args...)
	}
}

func (h *HTTP) once(ctx context.Context, u *url.URL, accept func([]byte) error, opts []RequestOption) error {
	ep := Endpoint(u)
	actx, cancel := context.WithTimeout(ctx, h.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return &APIError{Kind: ErrBadResponse, Endpoint: ep, Message: "bad request", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	for _, o := range opts {
		o(req.Header)
	}
	start := time.Now()
	resp, err := h.client.Do(req)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) {
			return ae
		}
		if ctx.Err() != nil {
			return &APIError{Kind: ErrUnavailable, Endpoint: ep, Message: "cancelled", Err: ctx.Err()}
		}
		if actx.Err() != nil {
			return &APIError{Kind: ErrUnavailable, Endpoint: ep, Message: fmt.Sprintf("timed out after %s", h.opts.Timeout)}
		}
		return networkError(ep, u.Host, err)
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, h.opts.MaxBody+1))
	h.log(ctx, "GET", "url", u.String(), "status", resp.StatusCode, "bytes", len(body), "elapsed", time.Since(start))
	if rerr != nil {
		if ctx.Err() != nil {
			return &APIError{Kind: ErrUnavailable, Endpoint: ep, Message: "cancelled", Err: ctx.Err()}
		}
		if actx.Err() != nil {
			return &APIError{Kind: ErrUnavailable, Endpoint: ep, Status: resp.StatusCode,
				Message: fmt.Sprintf("timed out after %s reading the response body", h.opts.Timeout)}
		}
		return &APIError{Kind: ErrBadResponse, Endpoint: ep, Status: resp.StatusCode, Message: "the response body was cut off", Err: rerr, transient: true}
	}
	if int64(len(body)) > h.opts.MaxBody {
		return &APIError{Kind: ErrBadResponse, Endpoint: ep, Status: resp.StatusCode,
			Message: fmt.Sprintf("response larger than the %d-byte cap", h.opts.MaxBody)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if looksHTML(resp, body) {
			return &APIError{Kind: ErrBadResponse, Endpoint: ep, Status: resp.StatusCode, Message: "got an HTML page instead of JSON"}
		}
		if ct := resp.Header.Get("Content-Type"); !jsonContentType(ct) {
			return &APIError{Kind: ErrBadResponse, Endpoint: ep, Status: resp.StatusCode,
				Message: fmt.Sprintf("wrong content type %q (want JSON)", truncate(ct, 80))}
		}
		// Refused before any decoder recurses into it; not transient: the same body would
		// come again.
		if err := CheckDepth(body, h.opts.MaxDepth); err != nil {
			return &APIError{Kind: ErrBadResponse, Endpoint: ep, Status: resp.StatusCode, Message: err.Error(), Err: err}
		}
		// A credential the vendor echoed into its data goes no further (views, exports,
		// the local store).
		body = h.opts.Redactor.ScrubKnown(body)
		if err := accept(body); err != nil {
			return &APIError{Kind: ErrBadResponse, Endpoint: ep, Status: resp.StatusCode, Message: err.Error(), Err: err, transient: true}
		}
		return nil
	}
	code, msg := "", ""
	if !looksHTML(resp, body) && CheckDepth(body, h.opts.MaxDepth) == nil {
		code, msg = h.opts.DecodeError(resp.StatusCode, body)
	}
	ae := &APIError{Endpoint: ep, Status: resp.StatusCode, Code: code, Message: msg}
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		ae.Kind = ErrAuth
		ae.refused = true
	case s == http.StatusForbidden:
		// The credential is valid but lacks a scope or role: a new token would not help.
		ae.Kind = ErrForbidden
	case s == http.StatusTooManyRequests:
		ae.Kind = ErrRateLimited
		ae.RetryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	case s == http.StatusNotFound:
		ae.Kind = ErrNotFound
	case s == http.StatusBadRequest || s == http.StatusUnprocessableEntity:
		ae.Kind = ErrBadFilter
	case s >= 500:
		ae.Kind = ErrUnavailable
	default:
		ae.Kind = ErrBadResponse
	}
	if ae.Message == "" {
		ae.Message = http.StatusText(resp.StatusCode)
	}
	return ae
}

func looksHTML(resp *http.Response, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "text/html" {
		return true
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] == '<'
}

// jsonContentType reports whether a 2xx response's Content-Type may hold JSON: none at all,
// application/json or any +json type, text/json, NDJSON, or text/plain (which some gateways
// put on JSON). XML, images, octet streams and the like are a wrong content type.
func jsonContentType(ct string) bool {
	if strings.TrimSpace(ct) == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch {
	case mt == "application/json", mt == "text/json", mt == "text/plain",
		mt == "application/x-ndjson", mt == "application/ndjson", strings.HasSuffix(mt, "+json"):
		return true
	}
	return false
}

func describeNetErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// networkError classifies a request to host that got no answer: a name that does not
// resolve, a failed TLS handshake and a refused connection are ErrConnect and say which host
// and what failed; anything else (a reset, an EOF) is ErrUnavailable.
func networkError(ep, host string, err error) *APIError {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var header tls.RecordHeaderError
	var alert tls.AlertError
	var echErr *tls.ECHRejectionError
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	switch {
	case errors.As(err, &dnsErr):
		what := "the name does not exist"
		switch {
		case dnsErr.IsTimeout:
			what = "the DNS lookup timed out"
		case !dnsErr.IsNotFound:
			what = dnsErr.Err
		}
		return &APIError{Kind: ErrConnect, Endpoint: ep, network: true, connect: "dns", Err: err,
			Message: fmt.Sprintf("cannot resolve host %s (DNS: %s): check base_url/region", name, what)}
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid),
		errors.As(err, &header), errors.As(err, &alert), errors.As(err, &echErr), isTLSText(err):
		return &APIError{Kind: ErrConnect, Endpoint: ep, network: true, connect: "tls", Err: err,
			Message: fmt.Sprintf("TLS handshake with %s failed: %s", name, tlsCause(err))}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &APIError{Kind: ErrConnect, Endpoint: ep, network: true, connect: "refused", Err: err,
			Message: fmt.Sprintf("connection to %s refused (nothing listens there)", host)}
	}
	return &APIError{Kind: ErrUnavailable, Endpoint: ep, Message: describeNetErr(err), network: true}
}

// plainHTTPAnswer is how net/http reports a TLS record header that is plain HTTP.
const plainHTTPAnswer = "server gave HTTP response to HTTPS client"

// isTLSText catches handshake failures the tls and http packages report as plain errors.
func isTLSText(err error) bool {
	s := err.Error()
	return strings.Contains(s, "tls: ") && strings.Contains(s, "handshake") || strings.Contains(s, plainHTTPAnswer)
}

// tlsCause is the innermost useful text of a TLS failure ("x509: certificate signed by
// unknown authority").
func tlsCause(err error) string {
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) && certErr.Err != nil {
		return certErr.Err.Error()
	}
	var header tls.RecordHeaderError
	if errors.As(err, &header) || strings.Contains(err.Error(), plainHTTPAnswer) {
		return "the server did not answer with TLS; is base_url's scheme (https or http) or port right?"
	}
	s := describeNetErr(err)
	if i := strings.LastIndex(s, "tls: "); i >= 0 {
		return s[i:]
	}
	if i := strings.LastIndex(s, "x509: "); i >= 0 {
		return s[i:]
	}
	return s
}

// ParseRetryAfter reads a Retry-After header (seconds or an HTTP date) relative to now;
// 0 when absent or unreadable.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// DecodeErrorGeneric reads the common error bodies: {code,message}, {"error":{code,message}},
// {message}, {error, error_description}. Anything else yields no code and a short excerpt.
func DecodeErrorGeneric(_ int, body []byte) (code, message string) {
	var e struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Error   json.RawMessage `json:"error"`
		Desc    string          `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", truncate(strings.TrimSpace(string(body)), 200)
	}
	code = strings.Trim(string(e.Code), `"`)
	message = e.Message
	if len(e.Error) > 0 {
		var inner struct {
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
		}
		var s string
		if json.Unmarshal(e.Error, &inner) == nil && (inner.Message != "" || len(inner.Code) > 0) {
			code, message = strings.Trim(string(inner.Code), `"`), inner.Message
		} else if json.Unmarshal(e.Error, &s) == nil {
			code = s
			if message == "" {
				message = e.Desc
			}
		}
	}
	return code, message
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
