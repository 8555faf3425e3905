// Package moveworks is confab's client of the Moveworks Data API (APIS.md §1): conversations
// are rows of /conversations, a thread is every /interactions row of the conversation, paged
// by following `@odata.nextLink` verbatim. It authenticates with an API key (raw or Bearer)
// or OAuth2 client credentials, and sends the credential only to the configured origin.
package moveworks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/odata"
)

// Kind is the vendor kind of this source.
const Kind = "moveworks"

// Regional base URLs from the vendor OpenAPI `servers` list (APIS.md §1.2).
//
// Conflict: the connector guide and the API-reference overview give the EU host as
// https://api.eu.moveworks.ai, while the OpenAPI says api.am-eu-central.moveworks.ai; confab
// follows the OpenAPI. Set BaseURL to use the other one.
var regions = map[string]string{
	"us":  "https://api.moveworks.ai/export/v1/records",
	"eu":  "https://api.am-eu-central.moveworks.ai/export/v1/records",
	"ca":  "https://api.am-ca-central.moveworks.ai/export/v1/records",
	"gov": "https://api.moveworksgov.ai/export/v1/records",
}

// Config configures a Moveworks source.
type Config struct {
	Name    string
	Region  string // us (default), eu, ca or gov; see regions
	BaseURL string // overrides Region, e.g. the mock's http://127.0.0.1:8700/export/v1/records
	Auth    string // "api_key" (default) or "oauth2"
	// KeyStyle is how an API key is sent: "raw" (default; `Authorization: <key>`, as the
	// vendor's own example sends it, APIS.md §1.3) or "bearer" (`Authorization: Bearer
	// <key>`, as other vendor pages show). On a 401 the error's hint suggests the other one.
	KeyStyle string
	TokenURL string // oauth2; default: scheme://host of the base URL + /oauth/v1/token
	ClientID string // oauth2
	Secret   string // the API key or the OAuth client secret; never logged, never in errors
	// PageSize asks the server for at most this many rows a page (`Prefer:
	// odata.maxpagesize`); 0 lets the server decide. Nothing documents that the Data API
	// honours it: it pages at its own size (probably 500, APIS.md §1.4), and confab takes
	// pages of any size. $top is never used for paging: it limits the whole result.
	PageSize     int
	AllowedHosts []string // extra origins paging links may go to
	HTTP         client.HTTPOptions
}

// Source is a Moveworks Data API source. It implements client.Source and is safe for
// concurrent use.
type Source struct {
	name     string
	base     string // base URL without a trailing slash
	pageSize int
	http     *client.HTTP
	pager    *client.Pager // next link -> the listing that produced it, for loop detection and limits
	walk     client.WalkLimits
	// otherStyle is the api_key_style a 401 suggests trying ("" for OAuth2).
	otherStyle string
}

var _ client.Source = (*Source)(nil)

// New validates cfg and returns the source. It makes no request.
func New(cfg Config) (*Source, error) {
	fail := func(format string, args ...any) (*Source, error) {
		return nil, fmt.Errorf("moveworks source %q: "+format, append([]any{cfg.Name}, args...)...)
	}
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if base == "" {
		region := strings.ToLower(strings.TrimSpace(cfg.Region))
		if region == "" {
			region = "us"
		}
		var ok bool
		if base, ok = regions[region]; !ok {
			return fail("unknown region %q (use us, eu, ca or gov, or set base_url)", cfg.Region)
		}
	}
	bu, err := client.CheckBaseURL(base)
	if err != nil {
		return fail("base URL: %w", err)
	}
	origins, err := client.NewOrigins(append([]string{base}, cfg.AllowedHosts...)...)
	if err != nil {
		return fail("%w", err)
	}
	if cfg.Secret == "" {
		return fail("%w: no API key or client secret is configured", client.ErrAuth)
	}
	s := &Source{name: cfg.Name, base: base, pageSize: cfg.PageSize, pager: client.NewPager(100_000), walk: cfg.HTTP.Walk}
	s.pager.What, s.pager.Limits = "conversations of source "+cfg.Name, cfg.HTTP.Walk
	s.pager.Advice = "narrow the range (a filter, or --since/--until)"
	// Error bodies are flat {code,message} or wrapped {"error":{…}}: the default
	// client.DecodeErrorGeneric reads both.
	opts := cfg.HTTP
	var auth client.Authorizer
	switch strings.ToLower(cfg.Auth) {
	case "", "api_key":
		value := cfg.Secret
		switch strings.ToLower(cfg.KeyStyle) {
		case "", "raw":
			s.otherStyle = "bearer"
		case "bearer":
			value = "Bearer " + cfg.Secret
			s.otherStyle = "raw"
		default:
			return fail("unknown key_style %q (use raw or bearer)", cfg.KeyStyle)
		}
		auth = client.HeaderAuth("Authorization", value)
	case "oauth2":
		if cfg.ClientID == "" {
			return fail("oauth2 needs a client_id")
		}
		tokenURL := cfg.TokenURL
		if tokenURL == "" {
			tokenURL = bu.Scheme + "://" + bu.Host + "/oauth/v1/token"
		}
		tu, err := client.CheckBaseURL(tokenURL)
		if err != nil {
			return fail("token URL: %w", err)
		}
		auth = client.NewOAuth(client.OAuthConfig{ClientID: cfg.ClientID, Secret: cfg.Secret, TokenURL: tu,
			HTTP: opts, Hint: "confab auth login " + cfg.Name})
	default:
		return fail("unknown auth %q (use api_key or oauth2)", cfg.Auth)
	}
	// auth goes to NewHTTP as it is, so an OAuth token the API refuses is renewed.
	s.http = client.NewHTTP(opts, origins, auth)
	return s, nil
}

