package mock

import (
	"fmt"
	"strings"
	"time"
)

// The mock's own OData $filter evaluator for the Moveworks collections. It is written apart
// from confab's client/odata on purpose and shares no code with it: the mock stands for the
// vendor, so a bug in confab's validator or evaluator shows up as a disagreement with the
// mock (see the differential test) instead of being mirrored by it.
//
// It implements what the vendor documents (APIS.md §1.4): comparisons eq ne gt ge lt le,
// joined with and, or, not and parentheses, over the records' own top-level attributes, with
// 'quoted' text, null, and date-times quoted ('2026-01-01T00:00:00Z') or bare
// (2026-01-01T00:00:00Z), compared as instants. Forms the documents do not promise are
// refused with a 400, as a strict vendor would: in, functions (contains, tolower…), paths
// into detail (detail/domain), arithmetic, has. Keywords are case-insensitive, field names
// are not. Semantics: text compares ordinally; a missing field is null; null eq null is
// true; ordering against null is an error.

// mwFilterKind is the kind of a token of a $filter.
type mwFilterKind int

const (
	mfEOF mwFilterKind = iota
	mfName
	mfString
	mfNumber
	mfDatetime
	mfNull
	mfBool
	mfCmp
	mfAnd
	mfOr
	mfNot
	mfLParen
	mfRParen
	mfOther // a keyword or symbol the mock refuses (in, has, add, a comma, a function call…)
)

type mwFilterToken struct {
	kind mwFilterKind
	text string // as written
	str  string // the unescaped text of a string; the lower-cased keyword; the name
	at   time.Time
	pos  int
}

// mwDatetimeLayouts are the date-time forms the mock reads, quoted or bare.
var mwDatetimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02"}

func mwParseTime(s string) (time.Time, bool) {
	for _, l := range mwDatetimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// mwTokenize splits a $filter into tokens.
func mwTokenize(s string) ([]mwFilterToken, error) {
	var out []mwFilterToken
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, mwFilterToken{kind: mfLParen, text: "(", pos: i})
			i++
		case c == ')':
			out = append(out, mwFilterToken{kind: mfRParen, text: ")", pos: i})
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated string starting at position %d", i)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, mwFilterToken{kind: mfString, text: s[i : j+1], str: b.String(), pos: i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '-':
			j := i + 1
			for j < len(s) && strings.IndexByte("0123456789-:.TZ+", s[j]) >= 0 {
				j++
			}
			w := s[i:j]
			if t, ok := mwParseTime(w); ok && strings.Contains(w, "-") && len(w) >= 10 {
				out = append(out, mwFilterToken{kind: mfDatetime, text: w, at: t, pos: i})
			} else if mwIsInt(w) {
				out = append(out, mwFilterToken{kind: mfNumber, text: w, pos: i})
			} else {
				return nil, fmt.Errorf("cannot read %q at position %d", w, i)
			}
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == '/' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			w := s[i:j]
			t := mwFilterToken{text: w, str: strings.ToLower(w), pos: i}
			switch t.str {
			case "eq", "ne", "gt", "ge", "lt", "le":
				t.kind = mfCmp
			case "and":
				t.kind = mfAnd
			case "or":
				t.kind = mfOr
			case "not":
				t.kind = mfNot
			case "null":
				t.kind = mfNull
			case "true", "false":
				t.kind = mfBool
			case "in", "has", "add", "sub", "mul", "div", "divby", "mod":
				t.kind = mfOther
			default:
				t.kind, t.str = mfName, w
				if j < len(s) && s[j] == '(' {
					t.kind = mfOther // a function call
				}
			}
			out = append(out, t)
			i = j
		default:
			out = append(out, mwFilterToken{kind: mfOther, text: s[i : i+1], pos: i})
			i++
		}
	}
	return append(out, mwFilterToken{kind: mfEOF, text: "end of filter", pos: len(s)}), nil
}

