package secret

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// redacted replaces a secret found in a message.
const redacted = "[redacted]"

// redact replaces every occurrence of secret in s. Redact before sanitizing or truncating, so
// that no part of the secret survives a cut.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, redacted)
}

// Text that looks like a credential, whatever its value: an Authorization value, a
// secret-named field, and a long token of letters and digits (an API key, a JWT, base64).
var (
	schemeRE = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]{8,}=*`)
	fieldRE  = regexp.MustCompile(`(?i)((?:access_token|refresh_token|id_token|client_secret|secret|api[_-]?key|apikey|token|password|passwd)["']?\s*[:=]\s*["']?)[^\s"'&,;}<]+`)
	longRE   = regexp.MustCompile(`[A-Za-z0-9\-._~+/=]{20,}`)
)

// redactLikely replaces what looks like a credential in s (see above) with [redacted]. It
// is for text confab cannot check against a known secret, such as the standard error of a
// failed secret_command: a long token is redacted when it mixes letters and digits (and,
// if it holds a '/', upper and lower case and does not start like a path), so words and
// paths stay readable. A short secret in free text (not after "password=" or
// the like) cannot be told from a word and stays.
func redactLikely(s string) string {
	s = schemeRE.ReplaceAllString(s, "${1}${2}"+redacted)
	s = fieldRE.ReplaceAllString(s, "${1}"+redacted)
	return longRE.ReplaceAllStringFunc(s, func(tok string) string {
		letter := strings.ContainsFunc(tok, unicode.IsLetter)
		digit := strings.ContainsFunc(tok, unicode.IsDigit)
		if !letter || !digit {
			return tok
		}
		if strings.Contains(tok, "/") && (strings.ContainsAny(tok[:1], "/~.") ||
			!strings.ContainsFunc(tok, unicode.IsUpper) || !strings.ContainsFunc(tok, unicode.IsLower)) {
			return tok // a path
		}
		return redacted
	})
}

// sanitize makes untrusted text (a command's standard error, a D-Bus error) safe and short for
// one line of a terminal: escape sequences and control characters are removed, invalid UTF-8 is
// replaced, lines are joined with " | ", runs of spaces are collapsed, and the result is cut to
// at most max characters, ending in "…" when cut.
func sanitize(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false // a separator is pending
	newline := false
	emit := func(r rune) {
		if b.Len() > 0 {
			switch {
			case newline:
				b.WriteString(" | ")
			case space:
				b.WriteByte(' ')
			}
		}
		space, newline = false, false
		b.WriteRune(r)
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // ESC: skip the whole sequence
			i += size + escapeLen(s[i+size:])
			continue
		case r == '\n' || r == '\r':
			newline = true
		case r == ' ' || r == '\t' || unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r) || r == 0x9b || unicode.Is(unicode.Cf, r):
			// C0, C1 (including the 8-bit CSI) and invisible format characters (bidi overrides).
		default:
			emit(r)
		}
		i += size
	}
	out := b.String()
	if utf8.RuneCountInString(out) > max {
		rs := []rune(out)
		out = strings.TrimRight(string(rs[:max-1]), " |") + "…"
	}
	return out
}

// escapeLen returns the length of the rest of an escape sequence that followed ESC.
func escapeLen(s string) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case '[': // CSI: parameters and intermediates, then a final byte 0x40–0x7E
		for i := 1; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']', 'P', '_', '^', 'X': // OSC, DCS, APC, PM, SOS: up to BEL or ST (ESC \)
		for i := 1; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	default: // a two-character sequence
		_, size := utf8.DecodeRuneInString(s)
		return size
	}
}

// ShellQuote quotes s for a POSIX shell when it needs it: as it is when it holds only
// letters, digits and "_-.,:/@%+=", else in single quotes.
func ShellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-.,:/@%+=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
