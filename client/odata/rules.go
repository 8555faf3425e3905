package odata

import (
	"fmt"
	"strings"
)

// funcSpec describes a supported function.
type funcSpec struct {
	args   int
	isCond bool // returns a boolean (contains…) rather than text (tolower…)
}

// functions are the supported functions. Names are case-insensitive, as in OData 4.01.
var functions = map[string]funcSpec{
	"contains":   {args: 2, isCond: true},
	"startswith": {args: 2, isCond: true},
	"endswith":   {args: 2, isCond: true},
	"tolower":    {args: 1},
	"toupper":    {args: 1},
}

var functionNames = []string{"contains", "startswith", "endswith", "tolower", "toupper"}

// unsupportedOps are OData operators confab does not evaluate.
var unsupportedOps = map[string]bool{
	"has": true, "add": true, "sub": true, "mul": true, "div": true, "divby": true, "mod": true,
}

const operatorList = "eq, ne, gt, ge, lt, le, in, and, or"

// The structural rules of the grammar and their messages, used by the parser (ast.go).

type frameKind int

const (
	frameGroup frameKind = iota // ( condition )
	frameFunc                   // f( args )
	frameList                   // in ( values )
)

// frame is an open parenthesis.
type frame struct {
	kind  frameKind
	paren token // the "("
	fn    token // the function name, for frameFunc
}

// missingBefore reports a ")" or "," where an operand was expected.
func missingBefore(t token, prev *token, top *frame) error {
	if t.kind == tkRParen && top != nil && prev != nil && prev.kind == tkLParen {
		switch top.kind {
		case frameFunc:
			return checkArgCount(top.fn, 0)
		case frameList:
			return errAt(prev.pos, "()", "in needs at least one value in its list")
		default:
			return errAt(prev.pos, "()", "empty parentheses")
		}
	}
	if t.kind == tkRParen && top == nil {
		return errAt(t.pos, t.text, "unmatched ): there is no ( before it")
	}
	if prev == nil {
		return errAt(t.pos, t.text, "unexpected %s at the start of the filter", t.describe())
	}
	return errAt(t.pos, t.text, "missing value between %s and %s", prev.describe(), t.describe())
}

// missingOperator reports two operands in a row.
func missingOperator(t token, prev *token) error {
	low := strings.ToLower(t.text)
	if t.kind == tkField && unsupportedOps[low] {
		return errAt(t.pos, t.text, "operator %s is not supported (supported: %s, not)", low, operatorList)
	}
	if t.kind == tkNot {
		return errAt(t.pos, t.text, "not must start a condition, e.g. not (platform eq 'slack')")
	}
	if (t.kind == tkField || t.kind == tkFunc) && prev.kind == tkField {
		if kw := nearest(low, []string{"eq", "ne", "gt", "ge", "lt", "le", "in", "and", "or"}); kw != "" && len(low) <= 4 {
			return errAt(t.pos, t.text, "unknown operator %q (did you mean %q?)", t.text, kw)
		}
		return errAt(t.pos, t.text, "expected an operator (%s) after %s, found %s", operatorList, prev.describe(), t.describe())
	}
	if t.isLiteral() && prev.kind == tkField {
		return errAt(t.pos, t.text, "missing operator between %s and %s, e.g. %s eq %s", prev.text, t.text, prev.text, t.text)
	}
	return errAt(t.pos, t.text, "expected an operator (%s) after %s, found %s", operatorList, prev.describe(), t.describe())
}

// checkFunc verifies t names a supported function (s, the collection's schema, may be nil).
func checkFunc(t token, s *schema) error {
	name := strings.ToLower(t.val)
	if _, ok := functions[name]; ok {
		return nil
	}
	if s != nil && s.fields[t.val] != nil {
		return errAt(t.pos, t.text, "%s is a field, not a function: add an operator before the parenthesis, e.g. %s in ('…')", t.val, t.val)
	}
	msg := fmt.Sprintf("function %s is not supported (supported: %s)", t.val, strings.Join(functionNames, ", "))
	if best := nearest(name, functionNames); best != "" {
		msg = fmt.Sprintf("function %s is not supported (did you mean %s?)", t.val, best)
	}
	return errAt(t.pos, t.text, "%s", msg)
}

// checkArgCount verifies a function call has the right number of arguments.
func checkArgCount(fn token, got int) error {
	want := functions[strings.ToLower(fn.val)].args
	if got == want {
		return nil
	}
	plural := "s"
	if want == 1 {
		plural = ""
	}
	return errAt(fn.pos, fn.text, "%s takes %d argument%s, got %d", strings.ToLower(fn.val), want, plural, got)
}
