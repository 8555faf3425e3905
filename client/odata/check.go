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

type frameKind int

const (
	frameGroup frameKind = iota // ( condition )
	frameFunc                   // f( args )
	frameList                   // in ( values )
)

// frame is an open parenthesis.
type frame struct {
	kind   frameKind
	paren  token // the "("
	fn     token // the function name, for frameFunc
	commas int
}

// check verifies the token sequence is well formed: operands and operators alternate,
// parentheses balance, function names and field names are known, functions get the right
// number of arguments and in-lists hold only values. the parser reports none of these with a
// position; every error here names the offending token and its offset.
func check(toks []token, s *schema) error {
	var stack []frame
	wantOperand := true
	var prev *token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		inList := top != nil && top.kind == frameList
		if wantOperand {
			switch {
			case t.kind == tkRParen || t.kind == tkComma:
				return missingBefore(t, prev, top)
			case inList && !t.isLiteral():
				return errAt(t.pos, t.text, "an in-list holds values (quoted text, date-times or null), not %s", t.describe())
			case t.kind == tkField:
				if _, ok := s.fields[t.val]; !ok {
					if unsupportedOps[strings.ToLower(t.val)] {
						return errAt(t.pos, t.text, "operator %s is not supported (supported: %s, not)", t.val, operatorList)
					}
					return errAt(t.pos, t.text, "%s", s.unknownFieldMsg(t.val))
				}
				wantOperand = false
			case t.kind == tkFunc:
				if err := checkFunc(t, s); err != nil {
					return err
				}
				i++ // the lexer guarantees "(" follows a function name
				stack = append(stack, frame{kind: frameFunc, paren: toks[i], fn: t})
			case t.isLiteral():
				wantOperand = false
			case t.kind == tkLParen:
				stack = append(stack, frame{kind: frameGroup, paren: t})
			case t.kind == tkNot:
				// still want an operand
			default: // a binary operator or in
				if prev == nil {
					what := "a condition"
					if t.kind == tkCmp || t.kind == tkIn {
						what = "a field"
					}
					return errAt(t.pos, t.text, "%s needs %s before it", t.describe(), what)
				}
				return errAt(t.pos, t.text, "expected a value after %s, found %s", prev.describe(), t.describe())
			}
		} else {
			switch {
			case inList && t.kind != tkComma && t.kind != tkRParen:
				return errAt(t.pos, t.text, "expected , or ) in the in-list, found %s", t.describe())
			case t.kind == tkCmp || t.kind == tkAnd || t.kind == tkOr:
				wantOperand = true
			case t.kind == tkIn:
				if i+1 >= len(toks) || toks[i+1].kind != tkLParen {
					return errAt(t.pos, t.text, "in needs a list in parentheses, e.g. platform in ('slack', 'msteams')")
				}
				i++
				stack = append(stack, frame{kind: frameList, paren: toks[i]})
				wantOperand = true
			case t.kind == tkRParen:
				if top == nil {
					return errAt(t.pos, t.text, "unmatched ): there is no ( before it")
				}
				if top.kind == frameFunc {
					if err := checkArgCount(top.fn, top.commas+1); err != nil {
						return err
					}
				}
				stack = stack[:len(stack)-1]
			case t.kind == tkComma:
				if top == nil || top.kind == frameGroup {
					return errAt(t.pos, t.text, "unexpected comma: commas only separate function arguments and in-list values")
				}
				top.commas++
				wantOperand = true
			default:
				return missingOperator(t, prev)
			}
		}
		prev = &toks[i]
	}
	if prev == nil {
		return nil
	}
	if wantOperand {
		switch prev.kind {
		case tkLParen:
			return errAt(prev.pos, prev.text, "unclosed (: add a matching )")
		case tkComma:
			return errAt(prev.pos, prev.text, "missing value after the comma")
		case tkAnd, tkOr, tkNot:
			return errAt(prev.pos, prev.text, "missing condition after %s", prev.describe())
		default:
			return errAt(prev.pos, prev.text, "missing value after %s", prev.describe())
		}
	}
	if len(stack) > 0 {
		p := stack[len(stack)-1].paren
		return errAt(p.pos, p.text, "unclosed (: add a matching )")
	}
	return nil
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

// checkFunc verifies t names a supported function.
func checkFunc(t token, s *schema) error {
	name := strings.ToLower(t.val)
	if _, ok := functions[name]; ok {
		return nil
	}
	if _, ok := s.fields[t.val]; ok {
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
