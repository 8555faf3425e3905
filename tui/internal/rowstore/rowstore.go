// Package rowstore keeps a pane's loaded conversations compactly: one fixed-size,
// pointer-free record a row, the text in append-only byte chunks that are never written
// again once a row is in them, and the repeated parts (users, summaries, sources, attribute
// pairs and sets) interned. The garbage collector has almost nothing to mark however many
// rows are loaded, and strings are handed out without copying (they alias the chunks).
//
// A row's raw vendor record is kept only when asked (Append's keepRaw: when no local store
// holds it); the caller reads it from the store otherwise.
//
// A Store is used from one goroutine. View is an immutable snapshot of its first rows that
// any goroutine may read while the Store goes on appending.
package rowstore

import (
	"encoding/binary"
	"encoding/json"
	"hash/maphash"
	"maps"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/confab-dev/confab/client"
)

// chunkSize is the size of a text chunk; a row whose text is larger than a quarter of it
// gets a chunk of its own.
const chunkSize = 64 << 10

// noTime marks a zero time; farTime a time kept in the overflow map (outside int64
// nanoseconds, colliding with a marker, with a monotonic reading, or past maxZones).
const (
	noTime  = math.MinInt64
	farTime = math.MinInt64 + 1
)

// rec is one row (48 bytes). Strings are string ids (strs) but the id, which is in the
// row's own text: from off in chunk, the id's bytes, the raw record's length (uvarint) and
// its bytes. Times are Unix nanoseconds in the zone zones[zone&0xffff] (started) and
// zones[zone>>16] (updated).
type rec struct {
	started, updated int64
	chunk, off       uint32
	idLen, zone      uint32
	user, summary    uint32
	set, src         uint32
}

// maxZones bounds the time zones a Store tells apart (zone 0 is UTC); a time in yet
// another goes to the overflow map.
const maxZones = 1 << 16

// zoneKey identifies a time's location: by pointer for Local, else by name and the zone in
// effect (time.Parse makes a new FixedZone for every time it reads with an offset).
type zoneKey struct {
	local  bool
	loc    string
	name   string
	offset int
}

// span is a string in the chunks.
type span struct{ chunk, off, n uint32 }

// pair is an attribute: two string ids.
type pair struct{ key, value uint32 }

// data is what a View shares with its Store: slices only ever appended to.
type data struct {
	recs   []rec
	chunks [][]byte
	strs   []span
	pairs  []pair
	// setAt[s]..setAt[s+1] are set s's pair ids in setPairs.
	setAt    []uint32
	setPairs []uint32
	zones    []*time.Location
	far      map[int]farTimes // rows (+base) whose times rec cannot hold (rare); never written once shared
	base     int              // the row of the Store that is this data's row 0
}

type farTimes struct{ started, updated time.Time }

// Store is the loaded rows of one list. The zero value is not ready: use New.
type Store struct {
	d data

	// The interning tables: pointer-free, their keys are the store's own data.
	seed            maphash.Seed
	strIDs, pairIDs table
	setIDs          table
	setKey          []uint32
	zoneIDs         map[zoneKey]uint32
	farShared       bool // a View holds d.far: it is copied before the next write
	// cur is the chunk being filled (-1: none), fill its bytes written: the bytes of a chunk
	// below fill are never written again, and chunk headers never change once appended.
	cur, fill int

	// attrs caches the materialized attributes of sets for Conv: direct-mapped (set id
	// modulo its size), so its size is fixed; nil until Conv first needs it.
	attrs *[attrsSlots]attrsSlot
}

// attrsSlots is the size of Store's cache of materialized attribute sets.
const attrsSlots = 4096

type attrsSlot struct {
	set   uint32 // 0: empty (set 0, the empty set, is never cached)
	attrs client.Attrs
}

// New returns an empty Store.
func New() *Store {
	s := &Store{seed: maphash.MakeSeed(), cur: -1}
	s.d.strs = []span{{}}      // string 0 is ""
	s.d.setAt = []uint32{0, 0} // set 0 is the empty set
	s.d.zones = []*time.Location{time.UTC}
	return s
}

