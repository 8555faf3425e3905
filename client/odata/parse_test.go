package odata

import (
	"errors"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		coll Collection
		in   string
		want string // normalized String()
	}{
		// The vendor's own examples (APIS.md §1.4).
		{Conversations, "created_time gt '2026-01-01T00:00:00Z' and created_time lt '2026-03-24T00:00:00Z'",
			"created_time gt '2026-01-01T00:00:00Z' and created_time lt '2026-03-24T00:00:00Z'"},
		{Interactions, "last_updated_time ge '2025-07-01T00:00:00.000Z' and last_updated_time le '2025-07-01T23:59:59.999Z'",
			"last_updated_time ge '2025-07-01T00:00:00Z' and last_updated_time le '2025-07-01T23:59:59.999Z'"},
		{Conversations, "user_id eq '123456'", "user_id eq '123456'"},
		{Interactions, "platform eq 'slack' and created_time ge 2026-11-01T00:00:00Z",
			"platform eq 'slack' and created_time ge '2026-11-01T00:00:00Z'"},
		// Spacing, case of keywords, offsets, dates.
		{Interactions, "  platform   EQ\t'slack'\nAND actor Ne 'bot'  ", "platform eq 'slack' and actor ne 'bot'"},
		{Interactions, "created_time ge 2026-11-01T02:00:00+02:00", "created_time ge '2026-11-01T00:00:00Z'"},
		{Interactions, "created_time ge 2026-11-01", "created_time ge '2026-11-01T00:00:00Z'"},
		{Interactions, "created_time ge '2026-11-01'", "created_time ge '2026-11-01T00:00:00Z'"},
		{Interactions, "created_time ge 2026-11-01T10:30Z", "created_time ge '2026-11-01T10:30:00Z'"},
		{Interactions, "'2026-01-01T00:00:00Z' lt created_time", "'2026-01-01T00:00:00Z' lt created_time"},
		{Interactions, "created_time lt last_updated_time", "created_time lt last_updated_time"},
		// Strings.
		{Interactions, "detail/content eq 'it''s'", "detail/content eq 'it''s'"},
		{Interactions, "detail/content eq ''", "detail/content eq ''"},
		{Interactions, "detail/content eq 'and or ( ) , eq'", "detail/content eq 'and or ( ) , eq'"},
		{Interactions, "detail/content eq 'café ☕'", "detail/content eq 'café ☕'"},
		{Interactions, "label eq 'P1D'", "label eq 'P1D'"}, // godata lexes this as a duration
		{Interactions, "label eq 'P1D''x'", "label eq 'P1D''x'"},
		{Interactions, "label eq 'PT1H'' or ''a' and label in ('P1D', '1234-12-12')", "label eq 'PT1H'' or ''a' and label in ('P1D', '1234-12-12')"},
		{Interactions, "label eq 'geography''POINT(1 2)'''", "label eq 'geography''POINT(1 2)'''"},
		// null.
		{Interactions, "label eq null", "label eq null"},
		{Interactions, "null ne label", "label ne null"},
		{Interactions, "created_time eq null", "created_time eq null"},
		// Precedence and parentheses.
		{Interactions, "actor eq 'user' or actor eq 'bot' and label eq null",
			"actor eq 'user' or (actor eq 'bot' and label eq null)"},
		{Interactions, "(actor eq 'user' or actor eq 'bot') and label eq null",
			"(actor eq 'user' or actor eq 'bot') and label eq null"},
		{Interactions, "((platform eq 'slack'))", "platform eq 'slack'"},
		{Interactions, "not (platform eq 'slack')", "not (platform eq 'slack')"},
		{Interactions, "not(platform eq 'slack') and not contains(label, 'x')",
			"not (platform eq 'slack') and not contains(label, 'x')"},
		{Interactions, "not not (label eq null)", "not (not (label eq null))"},
		{Interactions, "not (actor eq 'user' or actor eq 'bot')", "not (actor eq 'user' or actor eq 'bot')"},
		// in.
		{Interactions, "platform in ('slack','msteams', null)", "platform in ('slack', 'msteams', null)"},
		{Interactions, "platform in ('slack')", "platform in ('slack')"},
		{Interactions, "created_time in ('2026-01-01', 2026-01-02T00:00:00Z)",
			"created_time in ('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')"},
		// Functions.
		{Interactions, "contains(tolower(detail/content), 'vpn')", "contains(tolower(detail/content), 'vpn')"},
		{Interactions, "StartsWith(id, 'cun-') or endswith(TOUPPER(label), 'FORM')",
			"startswith(id, 'cun-') or endswith(toupper(label), 'FORM')"},
		{Interactions, "tolower(platform) eq 'slack'", "tolower(platform) eq 'slack'"},
		{Interactions, "contains ( label , 'x' )", "contains(label, 'x')"},
		// Nested and collection-specific fields.
		{Interactions, "detail/domain eq 'IT' and detail/entity eq 'vpn'", "detail/domain eq 'IT' and detail/entity eq 'vpn'"},
		{Conversations, "primary_domain in ('IT', 'HR') and route eq 'DM'", "primary_domain in ('IT', 'HR') and route eq 'DM'"},
		{Conversations, "type eq 'CONVERSATION_TYPE_TICKET_INTERCEPTION'", "type eq 'CONVERSATION_TYPE_TICKET_INTERCEPTION'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, err := Parse(tt.in, tt.coll)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := f.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if f.Collection() != tt.coll {
				t.Errorf("Collection() = %q", f.Collection())
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", " ", " \t\n "} {
		f, err := Parse(in, Interactions)
		if f != nil || err != nil {
			t.Errorf("Parse(%q) = %v, %v; want nil, nil", in, f, err)
		}
		if !f.Match(map[string]any{}) || f.String() != "" {
			t.Errorf("a nil *Filter must match everything and print as \"\"")
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		coll  Collection
		in    string
		pos   int
		token string
		msg   string // the whole message, or a prefix ending in "…"
	}{
		// Unknown names, with suggestions.
		{Interactions, "plaform eq 'slack'", 0, "plaform", `unknown field "plaform" (did you mean "platform"?)`},
		{Interactions, "platform eq 'slack' and Actor eq 'bot'", 24, "Actor", `unknown field "Actor" (did you mean "actor"?)`},
		{Interactions, "detail.domain eq 'IT'", 0, "detail.domain", `unknown field "detail.domain" (did you mean "detail/domain"?)`},
		{Conversations, "platform eq 'slack'", 0, "platform", `unknown field "platform": it is a field of interactions, not conversations`},
		{Conversations, "xyzzy eq 'a'", 0, "xyzzy", `unknown field "xyzzy" (fields: id, user_id, …`},
		{Interactions, "detail eq 'x'", 0, "detail", `"detail" is an object; filter on one of its fields: detail/domain, …`},
		{Interactions, "detail/domian eq 'IT'", 0, "detail/domian", `unknown field "detail/domian" (did you mean "detail/domain"?)`},
		{Interactions, "year(created_time) eq 2026", 0, "year", "function year is not supported (supported: contains, startswith, endswith, tolower, toupper)"},
		{Interactions, "foo(bar) eq 1", 0, "foo", "function foo is not supported (supported: …"},
		{Interactions, "startwith(id, 'a')", 0, "startwith", "function startwith is not supported (did you mean startswith?)"},
		{Interactions, "label has 'x'", 6, "has", "operator has is not supported (supported: eq, ne, gt, ge, lt, le, in, and, or, not)"},
		{Interactions, "platform equals 'slack'", 9, "equals", "expected an operator (eq, ne, gt, ge, lt, le, in, and, or) after \"platform\", found \"equals\""},
		{Interactions, "platform eql 'slack'", 9, "eql", `unknown operator "eql" (did you mean "eq"?)`},
		// Dates.
		{Interactions, "created_time gt 2024-13-45T00:00:00Z", 16, "2024-13-45T00:00:00Z", "invalid date-time 2024-13-45T00:00:00Z: month out of range"},
		{Interactions, "created_time gt '2024-13-45T00:00:00Z'", 16, "'2024-13-45T00:00:00Z'", "'2024-13-45T00:00:00Z' is not a valid date-time for created_time: month out of range"},
		{Interactions, "created_time gt '2024-02-30'", 16, "'2024-02-30'", "'2024-02-30' is not a valid date-time for created_time: day out of range"},
		{Interactions, "created_time gt 2026-01-01T25:00:00Z", 16, "2026-01-01T25:00:00Z", "invalid date-time 2026-01-01T25:00:00Z: hour out of range"},
		{Interactions, "created_time gt 2026-01-01T00:00:00", 16, "2026-01-01T00:00:00", "invalid date-time 2026-01-01T00:00:00: write date-times like 2026-01-01T00:00:00Z (or a date like 2026-01-01)"},
		{Interactions, "created_time gt 'yesterday'", 16, "'yesterday'", "'yesterday' is not a valid date-time for created_time: write date-times like …"},
		{Interactions, "created_time gt 42", 16, "42", "created_time is a date-time field: compare it with a date-time such as '2026-01-01T00:00:00Z', not 42"},
		{Interactions, "platform eq 2026-01-01T00:00:00Z", 12, "2026-01-01T00:00:00Z", "platform is a text field and cannot be compared with a date-time; only created_time and last_updated_time are date-times"},
		{Interactions, "created_time eq platform", 13, "eq", "cannot compare created_time (a date-time field) with platform (a text field)"},
		{Interactions, "contains(created_time, '2026')", 9, "created_time", "contains works on text, and created_time is a date-time field"},
		// Types.
		{Interactions, "user_id eq 123456", 11, "123456", "user_id is a text field: quote the value, '123456'"},
		{Interactions, "label eq true", 9, "true", "label is a text field: quote the value, 'true'"},
		{Interactions, "'platform' eq 'slack'", 0, "'platform'", "'platform' is quoted text, not a field: write platform without quotes"},
		{Interactions, "'a' eq 'b'", 0, "'a'", "a comparison needs a field, e.g. platform eq 'slack'"},
		{Interactions, "label gt null", 6, "gt", "null can only be compared with eq or ne"},
		{Interactions, "platform", 0, "platform", "platform is a field, not a condition (the filter must be a condition): compare it, e.g. platform eq 'slack'"},
		{Interactions, "tolower(label)", 0, "tolower", "tolower(label) is a value, not a condition (the filter must be a condition)"},
		{Interactions, "label eq null and actor", 18, "actor", "actor is a field, not a condition (here): compare it, e.g. actor eq 'user'"},
		{Interactions, "not platform eq 'slack'", 0, "not", "not applies only to what directly follows it: put the condition in parentheses, e.g. not (platform eq 'slack')"},
		{Interactions, "platform eq (actor eq 'bot')", 13, "actor", `expected a value here, found a condition starting at "actor"`},
		{Interactions, "contains('a', 'b')", 0, "contains", "contains needs a field among its arguments, e.g. contains(detail/content, 'vpn')"},
		{Interactions, "contains(label, null)", 16, "null", "contains needs text, not null"},
		{Interactions, "'x' in ('x')", 0, "'x'", "in needs a field on its left, e.g. platform in ('slack', 'msteams')"},
		{Interactions, "platform in ('slack', 42)", 22, "42", "platform is a text field: quote the value, '42'"},
		{Interactions, "created_time in ('soon')", 17, "'soon'", "'soon' is not a valid date-time for created_time: …"},
		// Structure: parentheses, dangling operators, commas.
		{Interactions, "(platform eq 'slack'", 0, "(", "unclosed (: add a matching )"},
		{Interactions, "((platform eq 'slack') and (label eq null)", 0, "(", "unclosed (: add a matching )"},
		{Interactions, "platform eq 'slack')", 19, ")", "unmatched ): there is no ( before it"},
		{Interactions, "(platform eq 'slack'))", 21, ")", "unmatched ): there is no ( before it"},
		{Interactions, "contains(label, 'x'", 8, "(", "unclosed (: add a matching )"},
		{Interactions, "platform eq 'slack' and", 20, "and", `missing condition after "and"`},
		{Interactions, "platform eq", 9, "eq", `missing value after "eq"`},
		{Interactions, "not", 0, "not", `missing condition after "not"`},
		{Interactions, "platform eq 'slack' (", 20, "(", "expected an operator (eq, ne, gt, ge, lt, le, in, and, or) after \"'slack'\", found \"(\""},
		{Interactions, "and platform eq 'slack'", 0, "and", `"and" needs a condition before it`},
		{Interactions, "eq 'slack'", 0, "eq", `"eq" needs a field before it`},
		{Interactions, "platform eq and actor eq 'bot'", 12, "and", `expected a value after "eq", found "and"`},
		{Interactions, "platform 'slack'", 9, "'slack'", "missing operator between platform and 'slack', e.g. platform eq 'slack'"},
		{Interactions, "platform eq 'slack' actor eq 'bot'", 20, "actor", "expected an operator (eq, ne, gt, ge, lt, le, in, and, or) after \"'slack'\", found \"actor\""},
		{Interactions, "()", 0, "()", "empty parentheses"},
		{Interactions, "platform in ()", 12, "()", "in needs at least one value in its list"},
		{Interactions, "platform in 'slack'", 9, "in", "in needs a list in parentheses, e.g. platform in ('slack', 'msteams')"},
		{Interactions, "platform in ('slack',)", 21, ")", `missing value between "," and ")"`},
		{Interactions, "platform in ('slack', actor)", 22, "actor", `an in-list holds values (quoted text, date-times or null), not "actor"`},
		{Interactions, "platform in ('slack' 'web')", 21, "'web'", `expected , or ) in the in-list, found "'web'"`},
		{Interactions, "platform eq 'slack', actor eq 'bot'", 19, ",", "unexpected comma: commas only separate function arguments and in-list values"},
		{Interactions, "contains(label)", 0, "contains", "contains takes 2 arguments, got 1"},
		{Interactions, "tolower(label, 'x') eq 'a'", 0, "tolower", "tolower takes 1 argument, got 2"},
		{Interactions, "contains() eq 'a'", 0, "contains", "contains takes 2 arguments, got 0"},
		{Interactions, "platform ('slack')", 0, "platform", "platform is a field, not a function: add an operator before the parenthesis, e.g. platform in ('…')"},
		// Lexical errors.
		{Interactions, "platform eq 'slack", 12, "'slack", "unterminated string: add the closing '"},
		{Interactions, "label eq 'it''s", 9, "'it''s", "unterminated string: add the closing '"},
		{Interactions, `platform eq "slack"`, 12, `"slack"`, "strings are written in single quotes: 'slack'"},
		{Interactions, "platform == 'slack'", 9, "==", "use eq instead of =="},
		{Interactions, "platform eq 'a' && label eq null", 16, "&&", "use and instead of &&"},
		{Interactions, "created_time >= 2026-01-01", 13, ">=", "use ge instead of >="},
		{Interactions, "platform eq 'a' # comment", 16, "#", "unexpected character '#'"},
		{Interactions, "platform eq 'a' é", 16, "é", "unexpected character 'é'"},
		{Interactions, "detail/ eq 'a'", 6, "/", `expected a field name after "detail/"`},
		{Interactions, "label eq 12abc", 9, "12abc", "12abc is neither a number nor a date-time (write dates like 2026-01-01T00:00:00Z, text in quotes)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, err := Parse(tt.in, tt.coll)
			if err == nil {
				t.Fatalf("Parse succeeded with %q; want an error", f.String())
			}
			var fe *client.FilterError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a *client.FilterError", err, err)
			}
			if !errors.Is(err, client.ErrBadFilter) {
				t.Errorf("error does not wrap client.ErrBadFilter")
			}
			if fe.Pos != tt.pos || fe.Token != tt.token {
				t.Errorf("at %d %q, want %d %q (%s)", fe.Pos, fe.Token, tt.pos, tt.token, fe.Msg)
			}
			if tt.in[fe.Pos:fe.Pos+len(fe.Token)] != fe.Token {
				t.Errorf("token %q is not the text at its position", fe.Token)
			}
			if prefix, ok := strings.CutSuffix(tt.msg, "…"); ok {
				if !strings.HasPrefix(fe.Msg, prefix) {
					t.Errorf("message %q, want it to start with %q", fe.Msg, prefix)
				}
			} else if fe.Msg != tt.msg {
				t.Errorf("message\n  %q, want\n  %q", fe.Msg, tt.msg)
			}
			if strings.Contains(strings.ToLower(fe.Msg), "godata") || strings.Contains(fe.Msg, "token sequence") {
				t.Errorf("message leaks godata's wording: %q", fe.Msg)
			}
		})
	}
}

func TestParseTooLong(t *testing.T) {
	long := strings.Repeat("label eq 'x' or ", MaxFilterLen/16) + "label eq 'y'"
	_, err := Parse(long, Interactions)
	var fe *client.FilterError
	if !errors.As(err, &fe) || fe.Pos != MaxFilterLen || !strings.Contains(fe.Msg, "too long") {
		t.Fatalf("Parse of %d bytes = %v; want a too-long error", len(long), err)
	}
	ok := strings.Repeat("label eq 'x' or ", MaxFilterLen/32) + "label eq 'y'"
	if _, err := Parse(ok, Interactions); err != nil {
		t.Fatalf("Parse of %d bytes: %v", len(ok), err)
	}
}

func TestParseUnknownCollection(t *testing.T) {
	_, err := Parse("id eq 'a'", Collection("users"))
	var fe *client.FilterError
	if !errors.As(err, &fe) || fe.Pos != -1 {
		t.Fatalf("Parse on an unknown collection = %v; want a *client.FilterError at -1", err)
	}
}
