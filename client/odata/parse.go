// Package odata parses, validates and evaluates OData $filter and $orderby expressions for the
// Moveworks Data API collections (conversations, interactions).
//
// Parsing is done in three steps. A lexer of our own splits the text into tokens with byte
// offsets and rejects what it cannot read (unterminated strings, stray characters, impossible
// dates). A structural check over those tokens finds unbalanced parentheses, dangling
// operators, unknown fields and unsupported functions, so every error names the offending
// token and where it is. The tokens are then re-joined into a normalized text which
// github.com/CiscoM31/godata parses into a tree (precedence and associativity are godata's);
// walking that tree in order, alongside our tokens, type-checks each comparison and compiles
// it into a small evaluator.
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
	"context"
	"fmt"
	"strings"

	"github.com/CiscoM31/godata"
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

// msgInternal is the message of an error that means our checks and godata disagree; it
// should never be seen (the fuzz test looks for it).
const msgInternal = "the filter could not be parsed; check its operators and parentheses"

// Parse parses and checks a $filter for collection c. Empty text (or only spaces) gives
// (nil, nil), and a nil *Filter matches everything. Every error is a *client.FilterError
// (errors.Is(err, client.ErrBadFilter)) naming the offending token and its byte offset.
func Parse(text string, c Collection) (*Filter, error) {
	s, ok := schemas[c]
	if !ok {
		return nil, &client.FilterError{Msg: fmt.Sprintf("unknown collection %q", string(c)), Pos: -1}
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	if len(text) > MaxFilterLen {
		return nil, errAt(MaxFilterLen, "", "the filter is too long (%d bytes; the limit is %d)", len(text), MaxFilterLen)
	}
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	if err := check(toks, s); err != nil {
		return nil, err
	}
	tree, err := godataParse(canonical(toks))
	if err != nil {
		return nil, &client.FilterError{Msg: msgInternal, Pos: -1}
	}
	comp := &compiler{s: s}
	for _, t := range toks {
		if t.kind != tkLParen && t.kind != tkRParen && t.kind != tkComma {
			comp.toks = append(comp.toks, t)
		}
	}
	root, err := comp.cond(tree, true)
	if err != nil {
		return nil, err
	}
	if comp.i != len(comp.toks) {
		return nil, comp.mismatch()
	}
	return &Filter{coll: c, root: root}, nil
}

// canonical joins checked tokens into text godata tokenizes exactly as we did: single spaces,
// lower-case keywords and function names, and a fixed placeholder for each literal. godata
// only contributes the tree's shape, the values come from our tokens; placeholders keep its
// tokenizer from misreading a literal (it splits the string P1D-quote-x, written with a
// doubled quote, into a duration and a string).
func canonical(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && t.kind != tkRParen && t.kind != tkComma && toks[i-1].kind != tkLParen &&
			toks[i-1].kind != tkFunc && toks[i-1].kind != tkComma {
			b.WriteByte(' ')
		}
		switch t.kind {
		case tkString:
			b.WriteString("'s'")
		case tkNumber:
			b.WriteString("1")
		case tkDatetime:
			b.WriteString("2000-01-01T00:00:00Z")
		case tkFunc:
			b.WriteString(strings.ToLower(t.val))
		default:
			b.WriteString(t.val)
		}
		if t.kind == tkComma {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// godataParse runs godata's filter tokenizer and parser (the steps of godata.ParseFilterString
// without its final "must be boolean" check, which we do ourselves with a position).
func godataParse(s string) (*godata.ParseNode, error) {
	ctx := context.Background()
	toks, err := godata.GlobalFilterTokenizer.Tokenize(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("godata tokenize: %w", err)
	}
	post, err := godata.GlobalFilterParser.InfixToPostfix(ctx, toks)
	if err != nil {
		return nil, fmt.Errorf("godata parse: %w", err)
	}
	tree, err := godata.GlobalFilterParser.PostfixToTree(ctx, post)
	if err != nil {
		return nil, fmt.Errorf("godata parse: %w", err)
	}
	if tree == nil || tree.Token == nil {
		return nil, fmt.Errorf("godata parse: empty tree")
	}
	return tree, nil
}
