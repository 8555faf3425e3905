package mock

import (
	"encoding/hex"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// Paths of the mock OpenDialog public API (APIS.md §3.2).
const (
	OpenDialogBasePath = "/public/api"
	OpenDialogPath     = OpenDialogBasePath + "/user-interactions"
)

// openDialogFilters are the attribute filters the endpoint allows (APIS.md §3.3).
var openDialogFilters = []string{"ip_address", "country", "browser_language", "os", "browser", "timezone", "email", "platform", "selected_scenario"}

// OpenDialog is a mock of OpenDialog's GET /public/api/user-interactions over a seeded
// web-chat corpus. It is an http.Handler; Token may be changed before it serves.
//
// Behaviour where APIS.md leaves a choice (documented here, asserted by the tests):
//   - from and to are UTC, both inclusive (a message at exactly `to` is returned).
//   - Attribute filters match the user's data with SQL LIKE semantics: case-insensitive,
//     partial (%value%), with % and _ as wildcards; several filters combine with AND.
//   - user_id matches exactly.
//   - data holds one element per user, each with a single key, ordered by the user's first
//     interaction in the range; interactions are in time order; only users with at least one
//     interaction in the range appear.
//   - Each user object echoes from/to (microsecond Z stamps) and the filters applied.
//   - A malformed from/to is a 400 with the sibling export's message; any other query
//     parameter is a 422 "The filter '…' is not allowed.".
//   - chatbot_user_data is only id, name and email, as documented; the browser data the
//     filters match on is never sent (the user object carries only the echoed filters).
//   - Error bodies are OpenDialog's (Laravel's): {"message", "errors"?} for 4xx, the sibling
//     export's {"error"} for a 500, also for faults injected by Faults.
type OpenDialog struct {
	// Token is the API token accepted as `Authorization: Bearer <token>`.
	Token string
	// Throttle is how many of the next GET requests are answered 429 with the sibling
	// export's body and no Retry-After header (none is documented: APIS.md §3.6); 0 for none.
	// Set it before the mock serves; it counts down as requests arrive.
	Throttle int64

	throttled atomic.Int64
	corpus    corpusOnce[odCorpus]
}

// Throttled is how many requests Throttle has answered 429 so far.
func (o *OpenDialog) Throttled() int64 { return min(o.throttled.Load(), o.Throttle) }

// OpenDialog's error bodies (APIS.md §3.5; 429 and 500 as documented for the sibling export).
const (
	odTooMany  = `{"message":"Too many export requests. Please try again later."}`
	odInternal = `{"error":"An error occurred while processing your export request."}`
)

// faultBody is the body of an injected fault (see Faults): OpenDialog's shape.
func (o *OpenDialog) faultBody(status int) []byte {
	switch status {
	case http.StatusTooManyRequests:
		return []byte(odTooMany)
	case http.StatusInternalServerError:
		return []byte(odInternal)
	}
	return appendObj(nil, obj{{"message", http.StatusText(status)}}, nil)
}

// NewOpenDialog generates the corpus for opts and returns the mock with a demo token derived
// from opts.Seed.
func NewOpenDialog(opts Options) *OpenDialog {
	o := newOpenDialog(opts)
	o.data()
	return o
}

// newOpenDialog is NewOpenDialog with the corpus not generated yet: the first request (or
// data) generates it.
func newOpenDialog(opts Options) *OpenDialog {
	opts = opts.withDefaults()
	r := newRand(opts.Seed, 3003)
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return &OpenDialog{Token: "od_demo_" + hex.EncodeToString(b),
		corpus: corpusOnce[odCorpus]{gen: func() *odCorpus { return genOpenDialog(opts) }}}
}

// data is the corpus, generated first if need be.
func (o *OpenDialog) data() *odCorpus { return o.corpus.get() }

// OpenDialogSession is one conversation of the corpus as generated: the ground truth a
// client's sessionisation is checked against.
type OpenDialogSession struct {
	UserID   string
	Start    time.Time // first message
	End      time.Time // last message
	Messages int
}

// Sessions returns the corpus's sessions of the users matching filters (as the endpoint
// matches them), clipped to [from, to): a session with messages on both sides of a bound
// counts only its messages inside. Newest first.
func (o *OpenDialog) Sessions(filters map[string]string, from, to time.Time) []OpenDialogSession {
	var out []OpenDialogSession
	for _, u := range o.data().users {
		if !u.matches(filters) {
			continue
		}
		for _, s := range u.sessions {
			var got OpenDialogSession
			for _, m := range s {
				if m.at.Before(from) || !m.at.Before(to) {
					continue
				}
				if got.Messages == 0 {
					got = OpenDialogSession{UserID: u.id, Start: m.at}
				}
				got.End = m.at
				got.Messages++
			}
			if got.Messages > 0 {
				out = append(out, got)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.After(out[j].Start)
		}
		return out[i].UserID < out[j].UserID
	})
	return out
}

// Users returns the number of users in the corpus.
func (o *OpenDialog) Users() int { return len(o.data().users) }

// ServeHTTP serves GET /public/api/user-interactions.
func (o *OpenDialog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != OpenDialogPath {
		writeJSON(w, http.StatusNotFound, appendObj(nil, obj{{"message", "Not Found"}}, nil))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, appendObj(nil, obj{{"message", "The " + r.Method + " method is not supported for this route."}}, nil))
		return
	}
	if r.Method == http.MethodGet && o.throttled.Load() < o.Throttle {
		if o.throttled.Add(1) <= o.Throttle {
			writeJSON(w, http.StatusTooManyRequests, []byte(odTooMany)) // no Retry-After
			return
		}
	}
	if tok, ok := bearerToken(r); !ok || !equalSecret(tok, o.Token) {
		writeJSON(w, http.StatusUnauthorized, appendObj(nil, obj{{"message", "Unauthenticated."}}, nil))
		return
	}
	q := r.URL.Query()
	var missing obj
	for _, k := range []string{"from", "to"} {
		if q.Get(k) == "" {
			missing = append(missing, field{k, []string{"The " + k + " field is required."}})
		}
	}
	if len(missing) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, appendObj(nil, obj{{"errors", missing}, {"message", "The given data was invalid."}}, nil))
		return
	}
	var unknown []string
	for k := range q {
		if k != "from" && k != "to" && k != "user_id" && !slices.Contains(openDialogFilters, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		var errs obj
		for _, k := range unknown {
			errs = append(errs, field{"filters." + k, []string{"The filter '" + k + "' is not allowed."}})
		}
		writeJSON(w, http.StatusUnprocessableEntity, appendObj(nil, obj{{"errors", errs},
			{"message", "The filter '" + unknown[0] + "' is not allowed."}}, nil))
		return
	}
	from, err1 := time.Parse("2006-01-02 15:04:05", q.Get("from"))
	to, err2 := time.Parse("2006-01-02 15:04:05", q.Get("to"))
	if err1 != nil || err2 != nil {
		writeJSON(w, http.StatusBadRequest, appendObj(nil, obj{{"message", "Invalid date format. Expected format: YYYY-MM-DD HH:MM:SS"}}, nil))
		return
	}
	filters := map[string]string{}
	for _, k := range openDialogFilters {
		if v := q.Get(k); v != "" {
			filters[k] = v
		}
	}
	userID := q.Get("user_id")
	type hit struct {
		u     *odUser
		msgs  []*odMessage
		first time.Time
	}
	var hits []hit
	if !to.Before(from) {
		for _, u := range o.data().users {
			if userID != "" && u.id != userID {
				continue
			}
			if !u.matches(filters) {
				continue
			}
			var msgs []*odMessage
			for _, s := range u.sessions {
				if len(s) == 0 || s[len(s)-1].at.Before(from) || s[0].at.After(to) {
					continue
				}
				for _, m := range s {
					if !m.at.Before(from) && !m.at.After(to) {
						msgs = append(msgs, m)
					}
				}
			}
			if len(msgs) > 0 {
				hits = append(hits, hit{u: u, msgs: msgs, first: msgs[0].at})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].first.Before(hits[j].first) })
	b := make([]byte, 0, 1024+len(hits)*1024)
	b = append(b, `{"data":[`...)
	for i, h := range hits {
		if i > 0 {
			b = append(b, ',')
		}
		user := obj{
			{"browser", echo(filters, "browser")},
			{"chatbot_user_data", h.u.data},
			{"country", echo(filters, "country")},
			{"from", odStamp(from)},
			{"selected_scenario", echo(filters, "selected_scenario")},
			{"to", odStamp(to)},
			{"user_id", h.u.id},
		}
		for _, k := range []string{"browser_language", "email", "ip_address", "os", "platform", "timezone"} {
			if v, ok := filters[k]; ok {
				user = append(user, field{k, v})
			}
		}
		sort.SliceStable(user, func(a, c int) bool { return user[a].K < user[c].K })
		b = append(b, '{')
		b = appendString(b, h.u.id)
		b = append(b, ':')
		// The user object, with interactions spliced in before its closing brace.
		b = appendObj(b, user, nil)
		b = b[:len(b)-1]
		b = append(b, `,"interactions":[`...)
		for j, m := range h.msgs {
			if j > 0 {
				b = append(b, ',')
			}
			var text, typ any = m.text, m.typ
			if m.null {
				text = nil
			}
			if m.nullType {
				typ = nil
			}
			b = appendObj(b, obj{{"data", m.data}, {"date", odStamp(m.at)}, {"text", text}, {"type", typ}}, nil)
		}
		b = append(b, "]}}"...)
	}
	b = append(b, "]}"...)
	writeJSON(w, http.StatusOK, b)
}

// echo is the echoed value of filter k: the value applied, or null.
func echo(filters map[string]string, k string) any {
	if v, ok := filters[k]; ok {
		return v
	}
	return nil
}

// odStamp formats t as OpenDialog does: UTC, microseconds, Z.
func odStamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// Like reports whether s matches the SQL LIKE pattern %pattern% case-insensitively, with %
// (any run) and _ (any one character) as wildcards in pattern.
func Like(s, pattern string) bool {
	return likeMatch([]rune(strings.ToLower(s)), []rune("%"+strings.ToLower(pattern)+"%"))
}

func likeMatch(s, p []rune) bool {
	// Iterative wildcard matching with backtracking to the last %.
	si, pi, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '_' || p[pi] == s[si]):
			si++
			pi++
		case pi < len(p) && p[pi] == '%':
			star, mark = pi, si
			pi++
		case star >= 0:
			mark++
			si, pi = mark, star+1
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}