// FromSlice returns a Store of cs (keeping raw records when keepRaw).
func FromSlice(cs []client.Conversation, keepRaw bool) *Store {
	s := New()
	s.AppendAll(cs, keepRaw)
	return s
}

// Len is the number of rows.
func (s *Store) Len() int {
	if s == nil {
		return 0
	}
	return len(s.d.recs)
}

// write appends the strings to the text and returns where the first starts.
func (s *Store) write(parts ...[]byte) (chunk, off uint32) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n == 0 {
		return 0, 0
	}
	if n > chunkSize/4 {
		// A chunk of its own, exactly full; the chunk being filled stays the last one
		// written (fill goes on in it).
		b := make([]byte, 0, n)
		for _, p := range parts {
			b = append(b, p...)
		}
		s.d.chunks = append(s.d.chunks, b)
		return uint32(len(s.d.chunks) - 1), 0
	}
	if s.cur < 0 || chunkSize-s.fill < n {
		s.d.chunks = append(s.d.chunks, make([]byte, chunkSize))
		s.cur, s.fill = len(s.d.chunks)-1, 0
	}
	c := s.d.chunks[s.cur]
	off = uint32(s.fill)
	for _, p := range parts {
		s.fill += copy(c[s.fill:], p)
	}
	return uint32(s.cur), off
}

// str interns v and returns its string id.
func (s *Store) str(v string) uint32 {
	if v == "" {
		return 0
	}
	h := maphash.String(s.seed, v)
	if id, ok := s.strIDs.find(h, func(id uint32) bool { return s.d.text(s.d.strs[id]) == v }); ok {
		return id
	}
	chunk, off := s.write(unsafe.Slice(unsafe.StringData(v), len(v)))
	id := uint32(len(s.d.strs))
	s.d.strs = append(s.d.strs, span{chunk, off, uint32(len(v))})
	s.strIDs.add(id, h, func(id uint32) uint64 { return maphash.String(s.seed, s.d.text(s.d.strs[id])) })
	return id
}

// hashIDs hashes a run of ids.
func (s *Store) hashIDs(ids ...uint32) uint64 {
	var h maphash.Hash
	h.SetSeed(s.seed)
	for _, id := range ids {
		h.WriteByte(byte(id))
		h.WriteByte(byte(id >> 8))
		h.WriteByte(byte(id >> 16))
		h.WriteByte(byte(id >> 24))
	}
	return h.Sum64()
}

// set interns the attribute set a and returns its id.
func (s *Store) set(a client.Attrs) uint32 {
	if len(a) == 0 {
		return 0
	}
	s.setKey = s.setKey[:0]
	for _, kv := range a {
		p := pair{s.str(kv.Key), s.str(kv.Value)}
		h := s.hashIDs(p.key, p.value)
		id, ok := s.pairIDs.find(h, func(id uint32) bool { return s.d.pairs[id] == p })
		if !ok {
			id = uint32(len(s.d.pairs))
			s.d.pairs = append(s.d.pairs, p)
			s.pairIDs.add(id, h, func(id uint32) uint64 { q := s.d.pairs[id]; return s.hashIDs(q.key, q.value) })
		}
		s.setKey = append(s.setKey, id)
	}
	h := s.hashIDs(s.setKey...)
	if id, ok := s.setIDs.find(h, func(id uint32) bool { return slices.Equal(s.setRun(id), s.setKey) }); ok {
		return id
	}
	id := uint32(len(s.d.setAt) - 1)
	s.d.setPairs = append(s.d.setPairs, s.setKey...)
	s.d.setAt = append(s.d.setAt, uint32(len(s.d.setPairs)))
	s.setIDs.add(id, h, func(id uint32) uint64 { return s.hashIDs(s.setRun(id)...) })
	return id
}

