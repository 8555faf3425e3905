package odata

import (
	"strings"
)

// nodeKind classifies a node of the syntax tree.
type nodeKind int

const (
	nLeaf   nodeKind = iota // a field, path or literal: tok
	nBinary                 // and, or, eq … le: kids[0] tok kids[1]
	nNot                    // not kids[0]
	nIn                     // kids[0] in kids[1] (an nList)
	nList                   // ( kids… ) after in; tok is the "("
	nCall                   // tok( kids… ); tok is the function name
)

// node is a node of the syntax tree of a $filter. Parentheses used for grouping leave no
// node: the tree's shape records them.
type node struct {
	kind nodeKind
	tok  token
	kids []*node
}

// first is the first token of the node's text, parentheses excepted: where an error about
// the whole node points.
func (n *node) first() token {
	switch n.kind {
	case nBinary, nIn:
		return n.kids[0].first()
	}
	return n.tok
}

// tokens appends the tokens of n to out in text order, parentheses and commas excepted.
func (n *node) tokens(out []token) []token {
	switch n.kind {
	case nBinary, nIn:
		out = n.kids[0].tokens(out)
		out = append(out, n.tok)
		return n.kids[1].tokens(out)
	case nNot, nCall:
		out = append(out, n.tok)
	case nLeaf:
		return append(out, n.tok)
	}
	for _, k := range n.kids {
		out = k.tokens(out)
	}
	return out
}

// Binding powers of the operators, exactly as github.com/CiscoM31/godata (the parser confab
// used before) had them, so every filter parses as it did: in binds tightest, then not, then
// the ordering comparisons (gt ge lt le), then eq and ne, then and, then or. Binary operators
// associate to the left.
const (
	bpOr   = 1
	bpAnd  = 2
	bpEq   = 3 // eq, ne
	bpOrd  = 4 // gt, ge, lt, le
	bpNot  = 7
	bpIn   = 8
	bpNone = 0
)

// binaryPrec is the binding power of t as a binary operator, or bpNone.
func binaryPrec(t token) int {
	switch t.kind {
	case tkOr:
		return bpOr
	case tkAnd:
		return bpAnd
	case tkIn:
		return bpIn
	case tkCmp:
		if t.val == "eq" || t.val == "ne" {
			return bpEq
		}
		return bpOrd
	}
	return bpNone
}

// parser is a precedence-climbing parser over lexed tokens. It also checks what the grammar
// alone does not say (field and function names, argument counts, in-lists of values), so
// every error names the offending token and its offset; the messages are those of the
// structural rules in rules.go.
type parser struct {
	toks  []token
	i     int
	s     *schema // nil: any field name is accepted (tests of the grammar)
	stack []frame // the open parentheses, innermost last
}

// parseTokens builds the syntax tree of toks for the fields of s (nil: any field). Every
// error is a *client.FilterError at the offending token.
func parseTokens(toks []token, s *schema) (*node, error) {
	p := &parser{toks: toks, s: s}
	n, err := p.expr(bpOr)
	if err != nil {
		return nil, err
	}
	if t, ok := p.peek(); ok {
		return nil, p.afterOperand(t)
	}
	return n, nil
}

func (p *parser) peek() (token, bool) {
	if p.i >= len(p.toks) {
		return token{}, false
	}
	return p.toks[p.i], true
}

// prev is the token before the next one, or nil at the start.
func (p *parser) prev() *token {
	if p.i == 0 {
		return nil
	}
	return &p.toks[p.i-1]
}

// top is the innermost open parenthesis, or nil.
func (p *parser) top() *frame {
	if len(p.stack) == 0 {
		return nil
	}
	return &p.stack[len(p.stack)-1]
}

// errEnd reports a filter that stops where a value or condition was needed.
func (p *parser) errEnd() error {
	prev := p.prev()
	if prev == nil {
		return errAt(0, "", "empty filter")
	}
	switch prev.kind {
	case tkLParen:
		return errAt(prev.pos, prev.text, "unclosed (: add a matching )")
	case tkComma:
		return errAt(prev.pos, prev.text, "missing value after the comma")
	case tkAnd, tkOr, tkNot:
		return errAt(prev.pos, prev.text, "missing condition after %s", prev.describe())
	}
	return errAt(prev.pos, prev.text, "missing value after %s", prev.describe())
}