// Name is the configured source name.
func (s *Source) Name() string { return s.name }

// Kind is "moveworks".
func (s *Source) Kind() string { return Kind }

// FilterSpec is OData $filter over the conversations collection.
func (s *Source) FilterSpec() client.FilterSpec { return odata.Spec(odata.Conversations) }

// Orders reports that the source lists newest or oldest first (Query.Order, $orderby).
func (s *Source) Orders() bool { return true }

// BaseURL is the base URL the source talks to.
func (s *Source) BaseURL() string { return s.base }

const stampLayout = "2006-01-02T15:04:05.000Z"

// ConversationsFilter returns the $filter the first page of q sends: q.Filter (validated),
// and q.Since/q.Until folded in as created_time bounds. An invalid filter is a
// *client.FilterError.
func ConversationsFilter(q client.Query) (string, error) {
	f := strings.TrimSpace(q.Filter)
	if _, err := odata.Parse(f, odata.Conversations); err != nil {
		return "", err
	}
	var parts []string
	if f != "" {
		parts = append(parts, f)
	}
	if !q.Since.IsZero() {
		parts = append(parts, "created_time ge '"+q.Since.UTC().Format(stampLayout)+"'")
	}
	if !q.Until.IsZero() {
		parts = append(parts, "created_time lt '"+q.Until.UTC().Format(stampLayout)+"'")
	}
	if len(parts) > 1 && f != "" {
		parts[0] = "(" + f + ")"
	}
	return strings.Join(parts, " and "), nil
}

// queryString encodes OData options with literal `$` keys and %20 for spaces.
func queryString(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[i])
		b.WriteByte('=')
		b.WriteString(strings.ReplaceAll(url.QueryEscape(kv[i+1]), "+", "%20"))
	}
	return b.String()
}

// prefer is the `Prefer: odata.maxpagesize=N` header of a request for pages of hint rows (0:
// the source's page size; none when that is 0 too).
func (s *Source) prefer(hint int) []client.RequestOption {
	n := s.pageSize
	if hint > 0 {
		n = hint
	}
	if n > 0 {
		return []client.RequestOption{client.WithHeader("Prefer", "odata.maxpagesize="+strconv.Itoa(n))}
	}
	return nil
}

// CheckOrderBy validates a $orderby for conversations: any field of the collection the vendor
// documents (APIS.md §1.4: id, created_time, last_updated_time, user_id, …), asc or desc,
// comma-separated. It returns the text as it is sent, normalised ("last_updated_time desc,
// id"); an error is a *client.FilterError naming the column, prefixed with "$orderby".
func (s *Source) CheckOrderBy(text string) (string, error) {
	keys, err := odata.ParseOrderBy(text, odata.Conversations)
	if err != nil {
		return "", fmt.Errorf("$orderby: %w", err)
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.String()
	}
	return strings.Join(parts, ", "), nil
}

// Conversations returns one page of conversations. The first page ("" cursor) sends the
// filter and the order (created_time); not $count, which the vendor documents for
// interactions only (APIS.md §1.4, M7): Page.Total is the vendor's @odata.count when it sends
// one anyway, else -1. Later pages GET the cursor, which is the
// previous page's @odata.nextLink, verbatim, and only on an allowed origin.
func (s *Source) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	var link string
	lst := s.pager.New()
	if cursor == "" {
		filter, err := ConversationsFilter(q)
		if err != nil {
			return client.Page{}, err
		}
		order := "created_time desc"
		if q.Order == client.OldestFirst {
			order = "created_time asc"
		}
		if q.OrderBy != "" {
			if order, err = s.CheckOrderBy(q.OrderBy); err != nil {
				return client.Page{}, err
			}
		}
		link = s.base + "/conversations?" + queryString("$filter", filter, "$orderby", order)
	} else {
		if _, err := s.http.Origins().CheckLink(cursor); err != nil {
			return client.Page{}, err
		}
		link = cursor
		lst = s.pager.Listing(cursor)
	}
	// The page reader (decode.go) is much faster than encoding/json; GetDecoded retries a
	// malformed body like a 5xx, then reports it as ErrBadResponse.
	var pg conversationsPage
	size := 0
	if err := s.http.GetDecoded(ctx, link, func(body []byte) error {
		pg, size = conversationsPage{source: s.name}, len(body)
		return pg.decode(body)
	}, s.prefer(q.PageSize)...); err != nil {
		return client.Page{}, s.explain(err)
	}
	if err := lst.Read(link, size, len(pg.rows), pg.next != ""); err != nil {
		return client.Page{}, err
	}
	if pg.next != "" {
		if err := lst.Follow(link, pg.next); err != nil {
			return client.Page{}, err
		}
		s.pager.Remember(pg.next, lst)
	}
	total := pg.count
	if total < 0 {
		total = -1
	}
	return client.Page{Conversations: pg.rows, Next: pg.next, Total: total}, nil
}

