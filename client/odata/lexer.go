package odata

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// tokKind classifies a lexical token of a $filter.
type tokKind int

const (
	tkField    tokKind = iota // a field name or path: platform, detail/domain
	tkFunc                    // a name directly followed by "(": contains
	tkString                  // 'text' ('' escapes a quote)
	tkNumber                  // 42, -1.5
	tkDatetime                // 2026-01-01T00:00:00Z or a bare date 2026-01-01
	tkNull                    // null
	tkBool                    // true, false
	tkCmp                     // eq ne gt ge lt le
	tkAnd                     // and
	tkOr                      // or
	tkNot                     // not
	tkIn                      // in
	tkLParen                  // (
	tkRParen                  // )
	tkComma                   // ,
)

// token is one lexical token with its byte offset in the original text.
type token struct {
	kind tokKind
	pos  int       // byte offset of the first byte
	text string    // the token as written
	val  string    // string value (unescaped), lower-cased keyword, or field/function name
	t    time.Time // for tkDatetime
}

func (t token) end() int { return t.pos + len(t.text) }

// isLiteral reports whether t is a constant value.
func (t token) isLiteral() bool {
	switch t.kind {
	case tkString, tkNumber, tkDatetime, tkNull, tkBool:
		return true
	}
	return false
}

// describe names t for messages: "and", "'slack'", "end of filter".
func (t token) describe() string {
	return fmt.Sprintf("%q", t.text)
}

var keywords = map[string]tokKind{
	"eq": tkCmp, "ne": tkCmp, "gt": tkCmp, "ge": tkCmp, "lt": tkCmp, "le": tkCmp,
	"and": tkAnd, "or": tkOr, "not": tkNot, "in": tkIn,
	"null": tkNull, "true": tkBool, "false": tkBool,
}

// symbolHints maps operators from other languages to the OData keyword to use instead.
var symbolHints = []struct{ sym, kw string }{
	{"==", "eq"}, {"!=", "ne"}, {"<>", "ne"}, {">=", "ge"}, {"<=", "le"},
	{"&&", "and"}, {"||", "or"}, {"=", "eq"}, {">", "gt"}, {"<", "lt"}, {"!", "not"},
}

func errAt(pos int, tok, format string, args ...any) *client.FilterError {
	return &client.FilterError{Msg: fmt.Sprintf(format, args...), Pos: pos, Token: tok}
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '.'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isValueChar is a byte of a bare number or date-time.
func isValueChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c == '.' || c == ':' || c == '+' || c == '-'
}

