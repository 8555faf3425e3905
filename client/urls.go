package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
)

// CheckBaseURL parses a configured base or token URL. It must be absolute and https; plain http
// is allowed only on a loopback host (the mock vendors), so a credential never crosses a network
// in the clear; user info in the URL is refused (credentials belong in the keyring).
func CheckBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err == nil && u.User != nil {
		// Checked first, so no message below repeats a password written into the URL.
		return nil, errors.New("credentials in the URL are not allowed")
	}
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		h := u.Hostname()
		if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("%q must use https (plain http is allowed only on loopback)", raw)
		}
	default:
		return nil, fmt.Errorf("%q must use https", raw)
	}
	return u, nil
}

// FirstLine returns s up to its first line break, at most 200 bytes (cut on a rune boundary,
// with "…"): a one-line summary of a message.
func FirstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' || s[i] == '\n' {
			s = s[:i]
			break
		}
	}
	if len(s) > 200 {
		return truncate(s, 200)
	}
	return s
}
