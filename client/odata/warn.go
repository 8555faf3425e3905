package odata

import (
	"strings"

	"github.com/confab-dev/confab/client"
)

// What the vendor documents of $filter (APIS.md §1.4): comparisons (eq ne gt ge lt le), and,
// or, not and parentheses over the records' own string and integer attributes, with
// date-times as quoted strings. Everything else confab evaluates (in, functions, paths into
// detail, bare date-times) is standard OData the documents do not promise: Check accepts it
// and returns a warning, and the filter is sent as written.

// Check parses text like Parse and also returns a warning for each form of the filter the
// vendor's documents do not promise, in text order, one per kind of form. An invalid filter
// gives (nil, nil, *client.FilterError).
func Check(text string, c Collection) (*Filter, []client.FilterWarning, error) {
	f, tree, err := parse(text, c)
	if err != nil || f == nil {
		return f, nil, err
	}
	return f, warnings(tree.tokens(nil)), nil
}

// warnings lists the undocumented forms among a parsed filter's tokens, in text order.
func warnings(toks []token) []client.FilterWarning {
	var out []client.FilterWarning
	seen := map[string]bool{}
	add := func(key string, t token, msg string) {
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, client.FilterWarning{Msg: msg, Pos: t.pos, Token: t.text})
	}
	const tail = " is not in Moveworks' documented $filter (comparisons, and, or, not, parentheses); sent as written, the API may refuse it"
	for _, t := range toks {
		switch t.kind {
		case tkFunc:
			name := strings.ToLower(t.val)
			add("func "+name, t, "function "+name+tail)
		case tkIn:
			add("in", t, "in"+tail+" (or write field eq 'a' or field eq 'b')")
		case tkField:
			if strings.Contains(t.val, "/") {
				add("path", t, "a path into detail ("+t.val+")"+tail)
			}
		case tkDatetime:
			add("datetime", t, "a bare date-time"+tail+" (quote it: '"+t.t.UTC().Format("2006-01-02T15:04:05.999999999Z")+"')")
		}
	}
	return out
}
