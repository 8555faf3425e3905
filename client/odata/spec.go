package odata

import "github.com/confab-dev/confab/client"

// spec is the client.FilterSpec of a collection.
type spec struct{ c Collection }

// Spec returns the filter language of collection c for the filter bar: its fields,
// operators and functions, examples, and a Validate that runs Parse.
func Spec(c Collection) client.FilterSpec { return spec{c} }

func (s spec) Fields() []client.Field { return Fields(s.c) }

func (s spec) Operators() []string {
	return []string{"eq", "ne", "gt", "ge", "lt", "le", "in", "and", "or", "not", "null",
		"contains", "startswith", "endswith", "tolower", "toupper"}
}

func (s spec) Examples() []string {
	if s.c == Interactions {
		return []string{
			"platform eq 'slack' and created_time ge '2026-11-01T00:00:00Z'",
			"actor eq 'user' and not (type eq 'INTERACTION_TYPE_BOT_MESSAGE')",
			"type eq 'INTERACTION_TYPE_FREE_TEXT' or type eq 'INTERACTION_TYPE_BUTTON_CLICK'",
			"label ne null",
		}
	}
	return []string{
		"created_time gt '2026-01-01T00:00:00Z' and created_time lt '2026-03-24T00:00:00Z'",
		"last_updated_time ge '2025-07-01T00:00:00.000Z' and last_updated_time le '2025-07-01T23:59:59.999Z'",
		"user_id eq '123456'",
		"(primary_domain eq 'IT' or primary_domain eq 'HR') and route eq 'DM'",
	}
}

func (s spec) Validate(text string) error {
	_, err := Parse(text, s.c)
	return err
}

// Warnings returns Check's warnings: forms of text the vendor's documents do not promise.
func (s spec) Warnings(text string) []client.FilterWarning {
	_, w, _ := Check(text, s.c)
	return w
}
