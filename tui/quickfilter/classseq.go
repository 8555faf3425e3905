package quickfilter

import (
	"bytes"
	"math"
	"math/bits"
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/confab-dev/confab/client"
)

// A classSeq is a run of single-rune positions (literal runes, classes, dots) that every field
// a regular expression matches must contain, one rune a position: [0-9]{5} holds five digits
// in a row, [a-z]+@[a-z]+ a letter, @ and a letter. It is the requirement of an expression
// with no literal worth searching for (prefilter.go): the index's lower-cased text is scanned
// for a run of bytes each in its position's class (BNDM, skipping ahead like Horspool, or
// bytes.IndexByte for a position whose bytes are few and rare), and only the fields with such
// a run are looked at. When the expression is nothing but the run (exact: no anchor,
// repetition or alternation), a run whose bytes the index stores for members only is a match,
// and other candidates are checked with the run itself instead of the regular expression. An
// alternation whose every alternative requires a run is searched run by run (classReqs).
//
// Positions are matched as package regexp matches one rune: an invalid byte is U+FFFD, a
// literal ignoring case holds its simple case folds. The index stores each rune lower-cased
// (an ASCII rune as one byte, 0 as 1), so a position is searched for by the ASCII bytes its
// ASCII members are stored as. A position with a non-ASCII member (narrow false) cannot be
// searched for byte by byte in a row with non-ASCII text: such rows are checked as received.
type classSeq struct {
	sets   []cset
	k      int         // len(sets), 1 to 64
	exact  bool        // the expression is the run and nothing else (but lb and rb)
	lb, rb bound       // an assertion just before (lb) and just after (rb) the run: \b or \B
	more   bool        // the last position repeats (\b[A-Z]{2,}\b): rb may hold after any repeat
	narrow bool        // every member of every position is ASCII
	upOnly uint64      // bit j: position j's members are all A-Z (its byte was received upper-case)
	rev    [256]uint64 // BNDM: bit k-1-j when a member of position j may be stored as the byte
	fwd    [128]uint64 // shift-and over text as received: bit j when the ASCII rune is in position j
	defA   [128]uint64 // bit j when every rune an ASCII row may store as the byte is in position j
	defW   [128]uint64 // the same for a row with non-ASCII text (İ is stored as i, the Kelvin sign as k)
	// sureA, sureW: every run the index may hold is of members only (in an ASCII row; in a
	// row with non-ASCII text): definite need not look.
	sureA, sureW bool
}

// bound is an empty-width assertion at one end of an exact run: none, \b or \B.
type bound uint8

const (
	noBound bound = iota
	wordBound
	nonWordBound
)

// maxSeq bounds the positions of a classSeq (one bit each in a uint64).
const maxSeq = 64

// cset is a set of runes: sorted, inclusive lo, hi pairs, as in syntax.Regexp.Rune of a class.
type cset []rune

var (
	anyRune  = cset{0, unicode.MaxRune}
	anyNotNL = cset{0, '\n' - 1, '\n' + 1, unicode.MaxRune}
)

// litSet is the set a literal rune matches: r, and its simple case folds with fold.
func litSet(r rune, fold bool) cset {
	rs := []rune{r}
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			rs = append(rs, f)
		}
	}
	slices.Sort(rs)
	var c cset
	for _, x := range rs {
		if n := len(c); n > 0 && c[n-1]+1 >= x {
			c[n-1] = max(c[n-1], x)
			continue
		}
		c = append(c, x, x)
	}
	return c
}

