package mock

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Paths of the mock Moveworks Data API (APIS.md §1.2, §1.3).
const (
	MoveworksRecordsPath = "/export/v1/records"
	MoveworksTokenPath   = "/oauth/v1/token"
)

// Moveworks is a mock of the Moveworks Data API (conversations and interactions collections,
// the /$count path form, and the OAuth2 client-credentials token endpoint) over a seeded
// corpus. It is an http.Handler; its exported fields are its credentials and may be changed
// before it serves.
//
// Behaviour where APIS.md leaves a choice (documented here, asserted by the tests):
//   - Default order when $orderby is omitted: created_time asc, then id asc.
//   - $top limits the whole result (standard OData); pages are always Options.PageSize long
//     (default 500, APIS.md §1.4): like the vendor, the mock ignores `Prefer:
//     odata.maxpagesize`, which nothing documents.
//   - $count=true puts the number of matches (ignoring $top and $skip) in `@odata.count` on
//     every page, including an empty one.
//   - `@odata.nextLink` is absolute and carries only `$skiptoken`, an opaque token holding the
//     whole query state; no other option may accompany `$skiptoken`.
//   - A page with no rows has no `value` key (APIS.md §1.5 [I]).
//   - An unknown query option is a 400 INVALID_ARGUMENT; so is an invalid $filter or
//     $orderby. The filter is evaluated by the mock's own parser (mwfilter.go), which takes
//     only the documented forms: in, functions and detail/… paths are refused.
//   - Error bodies are {"code","message"} (APIS.md §1.8, M1), or {"error":{…}} with
//     Options.ErrorShape "wrapped" (M15).
type Moveworks struct {
	// APIKey is accepted raw (`Authorization: <key>`, the vendor's own example) or as
	// `Bearer <key>` (other vendor pages; APIS.md §1.3 [I]); all scopes.
	APIKey string
	// ConversationsKey is an API key scoped to the conversations table only: /interactions
	// answers it with 403.
	ConversationsKey string
	// ClientID and ClientSecret are the OAuth2 client credentials for /oauth/v1/token.
	ClientID, ClientSecret string
	// TokenTTL is the lifetime of issued access tokens; default one hour.
	TokenTTL time.Duration
	// Now is the clock for token expiry; default Options.Now (itself time.Now by default).
	Now func() time.Time

	opts   Options
	corpus corpusOnce[mwCorpus]

	tokens tokenStore
}

// NewMoveworks generates the corpus for opts and returns the mock with demo credentials
// derived from opts.Seed (so `confab mock` prints the same ones every run).
func NewMoveworks(opts Options) *Moveworks {
	m := newMoveworks(opts)
	m.data()
	return m
}

// newMoveworks is NewMoveworks with the corpus not generated yet: the first request (or
// data) generates it.
func newMoveworks(opts Options) *Moveworks {
	opts = opts.withDefaults()
	r := newRand(opts.Seed, 1001)
	hexOf := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return hex.EncodeToString(b)
	}
	return &Moveworks{
		APIKey:           "mwk_demo_" + hexOf(16),
		ConversationsKey: "mwk_conv_" + hexOf(16),
		ClientID:         "confab-demo-" + hexOf(4),
		ClientSecret:     "mws_demo_" + hexOf(16),
		TokenTTL:         time.Hour,
		Now:              opts.Now,
		opts:             opts,
		corpus:           corpusOnce[mwCorpus]{gen: func() *mwCorpus { return genMoveworks(opts) }},
	}
}

// data is the corpus, generated first if need be.
func (m *Moveworks) data() *mwCorpus { return m.corpus.get() }

// Counts returns the number of conversations and interactions in the corpus.
func (m *Moveworks) Counts() (conversations, interactions int) {
	c := m.data()
	return len(c.conversations.recs), len(c.interactions.recs)
}

