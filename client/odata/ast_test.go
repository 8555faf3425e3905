package odata

import (
	"errors"
	"testing"

	"github.com/confab-dev/confab/client"
)

// mustTree lexes and parses text, failing the test on an error.
func mustTree(t *testing.T, text string) *node {
	t.Helper()
	toks, err := lex(text)
	if err != nil {
		t.Fatalf("lex(%q): %v", text, err)
	}
	n, err := parseTokens(toks, nil)
	if err != nil {
		t.Fatalf("parseTokens(%q): %v", text, err)
	}
	return n
}

func TestParserPrecedence(t *testing.T) {
	tests := []struct{ in, want string }{
		// not > and > or.
		{"a eq 1 or b eq 2 and c eq 3", "(a eq 1) or ((b eq 2) and (c eq 3))"},
		{"a eq 1 and b eq 2 or c eq 3", "((a eq 1) and (b eq 2)) or (c eq 3)"},
		{"not a eq 1", "(not a) eq 1"},
		{"not (a eq 1) and b eq 2", "(not (a eq 1)) and (b eq 2)"},
		{"not (a eq 1) or not (b eq 2) and c eq 3", "(not (a eq 1)) or ((not (b eq 2)) and (c eq 3))"},
		{"not not (a eq 1)", "not (not (a eq 1))"},
		// Parentheses override.
		{"(a eq 1 or b eq 2) and c eq 3", "((a eq 1) or (b eq 2)) and (c eq 3)"},
		{"a eq 1 and (b eq 2 or c eq 3)", "(a eq 1) and ((b eq 2) or (c eq 3))"},
		{"((a eq 1))", "a eq 1"},
		// Left associativity.
		{"a eq 1 or b eq 2 or c eq 3", "((a eq 1) or (b eq 2)) or (c eq 3)"},
		{"a eq 1 and b eq 2 and c eq 3", "((a eq 1) and (b eq 2)) and (c eq 3)"},
		{"a eq b eq c", "(a eq b) eq c"},
		// gt/ge/lt/le bind tighter than eq/ne; in tighter than not.
		{"a eq b gt c", "a eq (b gt c)"},
		{"a lt b ne c", "(a lt b) ne c"},
		{"not a in ('x', 'y')", "not (a in ('x', 'y'))"},
		{"a in ('x') and b in (null, 'y')", "(a in ('x')) and (b in (null, 'y'))"},
		// Functions.
		{"contains(tolower(a), 'x') or startswith(b, 'y')", "contains(tolower(a), 'x') or startswith(b, 'y')"},
		{"Contains ( a , 'x' )", "contains(a, 'x')"},
		{"tolower(a) eq 'x'", "tolower(a) eq 'x'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mustTree(t, tt.in).String(); got != tt.want {
				t.Errorf("tree = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParserErrors(t *testing.T) {
	tests := []struct {
		in    string
		pos   int
		token string
		msg   string
	}{
		{"a eq", 2, "eq", `missing value after "eq"`},
		{"(a eq 1", 0, "(", "unclosed (: add a matching )"},
		{"(a eq (1)", 0, "(", "unclosed (: add a matching )"},
		{"a eq 1)", 6, ")", "unmatched ): there is no ( before it"},
		{"a eq 1 b", 7, "b", `expected an operator (eq, ne, gt, ge, lt, le, in, and, or) after "1", found "b"`},
		{"a eq 1 not b", 7, "not", "not must start a condition, e.g. not (platform eq 'slack')"},
		{"a eq 1, b", 6, ",", "unexpected comma: commas only separate function arguments and in-list values"},
		{"(a eq 1, b)", 7, ",", "unexpected comma: commas only separate function arguments and in-list values"},
		{"contains(a, 'x'", 8, "(", "unclosed (: add a matching )"},
		{"contains(a 'x')", 11, "'x'", "missing operator between a and 'x', e.g. a eq 'x'"},
		{"contains(a)", 0, "contains", "contains takes 2 arguments, got 1"},
		{"tolower() eq 'x'", 0, "tolower", "tolower takes 1 argument, got 0"},
		{"contains(a, )", 12, ")", `missing value between "," and ")"`},
		{"nope(a) eq 'x'", 0, "nope", "function nope is not supported (supported: contains, startswith, endswith, tolower, toupper)"},
		{"a in 'x'", 2, "in", "in needs a list in parentheses, e.g. platform in ('slack', 'msteams')"},
		{"a in ()", 5, "()", "in needs at least one value in its list"},
		{"a in ('x' eq 'y')", 10, "eq", `expected , or ) in the in-list, found "eq"`},
		{"a in ('x', b)", 11, "b", `an in-list holds values (quoted text, date-times or null), not "b"`},
		{"a in ('x',", 9, ",", "missing value after the comma"},
		{"a in ('x'", 5, "(", "unclosed (: add a matching )"},
		{"()", 0, "()", "empty parentheses"},
		{") and a", 0, ")", "unmatched ): there is no ( before it"},
		{", a", 0, ",", `unexpected "," at the start of the filter`},
		{"and a", 0, "and", `"and" needs a condition before it`},
		{"eq a", 0, "eq", `"eq" needs a field before it`},
		{"a eq and b", 5, "and", `expected a value after "eq", found "and"`},
		{"not", 0, "not", `missing condition after "not"`},
		{"a or", 2, "or", `missing condition after "or"`},
		{"(", 0, "(", "unclosed (: add a matching )"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			toks, err := lex(tt.in)
			if err != nil {
				t.Fatalf("lex: %v", err)
			}
			_, err = parseTokens(toks, nil)
			var fe *client.FilterError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *client.FilterError", err)
			}
			if fe.Pos != tt.pos || fe.Token != tt.token || fe.Msg != tt.msg {
				t.Errorf("got (%d, %q, %q), want (%d, %q, %q)", fe.Pos, fe.Token, fe.Msg, tt.pos, tt.token, tt.msg)
			}
		})
	}
}

// FuzzParseTree checks that printing a parsed tree and parsing the text again gives the
// same tree: parse(print(ast)) == ast.
func FuzzParseTree(f *testing.F) {
	for _, s := range []string{
		"a eq 1 or b eq 2 and c eq 3", "not (a eq 1) and not b in ('x', null)",
		"contains(tolower(detail/content), 'it''s') or x gt 2026-01-01T00:00:00Z",
		"((a))", "a eq b gt c", "not not not x", "f(a, (b or c), d in (1))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks, err := lex(text)
		if err != nil {
			return
		}
		tree, err := parseTokens(toks, nil)
		if err != nil {
			return
		}
		printed := tree.String()
		toks2, err := lex(printed)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not lex: %v", text, printed, err)
		}
		again, err := parseTokens(toks2, nil)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", text, printed, err)
		}
		if !sameTree(tree, again) {
			t.Fatalf("parse(print(ast)) != ast: %q -> %q -> %q", text, printed, again.String())
		}
	})
}
