package odata

import (
	"strings"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/filterterm"
)

// msgUnterminated starts the lexer's message for a string without its closing quote.
const msgUnterminated = "unterminated string"

// Complete returns the completions at byte offset cursor of text, read from the lexer's
// tokens: inside a quoted value compared with a field (field eq '…, field in ('a', '…) the
// field's known values, closed by a quote; right after "field eq " or "field ne " the
// values as quoted literals; right after a field the word operators; elsewhere the field
// names and keywords that start with the word being typed.
func (s spec) Complete(text string, cursor int) client.Completion {
	cursor = max(0, min(cursor, len(text)))
	before := text[:cursor]
	fields := s.Fields()
	toks, err := lex(before)
	if fe, ok := err.(*client.FilterError); ok && strings.HasPrefix(fe.Msg, msgUnterminated) {
		// The cursor is inside a quoted string.
		f, ok := valueFieldOf(toks, fields)
		if !ok {
			return client.Completion{From: cursor, To: cursor}
		}
		from := fe.Pos + 1
		return client.Completion{From: from, To: cursor, Suffix: "'", Field: f.Name,
			Candidates: filterterm.Matching(f.Values, before[from:])}
	}
	from := filterterm.WordStart(before)
	if from == cursor && err == nil {
		ctx := toks
		if n := len(ctx); n >= 2 && ctx[n-1].kind == tkCmp && (ctx[n-1].val == "eq" || ctx[n-1].val == "ne") && ctx[n-2].kind == tkField {
			if f, ok := filterterm.FindField(fields, ctx[n-2].val); ok {
				quoted := make([]string, len(f.Values))
				for i, v := range f.Values {
					quoted[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
				}
				return client.Completion{From: cursor, To: cursor, Candidates: quoted, Field: f.Name, Wrap: "'"}
			}
		}
		if n := len(ctx); n >= 1 && ctx[n-1].kind == tkField && ctx[n-1].end() < cursor {
			if _, ok := filterterm.FindField(fields, ctx[n-1].val); ok {
				return client.Completion{From: cursor, To: cursor, Candidates: wordOperators(s.Operators())}
			}
		}
	}
	return client.Completion{From: from, To: cursor, Candidates: filterterm.Matching(filterterm.Names(fields, s.Operators()), before[from:])}
}

// valueFieldOf finds the field whose value starts after toks: "field cmp" or "field in (" and
// values separated by commas.
func valueFieldOf(toks []token, fields []client.Field) (client.Field, bool) {
	n := len(toks)
	if n >= 2 && toks[n-1].kind == tkCmp && toks[n-2].kind == tkField {
		return filterterm.FindField(fields, toks[n-2].val)
	}
	i := n - 1
	for i >= 1 && toks[i].kind == tkComma && toks[i-1].isLiteral() {
		i -= 2
	}
	if i >= 2 && toks[i].kind == tkLParen && toks[i-1].kind == tkIn && toks[i-2].kind == tkField {
		return filterterm.FindField(fields, toks[i-2].val)
	}
	return client.Field{}, false
}

// wordOperators are the operators that are words (eq, ne…), not punctuation.
func wordOperators(ops []string) []string {
	var out []string
	for _, o := range ops {
		if o != "" && o[0] >= 'a' && o[0] <= 'z' && !strings.HasSuffix(o, ":") {
			out = append(out, o)
		}
	}
	return out
}