func (c cset) has(r rune) bool {
	// Binary search the pairs: the first pair whose hi is >= r.
	lo, hi := 0, len(c)/2
	for lo < hi {
		m := (lo + hi) / 2
		if c[2*m+1] < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(c)/2 && c[2*lo] <= r
}

// wide reports whether c has a member that is not ASCII.
func (c cset) wide() bool { return len(c) > 0 && c[len(c)-1] >= utf8.RuneSelf }

// union is the set of the runes of a or b.
func union(a, b cset) cset {
	pairs := make([][2]rune, 0, (len(a)+len(b))/2)
	for _, c := range []cset{a, b} {
		for i := 0; i+1 < len(c); i += 2 {
			pairs = append(pairs, [2]rune{c[i], c[i+1]})
		}
	}
	slices.SortFunc(pairs, func(x, y [2]rune) int { return int(x[0] - y[0]) })
	var out cset
	for _, p := range pairs {
		if n := len(out); n > 0 && out[n-1] >= p[0]-1 {
			out[n-1] = max(out[n-1], p[1])
			continue
		}
		out = append(out, p[0], p[1])
	}
	return out
}

// storedAs returns the runes an ASCII row may store as byte b (the index's lower case, 0 as
// 1): none for 0 (it separates fields) and for upper-case letters.
func storedAs(b byte) []rune {
	switch {
	case b == 0 || b >= 'A' && b <= 'Z' || b >= utf8.RuneSelf:
		return nil
	case b == 1:
		return []rune{0, 1}
	case b >= 'a' && b <= 'z':
		return []rune{rune(b), rune(b - 'a' + 'A')}
	}
	return []rune{rune(b)}
}

// setScore is how much a position narrows the text, in bits: few stored bytes, many bits.
func setScore(c cset) float64 {
	n := 0
	for b := range 128 {
		for _, r := range storedAs(byte(b)) {
			if c.has(r) {
				n++
				break
			}
		}
	}
	if c.wide() {
		n += 64
	}
	return math.Log2(256 / float64(n+1))
}

func seqScore(s []cset) float64 {
	t := 0.0
	for _, c := range s {
		t += setScore(c)
	}
	return t
}

// seqInfo is what classReq knows of a part of an expression: every match of it starts with
// pre, ends with suf and holds best (contiguous runs of positions). fixed: every match is
// len(all) runes, each in its position (exact: and nothing else is asked, no anchor, no union
// of alternatives); pre, suf and best are then all.
type seqInfo struct {
	fixed, exact   bool
	all            []cset
	pre, suf, best []cset
}

func fixedInfo(all []cset, exact bool) seqInfo {
	return seqInfo{fixed: true, exact: exact, all: all, pre: all, suf: all, best: all}
}

// classReq finds the run of positions the expression expr requires, or nil.
func classReq(expr string) *classSeq {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	return reqOf(re.Simplify())
}

func reqOf(re *syntax.Regexp) *classSeq {
	in := seqOf(re)
	if len(in.best) == 0 {
		return nil
	}
	exact := in.fixed && in.exact && len(in.best) == len(in.all)
	return newClassSeq(in.best, exact)
}

// maxSeqAlts bounds the alternatives searched one by one (each is a scan of the text).
const maxSeqAlts = 4

// classReqs finds the runs of positions the expression expr requires: one of them, for an
// alternation whose every alternative requires a run ([0-9]{5}|[a-z]{9}: each run is then the
// whole of its alternative), else the run classReq finds. None: nil.
func classReqs(expr string) []*classSeq {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	top := re
	for top.Op == syntax.OpCapture {
		top = top.Sub[0]
	}
	if top.Op == syntax.OpAlternate && len(top.Sub) <= maxSeqAlts {
		var qs []*classSeq
		for _, sub := range top.Sub {
			q := reqOf(sub)
			if q == nil {
				qs = nil
				break
			}
			qs = append(qs, q)
		}
		if qs != nil {
			return qs
		}
	}
	if q := boundedReq(top); q != nil {
		return []*classSeq{q}
	}
	if q := reqOf(re); q != nil {
		return []*classSeq{q}
	}
	return nil
}

// boundedReq is the exact run of an expression that is a run between \b or \B assertions
// (\b[0-9]{5}\b, \Bvpn[0-9]\b), or nil: such a run is checked in the index text, its
// neighbours' bytes telling the assertions, instead of by the regular expression.
func boundedReq(re *syntax.Regexp) *classSeq {
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 {
		return nil
	}
	of := func(r *syntax.Regexp) bound {
		switch r.Op {
		case syntax.OpWordBoundary:
			return wordBound
		case syntax.OpNoWordBoundary:
			return nonWordBound
		}
		return noBound
	}
	subs := re.Sub
	lb, rb := of(subs[0]), of(subs[len(subs)-1])
	if lb != noBound {
		subs = subs[1:]
	}
	if rb != noBound && len(subs) > 0 {
		subs = subs[:len(subs)-1]
	}
	if lb == noBound && rb == noBound || len(subs) == 0 {
		return nil
	}
	if len(subs) == 1 && subs[0].Op == syntax.OpConcat {
		subs = subs[0].Sub // \b[A-Z]{2,}\b: \b, [A-Z][A-Z]+, \b
	}
	var last cset
	if l := subs[len(subs)-1]; rb != noBound && l.Op == syntax.OpPlus {
		if c := seqOf(l.Sub[0]); c.fixed && c.exact && len(c.all) == 1 {
			last, subs = c.all[0], subs[:len(subs)-1]
		}
	}
	in := fixedInfo(nil, true)
	if len(subs) > 0 {
		in = seqOf(&syntax.Regexp{Op: syntax.OpConcat, Sub: subs})
	}
	all := in.all
	if last != nil {
		all = cat(all, []cset{last})
	}
	if !in.fixed || !in.exact || len(all) == 0 || len(all) > maxSeq || len(in.best) != len(in.all) {
		return nil
	}
	q := newClassSeq(all, true)
	q.lb, q.rb, q.more = lb, rb, last != nil
	return q
}

// received reports whether the run at s.text[at:at+k] is, as received, of members of its
// positions, and whether the index can tell (known): it restores the case of the bytes
// received as A-Z; in a row with non-ASCII text a lower-case i or k may have been İ or the
// Kelvin sign, and a 1 byte may have been 0 in any row.
func (q *classSeq) received(s *segment, at int, wide bool) (in, known bool) {
	for j := range q.k {
		b, ok := s.restored(at+j, wide)
		if !ok || b >= utf8.RuneSelf {
			return false, false
		}
		if q.fwd[b]&(1<<j) == 0 {
			return false, true
		}
	}
	return true, true
}

// decide reports whether the exact run the index holds at s.text[at:] matches, as received
// and with its assertions, and whether the index can tell (known); when it cannot, only the
// field as received can.
func (q *classSeq) decide(s *segment, at int, wide bool) (match, known bool) {
	in, known := q.received(s, at, wide)
	if !known || !in {
		return false, known
	}
	return q.bounded(s, at, wide)
}

// restored is the ASCII byte received for s.text[i], and whether the index can tell: not for
// a 1 byte (received as 0 or 1), nor for an i or a k in a row with non-ASCII text (İ, the
// Kelvin sign). A byte of non-ASCII text is returned as stored (>= utf8.RuneSelf).
func (s *segment) restored(i int, wide bool) (byte, bool) {
	b := s.text[i]
	switch {
	case i/64 < len(s.upper) && s.upper[i/64]&(1<<(i%64)) != 0:
		return b - ('a' - 'A'), true
	case b == 1, wide && (b == 'i' || b == 'k'):
		return b, false
	}
	return b, true
}

// isWordByte reports whether the index stores a word rune (\w, what \b looks at) as b.
func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b == '_'
}

