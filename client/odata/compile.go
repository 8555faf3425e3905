package odata

import (
	"strings"

	"github.com/confab-dev/confab/client"
)

// vtype is the type of an operand.
type vtype int

const (
	vString vtype = iota
	vTime
	vNumber
	vBool
	vNull
)

// operand is a compiled value with what is needed to type-check it and to point at it.
type operand struct {
	typ   vtype
	lit   bool       // a constant
	tok   token      // its first token
	field *fieldInfo // for a plain field
	str   strExpr    // for vString
	tim   timeExpr   // for vTime
	null  nullable   // non-nil when it can be compared with null
}

// desc names the operand for messages: the field or expression as normalized text, or the
// literal as written.
func (o operand) desc() string {
	if o.lit {
		return o.tok.text
	}
	var b strings.Builder
	switch {
	case o.str != nil:
		o.str.write(&b)
	case o.tim != nil:
		o.tim.write(&b)
	}
	return b.String()
}

// kindName describes a non-literal operand's type: "a text field", "a date-time field".
func (o operand) kindName() string {
	what := "field"
	if o.field == nil {
		what = "value"
	}
	if o.typ == vTime {
		return "a date-time " + what
	}
	return "a text " + what
}

// compiler type-checks a syntax tree and compiles it into conditions.
type compiler struct {
	s *schema
}

// mismatch reports a tree the parser should have refused; it should never be seen (the
// fuzz test looks for it).
func (c *compiler) mismatch() error { return &client.FilterError{Msg: msgInternal, Pos: -1} }

// logicalOp returns the operator of a node that yields a boolean by an operator, or "".
func logicalOp(n *node) string {
	switch n.kind {
	case nBinary, nNot, nIn:
		return n.tok.val
	}
	return ""
}

// isCondNode reports whether n yields a boolean.
func isCondNode(n *node) bool {
	if logicalOp(n) != "" {
		return true
	}
	return n.kind == nCall && functions[strings.ToLower(n.tok.val)].isCond
}

func (c *compiler) children(n *node, want int) error {
	if len(n.kids) != want {
		return c.mismatch()
	}
	return nil
}

// cond compiles a node that must be a condition. top is true for the root of the filter.
func (c *compiler) cond(n *node, top bool) (cond, error) {
	if n == nil {
		return nil, c.mismatch()
	}
	switch op := logicalOp(n); op {
	case "and", "or":
		if err := c.children(n, 2); err != nil {
			return nil, err
		}
		l, err := c.cond(n.kids[0], false)
		if err != nil {
			return nil, err
		}
		r, err := c.cond(n.kids[1], false)
		if err != nil {
			return nil, err
		}
		if op == "and" {
			return andCond{l, r}, nil
		}
		return orCond{l, r}, nil
	case "not":
		if err := c.children(n, 1); err != nil {
			return nil, err
		}
		if !isCondNode(n.kids[0]) {
			return nil, notNeedsCond(n.tok)
		}
		x, err := c.cond(n.kids[0], false)
		if err != nil {
			return nil, err
		}
		return notCond{x}, nil
	case "eq", "ne", "gt", "ge", "lt", "le":
		if err := c.children(n, 2); err != nil {
			return nil, err
		}
		l, err := c.operand(n.kids[0])
		if err != nil {
			return nil, err
		}
		r, err := c.operand(n.kids[1])
		if err != nil {
			return nil, err
		}
		return compare(n.tok, cmpOps[op], l, r)
	case "in":
		return c.in(n)
	case "":
		if isCondNode(n) {
			return c.strFunc(n)
		}
	default:
		return nil, c.mismatch()
	}
	// A value where a condition belongs: "platform", "platform and …".
	first := n.first()
	o, err := c.operand(n)
	if err != nil {
		return nil, err
	}
	where := "here"
	if top {
		where = "the filter must be a condition"
	}
	if o.field != nil {
		return nil, errAt(first.pos, first.text, "%s is a field, not a condition (%s): compare it, e.g. %s eq %s",
			o.desc(), where, o.desc(), c.example(o.field))
	}
	return nil, errAt(first.pos, first.text, "%s is a value, not a condition (%s)", o.desc(), where)
}

// example is a sample value for messages about f.
func (c *compiler) example(f *fieldInfo) string {
	switch f.typ {
	case typeDatetime:
		return "'2026-01-01T00:00:00Z'"
	}
	for _, fl := range Fields(c.s.coll) {
		if fl.Name == f.name && len(fl.Values) > 0 {
			return "'" + fl.Values[0] + "'"
		}
	}
	return "'…'"
}

func notNeedsCond(t token) error {
	return errAt(t.pos, t.text, "not applies only to what directly follows it: put the condition in parentheses, e.g. not (platform eq 'slack')")
}

