package odata

import (
	"errors"
	"testing"

	"github.com/confab-dev/confab/client"
)

// FuzzParse checks that Parse never panics, that every error is a *client.FilterError with a
// position inside the text (or -1), that the parser never builds a tree the compiler cannot read, and that an
// accepted filter's String() parses back to the same filter.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"created_time gt '2026-01-01T00:00:00Z' and created_time lt '2026-03-24T00:00:00Z'",
		"last_updated_time ge '2025-07-01T00:00:00.000Z' and last_updated_time le '2025-07-01T23:59:59.999Z'",
		"user_id eq '123456'",
		"platform eq 'slack' and created_time ge 2026-11-01T00:00:00Z",
		"not (platform in ('slack', null)) or label eq null and actor eq 'bot'",
		"contains(tolower(detail/content), 'vpn') and startswith(id, 'cun-')",
		"(a eq 'x'", "a eq 'x')", "platform eq 'it''s'", "created_time gt 2024-13-45T00:00:00Z",
		"foo(bar) eq 1", "not not (label eq null)", "platform in ()", "x in (1, 2) in (3)",
		"endswith(toupper(label), 'FORM') eq true", "'a' eq 'b'", "label ne null and null eq label",
		"created_time in ('2026-01-01', 2026-01-02T00:00+02:00)", "type eq 'INTERACTION_TYPE_FREE_TEXT'", "label eq 'P1D''x'",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	rec := sampleInteraction()
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range []Collection{Interactions, Conversations} {
			flt, err := Parse(text, c)
			if err != nil {
				var fe *client.FilterError
				if !errors.As(err, &fe) {
					t.Fatalf("Parse(%q): error %T %v is not a *client.FilterError", text, err, err)
				}
				if fe.Pos != -1 && (fe.Pos < 0 || fe.Pos > len(text)) {
					t.Fatalf("Parse(%q): position %d outside [0,%d]", text, fe.Pos, len(text))
				}
				if fe.Msg == msgInternal {
					t.Fatalf("Parse(%q): the parser built a tree the compiler cannot read", text)
				}
				continue
			}
			flt.Match(rec)
			if flt == nil {
				continue
			}
			norm := flt.String()
			again, err := Parse(norm, c)
			if err != nil {
				t.Fatalf("Parse(%q) ok, but its String %q does not parse: %v", text, norm, err)
			}
			if got := again.String(); got != norm {
				t.Fatalf("String is not stable: %q -> %q -> %q", text, norm, got)
			}
			if again.Match(rec) != flt.Match(rec) {
				t.Fatalf("%q and its String %q disagree on a record", text, norm)
			}
		}
	})
}
