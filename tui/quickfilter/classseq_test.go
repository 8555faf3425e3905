package quickfilter

import (
	"context"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// classAtoms are the single-rune parts random expressions are made of: literal runes (case
// variants, İ and the Kelvin sign, which the index stores as i and k, ſ, 0 and 1, wide runes,
// U+FFFD), ASCII, Unicode and negated classes, dots.
var classAtoms = []string{"a", "b", "i", "I", "k", "K", "s", "S", "v", "p", "n", "u", "x", "z", "@", "-", "\\.", " ", "1", "7", "0",
	"İ", "\u212a", "ſ", "é", "É", "打", "\ufffd", "\\x00", "\\x01",
	"[0-9]", "\\d", "\\D", "[a-z]", "[A-Z]", "[^a-z]", "[^0-9]", "\\w", "\\W", "\\s", "\\S", "[sk]", "[ik]", "[İi]", "[ſs]",
	"[^\\x00]", "[\\x00-\\x01]", "[a-z0-9]", "[@.]", "[^@]", ".", "(?s:.)", "\\pL", "\\PL", "\\p{Han}", "[é-ü]", "(?i:k)", "(?i:s)", "(?i:i)",
	"[[:alpha:]]", "[[:digit:]]"}

// randClassExpr is a random expression of classAtoms: repeated, grouped, alternated, now and
// then ignoring case or with an anchor or word boundary in it.
func randClassExpr(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString("(?i)")
	}
	var item func(depth int)
	item = func(depth int) {
		switch n := r.IntN(20); {
		case n == 0 && depth < 2:
			b.WriteString("(")
			item(depth + 1)
			item(depth + 1)
			b.WriteString("|")
			item(depth + 1)
			if r.IntN(2) == 0 {
				item(depth + 1)
			}
			b.WriteString(")")
		case n == 1:
			b.WriteString([]string{"^", "$", "\\b", "\\B", "(?m:^)"}[r.IntN(5)])
		default:
			b.WriteString(classAtoms[r.IntN(len(classAtoms))])
		}
		switch r.IntN(12) {
		case 0:
			b.WriteString("+")
		case 1:
			b.WriteString("?")
		case 2:
			b.WriteString("*")
		case 3, 4:
			b.WriteString([]string{"{2}", "{3}", "{5}", "{1,3}", "{2,}"}[r.IntN(5)])
		}
	}
	for range 1 + r.IntN(5) {
		item(0)
	}
	return b.String()
}

// randHostileField is random text of what the expressions look for and what the index stores
// differently from what it received: digits, @, case variants, İ, the Kelvin sign, ſ, 0 and 1
// bytes, invalid UTF-8, wide runes, new lines.
func randHostileField(r *rand.Rand) string {
	bits := []string{"12345", "u-00042", "555-1234", "ab@cd.io", "A@B", "Reset", "VPN", "vpn", "İ", "i", "I", "k", "K", "\u212a",
		"ſ", "s", "S", "\x00", "\x01", "\xff", "\xe4\xb8", "打印", "é", "É", "\ufffd", " ", "\n", "-", "7", "x", "z@", "ÉÉÉ", "İİİ"}
	var b strings.Builder
	for range r.IntN(7) {
		b.WriteString(bits[r.IntN(len(bits))])
	}
	return b.String()
}