func (m *Moveworks) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// ServeHTTP routes a request.
func (m *Moveworks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path == MoveworksTokenPath {
		m.serveToken(w, r)
		return
	}
	rest, ok := strings.CutPrefix(path, MoveworksRecordsPath+"/")
	if !ok {
		m.fail(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("no such resource: %s", path))
		return
	}
	name, count := strings.CutSuffix(rest, "/$count")
	var c *mwCollection
	switch name {
	case "conversations":
		c = &m.data().conversations
	case "interactions":
		c = &m.data().interactions
	default:
		m.fail(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("no such collection: %s", path))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		m.fail(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "only GET is supported")
		return
	}
	scope, ok := m.authenticate(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="moveworks"`)
		m.fail(w, http.StatusUnauthorized, "UNAUTHENTICATED", "missing, invalid or expired credentials")
		return
	}
	if scope != "" && scope != c.name {
		m.fail(w, http.StatusForbidden, "PERMISSION_DENIED", fmt.Sprintf("the credential lacks the %s scope", c.name))
		return
	}
	if count {
		m.serveCount(w, r, c)
		return
	}
	m.serveList(w, r, c)
}

// authenticate checks the Authorization header; scope is "" for full access or the one
// collection the credential may read.
func (m *Moveworks) authenticate(r *http.Request) (scope string, ok bool) {
	cred, _ := bearerToken(r) // the API key may come raw or as a Bearer token
	if cred == "" {
		return "", false
	}
	switch {
	case equalSecret(cred, m.APIKey):
		return "", true
	case equalSecret(cred, m.ConversationsKey):
		return "conversations", true
	}
	return "", m.tokens.valid(cred, m.now())
}

// fail writes a Data API error body in the configured shape.
func (m *Moveworks) fail(w http.ResponseWriter, status int, code, msg string) {
	var b []byte
	if m.opts.ErrorShape == "wrapped" {
		b = appendObj(nil, obj{{"error", obj{{"code", code}, {"message", msg}}}}, nil)
	} else {
		b = appendObj(nil, obj{{"code", code}, {"message", msg}}, nil)
	}
	writeJSON(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// serveToken is POST /oauth/v1/token: client credentials as a JSON body, a form body, or
// HTTP Basic (APIS.md §1.3).
func (m *Moveworks) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		oauthFail(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	var id, secret, grant string
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		var body struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
			GrantType    string `json:"grant_type"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			oauthFail(w, http.StatusBadRequest, "invalid_request", "the body is not valid JSON")
			return
		}
		id, secret, grant = body.ClientID, body.ClientSecret, body.GrantType
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			oauthFail(w, http.StatusBadRequest, "invalid_request", "the body is not a valid form")
			return
		}
		id, secret, grant = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), r.PostForm.Get("grant_type")
	default:
		oauthFail(w, http.StatusBadRequest, "invalid_request", "send application/json or application/x-www-form-urlencoded")
		return
	}
	basic := false
	if u, p, ok := basicClient(r); ok {
		id, secret, basic = u, p, true
	}
	if grant != "client_credentials" {
		oauthFail(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	if id == "" || secret == "" {
		oauthFail(w, http.StatusBadRequest, "invalid_request", "client_id and client_secret are required")
		return
	}
	if !equalSecret(id, m.ClientID) || !equalSecret(secret, m.ClientSecret) {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="moveworks"`)
		}
		oauthFail(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	m.tokens.serveToken(w, "mwt_", m.now(), m.TokenTTL)
}

// mwQuery is the whole state of a listing; $skiptoken is its base64url JSON.
type mwQuery struct {
	Coll    string `json:"c"`
	Filter  string `json:"f,omitempty"`
	OrderBy string `json:"o,omitempty"`
	Select  string `json:"s,omitempty"`
	Pos     int    `json:"k,omitempty"` // position of the next row in the ordered result
	Limit   int    `json:"l"`           // absolute end ($skip+$top), -1 for none
	Count   bool   `json:"n,omitempty"`
	Page    int    `json:"p"`
}

func (q mwQuery) token() string {
	b, _ := json.Marshal(q)
	return base64.RawURLEncoding.EncodeToString(b)
}

var listOptions = map[string]bool{"$filter": true, "$select": true, "$orderby": true, "$top": true, "$skip": true, "$count": true, "$skiptoken": true}

// parseQuery reads the query options (or the $skiptoken) of a list request.
func (m *Moveworks) parseQuery(r *http.Request, c *mwCollection, allowed map[string]bool) (mwQuery, string) {
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return mwQuery{}, "malformed query string"
	}
	for k, v := range vals {
		if !allowed[k] {
			return mwQuery{}, fmt.Sprintf("unknown query option %q", k)
		}
		if len(v) > 1 {
			return mwQuery{}, fmt.Sprintf("query option %q given more than once", k)
		}
	}
	if tok, ok := vals["$skiptoken"]; ok {
		if len(vals) > 1 {
			return mwQuery{}, "$skiptoken cannot be combined with other query options"
		}
		var q mwQuery
		raw, err := base64.RawURLEncoding.DecodeString(tok[0])
		if err != nil || json.Unmarshal(raw, &q) != nil || q.Coll != c.name || q.Page <= 0 || q.Pos < 0 {
			return mwQuery{}, "invalid $skiptoken"
		}
		return q, ""
	}
	q := mwQuery{Coll: c.name, Filter: vals.Get("$filter"), OrderBy: vals.Get("$orderby"), Select: vals.Get("$select"), Limit: -1, Page: m.opts.PageSize}
	nonNeg := func(k string) (int, string) {
		s := vals.Get(k)
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, fmt.Sprintf("%s must be a non-negative integer, got %q", k, s)
		}
		return n, ""
	}
	if vals.Has("$skip") {
		n, msg := nonNeg("$skip")
		if msg != "" {
			return q, msg
		}
		q.Pos = n
	}
	if vals.Has("$top") {
		n, msg := nonNeg("$top")
		if msg != "" {
			return q, msg
		}
		q.Limit = q.Pos + n
	}
	if vals.Has("$count") {
		switch strings.ToLower(vals.Get("$count")) {
		case "true":
			q.Count = true
		case "false":
		default:
			return q, fmt.Sprintf("$count must be true or false, got %q", vals.Get("$count"))
		}
	}
	return q, ""
}

var (
	// A thread, or a conversation's rows narrowed further ("… and actor eq 'user'", a
	// summary): the candidates are the conversation's rows, which the whole filter then checks.
	fastConvFilter = regexp.MustCompile(`^\s*conversation_id\s+eq\s+'((?:[^']|'')*)'(?:\s*$|\s+and\s+(.*)$)`)
	fastIDFilter   = regexp.MustCompile(`^\s*id\s+eq\s+'((?:[^']|'')*)'\s*$`)
	// anyOr finds an or in the rest of a conjunction: "a and b or c" is "(a and b) or c",
	// which the conversation's rows alone do not answer, so such a filter scans everything.
	anyOr = regexp.MustCompile(`(?i)\bor\b`)
)

