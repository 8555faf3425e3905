package rowstore

// table is a pointer-free hash set of ids (open addressing, linear probing): slots hold
// id+1 (0: empty). Its keys live elsewhere (the Store's strings, pairs, sets); the caller
// gives the hash of the key looked for, an equality test, and the hash of any id (to grow).
type table struct {
	slots []uint32
	n     int
}

// find returns the id whose key equals (eq) the key of hash h, and whether there is one.
func (t *table) find(h uint64, eq func(id uint32) bool) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		v := t.slots[i]
		if v == 0 {
			return 0, false
		}
		if eq(v - 1) {
			return v - 1, true
		}
	}
}

// add records id, whose key hashes to h (not in the table yet); hashOf rehashes the ids
// already in when the table grows.
func (t *table) add(id uint32, h uint64, hashOf func(id uint32) uint64) {
	if (t.n+1)*2 > len(t.slots) {
		old := t.slots
		t.slots = make([]uint32, max(64, 2*len(old)))
		for _, v := range old {
			if v != 0 {
				t.put(v, hashOf(v-1))
			}
		}
	}
	t.put(id+1, h)
	t.n++
}

func (t *table) put(v uint32, h uint64) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = v
}