// TestFilterIndexedClassSeq compares FilterIndexed with package regexp over every row, for
// random expressions that mostly have no literal worth searching for: the run of classes the
// index is scanned for must never lose a row nor add one.
func TestFilterIndexedClassSeq(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	items := randRows(r, 3000)
	for i := range items {
		if r.IntN(3) != 0 {
			items[i].UserID = randHostileField(r)
		}
		if r.IntN(3) != 0 {
			items[i].Summary = randHostileField(r)
		}
		for j := range items[i].Attrs {
			if r.IntN(2) == 0 {
				items[i].Attrs[j].Value = randHostileField(r)
			}
		}
	}
	whole, paged := wholeAndPaged(t, items, 600, 2400)
	queries := []string{"re:[0-9]{5}", "re:\\d{3}-\\d{4}", "re:[a-z]+@[a-z]+", "re:(?i)[a-z]{3}", "re:[A-Z]{3}",
		"re:(?i)[ik]{2}", "re:[ik]", "re:\\pL{3}", "re:İ.", "re:[^a-z]{4}", "re:\\x00\\x01", "re:.{6}", "re:(ab|cd)[0-9]",
		"re:\\b[0-9]{3}\\b", "re:vpn[0-9]", "re:(?i)vpn\\s"}
	single, alt, bounded := 1500, 300, 300
	if raceOn {
		single, alt, bounded = single/10, alt/10, bounded/10
	}
	for range single {
		queries = append(queries, "re:"+randClassExpr(r))
	}
	for range alt {
		queries = append(queries, "re:"+randClassExpr(r)+"|"+randClassExpr(r))
	}
	// Empty-width assertions at the ends of a class run (\b\d{5}\b, ^[A-Z]{3}, \B…$) and
	// upper-case runs: the run must still prefilter without losing or adding a row.
	ends := []string{"", "\\b", "\\B", "^", "$", "(?m:^)", "(?m:$)"}
	runs := []string{"[A-Z]", "[A-Z]{2,}", "[A-Z]{3}", "\\d{3}", "\\d+", "[a-z]{2}", "ERR\\d+", "\\w{2}"}
	for range bounded {
		queries = append(queries, "re:"+ends[r.IntN(len(ends))]+runs[r.IntN(len(runs))]+ends[r.IntN(len(ends))])
	}
	var seqs, exact, wide, alts, hits int
	for _, q := range queries {
		expr := strings.TrimPrefix(strings.TrimSpace(q), "re:") // Parse trims the query
		re, err := regexp.Compile(expr)
		if err != nil || expr == "" {
			continue // a random repetition of an empty-width assertion, say
		}
		m, err := Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		if len(m.seqs) > 0 {
			seqs++
			if m.seqs[0].exact {
				exact++
			}
			if !m.seqs[0].narrow {
				wide++
			}
			if len(m.seqs) > 1 {
				alts++
			}
		}
		from := 0
		if r.IntN(3) == 0 {
			from = r.IntN(len(items))
		}
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
		if len(m.seqs) > 0 {
			hits += len(want)
		}
		checkIndexed(t, map[string]Index{"whole": whole, "paged": paged}, items, m, q, from, want, "the regexp")
	}
	// The test is worth something only if the scan ran, exact and not, narrow and not.
	least := 1
	if raceOn {
		least = 10 // a tenth of the cases ran
	}
	if seqs < 500/least || exact < 200/least || wide < 100/least || alts < 30/least || hits == 0 {
		t.Fatalf("the class scan ran for %d expressions (%d exact, %d not narrow, %d alternations, %d rows matched): too few to test it",
			seqs, exact, wide, alts, hits)
	}
}

// TestClassSeqIndex checks the BNDM scan against a plain one over random bytes and random
// runs of byte sets.
func TestClassSeqIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	alphabet := "abcd01\x00\x01-@"
	for range 2000 {
		k := 1 + r.IntN(8)
		if r.IntN(10) == 0 {
			k = 60 + r.IntN(5)
		}
		q := &classSeq{k: k}
		sets := make([][256]bool, k)
		for j := range k {
			for range 1 + r.IntN(3) {
				c := alphabet[r.IntN(len(alphabet))]
				sets[j][c] = true
				q.rev[c] |= 1 << (k - 1 - j)
			}
		}
		text := make([]byte, r.IntN(300))
		for i := range text {
			text[i] = alphabet[r.IntN(len(alphabet))]
			if k > 8 && r.IntN(4) != 0 {
				text[i] = 'a' // long runs need long stretches of a set's bytes
				for j := range k {
					sets[j]['a'] = true
					q.rev['a'] |= 1 << (k - 1 - j)
				}
			}
		}
		want := -1
		for p := 0; p+k <= len(text) && want < 0; p++ {
			ok := true
			for j := range k {
				ok = ok && sets[j][text[p+j]]
			}
			if ok {
				want = p
			}
		}
		if got := q.index(text); got != want {
			t.Fatalf("index of a run of %d sets in %q = %d, want %d", k, text, got, want)
		}
	}
}

