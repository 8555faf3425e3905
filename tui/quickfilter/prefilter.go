package quickfilter

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/confab-dev/confab/client"
)

// A requirement is what every field a regular expression matches must contain: one of alts,
// in the index's lower-cased text. It lets Filter run the expression only on the rows that
// contain one (a necessary condition, never a sufficient one) — except when exact: then an
// ASCII row matches exactly when it contains one.
type requirement struct {
	alts  []string
	exact bool
}

// maxAlts bounds the literals of a requirement (each one is a scan of the text).
const maxAlts = 8

// prefilter finds a requirement of the expression re (Go syntax, as regexp.Compile parses it),
// or nil when there is none worth using.
func prefilter(expr string) *requirement {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	r := require(re.Simplify())
	if r == nil || minLen(r.alts) == 0 {
		return nil
	}
	return r
}

func require(re *syntax.Regexp) *requirement {
	switch re.Op {
	case syntax.OpLiteral:
		return literal(re.Rune, re.Flags&syntax.FoldCase != 0)
	case syntax.OpCapture:
		return require(re.Sub[0])
	case syntax.OpPlus:
		return inexact(require(re.Sub[0]))
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return inexact(require(re.Sub[0]))
		}
	case syntax.OpConcat:
		var best *requirement
		for _, sub := range re.Sub {
			if r := require(sub); better(r, best) {
				best = r
			}
		}
		if len(re.Sub) == 1 {
			return best
		}
		return inexact(best)
	case syntax.OpAlternate:
		out := &requirement{exact: true}
		for _, sub := range re.Sub {
			r := require(sub)
			if r == nil || len(out.alts)+len(r.alts) > maxAlts {
				return nil
			}
			out.alts = append(out.alts, r.alts...)
			out.exact = out.exact && r.exact
		}
		return out
	}
	return nil
}

func inexact(r *requirement) *requirement {
	if r == nil {
		return nil
	}
	return &requirement{alts: r.alts}
}

// better reports whether a is a more selective requirement than b.
func better(a, b *requirement) bool {
	switch {
	case a == nil:
		return false
	case b == nil:
		return true
	}
	la, lb := minLen(a.alts), minLen(b.alts)
	return la > lb || la == lb && len(a.alts) < len(b.alts)
}

func minLen(alts []string) int {
	if len(alts) == 0 {
		return 0
	}
	n := len(alts[0])
	for _, a := range alts[1:] {
		n = min(n, len(a))
	}
	return n
}

// literal is the requirement of a literal: its longest run of runes whose lower case the index
// text is sure to hold wherever the literal matches. Runes 0 and 1 break runs (the index
// stores 0 as 1); so, ignoring case, does a rune whose case variants do not all lower-case
// alike (s, whose variant ſ is its own lower case).
func literal(runes []rune, fold bool) *requirement {
	var best, cur strings.Builder
	split := false
	flush := func() {
		if cur.Len() > best.Len() {
			best.Reset()
			best.WriteString(cur.String())
		}
		cur.Reset()
	}
	for _, r := range runes {
		if r == 0 || r == 1 || fold && !foldsAlike(r) {
			split = true
			flush()
			continue
		}
		// İ is stored as i, yet an ASCII row's i or I is no İ: containing i does not tell.
		split = split || fold && !foldCovers(r)
		cur.WriteRune(unicode.ToLower(r))
	}
	flush()
	s := best.String()
	if s == "" {
		return nil
	}
	return &requirement{alts: []string{s}, exact: fold && !split && isASCII(s)}
}

// foldCovers reports whether r, ignoring case, matches every ASCII rune stored as its lower
// case: a row of ASCII text that holds the lower case then holds r.
func foldCovers(r rune) bool {
	l := unicode.ToLower(r)
	if l >= utf8.RuneSelf {
		return true
	}
	in := func(x rune) bool {
		if x == r {
			return true
		}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f == x {
				return true
			}
		}
		return false
	}
	return in(l) && in(unicode.ToUpper(l))
}

// foldsAlike reports whether every rune that equals r ignoring case lower-cases like r.
func foldsAlike(r rune) bool {
	l := unicode.ToLower(r)
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if unicode.ToLower(f) != l {
			return false
		}
	}
	return true
}

// matchRegexp reports whether m's expression matches c's user id, summary or a value.
func (m *Matcher) matchRegexp(c *client.Conversation) bool {
	if m.re.MatchString(c.UserID) || m.re.MatchString(c.Summary) {
		return true
	}
	for _, a := range c.Attrs {
		if m.re.MatchString(a.Value) {
			return true
		}
	}
	return false
}

// lowersToASCII reports whether s holds a non-ASCII rune whose lower case is ASCII (İ and the
// Kelvin sign K, the only two).
func lowersToASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Contains(s[i:], "\u0130") || strings.Contains(s[i:], "\u212a")
		}
	}
	return false
}