// mwTimeFields are the date-time attributes of the collections.
var mwTimeFields = map[string]bool{"created_time": true, "last_updated_time": true}

// mwOrderKey is one key of a $orderby.
type mwOrderKey struct {
	field string
	desc  bool
}

// mwParseOrderBy reads "field [asc|desc], …": any top-level attribute of the collection
// sorts (APIS.md §1.4 shows id, created_time, last_updated_time and user_id); paths into
// detail do not.
func mwParseOrderBy(s string, fields map[string]bool) ([]mwOrderKey, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []mwOrderKey
	for part := range strings.SplitSeq(s, ",") {
		words := strings.Fields(part)
		if len(words) == 0 || len(words) > 2 {
			return nil, fmt.Errorf("$orderby: %q is not a field optionally followed by asc or desc", strings.TrimSpace(part))
		}
		if !fields[words[0]] {
			return nil, fmt.Errorf("$orderby: unknown property %q", words[0])
		}
		k := mwOrderKey{field: words[0]}
		if len(words) == 2 {
			switch strings.ToLower(words[1]) {
			case "asc":
			case "desc":
				k.desc = true
			default:
				return nil, fmt.Errorf("$orderby: unknown direction %q (asc or desc)", words[1])
			}
		}
		out = append(out, k)
	}
	return out, nil
}

// evaluate returns the indexes of the matching records, in the requested order. The filter
// is the mock's own evaluator (mwfilter.go), not confab's.
func (m *Moveworks) evaluate(c *mwCollection, q mwQuery) ([]int, string) {
	match, err := mwCompileFilter(q.Filter, c.fields, mwTimeFields)
	if err != nil {
		return nil, "$filter: " + err.Error()
	}
	ob, err := mwParseOrderBy(q.OrderBy, c.fields)
	if err != nil {
		return nil, err.Error()
	}
	// Fast paths: a thread (conversation_id eq '…') and a lookup by id use the indexes.
	var cand []int
	indexed := false
	corpus := m.data()
	if c == &corpus.interactions {
		if sm := fastConvFilter.FindStringSubmatch(q.Filter); sm != nil && !anyOr.MatchString(sm[2]) {
			cand, indexed = corpus.interByConv[strings.ReplaceAll(sm[1], "''", "'")], true
		}
	} else if sm := fastIDFilter.FindStringSubmatch(q.Filter); sm != nil {
		indexed = true
		if i, ok := corpus.convIndex[strings.ReplaceAll(sm[1], "''", "'")]; ok {
			cand = []int{i}
		}
	}
	var out []int
	switch {
	case indexed:
		for _, i := range cand {
			if match(decodeRecord(c.recs[i].raw)) {
				out = append(out, i)
			}
		}
	case strings.TrimSpace(q.Filter) == "":
		out = make([]int, len(c.recs))
		for i := range out {
			out[i] = i
		}
	default:
		maps := c.decoded()
		for i, rec := range maps {
			if match(rec) {
				out = append(out, i)
			}
		}
	}
	switch {
	case len(ob) == 0 || (len(ob) == 1 && ob[0].field == "created_time" && !ob[0].desc):
		// already in default order
	case len(ob) == 1 && ob[0].field == "created_time" && ob[0].desc:
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	default:
		sort.SliceStable(out, func(a, b int) bool {
			ra, rb := c.recs[out[a]].fields, c.recs[out[b]].fields
			for _, o := range ob {
				cmp := compareValues(lookup(ra, o.field), lookup(rb, o.field))
				if cmp != 0 {
					return (cmp < 0) != o.desc
				}
			}
			return false
		})
	}
	return out, ""
}

