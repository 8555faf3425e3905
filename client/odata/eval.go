package odata

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// cond is a compiled boolean condition.
type cond interface {
	match(rec map[string]any) bool
	write(b *strings.Builder)
}

// expr is a compiled value: a field, a literal or a function of them.
type expr interface {
	write(b *strings.Builder)
}

// strExpr is a text-valued expression; ok is false when the value is null.
type strExpr interface {
	expr
	str(rec map[string]any) (s string, ok bool)
}

// timeExpr is a date-time-valued expression; ok is false when the value is null or not a
// date-time.
type timeExpr interface {
	expr
	tm(rec map[string]any) (t instant, ok bool)
}

// nullable is an expression that can be tested against null.
type nullable interface {
	expr
	isNull(rec map[string]any) bool
}

// cmpOp is a comparison operator.
type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opGt
	opGe
	opLt
	opLe
)

var cmpOps = map[string]cmpOp{"eq": opEq, "ne": opNe, "gt": opGt, "ge": opGe, "lt": opLt, "le": opLe}

func (o cmpOp) String() string { return [...]string{"eq", "ne", "gt", "ge", "lt", "le"}[o] }

// holds reports whether o holds for a comparison result c (-1, 0, +1).
func (o cmpOp) holds(c int) bool {
	switch o {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	default:
		return c <= 0
	}
}

// withNull is the result of o when at least one side is null (OData semantics: null eq null
// is true, null ne x is true, any ordering with null is false).
func (o cmpOp) withNull(lNull, rNull bool) bool {
	switch o {
	case opEq:
		return lNull && rNull
	case opNe:
		return lNull != rNull
	}
	return false
}

// ---- values ----

// fieldRef reads a field (or a detail/... path) of a record.
type fieldRef struct{ f *fieldInfo }

func (r fieldRef) raw(rec map[string]any) any {
	v := rec[r.f.path[0]]
	for _, seg := range r.f.path[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[seg]
	}
	return v
}

// str returns the field as text. Numbers and booleans are formatted; objects, arrays, null
// and missing fields are null.
func (r fieldRef) str(rec map[string]any) (string, bool) {
	switch v := r.raw(rec).(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	case json.Number:
		return string(v), true
	}
	return "", false
}

func (r fieldRef) tm(rec map[string]any) (instant, bool) {
	s, ok := r.raw(rec).(string)
	if !ok {
		return instant{}, false
	}
	return recordInstant(s)
}

func (r fieldRef) isNull(rec map[string]any) bool { return r.raw(rec) == nil }

func (r fieldRef) write(b *strings.Builder) { b.WriteString(r.f.name) }

// strLit is a text constant.
type strLit struct{ s string }

func (l strLit) str(map[string]any) (string, bool) { return l.s, true }
func (l strLit) write(b *strings.Builder)          { writeQuoted(b, l.s) }

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('\'')
	b.WriteString(strings.ReplaceAll(s, "'", "''"))
	b.WriteByte('\'')
}

// timeLit is a date-time constant, parsed once at Parse time.
type timeLit struct {
	t  time.Time
	in instant
}

func newTimeLit(t time.Time) timeLit { return timeLit{t: t, in: instantOf(t)} }

func (l timeLit) tm(map[string]any) (instant, bool) { return l.in, true }

// write renders the vendor's documented form: a quoted UTC date-time with a Z suffix.
func (l timeLit) write(b *strings.Builder) {
	writeQuoted(b, l.t.UTC().Format(time.RFC3339Nano))
}

// caseFunc is tolower(x) or toupper(x).
type caseFunc struct {
	upper bool
	x     strExpr
}

func (f caseFunc) str(rec map[string]any) (string, bool) {
	s, ok := f.x.str(rec)
	if !ok {
		return "", false
	}
	if f.upper {
		return strings.ToUpper(s), true
	}
	return strings.ToLower(s), true
}

func (f caseFunc) isNull(rec map[string]any) bool {
	_, ok := f.x.str(rec)
	return !ok
}

func (f caseFunc) write(b *strings.Builder) {
	if f.upper {
		b.WriteString("toupper(")
	} else {
		b.WriteString("tolower(")
	}
	f.x.write(b)
	b.WriteByte(')')
}

// ---- conditions ----

type andCond struct{ l, r cond }

func (c andCond) match(rec map[string]any) bool { return c.l.match(rec) && c.r.match(rec) }

func (c andCond) write(b *strings.Builder) {
	writeOperand(b, c.l, precAnd)
	b.WriteString(" and ")
	writeOperand(b, c.r, precAnd)
}

type orCond struct{ l, r cond }

func (c orCond) match(rec map[string]any) bool { return c.l.match(rec) || c.r.match(rec) }

func (c orCond) write(b *strings.Builder) {
	writeOperand(b, c.l, precOr)
	b.WriteString(" or ")
	writeOperand(b, c.r, precOr)
}

type notCond struct{ x cond }

func (c notCond) match(rec map[string]any) bool { return !c.x.match(rec) }