func mwIsInt(w string) bool {
	w = strings.TrimPrefix(w, "-")
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// mwCond is a compiled condition over a JSON-decoded record.
type mwCond func(rec map[string]any) bool

// mwFilterParser is a recursive-descent parser:
//
//	or   := and { "or" and }
//	and  := not { "and" not }
//	not  := "not" primary | primary
//	primary := "(" or ")" | operand cmp operand
type mwFilterParser struct {
	toks   []mwFilterToken
	i      int
	fields map[string]bool // the collection's top-level fields
	times  map[string]bool // those that hold date-times
	depth  int
}

// mwCompileFilter parses filter for a collection with the given fields; "" matches all.
func mwCompileFilter(filter string, fields, times map[string]bool) (mwCond, error) {
	if strings.TrimSpace(filter) == "" {
		return func(map[string]any) bool { return true }, nil
	}
	toks, err := mwTokenize(filter)
	if err != nil {
		return nil, err
	}
	p := &mwFilterParser{toks: toks, fields: fields, times: times}
	c, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != mfEOF {
		return nil, p.unexpected(t)
	}
	return c, nil
}

func (p *mwFilterParser) peek() mwFilterToken { return p.toks[p.i] }

func (p *mwFilterParser) next() mwFilterToken {
	t := p.toks[p.i]
	if t.kind != mfEOF {
		p.i++
	}
	return t
}

func (p *mwFilterParser) unexpected(t mwFilterToken) error {
	if t.kind == mfOther {
		return fmt.Errorf("unsupported syntax %q at position %d: only eq, ne, gt, ge, lt, le, and, or, not and parentheses are supported", t.text, t.pos)
	}
	return fmt.Errorf("unexpected %q at position %d", t.text, t.pos)
}

func (p *mwFilterParser) or() (mwCond, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == mfOr {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(rec map[string]any) bool { return a(rec) || b(rec) }
	}
	return l, nil
}

func (p *mwFilterParser) and() (mwCond, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == mfAnd {
		p.next()
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(rec map[string]any) bool { return a(rec) && b(rec) }
	}
	return l, nil
}

func (p *mwFilterParser) not() (mwCond, error) {
	if p.peek().kind != mfNot {
		return p.primary()
	}
	p.next()
	if p.peek().kind != mfLParen {
		// not binds tighter than eq in OData: "not route eq 'x'" is (not route) eq 'x'.
		return nil, fmt.Errorf("not at position %d must be followed by a parenthesized condition", p.toks[p.i-1].pos)
	}
	c, err := p.primary()
	if err != nil {
		return nil, err
	}
	return func(rec map[string]any) bool { return !c(rec) }, nil
}

func (p *mwFilterParser) primary() (mwCond, error) {
	if p.peek().kind == mfLParen {
		if p.depth++; p.depth > 100 {
			return nil, fmt.Errorf("parentheses nested too deeply")
		}
		p.next()
		c, err := p.or()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != mfRParen {
			return nil, fmt.Errorf("missing ) before %q at position %d", t.text, t.pos)
		}
		p.depth--
		return c, nil
	}
	return p.comparison()
}

// mwOperand is one side of a comparison: a field or a constant.
type mwOperand struct {
	tok   mwFilterToken
	field string // "" for a constant
}

func (p *mwFilterParser) operand() (mwOperand, error) {
	t := p.next()
	switch t.kind {
	case mfName:
		if strings.Contains(t.str, "/") {
			return mwOperand{}, fmt.Errorf("filtering on the nested property %q is not supported", t.str)
		}
		if !p.fields[t.str] {
			return mwOperand{}, fmt.Errorf("unknown property %q", t.str)
		}
		return mwOperand{tok: t, field: t.str}, nil
	case mfString, mfNumber, mfDatetime, mfNull, mfBool:
		return mwOperand{tok: t}, nil
	}
	return mwOperand{}, p.unexpected(t)
}

// mwValue is a comparable value: null, text or an instant.
type mwValue struct {
	null   bool
	isTime bool
	s      string
	t      time.Time
}

func (p *mwFilterParser) comparison() (mwCond, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	op := p.next()
	if op.kind != mfCmp {
		return nil, p.unexpected(op)
	}
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	if l.field == "" && r.field == "" {
		return nil, fmt.Errorf("the comparison at position %d compares two constants", op.pos)
	}
	ordering := op.str != "eq" && op.str != "ne"
	if ordering && (l.tok.kind == mfNull || r.tok.kind == mfNull) {
		return nil, fmt.Errorf("null can only be compared with eq or ne (position %d)", op.pos)
	}
	if l.field != "" && r.field != "" && p.times[l.field] != p.times[r.field] {
		return nil, fmt.Errorf("%s and %s have different types", l.field, r.field)
	}
	lv, err := p.constant(l, r)
	if err != nil {
		return nil, err
	}
	rv, err := p.constant(r, l)
	if err != nil {
		return nil, err
	}
	get := func(o mwOperand, c mwValue) func(map[string]any) mwValue {
		if o.field == "" {
			return func(map[string]any) mwValue { return c }
		}
		isTime := p.times[o.field]
		return func(rec map[string]any) mwValue {
			s, ok := rec[o.field].(string)
			if !ok {
				return mwValue{null: true}
			}
			if isTime {
				t, ok := mwParseTime(s)
				if !ok {
					return mwValue{null: true}
				}
				return mwValue{isTime: true, t: t}
			}
			return mwValue{s: s}
		}
	}
	lget, rget := get(l, lv), get(r, rv)
	cmpOp := op.str
	return func(rec map[string]any) bool {
		a, b := lget(rec), rget(rec)
		if a.null || b.null {
			switch cmpOp {
			case "eq":
				return a.null && b.null
			case "ne":
				return a.null != b.null
			}
			return false
		}
		var c int
		if a.isTime {
			c = a.t.Compare(b.t)
		} else {
			c = strings.Compare(a.s, b.s)
		}
		switch cmpOp {
		case "eq":
			return c == 0
		case "ne":
			return c != 0
		case "gt":
			return c > 0
		case "ge":
			return c >= 0
		case "lt":
			return c < 0
		}
		return c <= 0 // le
	}, nil
}

// constant types the constant o against the field it is compared with (other).
func (p *mwFilterParser) constant(o, other mwOperand) (mwValue, error) {
	if o.field != "" {
		return mwValue{}, nil
	}
	t := o.tok
	if t.kind == mfNull {
		return mwValue{null: true}, nil
	}
	isTime := p.times[other.field]
	switch {
	case isTime && t.kind == mfDatetime:
		return mwValue{isTime: true, t: t.at}, nil
	case isTime && t.kind == mfString:
		at, ok := mwParseTime(t.str)
		if !ok {
			return mwValue{}, fmt.Errorf("%s is not a date-time value for %s", t.text, other.field)
		}
		return mwValue{isTime: true, t: at}, nil
	case !isTime && t.kind == mfString:
		return mwValue{s: t.str}, nil
	}
	return mwValue{}, fmt.Errorf("%s cannot be compared with the text property %s (position %d)", t.text, other.field, t.pos)
}
