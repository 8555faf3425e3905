package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// The per-source key console_url is a link to the vendor's web console for a conversation: a
// template such as "https://console.example.com/conversations/{id}" in which {id} becomes the
// conversation's id and {source} the source's name, each percent-encoded (ConsoleURL). The TUI
// copies (or opens) the link of the selected conversation.

// ConsolePlaceholders are the placeholders a console_url template may hold.
var ConsolePlaceholders = []string{"{id}", "{source}"}

// errNoID says that a console_url template never names the conversation.
var errNoID = errors.New("has no {id}: every conversation would link to the same page")

// CheckConsoleURL checks a console_url template: an absolute http(s) URL once its
// placeholders are filled, without credentials, holding no placeholder but {id} and
// {source}. A template without {id} is allowed but reported (errNoID, a warning).
func CheckConsoleURL(tmpl string) error {
	rest := tmpl
	for {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			break
		}
		if rest[i] == '}' {
			return fmt.Errorf("has a '}' that closes no placeholder (placeholders: %s)", strings.Join(ConsolePlaceholders, ", "))
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return fmt.Errorf("has a '{' that is not closed (placeholders: %s)", strings.Join(ConsolePlaceholders, ", "))
		}
		ph := rest[i : i+j+1]
		if !isPlaceholder(ph) {
			return fmt.Errorf("has an unknown placeholder %s (known: %s)", clipPlaceholder(ph), strings.Join(ConsolePlaceholders, ", "))
		}
		rest = rest[i+j+1:]
	}
	u, err := url.Parse(ConsoleURL(tmpl, "source", "id"))
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return errors.New("is not an http(s) URL")
	case u.User != nil:
		return errors.New("must not hold credentials")
	case !strings.Contains(tmpl, "{id}"):
		return errNoID
	}
	return nil
}

// ConsoleURL fills a console_url template: {id} becomes id and {source} becomes source, each
// percent-encoded as a URL component (everything but letters, digits and -._~ is %XX), so an
// id cannot add a path segment, a query parameter or a fragment, and the link holds no space
// or control character. A template without placeholders is returned as it is.
func ConsoleURL(tmpl, source, id string) string {
	return strings.NewReplacer("{id}", escapeComponent(id), "{source}", escapeComponent(source)).Replace(tmpl)
}

func isPlaceholder(s string) bool {
	for _, p := range ConsolePlaceholders {
		if s == p {
			return true
		}
	}
	return false
}

// clipPlaceholder quotes a placeholder for a message, cut to a sensible length.
func clipPlaceholder(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// escapeComponent percent-encodes every byte of s but the unreserved characters of RFC 3986.
func escapeComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// consoleURL checks the source's console_url, when set.
func (c *sourceCheck) consoleURL(s *Source, rs rawSource) {
	if rs.ConsoleURL == "" {
		return
	}
	s.ConsoleURL = rs.ConsoleURL
	err := CheckConsoleURL(rs.ConsoleURL)
	switch {
	case errors.Is(err, errNoID):
		c.warn("console_url", "console_url %s", err.Error())
	case err != nil:
		s.ConsoleURL = ""
		shown := rs.ConsoleURL
		if strings.ContainsAny(shown, "@?#") { // what might hold a credential is masked
			shown = redactURL(shown)
		}
		c.fail("console_url", "console_url %q %s; e.g. \"https://console.example.com/conversations/{id}\"", shown, err.Error())
	}
}