// operand compiles a node that must be a value.
func (c *compiler) operand(n *node) (operand, error) {
	if n == nil {
		return operand{}, c.mismatch()
	}
	if op := logicalOp(n); op != "" || isCondNode(n) {
		first := n.first()
		if op == "not" {
			return operand{}, notNeedsCond(first)
		}
		return operand{}, errAt(first.pos, first.text, "expected a value here, found a condition starting at %s", first.describe())
	}
	switch n.kind {
	case nCall:
		return c.caseFunc(n)
	case nLeaf:
	default:
		return operand{}, c.mismatch()
	}
	t := n.tok
	switch t.kind {
	case tkField:
		return c.fieldOperand(t)
	case tkString:
		lit := strLit{t.val}
		return operand{typ: vString, lit: true, tok: t, str: lit}, nil
	case tkDatetime:
		lit := newTimeLit(t.t)
		return operand{typ: vTime, lit: true, tok: t, tim: lit}, nil
	case tkNumber:
		return operand{typ: vNumber, lit: true, tok: t}, nil
	case tkBool:
		return operand{typ: vBool, lit: true, tok: t}, nil
	case tkNull:
		return operand{typ: vNull, lit: true, tok: t}, nil
	}
	return operand{}, c.mismatch()
}

func (c *compiler) fieldOperand(t token) (operand, error) {
	f, ok := c.s.fields[t.val]
	if !ok { // the parser already rejected unknown fields
		return operand{}, errAt(t.pos, t.text, "%s", c.s.unknownFieldMsg(t.val))
	}
	ref := fieldRef{f}
	o := operand{tok: t, field: f, null: ref}
	if f.typ == typeDatetime {
		o.typ, o.tim = vTime, ref
	} else {
		o.typ, o.str = vString, ref
	}
	return o, nil
}

// caseFunc compiles tolower(x) / toupper(x).
func (c *compiler) caseFunc(n *node) (operand, error) {
	name := strings.ToLower(n.tok.val)
	if name != "tolower" && name != "toupper" {
		return operand{}, c.mismatch()
	}
	if err := c.children(n, 1); err != nil {
		return operand{}, err
	}
	t := n.tok
	arg, err := c.operand(n.kids[0])
	if err != nil {
		return operand{}, err
	}
	if arg.typ != vString {
		return operand{}, needsText(name, arg)
	}
	f := caseFunc{upper: name == "toupper", x: arg.str}
	// Never a literal, even of a constant: it has no literal token to convert or quote.
	return operand{typ: vString, tok: t, str: f, null: f}, nil
}

// needsText reports a non-text argument of a text function.
func needsText(fn string, arg operand) error {
	switch {
	case arg.typ == vNull:
		return errAt(arg.tok.pos, arg.tok.text, "%s needs text, not null", fn)
	case arg.typ == vTime && !arg.lit:
		return errAt(arg.tok.pos, arg.tok.text, "%s works on text, and %s is %s", fn, arg.desc(), arg.kindName())
	}
	return errAt(arg.tok.pos, arg.tok.text, "%s works on text: quote the value, '%s'", fn, arg.tok.text)
}

// strFunc compiles contains / startswith / endswith.
func (c *compiler) strFunc(n *node) (cond, error) {
	if err := c.children(n, 2); err != nil {
		return nil, err
	}
	t, name := n.tok, strings.ToLower(n.tok.val)
	var args [2]operand
	for i := range args {
		var err error
		if args[i], err = c.operand(n.kids[i]); err != nil {
			return nil, err
		}
		if args[i].typ != vString {
			return nil, needsText(name, args[i])
		}
	}
	if args[0].lit && args[1].lit {
		return nil, errAt(t.pos, t.text, "%s needs a field among its arguments, e.g. %s(detail/content, 'vpn')", name, name)
	}
	fn := map[string]strFunc{"contains": fnContains, "startswith": fnStartsWith, "endswith": fnEndsWith}[name]
	return strFuncCond{fn: fn, a: args[0].str, b: args[1].str}, nil
}

