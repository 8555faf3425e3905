package quickfilter

import (
	"bytes"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"

	"github.com/confab-dev/confab/client"
)

// An anchored is a regular expression that matches a fixed number of runes at the start of a
// field (^Reset), at its end ([0-9]{5}$) or the whole field (^ab.$): after regexp/syntax
// simplification, ^ and/or $ around a concatenation of single runes (literals, classes, .).
// Such an expression needs no regular expression machine: a field matches when its first (or
// last) runes are in the sets, one by one, and the index finds the candidates by looking only
// at the start (or end) of each field.
type anchored struct {
	pos        []runeSet
	begin, end bool
	exact      bool   // every set answers alike for the bytes the index stores alike: no check of the row
	lit        []byte // the index text every match holds at its anchored side (may be empty)
	litWide    bool   // wide rows hold lit too (its runes are ASCII only): one search for all rows
	// edge holds the bytes the index text of any field (wide or not) that a matches may have
	// at its anchored side: its first byte (begin) or its last (end).
	edge [256]bool
}

// runeSet is one position of an anchored expression: the runes it accepts.
type runeSet struct {
	re  *syntax.Regexp // OpLiteral of one rune, OpCharClass, OpAnyChar or OpAnyCharNotNL
	r   rune
	low [256]bool // bytes of the index's text of an ASCII field that a member may be stored as
	in  [128]bool // the ASCII members
}

// maxAnchored bounds the positions of an anchored expression.
const maxAnchored = 64

// anchor finds the anchored form of expr, or nil when expr has none.
func anchor(expr string) *anchored {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	var items []*syntax.Regexp
	if !flatten(re.Simplify(), &items) {
		return nil
	}
	a := &anchored{}
	if len(items) > 0 && items[0].Op == syntax.OpBeginText {
		a.begin, items = true, items[1:]
	}
	if len(items) > 0 && items[len(items)-1].Op == syntax.OpEndText {
		a.end, items = true, items[:len(items)-1]
	}
	if !a.begin && !a.end || len(items) == 0 {
		return nil
	}
	for _, it := range items {
		switch it.Op {
		case syntax.OpLiteral:
			for _, r := range it.Rune {
				lit := &syntax.Regexp{Op: syntax.OpLiteral, Flags: it.Flags, Rune: []rune{r}}
				a.pos = append(a.pos, runeSet{re: lit, r: r})
			}
		case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			a.pos = append(a.pos, runeSet{re: it})
		default:
			return nil // an anchor in the middle, a repetition…
		}
		if len(a.pos) > maxAnchored {
			return nil
		}
	}
	a.exact = true
	for i := range a.pos {
		a.exact = a.pos[i].init() && a.exact
	}
	side := &a.pos[0]
	if !a.begin {
		side = &a.pos[len(a.pos)-1]
	}
	a.edge = side.low
	if side.wide() {
		// A non-ASCII rune lower-cases to a non-ASCII one (its first byte from 0xc0, its last a
		// continuation byte), to U+FFFD (an invalid byte) or, İ and the Kelvin sign, to i or k.
		for b := 0x80; b < 0x100; b++ {
			a.edge[b] = a.edge[b] || a.begin == (b >= 0xc0)
		}
		a.edge['i'], a.edge['k'] = true, true
	}
	// The literal the index text holds at the anchored side: the positions whose members are
	// all stored as one byte.
	one := func(s *runeSet) (byte, bool) {
		n, c := 0, byte(0)
		for b := range 256 {
			if s.low[b] {
				n, c = n+1, byte(b)
			}
		}
		return c, n == 1
	}
	// litAll is the part of lit whose runes are ASCII only, which wide rows hold too.
	var litAll []byte
	ascii := true
	if a.begin {
		for i := range a.pos {
			c, ok := one(&a.pos[i])
			if !ok {
				break
			}
			a.lit = append(a.lit, c)
			if ascii = ascii && !a.pos[i].wide(); ascii {
				litAll = append(litAll, c)
			}
		}
	} else {
		for i := len(a.pos) - 1; i >= 0; i-- {
			c, ok := one(&a.pos[i])
			if !ok {
				break
			}
			a.lit = append([]byte{c}, a.lit...)
			if ascii = ascii && !a.pos[i].wide(); ascii {
				litAll = append([]byte{c}, litAll...)
			}
		}
	}
	// One search for all rows beats a search for the ASCII ones and a walk through the wide
	// ones, unless the part all rows hold is too short to narrow much.
	if len(litAll) == len(a.lit) || len(litAll) >= 2 {
		a.lit, a.litWide = litAll, true
	}
	return a
}