// explain gives a refused API key (401) a hint naming the other key style: the vendor's pages
// disagree on whether the key is sent raw or as a Bearer token (APIS.md §1.3).
func (s *Source) explain(err error) error {
	if err == nil || s.otherStyle == "" || !errors.Is(err, client.ErrAuth) {
		return err
	}
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized {
		return err
	}
	return &client.HintError{Err: err, Hint: client.Hint(err) + "; if the key is right, the API may want the other scheme: set api_key_style = \"" +
		s.otherStyle + "\" in the source's config"}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Thread returns every interaction of c ordered by created_time, following next links. The
// first request asks for $count=true (documented for interactions, APIS.md §1.4): the
// vendor's @odata.count sizes the result. The
// walk stops with a *client.WalkLimitError at the source's walk limits (HTTPOptions.Walk).
func (s *Source) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	link := s.base + "/interactions?" + queryString("$filter", "conversation_id eq "+quote(c.ID), "$orderby", "created_time asc", "$count", "true")
	lst := client.Listing{What: "interactions of conversation " + c.ID, Limits: s.walk,
		Advice: "the conversation is too large to load, or the server pages without end"}
	prefer := s.prefer(0)
	var out []client.Interaction
	for {
		var pg interactionsPage
		size := 0
		if err := s.http.GetDecoded(ctx, link, func(body []byte) error {
			pg, size = interactionsPage{}, len(body)
			return pg.decode(body)
		}, prefer...); err != nil {
			return nil, s.explain(err)
		}
		if out == nil {
			out = pg.rows
			if pg.count > len(out) && pg.next != "" {
				// Room for the whole thread, within reason (the count is the vendor's word).
				out = append(make([]client.Interaction, 0, min(pg.count, 100_000)), out...)
			}
		} else {
			out = append(out, pg.rows...)
		}
		if err := lst.Read(link, size, len(pg.rows), pg.next != ""); err != nil {
			return nil, err
		}
		if pg.next == "" {
			break
		}
		if err := lst.Follow(link, pg.next); err != nil {
			return nil, err
		}
		if _, err := s.http.Origins().CheckLink(pg.next); err != nil {
			return nil, err
		}
		link = pg.next
	}
	if out == nil {
		out = []client.Interaction{}
	}
	return out, nil
}

var _ client.Summarizer = (*Source)(nil)

// summaryLink is the one request Summary sends for conversation id: the conversation's
// first user interaction ($filter on the documented interaction fields conversation_id and
// actor, APIS.md §1.6; $orderby=created_time asc; $top=1, which limits the whole result).
func (s *Source) summaryLink(id string) string {
	return s.base + "/interactions?" + queryString("$filter", "conversation_id eq "+quote(id)+" and actor eq 'user'",
		"$orderby", "created_time asc", "$top", "1")
}

// Summary returns c's first user message (client.Summarizer): the text of its first user
// interaction (free text, or the button, link, form or upload it was), "" when it has none.
// It sends one request and follows no next link.
func (s *Source) Summary(ctx context.Context, c client.Conversation) (string, error) {
	var pg interactionsPage
	if err := s.http.GetDecoded(ctx, s.summaryLink(c.ID), func(body []byte) error {
		pg = interactionsPage{}
		return pg.decode(body)
	}); err != nil {
		return "", s.explain(err)
	}
	for _, it := range pg.rows {
		// A vendor that ignored $top or the filter: the first user row of this conversation.
		if it.ConversationID == c.ID && it.Actor == client.ActorUser {
			return it.Text, nil
		}
	}
	return "", nil
}

// Conversation looks up one conversation by id; ErrNotFound when there is none.
func (s *Source) Conversation(ctx context.Context, id string) (client.Conversation, error) {
	link := s.base + "/conversations?" + queryString("$filter", "id eq "+quote(id))
	var pg conversationsPage
	if err := s.http.GetDecoded(ctx, link, func(body []byte) error {
		pg = conversationsPage{source: s.name}
		return pg.decode(body)
	}); err != nil {
		return client.Conversation{}, s.explain(err)
	}
	for _, c := range pg.rows {
		if c.ID == id {
			return c, nil
		}
	}
	return client.Conversation{}, &client.APIError{Kind: client.ErrNotFound, Endpoint: client.EndpointOf(link),
		Message: fmt.Sprintf("no conversation with id %q", id)}
}