// setRun is set id's pair ids.
func (s *Store) setRun(id uint32) []uint32 { return s.d.setPairs[s.d.setAt[id]:s.d.setAt[id+1]] }

// nanos encodes t as Unix nanoseconds and a zone; ok is false when t must go to the
// overflow map.
func (s *Store) nanos(t time.Time) (n int64, zone uint32, ok bool) {
	if t == (time.Time{}) {
		return noTime, 0, true
	}
	n = t.UnixNano()
	if n == noTime || n == farTime || t.Round(0) != t { // t.Round(0) != t: a monotonic reading
		return farTime, 0, false
	}
	u := time.Unix(0, n)
	if loc := t.Location(); loc != time.UTC {
		name, offset := t.Zone()
		k := zoneKey{local: loc == time.Local, loc: loc.String(), name: name, offset: offset}
		z, known := s.zoneIDs[k]
		if !known {
			if len(s.d.zones) >= maxZones {
				return farTime, 0, false
			}
			if s.zoneIDs == nil {
				s.zoneIDs = map[zoneKey]uint32{}
			}
			z = uint32(len(s.d.zones))
			s.d.zones = append(s.d.zones, loc)
			s.zoneIDs[k] = z
		}
		zone = z
		u = u.In(s.d.zones[z])
		// zones[z] may be another location of the same name (other data) with another
		// zone at this instant: t then goes to the overflow map.
		if un, uo := u.Zone(); un != name || uo != offset {
			return farTime, 0, false
		}
	} else {
		u = u.UTC()
	}
	if u != t.In(u.Location()) || u.Location().String() != t.Location().String() {
		return farTime, 0, false
	}
	return n, zone, true
}

func (d *data) fromNanos(n int64, zone uint32) time.Time {
	if n == noTime {
		return time.Time{}
	}
	if zone == 0 {
		return time.Unix(0, n).UTC()
	}
	return time.Unix(0, n).In(d.zones[zone])
}

// Append adds c as the last row; its raw record is kept only when keepRaw.
func (s *Store) Append(c *client.Conversation, keepRaw bool) {
	var r rec
	raw := []byte(nil)
	if keepRaw {
		raw = c.Raw
	}
	var n [binary.MaxVarintLen64]byte
	r.chunk, r.off = s.write(unsafe.Slice(unsafe.StringData(c.ID), len(c.ID)), n[:binary.PutUvarint(n[:], uint64(len(raw)))], raw)
	r.idLen = uint32(len(c.ID))
	r.user, r.summary, r.src = s.str(c.UserID), s.str(c.Summary), s.str(c.Source)
	r.set = s.set(c.Attrs)
	started, z1, ok1 := s.nanos(c.Started)
	updated, z2, ok2 := s.nanos(c.Updated)
	r.started, r.updated, r.zone = started, updated, z1|z2<<16
	if !ok1 || !ok2 {
		r.started, r.updated, r.zone = farTime, farTime, 0
		if s.d.far == nil || s.farShared {
			s.d.far, s.farShared = maps.Clone(s.d.far), false
			if s.d.far == nil {
				s.d.far = map[int]farTimes{}
			}
		}
		s.d.far[len(s.d.recs)] = farTimes{c.Started, c.Updated}
	}
	s.d.recs = append(s.d.recs, r)
}

// AppendAll appends cs.
func (s *Store) AppendAll(cs []client.Conversation, keepRaw bool) {
	for i := range cs {
		s.Append(&cs[i], keepRaw)
	}
}

func (d *data) text(sp span) string {
	if sp.n == 0 {
		return ""
	}
	c := d.chunks[sp.chunk]
	return unsafe.String(&c[sp.off], sp.n)
}

// ID is row i's id.
func (s *Store) ID(i int) string { return s.d.id(i) }

// Summary is row i's summary.
func (s *Store) Summary(i int) string { return s.d.text(s.d.strs[s.d.recs[i].summary]) }

// Source is row i's source.
func (s *Store) Source(i int) string { return s.d.text(s.d.strs[s.d.recs[i].src]) }

