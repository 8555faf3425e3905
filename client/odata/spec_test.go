package odata

import (
	"slices"
	"testing"
)

func TestFields(t *testing.T) {
	for _, tt := range []struct {
		coll Collection
		want []string
	}{
		{Conversations, []string{"id", "user_id", "primary_domain", "route", "type", "created_time", "last_updated_time"}},
		{Interactions, []string{"id", "conversation_id", "user_id", "actor", "platform", "type", "label",
			"parent_interaction_id", "created_time", "last_updated_time", "detail/domain", "detail/entity", "detail/content"}},
	} {
		fields := Fields(tt.coll)
		byName := map[string]string{}
		for _, f := range fields {
			if f.Doc == "" {
				t.Errorf("%s.%s has no Doc", tt.coll, f.Name)
			}
			switch f.Type {
			case "string", "datetime":
			case "enum":
				if len(f.Values) == 0 {
					t.Errorf("%s.%s is an enum without values", tt.coll, f.Name)
				}
			default:
				t.Errorf("%s.%s has type %q", tt.coll, f.Name, f.Type)
			}
			byName[f.Name] = f.Type
		}
		for _, name := range tt.want {
			if _, ok := byName[name]; !ok {
				t.Errorf("%s lacks field %s", tt.coll, name)
			}
		}
		if byName["created_time"] != "datetime" || byName["last_updated_time"] != "datetime" {
			t.Errorf("%s: time fields are not datetime", tt.coll)
		}
		// The result is a copy.
		fields[0].Name = "changed"
		fields[len(fields)-1].Values = append(fields[len(fields)-1].Values[:0], "changed")
		if again := Fields(tt.coll); again[0].Name == "changed" || slices.Contains(again[len(again)-1].Values, "changed") {
			t.Errorf("Fields(%s) returns shared state", tt.coll)
		}
	}
	platform := Fields(Interactions)[4]
	for _, v := range []string{"slack", "msteams", "web"} {
		if !slices.Contains(platform.Values, v) {
			t.Errorf("platform values %v lack %s", platform.Values, v)
		}
	}
	if Fields("users") != nil {
		t.Error("Fields of an unknown collection is not nil")
	}
}

func TestSpec(t *testing.T) {
	for _, c := range []Collection{Conversations, Interactions} {
		s := Spec(c)
		if len(s.Fields()) != len(Fields(c)) {
			t.Errorf("%s: Spec fields differ from Fields", c)
		}
		for _, op := range []string{"eq", "and", "not", "in", "contains"} {
			if !slices.Contains(s.Operators(), op) {
				t.Errorf("%s: operators lack %s", c, op)
			}
		}
		if len(s.Examples()) == 0 {
			t.Errorf("%s: no examples", c)
		}
		for _, ex := range s.Examples() {
			if err := s.Validate(ex); err != nil {
				t.Errorf("%s: example %q is invalid: %v", c, ex, err)
			}
		}
		if err := s.Validate("plaform eq 'x'"); err == nil {
			t.Errorf("%s: Validate accepted an unknown field", c)
		}
		if err := s.Validate(""); err != nil {
			t.Errorf("%s: Validate rejected the empty filter: %v", c, err)
		}
	}
}
