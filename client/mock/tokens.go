package mock

import (
	"crypto/rand"
	"encoding/base64"
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