// Raw is a copy of row i's raw record kept by Append (nil when none was kept).
func (s *Store) Raw(i int) json.RawMessage { return s.d.raw(i) }

func (d *data) id(i int) string {
	r := &d.recs[i]
	return d.text(span{r.chunk, r.off, r.idLen})
}

func (d *data) raw(i int) json.RawMessage {
	r := &d.recs[i]
	c := d.chunks[r.chunk][r.off+r.idLen:]
	n, k := binary.Uvarint(c)
	if n == 0 || k <= 0 {
		return nil
	}
	return json.RawMessage(append([]byte(nil), c[k:k+int(n)]...))
}

// fill sets every field of c but Attrs and Raw from row i.
func (d *data) fill(i int, c *client.Conversation) {
	r := &d.recs[i]
	c.Source = d.text(d.strs[r.src])
	c.ID = d.text(span{r.chunk, r.off, r.idLen})
	c.UserID = d.text(d.strs[r.user])
	c.Summary = d.text(d.strs[r.summary])
	if r.started == farTime {
		f := d.far[d.base+i]
		c.Started, c.Updated = f.started, f.updated
	} else {
		c.Started, c.Updated = d.fromNanos(r.started, r.zone&0xffff), d.fromNanos(r.updated, r.zone>>16)
	}
	c.Raw = nil
}

// appendAttrs appends set id's attributes to dst.
func (d *data) appendAttrs(dst client.Attrs, id uint32) client.Attrs {
	for _, p := range d.setPairs[d.setAt[id]:d.setAt[id+1]] {
		kv := d.pairs[p]
		dst = append(dst, client.Attr{Key: d.text(d.strs[kv.key]), Value: d.text(d.strs[kv.value])})
	}
	return dst
}

// Conv is row i (Raw left out: see Raw). Its Attrs are shared between the rows of the same
// set and must not be changed (nor the Conversation given to View.At as its buffer, which
// would write them); they come from a cache, so a row read again allocates nothing.
func (s *Store) Conv(i int) client.Conversation {
	var c client.Conversation
	s.d.fill(i, &c)
	id := s.d.recs[i].set
	if id == 0 {
		return c
	}
	if s.attrs == nil {
		s.attrs = new([attrsSlots]attrsSlot)
	}
	slot := &s.attrs[id%attrsSlots]
	if slot.set != id {
		n := s.d.setAt[id+1] - s.d.setAt[id]
		slot.set, slot.attrs = id, s.d.appendAttrs(make(client.Attrs, 0, n), id)
	}
	c.Attrs = slot.attrs
	return c
}

// View is a read-only snapshot of a Store's rows at the time it was taken, safe for any
// goroutine while the Store appends.
type View struct{ d data }

// View snapshots the rows.
func (s *Store) View() View {
	if s == nil {
		return View{}
	}
	d := s.d
	d.recs = d.recs[:len(d.recs):len(d.recs)]
	s.farShared = true // the next row with odd times copies the map first
	return View{d}
}

// Len is the number of rows in the view.
func (v View) Len() int { return len(v.d.recs) }

// At fills buf with row i (its Attrs in buf's own storage, reused from call to call; Raw
// left out) and returns buf. buf must not hold a Conv result: its Attrs are the Store's
// cache, which At would overwrite.
func (v View) At(i int, buf *client.Conversation) *client.Conversation {
	v.d.fill(i, buf)
	buf.Attrs = v.d.appendAttrs(buf.Attrs[:0], v.d.recs[i].set)
	return buf
}

// ID is row i's id.
func (v View) ID(i int) string { return v.d.id(i) }

// Summary is row i's summary.
func (v View) Summary(i int) string { return v.d.text(v.d.strs[v.d.recs[i].summary]) }

// Slice is a snapshot of rows [from, to): a View whose row 0 is row from.
func (v View) Slice(from, to int) View {
	d := v.d
	d.recs = d.recs[from:to:to]
	d.base += from
	return View{d}
}
