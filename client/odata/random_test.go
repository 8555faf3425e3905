package odata

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// gen builds random filters from the grammar, as token lists.
type gen struct{ rng *rand.Rand }

var (
	genFields   = []string{"platform", "label", "created_time", "detail/content", "actor", "id", "last_updated_time"}
	genOps      = []string{"eq", "ne", "gt", "ge", "lt", "le"}
	genLiterals = []string{"'slack'", "'2026-01-01T00:00:00Z'", "2026-01-01T00:00:00Z", "null", "true", "42", "'it''s'", "2025-08-01", "'P1D''x'", "-1.5"}
	genVocab    = append(append(append([]string{"and", "or", "not", "in", "(", ")", ",", "contains(", "tolower("},
		genFields...), genOps...), genLiterals...)
)

func (g gen) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g gen) value() []string {
	switch g.rng.IntN(4) {
	case 0:
		return []string{g.pick(genLiterals)}
	case 1:
		return append(append([]string{g.pick([]string{"tolower(", "toupper("})}, g.value()...), ")")
	default:
		return []string{g.pick(genFields)}
	}
}

func (g gen) cond(depth int) []string {
	k := g.rng.IntN(7)
	if depth > 3 {
		k = g.rng.IntN(3)
	}
	switch k {
	case 0, 1:
		return append(append(g.value(), g.pick(genOps)), g.value()...)
	case 2:
		out := append(g.value(), "in", "(")
		for i := range 1 + g.rng.IntN(3) {
			if i > 0 {
				out = append(out, ",")
			}
			out = append(out, g.pick(genLiterals))
		}
		return append(out, ")")
	case 3:
		out := append([]string{g.pick([]string{"contains(", "startswith(", "endswith("})}, g.value()...)
		return append(append(append(out, ","), g.value()...), ")")
	case 4:
		return append(append([]string{"not", "("}, g.cond(depth+1)...), ")")
	case 5:
		return append(append([]string{"("}, g.cond(depth+1)...), ")")
	default:
		return append(append(g.cond(depth+1), g.pick([]string{"and", "or"})), g.cond(depth+1)...)
	}
}

// mutate deletes, inserts or swaps a token.
func (g gen) mutate(toks []string) []string {
	i := g.rng.IntN(len(toks))
	switch g.rng.IntN(3) {
	case 0:
		return append(toks[:i:i], toks[i+1:]...)
	case 1:
		return append(toks[:i:i], append([]string{g.pick(genVocab)}, toks[i:]...)...)
	default:
		j := g.rng.IntN(len(toks))
		toks[i], toks[j] = toks[j], toks[i]
		return toks
	}
}

// TestRandomFilters feeds Parse many grammar-generated filters, half of them mutated (which
// byte-level fuzzing rarely reaches), and checks the invariants of FuzzParse: a positioned
// *client.FilterError, or a filter whose String() round-trips and evaluates the same; never
// a tree the compiler cannot read.
func TestRandomFilters(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	rec := sampleInteraction()
	var accepted, rejected int
	for range 20000 {
		toks := g.cond(0)
		if g.rng.IntN(2) == 0 {
			toks = g.mutate(toks)
		}
		text := strings.Join(toks, " ")
		flt, err := Parse(text, Interactions)
		if err != nil {
			rejected++
			var fe *client.FilterError
			if !errors.As(err, &fe) || fe.Msg == msgInternal || fe.Pos < 0 || fe.Pos > len(text) {
				t.Fatalf("Parse(%q) = %v (%#v)", text, err, err)
			}
			continue
		}
		accepted++
		norm := flt.String()
		again, err := Parse(norm, Interactions)
		if err != nil || again.String() != norm || again.Match(rec) != flt.Match(rec) {
			t.Fatalf("Parse(%q) = %q, which re-parses as %v, %v", text, norm, again, err)
		}
	}
	t.Logf("accepted %d, rejected %d", accepted, rejected)
	if accepted < 1000 || rejected < 1000 {
		t.Errorf("accepted %d, rejected %d: the generator is not exercising both paths", accepted, rejected)
	}
}
