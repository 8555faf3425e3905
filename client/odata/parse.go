// Package odata parses, validates and evaluates OData $filter and $orderby expressions for the
// Moveworks Data API collections (conversations, interactions).
//
// Parsing is done in steps. A lexer (lexer.go) splits the text into tokens with byte offsets
// and rejects what it cannot read (unterminated strings, stray characters, impossible dates).
// A precedence-climbing parser (ast.go) builds the syntax tree from those tokens (in binds
// tightest, then not, gt/ge/lt/le, eq/ne, and, or) and reports unbalanced parentheses,
// dangling operators, unknown fields and unsupported functions (the rules and messages are in
// rules.go), so every error names the offending token and where it is. Compiling the tree
// (compile.go) type-checks each comparison into a small evaluator. Completion (complete.go)
// and the warnings (warn.go) read the same tokens.
//
// A compiled *Filter evaluates JSON-decoded records (map[string]any) without reflection;
// literal date-times are parsed once, at Parse time. Comparison semantics follow OData: text
// compares ordinally, date-times compare as instants whether written quoted
// ('2026-01-01T00:00:00Z') or bare (2026-01-01T00:00:00Z), a missing field is null, null eq
// null is true, null ne 'x' is true and any ordering against null is false. String functions
// on a null argument are false (two-valued logic: not contains(label, 'x') holds for a null
// label).
package odata

import (
	"fmt"
	"strings"

	"github.com/confab-dev/confab/client"
)

// Filter is a parsed and checked $filter. A nil *Filter matches every record. A Filter is
// immutable and safe for concurrent use.
type Filter struct {
	coll Collection
	root cond
}

// Match reports whether rec, a JSON-decoded record (nested objects for detail/... paths),
// satisfies the filter. Date-time fields are read as RFC 3339 strings and compared as instants.
func (f *Filter) Match(rec map[string]any) bool {
	if f == nil || f.root == nil {
		return true
	}
	return f.root.match(rec)
}

// String returns the normalized filter text: lower-case keywords, single spaces, date-times
// as quoted UTC values (the vendor's documented form), and parentheses only where needed
// (plus around an "and" inside an "or"). It parses back to an equivalent filter. A nil
// *Filter gives "".
func (f *Filter) String() string {
	if f == nil || f.root == nil {
		return ""
	}
	var b strings.Builder
	f.root.write(&b)
	return b.String()
}

// Collection is the collection the filter was parsed for.
func (f *Filter) Collection() Collection {
	if f == nil {
		return ""
	}
	return f.coll
}

// MaxFilterLen bounds the text Parse accepts (64 KiB parses in about a quarter of a second
// here), so a hostile $filter cannot tie up a server.
const MaxFilterLen = 64 << 10

// msgInternal is the message of an error that means the parser built a tree the compiler
// cannot read; it should never be seen (the fuzz test looks for it).
const msgInternal = "the filter could not be parsed; check its operators and parentheses"

// Parse parses and checks a $filter for collection c. Empty text (or only spaces) gives
// (nil, nil), and a nil *Filter matches everything. Every error is a *client.FilterError
// (errors.Is(err, client.ErrBadFilter)) naming the offending token and its byte offset.
func Parse(text string, c Collection) (*Filter, error) {
	f, _, err := parse(text, c)
	return f, err
}

// parse is Parse, also returning the filter's syntax tree (for Check's warnings).
func parse(text string, c Collection) (*Filter, *node, error) {
	s, ok := schemas[c]
	if !ok {
		return nil, nil, &client.FilterError{Msg: fmt.Sprintf("unknown collection %q", string(c)), Pos: -1}
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil, nil
	}
	if len(text) > MaxFilterLen {
		return nil, nil, errAt(MaxFilterLen, "", "the filter is too long (%d bytes; the limit is %d)", len(text), MaxFilterLen)
	}
	toks, err := lex(text)
	if err != nil {
		return nil, nil, err
	}
	tree, err := parseTokens(toks, s)
	if err != nil {
		return nil, nil, err
	}
	root, err := (&compiler{s: s}).cond(tree, true)
	if err != nil {
		return nil, nil, err
	}
	return &Filter{coll: c, root: root}, tree, nil
}
