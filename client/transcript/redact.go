package transcript

import (
	"math"
	"net/netip"
	"regexp"
	"strings"
)

// The masks Redact puts in place of what it hides.
const (
	MaskEmail = "[email]"
	MaskPhone = "[phone]"
	MaskIP    = "[ip]"
	MaskCard  = "[card]"
	MaskToken = "[token]"
)

// rule is one redaction pattern: re finds candidates, ok (when set) confirms one in context
// (s is the whole text, m the match's start and end), and mask replaces it.
type rule struct {
	name string
	need func(s string) bool // a cheap test that s may hold a match (nil: always run re)
	re   *regexp.Regexp
	ok   func(s string, start, end int) bool
	mask func(match string) string
}

func fixed(mask string) func(string) string { return func(string) string { return mask } }

// rules are applied in order; a later rule never sees what an earlier one masked (the masks
// contain no digits, '@', ':' or long runs of letters).
var rules = []rule{
	// Tokens first: a JWT or a bearer token can contain what looks like an e-mail or a number.
	{
		name: "bearer",
		need: func(s string) bool {
			return containsFold(s, "bearer") || containsFold(s, "basic") || containsFold(s, "token")
		},
		re: regexp.MustCompile(`(?i)\b(bearer|basic|token)(\s+)[A-Za-z0-9._~+/=-]{8,}`),
		mask: func(m string) string {
			i := strings.IndexAny(m, " \t\n")
			j := i
			for j < len(m) && (m[j] == ' ' || m[j] == '\t' || m[j] == '\n') {
				j++
			}
			return m[:j] + MaskToken
		},
	},
	{
		name: "jwt",
		need: func(s string) bool { return strings.Count(s, ".") >= 2 && longestWordRun(s) >= 8 },
		re:   regexp.MustCompile(`\b[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`),
		ok: func(s string, a, b int) bool {
			// A JWT's header is base64url JSON: "eyJ"; other dotted triples need entropy.
			m := s[a:b]
			return strings.HasPrefix(m, "eyJ") || looksRandom(strings.ReplaceAll(m, ".", ""))
		},
		mask: fixed(MaskToken),
	},
	{
		name: "prefixed key",
		need: func(s string) bool {
			return strings.Contains(s, "k-") || strings.Contains(s, "gh") || strings.Contains(s, "xox") || strings.Contains(s, "IA")
		},
		re: regexp.MustCompile(`\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}` +
			`|\bgithub_pat_[A-Za-z0-9_]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`),
		mask: fixed(MaskToken),
	},
	{
		name: "email",
		need: func(s string) bool { return strings.IndexByte(s, '@') >= 0 },
		re:   regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}`),
		mask: fixed(MaskEmail),
	},
	{
		name: "ipv6",
		need: func(s string) bool { return strings.Count(s, ":") >= 2 },
		re:   regexp.MustCompile(`[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?`),
		ok:   isIPv6,
		mask: fixed(MaskIP),
	},
	{
		name: "ipv4",
		need: func(s string) bool { return strings.Count(s, ".") >= 3 && digitCount(s) >= 4 },
		re:   regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`),
		ok:   isIPv4,
		mask: fixed(MaskIP),
	},
	{
		name: "card",
		need: func(s string) bool { return digitCount(s) >= 13 },
		re:   regexp.MustCompile(`\d(?:[ -]?\d){12,18}`),
		ok:   isCard,
		mask: fixed(MaskCard),
	},
	{
		name: "phone (international)",
		need: func(s string) bool { return strings.IndexByte(s, '+') >= 0 && digitCount(s) >= 8 },
		re:   regexp.MustCompile(`\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,5}`),
		ok:   phoneDigits(8, 15),
		mask: fixed(MaskPhone),
	},
	{
		name: "phone (north american)",
		need: func(s string) bool { return digitCount(s) >= 10 },
		// (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, 1-555-123-4567.
		re:   regexp.MustCompile(`(?:\b1[ .-])?(?:\(\d{3}\)[ .-]?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b`),
		ok:   phoneDigits(10, 11),
		mask: fixed(MaskPhone),
	},
	{
		name: "hex token",
		need: func(s string) bool { return longestWordRun(s) >= 32 },
		re:   regexp.MustCompile(`\b[0-9A-Fa-f]{32,}\b`),
		ok: func(s string, a, b int) bool {
			m := s[a:b]
			return strings.ContainsAny(m, "0123456789") && strings.ContainsAny(m, "abcdefABCDEF")
		},
		mask: fixed(MaskToken),
	},
	{
		name: "base64 token",
		need: func(s string) bool { return longestWordRun(s) >= 20 },
		re:   regexp.MustCompile(`[A-Za-z0-9+/_-]{24,}={0,2}`),
		ok: func(s string, a, b int) bool {
			if a > 0 && isWordByte(s[a-1]) || b < len(s) && isWordByte(s[b]) {
				return false
			}
			return looksRandom(strings.TrimRight(s[a:b], "="))
		},
		mask: fixed(MaskToken),
	},
}