// bounded reports whether the run the index holds at buf[at:at+k] meets q's assertions, and
// whether the index can tell (known): in a row with non-ASCII text an i or a k may be stored
// for İ or the Kelvin sign, which are not word runes.
func (q *classSeq) bounded(s *segment, at int, wide bool) (ok, known bool) {
	buf := s.text
	word := func(i int) (w, known bool) {
		if i < 0 || i >= len(buf) {
			return false, true
		}
		b := buf[i]
		if wide && (b == 'i' || b == 'k') {
			return false, false
		}
		return isWordByte(b), true
	}
	check := func(bd bound, i int) (bool, bool) {
		if bd == noBound {
			return true, true
		}
		a, ka := word(i - 1)
		b, kb := word(i)
		if !ka || !kb {
			return false, false
		}
		return (a != b) == (bd == wordBound), true
	}
	l, kl := check(q.lb, at)
	r, kr := check(q.rb, at+q.k)
	for e := at + q.k; q.more && !r; e++ {
		// The last position repeats: rb may hold after a later member.
		b, kb := s.restored(e, wide)
		if !kb {
			kr = false
			break
		}
		if b == 0 || b >= utf8.RuneSelf || q.fwd[b]&(1<<(q.k-1)) == 0 {
			break
		}
		var ke bool
		r, ke = check(q.rb, e+1)
		kr = kr && ke
	}
	if kl && !l || kr && !r {
		return false, true
	}
	return l && r, kl && kr
}