// afterOperand reports t, which follows an operand where neither an operator nor the end of
// the innermost parenthesis may come.
func (p *parser) afterOperand(t token) error {
	top := p.top()
	switch t.kind {
	case tkRParen:
		if top == nil {
			return errAt(t.pos, t.text, "unmatched ): there is no ( before it")
		}
	case tkComma:
		if top == nil || top.kind == frameGroup {
			return errAt(t.pos, t.text, "unexpected comma: commas only separate function arguments and in-list values")
		}
	}
	return missingOperator(t, p.prev())
}

// errUnclosed reports the end of the filter inside the innermost open parenthesis.
func (p *parser) errUnclosed() error {
	paren := p.top().paren
	return errAt(paren.pos, paren.text, "unclosed (: add a matching )")
}

// expr parses operands joined by binary operators of binding power at least min.
func (p *parser) expr(min int) (*node, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t, ok := p.peek()
		prec := binaryPrec(t)
		if !ok || prec == bpNone || prec < min {
			return left, nil
		}
		p.i++
		if t.kind == tkIn {
			list, err := p.list(t)
			if err != nil {
				return nil, err
			}
			left = &node{kind: nIn, tok: t, kids: []*node{left, list}}
			continue
		}
		right, err := p.expr(prec + 1) // left-associative
		if err != nil {
			return nil, err
		}
		left = &node{kind: nBinary, tok: t, kids: []*node{left, right}}
	}
}

// unary parses "not x" or a primary.
func (p *parser) unary() (*node, error) {
	t, ok := p.peek()
	if ok && t.kind == tkNot {
		p.i++
		x, err := p.expr(bpNot)
		if err != nil {
			return nil, err
		}
		return &node{kind: nNot, tok: t, kids: []*node{x}}, nil
	}
	return p.primary()
}

// missingOperand reports t where a value or condition was needed.
func (p *parser) missingOperand(t token) error {
	prev := p.prev()
	switch {
	case t.kind == tkRParen || t.kind == tkComma:
		return missingBefore(t, prev, p.top())
	case prev == nil:
		what := "a condition"
		if t.kind == tkCmp || t.kind == tkIn {
			what = "a field"
		}
		return errAt(t.pos, t.text, "%s needs %s before it", t.describe(), what)
	}
	return errAt(t.pos, t.text, "expected a value after %s, found %s", prev.describe(), t.describe())
}

// primary parses a literal, a field, a function call or a parenthesized expression.
func (p *parser) primary() (*node, error) {
	t, ok := p.peek()
	if !ok {
		return nil, p.errEnd()
	}
	switch {
	case t.kind == tkField:
		if err := p.checkField(t); err != nil {
			return nil, err
		}
		p.i++
		return &node{kind: nLeaf, tok: t}, nil
	case t.isLiteral():
		p.i++
		return &node{kind: nLeaf, tok: t}, nil
	case t.kind == tkFunc:
		if err := checkFunc(t, p.s); err != nil {
			return nil, err
		}
		p.i++
		args, err := p.args(t)
		if err != nil {
			return nil, err
		}
		return &node{kind: nCall, tok: t, kids: args}, nil
	case t.kind == tkLParen:
		p.i++
		p.stack = append(p.stack, frame{kind: frameGroup, paren: t})
		x, err := p.expr(bpOr)
		if err != nil {
			return nil, err
		}
		if err := p.close(); err != nil {
			return nil, err
		}
		return x, nil
	}
	return nil, p.missingOperand(t)
}

// checkField verifies t names a field of the schema.
func (p *parser) checkField(t token) error {
	if p.s == nil {
		return nil
	}
	if _, ok := p.s.fields[t.val]; ok {
		return nil
	}
	if unsupportedOps[strings.ToLower(t.val)] {
		return errAt(t.pos, t.text, "operator %s is not supported (supported: %s, not)", t.val, operatorList)
	}
	return errAt(t.pos, t.text, "%s", p.s.unknownFieldMsg(t.val))
}

