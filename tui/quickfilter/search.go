package quickfilter

import (
	"bytes"
	"context"
	"fmt"
	"math/bits"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/confab-dev/confab/client"
)

// unitRows is the most rows of a segment one worker matches at a time (and between checks of
// the context); workers take units as they finish, so the CPUs stay evenly loaded.
const unitRows = 32768

// unit is a run of rows of one segment: rows [lo, hi), the segment's row 0 being items[base].
type unit struct {
	s      *segment
	base   int
	lo, hi int
	word   int // the unit's first word in the bitset of matches
}

// FilterIndexed returns the indexes of items[from:] that match m, in order, like Filter. x must
// index items[:x.Len()] (items may have more rows: they are matched without the index). It
// splits the work over the available CPUs and stops early, returning ctx's error, when ctx is
// cancelled.
func FilterIndexed(ctx context.Context, x Index, items []client.Conversation, m *Matcher, from int) ([]int, error) {
	return FilterIndexedRows(ctx, x, Slice(items), m, from)
}

// FilterIndexedRows is FilterIndexed over rows.
func FilterIndexedRows(ctx context.Context, x Index, items Rows, m *Matcher, from int) ([]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("quick filter: %w", err)
	}
	if x.n > items.Len() {
		return nil, fmt.Errorf("quick filter: an index of %d rows for %d conversations", x.n, items.Len())
	}
	from = max(0, min(from, items.Len()))
	if m.Empty() {
		out := make([]int, items.Len()-from)
		for i := range out {
			out[i] = from + i
		}
		return out, nil
	}
	var units []unit
	base, words := 0, 0
	for _, s := range x.segs {
		lo := max(from-base, 0)
		for lo < s.n {
			hi := min(s.n, lo+unitRows)
			units = append(units, unit{s: s, base: base, lo: lo, hi: hi, word: words})
			words += (hi - lo + 63) / 64
			lo = hi
		}
		base += s.n
	}
	p := m.plan()
	// Every unit sets its matches in its words of one bitset; the indexes are written once
	// into a slice of the right size afterwards.
	found := make([]uint64, words)
	counts := make([]int, len(units)+1)
	if err := parallel(ctx, len(units), func(sc *scratch, i int) {
		u := &units[i]
		counts[i+1] = p.run(u, items, found[u.word:u.word+(u.hi-u.lo+63)/64], sc)
	}); err != nil {
		return nil, err
	}
	for i := range units {
		counts[i+1] += counts[i]
	}
	var tail []int
	if rest := max(from, x.n); rest < items.Len() {
		var err error
		if tail, err = filterSpan(ctx, items, rest, items.Len(), m, 0); err != nil {
			return nil, err
		}
	}
	out := make([]int, counts[len(units)], counts[len(units)]+len(tail))
	if err := parallel(ctx, len(units), func(_ *scratch, i int) {
		u := &units[i]
		o := out[counts[i]:counts[i+1]]
		k := 0
		for w, word := range found[u.word : u.word+(u.hi-u.lo+63)/64] {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				word &= word - 1
				o[k] = u.base + u.lo + w*64 + b
				k++
			}
		}
	}); err != nil {
		return nil, err
	}
	return append(out, tail...), nil
}

// parallel calls do(sc, i) for i in [0, n) over the available CPUs, each worker with its own
// scratch, and returns ctx's error if ctx is cancelled before it is done.
func parallel(ctx context.Context, n int, do func(sc *scratch, i int)) error {
	var next atomic.Int64
	var failed atomic.Bool
	work := func() {
		var sc scratch
		for !failed.Load() {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			if ctx.Err() != nil {
				failed.Store(true)
				return
			}
			do(&sc, i)
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), 8, n); workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(work)
		}
		wg.Wait()
	}
	if failed.Load() {
		return fmt.Errorf("quick filter: %w", ctx.Err())
	}
	return nil
}

// plan is a Matcher prepared for the index: terms in the order they are best evaluated.
type plan struct {
	m     *Matcher
	terms []*term
}