func seqOf(re *syntax.Regexp) seqInfo {
	switch re.Op {
	case syntax.OpLiteral:
		all := make([]cset, 0, len(re.Rune))
		for _, r := range re.Rune {
			all = append(all, litSet(r, re.Flags&syntax.FoldCase != 0))
		}
		if len(all) > maxSeq {
			return seqInfo{pre: all[:maxSeq], suf: all[len(all)-maxSeq:], best: window(all)}
		}
		return fixedInfo(all, true)
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return seqInfo{} // matches nothing
		}
		return fixedInfo([]cset{cset(re.Rune)}, true)
	case syntax.OpAnyChar:
		return fixedInfo([]cset{anyRune}, true)
	case syntax.OpAnyCharNotNL:
		return fixedInfo([]cset{anyNotNL}, true)
	case syntax.OpEmptyMatch:
		return fixedInfo(nil, true)
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return fixedInfo(nil, false) // no rune, but a condition: not exact
	case syntax.OpCapture:
		return seqOf(re.Sub[0])
	case syntax.OpPlus:
		s := seqOf(re.Sub[0])
		return seqInfo{pre: s.pre, suf: s.suf, best: s.best}
	case syntax.OpRepeat:
		if re.Min >= 1 {
			s := seqOf(re.Sub[0])
			return seqInfo{pre: s.pre, suf: s.suf, best: s.best}
		}
	case syntax.OpConcat:
		acc := fixedInfo(nil, true)
		for _, sub := range re.Sub {
			acc = concat(acc, seqOf(sub))
		}
		return acc
	case syntax.OpAlternate:
		return alternate(re.Sub)
	}
	return seqInfo{} // *, ?, {0,n}, no match: nothing required
}

func concat(a, b seqInfo) seqInfo {
	var out seqInfo
	if a.fixed && b.fixed && len(a.all)+len(b.all) <= maxSeq {
		return fixedInfo(cat(a.all, b.all), a.exact && b.exact)
	}
	out.pre = a.pre
	if a.fixed {
		out.pre = cat(a.all, b.pre)
	}
	out.pre = out.pre[:min(len(out.pre), maxSeq)]
	out.suf = b.suf
	if b.fixed {
		out.suf = cat(a.suf, b.all)
	}
	out.suf = out.suf[max(0, len(out.suf)-maxSeq):]
	out.best = a.best
	for _, c := range [][]cset{b.best, window(cat(a.suf, b.pre)), out.pre, out.suf} {
		if seqScore(c) > seqScore(out.best) {
			out.best = c
		}
	}
	return out
}

// alternate: every match of one of subs holds, at the same place, the union of what each
// requires, cut to the shortest.
func alternate(subs []*syntax.Regexp) seqInfo {
	infos := make([]seqInfo, len(subs))
	for i, s := range subs {
		infos[i] = seqOf(s)
	}
	merge := func(get func(seqInfo) []cset, fromEnd bool) []cset {
		n := maxSeq
		for _, in := range infos {
			n = min(n, len(get(in)))
		}
		if n == 0 {
			return nil
		}
		out := make([]cset, n)
		for _, in := range infos {
			s := get(in)
			if fromEnd {
				s = s[len(s)-n:]
			}
			for j := range n {
				out[j] = union(out[j], s[j])
			}
		}
		return out
	}
	fixed := true
	for _, in := range infos {
		fixed = fixed && in.fixed && len(in.all) == len(infos[0].all)
	}
	if fixed {
		// A union of alternatives position by position ([ab][cd] for ab|cd) holds more than
		// they do: not exact.
		return fixedInfo(merge(func(in seqInfo) []cset { return in.all }, false), false)
	}
	var out seqInfo
	out.pre = merge(func(in seqInfo) []cset { return in.pre }, false)
	out.suf = merge(func(in seqInfo) []cset { return in.suf }, true)
	out.best = merge(func(in seqInfo) []cset { return in.best }, false)
	for _, c := range [][]cset{out.pre, out.suf} {
		if seqScore(c) > seqScore(out.best) {
			out.best = c
		}
	}
	return out
}

func cat(a, b []cset) []cset { return append(slices.Clip(a), b...) }

// window is the most selective run of at most maxSeq positions of s.
func window(s []cset) []cset {
	if len(s) <= maxSeq {
		return s
	}
	best, at := -1.0, 0
	for i := 0; i+maxSeq <= len(s); i++ {
		if sc := seqScore(s[i : i+maxSeq]); sc > best {
			best, at = sc, i
		}
	}
	return s[at : at+maxSeq]
}

