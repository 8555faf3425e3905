package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/confab-dev/confab/client/sanitize"
)

// OAuthConfig configures OAuth2 client-credentials authentication.
type OAuthConfig struct {
	ClientID string
	Secret   string // the client secret: sent to TokenURL only, never logged
	TokenURL *url.URL
	Scopes   []string
	// AuthStyle is how the client authenticates to the token endpoint; zero tries HTTP Basic,
	// then the form.
	AuthStyle oauth2.AuthStyle
	// HTTP supplies the transport and the timeout of token requests.
	HTTP HTTPOptions
	// Hint is appended to the message when the token endpoint refuses the credentials.
	Hint string
}

// OAuth is an Authorizer for OAuth2 client credentials. It keeps the access token in memory
// only: fetched on first use, again when it expires, and again after Invalidate (which HTTP
// calls after a 401 from the API: OAuth is a Renewer). Token requests go to the token URL
// only and never follow a redirect. OAuth is safe for concurrent use.
type OAuth struct {
	cc       *clientcredentials.Config
	hc       *http.Client
	endpoint string
	secret   string
	hint     string

	mu  sync.Mutex
	tok *oauth2.Token
	// redactors learn every access token fetched (current and past ones stay known): the
	// token endpoint's own, and that of each HTTP client using this OAuth.
	redactors []*Redactor
}

// NewOAuth returns the authorizer for cfg.
func NewOAuth(cfg OAuthConfig) *OAuth {
	opts := cfg.HTTP.withDefaults()
	endpoint := Endpoint(cfg.TokenURL)
	opts.Redactor.AddBasic(cfg.ClientID, cfg.Secret)
	return &OAuth{
		redactors: []*Redactor{opts.Redactor},
		cc: &clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.Secret,
			TokenURL: cfg.TokenURL.String(), Scopes: cfg.Scopes, AuthStyle: cfg.AuthStyle},
		hc: &http.Client{Transport: depthTransport{base: opts.Transport, limit: opts.MaxDepth, endpoint: endpoint},
			Timeout: opts.Timeout,
			// The token request carries the secret: never follow a redirect anywhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		endpoint: endpoint,
		secret:   cfg.Secret,
		hint:     cfg.Hint,
	}
}

// Authorize sets "Authorization: Bearer <token>", fetching a token when needed.
func (o *OAuth) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := o.token(ctx)
	if err != nil {
		return err
	}
	tok.SetAuthHeader(req)
	return nil
}

// Current is the access token in use ("" before the first fetch), for Invalidate.
func (o *OAuth) Current() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.tok == nil {
		return ""
	}
	return o.tok.AccessToken
}

// Invalidate forgets tok if it is still the current token, so the next request fetches a new
// one (after the API refused it with a 401).
func (o *OAuth) Invalidate(tok string) {
	o.mu.Lock()
	if o.tok != nil && o.tok.AccessToken == tok {
		o.tok = nil
	}
	o.mu.Unlock()
}

func (o *OAuth) token(ctx context.Context) (*oauth2.Token, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.tok.Valid() {
		return o.tok, nil
	}
	tok, err := o.cc.Token(context.WithValue(ctx, oauth2.HTTPClient, o.hc))
	if err != nil {
		return nil, o.tokenError(ctx, err)
	}
	o.tok = tok
	for _, r := range o.redactors {
		r.Add(tok.AccessToken, tok.RefreshToken)
	}
	return tok, nil
}

// shareSecrets makes r remove the client secret, the Basic credentials and every access
// token, past and future.
func (o *OAuth) shareSecrets(r *Redactor) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r.AddBasic(o.cc.ClientID, o.secret)
	if o.tok != nil {
		r.Add(o.tok.AccessToken, o.tok.RefreshToken)
	}
	for _, have := range o.redactors {
		if have == r {
			return
		}
	}
	o.redactors = append(o.redactors, r)
}

// tokenError classifies a failed token request: a refusal is ErrAuth, a 5xx or 429 is
// ErrUnavailable, a host that cannot be reached is ErrConnect; the message never holds the
// secret.
func (o *OAuth) tokenError(ctx context.Context, err error) error {
	ae := o.classify(ctx, err)
	for _, r := range o.redactors {
		ae.sealWith(r)
	}
	return ae
}

func (o *OAuth) classify(ctx context.Context, err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae // from depthTransport
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return o.refusal(re)
	}
	if ctx.Err() != nil {
		return &APIError{Kind: ErrUnavailable, Endpoint: o.endpoint, Message: "cancelled", Err: ctx.Err()}
	}
	if host := hostOf(o.cc.TokenURL); host != "" {
		if ne := networkError(o.endpoint, host, err); ne.Kind == ErrConnect {
			return ne
		}
	}
	return &APIError{Kind: ErrUnavailable, Endpoint: o.endpoint,
		Message: "could not get an OAuth token: " + Scrub(err.Error(), o.secret)}
}

