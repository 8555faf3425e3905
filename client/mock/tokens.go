package mock

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// tokenStore holds the OAuth access tokens a mock has issued, with their expiries. Its zero
// value is ready to use.
type tokenStore struct {
	mu     sync.Mutex
	tokens map[string]time.Time // access token -> expiry
}

// issue mints a random token with the given prefix ("mwt_"), valid for ttl from now, and
// forgets the tokens that have expired.
func (s *tokenStore) issue(prefix string, now time.Time, ttl time.Duration) string {
	var raw [24]byte
	_, _ = rand.Read(raw[:])
	tok := prefix + base64.RawURLEncoding.EncodeToString(raw[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokens == nil {
		s.tokens = map[string]time.Time{}
	}
	for t, exp := range s.tokens {
		if !now.Before(exp) {
			delete(s.tokens, t)
		}
	}
	s.tokens[tok] = now.Add(ttl)
	return tok
}

// valid reports whether tok was issued and has not expired at now.
func (s *tokenStore) valid(tok string, now time.Time) bool {
	s.mu.Lock()
	exp, ok := s.tokens[tok]
	s.mu.Unlock()
	return ok && now.Before(exp)
}

// revoke forgets every token.
func (s *tokenStore) revoke() {
	s.mu.Lock()
	clear(s.tokens)
	s.mu.Unlock()
}

// serveToken mints a token with the given prefix, valid for ttl (default one hour) from now,
// and writes the token response (RFC 6749 §5.1), extra fields last.
func (s *tokenStore) serveToken(w http.ResponseWriter, prefix string, now time.Time, ttl time.Duration, extra ...field) {
	if ttl <= 0 {
		ttl = time.Hour
	}
	tok := s.issue(prefix, now, ttl)
	w.Header().Set("Cache-Control", "no-store")
	o := append(obj{{"access_token", tok}, {"expires_in", int(ttl / time.Second)}, {"token_type", "Bearer"}}, extra...)
	slices.SortFunc(o, func(a, b field) int { return strings.Compare(a.K, b.K) })
	writeJSON(w, http.StatusOK, appendObj(nil, o, nil))
}

// oauthFail writes an OAuth2 error response (RFC 6749 §5.2): {"error", "error_description"},
// not cached, and a 401 names the scheme the client must authenticate with (§5.2 asks for
// WWW-Authenticate when the client tried the Authorization header).
func oauthFail(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
	}
	writeJSON(w, status, appendObj(nil, obj{{"error", code}, {"error_description", desc}}, nil))
}

// basicClient returns the client id and secret of r's HTTP Basic credentials, form-decoded
// as RFC 6749 §2.3.1 asks; ok is false when r has none.
func basicClient(r *http.Request) (id, secret string, ok bool) {
	id, secret, ok = r.BasicAuth()
	if u, err := url.QueryUnescape(id); err == nil {
		id = u
	}
	if p, err := url.QueryUnescape(secret); err == nil {
		secret = p
	}
	return id, secret, ok
}

// bearerToken returns r's Authorization credential without its "Bearer " prefix (the scheme
// in any case); ok is false when the prefix is absent, and then cred is the whole header.
func bearerToken(r *http.Request) (cred string, ok bool) {
	cred = strings.TrimSpace(r.Header.Get("Authorization"))
	if len(cred) > 7 && strings.EqualFold(cred[:7], "bearer ") {
		return strings.TrimSpace(cred[7:]), true
	}
	return cred, false
}

// equalSecret compares a presented credential with a configured one in constant time; an
// unset (empty) configured credential matches nothing.
func equalSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
