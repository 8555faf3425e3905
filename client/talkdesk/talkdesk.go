// Package talkdesk is confab's client of Talkdesk's "Retrieve all Interactions" endpoint of
// the Conversations API (APIS.md §2): GET {base}/conversations/interactions over a time
// window of at most seven days, paged by following `_links.next.href` verbatim.
//
// A user asks for any time range (default: the last seven days); the Source walks it as
// consecutive windows of at most seven days, newest first, each followed through its cursor
// pages, and presents the whole range as one lazily loaded list. Windows are [start, end),
// consecutive windows share an edge, and nothing before 2023-05-01 (when Talkdesk's data
// starts) is asked for. An interaction is a Conversation; its messages are its thread.
//
// It authenticates with OAuth2 client credentials (HTTP Basic client authentication, scope
// interactions-public:read), keeps the token in memory, refreshes it on expiry and once on
// a 401, and sends it only to the origins the source allows: the base URL's, Talkdesk's
// official domains, and the configured allowed hosts.
package talkdesk

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/confab-dev/confab/client"
)

// Kind is the vendor kind of this source.
const Kind = "talkdesk"

// Scope is the OAuth2 scope the interactions endpoint requires.
const Scope = "interactions-public:read"

// Path is the interactions endpoint under the base URL.
const Path = "/conversations/interactions"

// MaxWindow is the longest window one request may ask for.
const MaxWindow = 7 * 24 * time.Hour

// MaxPageSize is the largest page size confab asks for.
const MaxPageSize = 100

// DataStart is when Talkdesk's Conversations API data begins (APIS.md §2.6): no window
// reaches before it.
var DataStart = time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)

// DefaultTimeLayout formats window bounds: RFC 3339, UTC, microseconds.
const DefaultTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// DefaultLookBack is how far back Conversation searches for an id by default.
const DefaultLookBack = 30 * 24 * time.Hour

// TimeFormats are the names Config.TimeFormat accepts for the window parameters (APIS.md
// §2.4: the format was not captured): RFC 3339 in UTC with microseconds (the default, like
// the response's own times), milliseconds, nanoseconds (as many digits as needed) or whole
// seconds, or a Unix time in seconds or milliseconds.
var TimeFormats = []string{"rfc3339micro", "rfc3339milli", "rfc3339nano", "rfc3339", "unix", "unix_ms"}

// timeFormatter returns the formatter of a TimeFormats name ("" is the default).
func timeFormatter(name string) (func(time.Time) string, bool) {
	layout := func(l string) func(time.Time) string {
		return func(t time.Time) string { return t.UTC().Format(l) }
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "rfc3339micro":
		return layout(DefaultTimeLayout), true
	case "rfc3339milli":
		return layout("2006-01-02T15:04:05.000Z07:00"), true
	case "rfc3339nano":
		return layout(time.RFC3339Nano), true
	case "rfc3339":
		return layout(time.RFC3339), true
	case "unix":
		return func(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }, true
	case "unix_ms":
		return func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }, true
	}
	return nil, false
}

// regions are the API base URLs (APIS.md §2.2) and the domains of their token hosts.
var regions = map[string]struct{ api, tokenDomain string }{
	"us": {"https://api.talkdeskapp.com", "talkdeskid.com"},
	"eu": {"https://api.talkdeskapp.eu", "talkdeskid.eu"},
	"ca": {"https://api.talkdeskappca.com", "talkdeskidca.com"},
}

// officialDomains are Talkdesk's domains, allowed by default for paging links.
var officialDomains = []string{".talkdesk.com", ".talkdeskapp.com", ".talkdeskapp.eu", ".talkdeskappca.com"}

