package quickfilter

import (
	"context"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// pieces are the bits random text is made of: case variants, runes whose lower case is ASCII
// (İ, the Kelvin sign), ſ (its own lower case, yet s ignoring case), 0 and 1 bytes, invalid
// UTF-8, wide text.
var pieces = []string{"vpn", "VPN", "Vpn", "reset", "Reset", "it", "IT", "i", "İ", "k", "K", "\u212a",
	"s", "S", "ſ", "\x00", "\x01", "\xff", "\xe4\xb8", "打印", "机", "é", "É", " ", "—", "u-1", ":", "!", "hr", "HR", "\ufffd", ""}

var keys = []string{"domain", "Domain", "DOMAIN", "platform", "route", "k\x00y", "ſ", "S"}

func randText(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(5) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func randRows(r *rand.Rand, n int) []client.Conversation {
	out := make([]client.Conversation, n)
	for i := range out {
		c := client.Conversation{ID: randText(r), UserID: randText(r), Summary: randText(r)}
		for range r.IntN(4) {
			c.Attrs = append(c.Attrs, client.Attr{Key: keys[r.IntN(len(keys))], Value: randText(r)})
		}
		out[i] = c
	}
	return out
}

func randQuery(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		var b strings.Builder
		randText := func(r *rand.Rand) string { return strings.ToValidUTF8(randText(r), "") }
		if r.IntN(2) == 0 {
			b.WriteString("(?i)")
		}
		switch r.IntN(4) {
		case 0:
			b.WriteString(regexp.QuoteMeta(randText(r)))
		case 1:
			b.WriteString(regexp.QuoteMeta(randText(r)) + "|" + regexp.QuoteMeta(randText(r)))
		case 2:
			b.WriteString("^" + regexp.QuoteMeta(randText(r)) + ".*" + regexp.QuoteMeta(randText(r)))
		default:
			b.WriteString("(" + regexp.QuoteMeta(randText(r)) + ")+x?" + regexp.QuoteMeta(randText(r)))
		}
		return "re:" + b.String()
	}
	var words []string
	for range 1 + r.IntN(3) {
		w := strings.Join(strings.Fields(randText(r)), "")
		if w == "" {
			w = "vpn"
		}
		switch r.IntN(6) {
		case 0:
			w = "user:" + w
		case 1:
			w = "summary:" + w
		case 2:
			w = "id:" + w
		case 3:
			w = keys[r.IntN(3)] + ":" + w
		}
		if r.IntN(3) == 0 {
			w = "!" + w
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// refMatch is the language's definition, written plainly.
func refMatch(t *testing.T, query string, c *client.Conversation) bool {
	q := strings.TrimSpace(query)
	if rest, ok := strings.CutPrefix(q, "re:"); ok {
		if rest == "" {
			return true
		}
		re := regexp.MustCompile(rest)
		if re.MatchString(c.UserID) || re.MatchString(c.Summary) {
			return true
		}
		for _, a := range c.Attrs {
			if re.MatchString(a.Value) {
				return true
			}
		}
		return false
	}
	has := func(h, n string) bool { return strings.Contains(strings.ToLower(h), n) }
	for _, w := range strings.Fields(q) {
		neg := len(w) > 1 && w[0] == '!'
		if neg {
			w = w[1:]
		}
		var vals []string
		k, v, ok := strings.Cut(w, ":")
		switch {
		case ok && v != "" && isKey(k):
			switch strings.ToLower(k) {
			case "user":
				vals = []string{c.UserID}
			case "summary":
				vals = []string{c.Summary}
			case "id":
				vals = []string{c.ID}
			default:
				for _, a := range c.Attrs {
					if strings.EqualFold(a.Key, k) {
						vals = append(vals, a.Value)
					}
				}
			}
			w = v
		default:
			vals = []string{c.UserID, c.Summary}
			for _, a := range c.Attrs {
				vals = append(vals, a.Value)
			}
		}
		found := false
		for _, h := range vals {
			found = found || has(h, strings.ToLower(w))
		}
		if found == neg {
			return false
		}
	}
	return true
}

// wholeAndPaged indexes items twice: whole, and page by page (pages of size rows, as the TUI
// builds it) covering only the first covered rows.
func wholeAndPaged(t *testing.T, items []client.Conversation, size, covered int) (whole, paged Index) {
	t.Helper()
	whole, err := NewIndex(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	for from := 0; from < covered; from += size {
		p, err := NewIndex(context.Background(), items[from:from+size])
		if err != nil {
			t.Fatal(err)
		}
		paged = paged.Append(p)
	}
	return whole, paged
}

// checkIndexed fails unless FilterIndexed with each of indexes answers want (the rows the
// reference, named says, matches from from on).
func checkIndexed(t *testing.T, indexes map[string]Index, items []client.Conversation, m *Matcher, q string, from int, want []int, says string) {
	t.Helper()
	for name, x := range indexes {
		got, err := FilterIndexed(context.Background(), x, items, m, from)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s index, FilterIndexed(%q, from %d) = %d rows %v, %s says %d %v", name, q, from, len(got), head(got), says, len(want), head(want))
		}
	}
}

// head is the first few elements of s, for a failure message.
func head(s []int) []int { return s[:min(len(s), 20)] }

// TestFilterIndexedEqualsMatch checks, over random rows and queries, that the index answers
// exactly what Match says row by row, and that Match is the language's definition.
func TestFilterIndexedEqualsMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	items := randRows(r, 3000)
	whole, paged := wholeAndPaged(t, items, 500, 2500)
	queries := []string{"vpn", "VPN !hr", "it", "i", "k", "s", "ſ", "İ", "\u212a", "é", "É", "打印",
		"\x00", "\x01", "\xff", "\ufffd", "domain:it", "DOMAIN:İ", "ſ:x", "s:x", "k\x00y:vpn", "user:u-1",
		"summary:reset !summary:vpn", "id:vpn", "!vpn !it", "re:(?i)vpn", "re:vpn", "re:(?i)reset",
		"re:(?i)s", "re:(?i)k", "re:^Reset", "re:(?i)vpn|hr", "re:a*", "re:\x00", "re:(?i)i", "re:İ",
		"re:(?i)\u212a", "re:(vpn)+", "re:x{2,}", ""}
	for range 400 {
		queries = append(queries, randQuery(r))
	}
	for _, q := range queries {
		m, err := Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		from := r.IntN(len(items))
		var want []int
		for i := range items {
			match := m.Match(&items[i])
			if ref := refMatch(t, q, &items[i]); match != ref {
				t.Fatalf("Match(%q, %+v) = %v, the definition says %v", q, items[i], match, ref)
			}
			if match && i >= from {
				want = append(want, i)
			}
		}
		checkIndexed(t, map[string]Index{"whole": whole, "paged": paged, "none": {}}, items, m, q, from, want, "Match")
	}
}

func TestFilterIndexedCorpus(t *testing.T) {
	items := corpus(200_000)
	x, err := NewIndex(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"vpn", "vpn !hr", "domain:it", "nomatchatall", "re:(?i)vpn", "re:^Reset", "!slack", "user:u-0001", "id:conv-00001"} {
		m, _ := Parse(q)
		got, err := FilterIndexed(context.Background(), x, items, m, 5)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := Filter(context.Background(), items[5:], m, 5)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("FilterIndexed(%q) = %d rows, Filter %d", q, len(got), len(want))
		}
	}
}

func TestFilterIndexedErrors(t *testing.T) {
	items := corpus(10)
	x, _ := NewIndex(context.Background(), items)
	m, _ := Parse("vpn")
	if _, err := FilterIndexed(context.Background(), x, items[:5], m, 0); err == nil {
		t.Error("an index longer than the rows was accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FilterIndexed(ctx, x, items, m, 0); err == nil {
		t.Error("FilterIndexed with a cancelled context succeeded")
	}
	if _, err := NewIndex(ctx, items); err == nil {
		t.Error("NewIndex with a cancelled context succeeded")
	}
}

func TestAppendLower(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
			if r.IntN(2) == 0 {
				b[i] = "aZ\x00\x01\xc4\xb0\xe2\x84\xaa"[r.IntN(9)]
			}
		}
		s := string(b)
		want := strings.ReplaceAll(strings.ToLower(s), "\x00", "\x01")
		if got := lowerKey(s); got != want {
			t.Fatalf("lowerKey(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestPrefilter(t *testing.T) {
	tests := []struct {
		expr  string
		alts  []string
		exact bool
	}{
		{"(?i)vpn", []string{"vpn"}, true},
		{"vpn", []string{"vpn"}, false},
		{"(vpn)", []string{"vpn"}, false},
		{"(?i)(vpn)", []string{"vpn"}, true},
		{"^Reset", []string{"reset"}, false},
		{"(?i)reset", []string{"re"}, false}, // s: ſ lower-cases to itself
		{"(?i)^reset|days", []string{"re", "day"}, false},
		{"(?i)vpn|hr", []string{"vpn", "hr"}, true},
		{"a.*bcd", []string{"bcd"}, false},
		{"(ab)+c?", []string{"ab"}, false},
		{"a*", nil, false},
		{"(?i)s", nil, false},
		{"x|y*", nil, false},
		{"a\x00bc", []string{"bc"}, false},
		{"(?i)é", []string{"é"}, false},
		{"(?i)İ", []string{"i"}, false},     // an ASCII row's i is no İ
		{"(?i)\u212a", []string{"k"}, true}, // the Kelvin sign ignoring case is k or K
	}
	for _, tt := range tests {
		r := prefilter(tt.expr)
		var alts []string
		exact := false
		if r != nil {
			alts, exact = r.alts, r.exact
		}
		if !reflect.DeepEqual(alts, tt.alts) || exact != tt.exact {
			t.Errorf("prefilter(%q) = %q exact %v, want %q exact %v", tt.expr, alts, exact, tt.alts, tt.exact)
		}
	}
}

// BenchmarkIndexBuild indexes 1,000,000 rows at once and one 500-row page.
func BenchmarkIndexBuild(b *testing.B) {
	items := corpus(1_000_000)
	for _, n := range []int{1_000_000, 500} {
		b.Run(map[int]string{1_000_000: "1M", 500: "page500"}[n], func(b *testing.B) {
			b.ReportAllocs()
			var x Index
			for b.Loop() {
				var err error
				if x, err = NewIndex(context.Background(), items[:n]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(x.Size())/float64(n), "B/row")
		})
	}
}

// BenchmarkFilter1MNoIndex is BenchmarkFilter1M matching row by row, without an index.
func BenchmarkFilter1MNoIndex(b *testing.B) {
	items := corpus(1_000_000)
	for _, q := range []string{"vpn", "vpn !hr", "domain:it", "nomatchatall", "re:(?i)vpn"} {
		b.Run(q, func(b *testing.B) {
			m, err := Parse(q)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Filter(context.Background(), items, m, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