// TestClassReq checks what run of classes expressions require, and which use it.
func TestClassReq(t *testing.T) {
	tests := []struct {
		expr          string
		k             int // 0: none
		exact, narrow bool
		used          bool // Parse picks the scan (no anchored form, no better literal)
	}{
		{"[0-9]{5}", 5, true, true, true},
		{"\\d{3}-\\d{4}", 8, true, true, true},
		{"[a-z]+@[a-z]+", 3, false, true, false}, // the literal @ is found faster; both leave the regexp to run
		{"(?i)[a-z]{3}", 3, true, false, true},   // ignoring case, [a-z] holds ſ and the Kelvin sign
		{"[0-9]{2,4}", 2, false, true, true},
		{"\\b[0-9]{3}\\b", 3, false, true, true},
		{"ab|cd", 2, false, true, true}, // [ac][bd] is more than ab|cd; Parse searches for ab, then cd (both exact)
		{"[0-9]+x?[a-z]", 1, false, true, true},
		{"vpn[0-9]", 4, true, true, true},    // the literal vpn would leave the regexp to run
		{"(?i)vpn", 3, true, true, false},    // the literal is exact already
		{"[0-9]{5}$", 5, false, true, false}, // the anchored form
		{"x*", 0, false, false, false},
		{"a?b?", 0, false, false, false},
	}
	for _, tt := range tests {
		q := classReq(tt.expr)
		if tt.k == 0 {
			if q != nil {
				t.Errorf("classReq(%q) = a run of %d, want none", tt.expr, q.k)
			}
			continue
		}
		if q == nil || q.k != tt.k || q.exact != tt.exact || q.narrow != tt.narrow {
			t.Errorf("classReq(%q) = %+v, want k %d exact %v narrow %v", tt.expr, q, tt.k, tt.exact, tt.narrow)
			continue
		}
		m, err := Parse("re:" + tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		if (len(m.seqs) > 0) != tt.used {
			t.Errorf("Parse(re:%s) uses the class scan: %v, want %v", tt.expr, len(m.seqs) > 0, tt.used)
		}
	}
}

// TestSeqScanner checks both ways of finding runs in a segment (BNDM, and IndexByte for the
// bytes of one position) against a plain search, window by window.
func TestSeqScanner(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	items := randRows(r, 400)
	for i := range items {
		items[i].Summary = randHostileField(r)
	}
	x, err := NewIndex(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	s := x.segs[0]
	buf := s.text
	anchored := 0
	for range 400 {
		q := classReq(randClassExpr(r))
		if q == nil {
			continue
		}
		plain := func(from, end int) int {
			for p := from; p+q.k <= end; p++ {
				ok := true
				for j := range q.k {
					ok = ok && q.rev[buf[p+j]]&(1<<(q.k-1-j)) != 0
				}
				if ok {
					return p
				}
			}
			return -1
		}
		for _, force := range []bool{false, true} {
			sc := q.scanner(s)
			if force && !sc.none {
				// Look for the position with the fewest bytes, however common.
				sc.at, sc.set = -1, nil
				for j := range q.k {
					var set []byte
					for b := range 128 {
						if q.rev[b]&(1<<(q.k-1-j)) != 0 {
							set = append(set, byte(b))
						}
					}
					if len(set) <= maxAnchorBytes && (sc.set == nil || len(set) < len(sc.set)) {
						sc.at, sc.set = j, set
					}
				}
				if sc.at < 0 {
					continue
				}
				sc.ahead = []int{-2, -2, -2, -2}[:len(sc.set)]
				anchored++
			}
			// Search ranges that grow, as runSeq does over the rows left.
			for from, end := 0, 0; from < len(buf); {
				end = min(len(buf), max(end, from+r.IntN(400)))
				got := -1
				if !sc.none {
					got = sc.next(buf, from, end)
				}
				if want := plain(from, end); got != want {
					t.Fatalf("run %d (by position %d of %q) in [%d, %d): %d, want %d", q.k, sc.at, sc.set, from, end, got, want)
				}
				if got < 0 {
					from = end
					continue
				}
				from = got + 1 + r.IntN(3)
			}
		}
	}
	if anchored < 100 {
		t.Fatalf("only %d scans looked for a position's bytes", anchored)
	}
}

// TestClassReqs checks which alternations are searched alternative by alternative.
func TestClassReqs(t *testing.T) {
	tests := []struct {
		expr  string
		k     []int
		exact []bool
	}{
		{"[0-9]{5}|[a-z]{9}", []int{5, 9}, []bool{true, true}},
		{"(\\d{3}-\\d{4}|x[0-9]+)", []int{8, 2}, []bool{true, false}},
		{"[0-9]{5}|a*", nil, nil}, // a* matches the empty string: nothing is required
		{"[0-9]{5}", []int{5}, []bool{true}},
		{"a|b|c|d|ee", []int{1, 2}, []bool{true, true}}, // parsed as [a-d]|ee
		{"x*", nil, nil},
	}
	for _, tt := range tests {
		qs := classReqs(tt.expr)
		var k []int
		var exact []bool
		for _, q := range qs {
			k, exact = append(k, q.k), append(exact, q.exact)
		}
		if !reflect.DeepEqual(k, tt.k) || !reflect.DeepEqual(exact, tt.exact) {
			t.Errorf("classReqs(%q) = runs %v exact %v, want %v %v", tt.expr, k, exact, tt.k, tt.exact)
		}
	}
}
