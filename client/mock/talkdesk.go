package mock

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Paths of the mock Talkdesk Conversations API (APIS.md §2.2, §2.3, §2.5).
const (
	TalkdeskInteractionsPath = "/conversations/interactions"
	// TalkdeskPagePath is where next links point, on the paging origin, as the vendor's own
	// example does (`https://conversations.talkdesk.com/interactions?cursor=…`).
	TalkdeskPagePath  = "/interactions"
	TalkdeskTokenPath = "/oauth/token"
	// TalkdeskScope is the scope the interactions endpoint requires.
	TalkdeskScope = "interactions-public:read"
)

// TalkdeskPagingOrigin returns the origin the mock's next links use for a mock listening at
// origin: the same port under the other loopback name (127.0.0.1 ↔ localhost), so next links
// leave the base URL's origin exactly as the vendor's example does.
func TalkdeskPagingOrigin(origin string) string {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return origin
	}
	host, port := u.Hostname(), u.Port()
	switch ip := net.ParseIP(host); {
	case host == "localhost":
		host = "127.0.0.1"
	case ip != nil && ip.IsLoopback():
		host = "localhost"
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	}
	return u.Scheme + "://" + host
}

// Talkdesk is a mock of Talkdesk's "Retrieve all Interactions" endpoint and its OAuth2 token
// endpoint over a seeded contact-centre corpus. It is an http.Handler; its exported fields may
// be changed before it serves.
//
// Behaviour where APIS.md leaves a choice (documented here, asserted by the tests):
//   - The first page takes the window as `start_date` and `end_date` (RFC 3339; any
//     fraction) and the page size as `limit` (1–100, default PageSize); the names are
//     configurable (Params*). The window is [start, end): an interaction belongs to it when
//     start ≤ started_at < end. A window over 7 days, a missing bound or end ≤ start is a 400
//     in the documented {code, message, description, fields[]} shape.
//   - Interactions come newest first (started_at desc, then id).
//   - Later pages are `…/interactions?cursor=<standard base64 with unescaped =>` on the paging
//     origin (see TalkdeskPagingOrigin), or PagingOrigin when set; the cursor is accepted on
//     either path and must be alone. The last page has no `_links.next`.
//   - Tokens: POST /oauth/token, grant_type=client_credentials, client authentication only by
//     HTTP Basic; a requested scope must include interactions-public:read.
//   - Messages: see tdMessage (agent fields, recording_index, transcription_type, often no
//     message_start_at) and tdSpeakers; about a quarter of the interactions list their
//     messages shuffled.
//   - Errors (400, 401, 404, 405, 429) have Talkdesk's documented shape {code, message,
//     description, fields[]} (APIS.md §2.7); a 429 comes only with RateLimitEvery, without
//     Retry-After.
//   - Unknown query parameters on a first page are ignored.
type Talkdesk struct {
	// ClientID and ClientSecret are the OAuth2 client credentials.
	ClientID, ClientSecret string
	// TokenTTL is the lifetime of issued tokens; default one hour.
	TokenTTL time.Duration
	// Now is the clock for token expiry; default Options.Now (itself time.Now by default).
	Now func() time.Time
	// PageSize is the default page size; default 25.
	PageSize int
	// ParamStart, ParamEnd and ParamLimit name the window and page-size parameters.
	ParamStart, ParamEnd, ParamLimit string
	// PagingOrigin, when set, is the origin of every next link (e.g. a recording server).
	PagingOrigin string
	// RateLimitEvery, when > 0, answers every RateLimitEvery-th API request (GET or HEAD of
	// the interactions, counted from 1; token requests are not counted) with a 429 in
	// Talkdesk's error shape and no Retry-After header: Talkdesk documents neither its rate
	// limit nor a Retry-After for this endpoint (APIS.md §2.8). 0, the default, never does.
	RateLimitEvery int64

	opts   Options
	corpus corpusOnce[tdCorpus]

	tokenRequests atomic.Int64
	apiRequests   atomic.Int64
	tokens        tokenStore
}

// NewTalkdesk generates the corpus for opts and returns the mock with demo credentials
// derived from opts.Seed.
func NewTalkdesk(opts Options) *Talkdesk {
	m := newTalkdesk(opts)
	m.data()
	return m
}

// newTalkdesk is NewTalkdesk with the corpus not generated yet: the first request (or data)
// generates it.
func newTalkdesk(opts Options) *Talkdesk {
	opts = opts.withDefaults()
	r := newRand(opts.Seed, 3001)
	b := make([]byte, 20)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return &Talkdesk{
		ClientID:     "td-demo-" + hex.EncodeToString(b[:4]),
		ClientSecret: "tds_demo_" + hex.EncodeToString(b[4:]),
		TokenTTL:     time.Hour,
		PageSize:     25,
		ParamStart:   "start_date",
		ParamEnd:     "end_date",
		ParamLimit:   "limit",
		Now:          opts.Now,
		opts:         opts,
		corpus:       corpusOnce[tdCorpus]{gen: func() *tdCorpus { return genTalkdesk(opts) }},
	}
}

