package hashtab

// Int64Pair numbers distinct pairs of int64 keys, either of which may be
// NULL (a NULL is its own value: (NULL, 1) is one key).
type Int64Pair struct {
	slots  []pairSlot
	shift  uint
	used   int
	hashes []uint64 // by key number
}

// pairSlot is one key; nulls has bit 0 set when a is NULL, bit 1 for b
// (a NULL's value is stored as 0); id is the key's number + 1, 0 when the
// slot is empty.
type pairSlot struct {
	a, b  int64
	id    int32
	nulls uint8
}

// HashPair is the hash Int64Pair gives (a, b) with NULL flags nulls.
func HashPair(a, b int64, nulls uint8) uint64 {
	return Mix64(uint64(a)*0x9E3779B97F4A7C15 ^ Mix64(uint64(b)^uint64(nulls)<<62))
}

// NewInt64Pair returns an empty table sized for about n keys.
func NewInt64Pair(n int) *Int64Pair {
	t := &Int64Pair{}
	t.alloc(slotsFor(n))
	return t
}

func (t *Int64Pair) alloc(n int) {
	t.slots = make([]pairSlot, n)
	adviseHuge(t.slots)
	t.shift = uint(64 - log2(n))
}

// Len is the number of keys.
func (t *Int64Pair) Len() int { return len(t.hashes) }

// Hash is key id's hash.
func (t *Int64Pair) Hash(id int32) uint64 { return t.hashes[id] }

// Bytes is the table's memory.
func (t *Int64Pair) Bytes() int64 { return int64(len(t.slots))*24 + int64(cap(t.hashes))*8 }

// PairNulls is the NULL flags of row i given the columns' NULL masks
// (either may be nil: no NULLs).
func PairNulls(na, nb []bool, i int) uint8 {
	var f uint8
	if na != nil && na[i] {
		f |= 1
	}
	if nb != nil && nb[i] {
		f |= 2
	}
	return f
}

// FindOrInsert sets ids[i] to the number of (a[i], b[i]), numbering new
// keys as they come; na and nb mark NULLs (nil: none). A row's key is new
// exactly when its number is the table's Len() before.
func (t *Int64Pair) FindOrInsert(a, b []int64, na, nb []bool, ids []int32) {
	ids = ids[:len(a)]
	b = b[:len(a)]
	t.hashes = reserve(t.hashes, len(a))
	for i := range a {
		x, y, f := a[i], b[i], PairNulls(na, nb, i)
		if f&1 != 0 {
			x = 0
		}
		if f&2 != 0 {
			y = 0
		}
		if full(t.used+1, len(t.slots)) {
			t.grow()
		}
		h := HashPair(x, y, f)
		mask := len(t.slots) - 1
		for p := int(h >> t.shift); ; p = (p + 1) & mask {
			s := &t.slots[p]
			if s.id == 0 {
				id := int32(len(t.hashes))
				*s = pairSlot{a: x, b: y, id: id + 1, nulls: f}
				t.hashes = append(t.hashes, h)
				t.used++
				ids[i] = id
				break
			}
			if s.a == x && s.b == y && s.nulls == f {
				ids[i] = s.id - 1
				break
			}
		}
	}
}

// Find sets ids[i] to the number of (a[i], b[i]), or -1 when the table
// does not hold it. NULLs compare equal here: callers for which NULL
// matches nothing leave those rows out.
func (t *Int64Pair) Find(a, b []int64, na, nb []bool, ids []int32) {
	ids = ids[:len(a)]
	b = b[:len(a)]
	mask := len(t.slots) - 1
	for i := range a {
		x, y, f := a[i], b[i], PairNulls(na, nb, i)
		if f&1 != 0 {
			x = 0
		}
		if f&2 != 0 {
			y = 0
		}
		ids[i] = -1
		for p := int(HashPair(x, y, f) >> t.shift); ; p = (p + 1) & mask {
			s := &t.slots[p]
			if s.id == 0 {
				break
			}
			if s.a == x && s.b == y && s.nulls == f {
				ids[i] = s.id - 1
				break
			}
		}
	}
}

func (t *Int64Pair) grow() {
	old := t.slots
	t.alloc(2 * len(old))
	mask := len(t.slots) - 1
	for _, s := range old {
		if s.id == 0 {
			continue
		}
		p := int(t.hashes[s.id-1] >> t.shift)
		for t.slots[p].id != 0 {
			p = (p + 1) & mask
		}
		t.slots[p] = s
	}
}
