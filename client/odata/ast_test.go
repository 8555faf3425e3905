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
	n, err := parseTokens(toks)
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
		{"a eq 1)", 6, ")", `unexpected ")"`},
		{"a eq 1 b", 7, "b", `unexpected "b"`},
		{"contains(a, 'x'", 8, "(", "unclosed (: add a matching )"},
		{"contains(a 'x')", 11, "'x'", `unexpected "'x'"`},
		{"a in 'x'", 2, "in", "in needs a list in parentheses, e.g. platform in ('slack', 'msteams')"},
		{"and a", 0, "and", `unexpected "and"`},
		{"not", 0, "not", `missing value after "not"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			toks, err := lex(tt.in)
			if err != nil {
				t.Fatalf("lex: %v", err)
			}
			_, err = parseTokens(toks)
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
		tree, err := parseTokens(toks)
		if err != nil {
			return
		}
		printed := tree.String()
		toks2, err := lex(printed)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not lex: %v", text, printed, err)
		}
		again, err := parseTokens(toks2)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", text, printed, err)
		}
		if !sameTree(tree, again) {
			t.Fatalf("parse(print(ast)) != ast: %q -> %q -> %q", text, printed, again.String())
		}
	})
}