// Redact masks e-mail addresses, phone numbers, IPv4 and IPv6 addresses, card-like numbers
// (13 to 19 digits, optionally grouped by spaces or dashes, that pass the Luhn check) and
// token-like strings (JWTs, "Bearer …", API keys with known prefixes such as sk-, ghp_, xoxb-,
// AKIA, and long random-looking base64 or hex strings) in s. Each is replaced by a mask:
// [email], [phone], [ip], [card] or [token].
//
// The patterns aim to leave ordinary text alone: dates (2026-11-08), times (10:04:05), short
// identifiers (Moveworks' 12-character ids), long digit runs that are not Luhn-valid or are
// longer than 19 digits (20-digit user ids), UUIDs, version numbers with fewer than four parts
// and English words are not masked. Redaction is a help, not a guarantee: unusual formats
// get through.
func Redact(s string) string {
	if s == "" {
		return s
	}
	for i := range rules {
		s = rules[i].apply(s)
	}
	return s
}

func (r *rule) apply(s string) string {
	if r.need != nil && !r.need(s) {
		return s
	}
	locs := r.re.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		if r.ok != nil && !r.ok(s, l[0], l[1]) {
			continue
		}
		b.WriteString(s[last:l[0]])
		b.WriteString(r.mask(s[l[0]:l[1]]))
		last = l[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digitBoundary reports whether s[a:b] is not glued to a digit or a letter on either side
// (nor continued by a separator and a digit, as in a longer grouped number).
func digitBoundary(s string, a, b int) bool {
	if a > 0 && (isWordByte(s[a-1]) || s[a-1] == '+' || (a > 1 && (s[a-1] == '-' || s[a-1] == '.') && isDigit(s[a-2]))) {
		return false
	}
	if b < len(s) && isWordByte(s[b]) {
		return false
	}
	if b+1 < len(s) && (s[b] == '-' || s[b] == '.') && isDigit(s[b+1]) {
		return false
	}
	return true
}

func isIPv4(s string, a, b int) bool {
	// Not part of a longer dotted number (a version such as 1.2.3.4.5).
	if a > 1 && s[a-1] == '.' && isDigit(s[a-2]) || b+1 < len(s) && s[b] == '.' && isDigit(s[b+1]) {
		return false
	}
	ip, err := netip.ParseAddr(s[a:b])
	return err == nil && ip.Is4()
}

func isIPv6(s string, a, b int) bool {
	if a > 0 && (isWordByte(s[a-1]) || s[a-1] == ':') || b < len(s) && isWordByte(s[b]) {
		return false
	}
	m := s[a:b]
	ip, err := netip.ParseAddr(m)
	if err != nil || !ip.Is6() {
		return false
	}
	// At least two groups and a decimal digit: "a::b" is an address, but not a likely one.
	if !strings.ContainsAny(m, "0123456789") {
		return false
	}
	groups := 0
	for _, g := range strings.Split(m, ":") {
		if g != "" {
			groups++
		}
	}
	return groups >= 2
}

// isCard reports whether the match is 13–19 digits, grouped consistently, starting like a
// card network's number, passing the Luhn check, and not part of a longer number.
func isCard(s string, a, b int) bool {
	if !digitBoundary(s, a, b) {
		return false
	}
	m := s[a:b]
	if strings.Contains(m, " ") && strings.Contains(m, "-") {
		return false
	}
	digits := make([]byte, 0, len(m))
	for i := 0; i < len(m); i++ {
		if isDigit(m[i]) {
			digits = append(digits, m[i])
		}
	}
	if len(digits) < 13 || len(digits) > 19 {
		return false
	}
	// Card networks' numbers start with 2 to 6 (Mastercard, Amex, Diners, Visa, Discover,
	// JCB, UnionPay, Maestro); Moveworks' 19- and 20-digit user ids start with 9.
	if digits[0] < '2' || digits[0] > '6' {
		return false
	}
	return luhn(digits)
}

// luhn reports whether digits pass the Luhn checksum.
func luhn(digits []byte) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// phoneDigits confirms a phone match that holds lo to hi digits and stands alone.
func phoneDigits(lo, hi int) func(string, int, int) bool {
	return func(s string, a, b int) bool {
		if !digitBoundary(s, a, b) {
			return false
		}
		n := 0
		for i := a; i < b; i++ {
			if isDigit(s[i]) {
				n++
			}
		}
		return n >= lo && n <= hi
	}
}

// looksRandom reports whether s looks like a random token rather than a word, a path or an
// identifier: letters and digits mixed, several character classes, high entropy, and not a
// UUID.
func looksRandom(s string) bool {
	if len(s) < 20 {
		return false
	}
	var lower, upper, digit, other int
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			lower++
		case c >= 'A' && c <= 'Z':
			upper++
		case isDigit(c):
			digit++
		default:
			other++
		}
	}
	if digit == 0 || lower+upper == 0 {
		return false
	}
	classes := 0
	for _, n := range []int{lower, upper, digit} {
		if n > 0 {
			classes++
		}
	}
	if classes < 3 && digit < 4 {
		return false
	}
	if uuidRE.MatchString(s) {
		return false
	}
	return entropy(s) >= 3.5
}

var uuidRE = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// entropy is the Shannon entropy of s's bytes, in bits per byte.
func entropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	h := 0.0
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// digitCount is the number of ASCII digits in s.
func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

// longestWordRun is the length of the longest run of token characters (letters, digits and
// + / _ -) in s.
func longestWordRun(s string) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; isWordByte(c) || c == '+' || c == '/' || c == '-' {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// containsFold reports whether s contains the lower-case ASCII word sub, in any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 != sub[0] {
			continue
		}
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
