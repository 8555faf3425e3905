package quickfilter

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// anchoredParts are the items random anchored expressions are made of: literal runes (case
// variants, runes whose lower case is ASCII, ſ, 0 and 1, wide ones), classes and dots.
var anchoredParts = []string{"v", "V", "p", "n", "R", "e", "s", "S", "t", "i", "I", "İ", "k", "K", "\u212a", "ſ",
	"\x00", "\x01", "打", "é", "É", "\ufffd", "-", "1", "[0-9]", "[a-z]", "[A-Z]", "[^a-z]", "[^0-9]", "\\d", "\\w",
	"\\s", "[sk]", "[^\\x00]", "[\\x00-\\x01]", ".", "(?s:.)", "\\pL", "\\p{Han}", "[é-ü]", "(r)", "(?i:r)", "(?i:s)", "(?i:k)"}

func randAnchored(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteString("(?i)")
	}
	begin, end := r.IntN(3) != 0, r.IntN(3) != 0
	if !begin && !end {
		end = true
	}
	if begin {
		b.WriteString([]string{"^", "\\A"}[r.IntN(2)])
	}
	for range 1 + r.IntN(4) {
		p := anchoredParts[r.IntN(len(anchoredParts))]
		if p == "\x00" || p == "\x01" {
			p = regexp.QuoteMeta(p)
		}
		b.WriteString(p)
		if r.IntN(5) == 0 {
			b.WriteString("{2}")
		}
	}
	if end {
		b.WriteString([]string{"$", "\\z"}[r.IntN(2)])
	}
	return b.String()
}

// randField is random text of the pieces anchored expressions look for, and the rows' pieces.
func randField(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(6) {
		if r.IntN(2) == 0 {
			b.WriteString(pieces[r.IntN(len(pieces))])
		} else {
			b.WriteString([]string{"Reset", "reset", "12345", "u-00042", "7", "ſk", "\xe4", "\xb8\xad", "Ｋ", "\n"}[r.IntN(10)])
		}
	}
	return b.String()
}

// TestAnchoredMatchesRegexp checks the anchored matcher against package regexp, field by
// field, over random text (invalid UTF-8 included).
func TestAnchoredMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	found := 0
	for range 3000 {
		expr := randAnchored(r)
		a := anchor(expr)
		if a == nil {
			continue
		}
		found++
		re := regexp.MustCompile(expr)
		for range 50 {
			f := randField(r)
			if got, want := a.matchField(f), re.MatchString(f); got != want {
				t.Fatalf("anchored %q on %q = %v, regexp says %v", expr, f, got, want)
			}
		}
	}
	if found < 2000 {
		t.Fatalf("only %d of 3000 anchored expressions took the anchored form", found)
	}
}

func TestAnchorForms(t *testing.T) {
	tests := []struct {
		expr       string
		ok         bool
		begin, end bool
		exact      bool
		lit        string
	}{
		{"^Reset", true, true, false, false, "reset"},
		{"(?i)^reset", true, true, false, true, "re"}, // s: ſ lower-cases to itself, so wide rows need not hold "reset"
		{"(?i)^vpn", true, true, false, true, "vpn"},
		{"[0-9]{5}$", true, false, true, true, ""},
		{"ab[0-9]$", true, false, true, false, ""},
		{"(?i)ab[0-9]$", true, false, true, true, ""},
		{"^(ab)c$", true, true, true, false, "abc"},
		{"^a.b", true, true, false, false, "a"},
		{"vpn", false, false, false, false, ""},
		{"^a+", false, false, false, false, ""},
		{"^a|b$", false, false, false, false, ""},
		{"(?m)^a", false, false, false, false, ""},
		{"^$", false, false, false, false, ""},
		{"^a\\bb", false, false, false, false, ""},
	}
	for _, tt := range tests {
		a := anchor(tt.expr)
		if (a != nil) != tt.ok {
			t.Errorf("anchor(%q) = %v, want anchored %v", tt.expr, a, tt.ok)
			continue
		}
		if a == nil {
			continue
		}
		if a.begin != tt.begin || a.end != tt.end || a.exact != tt.exact || string(a.lit) != tt.lit {
			t.Errorf("anchor(%q) = begin %v end %v exact %v lit %q, want %v %v %v %q", tt.expr, a.begin, a.end, a.exact, a.lit,
				tt.begin, tt.end, tt.exact, tt.lit)
		}
	}
}

// TestFilterIndexedAnchored checks, over random rows and anchored expressions, that the
// index answers exactly what the regular expression says row by row.
func TestFilterIndexedAnchored(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	items := randRows(r, 4000)
	for i := range items {
		if r.IntN(2) == 0 {
			items[i].UserID = randField(r)
		}
		if r.IntN(2) == 0 {
			items[i].Summary = randField(r)
		}
	}
	whole, paged := wholeAndPaged(t, items, 700, 3500)
	queries := []string{"re:^Reset", "re:[0-9]{5}$", "re:(?i)^reset", "re:^u-", "re:7$", "re:(?i)k$", "re:^\\x00", "re:\\x01$"}
	for range 600 {
		queries = append(queries, "re:"+randAnchored(r))
	}
	hits := 0
	for _, q := range queries {
		m, err := Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		from := 0
		if r.IntN(2) == 0 {
			from = r.IntN(len(items))
		}
		re := regexp.MustCompile(strings.TrimPrefix(q, "re:"))
		var want []int
		for i := from; i < len(items); i++ {
			c := &items[i]
			match := re.MatchString(c.UserID) || re.MatchString(c.Summary)
			for _, a := range c.Attrs {
				match = match || re.MatchString(a.Value)
			}
			if match {
				want = append(want, i)
			}
		}
		hits += len(want)
		checkIndexed(t, map[string]Index{"whole": whole, "paged": paged}, items, m, q, from, want, "the regexp")
	}
	if hits == 0 {
		t.Fatal("no query matched a row")
	}
}

// TestFinder checks the rare-byte search against bytes.Index over random text.
func TestFinder(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 300 {
		text := make([]byte, r.IntN(5000))
		for i := range text {
			text[i] = "aaaaaaaabbbbcdz\x00"[r.IntN(16)]
		}
		s := &segment{text: text}
		for _, c := range text {
			s.freq[c]++
		}
		s.sample = uint32(len(text))
		for range 20 {
			n := 1 + r.IntN(4)
			needle := make([]byte, n)
			for i := range needle {
				needle[i] = "abcdz"[r.IntN(5)]
			}
			f := s.finder(needle, true)
			from := r.IntN(len(text) + 1)
			if got, want := f.index(text[from:]), bytes.Index(text[from:], needle); got != want {
				t.Fatalf("finder(%q, rare %d).index = %d, bytes.Index %d", needle, f.rare, got, want)
			}
		}
	}
}