func newClassSeq(sets []cset, exact bool) *classSeq {
	q := &classSeq{sets: sets, k: len(sets), exact: exact, narrow: true}
	for j, c := range sets {
		q.narrow = q.narrow && !c.wide()
		for b := range 128 {
			if c.has(rune(b)) {
				q.fwd[b] |= 1 << j
			}
			from := storedAs(byte(b))
			some, all := false, len(from) > 0
			for _, r := range from {
				if c.has(r) {
					some = true
				} else {
					all = false
				}
			}
			if some {
				q.rev[b] |= 1 << (q.k - 1 - j)
			}
			if all {
				q.defA[b] |= 1 << j
				wideAll := true
				switch b {
				case 'i':
					wideAll = c.has('\u0130')
				case 'k':
					wideAll = c.has('\u212a')
				}
				if wideAll {
					q.defW[b] |= 1 << j
				}
			}
		}
	}
	for j, c := range sets {
		if !c.wide() && len(c) > 0 && c[0] >= 'A' && c[len(c)-1] <= 'Z' {
			q.upOnly |= 1 << j
		}
	}
	q.sureA, q.sureW = true, true
	for b := range 128 {
		for j := range q.k {
			if q.rev[b]&(1<<(q.k-1-j)) != 0 {
				q.sureA = q.sureA && q.defA[b]&(1<<j) != 0
				q.sureW = q.sureW && q.defW[b]&(1<<j) != 0
			}
		}
	}
	return q
}

// index returns the first position of h where k bytes in a row may be the positions' runes
// (each byte has a bit in rev), or -1: backward nondeterministic DAWG matching.
func (q *classSeq) index(h []byte) int {
	k, rev := q.k, &q.rev
	top := uint64(1) << (k - 1)
	for pos := 0; pos <= len(h)-k; {
		j, last := k, k
		d := ^uint64(0)
		w := h[pos : pos+k]
		for d != 0 && j > 0 {
			d &= rev[w[j-1]]
			j--
			if d&top != 0 {
				if j == 0 {
					return pos
				}
				last = j
			}
			d <<= 1
		}
		pos += last
	}
	return -1
}

// definite reports whether the run w (k bytes of the index text, where index found them) is
// one of members only, in a row with non-ASCII text (wide) or not.
func (q *classSeq) definite(w []byte, wide bool) bool {
	def := &q.defA
	if wide {
		if q.sureW {
			return true
		}
		def = &q.defW
	} else if q.sureA {
		return true
	}
	for j, b := range w[:q.k] {
		if def[b&0x7f]&(1<<j) == 0 {
			return false
		}
	}
	return true
}

// matchField reports whether field f (as received) holds k runes in a row, each in its
// position: shift-and over the runes, decoded as package regexp decodes them.
func (q *classSeq) matchField(f string) bool {
	top := uint64(1) << (q.k - 1)
	d := uint64(0)
	for i := 0; i < len(f); {
		var m uint64
		if c := f[i]; c < utf8.RuneSelf {
			m = q.fwd[c]
			i++
		} else {
			r, w := utf8.DecodeRuneInString(f[i:])
			for j, c := range q.sets {
				if c.has(r) {
					m |= 1 << j
				}
			}
			i += w
		}
		d = (d<<1 | 1) & m
		if d&top != 0 {
			return true
		}
	}
	return false
}

// pickSeqs returns qs when searching the index for them beats searching for the literals of
// pre: when there are none, or when the runs are the whole expression and pre is not (no
// regular expression runs then).
func pickSeqs(pre *requirement, qs []*classSeq) []*classSeq {
	if len(qs) == 0 || pre == nil {
		return qs
	}
	if pre.exact {
		return nil
	}
	for _, q := range qs {
		if !q.exact {
			return nil
		}
	}
	return qs
}

