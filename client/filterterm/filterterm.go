// Package filterterm is the lexer and completer of confab's term filter languages: the
// Talkdesk and OpenDialog filters and the TUI's quick filter. A term filter is a list of
// terms separated by white space, each a word (vpn, !hr) or a key, an operator and a value
// (sentiment=negative, intent~reset, channel!=voice, since:2w, country="United Kingdom").
// Each language parses the terms itself; this package only splits them and completes them.
package filterterm

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/confab-dev/confab/client"
)

// Term is one term of a filter.
type Term struct {
	// Text is the term with its double quotes removed (invalid UTF-8 read as U+FFFD), or as
	// written when Options.Plain.
	Text string
	// Pos and End are the byte offsets of the term in the filter, quotes included.
	Pos, End int
}

// Options choose the lexer's rules.
type Options struct {
	// Plain: no quoting (a double quote is an ordinary character) and any Unicode white
	// space separates terms, as strings.Fields splits. Otherwise terms are separated by
	// space, tab and newline outside double quotes, and a double quote anywhere in a term
	// opens or closes a quoted part: since:"20 days ago".
	Plain bool
	// Escapes: inside double quotes, \" and \\ stand for " and \ (OpenDialog).
	Escapes bool
	// Separators are the bytes that separate terms outside quotes; "" means space, tab and
	// newline. Plain ignores it.
	Separators string
}

// Lex splits text into terms. An unclosed double quote is a *client.FilterError at the
// quote; the terms are returned with it, the last one running to the end of text.
func Lex(text string, o Options) ([]Term, error) {
	terms, open := lex(text, o)
	if open >= 0 {
		return terms, &client.FilterError{Msg: "unterminated quote", Pos: open, Token: `"`}
	}
	return terms, nil
}

// lex splits text into terms; an unclosed quote does not stop it, its offset is returned
// (-1 when every quote is closed) and the last term runs to the end of text.
func lex(text string, o Options) (terms []Term, open int) {
	var b strings.Builder
	start, inQuote, quotePos, in := -1, false, 0, false
	flush := func(end int) {
		if in {
			t := Term{Text: b.String(), Pos: start, End: end}
			if o.Plain { // as written, invalid UTF-8 included
				t.Text = text[start:end]
			}
			terms = append(terms, t)
			b.Reset()
			in = false
		}
	}
	skip := false
	for i, r := range text {
		switch {
		case skip:
			skip = false
		case inQuote && o.Escapes && r == '\\' && i+1 < len(text) && (text[i+1] == '"' || text[i+1] == '\\'):
			b.WriteByte(text[i+1])
			skip = true
		case r == '"' && !o.Plain:
			if !in {
				start, in = i, true
			}
			inQuote = !inQuote
			quotePos = i
		case !inQuote && isSep(r, o):
			flush(i)
		default:
			if !in {
				start, in = i, true
			}
			b.WriteRune(r)
		}
	}
	flush(len(text))
	if inQuote {
		return terms, quotePos
	}
	return terms, -1
}

func isSep(r rune, o Options) bool {
	switch {
	case o.Plain:
		return unicode.IsSpace(r)
	case o.Separators != "":
		return r < utf8.RuneSelf && strings.IndexByte(o.Separators, byte(r)) >= 0
	}
	return r == ' ' || r == '\t' || r == '\n'
}

// IsWordRune reports whether r belongs to a completable word: letters, digits and _ / . - @.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_/.-@", r)
}

// WordStart is the byte offset where the word (IsWordRune) that ends text starts.
func WordStart(text string) int {
	i := len(text)
	for i > 0 {
		r, n := lastRune(text[:i])
		if !IsWordRune(r) {
			break
		}
		i -= n
	}
	return i
}

func lastRune(s string) (rune, int) {
	rs := []rune(s[max(0, len(s)-4):])
	r := rs[len(rs)-1]
	return r, len(string(r))
}

// Names are the completion names of a language: its field names and then its operators that
// start with a word rune, without repeats. A field X is left out when the operators have
// "X:" (since/since:), which is what the user types.
func Names(fields []client.Field, ops []string) []string {
	var out []string
	for _, f := range fields {
		if !slices.Contains(ops, f.Name+":") {
			out = append(out, f.Name)
		}
	}
	for _, op := range ops {
		if op != "" && IsWordRune([]rune(op)[0]) && !slices.Contains(out, op) {
			out = append(out, op)
		}
	}
	return out
}

// Matching are the candidates that start with partial (ignoring case), leaving out one that
// is exactly partial.
func Matching(cands []string, partial string) []string {
	var out []string
	lp := strings.ToLower(partial)
	for _, c := range cands {
		if strings.HasPrefix(strings.ToLower(c), lp) && c != partial {
			out = append(out, c)
		}
	}
	return out
}

// FindField is the field named name, ignoring case.
func FindField(fields []client.Field, name string) (client.Field, bool) {
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return client.Field{}, false
}

// valueOps are the operators between a key and its value, longest first.
var valueOps = []string{"!=", "!~", "=", "~", ":"}

// Complete returns the completions at byte offset cursor of a term filter whose fields and
// operators are given: in a term's value (key=…, key~…, key!=…, key!~…, key:…, after an
// optional opening quote), the field's known values; elsewhere the field names and word
// operators that start with the word being typed.
func Complete(fields []client.Field, ops []string, text string, cursor int, o Options) client.Completion {
	cursor = max(0, min(cursor, len(text)))
	before := text[:cursor]
	terms, _ := lex(before, o)
	names := func(from int) client.Completion {
		return client.Completion{From: from, To: cursor, Candidates: Matching(Names(fields, ops), before[from:])}
	}
	if len(terms) == 0 || terms[len(terms)-1].End < cursor {
		// Between terms: after a bare field name, nothing (an operator is glued to it).
		if len(terms) > 0 {
			if _, ok := FindField(fields, terms[len(terms)-1].Text); ok {
				return client.Completion{From: cursor, To: cursor}
			}
		}
		return names(cursor)
	}
	t := terms[len(terms)-1]
	raw := before[t.Pos:]
	keyAt := 0
	if strings.HasPrefix(raw, "!") {
		keyAt = 1
	}
	k := keyAt
	if k < len(raw) && (raw[k] == '_' || isLetter(raw[k])) {
		for k < len(raw) && (raw[k] == '_' || raw[k] == '.' || raw[k] == '/' || isLetter(raw[k]) || raw[k] >= '0' && raw[k] <= '9') {
			k++
		}
		for _, op := range valueOps {
			if !strings.HasPrefix(raw[k:], op) {
				continue
			}
			f, ok := FindField(fields, raw[keyAt:k])
			if !ok {
				break
			}
			v := k + len(op)
			c := client.Completion{Field: f.Name}
			if !o.Plain && strings.HasPrefix(raw[v:], `"`) {
				v++
				c.Suffix = `"`
			}
			c.From, c.To = t.Pos+v, cursor
			c.Candidates = Matching(f.Values, raw[v:])
			return c
		}
	}
	return names(WordStart(before))
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
