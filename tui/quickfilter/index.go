package quickfilter

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/confab-dev/confab/client"
)

// Index is the lower-cased text of loaded conversations, laid out for fast matching: Filter
// then searches one contiguous buffer with bytes.Index instead of visiting every row.
//
// An Index covers items[:Len()] of the slice it was built from. It is a value: Append returns
// a new Index and never changes the text an older value sees, so a copy can be searched in one
// goroutine while its owner appends pages in another.
type Index struct {
	segs []*segment
	n    int
}

// segment indexes a run of consecutive conversations; it is immutable once built.
//
// For row r, text[off[r]:off[r+1]] is the user id, the summary and every attribute value, each
// lower-cased (strings.ToLower) and followed by a 0 byte; a 0 byte of the original text is
// stored as 1, so 0 only ever separates fields. ids[idOff[r]:idOff[r+1]] is the id, lower-cased
// and followed by 0. layout[r] names the row's attribute keys in keys.
type segment struct {
	n      int
	text   []byte
	off    []uint32
	ids    []byte
	idOff  []uint32
	layout []uint32
	keys   [][]string  // the attribute keys of each layout, as received
	wide   []uint64    // bit r: row r has a non-ASCII byte in its user id, summary or values
	upper  []uint64    // bit i: text[i] was received as an upper-case ASCII letter (A-Z)
	freq   [256]uint32 // how often each byte occurs in a sample of text (finder)
	sample uint32      // the bytes sampled
}

// segmentBytes bounds a segment's text so offsets fit in uint32 (a segment is cut early).
const segmentBytes = 1 << 31

// buildRows is the number of rows a builder goroutine indexes at a time.
const buildRows = 32768

// Len is the number of conversations indexed.
func (x Index) Len() int { return x.n }

// Size is the memory the index holds, in bytes (an estimate of its overhead).
func (x Index) Size() int {
	n := 0
	for _, s := range x.segs {
		n += cap(s.text) + cap(s.ids) + 4*(cap(s.off)+cap(s.idOff)+cap(s.layout)) + 8*(cap(s.wide)+cap(s.upper))
		for _, k := range s.keys {
			n += 24 + 16*len(k)
		}
	}
	return n
}

// Append returns x followed by y: y must index the conversations that follow x's. The text is
// shared, not copied.
func (x Index) Append(y Index) Index {
	segs := make([]*segment, 0, len(x.segs)+len(y.segs))
	segs = append(append(segs, x.segs...), y.segs...)
	return Index{segs: segs, n: x.n + y.n}
}

// NewIndex indexes items, over the available CPUs. It returns ctx's error if ctx is cancelled
// first. It keeps references to items' attribute keys but not to the rest of their text.
func NewIndex(ctx context.Context, items []client.Conversation) (Index, error) {
	return NewIndexRows(ctx, Slice(items))
}

// NewIndexRows is NewIndex over rows.
func NewIndexRows(ctx context.Context, items Rows) (Index, error) {
	if err := ctx.Err(); err != nil {
		return Index{}, fmt.Errorf("quick filter index: %w", err)
	}
	chunks := (items.Len() + buildRows - 1) / buildRows
	parts := make([][]*segment, chunks)
	var next atomic.Int64
	var failed atomic.Bool
	work := func() {
		for !failed.Load() {
			c := int(next.Add(1)) - 1
			if c >= chunks {
				return
			}
			if ctx.Err() != nil {
				failed.Store(true)
				return
			}
			from := c * buildRows
			parts[c] = buildSegments(items, from, min(items.Len(), from+buildRows))
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), 8, chunks); workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(work)
		}
		wg.Wait()
	}
	if failed.Load() {
		return Index{}, fmt.Errorf("quick filter index: %w", ctx.Err())
	}
	x := Index{n: items.Len()}
	for _, p := range parts {
		x.segs = append(x.segs, p...)
	}
	return x, nil
}

// buildSegments indexes items[lo:hi]: one segment, unless the text outgrows segmentBytes.
func buildSegments(items Rows, lo, hi int) []*segment {
	var out []*segment
	var buf client.Conversation
	b := newBuilder(items, lo, hi)
	for i := lo; i < hi; i++ {
		c := items.At(i, &buf)
		if len(b.s.text) >= segmentBytes-maxRowBytes(c) && b.s.n > 0 {
			out = append(out, b.done())
			b = newBuilder(items, i, hi) // reads with its own buffer: c stays
		}
		b.add(c)
	}
	return append(out, b.done())
}

// maxRowBytes bounds the text a row adds (lower-casing grows a byte to at most 3).
func maxRowBytes(c *client.Conversation) int {
	n := 3*(len(c.UserID)+len(c.Summary)) + 2 + len(c.Attrs)
	for _, a := range c.Attrs {
		n += 3 * len(a.Value)
	}
	return n
}