// flatten appends the items of re's concatenations (through captures) to items; false when a
// part is neither an item nor a concatenation.
func flatten(re *syntax.Regexp, items *[]*syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !flatten(s, items) {
				return false
			}
		}
		return true
	case syntax.OpCapture:
		return flatten(re.Sub[0], items)
	case syntax.OpLiteral, syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL, syntax.OpBeginText, syntax.OpEndText:
		*items = append(*items, re)
		return true
	}
	return false
}

// init fills the ASCII tables of s; it reports whether s accepts alike every byte that the
// index stores alike (a letter and its upper case, 0 and 1).
func (s *runeSet) init() bool {
	for b := range 128 {
		if s.has(rune(b)) {
			s.in[b] = true
			s.low[lower0(byte(b))] = true
		}
	}
	exact := s.in[0] == s.in[1]
	for c := 'a'; c <= 'z'; c++ {
		exact = exact && s.in[c] == s.in[c-'a'+'A']
	}
	return exact
}

// wide reports whether s may accept a rune that is not ASCII (U+FFFD, an invalid byte, too).
func (s *runeSet) wide() bool {
	switch s.re.Op {
	case syntax.OpLiteral:
		if s.r >= utf8.RuneSelf {
			return true
		}
		if s.re.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(s.r); f != s.r; f = unicode.SimpleFold(f) {
				if f >= utf8.RuneSelf {
					return true
				}
			}
		}
		return false
	case syntax.OpCharClass:
		return len(s.re.Rune) > 0 && s.re.Rune[len(s.re.Rune)-1] >= utf8.RuneSelf
	}
	return true
}

// has reports whether s accepts r, as package regexp does (regexp/syntax.Inst.MatchRune).
func (s *runeSet) has(r rune) bool {
	if r < utf8.RuneSelf && s.in[r] {
		return true
	}
	switch s.re.Op {
	case syntax.OpAnyChar:
		return true
	case syntax.OpAnyCharNotNL:
		return r != '\n'
	case syntax.OpLiteral:
		if r == s.r {
			return true
		}
		if s.re.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(s.r); f != s.r; f = unicode.SimpleFold(f) {
				if r == f {
					return true
				}
			}
		}
		return false
	}
	rs := s.re.Rune
	for i := 0; i+1 < len(rs); i += 2 {
		if r < rs[i] {
			return false
		}
		if r <= rs[i+1] {
			return true
		}
	}
	return false
}

// matchField reports whether a matches field f (the text as received).
func (a *anchored) matchField(f string) bool {
	if a.begin {
		i := 0
		for k := range a.pos {
			if i >= len(f) {
				return false
			}
			r, w := rune(f[i]), 1
			if r >= utf8.RuneSelf {
				r, w = utf8.DecodeRuneInString(f[i:])
			}
			if !a.pos[k].has(r) {
				return false
			}
			i += w
		}
		return !a.end || i == len(f)
	}
	j := len(f)
	for k := len(a.pos) - 1; k >= 0; k-- {
		if j == 0 {
			return false
		}
		r, w := rune(f[j-1]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeLastRuneInString(f[:j])
		}
		if !a.pos[k].has(r) {
			return false
		}
		j -= w
	}
	return true
}

// match reports whether a matches c's user id, summary (sum) or an attribute value.
func (a *anchored) match(c *client.Conversation, sum string) bool {
	if a.matchField(c.UserID) || a.matchField(sum) {
		return true
	}
	for i := range c.Attrs {
		if a.matchField(c.Attrs[i].Value) {
			return true
		}
	}
	return false
}

// matchLow reports whether a matches the index text t of an ASCII field (one byte per rune),
// as far as the index can tell: exactly when a.exact.
func (a *anchored) matchLow(t []byte) bool {
	n := len(a.pos)
	if len(t) < n || a.end && a.begin && len(t) != n {
		return false
	}
	if !a.begin {
		t = t[len(t)-n:]
	}
	for k := range a.pos {
		if !a.pos[k].low[t[k]] {
			return false
		}
	}
	return true
}