func (m *Matcher) plan() *plan {
	p := &plan{m: m}
	for i := range m.terms {
		p.terms = append(p.terms, &m.terms[i])
	}
	// Positive terms first, longest (likely rarest) first: they narrow the candidates that
	// later terms then check row by row.
	sort.SliceStable(p.terms, func(i, j int) bool {
		a, b := p.terms[i], p.terms[j]
		if a.neg != b.neg {
			return !a.neg
		}
		return len(a.text) > len(b.text)
	})
	return p
}

// scratch is a worker's reusable memory.
type scratch struct {
	hits []uint64
	row  client.Conversation // the buffer of Rows.At
}

func (sc *scratch) bitset(n int) []uint64 {
	w := (n + 63) / 64
	if cap(sc.hits) < w {
		sc.hits = make([]uint64, w)
	}
	return sc.hits[:w]
}

// run sets in cand (bit r-u.lo) the rows r of u that match, and returns how many do.
func (p *plan) run(u *unit, items Rows, cand []uint64, sc *scratch) int {
	hits := sc.bitset(u.hi - u.lo)
	switch {
	case p.m.anch != nil:
		p.runAnchored(u, items, cand, &sc.row)
	case len(p.m.seqs) > 0:
		clear(cand)
		for _, q := range p.m.seqs {
			p.runSeq(q, u, items, cand, &sc.row)
		}
	case p.m.re != nil:
		p.runRegexp(u, items, cand, hits, &sc.row)
	default:
		p.runTerms(u, items, cand, hits, &sc.row)
	}
	count := 0
	for _, word := range cand {
		count += bits.OnesCount64(word)
	}
	return count
}

func (p *plan) runTerms(u *unit, items Rows, cand, hits []uint64, row *client.Conversation) {
	n := u.hi - u.lo
	setAll(cand, n)
	count := n
	for _, t := range p.terms {
		clear(hits)
		var keyed [][]bool
		if t.field == attrField {
			keyed = make([][]bool, len(u.s.keys))
		}
		if count*3 < n {
			// Few candidates: look only at them.
			forEach(cand, func(i int) { p.termRows(u, items, t, keyed, u.lo+i, u.lo+i+1, hits, row) })
		} else {
			p.termRows(u, items, t, keyed, u.lo, u.hi, hits, row)
		}
		count = 0
		for w := range cand {
			if t.neg {
				cand[w] &^= hits[w]
			} else {
				cand[w] &= hits[w]
			}
			count += bits.OnesCount64(cand[w])
		}
		if count == 0 {
			return
		}
	}
}

func (p *plan) runRegexp(u *unit, items Rows, cand, hits []uint64, row *client.Conversation) {
	n := u.hi - u.lo
	pre := p.m.pre
	if pre == nil {
		clear(cand)
		for i := range n {
			if p.m.matchRegexp(items.At(u.base+u.lo+i, row)) {
				cand[i/64] |= 1 << (i % 64)
			}
		}
		return
	}
	clear(cand)
	for _, alt := range pre.alts {
		clear(hits)
		u.s.scan(u.s.text, u.s.off, u.lo, u.hi, u.lo, []byte(alt), hits, nil)
		for w := range cand {
			cand[w] |= hits[w]
		}
	}
	forEach(cand, func(i int) {
		r := u.lo + i
		if pre.exact && u.s.wide[r/64]&(1<<(r%64)) == 0 {
			return // an ASCII row: containing the literal is matching
		}
		if !p.m.matchRegexp(items.At(u.base+r, row)) {
			cand[i/64] &^= 1 << (i % 64)
		}
	})
}

// termRows sets in hits (bit r-u.lo) the rows r in [lo, hi) that contain t. For an attribute
// term, keyed caches per layout of the segment which attributes have t's key.
func (p *plan) termRows(u *unit, items Rows, t *term, keyed [][]bool, lo, hi int, hits []uint64, row *client.Conversation) {
	s := u.s
	if t.naive {
		for r := lo; r < hi; r++ {
			if t.match(items.At(u.base+r, row)) {
				hits[(r-u.lo)/64] |= 1 << ((r - u.lo) % 64)
			}
		}
		return
	}
	needle := []byte(t.text)
	switch t.field {
	case anyField:
		s.scan(s.text, s.off, lo, hi, u.lo, needle, hits, nil)
	case idField:
		s.scan(s.ids, s.idOff, lo, hi, u.lo, needle, hits, nil)
	case userField, summaryField:
		want := 0
		if t.field == summaryField {
			want = 1
		}
		s.scan(s.text, s.off, lo, hi, u.lo, needle, hits, func(r, at, f int) bool { return f == want })
	case attrField:
		s.scan(s.text, s.off, lo, hi, u.lo, needle, hits, func(r, at, f int) bool {
			if f < 2 {
				return false
			}
			l := s.layout[r]
			if keyed[l] == nil {
				keys := s.keys[l]
				keyed[l] = make([]bool, len(keys))
				for i, k := range keys {
					keyed[l][i] = strings.EqualFold(k, t.attr)
				}
			}
			return keyed[l][f-2]
		})
	}
}