// runSeq sets in cand the rows of u that match m's expression with a field that holds q: the
// rows whose index text holds q (all rows when it is narrow, else the ASCII ones), then the
// rows with non-ASCII text when it is not narrow, checked as received. Only a field whose text
// holds the run can match: a run that does not tell is checked in its field alone.
func (p *plan) runSeq(q *classSeq, u *unit, items Rows, cand []uint64, row *client.Conversation) {
	s := u.s
	wide := func(r int) bool { return s.wide[r/64]&(1<<(r%64)) != 0 }
	set := func(r int) { cand[(r-u.lo)/64] |= 1 << ((r - u.lo) % 64) }
	buf, off := s.text, s.off
	sc := q.scanner(s)
	isSet := func(r int) bool { return cand[(r-u.lo)/64]&(1<<((r-u.lo)%64)) != 0 }
	// scan looks for q in rows [lo, hi).
	// scanUpper looks for q in rows [lo, hi) by the bits of the bytes received as A-Z: a run
	// starts where every upper-case-only position has its bit (exact runs; a run the index
	// cannot tell is checked in its field as received).
	scanUpper := func(lo, hi int) {
		r := lo
		start, end := int(off[lo]), int(off[hi])
		up := s.upper
		bitAt := func(wi, j int) uint64 { // bit b: upper bit at wi*64+b+j
			w := wi + j/64
			sh := j % 64
			var x uint64
			if w < len(up) {
				x = up[w] >> sh
			}
			if sh > 0 && w+1 < len(up) {
				x |= up[w+1] << (64 - sh)
			}
			return x
		}
		for wi := start / 64; wi*64 < end && wi < len(up); wi++ {
			c := ^uint64(0)
			for j := 0; j < q.k; j++ {
				if q.upOnly&(1<<j) != 0 {
					c &= bitAt(wi, j)
				}
			}
			for c != 0 {
				b := bits.TrailingZeros64(c)
				c &= c - 1
				at := wi*64 + b
				if at < start || at+q.k > end {
					continue
				}
				r = rowOf(off, r, hi, at)
				word, bit := (r-u.lo)/64, uint64(1)<<((r-u.lo)%64)
				if cand[word]&bit != 0 || at+q.k > int(off[r+1]) {
					continue
				}
				if bytes.IndexByte(buf[at:at+q.k], 0) >= 0 {
					continue // the run would span two fields
				}
				w := s.wide[r/64]&(1<<(r%64)) != 0
				if ok, known := q.decide(s, at, w); ok {
					cand[word] |= bit
					continue
				} else if known {
					continue
				}
				k := bytes.Count(buf[off[r]:at], zero)
				if q.fieldMatches(p.m, fieldOf(items.At(u.base+r, row), k)) {
					cand[word] |= bit
				}
			}
		}
	}
	scan := func(lo, hi int) {
		if q.exact && q.narrow && q.upOnly != 0 {
			scanUpper(lo, hi)
			return
		}
		r := lo
		for pos, end := int(off[lo]), int(off[hi]); pos < end; {
			at := sc.next(buf, pos, end)
			if at < 0 {
				return
			}
			r = rowOf(off, r, hi, at)
			next := int(off[r+1])
			word, bit := (r-u.lo)/64, uint64(1)<<((r-u.lo)%64)
			if cand[word]&bit != 0 {
				pos = next // matched by another alternative
				continue
			}
			w := s.wide[r/64]&(1<<(r%64)) != 0
			if q.exact && q.definite(buf[at:], w) {
				ok, known := q.bounded(s, at, w)
				switch {
				case ok:
					cand[word] |= bit
					pos = next
					continue
				case known:
					pos = at + 1 // a later run of the field may meet the assertions
					continue
				}
			} else if q.exact && !(w && !q.narrow) {
				// Case tells ([A-Z]{3}): the index knows which bytes came as A-Z.
				ok, known := q.decide(s, at, w)
				switch {
				case ok:
					cand[word] |= bit
					pos = next
					continue
				case known:
					pos = at + 1 // a later run of the field may match
					continue
				}
			}
			if w && !q.narrow {
				// The run may be elsewhere, of non-ASCII runes: a row left is checked below.
				pos = at + 1
				continue
			}
			k := bytes.Count(buf[off[r]:at], zero)
			if q.fieldMatches(p.m, fieldOf(items.At(u.base+r, row), k)) {
				cand[word] |= bit
				pos = next
				continue
			}
			pos = at + bytes.IndexByte(buf[at:next], 0) + 1 // the next field
		}
	}
	first := true
	for _, w := range cand {
		first = first && w == 0
	}
	switch {
	case sc.none:
	case first:
		scan(u.lo, u.hi)
	default:
		// The runs of rows no other alternative matched.
		for lo := u.lo; lo < u.hi; {
			for lo < u.hi && isSet(lo) {
				if w := (lo - u.lo) / 64; (lo-u.lo)%64 == 0 && cand[w] == ^uint64(0) && lo+64 <= u.hi {
					lo += 64
					continue
				}
				lo++
			}
			hi := lo
			for hi < u.hi && !isSet(hi) {
				hi++
			}
			if lo < hi {
				scan(lo, hi)
			}
			lo = hi
		}
	}
	if q.narrow {
		return
	}
	for r := u.lo; r < u.hi; r++ {
		if s.wide[r/64] == 0 {
			r |= 63 // no wide row in this word
			continue
		}
		if !wide(r) || cand[(r-u.lo)/64]&(1<<((r-u.lo)%64)) != 0 {
			continue
		}
		c := items.At(u.base+r, row)
		for k := range 2 + len(c.Attrs) {
			if q.fieldMatches(p.m, fieldOf(c, k)) {
				set(r)
				break
			}
		}
	}
}

