package filterbar

import (
	"slices"
	"strings"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/filterterm"
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

// Complete returns the completions of the text before the cursor, from the spec's own
// Complete. In a field's value, a field without known
// values gets the values seen in loaded data: seen maps attribute keys to values seen in
// loaded conversations.
func Complete(spec client.FilterSpec, seen map[string][]string, before string) Completion {
	if spec == nil {
		return Completion{}
	}
	c := spec.Complete(before, len(before))
	c.From, c.To = max(0, min(c.From, len(before))), max(0, min(c.To, len(before)))
	c.From = min(c.From, c.To)
	partial := before[c.From:c.To]
	out := Completion{Partial: partial, Candidates: c.Candidates, Suffix: c.Suffix}
	if c.Field == "" {
		return out
	}
	f, ok := filterterm.FindField(spec.Fields(), c.Field)
	if !ok || len(f.Values) > 0 {
		return out
	}
	vals := seenValues(f, seen)
	if c.Wrap != "" {
		for i, v := range vals {
			vals[i] = c.Wrap + strings.ReplaceAll(v, c.Wrap, c.Wrap+c.Wrap) + c.Wrap
		}
	}
	out.Candidates = append(out.Candidates, filterterm.Matching(vals, partial)...)
	return out
}

// seenValues are the values seen in loaded data under an attribute key matching f: the
// field's name, its last path segment, or the name without a "primary_" prefix.
func seenValues(f client.Field, seen map[string][]string) []string {
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
