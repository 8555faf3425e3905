package filterbar

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/confab-dev/confab/client"
)

// Completion is what Tab can insert at the cursor.
type Completion struct {
	// Partial is the text before the cursor that a candidate replaces.
	Partial string
	// Candidates replace Partial, best first.
	Candidates []string
	// Suffix follows an inserted candidate unless the text already has it (a closing quote).
	Suffix string
}

var (
	// field=value, field~value, field!=value, field!~value, field:value (with an optional
	// opening double quote): Talkdesk, OpenDialog and similar languages.
	symbolicValue = regexp.MustCompile(`([A-Za-z_][\w./]*)(=|~|!=|!~|:)"?$`)
	// OData: field eq 'value, field in ('a', 'value.
	odataQuoted = regexp.MustCompile(`([A-Za-z_][\w/]*)\s+(?:eq|ne|gt|ge|lt|le)\s+'$`)
	odataInList = regexp.MustCompile(`([A-Za-z_][\w/]*)\s+in\s+\((?:\s*'[^']*'\s*,)*\s*'$`)
	// OData before a value's opening quote: field eq |.
	odataBare = regexp.MustCompile(`([A-Za-z_][\w/]*)\s+(?:eq|ne)\s+$`)
	// The word before the current one, followed by spaces: a field name then an operator.
	prevWord = regexp.MustCompile(`([A-Za-z_][\w/]*)\s+$`)
)

// isWordRune reports whether r belongs to a completable token.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_/.-@", r)
}

// Complete returns the completions of the text before the cursor: values of the field the
// cursor is in the value of (the spec's known values, else values seen in loaded data), else
// field names and operators that start with the word being typed. seen maps attribute keys to
// values seen in loaded conversations.
func Complete(spec client.FilterSpec, seen map[string][]string, before string) Completion {
	if spec == nil {
		return Completion{}
	}
	runes := []rune(before)
	start := len(runes)
	for start > 0 && isWordRune(runes[start-1]) {
		start--
	}
	partial := string(runes[start:])
	head := string(runes[:start])
	fields := spec.Fields()

	if f, ok := valueField(head, fields); ok {
		c := Completion{Partial: partial, Candidates: matching(values(f, seen), partial)}
		if strings.HasSuffix(head, "'") {
			c.Suffix = "'"
		} else if strings.HasSuffix(head, `"`) {
			c.Suffix = `"`
		}
		return c
	}
	if partial == "" {
		if m := odataBare.FindStringSubmatch(head); m != nil {
			if f, ok := findField(fields, m[1]); ok {
				vals := values(f, seen)
				quoted := make([]string, len(vals))
				for i, v := range vals {
					quoted[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
				}
				return Completion{Candidates: quoted}
			}
		}
		if m := prevWord.FindStringSubmatch(head); m != nil {
			if _, ok := findField(fields, m[1]); ok {
				return Completion{Candidates: wordOperators(spec.Operators())}
			}
		}
	}
	return Completion{Partial: partial, Candidates: matching(names(spec, fields), partial)}
}

// valueField finds the field whose value the cursor is in, from the text before the value.
func valueField(head string, fields []client.Field) (client.Field, bool) {
	for _, re := range []*regexp.Regexp{odataQuoted, odataInList, symbolicValue} {
		if m := re.FindStringSubmatch(head); m != nil {
			return findField(fields, m[1])
		}
	}
	return client.Field{}, false
}

func findField(fields []client.Field, name string) (client.Field, bool) {
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return client.Field{}, false
}

// values are the completion values of f: its known values, else those seen in loaded data
// under a matching attribute key (the field's name, its last path segment, or the name
// without a "primary_" prefix).
func values(f client.Field, seen map[string][]string) []string {
	if len(f.Values) > 0 {
		return f.Values
	}
	var out []string
	keys := []string{f.Name}
	if i := strings.LastIndex(f.Name, "/"); i >= 0 {
		keys = append(keys, f.Name[i+1:])
	}
	if s, ok := strings.CutPrefix(f.Name, "primary_"); ok {
		keys = append(keys, s)
	}
	for _, k := range keys {
		for _, v := range seen[k] {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// names are the field names and operators, fields first. A field X is left out when the
// operators have "X:" (since/since:), which is what the user types.
func names(spec client.FilterSpec, fields []client.Field) []string {
	ops := spec.Operators()
	var out []string
	for _, f := range fields {
		if !slices.Contains(ops, f.Name+":") {
			out = append(out, f.Name)
		}
	}
	for _, o := range ops {
		if o != "" && isWordRune([]rune(o)[0]) && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// wordOperators are the operators that are words (eq, ne…), not punctuation.
func wordOperators(ops []string) []string {
	var out []string
	for _, o := range ops {
		if o != "" && unicode.IsLetter([]rune(o)[0]) && !strings.HasSuffix(o, ":") {
			out = append(out, o)
		}
	}
	return out
}

// matching are the candidates that start with partial (ignoring case), leaving out one that
// is exactly partial when others remain.
func matching(cands []string, partial string) []string {
	var out []string
	lp := strings.ToLower(partial)
	for _, c := range cands {
		if strings.HasPrefix(strings.ToLower(c), lp) && c != partial {
			out = append(out, c)
		}
	}
	return out
}