// fieldOf is field k of c, in the index's order: the user id, the summary, the values.
func fieldOf(c *client.Conversation, k int) string {
	switch k {
	case 0:
		return c.UserID
	case 1:
		return c.Summary
	}
	return c.Attrs[k-2].Value
}

// fieldMatches reports whether m's expression matches field f, which may hold the run: the
// run answers when it is the whole expression, else the run and then the expression.
func (q *classSeq) fieldMatches(m *Matcher, f string) bool {
	return q.matchField(f) && (q.exact && q.lb == noBound && q.rb == noBound || m.re.MatchString(f))
}

// seqScanner finds the runs of a classSeq in one segment's text: by BNDM, or, when one
// position's bytes are few and rare in the segment, by bytes.IndexByte for them (as finder
// does for a literal) and a check of the window around.
type seqScanner struct {
	q     *classSeq
	none  bool // a position has no byte: no run in the text
	at    int  // the position looked for by its bytes; -1: BNDM
	set   []byte
	ahead []int // ahead[i]: where set[i] is next found (-2: not searched yet, -1: nowhere before end)
	end   int
}

// maxAnchorBytes bounds the bytes of the position a seqScanner looks for with IndexByte.
const maxAnchorBytes = 4

func (q *classSeq) scanner(s *segment) seqScanner {
	sc := seqScanner{q: q, at: -1}
	bestFreq := ^uint64(0)
	for j := range q.k {
		bit := uint64(1) << (q.k - 1 - j)
		var set []byte
		freq := uint64(0)
		for b := range 128 {
			if q.rev[b]&bit != 0 {
				set = append(set, byte(b))
				freq += uint64(s.freq[b])
			}
		}
		if len(set) == 0 {
			sc.none = true
			return sc
		}
		if len(set) <= maxAnchorBytes && s.sample > 0 && freq < bestFreq {
			sc.at, sc.set, bestFreq = j, set, freq
		}
	}
	if sc.at >= 0 && bestFreq*rareShare > uint64(s.sample) {
		sc.at = -1 // not rare: BNDM skips as well
	}
	if sc.at >= 0 {
		sc.ahead = make([]int, len(sc.set))
		for i := range sc.ahead {
			sc.ahead[i] = -2
		}
	}
	return sc
}

// next is the first position in [from, end) of buf where a run starts, or -1.
func (sc *seqScanner) next(buf []byte, from, end int) int {
	q := sc.q
	if sc.at < 0 {
		i := q.index(buf[from:end])
		if i < 0 {
			return -1
		}
		return from + i
	}
	if end != sc.end {
		// A byte found nowhere before the last end may be found before this one.
		for i, a := range sc.ahead {
			if a == -1 {
				sc.ahead[i] = -2
			}
		}
		sc.end = end
	}
	for {
		// The window starting at from or later has its byte at from+at or later.
		lo, p := from+sc.at, -1
		for i, c := range sc.set {
			if sc.ahead[i] != -1 && sc.ahead[i] < lo {
				sc.ahead[i] = -1
				if j := bytes.IndexByte(buf[min(lo, end):end], c); j >= 0 {
					sc.ahead[i] = lo + j
				}
			}
			if n := sc.ahead[i]; n >= 0 && (p < 0 || n < p) {
				p = n
			}
		}
		st := p - sc.at
		if p < 0 || st+q.k > end {
			return -1
		}
		ok := true
		for j := range q.k {
			if q.rev[buf[st+j]]&(1<<(q.k-1-j)) == 0 {
				ok = false
				break
			}
		}
		if ok {
			return st
		}
		from = st + 1
	}
}
