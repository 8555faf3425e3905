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

// Binding powers of the operators, as godata (the parser confab used before) had them and as
// OData 4.01 §5.1.1.1 orders them: in binds tightest, then not, then the ordering
// comparisons, then eq and ne, then and, then or. Binary operators associate to the left.
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

// parser is a precedence-climbing parser over lexed tokens.
type parser struct {
	toks []token
	i    int
}

// parseTokens builds the syntax tree of toks. It reports a *client.FilterError at the
// offending token; the messages are plain, as check (which runs first in Parse) has already
// explained every structural mistake with a message of its own.
func parseTokens(toks []token) (*node, error) {
	p := &parser{toks: toks}
	n, err := p.expr(bpOr)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, errAt(t.pos, t.text, "unexpected %s", t.describe())
	}
	return n, nil
}

func (p *parser) peek() (token, bool) {
	if p.i >= len(p.toks) {
		return token{}, false
	}
	return p.toks[p.i], true
}

// errEnd reports a filter that stops where more was needed.
func (p *parser) errEnd() error {
	if len(p.toks) == 0 {
		return errAt(0, "", "empty filter")
	}
	t := p.toks[len(p.toks)-1]
	return errAt(t.pos, t.text, "missing value after %s", t.describe())
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
	if !ok {
		return nil, p.errEnd()
	}
	if t.kind == tkNot {
		p.i++
		x, err := p.expr(bpNot)
		if err != nil {
			return nil, err
		}
		return &node{kind: nNot, tok: t, kids: []*node{x}}, nil
	}
	return p.primary()
}

// primary parses a literal, a field, a function call or a parenthesized expression.
func (p *parser) primary() (*node, error) {
	t, ok := p.peek()
	if !ok {
		return nil, p.errEnd()
	}
	switch {
	case t.kind == tkField || t.isLiteral():
		p.i++
		return &node{kind: nLeaf, tok: t}, nil
	case t.kind == tkFunc:
		p.i++
		args, err := p.args()
		if err != nil {
			return nil, err
		}
		return &node{kind: nCall, tok: t, kids: args}, nil
	case t.kind == tkLParen:
		p.i++
		x, err := p.expr(bpOr)
		if err != nil {
			return nil, err
		}
		if err := p.expect(tkRParen, t); err != nil {
			return nil, err
		}
		return x, nil
	}
	return nil, errAt(t.pos, t.text, "unexpected %s", t.describe())
}

// expect consumes a token of kind k; open is the "(" it closes, for the message.
func (p *parser) expect(k tokKind, open token) error {
	t, ok := p.peek()
	if !ok {
		return errAt(open.pos, open.text, "unclosed (: add a matching )")
	}
	if t.kind != k {
		return errAt(t.pos, t.text, "unexpected %s", t.describe())
	}
	p.i++
	return nil
}

// args parses "( x, y … )" after a function name.
func (p *parser) args() ([]*node, error) {
	open, ok := p.peek()
	if !ok || open.kind != tkLParen {
		return nil, p.errEnd()
	}
	p.i++
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
		return out, p.expect(tkRParen, open)
	}
}

// list parses the "( v1, v2 … )" after in.
func (p *parser) list(in token) (*node, error) {
	open, ok := p.peek()
	if !ok || open.kind != tkLParen {
		return nil, errAt(in.pos, in.text, "in needs a list in parentheses, e.g. platform in ('slack', 'msteams')")
	}
	args, err := p.args()
	if err != nil {
		return nil, err
	}
	return &node{kind: nList, tok: open, kids: args}, nil
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