// maxDescription bounds the token endpoint's error_description shown in a message, in cells.
const maxDescription = 200

// notPermitted are the RFC 6749 §5.2 error codes that mean the client is known but may not
// have what it asked for (a scope, this grant type), rather than unknown credentials.
var notPermitted = map[string]bool{"invalid_scope": true, "unauthorized_client": true, "access_denied": true}

// refusal classifies a token endpoint's error answer and says what it said:
//   - 5xx and 429: ErrUnavailable;
//   - 403, or the codes invalid_scope, unauthorized_client and access_denied (sent with 400
//     by RFC 6749 §5.2): ErrForbidden, naming the scope requested;
//   - anything else (401 invalid_client, 400 invalid_grant, …): ErrAuth, bad credentials.
//
// The error code and error_description are read from the JSON or form body (x/oauth2 reads
// them only with the right content type); the description is redacted, made one line and
// cut short before it is shown.
func (o *OAuth) refusal(re *oauth2.RetrieveError) *APIError {
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	code, desc := re.ErrorCode, re.ErrorDescription
	if code == "" {
		code, desc = oauthErrorBody(re.Body)
	}
	desc = o.describe(desc)
	ae := &APIError{Endpoint: o.endpoint, Status: status, Code: o.describe(code), Description: desc, Scope: o.scope()}
	said := ""
	if desc != "" {
		said = ": " + desc
	}
	switch {
	case status >= 500 || status == http.StatusTooManyRequests:
		ae.Kind, ae.Message = ErrUnavailable, "the token endpoint is unavailable"+said
	case status == http.StatusForbidden || notPermitted[code]:
		ae.Kind = ErrForbidden
		ae.Message = "the token endpoint accepted the OAuth client but did not permit the request" + said
		if ae.Scope != "" {
			ae.Message += " (the client asked for the scope " + ae.Scope + ")"
		}
	default:
		ae.Kind = ErrAuth
		ae.Message = "the token endpoint refused the OAuth client credentials" + said + " (check the client id and secret"
		if o.hint != "" {
			ae.Message += ": " + o.hint
		}
		ae.Message += ")"
		if ae.Scope != "" && status == http.StatusUnauthorized {
			// Talkdesk answers 401 until a scope newly added to the client applies (§2.3).
			ae.Message += "; a scope newly granted to the client (" + ae.Scope + ") can take a few minutes to apply"
		}
	}
	return ae
}

// oauthErrorBody reads RFC 6749 §5.2's error and error_description from a JSON or form
// body, whatever its content type said.
func oauthErrorBody(body []byte) (code, desc string) {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) == nil {
		return e.Error, e.Description
	}
	if v, err := url.ParseQuery(string(body)); err == nil {
		return v.Get("error"), v.Get("error_description")
	}
	return "", ""
}

// describe makes vendor text fit for a message: every secret the source knows is removed
// first (so a cut cannot leave part of one), then the text is made one line of at most
// maxDescription cells. It is called with o.mu held.
func (o *OAuth) describe(s string) string {
	if s == "" {
		return ""
	}
	s = Scrub(s, o.secret)
	for _, r := range o.redactors { // o.mu is held (token)
		s = r.Redact(s)
	}
	return sanitize.Truncate(sanitize.Line(sanitize.Clip(s, 4096)), maxDescription, "…")
}

// scope is the scope the client requests ("" for none), space-separated.
func (o *OAuth) scope() string { return strings.Join(o.cc.Scopes, " ") }

// tokenBodyCap is how much of a token response golang.org/x/oauth2 reads.
const tokenBodyCap = 1 << 20

// depthTransport keeps a token response whose JSON nests deeper than limit from
// golang.org/x/oauth2's decoder, as HTTP does with its bodies: a 2xx is refused as an
// ErrBadResponse; an error status reaches x/oauth2 with an empty body, so it is classified by
// its status alone.
type depthTransport struct {
	base     http.RoundTripper
	limit    int
	endpoint string
}

func (t depthTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	head, rerr := io.ReadAll(io.LimitReader(resp.Body, tokenBodyCap))
	if derr := CheckDepth(head, t.limit); derr != nil {
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			resp.Body = http.NoBody
			return resp, nil
		}
		return nil, &APIError{Kind: ErrBadResponse, Endpoint: t.endpoint, Status: resp.StatusCode,
			Message: "token response: " + derr.Error(), Err: derr}
	}
	var rest io.Reader = resp.Body
	if rerr != nil {
		rest = errReader{rerr} // x/oauth2 reports the failed read as before
	}
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(head), rest), resp.Body}
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type readCloser struct {
	io.Reader
	io.Closer
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// Scrub removes secret from s, in case an underlying library echoed it.
func Scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "***")
}

// EndpointOf is Endpoint of a raw URL ("" when it does not parse).
func EndpointOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return Endpoint(u)
}

var _ Renewer = (*OAuth)(nil)