// data is the corpus, generated first if need be.
func (m *Talkdesk) data() *tdCorpus { return m.corpus.get() }

// TalkdeskItem is one interaction of the corpus, for tests.
type TalkdeskItem struct {
	ID      string
	Started time.Time
}

// Interactions returns every interaction of the corpus, newest first.
func (m *Talkdesk) Interactions() []TalkdeskItem {
	recs := m.data().recs
	out := make([]TalkdeskItem, len(recs))
	for i, r := range recs {
		out[i] = TalkdeskItem{ID: r.id, Started: r.started}
	}
	return out
}

// EmptyDays returns the UTC days of the corpus without any interaction.
func (m *Talkdesk) EmptyDays() []time.Time { return append([]time.Time(nil), m.data().emptyDays...) }

// TokenRequests returns how many token requests the mock has answered.
func (m *Talkdesk) TokenRequests() int64 { return m.tokenRequests.Load() }

// Revoke forgets every issued token, so the next API request gets a 401.
func (m *Talkdesk) Revoke() {
	m.tokens.revoke()
}

func (m *Talkdesk) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// tdFail writes the documented error body (APIS.md §2.7).
func tdFail(w http.ResponseWriter, status int, code, msg, desc string, fields ...[2]string) {
	writeJSON(w, status, tdErrorBody(code, msg, desc, fields...))
}

// faultBody is the body of an injected fault (see Faults): Talkdesk's documented shape.
func (m *Talkdesk) faultBody(status int) []byte {
	switch status {
	case http.StatusTooManyRequests:
		return tdErrorBody("1429", "Too Many Requests", "the rate limit of this endpoint was exceeded; try again later (injected fault)")
	case http.StatusInternalServerError:
		return tdErrorBody("1500", "Internal Server Error", "an unexpected error occurred (injected fault)")
	}
	return tdErrorBody(strconv.Itoa(1000+status), http.StatusText(status), "(injected fault)")
}

// tdErrorBody is Talkdesk's error body {code, message, description, fields[]} (APIS.md §2.7).
func tdErrorBody(code, msg, desc string, fields ...[2]string) []byte {
	type fieldErr struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	body := struct {
		Code        string     `json:"code"`
		Message     string     `json:"message"`
		Description string     `json:"description,omitempty"`
		Fields      []fieldErr `json:"fields"`
	}{Code: code, Message: msg, Description: desc, Fields: []fieldErr{}}
	for _, f := range fields {
		body.Fields = append(body.Fields, fieldErr{Name: f[0], Description: f[1]})
	}
	b, _ := json.Marshal(body)
	return b
}