type builder struct {
	s       *segment
	layouts map[string]uint32
	enc     []byte
}

// newBuilder starts a segment with room for items[lo:hi]'s text (as long as no lower case is
// longer).
func newBuilder(items Rows, lo, hi int) *builder {
	rows, text, ids := hi-lo, 0, 0
	var buf client.Conversation
	for i := lo; i < hi; i++ {
		c := items.At(i, &buf)
		text += len(c.UserID) + len(c.Summary) + 2 + len(c.Attrs)
		for _, a := range c.Attrs {
			text += len(a.Value)
		}
		ids += len(c.ID) + 1
	}
	s := &segment{
		text:   make([]byte, 0, min(text, segmentBytes)),
		ids:    make([]byte, 0, min(ids, segmentBytes)),
		off:    make([]uint32, 1, rows+1),
		idOff:  make([]uint32, 1, rows+1),
		layout: make([]uint32, 0, rows),
		wide:   make([]uint64, 0, (rows+63)/64),
	}
	return &builder{s: s, layouts: map[string]uint32{}}
}

func (b *builder) add(c *client.Conversation) {
	s := b.s
	wide := false
	wide = b.appendText(c.UserID, wide)
	s.text = append(s.text, 0)
	wide = b.appendText(c.Summary, wide)
	s.text = append(s.text, 0)
	b.enc = b.enc[:0]
	for _, a := range c.Attrs {
		wide = b.appendText(a.Value, wide)
		s.text = append(s.text, 0)
		b.enc = binary.AppendUvarint(b.enc, uint64(len(a.Key)))
		b.enc = append(b.enc, a.Key...)
	}
	s.off = append(s.off, uint32(len(s.text)))
	s.ids, _ = appendLower(s.ids, c.ID, false, nil)
	s.ids = append(s.ids, 0)
	s.idOff = append(s.idOff, uint32(len(s.ids)))

	l, ok := b.layouts[string(b.enc)]
	if !ok {
		l = uint32(len(s.keys))
		keys := make([]string, len(c.Attrs))
		for i, a := range c.Attrs {
			keys[i] = a.Key
		}
		s.keys = append(s.keys, keys)
		b.layouts[string(b.enc)] = l
	}
	s.layout = append(s.layout, l)
	if s.n%64 == 0 {
		s.wide = append(s.wide, 0)
	}
	if wide {
		s.wide[s.n/64] |= 1 << (s.n % 64)
	}
	s.n++
}

// appendText appends f to the segment's text (appendLower), marking in upper the bytes
// received as A-Z.
func (b *builder) appendText(f string, wide bool) bool {
	b.s.text, wide = appendLower(b.s.text, f, wide, &b.s.upper)
	return wide
}

func (b *builder) done() *segment {
	s := b.s
	s.text = s.text[:len(s.text):len(s.text)]
	s.ids = s.ids[:len(s.ids):len(s.ids)]
	s.upper = s.upper[:len(s.upper):len(s.upper)]
	// Sample the text's bytes (4 KiB of every 32 KiB), so that a search looks for the rarest
	// byte of what it searches.
	for i := 0; i < len(s.text); i += sampleEvery {
		for _, c := range s.text[i:min(len(s.text), i+sampleRun)] {
			s.freq[c]++
		}
		s.sample += uint32(min(len(s.text)-i, sampleRun))
	}
	return s
}

const (
	sampleEvery = 32 << 10
	sampleRun   = 4 << 10
)

// appendLower appends strings.ToLower(s) to dst, with 0 bytes stored as 1; wide becomes true
// if s has a non-ASCII byte. When upper is not nil, the bit of each byte of dst received as
// A-Z is set in it (bit i for dst[i]).
func appendLower(dst []byte, s string, wide bool, upper *[]uint64) ([]byte, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if upper != nil && c >= 'A' && c <= 'Z' {
				at := len(dst)
				for len(*upper)*64 <= at {
					*upper = append(*upper, 0)
				}
				(*upper)[at/64] |= 1 << (at % 64)
			}
			dst = append(dst, lower0(c))
			i++
			continue
		}
		wide = true
		r, w := utf8.DecodeRuneInString(s[i:]) // an invalid byte is RuneError, as in ToLower
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += w
	}
	return dst, wide
}

// lower0 is the byte the index stores for ASCII byte b.
func lower0(b byte) byte {
	switch {
	case b >= 'A' && b <= 'Z':
		return b + 'a' - 'A'
	case b == 0:
		return 1
	}
	return b
}

// lowerKey is the text an index stores for s: strings.ToLower(s) with 0 bytes as 1.
func lowerKey(s string) string {
	b, _ := appendLower(make([]byte, 0, len(s)), s, false, nil)
	return string(b)
}
