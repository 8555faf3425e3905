// Package opendialog is confab's client of OpenDialog's "User Interactions" public API
// (APIS.md §3): GET {base}/user-interactions with a from/to range and allow-listed attribute
// filters, answering the user-sent messages grouped by user.
//
// The API has no paging and no notion of a conversation, so this package supplies both:
//   - the requested range is walked as consecutive windows (Config.Window, default one day,
//     aligned to multiples of the window in UTC), newest first (or oldest first:
//     Query.Order), one request per window, so a month of traffic loads lazily;
//   - a conversation is one user's run of messages with no gap longer than
//     Config.SessionTimeout (default 30 minutes). Its id is "<user id>@<first message time>",
//     stable across calls and orders, so `confab export` can address it. A run that touches
//     the edge of a window the walk goes on from is held back until the next window has been
//     read, and joined with its continuation there; the held-back runs travel in the page
//     cursor.
//
// OpenDialog returns only user messages; every conversation carries the attribute
// note = "bot replies are not part of this export" so views can say so. The user is named
// by chatbot_user_data (name, email: client.AttrUserName, client.AttrUserEmail); the other
// keys of a user object echo the request's filters and are not shown as user attributes.
package opendialog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// Kind is the vendor kind of this source.
const Kind = "opendialog"

// Defaults of the source settings.
const (
	DefaultWindow         = 24 * time.Hour
	DefaultSessionTimeout = 30 * time.Minute
	DefaultRange          = 7 * 24 * time.Hour
)

// NoteKey and Note are the conversation attribute that says the thread holds only the
// user's side.
const (
	NoteKey = "note"
	Note    = "bot replies are not part of this export"
)

// maxWindowsPerPage bounds the requests one Conversations call makes while it finds only
// empty windows; it then returns an empty page with a cursor so the caller stays responsive.
const maxWindowsPerPage = 14

// Config configures an OpenDialog source.
type Config struct {
	Name      string
	Workspace string // the workspace: https://{workspace}.cloud.opendialog.ai/public/api
	BaseURL   string // overrides Workspace, e.g. the mock's http://127.0.0.1:8702/public/api
	Token     string // the API token (Bearer); never logged, never in errors
	// Window is the length of one request window; 0: DefaultWindow.
	Window time.Duration
	// SessionTimeout is the longest gap within one conversation; 0: DefaultSessionTimeout.
	SessionTimeout time.Duration
	// DefaultRange is the range listed when neither the query nor the filter bounds it,
	// ending now; 0: DefaultRange.
	DefaultRange time.Duration
	// MaxWindows bounds the window requests one listing may need (Query.MaxWindows overrides
	// it): a range that needs more is refused before any request; 0: client.DefaultMaxWindows,
	// negative: no limit.
	MaxWindows   int
	AllowedHosts []string // extra origins the client may talk to
	HTTP         client.HTTPOptions
	// Now is the clock for the default range and relative times; nil: time.Now.
	Now func() time.Time
}

// Source is an OpenDialog User Interactions source. It implements client.Source and is safe
// for concurrent use (it holds no mutable state: pending sessions travel in the cursor).
type Source struct {
	name     string
	base     string
	window   time.Duration
	timeout  time.Duration
	defRange time.Duration
	maxWin   int
	now      func() time.Time
	http     *client.HTTP
	walk     client.WalkLimits // bounds a lookup by id (Conversation)
}

var _ client.Source = (*Source)(nil)

