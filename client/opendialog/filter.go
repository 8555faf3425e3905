package opendialog

import (
	"fmt"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/filterterm"
	"github.com/confab-dev/confab/client/timeexpr"
)

// AllowedFilters are the attribute filters the User Interactions API accepts (APIS.md §3.3),
// in the order the vendor documents them. Any other query parameter is a 422.
var AllowedFilters = []string{
	"ip_address", "country", "browser_language", "os", "browser", "timezone", "email", "platform", "selected_scenario",
}

// filterNames are every name the filter language accepts, in completion order.
var filterNames = append(append([]string{}, AllowedFilters...), "user_id", "from", "to")

func allowedName(name string) bool {
	for _, n := range filterNames {
		if n == name {
			return true
		}
	}
	return false
}

// Param is one name=value pair of a parsed filter, sent to the API as a query parameter.
type Param struct {
	Name, Value string
}

// Filter is a parsed filter: the query parameters to send and the time bounds it names.
type Filter struct {
	Params   []Param   // attribute filters and user_id, in the order written
	From, To time.Time // zero when the filter does not bound the time
}

// Get returns the value of the parameter name, or "".
func (f Filter) Get(name string) string {
	for _, p := range f.Params {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// ParseFilter reads the OpenDialog filter language: space-separated name=value pairs, where
// name is one of AllowedFilters or user_id, plus from:T and to:T (or from=T, to=T) with T an
// absolute or relative time (client/timeexpr, relative to now). Values may be double-quoted
// ("United Kingdom"; \" and \\ escape inside quotes). Values match the vendor's way: SQL LIKE,
// case-insensitive, partial; several pairs combine with AND. Errors are *client.FilterError
// with the byte offset of the offending token.
func ParseFilter(text string, now time.Time) (Filter, error) {
	var f Filter
	seen := map[string]int{}
	fromPos, toPos := -1, -1
	// The lexer splits the terms; an unclosed quote is reported below, in the term's words.
	terms, _ := filterterm.Lex(text, termOptions)
	for _, t := range terms {
		start, i := t.Pos, t.Pos
		for i < len(text) && text[i] != '=' && text[i] != ':' && !isSpace(text[i]) && text[i] != '"' {
			i++
		}
		name := text[start:i]
		if name == "" {
			return Filter{}, &client.FilterError{Msg: "expected a filter name before " + quoteRune(text[i]), Pos: start, Token: text[start : start+1]}
		}
		lname := strings.ToLower(name)
		if !allowedName(lname) {
			return Filter{}, &client.FilterError{Pos: start, Token: name,
				Msg: fmt.Sprintf("unknown filter %q: use one of %s", name, strings.Join(filterNames, ", "))}
		}
		if i >= len(text) || (text[i] != '=' && text[i] != ':') {
			return Filter{}, &client.FilterError{Pos: start, Token: name,
				Msg: fmt.Sprintf("%s needs a value: write %s=VALUE", lname, lname)}
		}
		if text[i] == ':' && lname != "from" && lname != "to" {
			return Filter{}, &client.FilterError{Pos: i, Token: ":",
				Msg: fmt.Sprintf("write %s=VALUE (':' is only for from: and to:)", lname)}
		}
		i++
		vpos := i
		var value string
		if i < len(text) && text[i] == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(text) {
				c := text[i]
				if c == '\\' && i+1 < len(text) && (text[i+1] == '"' || text[i+1] == '\\') {
					b.WriteByte(text[i+1])
					i += 2
					continue
				}
				if c == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(c)
				i++
			}
			if !closed {
				return Filter{}, &client.FilterError{Pos: vpos, Token: text[vpos:], Msg: "unterminated quoted value"}
			}
			if i < len(text) && !isSpace(text[i]) {
				return Filter{}, &client.FilterError{Pos: i, Token: text[i : i+1], Msg: "expected a space after the quoted value"}
			}
			value = b.String()
		} else {
			for i < len(text) && !isSpace(text[i]) {
				if text[i] == '"' {
					return Filter{}, &client.FilterError{Pos: i, Token: `"`, Msg: "a quote may only start a value"}
				}
				i++
			}
			value = text[vpos:i]
		}
		if strings.TrimSpace(value) == "" {
			return Filter{}, &client.FilterError{Pos: start, Token: name, Msg: fmt.Sprintf("%s has an empty value", lname)}
		}
		if p, dup := seen[lname]; dup {
			return Filter{}, &client.FilterError{Pos: start, Token: name,
				Msg: fmt.Sprintf("%s is given twice (first at column %d); the API takes one value per filter", lname, p+1)}
		}
		seen[lname] = start
		switch lname {
		case "from":
			t, err := timeexpr.Parse(value, now)
			if err != nil {
				return Filter{}, &client.FilterError{Pos: vpos, Token: value, Msg: "from: " + err.Error()}
			}
			f.From, fromPos = t, start
		case "to":
			t, err := timeexpr.ParseEnd(value, now)
			if err != nil {
				return Filter{}, &client.FilterError{Pos: vpos, Token: value, Msg: "to: " + err.Error()}
			}
			f.To, toPos = t, start
		default:
			f.Params = append(f.Params, Param{Name: lname, Value: value})
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return Filter{}, &client.FilterError{Pos: max(fromPos, toPos), Token: "to",
			Msg: fmt.Sprintf("the range is inverted: to (%s) is before from (%s)",
				f.To.UTC().Format(time.RFC3339), f.From.UTC().Format(time.RFC3339))}
	}
	return f, nil
}

// termOptions are the lexing rules of the language: double quotes with \" and \\ escapes,
// terms separated by space, tab, CR and LF.
var termOptions = filterterm.Options{Escapes: true, Separators: " \t\n\r"}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func quoteRune(c byte) string { return fmt.Sprintf("%q", string(c)) }

// spec is the filter language as client.FilterSpec.
type spec struct {
	now func() time.Time
}

var fieldDocs = map[string]string{
	"ip_address":        "the user's IP address",
	"country":           "the user's country (e.g. \"United Kingdom\")",
	"browser_language":  "the browser's language (e.g. en-GB)",
	"os":                "the user's operating system",
	"browser":           "the user's browser",
	"timezone":          "the user's time zone (e.g. Europe/London)",
	"email":             "the user's e-mail address",
	"platform":          "desktop, mobile, tablet…",
	"selected_scenario": "the scenario id the user chatted with",
	"user_id":           "one user id",
	"from":              "start of the time range (from:7d, from:2026-11-01)",
	"to":                "end of the time range (to:yesterday, to:2026-11-08)",
}

// Fields lists the filters: the allow-listed attributes, user_id, from and to.
func (s spec) Fields() []client.Field {
	out := make([]client.Field, 0, len(filterNames))
	for _, n := range filterNames {
		typ := "string"
		if n == "from" || n == "to" {
			typ = "datetime"
		}
		var values []string
		if n == "platform" {
			values = []string{"desktop", "mobile", "tablet"}
		}
		out = append(out, client.Field{Name: n, Type: typ, Values: values, Doc: fieldDocs[n]})
	}
	return out
}

// Operators are the separators of the language.
func (s spec) Operators() []string { return []string{"=", "from:", "to:"} }

// Examples are a few valid filters.
func (s spec) Examples() []string {
	return []string{
		`country=us browser=chrome`,
		`country="United Kingdom" from:2w`,
		`selected_scenario=support email=@example.com to:yesterday`,
	}
}

// Window reports whether text is only a time window (from:, to:) and the window it names
// (client.WindowFilter).
func (spec) Window(text string, now time.Time) (since, until time.Time, ok bool) {
	f, err := ParseFilter(text, now)
	if err != nil || len(f.Params) > 0 {
		return time.Time{}, time.Time{}, false
	}
	return f.From, f.To, true
}

// Validate parses text without any I/O.
func (s spec) Validate(text string) error {
	_, err := ParseFilter(text, s.now())
	return err
}

// Spec returns the OpenDialog filter language; now is the clock relative times use (nil:
// time.Now).
func Spec(now func() time.Time) client.FilterSpec {
	if now == nil {
		now = time.Now
	}
	return spec{now: now}
}

// Complete returns the completions at byte offset cursor of text (client.FilterSpec).
func (s spec) Complete(text string, cursor int) client.Completion {
	return filterterm.Complete(s.Fields(), s.Operators(), text, cursor, termOptions)
}