// scan sets in hits (bit r-bit0) the rows r in [lo, hi) whose text buf[off[r]:off[r+1]] holds
// needle (which has no 0 byte, so a hit never spans two fields). With field, a hit counts only
// if field(r, at, f) accepts it, f being the number of the field it is in; the search then
// goes on after that field.
func (s *segment) scan(buf []byte, off []uint32, lo, hi, bit0 int, needle []byte, hits []uint64, field func(r, at, f int) bool) {
	f := s.finder(needle, len(buf) > 0 && len(s.text) > 0 && &buf[0] == &s.text[0])
	p, end := int(off[lo]), int(off[hi])
	r := lo
	for p < end {
		i := f.index(buf[p:end])
		if i < 0 {
			return
		}
		p += i
		r = rowOf(off, r, hi, p)
		next := int(off[r+1])
		if field != nil {
			start := int(off[r])
			if !field(r, p, bytes.Count(buf[start:p], zero)) {
				p += bytes.IndexByte(buf[p:next], 0) + 1 // the end of this field
				continue
			}
		}
		hits[(r-bit0)/64] |= 1 << ((r - bit0) % 64)
		p = next
	}
}

var zero = []byte{0}

// rowOf is the row r' >= r, r' < hi, whose text holds position p.
func rowOf(off []uint32, r, hi, p int) int {
	for range 8 {
		if int(off[r+1]) > p {
			return r
		}
		r++
	}
	// Far ahead: binary search rows (r, hi).
	return r + sort.Search(hi-r, func(i int) bool { return int(off[r+i+1]) > p })
}

func setAll(b []uint64, n int) {
	for i := range b {
		b[i] = ^uint64(0)
	}
	if n%64 != 0 {
		b[len(b)-1] = 1<<(n%64) - 1
	}
}

func forEach(b []uint64, f func(i int)) {
	for w, word := range b {
		for word != 0 {
			t := bits.TrailingZeros64(word)
			word &= word - 1
			f(w*64 + t)
		}
	}
}

// finder searches a segment's text for needle by its rarest byte there (by the segment's
// sample): bytes.IndexByte skips far more text than bytes.Index does when the needle's first
// byte is a common one.
type finder struct {
	needle []byte
	rare   int  // the index in needle of the byte looked for
	plain  bool // bytes.Index is as good: no byte of needle is rare
}

// rareShare is the share of the text below which a byte counts as rare.
const rareShare = 32

// finder prepares a search of needle; text: in s.text (else in s.ids, not sampled).
func (s *segment) finder(needle []byte, text bool) finder {
	f := finder{needle: needle, plain: true}
	if !text || len(needle) < 2 || s.sample == 0 {
		return f
	}
	best := ^uint32(0)
	for i, c := range needle {
		if s.freq[c] < best {
			f.rare, best = i, s.freq[c]
		}
	}
	f.plain = best*rareShare > s.sample
	return f
}

// index is bytes.Index(h, f.needle).
func (f *finder) index(h []byte) int {
	if f.plain {
		return bytes.Index(h, f.needle)
	}
	n, r, c := len(f.needle), f.rare, f.needle[f.rare]
	last := len(h) - n + r // the last position the rare byte may be at
	for i := r; i <= last; {
		j := bytes.IndexByte(h[i:last+1], c)
		if j < 0 {
			return -1
		}
		i += j
		if st := i - r; h[st] == f.needle[0] && h[st+n-1] == f.needle[n-1] && bytes.Equal(h[st:st+n], f.needle) {
			return st
		}
		i++
	}
	return -1
}
