package filterbar

import (
	"reflect"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/filterterm"
	"github.com/confab-dev/confab/client/odata"
)

// termSpec is a term language, like the quick filter's.
type termSpec struct{}

func (s termSpec) Complete(text string, cursor int) client.Completion {
	return filterterm.Complete(s.Fields(), s.Operators(), text, cursor, filterterm.Options{Plain: true})
}

func (termSpec) Fields() []client.Field {
	return []client.Field{{Name: "user"}, {Name: "summary"}, {Name: "id"}}
}
func (termSpec) Operators() []string        { return []string{"re:"} }
func (termSpec) Examples() []string         { return nil }
func (termSpec) Validate(text string) error { return nil }

// TestCompleteSeenValues checks the values seen in loaded data are added for a field without
// known values, quoted where the language's Complete asks for it, and that a spec without a
// Complete is completed as a term language.
func TestCompleteSeenValues(t *testing.T) {
	seen := map[string][]string{"entity": {"vpn", "it's"}, "user": {"u-1", "u-2"}, "domain": {"IT"}}
	inter := odata.Spec(odata.Interactions)
	tests := []struct {
		name   string
		spec   client.FilterSpec
		before string
		want   Completion
	}{
		{"odata bare, quoted", inter, "detail/entity eq ", Completion{Candidates: []string{"'vpn'", "'it''s'"}}},
		{"odata in quotes", inter, "detail/entity eq 'v", Completion{Partial: "v", Candidates: []string{"vpn"}, Suffix: "'"}},
		{"odata known values win", inter, "actor eq 'u", Completion{Partial: "u", Candidates: []string{"user"}, Suffix: "'"}},
		{"term spec value", termSpec{}, "vpn !user:u-", Completion{Partial: "u-", Candidates: []string{"u-1", "u-2"}}},
		{"term spec name", termSpec{}, "vpn su", Completion{Partial: "su", Candidates: []string{"summary"}}},
		{"nil spec", nil, "x", Completion{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Complete(tt.spec, seen, tt.before); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Complete(%q) = %+v, want %+v", tt.before, got, tt.want)
			}
		})
	}
}
