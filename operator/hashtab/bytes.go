package hashtab

import "bytes"

// Bytes numbers distinct byte strings: encoded key rows (operator/keys),
// given as one buffer and offsets (row i is buf[offs[i]:offs[i+1]]) with
// their hashes, which the caller computes once per batch.
type Bytes struct {
	slots  []bytesSlot
	shift  uint
	arena  []byte   // the keys' bytes, by number
	ends   []int    // key id is arena[ends[id-1]:ends[id]] (0 before the first)
	hashes []uint64 // by key number
}

// bytesSlot is one key: the low half of its hash (compared before the
// bytes), and its number + 1, 0 when the slot is empty.
type bytesSlot struct {
	tag uint32
	id  int32
}

// NewBytes returns an empty table sized for about n keys.
func NewBytes(n int) *Bytes {
	t := &Bytes{}
	t.alloc(slotsFor(n))
	return t
}

func (t *Bytes) alloc(n int) {
	t.slots = make([]bytesSlot, n)
	adviseHuge(t.slots)
	t.shift = uint(64 - log2(n))
}

// Len is the number of keys.
func (t *Bytes) Len() int { return len(t.hashes) }

// Hash is key id's hash.
func (t *Bytes) Hash(id int32) uint64 { return t.hashes[id] }

// Key is key id's bytes.
func (t *Bytes) Key(id int32) []byte {
	lo := 0
	if id > 0 {
		lo = t.ends[id-1]
	}
	return t.arena[lo:t.ends[id]]
}

// KeyBytes is the size of the keys' bytes.
func (t *Bytes) KeyBytes() int64 { return int64(len(t.arena)) }

// Bytes is the table's memory.
func (t *Bytes) Bytes() int64 {
	return int64(len(t.slots))*8 + int64(cap(t.arena)) + int64(cap(t.ends))*8 + int64(cap(t.hashes))*8
}

// FindOrInsert sets ids[i] to the number of row i (of hash hashes[i]),
// numbering new keys as they come. A row's key is new exactly when its
// number is the table's Len() before.
func (t *Bytes) FindOrInsert(buf []byte, offs []int32, hashes []uint64, ids []int32) {
	n := len(offs) - 1
	ids, hashes = ids[:n], hashes[:n]
	t.hashes, t.ends = reserve(t.hashes, n), reserve(t.ends, n)
	if n > 0 {
		t.arena = reserve(t.arena, int(offs[n]-offs[0]))
	}
	for i := range n {
		if full(len(t.hashes)+1, len(t.slots)) {
			t.grow()
		}
		key := buf[offs[i]:offs[i+1]]
		h := hashes[i]
		tag := uint32(h)
		mask := len(t.slots) - 1
		for p := int(h >> t.shift); ; p = (p + 1) & mask {
			s := &t.slots[p]
			if s.id == 0 {
				id := int32(len(t.hashes))
				*s = bytesSlot{tag: tag, id: id + 1}
				t.hashes = append(t.hashes, h)
				t.arena = append(t.arena, key...)
				t.ends = append(t.ends, len(t.arena))
				ids[i] = id
				break
			}
			if s.tag == tag && bytes.Equal(t.Key(s.id-1), key) {
				ids[i] = s.id - 1
				break
			}
		}
	}
}

// Find sets ids[i] to the number of row i, or -1 when the table does not
// hold it; rows with skip[i] (skip may be nil) get -1 unlooked.
func (t *Bytes) Find(buf []byte, offs []int32, hashes []uint64, skip []bool, ids []int32) {
	n := len(offs) - 1
	ids, hashes = ids[:n], hashes[:n]
	mask := len(t.slots) - 1
	for i := range n {
		ids[i] = -1
		if skip != nil && skip[i] {
			continue
		}
		key := buf[offs[i]:offs[i+1]]
		h := hashes[i]
		tag := uint32(h)
		for p := int(h >> t.shift); ; p = (p + 1) & mask {
			s := &t.slots[p]
			if s.id == 0 {
				break
			}
			if s.tag == tag && bytes.Equal(t.Key(s.id-1), key) {
				ids[i] = s.id - 1
				break
			}
		}
	}
}

func (t *Bytes) grow() {
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