// lookup follows a path such as detail/domain.
func lookup(o obj, path string) any {
	var v any = o
	for p := range strings.SplitSeq(path, "/") {
		ob, ok := v.(obj)
		if !ok {
			return nil
		}
		v, _ = ob.get(p)
	}
	return v
}

// compareValues orders null first, then numbers, then strings (timestamps compare as text,
// which is chronological in the fixed format).
func compareValues(a, b any) int {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 0
		case int:
			return 1
		case string:
			return 2
		}
		return 3
	}
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case int:
		return x - b.(int)
	case string:
		return strings.Compare(x, b.(string))
	}
	return 0
}

// selection parses $select into the set of keys to keep (nil for all).
func selection(c *mwCollection, sel string) (map[string]bool, string) {
	if strings.TrimSpace(sel) == "" || strings.TrimSpace(sel) == "*" {
		return nil, ""
	}
	keep := map[string]bool{}
	for s := range strings.SplitSeq(sel, ",") {
		s = strings.TrimSpace(s)
		if !c.fields[s] {
			return nil, fmt.Sprintf("$select: unknown field %q of %s", s, c.name)
		}
		keep[s] = true
	}
	return keep, ""
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + MoveworksRecordsPath
}

// serveList answers GET /export/v1/records/{collection}.
func (m *Moveworks) serveList(w http.ResponseWriter, r *http.Request, c *mwCollection) {
	q, msg := m.parseQuery(r, c, listOptions)
	if msg != "" {
		m.fail(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg)
		return
	}
	keep, msg := selection(c, q.Select)
	if msg != "" {
		m.fail(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg)
		return
	}
	rows, msg := m.evaluate(c, q)
	if msg != "" {
		m.fail(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg)
		return
	}
	end := len(rows)
	if q.Limit >= 0 && q.Limit < end {
		end = q.Limit
	}
	start := min(q.Pos, end)
	stop := min(start+q.Page, end)
	base := baseURL(r)

	size := 128
	for _, i := range rows[start:stop] {
		size += len(c.recs[i].raw) + 1
	}
	b := make([]byte, 0, size)
	b = append(b, `{"@odata.context":`...)
	b = appendString(b, base+"/$metadata#"+c.name)
	if q.Count {
		b = append(b, `,"@odata.count":`...)
		b = strconv.AppendInt(b, int64(len(rows)), 10)
	}
	if stop > start {
		b = append(b, `,"value":[`...)
		for n, i := range rows[start:stop] {
			if n > 0 {
				b = append(b, ',')
			}
			if keep == nil {
				b = append(b, c.recs[i].raw...)
			} else {
				b = appendObj(b, c.recs[i].fields, keep)
			}
		}
		b = append(b, ']')
	}
	if stop < end {
		next := q
		next.Pos = stop
		b = append(b, `,"@odata.nextLink":`...)
		b = appendString(b, base+"/"+c.name+"?$skiptoken="+next.token())
	}
	b = append(b, '}')
	writeJSON(w, http.StatusOK, b)
}

// serveCount answers GET /export/v1/records/{collection}/$count with a bare integer.
func (m *Moveworks) serveCount(w http.ResponseWriter, r *http.Request, c *mwCollection) {
	q, msg := m.parseQuery(r, c, map[string]bool{"$filter": true})
	if msg != "" {
		m.fail(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg)
		return
	}
	rows, msg := m.evaluate(c, q)
	if msg != "" {
		m.fail(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg)
		return
	}
	body := strconv.Itoa(len(rows))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write([]byte(body))
}
