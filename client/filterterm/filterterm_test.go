package filterterm

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

func TestLex(t *testing.T) {
	tests := []struct {
		name string
		in   string
		o    Options
		want []Term
	}{
		{"empty", "", Options{}, nil},
		{"spaces only", " \t\n", Options{}, nil},
		{"words", "vpn  !hr", Options{}, []Term{{"vpn", 0, 3}, {"!hr", 5, 8}}},
		{"key value", "since:7d channel=voice", Options{}, []Term{{"since:7d", 0, 8}, {"channel=voice", 9, 22}}},
		{"quoted value", `since:"20 days ago" intent~x`, Options{}, []Term{{"since:20 days ago", 0, 19}, {"intent~x", 20, 28}}},
		{"quote inside", `a"b c"d e`, Options{}, []Term{{"ab cd", 0, 7}, {"e", 8, 9}}},
		{"quote starts a term", `"x y"`, Options{}, []Term{{"x y", 0, 5}}},
		{"empty quotes", `a="" b`, Options{}, []Term{{"a=", 0, 4}, {"b", 5, 6}}},
		{"carriage return is not a separator", "a\rb", Options{}, []Term{{"a\rb", 0, 3}}},
		{"non-ASCII", "intent~café x", Options{}, []Term{{"intent~café", 0, 12}, {"x", 13, 14}}},
		{"escapes inside quotes", `a="x\" y\\" b`, Options{Escapes: true}, []Term{{`a=x" y\`, 0, 11}, {"b", 12, 13}}},
		{"backslash outside quotes", `a=x\ b`, Options{Escapes: true}, []Term{{`a=x\`, 0, 4}, {"b", 5, 6}}},
		{"no escapes without the option", `a="x\" y`, Options{}, []Term{{`a=x\`, 0, 6}, {"y", 7, 8}}},
		{"separators", "a\rb c", Options{Separators: " \r"}, []Term{{"a", 0, 1}, {"b", 2, 3}, {"c", 4, 5}}},
		{"plain keeps quotes", `a"b c"`, Options{Plain: true}, []Term{{`a"b`, 0, 3}, {`c"`, 4, 6}}},
		{"plain splits at any space", "a\rb\u00a0c\u2003d", Options{Plain: true}, []Term{{"a", 0, 1}, {"b", 2, 3}, {"c", 5, 6}, {"d", 9, 10}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Lex(tt.in, tt.o)
			if err != nil {
				t.Fatalf("Lex(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lex(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestLexUnterminated(t *testing.T) {
	for _, tt := range []struct {
		in  string
		pos int
	}{{`a="b`, 2}, {`x "y" "z`, 6}, {`"`, 0}} {
		terms, err := Lex(tt.in, Options{})
		if len(terms) == 0 || terms[len(terms)-1].End != len(tt.in) {
			t.Errorf("Lex(%q) = %+v, want the last term to run to the end", tt.in, terms)
		}
		var fe *client.FilterError
		if !errors.As(err, &fe) || fe.Pos != tt.pos || fe.Msg != "unterminated quote" || fe.Token != `"` {
			t.Errorf("Lex(%q) error = %v, want unterminated quote at %d", tt.in, err, tt.pos)
		}
	}
	if _, err := Lex(`a"b`, Options{Plain: true}); err != nil {
		t.Errorf("plain Lex: %v", err)
	}
}

// quickFields and quickOps are the quick filter's language, as tui/pane declares it.
var (
	quickFields = []client.Field{{Name: "user"}, {Name: "summary"}, {Name: "id"}}
	quickOps    = []string{"re:"}
	termFields  = []client.Field{
		{Name: "sentiment", Values: []string{"positive", "neutral", "negative"}},
		{Name: "intent"},
		{Name: "since"},
		{Name: "detail/kind", Values: []string{"a", "b"}},
	}
	termOps = []string{"=", "~", "!=", "!~", "since:"}
)

func TestComplete(t *testing.T) {
	tests := []struct {
		name   string
		fields []client.Field
		ops    []string
		o      Options
		text   string
		cursor int // -1: end of text
		want   client.Completion
	}{
		{"names", termFields, termOps, Options{}, "sen", -1, client.Completion{From: 0, To: 3, Candidates: []string{"sentiment"}}},
		{"names, since: for since", termFields, termOps, Options{}, "si", -1, client.Completion{From: 0, To: 2, Candidates: []string{"since:"}}},
		{"all names after a term", termFields, termOps, Options{}, "since:7d ", -1, client.Completion{From: 9, To: 9, Candidates: []string{"sentiment", "intent", "detail/kind", "since:"}}},
		{"nothing after a bare field", termFields, termOps, Options{}, "sentiment ", -1, client.Completion{From: 10, To: 10}},
		{"value after =", termFields, termOps, Options{}, "sentiment=ne", -1, client.Completion{From: 10, To: 12, Candidates: []string{"neutral", "negative"}, Field: "sentiment"}},
		{"value after ~", termFields, termOps, Options{}, "x sentiment~p", -1, client.Completion{From: 12, To: 13, Candidates: []string{"positive"}, Field: "sentiment"}},
		{"value after !=", termFields, termOps, Options{}, "SENTIMENT!=", -1, client.Completion{From: 11, To: 11, Candidates: []string{"positive", "neutral", "negative"}, Field: "sentiment"}},
		{"value after !~", termFields, termOps, Options{}, "sentiment!~n", -1, client.Completion{From: 11, To: 12, Candidates: []string{"neutral", "negative"}, Field: "sentiment"}},
		{"quoted value", termFields, termOps, Options{}, `sentiment="neg`, -1, client.Completion{From: 11, To: 14, Candidates: []string{"negative"}, Suffix: `"`, Field: "sentiment"}},
		{"path key", termFields, termOps, Options{}, "detail/kind=", -1, client.Completion{From: 12, To: 12, Candidates: []string{"a", "b"}, Field: "detail/kind"}},
		{"value without known values", termFields, termOps, Options{}, "intent=res", -1, client.Completion{From: 7, To: 10, Field: "intent"}},
		{"unknown key: names", termFields, termOps, Options{}, "nope=in", -1, client.Completion{From: 5, To: 7, Candidates: []string{"intent"}}},
		{"cursor inside", termFields, termOps, Options{}, "sen channel=x", 3, client.Completion{From: 0, To: 3, Candidates: []string{"sentiment"}}},
		{"quick: names", quickFields, quickOps, Options{Plain: true}, "vpn su", -1, client.Completion{From: 4, To: 6, Candidates: []string{"summary"}}},
		{"quick: negated name", quickFields, quickOps, Options{Plain: true}, "!us", -1, client.Completion{From: 1, To: 3, Candidates: []string{"user"}}},
		{"quick: re:", quickFields, quickOps, Options{Plain: true}, "r", -1, client.Completion{From: 0, To: 1, Candidates: []string{"re:"}}},
		{"quick: field value", quickFields, quickOps, Options{Plain: true}, "!user:u-", -1, client.Completion{From: 6, To: 8, Field: "user"}},
		{"quick: attribute key", quickFields, quickOps, Options{Plain: true}, "domain:i", -1, client.Completion{From: 7, To: 8, Candidates: []string{"id"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := tt.cursor
			if cur < 0 {
				cur = len(tt.text)
			}
			got := Complete(tt.fields, tt.ops, tt.text, cur, tt.o)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Complete(%q, %d) =\n %+v, want\n %+v", tt.text, cur, got, tt.want)
			}
		})
	}
}

// FuzzLexPlain checks plain lexing splits as strings.Fields does (the quick filter's rule)
// and that every term's span holds its text; and that quoted lexing never panics and keeps
// its spans inside the text.
func FuzzLexPlain(f *testing.F) {
	for _, s := range []string{"vpn !hr domain:it", " a\u00a0b\u2003c\r\n", `a"b c" "d`, "\xff x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms, err := Lex(text, Options{Plain: true})
		if err != nil {
			t.Fatalf("plain Lex(%q): %v", text, err)
		}
		want := strings.Fields(text)
		if len(terms) != len(want) {
			t.Fatalf("Lex(%q) = %d terms, strings.Fields %d", text, len(terms), len(want))
		}
		for i, tm := range terms {
			if tm.Text != want[i] || text[tm.Pos:tm.End] != tm.Text {
				t.Fatalf("Lex(%q) term %d = %+v, want %q", text, i, tm, want[i])
			}
		}
		quoted, _ := lex(text, Options{})
		for _, tm := range quoted {
			if tm.Pos < 0 || tm.End > len(text) || tm.Pos >= tm.End {
				t.Fatalf("lex(%q): span %+v outside the text", text, tm)
			}
		}
	})
}