// close consumes the ")" that closes the innermost parenthesis, after an operand.
func (p *parser) close() error {
	t, ok := p.peek()
	if !ok {
		return p.errUnclosed()
	}
	if t.kind != tkRParen {
		return p.afterOperand(t)
	}
	p.i++
	p.stack = p.stack[:len(p.stack)-1]
	return nil
}

// args parses "( x, y … )" after the function name fn.
func (p *parser) args(fn token) ([]*node, error) {
	open := p.toks[p.i] // the lexer makes a name a function only when "(" follows
	p.i++
	p.stack = append(p.stack, frame{kind: frameFunc, paren: open, fn: fn})
	var out []*node
	for {
		x, err := p.expr(bpOr)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		t, ok := p.peek()
		if ok && t.kind == tkComma {
			p.i++
			continue
		}
		if ok && t.kind == tkRParen {
			if err := checkArgCount(fn, len(out)); err != nil {
				return nil, err
			}
		}
		return out, p.close()
	}
}

// list parses the "( v1, v2 … )" of values after in.
func (p *parser) list(in token) (*node, error) {
	open, ok := p.peek()
	if !ok || open.kind != tkLParen {
		return nil, errAt(in.pos, in.text, "in needs a list in parentheses, e.g. platform in ('slack', 'msteams')")
	}
	p.i++
	p.stack = append(p.stack, frame{kind: frameList, paren: open})
	n := &node{kind: nList, tok: open}
	for {
		t, ok := p.peek()
		switch {
		case !ok:
			return nil, p.errEnd()
		case t.kind == tkRParen || t.kind == tkComma:
			return nil, missingBefore(t, p.prev(), p.top())
		case !t.isLiteral():
			return nil, errAt(t.pos, t.text, "an in-list holds values (quoted text, date-times or null), not %s", t.describe())
		}
		p.i++
		n.kids = append(n.kids, &node{kind: nLeaf, tok: t})
		t, ok = p.peek()
		switch {
		case !ok:
			return nil, p.errUnclosed()
		case t.kind == tkComma:
			p.i++
			continue
		case t.kind == tkRParen:
			p.i++
			p.stack = p.stack[:len(p.stack)-1]
			return n, nil
		}
		return nil, errAt(t.pos, t.text, "expected , or ) in the in-list, found %s", t.describe())
	}
}

// print writes n as filter text that parses back to the same tree: keywords lower-case,
// literals as written, and parentheses around every operand that is not a leaf or a call.
func (n *node) print(b *strings.Builder) {
	sub := func(k *node) {
		if k.kind == nLeaf || k.kind == nCall {
			k.print(b)
			return
		}
		b.WriteByte('(')
		k.print(b)
		b.WriteByte(')')
	}
	switch n.kind {
	case nLeaf:
		b.WriteString(n.tok.text)
	case nBinary, nIn:
		sub(n.kids[0])
		b.WriteString(" " + n.tok.val + " ")
		if n.kind == nIn {
			n.kids[1].print(b)
		} else {
			sub(n.kids[1])
		}
	case nNot:
		b.WriteString("not ")
		sub(n.kids[0])
	case nList, nCall:
		if n.kind == nCall {
			b.WriteString(strings.ToLower(n.tok.val))
		}
		b.WriteByte('(')
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(", ")
			}
			k.print(b)
		}
		b.WriteByte(')')
	}
}

// String is n as printed by print.
func (n *node) String() string {
	var b strings.Builder
	n.print(&b)
	return b.String()
}

// sameTree reports whether a and b have the same shape, operators and literals (positions
// and the case of keywords and function names aside).
func sameTree(a, b *node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.kind != b.kind || a.tok.kind != b.tok.kind || len(a.kids) != len(b.kids) {
		return false
	}
	switch a.kind {
	case nLeaf:
		if a.tok.text != b.tok.text {
			return false
		}
	case nCall:
		if !strings.EqualFold(a.tok.val, b.tok.val) {
			return false
		}
	case nBinary:
		if a.tok.val != b.tok.val {
			return false
		}
	}
	for i := range a.kids {
		if !sameTree(a.kids[i], b.kids[i]) {
			return false
		}
	}
	return true
}