var (
	numberRe   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	dateLikeRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`)
)

// lex splits text into tokens. It reports unterminated strings, stray characters, operators
// from other languages and malformed numbers and date-times; with an error, the tokens
// before the offending one are returned too (completion reads them).
func lex(text string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(text) {
		c := text[i]
		switch {
		case isSpace(c):
			i++
		case c == '(':
			toks = append(toks, token{kind: tkLParen, pos: i, text: "(", val: "("})
			i++
		case c == ')':
			toks = append(toks, token{kind: tkRParen, pos: i, text: ")", val: ")"})
			i++
		case c == ',':
			toks = append(toks, token{kind: tkComma, pos: i, text: ",", val: ","})
			i++
		case c == '\'':
			t, err := lexString(text, i)
			if err != nil {
				return toks, err
			}
			toks = append(toks, t)
			i = t.end()
		case c == '"':
			end := strings.IndexByte(text[i+1:], '"')
			if end < 0 {
				return toks, errAt(i, text[i:], "strings are written in single quotes, and this one is not closed")
			}
			s := text[i : i+end+2]
			return toks, errAt(i, s, "strings are written in single quotes: '%s'", strings.ReplaceAll(s[1:len(s)-1], "'", "''"))
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9':
			t, err := lexValue(text, i)
			if err != nil {
				return toks, err
			}
			toks = append(toks, t)
			i = t.end()
		case isIdentStart(c):
			t, err := lexName(text, i)
			if err != nil {
				return toks, err
			}
			toks = append(toks, t)
			i = t.end()
		default:
			for _, h := range symbolHints {
				if strings.HasPrefix(text[i:], h.sym) {
					return toks, errAt(i, h.sym, "use %s instead of %s", h.kw, h.sym)
				}
			}
			r := []rune(text[i:min(len(text), i+4)])[0]
			n := len(string(r))
			if r == '\uFFFD' {
				n = 1
			}
			return toks, errAt(i, text[i:i+n], "unexpected character %q", r)
		}
	}
	return toks, nil
}

// lexString reads the quoted string that starts at text[start], a single quote.
func lexString(text string, start int) (token, error) {
	var b strings.Builder
	i := start + 1
	for {
		j := strings.IndexByte(text[i:], '\'')
		if j < 0 {
			return token{}, errAt(start, text[start:], "unterminated string: add the closing '")
		}
		b.WriteString(text[i : i+j])
		i += j + 1
		if i < len(text) && text[i] == '\'' { // '' is an escaped quote
			b.WriteByte('\'')
			i++
			continue
		}
		return token{kind: tkString, pos: start, text: text[start:i], val: b.String()}, nil
	}
}

// lexValue reads a bare number or date-time starting at text[start].
func lexValue(text string, start int) (token, error) {
	i := start + 1
	for i < len(text) && isValueChar(text[i]) {
		i++
	}
	s := text[start:i]
	if numberRe.MatchString(s) {
		return token{kind: tkNumber, pos: start, text: s, val: s}, nil
	}
	if dateLikeRe.MatchString(s) {
		t, err := parseDateTime(s)
		if err != nil {
			return token{}, errAt(start, s, "invalid date-time %s: %v", s, err)
		}
		return token{kind: tkDatetime, pos: start, text: s, val: s, t: t}, nil
	}
	return token{}, errAt(start, s, "%s is neither a number nor a date-time (write dates like 2026-01-01T00:00:00Z, text in quotes)", s)
}

// lexName reads a keyword, function name, field name or field path at text[start].
func lexName(text string, start int) (token, error) {
	i := start
	for {
		for i < len(text) && isIdentChar(text[i]) {
			i++
		}
		if i < len(text) && text[i] == '/' {
			if i+1 < len(text) && isIdentStart(text[i+1]) {
				i++
				continue
			}
			return token{}, errAt(i, "/", "expected a field name after %q", text[start:i+1])
		}
		break
	}
	name := text[start:i]
	isPath := strings.Contains(name, "/")
	if !isPath {
		if k, ok := keywords[strings.ToLower(name)]; ok {
			return token{kind: k, pos: start, text: name, val: strings.ToLower(name)}, nil
		}
		j := i
		for j < len(text) && isSpace(text[j]) {
			j++
		}
		if j < len(text) && text[j] == '(' {
			return token{kind: tkFunc, pos: start, text: name, val: name}, nil
		}
	}
	return token{kind: tkField, pos: start, text: name, val: name}, nil
}

var (
	dateTimeShapeRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$`)
	errDateShape    = errors.New("write date-times like 2026-01-01T00:00:00Z (or a date like 2026-01-01)")
)

// parseDateTime parses an OData date-time (2026-01-01T00:00:00Z, fractional seconds and
// offsets allowed, seconds optional) or a bare date (midnight UTC). The error says what is
// wrong ("month out of range") without repeating the input.
func parseDateTime(s string) (time.Time, error) {
	if !dateTimeShapeRe.MatchString(s) {
		return time.Time{}, errDateShape
	}
	layout := time.RFC3339Nano
	switch {
	case len(s) == len("2006-01-02"):
		layout = time.DateOnly
	case s[16] != ':': // no seconds: 2006-01-02T15:04Z
		layout = "2006-01-02T15:04Z07:00"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			return time.Time{}, errors.New(strings.TrimPrefix(pe.Message, ": "))
		}
		return time.Time{}, errDateShape
	}
	return t, nil
}

// parseInstant parses a record's date-time value. The vendor's form (RFC 3339) takes the fast
// path; other accepted forms fall back to parseDateTime.
func parseInstant(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := parseDateTime(s)
	return t, err == nil
}