// Config configures a Talkdesk source.
type Config struct {
	Name     string
	Region   string // us (default), eu or ca
	BaseURL  string // overrides Region, e.g. the mock's http://127.0.0.1:8701
	Account  string // the Talkdesk account, for the default token URL
	TokenURL string // overrides https://{account}.talkdeskid.com/oauth/token (per region)
	ClientID string
	Secret   string // the OAuth client secret; never logged, never in errors
	Scope    string // default interactions-public:read

	// PageSize is the page size asked for (the limit parameter); 0 lets the server decide.
	PageSize int
	// Window is the length of one request window; default and maximum seven days.
	Window time.Duration
	// ParamStart, ParamEnd and ParamLimit name the window and page-size query parameters;
	// default start_date, end_date and limit (APIS.md §2.4: not captured, so configurable).
	ParamStart, ParamEnd, ParamLimit string
	// TimeFormat names the format of the window bounds, one of TimeFormats; default
	// rfc3339micro. TimeLayout, when set, is a Go time layout that overrides it.
	TimeFormat string
	// TimeLayout formats the window bounds (in UTC) with a Go layout; overrides TimeFormat.
	TimeLayout string
	// AllowedHosts are further origins paging links may go to.
	AllowedHosts []string
	// LookBack bounds Conversation's search for an id (the API has no lookup by id);
	// default DefaultLookBack (30 days).
	LookBack time.Duration
	// MaxRequests bounds the requests one Conversations call makes while skipping empty
	// windows and pages that the filter emptied; default 20.
	MaxRequests int
	// MaxWindows bounds the windows one listing may walk (Query.MaxWindows overrides it): a
	// range that needs more is refused before any request; 0: client.DefaultMaxWindows,
	// negative: no limit. Talkdesk's data starting 2023-05-01 bounds a range anyway.
	MaxWindows int
	// Now is the clock (default time.Now), for the default window and relative filters.
	Now  func() time.Time
	HTTP client.HTTPOptions
}

// Source is a Talkdesk interactions source. It implements client.Source and is safe for
// concurrent use.
type Source struct {
	name                 string
	base                 string
	pageSize             int
	window               time.Duration
	pStart, pEnd, pLimit string
	format               func(time.Time) string // formats window bounds
	lookBack             time.Duration
	maxRequests          int
	maxWindows           int
	now                  func() time.Time
	http                 *client.HTTP
	pager                *client.Pager // listing id -> its visited links and counts, for loops and limits
}

var _ client.Source = (*Source)(nil)

// New validates cfg and returns the source. It makes no request.
func New(cfg Config) (*Source, error) {
	fail := func(format string, args ...any) (*Source, error) {
		return nil, fmt.Errorf("talkdesk source %q: "+format, append([]any{cfg.Name}, args...)...)
	}
	region := strings.ToLower(strings.TrimSpace(cfg.Region))
	if region == "" {
		region = "us"
	}
	reg, ok := regions[region]
	if !ok {
		return fail("unknown region %q (use us, eu or ca, or set base_url)", cfg.Region)
	}
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if base == "" {
		base = reg.api
	}
	base = strings.TrimSuffix(base, Path)
	if _, err := client.CheckBaseURL(base); err != nil {
		return fail("base URL: %w", err)
	}
	tokenURL := strings.TrimSpace(cfg.TokenURL)
	if tokenURL == "" {
		if cfg.Account == "" {
			return fail("needs account (for https://{account}.%s/oauth/token) or token_url", reg.tokenDomain)
		}
		tokenURL = "https://" + cfg.Account + "." + reg.tokenDomain + "/oauth/token"
	}
	tu, err := client.CheckBaseURL(tokenURL)
	if err != nil {
		return fail("token URL: %w", err)
	}
	if cfg.ClientID == "" {
		return fail("%w: no OAuth client_id is configured", client.ErrAuth)
	}
	if cfg.Secret == "" {
		return fail("%w: no OAuth client secret is configured", client.ErrAuth)
	}
	origins, err := client.NewOrigins(append(append([]string{base}, officialDomains...), cfg.AllowedHosts...)...)
	if err != nil {
		return fail("%w", err)
	}
	s := &Source{name: cfg.Name, base: base, pageSize: min(cfg.PageSize, MaxPageSize), window: cfg.Window,
		pStart: cfg.ParamStart, pEnd: cfg.ParamEnd, pLimit: cfg.ParamLimit,
		lookBack: cfg.LookBack, maxRequests: cfg.MaxRequests, maxWindows: cfg.MaxWindows, now: cfg.Now, pager: client.NewPager(10_000)}
	s.pager.What, s.pager.Limits = "interactions of source "+cfg.Name, cfg.HTTP.Walk
	s.pager.Advice = "narrow the range (--since/--until, or since:/until: in the filter)"
	switch {
	case s.window <= 0:
		s.window = MaxWindow
	case s.window > MaxWindow:
		return fail("window %s is longer than Talkdesk's 7-day limit", cfg.Window)
	case s.window < time.Minute:
		return fail("window %s is shorter than a minute", cfg.Window)
	}
	for _, p := range []*string{&s.pStart, &s.pEnd, &s.pLimit} {
		*p = strings.TrimSpace(*p)
	}
	if s.pStart == "" {
		s.pStart = "start_date"
	}
	if s.pEnd == "" {
		s.pEnd = "end_date"
	}
	if s.pLimit == "" {
		s.pLimit = "limit"
	}
	if layout := cfg.TimeLayout; layout != "" {
		s.format = func(t time.Time) string { return t.UTC().Format(layout) }
	} else if s.format, ok = timeFormatter(cfg.TimeFormat); !ok {
		return fail("time format %q is not one of %s", cfg.TimeFormat, strings.Join(TimeFormats, ", "))
	}
	if s.lookBack <= 0 {
		s.lookBack = DefaultLookBack
	}
	if s.maxRequests <= 0 {
		s.maxRequests = 20
	}
	if s.now == nil {
		s.now = time.Now
	}
	scope := cfg.Scope
	if scope == "" {
		scope = Scope
	}
	opts := cfg.HTTP
	if opts.DecodeError == nil {
		opts.DecodeError = decodeError
	}
	tokens := client.NewOAuth(client.OAuthConfig{ClientID: cfg.ClientID, Secret: cfg.Secret, TokenURL: tu,
		Scopes: strings.Fields(scope), AuthStyle: oauth2.AuthStyleInHeader, HTTP: opts, Hint: "confab auth login " + cfg.Name})
	s.http = client.NewHTTP(opts, origins, tokens)
	return s, nil
}