// ServeHTTP routes a request.
func (m *Talkdesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case TalkdeskTokenPath:
		m.serveToken(w, r)
		return
	case TalkdeskInteractionsPath, TalkdeskPagePath:
	default:
		tdFail(w, http.StatusNotFound, "1404", "Not Found", "no such resource: "+r.URL.Path)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		tdFail(w, http.StatusMethodNotAllowed, "1405", "Method Not Allowed", "only GET is supported")
		return
	}
	if n := m.apiRequests.Add(1); m.RateLimitEvery > 0 && n%m.RateLimitEvery == 0 {
		tdFail(w, http.StatusTooManyRequests, "1429", "Too Many Requests", "the rate limit of this endpoint was exceeded; try again later")
		return
	}
	if !m.authenticate(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="talkdesk"`)
		tdFail(w, http.StatusUnauthorized, "1002", "Unauthorized", "missing, invalid or expired access token")
		return
	}
	m.serveList(w, r)
}

func (m *Talkdesk) authenticate(r *http.Request) bool {
	tok, ok := bearerToken(r)
	return ok && m.tokens.valid(tok, m.now())
}

// tdCursor is the whole state of a listing; the cursor is its standard base64 JSON.
type tdCursor struct {
	Start int64 `json:"s"` // unix microseconds
	End   int64 `json:"e"`
	Pos   int   `json:"p"`
	Limit int   `json:"l"`
}

func parseTDTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
}

func (m *Talkdesk) serveList(w http.ResponseWriter, r *http.Request) {
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		// The vendor's cursor holds unescaped '+' and '=': read it raw before giving up.
		vals = url.Values{}
		for part := range strings.SplitSeq(r.URL.RawQuery, "&") {
			k, v, _ := strings.Cut(part, "=")
			vals.Add(k, v)
		}
	}
	var q tdCursor
	if raw, ok := rawParam(r.URL.RawQuery, "cursor"); ok {
		if len(vals) > 1 {
			tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "cursor cannot be combined with other parameters",
				[2]string{"cursor", "must be the only parameter"})
			return
		}
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil || json.Unmarshal(b, &q) != nil || q.Pos < 0 || q.Limit <= 0 || q.End <= q.Start {
			tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "invalid cursor", [2]string{"cursor", "is not a cursor this server issued"})
			return
		}
	} else {
		sv, ev := vals.Get(m.ParamStart), vals.Get(m.ParamEnd)
		if sv == "" || ev == "" {
			tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "the time window is required",
				[2]string{m.ParamStart, "is required"}, [2]string{m.ParamEnd, "is required"})
			return
		}
		st, err1 := parseTDTime(sv)
		en, err2 := parseTDTime(ev)
		switch {
		case err1 != nil:
			tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "invalid date", [2]string{m.ParamStart, "must be an RFC 3339 date-time"})
			return
		case err2 != nil:
			tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "invalid date", [2]string{m.ParamEnd, "must be an RFC 3339 date-time"})
			return
		case !en.After(st):
			tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "invalid time window", [2]string{m.ParamEnd, "must be after " + m.ParamStart})
			return
		case en.Sub(st) > 7*24*time.Hour:
			tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "the time window is longer than seven days",
				[2]string{m.ParamEnd, "must be at most seven days after " + m.ParamStart})
			return
		}
		q = tdCursor{Start: st.UnixMicro(), End: en.UnixMicro(), Limit: m.PageSize}
		if q.Limit <= 0 {
			q.Limit = 25
		}
		if lv := vals.Get(m.ParamLimit); lv != "" {
			n, err := strconv.Atoi(lv)
			if err != nil || n < 1 || n > 100 {
				tdFail(w, http.StatusBadRequest, "1001", "Bad Request", "invalid page size", [2]string{m.ParamLimit, "must be between 1 and 100"})
				return
			}
			q.Limit = n
		}
	}
	recs := m.data().recs // newest first
	start, end := time.UnixMicro(q.Start), time.UnixMicro(q.End)
	// recs is sorted by started desc: [lo, hi) are the records with start ≤ started < end.
	lo := sort.Search(len(recs), func(i int) bool { return recs[i].started.Before(end) })
	hi := sort.Search(len(recs), func(i int) bool { return recs[i].started.Before(start) })
	from := min(lo+q.Pos, hi)
	to := min(from+q.Limit, hi)
	var b []byte
	b = append(b, `{"_embedded":{"interactions":[`...)
	for i := from; i < to; i++ {
		if i > from {
			b = append(b, ',')
		}
		b = append(b, recs[i].raw...)
	}
	b = append(b, `]},"_links":{`...)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	self := scheme + "://" + r.Host + r.URL.RequestURI()
	b = append(b, `"self":{"href":`...)
	b = appendString(b, self)
	b = append(b, '}')
	if to < hi {
		next := q
		next.Pos = to - lo
		js, _ := json.Marshal(next)
		origin := m.PagingOrigin
		if origin == "" {
			// Requests that already came to the paging origin keep it.
			origin = scheme + "://" + r.Host
			if h, _, _ := net.SplitHostPort(r.Host); h != "localhost" {
				origin = TalkdeskPagingOrigin(origin)
			}
		}
		b = append(b, `,"next":{"href":`...)
		b = appendString(b, strings.TrimRight(origin, "/")+TalkdeskPagePath+"?cursor="+base64.StdEncoding.EncodeToString(js))
		b = append(b, '}')
	}
	b = append(b, "}}"...)
	w.Header().Set("Content-Type", "application/hal+json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(b)
	}
}

// rawParam returns the raw value of key in a query string, unescaping %XX but keeping '+'.
func rawParam(rawQuery, key string) (string, bool) {
	for part := range strings.SplitSeq(rawQuery, "&") {
		k, v, _ := strings.Cut(part, "=")
		if k == key {
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			return v, true
		}
	}
	return "", false
}

// serveToken is POST /oauth/token (APIS.md §2.3): client credentials by HTTP Basic only.
func (m *Talkdesk) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		oauthFail(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	m.tokenRequests.Add(1)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthFail(w, http.StatusBadRequest, "invalid_request", "the body is not a valid form")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		oauthFail(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	id, secret, ok := basicClient(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="talkdesk"`)
		oauthFail(w, http.StatusUnauthorized, "invalid_client", "client authentication by HTTP Basic is required")
		return
	}
	if !equalSecret(id, m.ClientID) || !equalSecret(secret, m.ClientSecret) {
		w.Header().Set("WWW-Authenticate", `Basic realm="talkdesk"`)
		oauthFail(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	scope := r.PostForm.Get("scope")
	if scope != "" && !strings.Contains(" "+scope+" ", " "+TalkdeskScope+" ") {
		oauthFail(w, http.StatusBadRequest, "invalid_scope", "this client may only request "+TalkdeskScope)
		return
	}
	m.tokens.serveToken(w, "tdt_", m.now(), m.TokenTTL, field{"scope", TalkdeskScope})
}

// String describes the mock for logs.
func (m *Talkdesk) String() string {
	return fmt.Sprintf("talkdesk mock (%d interactions)", len(m.data().recs))
}