// in compiles "x in (v1, v2, …)".
func (c *compiler) in(n *node) (cond, error) {
	if err := c.children(n, 2); err != nil {
		return nil, err
	}
	x, err := c.operand(n.kids[0])
	if err != nil {
		return nil, err
	}
	inTok := n.tok
	list := n.kids[1]
	if list.kind != nList {
		return nil, c.mismatch()
	}
	if x.lit {
		return nil, errAt(x.tok.pos, x.tok.text, "in needs a field on its left, e.g. platform in ('slack', 'msteams')")
	}
	var items []operand
	for _, child := range list.kids {
		o, err := c.operand(child)
		if err != nil {
			return nil, err
		}
		items = append(items, o)
	}
	if len(items) == 0 {
		return nil, errAt(inTok.pos, inTok.text, "in needs at least one value in its list")
	}
	if x.typ == vTime {
		ic := inTimeCond{x: x.tim}
		for _, it := range items {
			if it.typ == vNull {
				ic.hasNull = true
				ic.items = append(ic.items, nullExpr{})
				continue
			}
			tl, err := asTime(x, it)
			if err != nil {
				return nil, err
			}
			ic.vals = append(ic.vals, tl.in)
			ic.items = append(ic.items, tl)
		}
		return ic, nil
	}
	ic := inStrCond{x: x.str}
	for _, it := range items {
		switch it.typ {
		case vNull:
			ic.hasNull = true
			ic.items = append(ic.items, nullExpr{})
		case vString:
			s := it.tok.val
			ic.vals = append(ic.vals, s)
			ic.items = append(ic.items, strLit{s})
		default:
			return nil, mismatchedLiteral(x, it)
		}
	}
	if len(ic.vals) > 8 {
		ic.set = make(map[string]struct{}, len(ic.vals))
		for _, v := range ic.vals {
			ic.set[v] = struct{}{}
		}
	}
	return ic, nil
}

// asTime converts a literal compared with the date-time value x: a bare date-time, or a
// quoted one parsed now.
func asTime(x, lit operand) (timeLit, error) {
	switch lit.typ {
	case vTime:
		return newTimeLit(lit.tok.t), nil
	case vString:
		t, err := parseDateTime(lit.tok.val)
		if err != nil {
			return timeLit{}, errAt(lit.tok.pos, lit.tok.text, "%s is not a valid date-time for %s: %v", lit.tok.text, x.desc(), err)
		}
		return newTimeLit(t), nil
	}
	return timeLit{}, mismatchedLiteral(x, lit)
}

// mismatchedLiteral reports a literal of the wrong type compared with x.
func mismatchedLiteral(x, lit operand) error {
	if x.typ == vTime {
		return errAt(lit.tok.pos, lit.tok.text, "%s is %s: compare it with a date-time such as '2026-01-01T00:00:00Z', not %s", x.desc(), x.kindName(), lit.tok.text)
	}
	if lit.typ == vTime {
		return errAt(lit.tok.pos, lit.tok.text, "%s is %s and cannot be compared with a date-time; only created_time and last_updated_time are date-times", x.desc(), x.kindName())
	}
	return errAt(lit.tok.pos, lit.tok.text, "%s is %s: quote the value, '%s'", x.desc(), x.kindName(), lit.tok.text)
}

// compare type-checks "l op r" and compiles it.
func compare(opTok token, op cmpOp, l, r operand) (cond, error) {
	if l.lit && r.lit {
		for _, o := range []operand{l, r} {
			if o.typ == vString && o.tok.kind == tkString && isFieldName(o.tok.val) {
				return nil, errAt(o.tok.pos, o.tok.text, "%s is quoted text, not a field: write %s without quotes", o.tok.text, o.tok.val)
			}
		}
		return nil, errAt(l.tok.pos, l.tok.text, "a comparison needs a field, e.g. platform eq 'slack'")
	}
	if l.typ == vNull || r.typ == vNull {
		if op != opEq && op != opNe {
			return nil, errAt(opTok.pos, opTok.text, "null can only be compared with eq or ne")
		}
		x := l
		if l.typ == vNull {
			x = r
		}
		if x.null == nil { // a constant; cannot happen as both-literal is handled above
			return nil, errAt(x.tok.pos, x.tok.text, "a comparison needs a field, e.g. label eq null")
		}
		return nullCond{x: x.null, wantNull: op == opEq}, nil
	}
	if l.typ == vTime || r.typ == vTime {
		lt, rt := l.tim, r.tim
		switch {
		case l.typ == vTime && r.typ == vTime:
		case !l.lit && !r.lit:
			return nil, errAt(opTok.pos, opTok.text, "cannot compare %s (%s) with %s (%s)", l.desc(), l.kindName(), r.desc(), r.kindName())
		case l.lit:
			if r.typ != vTime {
				return nil, mismatchedLiteral(r, l)
			}
			tl, err := asTime(r, l)
			if err != nil {
				return nil, err
			}
			lt = tl
		default:
			if l.typ != vTime {
				return nil, mismatchedLiteral(l, r)
			}
			tl, err := asTime(l, r)
			if err != nil {
				return nil, err
			}
			rt = tl
		}
		return cmpTimeCond{op: op, l: lt, r: rt}, nil
	}
	if l.typ == vString && r.typ == vString {
		return cmpStrCond{op: op, l: l.str, r: r.str}, nil
	}
	if l.lit {
		return nil, mismatchedLiteral(r, l)
	}
	return nil, mismatchedLiteral(l, r)
}

// isFieldName reports whether s names a field of any collection.
func isFieldName(s string) bool {
	for _, sc := range schemas {
		if _, ok := sc.fields[s]; ok {
			return true
		}
	}
	return false
}