// decodeError reads Talkdesk's {code, message, description, fields[]} error body
// (APIS.md §2.7), and the OAuth {error, error_description} one.
func decodeError(status int, body []byte) (code, message string) {
	var e struct {
		Code        json.RawMessage `json:"code"`
		Message     string          `json:"message"`
		Description string          `json:"description"`
		Fields      []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"fields"`
	}
	if json.Unmarshal(body, &e) != nil || (len(e.Code) == 0 && e.Message == "") {
		return client.DecodeErrorGeneric(status, body)
	}
	parts := []string{}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	if e.Description != "" && e.Description != e.Message {
		parts = append(parts, e.Description)
	}
	for _, f := range e.Fields {
		parts = append(parts, strings.TrimSpace(f.Name+" "+f.Description))
	}
	return strings.Trim(string(e.Code), `"`), strings.Join(parts, "; ")
}

// Name is the configured source name.
func (s *Source) Name() string { return s.name }

// Kind is "talkdesk".
func (s *Source) Kind() string { return Kind }

// BaseURL is the base URL the source talks to.
func (s *Source) BaseURL() string { return s.base }

// FilterSpec is the Talkdesk filter language (see filter.go).
func (s *Source) FilterSpec() client.FilterSpec { return spec{now: s.now} }

// get GETs link and decodes the page; size is the body's length. A 401 from the API (not
// from the token endpoint) drops the token and tries once more with a new one (client.HTTP
// with a client.Renewer).
func (s *Source) get(ctx context.Context, link string) (pg *page, size int, err error) {
	err = s.http.GetDecoded(ctx, link, func(body []byte) error {
		pg, size = &page{}, len(body)
		if err := json.Unmarshal(body, pg); err != nil {
			return fmt.Errorf("malformed JSON: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return pg, size, nil
}

// cursorState is what Page.Next encodes: the whole range, the current window, and the
// window's next link ("" for its first page).
type cursorState struct {
	Listing string `json:"l"`
	Since   int64  `json:"s"` // unix microseconds
	Until   int64  `json:"u"`
	Start   int64  `json:"ws"`
	End     int64  `json:"we"`
	Oldest  bool   `json:"o,omitempty"`
	Next    string `json:"n,omitempty"`
}

const cursorPrefix = "td1."

func (c cursorState) encode() string {
	b, _ := json.Marshal(c)
	return cursorPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursorState, error) {
	var c cursorState
	raw, ok := strings.CutPrefix(s, cursorPrefix)
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if !ok || err != nil || json.Unmarshal(b, &c) != nil || c.Start >= c.End || c.Since >= c.Until {
		return c, &client.APIError{Kind: client.ErrBadResponse, Message: "not a cursor this Talkdesk source issued"}
	}
	return c, nil
}

func (c cursorState) window() client.Window {
	return client.Window{Start: time.UnixMicro(c.Start).UTC(), End: time.UnixMicro(c.End).UTC()}
}

// windows is the walk of [since, until) in the source's windows.
func (s *Source) windows(since, until time.Time, oldest bool) client.Windows {
	return client.Windows{Since: since, Until: until, Size: s.window, Oldest: oldest}
}

// Range returns the time range q asks for: the intersection of q.Since/q.Until and the
// filter's since:/until:, by default the last seven days, never before DataStart, at
// microsecond precision. ok is false when the range is empty.
func (s *Source) Range(q client.Query) (since, until time.Time, ok bool, err error) {
	now := s.now()
	f, err := parseFilter(q.Filter, now)
	if err != nil {
		return time.Time{}, time.Time{}, false, err
	}
	return s.rangeOf(q, f, now)
}

func (s *Source) rangeOf(q client.Query, f filter, now time.Time) (since, until time.Time, ok bool, err error) {
	until = now
	if !q.Until.IsZero() {
		until = q.Until
	}
	if !f.until.IsZero() && (q.Until.IsZero() || f.until.Before(until)) {
		until = f.until
	}
	if q.Since.IsZero() && f.since.IsZero() {
		since = until.Add(-MaxWindow)
	} else {
		since = q.Since
		if f.since.After(since) {
			since = f.since
		}
	}
	if since.Before(DataStart) {
		since = DataStart
	}
	since, until = since.UTC().Truncate(time.Microsecond), until.UTC().Truncate(time.Microsecond)
	return since, until, until.After(since), nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// firstLink is the first page of window w.
func (s *Source) firstLink(w client.Window, pageSize int) string {
	v := url.Values{}
	v.Set(s.pStart, s.format(w.Start))
	v.Set(s.pEnd, s.format(w.End))
	if pageSize > 0 {
		v.Set(s.pLimit, strconv.Itoa(pageSize))
	}
	return s.base + Path + "?" + v.Encode()
}

// Progress formats a window as the footer shows it: its UTC days, "2026-11-08 … 2026-11-15".
func Progress(w client.Window) string {
	return w.Start.UTC().Format("2006-01-02") + " … " + w.End.UTC().Format("2006-01-02")
}

func newListingID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Conversations returns one page of the range q asks for. A page holds the rows of one
// vendor page that pass the filter's conditions; pages the conditions empty and windows
// without interactions are skipped (up to MaxRequests requests a call), so a page is empty
// only at the end or when that bound was reached. Next encodes the range, the window and its
// next link; Progress names the window the next page comes from. A first page whose range
// needs more windows than the limit (Query.MaxWindows, else Config.MaxWindows) is refused
// before any request with a *client.TooBroadError.
func (s *Source) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	now := s.now()
	f, err := parseFilter(q.Filter, now)
	if err != nil {
		return client.Page{}, err
	}
	var cur cursorState
	if cursor == "" {
		since, until, ok, _ := s.rangeOf(q, f, now)
		if !ok {
			return client.Page{Conversations: []client.Conversation{}, Total: 0}, nil
		}
		limit := q.MaxWindows
		if limit == 0 {
			limit = s.maxWindows
		}
		oldest := q.Order == client.OldestFirst
		ws := s.windows(since, until, oldest)
		if err := ws.Check(limit); err != nil {
			return client.Page{}, err
		}
		w := ws.First()
		cur = cursorState{Listing: newListingID(), Since: since.UnixMicro(), Until: until.UnixMicro(),
			Start: w.Start.UnixMicro(), End: w.End.UnixMicro(), Oldest: oldest}
	} else if cur, err = decodeCursor(cursor); err != nil {
		return client.Page{}, err
	}
	pageSize := s.pageSize
	if q.PageSize > 0 {
		pageSize = min(q.PageSize, MaxPageSize)
	}
	lst := s.pager.Listing(cur.Listing)
	ws := s.windows(time.UnixMicro(cur.Since).UTC(), time.UnixMicro(cur.Until).UTC(), cur.Oldest)
	rows := []client.Conversation{}
	for req := 0; ; req++ {
		w := cur.window()
		link := cur.Next
		if link == "" {
			link = s.firstLink(w, pageSize)
		} else if _, err := s.http.Origins().CheckLink(link); err != nil {
			return client.Page{}, err
		}
		pg, size, err := s.get(ctx, link)
		if err != nil {
			return client.Page{}, err
		}
		for _, raw := range pg.Embedded.Interactions {
			it, err := decodeInteraction(raw)
			if err != nil {
				return client.Page{}, &client.APIError{Kind: client.ErrBadResponse, Endpoint: client.EndpointOf(link), Status: http.StatusOK, Message: err.Error(), Err: err}
			}
			if f.match(it) {
				rows = append(rows, it.conversation(s.name))
			}
		}
		next := pg.next()
		nw, more := client.Window{}, true
		if next == "" {
			nw, more = ws.Next(w)
		}
		if err := lst.Read(link, size, len(pg.Embedded.Interactions), more); err != nil {
			return client.Page{}, err
		}
		switch {
		case next != "":
			if err := lst.Follow(link, next); err != nil {
				return client.Page{}, err
			}
			cur.Next = next
		case !more:
			return client.Page{Conversations: rows, Total: -1, Progress: Progress(w)}, nil
		default:
			cur.Start, cur.End, cur.Next = nw.Start.UnixMicro(), nw.End.UnixMicro(), ""
		}
		if len(rows) > 0 || req+1 >= s.maxRequests || ctx.Err() != nil {
			return client.Page{Conversations: rows, Next: cur.encode(), Total: -1, Progress: Progress(cur.window())}, nil
		}
	}
}

// Thread returns the messages of c in the order they were spoken (recording_index, then
// message_index, then message_start_at, then start_time; see sortMessages), each with its
// Seq, its speaker's name and its raw vendor record: the interaction record holds them all,
// so no request is made when c came from Conversations.
func (s *Source) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	raw := c.Raw
	if len(raw) == 0 {
		full, err := s.Conversation(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		raw = full.Raw
	}
	it, err := decodeInteraction(raw)
	if err != nil {
		return nil, &client.APIError{Kind: client.ErrBadResponse, Message: err.Error(), Err: err}
	}
	return it.interactions(), nil
}

// Conversation looks up one interaction by id. The API has no lookup by id, so it walks the
// windows of the last LookBack (default 30 days, never before DataStart) newest first; a
// *NotFoundError (errors.Is client.ErrNotFound) that says how far it looked when the id is
// not among them, a *client.WalkLimitError when the walk reached the source's walk limits.
func (s *Source) Conversation(ctx context.Context, id string) (client.Conversation, error) {
	until := s.now()
	// LookBack bounds this walk, not max_windows.
	q := client.Query{Since: until.Add(-s.lookBack), Until: until, PageSize: MaxPageSize, MaxWindows: -1}
	cursor := ""
	for {
		pg, err := s.Conversations(ctx, q, cursor)
		var wl *client.WalkLimitError
		if errors.As(err, &wl) {
			e := *wl
			e.What = fmt.Sprintf("the last %s of interactions while looking for id %s", lookBackText(s.lookBack), id)
			e.Advice = "the account has too many interactions to search for an id, or the server pages without end"
			return client.Conversation{}, &e
		}
		if err != nil {
			return client.Conversation{}, err
		}
		for _, c := range pg.Conversations {
			if c.ID == id {
				return c, nil
			}
		}
		if pg.Next == "" {
			break
		}
		cursor = pg.Next
	}
	since := maxTime(q.Since, DataStart)
	return client.Conversation{}, &NotFoundError{ID: id, LookBack: s.lookBack, Since: since.UTC(), Until: until.UTC()}
}

// NotFoundError is Conversation's answer when no interaction of the searched range has the
// id: it says how far back the search went. errors.Is(err, client.ErrNotFound) holds.
type NotFoundError struct {
	ID           string
	LookBack     time.Duration // the source's lookback
	Since, Until time.Time     // the range searched (Since is never before DataStart)
}

// Searched says how far the search looked: "searched the last 30 days, 2026-10-22 10:00 …
// 2026-11-21 10:00 UTC" (and when the range was cut at DataStart, that it was).
func (e *NotFoundError) Searched() string {
	const f = "2006-01-02 15:04"
	from := e.Since.UTC().Format(f)
	if !e.Since.After(DataStart) {
		from += " (when Talkdesk's data starts)"
	}
	return fmt.Sprintf("searched the last %s, %s … %s UTC", lookBackText(e.LookBack), from, e.Until.UTC().Format(f))
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%v: no interaction with id %q: %s; Talkdesk has no lookup by id, so a source's lookback bounds the search",
		client.ErrNotFound, e.ID, e.Searched())
}

// Is makes errors.Is(err, client.ErrNotFound) hold.
func (e *NotFoundError) Is(target error) bool { return target == client.ErrNotFound }

// lookBackText is a lookback as a person says it: "30 days", "1 day", "36h0m0s".
func lookBackText(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d == day:
		return "1 day"
	case d%day == 0:
		return fmt.Sprintf("%d days", d/day)
	}
	return d.String()
}