// runAnchored matches the rows of u against a, looking only at the anchored side of each
// field in the index text, and at the text as received only where that cannot tell.
func (p *plan) runAnchored(u *unit, items Rows, cand []uint64, row *client.Conversation) {
	a, s := p.m.anch, u.s
	clear(cand)
	// hit reports whether row r matches, field k (text[fs:] in the index) being one that may
	// match (k < 0: not known yet); verify: only the field as received can tell.
	hit := func(r, fs, k int, verify bool) bool {
		if verify {
			if k < 0 {
				k = bytes.Count(s.text[s.off[r]:fs], zero)
			}
			if !a.matchField(fieldOf(items.At(u.base+r, row), k)) {
				return false
			}
		}
		cand[(r-u.lo)/64] |= 1 << ((r - u.lo) % 64)
		return true
	}
	wide := func(r int) bool { return s.wide[r/64]&(1<<(r%64)) != 0 }
	if len(a.lit) == 0 {
		for r := u.lo; r < u.hi; r++ {
			a.walk(s, r, !wide(r), hit)
		}
		return
	}
	a.scanLit(s, u.lo, u.hi, wide, hit)
	if a.litWide {
		return
	}
	for r := u.lo; r < u.hi; r++ {
		if w := s.wide[r/64]; w == 0 {
			r |= 63 // no wide row in this word
			continue
		}
		if wide(r) {
			a.walk(s, r, false, hit)
		}
	}
}

// verdict is what the index text of a field says of a match.
type verdict int

const (
	no     verdict = iota
	yes            // a matches the field
	verify         // only the text as received can tell
)

// check is what the index text t of a field says of a match; ascii: the field's row is ASCII
// (one byte a rune, stored as itself or its lower case).
func (a *anchored) check(t []byte, ascii bool) verdict {
	n := len(a.pos)
	if len(t) < n {
		return no // a field has no more runes than its text has bytes
	}
	if !ascii {
		e := t // the bytes a looks at: if they are ASCII, they are runes stored as in an ASCII row
		switch {
		case a.begin && !a.end:
			e = t[:n]
		case !a.begin:
			e = t[len(t)-n:]
		}
		for _, b := range e {
			if b >= utf8.RuneSelf || b == 'i' || b == 'k' { // İ and the Kelvin sign are stored as i and k
				if a.begin && a.edge[t[0]] || !a.begin && a.edge[t[len(t)-1]] {
					return verify
				}
				return no
			}
		}
	}
	if !a.matchLow(t) {
		return no
	}
	if a.exact {
		return yes
	}
	return verify
}

// fits reports whether field t, found by scanLit, may match: for an ASCII row, as matchLow
// says; a wide row's field (with litWide only) must be checked as received.
func (a *anchored) fits(t []byte, wide bool) bool {
	if wide {
		return a.litWide
	}
	return a.matchLow(t)
}

// walk visits the fields of row r and calls hit for those that may match, until one does.
func (a *anchored) walk(s *segment, r int, ascii bool, hit func(r, fs, k int, verify bool) bool) {
	buf := s.text
	p, end := int(s.off[r]), int(s.off[r+1])
	for k := 0; p < end; k++ {
		fe := p + bytes.IndexByte(buf[p:end], 0)
		if v := a.check(buf[p:fe], ascii); v != no && hit(r, p, k, v == verify) {
			return
		}
		p = fe + 1
	}
}

// scanLit finds the ASCII rows (all rows, with litWide) of [lo, hi) with a field that a may match by searching the
// text for a.lit at the start (after a 0 byte) or the end (before one) of a field, and calls
// hit for them.
func (a *anchored) scanLit(s *segment, lo, hi int, wide func(int) bool, hit func(r, fs, k int, verify bool) bool) {
	buf, off := s.text, s.off
	start, end := int(off[lo]), int(off[hi])
	needle := make([]byte, 0, len(a.lit)+1)
	if a.begin {
		needle = append(append(needle, 0), a.lit...)
		if lo == 0 {
			// The segment's first field has no 0 byte before it.
			fe := bytes.IndexByte(buf[:end], 0)
			if a.fits(buf[:fe], wide(0)) && hit(0, 0, 0, wide(0) || !a.exact) {
				start = int(off[1])
			}
		}
		start-- // the 0 before the first field (of the row after row 0, if that one matched)
		start = max(start, 0)
	} else {
		needle = append(append(needle, a.lit...), 0)
	}
	f := s.finder(needle, true)
	r := lo
	for p := start; p < end; {
		i := f.index(buf[p:end])
		if i < 0 {
			return
		}
		p += i
		var fs, fe int // the field
		if a.begin {
			fs = p + 1
			r = rowOf(off, r, hi, fs)
			fe = fs + bytes.IndexByte(buf[fs:end], 0)
		} else {
			fe = p + len(a.lit)
			r = rowOf(off, r, hi, p)
			fs = int(off[r]) + bytes.LastIndexByte(buf[off[r]:fe], 0) + 1
		}
		if w := wide(r); !a.fits(buf[fs:fe], w) || !hit(r, fs, -1, w || !a.exact) {
			p++
			continue
		}
		p = int(off[r+1])
		if a.begin {
			p-- // the 0 before the next row's first field
		}
	}
}