// New validates cfg and returns the source. It makes no request.
func New(cfg Config) (*Source, error) {
	fail := func(format string, args ...any) (*Source, error) {
		return nil, fmt.Errorf("opendialog source %q: "+format, append([]any{cfg.Name}, args...)...)
	}
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if base == "" {
		ws := strings.TrimSpace(cfg.Workspace)
		if ws == "" {
			return fail("set workspace or base_url")
		}
		base = "https://" + ws + ".cloud.opendialog.ai/public/api"
	}
	if _, err := client.CheckBaseURL(base); err != nil {
		return fail("base URL: %w", err)
	}
	origins, err := client.NewOrigins(append([]string{base}, cfg.AllowedHosts...)...)
	if err != nil {
		return fail("%w", err)
	}
	if cfg.Token == "" {
		return fail("%w: no API token is configured", client.ErrAuth)
	}
	if cfg.Window < 0 || cfg.SessionTimeout < 0 || cfg.DefaultRange < 0 {
		return fail("window, session_timeout and the default range must be positive")
	}
	if cfg.Window != 0 && cfg.Window < time.Minute {
		return fail("window %s is shorter than a minute", cfg.Window)
	}
	s := &Source{name: cfg.Name, base: base, window: cfg.Window, timeout: cfg.SessionTimeout,
		defRange: cfg.DefaultRange, maxWin: cfg.MaxWindows, now: cfg.Now, walk: cfg.HTTP.Walk}
	if s.window == 0 {
		s.window = DefaultWindow
	}
	s.window = s.window.Truncate(time.Second)
	if s.timeout == 0 {
		s.timeout = DefaultSessionTimeout
	}
	if s.defRange == 0 {
		s.defRange = DefaultRange
	}
	if s.now == nil {
		s.now = time.Now
	}
	opts := cfg.HTTP
	if opts.DecodeError == nil {
		opts.DecodeError = DecodeError
	}
	value := "Bearer " + cfg.Token
	s.http = client.NewHTTP(opts, origins, client.HeaderAuth("Authorization", value))
	return s, nil
}

// Name is the configured source name.
func (s *Source) Name() string { return s.name }

// Kind is "opendialog".
func (s *Source) Kind() string { return Kind }

// BaseURL is the base URL the source talks to.
func (s *Source) BaseURL() string { return s.base }

// FilterSpec is the name=value filter language (see ParseFilter).
func (s *Source) FilterSpec() client.FilterSpec { return Spec(s.now) }