func (c notCond) write(b *strings.Builder) {
	b.WriteString("not ")
	if _, ok := c.x.(strFuncCond); ok {
		c.x.write(b)
		return
	}
	b.WriteByte('(')
	c.x.write(b)
	b.WriteByte(')')
}

// Rendering precedences: a child is parenthesized unless it binds tighter than its parent.
// "and" inside "or" is parenthesized too, for readability.
const (
	precOr = iota + 1
	precAnd
	precAtom
)

func precOf(c cond) int {
	switch c.(type) {
	case orCond:
		return precOr
	case andCond:
		return precAnd
	}
	return precAtom
}

func writeOperand(b *strings.Builder, c cond, parent int) {
	p := precOf(c)
	if p == parent || p == precAtom {
		c.write(b)
		return
	}
	b.WriteByte('(')
	c.write(b)
	b.WriteByte(')')
}

// cmpStrCond compares text ordinally (byte-wise).
type cmpStrCond struct {
	op   cmpOp
	l, r strExpr
}

func (c cmpStrCond) match(rec map[string]any) bool {
	l, lok := c.l.str(rec)
	r, rok := c.r.str(rec)
	if !lok || !rok {
		return c.op.withNull(!lok, !rok)
	}
	return c.op.holds(strings.Compare(l, r))
}

func (c cmpStrCond) write(b *strings.Builder) { writeCmp(b, c.l, c.op, c.r) }

func writeCmp(b *strings.Builder, l expr, op cmpOp, r expr) {
	l.write(b)
	b.WriteByte(' ')
	b.WriteString(op.String())
	b.WriteByte(' ')
	r.write(b)
}

// cmpTimeCond compares instants.
type cmpTimeCond struct {
	op   cmpOp
	l, r timeExpr
}

func (c cmpTimeCond) match(rec map[string]any) bool {
	l, lok := c.l.tm(rec)
	r, rok := c.r.tm(rec)
	if !lok || !rok {
		return c.op.withNull(!lok, !rok)
	}
	return c.op.holds(l.compare(r))
}

func (c cmpTimeCond) write(b *strings.Builder) { writeCmp(b, c.l, c.op, c.r) }

// nullCond is "x eq null" or "x ne null".
type nullCond struct {
	x        nullable
	wantNull bool
}

func (c nullCond) match(rec map[string]any) bool { return c.x.isNull(rec) == c.wantNull }

func (c nullCond) write(b *strings.Builder) {
	c.x.write(b)
	if c.wantNull {
		b.WriteString(" eq null")
	} else {
		b.WriteString(" ne null")
	}
}

// inStrCond is "x in ('a', 'b', null)".
type inStrCond struct {
	x       strExpr
	vals    []string
	set     map[string]struct{} // for long lists
	hasNull bool
	items   []expr // for rendering, in the order written
}

func (c inStrCond) match(rec map[string]any) bool {
	s, ok := c.x.str(rec)
	if !ok {
		return c.hasNull
	}
	if c.set != nil {
		_, found := c.set[s]
		return found
	}
	for _, v := range c.vals {
		if v == s {
			return true
		}
	}
	return false
}

func (c inStrCond) write(b *strings.Builder) { writeIn(b, c.x, c.items) }

func writeIn(b *strings.Builder, x expr, items []expr) {
	x.write(b)
	b.WriteString(" in (")
	for i, it := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		it.write(b)
	}
	b.WriteByte(')')
}

// inTimeCond is "created_time in ('2026-01-01T00:00:00Z', …)": equal instants.
type inTimeCond struct {
	x       timeExpr
	vals    []instant
	hasNull bool
	items   []expr
}

func (c inTimeCond) match(rec map[string]any) bool {
	t, ok := c.x.tm(rec)
	if !ok {
		return c.hasNull
	}
	for _, v := range c.vals {
		if t == v {
			return true
		}
	}
	return false
}

func (c inTimeCond) write(b *strings.Builder) { writeIn(b, c.x, c.items) }

// nullExpr renders null inside an in-list.
type nullExpr struct{}

func (nullExpr) write(b *strings.Builder) { b.WriteString("null") }

// strFunc is a boolean text function.
type strFunc uint8

const (
	fnContains strFunc = iota
	fnStartsWith
	fnEndsWith
)

func (f strFunc) String() string { return [...]string{"contains", "startswith", "endswith"}[f] }

// strFuncCond is contains(a, b), startswith(a, b) or endswith(a, b); false when either is null.
type strFuncCond struct {
	fn   strFunc
	a, b strExpr
}

func (c strFuncCond) match(rec map[string]any) bool {
	a, aok := c.a.str(rec)
	if !aok {
		return false
	}
	b, bok := c.b.str(rec)
	if !bok {
		return false
	}
	switch c.fn {
	case fnContains:
		return strings.Contains(a, b)
	case fnStartsWith:
		return strings.HasPrefix(a, b)
	default:
		return strings.HasSuffix(a, b)
	}
}

func (c strFuncCond) write(b *strings.Builder) {
	b.WriteString(c.fn.String())
	b.WriteByte('(')
	c.a.write(b)
	b.WriteString(", ")
	c.b.write(b)
	b.WriteByte(')')
}
