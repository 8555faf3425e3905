package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
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
		if !IsLoopback(u.Hostname()) {
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

// CheckAllowedHost checks one allowed_hosts entry: an absolute URL (https, or http on a
// loopback host only), a bare host name (meaning https), or a domain suffix with a leading
// dot (".example.com": any https host under it) that names at least a registrable domain —
// ".com", ".co.uk" or ".github.io" would hand the credential to anyone who registers a name
// there. The error says why, for config check and for the client alike.
func CheckAllowedHost(e string) error {
	switch {
	case strings.HasPrefix(e, "."):
		domain := strings.ToLower(strings.TrimPrefix(e, "."))
		if domain == "" || strings.ContainsAny(domain, "/:?#@ *") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
			return fmt.Errorf("allowed host suffix %q is not a domain", RedactURL(e))
		}
		if _, err := publicsuffix.EffectiveTLDPlusOne(domain); err != nil {
			return fmt.Errorf("allowed host suffix %q is a public suffix: it would allow hosts anyone can register; name your own domain (e.g. \".example.%s\")", e, domain)
		}
		return nil
	case strings.Contains(e, "://"):
		u, err := url.Parse(e)
		if err != nil || u.Host == "" {
			return fmt.Errorf("allowed host %q is not a URL or host name", RedactURL(e))
		}
		if u.User != nil {
			return fmt.Errorf("allowed host %q must not hold credentials", Endpoint(u))
		}
		switch strings.ToLower(u.Scheme) {
		case "https":
		case "http":
			if !IsLoopback(u.Hostname()) {
				return fmt.Errorf("allowed host %q uses plain http: credentials would travel unencrypted; use https (plain http is allowed only on loopback)", Endpoint(u))
			}
		default:
			return fmt.Errorf("allowed host %q must use https", Endpoint(u))
		}
		return nil
	case strings.ContainsAny(e, "/ ?#@*"):
		return fmt.Errorf("allowed host %q is not a URL or host name", RedactURL(e))
	}
	return nil
}

// IsLoopback reports whether host (a name or an IP address, without port) is a loopback
// host: "localhost", 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