// DecodeError reads OpenDialog's error bodies (APIS.md §3.5): Laravel's {"message",
// "errors": {field: [msgs]}} (the errors are appended as they are) and the export's
// {"error": "..."}. A body in neither shape is read as DecodeErrorGeneric reads it.
func DecodeError(status int, body []byte) (code, message string) {
	var e struct {
		Message json.RawMessage            `json:"message"`
		Errors  map[string]json.RawMessage `json:"errors"`
		Error   json.RawMessage            `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return client.DecodeErrorGeneric(status, body)
	}
	message = strings.TrimSpace(scalarText(e.Message))
	if message == "" {
		message = strings.TrimSpace(scalarText(e.Error))
	}
	if len(e.Errors) > 0 {
		keys := make([]string, 0, len(e.Errors))
		for k := range e.Errors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			var msgs []string
			if json.Unmarshal(e.Errors[k], &msgs) != nil {
				msgs = []string{scalarText(e.Errors[k])} // a single message, not a list
			}
			if msg := strings.TrimSpace(strings.Join(msgs, " ")); msg != "" {
				parts = append(parts, k+": "+msg)
			} else {
				parts = append(parts, k)
			}
		}
		if len(parts) > 0 {
			message = strings.TrimSpace(message + " (" + strings.Join(parts, "; ") + ")")
		}
	}
	if message == "" {
		return client.DecodeErrorGeneric(status, body)
	}
	return "", message
}

// apiTime is the API's from/to format (APIS.md §3.3), in UTC.
const apiTime = "2006-01-02 15:04:05"

// fetch GETs one window [from, to) and returns its user blocks. extra are the filter
// parameters. Messages outside [from, to) are dropped here, so the bounds' inclusivity on the
// server does not matter.
func (s *Source) fetch(ctx context.Context, from, to time.Time, extra []Param) ([]userBlock, error) {
	blocks, _, _, err := s.fetchSized(ctx, from, to, extra)
	return blocks, err
}

// fetchSized is fetch that also returns the request's link and the body's size, for a walk's
// limits.
func (s *Source) fetchSized(ctx context.Context, from, to time.Time, extra []Param) (blocks []userBlock, link string, size int, err error) {
	qto := to.Truncate(time.Second)
	if qto.Before(to) {
		qto = qto.Add(time.Second)
	}
	v := url.Values{}
	v.Set("from", from.UTC().Format(apiTime)) // Format drops the fraction: the floor
	v.Set("to", qto.UTC().Format(apiTime))
	for _, p := range extra {
		v.Set(p.Name, p.Value)
	}
	link = s.base + "/user-interactions?" + strings.ReplaceAll(v.Encode(), "+", "%20")
	// A malformed or cut-short body is retried like a 5xx, then an ErrBadResponse naming the
	// endpoint and status (client.HTTP.GetDecoded).
	if err := s.http.GetDecoded(ctx, link, func(body []byte) error {
		var derr error
		blocks, derr = decodeResponse(body)
		size = len(body)
		return derr
	}); err != nil {
		return nil, link, 0, s.explain(err)
	}
	for i := range blocks {
		b := &blocks[i]
		kept := b.msgs[:0]
		for _, m := range b.msgs {
			if !m.t.Before(from) && m.t.Before(to) {
				kept = append(kept, m)
			}
		}
		b.msgs = kept
	}
	return blocks, link, size, nil
}

// explain adds what to do to a refused token.
func (s *Source) explain(err error) error {
	var ae *client.APIError
	if errors.As(err, &ae) && errors.Is(err, client.ErrAuth) {
		c := *ae
		vendor := ""
		if c.Message != "" && c.Message != "Unauthorized" {
			vendor = " (" + c.Message + ")"
		}
		c.Message = fmt.Sprintf("OpenDialog refused the API token%s; it may have expired. Create a new token in OpenDialog "+
			"under Identity & Security → API Authorization, then replace it with 'confab auth login %s' or the "+
			"CONFAB_SECRET_ variable of this source", vendor, s.name)
		return &c
	}
	if errors.As(err, &ae) && errors.Is(err, client.ErrForbidden) {
		// OpenDialog has no scopes: a token carries the permissions of its creator (§3.2).
		c := *ae
		vendor := ""
		if c.Message != "" && c.Message != "Forbidden" {
			vendor = " (" + c.Message + ")"
		}
		c.Message = fmt.Sprintf("OpenDialog accepted the API token but does not permit reading user interactions with it%s: "+
			"a token carries the permissions of the user who created it, so create one as a user who may read them", vendor)
		return &c
	}
	return err
}

// queryRange resolves the range of q and its parsed filter: the intersection of
// q.Since/q.Until and the filter's from/to, else the DefaultRange ending now. from is
// inclusive, to exclusive.
func (s *Source) queryRange(q client.Query, f Filter) (from, to time.Time) {
	for _, t := range []time.Time{q.Until, f.To} {
		if !t.IsZero() && (to.IsZero() || t.Before(to)) {
			to = t
		}
	}
	if to.IsZero() {
		to = s.now()
	}
	for _, t := range []time.Time{q.Since, f.From} {
		if !t.IsZero() && (from.IsZero() || t.After(from)) {
			from = t
		}
	}
	if from.IsZero() {
		from = to.Add(-s.defRange)
	}
	return from.UTC(), to.UTC()
}

// windows is the walk of [from, to) in the source's windows, aligned to multiples of the
// window length since the Unix epoch.
func (s *Source) windows(from, to time.Time, asc bool) client.Windows {
	return client.Windows{Since: from, Until: to, Size: s.window, Oldest: asc, Aligned: true}
}

// checkWindows refuses a range whose walk needs more window requests than the limit: limit,
// else the source's max_windows (see client.CheckWindows).
func (s *Source) checkWindows(from, to time.Time, limit int) error {
	if limit == 0 {
		limit = s.maxWin
	}
	// The windows are aligned: the oldest one starts at the multiple of the window before from.
	return s.windows(from, to, false).Check(limit)
}

// Orders reports that the source lists newest or oldest first (Query.Order).
func (s *Source) Orders() bool { return true }

// Conversations returns the conversations of the next window(s) of q's range: newest first,
// or oldest first with q.Order OldestFirst (the walk goes the other way through the same
// windows and gives the same conversations, in the reverse order). The first page (""
// cursor) starts at the newest (oldest) window; Page.Next carries the position, the order
// and the sessions held back at the window's edge. Page.Progress names the window read last.
// A first page whose range needs more window requests than the limit (Query.MaxWindows, else
// Config.MaxWindows) is refused before any request with a *client.TooBroadError.
func (s *Source) Conversations(ctx context.Context, q client.Query, cursorText string) (client.Page, error) {
	f, err := ParseFilter(q.Filter, s.now())
	if err != nil {
		return client.Page{}, err
	}
	var cur cursor
	if cursorText == "" {
		from, to := s.queryRange(q, f)
		if !from.Before(to) {
			return client.Page{Total: -1}, nil
		}
		if err := s.checkWindows(from, to, q.MaxWindows); err != nil {
			return client.Page{}, err
		}
		cur = cursor{V: cursorVersion, From: from.UnixMicro(), To: to.UnixMicro(), End: to.UnixMicro()}
		if q.Order == client.OldestFirst {
			cur.Asc, cur.End = true, from.UnixMicro()
		}
	} else if cur, err = decodeCursor(cursorText); err != nil {
		return client.Page{}, err
	}
	from, to := time.UnixMicro(cur.From).UTC(), time.UnixMicro(cur.To).UTC()
	pos := time.UnixMicro(cur.End).UTC()
	pending := cur.Pending
	for _, r := range pending {
		if err := r.index(); err != nil {
			return client.Page{}, fmt.Errorf("opendialog: bad cursor: %w", err)
		}
	}
	ws := s.windows(from, to, cur.Asc)
	page := client.Page{Total: -1}
	for n := 0; ; n++ {
		// The window [start, end): the one ending at pos (newest first) or starting at pos.
		win := ws.At(pos)
		start, end := win.Start, win.End
		blocks, err := s.fetch(ctx, start, end, f.Params)
		if err != nil {
			return client.Page{}, err
		}
		final := ws.Last(win)
		var emit []*run
		emit, pending = s.assemble(blocks, pending, start, end, cur.Asc, final)
		page.Progress = fmt.Sprintf("%s … %s UTC", start.Format("2006-01-02 15:04"), end.Format("2006-01-02 15:04"))
		for _, r := range emit {
			page.Conversations = append(page.Conversations, r.conversation(s.name))
		}
		if final {
			if cur.Asc {
				page.Progress += " · end of range"
			} else {
				page.Progress += " · start of range"
			}
			return page, nil
		}
		pos = start
		if cur.Asc {
			pos = end
		}
		if len(page.Conversations) > 0 || n+1 >= maxWindowsPerPage {
			break
		}
	}
	next := cur
	next.End, next.Pending = pos.UnixMicro(), pending
	page.Next, err = next.encode()
	if err != nil {
		return client.Page{}, err
	}
	return page, nil
}

// assemble splits one window [start, end)'s messages into runs, joins the runs pending from
// the window read before with their continuation, and returns the runs to emit and those to
// hold back (unless final).
//
// Newest first (asc false), a run that starts within the session timeout of the window's
// start may continue in the older window: it is held back. Oldest first, a run that ends
// within the timeout of the window's end may continue in the newer window: it is held back,
// and so is every run that starts after it, so the listing stays in order of first message.
// Either way the runs are cut exactly where they would be in one request over the whole
// range, so both orders list the same conversations with the same ids.
func (s *Source) assemble(blocks []userBlock, pending []*run, start, end time.Time, asc, final bool) (emit, hold []*run) {
	byUser := map[string][]*run{}
	var order []string
	for _, b := range blocks {
		if len(b.msgs) == 0 {
			continue
		}
		if _, ok := byUser[b.id]; !ok {
			order = append(order, b.id)
		}
		byUser[b.id] = append(byUser[b.id], s.split(b)...)
	}
	for _, u := range order {
		rs := byUser[u]
		if len(rs) > 1 {
			// The same user in several elements of data: merge and split again.
			var all []message
			for _, r := range rs {
				all = append(all, r.msgs...)
			}
			byUser[u] = s.split(userBlock{id: u, head: rs[0].Head, msgs: all})
		}
	}
	var all []*run
	for _, p := range pending {
		rs := byUser[p.User]
		switch n := len(rs); {
		case !asc && n > 0 && p.first().Sub(rs[n-1].last()) <= s.timeout:
			rs[n-1].join(p) // p continues the user's newest run of this (older) window
			continue
		case asc && n > 0 && rs[0].first().Sub(p.last()) <= s.timeout:
			p.join(rs[0]) // this (newer) window's oldest run of the user continues p
			byUser[p.User] = rs[1:]
		}
		all = append(all, p)
	}
	for _, u := range order {
		all = append(all, byUser[u]...)
	}
	sortRuns(all, asc)
	if final {
		return all, nil
	}
	for i, r := range all {
		switch {
		case asc && end.Sub(r.last()) <= s.timeout:
			// Every later run waits with it (all is sorted by first message).
			return all[:i:i], all[i:]
		case !asc && r.first().Sub(start) <= s.timeout:
			hold = append(hold, r)
		default:
			emit = append(emit, r)
		}
	}
	return emit, hold
}

// sortRuns sorts runs by first message, newest first (ties by user id), or exactly the
// reverse when asc.
func sortRuns(rs []*run, asc bool) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i].first(), rs[j].first()
		if !a.Equal(b) {
			return a.After(b) != asc
		}
		return (rs[i].User < rs[j].User) != asc
	})
}

// split cuts one user's messages (in time order) into runs at gaps longer than the timeout.
func (s *Source) split(b userBlock) []*run {
	msgs := b.msgs
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].t.Before(msgs[j].t) })
	var out []*run
	var cur *run
	for _, m := range msgs {
		if cur == nil || m.t.Sub(cur.last()) > s.timeout {
			cur = &run{User: b.id, Head: b.head}
			out = append(out, cur)
		}
		cur.add(m)
	}
	return out
}

// Thread returns the user's messages of c in time order. A conversation from this source
// carries them in Raw, so no request is made; otherwise the conversation is looked up by id.
func (s *Source) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	r, err := runFromRaw(c.UserID, c.Raw)
	if err != nil || len(r.msgs) == 0 {
		full, lerr := s.Conversation(ctx, c.ID)
		if lerr != nil {
			return nil, lerr
		}
		if r, err = runFromRaw(full.UserID, full.Raw); err != nil {
			return nil, &client.APIError{Kind: client.ErrBadResponse, Message: err.Error(), Err: err}
		}
	}
	return r.interactions(c.ID), nil
}

// maxLookupWindows bounds how far Conversation follows one session forward.
const maxLookupWindows = 31

// Conversation looks up a conversation by id ("<user id>@<first message time>"): it reads the
// user's messages from that instant on, one window at a time with user_id set, until the run
// ends. ErrNotFound when no message of the user is at that instant.
func (s *Source) Conversation(ctx context.Context, id string) (client.Conversation, error) {
	user, start, err := ParseID(id)
	if err != nil {
		return client.Conversation{}, &client.APIError{Kind: client.ErrNotFound, Message: err.Error(), Err: err}
	}
	notFound := &client.APIError{Kind: client.ErrNotFound, Endpoint: s.base + "/user-interactions",
		Message: fmt.Sprintf("no conversation of user %q starts at %s", user, start.Format(time.RFC3339Nano))}
	params := []Param{{Name: "user_id", Value: user}}
	walk := client.Listing{What: "messages of conversation " + id, Limits: s.walk,
		Advice: "the conversation is too large to load"}
	var r *run
	from := start
	for n := range maxLookupWindows {
		to := from.Truncate(time.Second).Add(s.window)
		blocks, link, size, err := s.fetchSized(ctx, from, to, params)
		if err != nil {
			return client.Conversation{}, err
		}
		var msgs []message
		var head json.RawMessage
		for _, b := range blocks {
			if b.id == user {
				msgs = append(msgs, b.msgs...)
				if head == nil {
					head = b.head
				}
			}
		}
		sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].t.Before(msgs[j].t) })
		done := false
		for _, m := range msgs {
			if r == nil {
				if !m.t.Equal(start) {
					return client.Conversation{}, notFound
				}
				r = &run{User: user, Head: head}
			} else if m.t.Sub(r.last()) > s.timeout {
				done = true
				break
			}
			r.add(m)
		}
		if r == nil {
			return client.Conversation{}, notFound
		}
		end := done || to.Sub(r.last()) > s.timeout
		if err := walk.Read(link, size, len(msgs), !end && n+1 < maxLookupWindows); err != nil {
			return client.Conversation{}, err
		}
		if end {
			break
		}
		from = to
	}
	return r.conversation(s.name), nil
}
