package hashtab

import "math/bits"

// Int64 numbers distinct int64 keys (and NULL, as one more key).
type Int64 struct {
	slots  []int64Slot
	shift  uint // 64 - log2(len(slots)): a hash's top bits pick its slot
	used   int  // slots filled
	nullID int32
	hashes []uint64 // by key number
	sink   int32    // keeps touch's loads (FindOrInsert only: one writer)
}

// int64Slot is one key; id is its number + 1, 0 when the slot is empty.
type int64Slot struct {
	key int64
	id  int32
}

// HashInt64 is the hash Int64 gives key k.
func HashInt64(k int64) uint64 { return Mix64(uint64(k)) }

// NewInt64 returns an empty table sized for about n keys.
func NewInt64(n int) *Int64 {
	t := &Int64{nullID: -1}
	t.alloc(slotsFor(n))
	return t
}

// slotsFor is the power of two of slots that holds n keys at most half
// full, so a table sized for its keys does not grow at once.
func slotsFor(n int) int {
	if n < minSlots/2 {
		return minSlots
	}
	return 1 << bits.Len(uint(2*n-1))
}

func (t *Int64) alloc(n int) {
	t.slots = make([]int64Slot, n)
	adviseHuge(t.slots)
	t.shift = uint(64 - log2(n))
}

// Len is the number of keys.
func (t *Int64) Len() int { return len(t.hashes) }

// Hash is key id's hash.
func (t *Int64) Hash(id int32) uint64 { return t.hashes[id] }

// Bytes is the table's memory.
func (t *Int64) Bytes() int64 { return int64(len(t.slots))*16 + int64(cap(t.hashes))*8 }

// block is how many rows a table hashes and touches the slots of before
// probing them: the touches are independent loads, which the CPU overlaps,
// so a table larger than the caches waits for memory once per block rather
// than once per row.
const block = 32

// FindOrInsert sets ids[i] to the number of keys[i], numbering new keys
// as they come; rows with nulls[i] (nulls may be nil) have the NULL key.
// A row's key is new exactly when its number is the table's Len() before.
func (t *Int64) FindOrInsert(keys []int64, nulls []bool, ids []int32) {
	ids = ids[:len(keys)]
	t.hashes = reserve(t.hashes, len(keys)+1) // +1: the NULL key
	var hs [block]uint64
	for lo := 0; lo < len(keys); lo += block {
		hi := min(lo+block, len(keys))
		for full(t.used+hi-lo, len(t.slots)) {
			t.grow()
		}
		t.touch(keys[lo:hi], &hs)
		mask := len(t.slots) - 1
		for i := lo; i < hi; i++ {
			if nulls != nil && nulls[i] {
				if t.nullID < 0 {
					t.nullID = int32(len(t.hashes))
					t.hashes = append(t.hashes, NullHash)
				}
				ids[i] = t.nullID
				continue
			}
			k, h := keys[i], hs[i-lo]
			for p := int(h >> t.shift); ; p = (p + 1) & mask {
				s := &t.slots[p]
				if s.id == 0 {
					id := int32(len(t.hashes))
					s.key, s.id = k, id+1
					t.hashes = append(t.hashes, h)
					t.used++
					ids[i] = id
					break
				}
				if s.key == k {
					ids[i] = s.id - 1
					break
				}
			}
		}
	}
}

// touchSlots is the table size (1 MiB of slots) from which touch loads
// slots ahead: a smaller table stays in the caches.
const touchSlots = 1 << 16

// touch hashes a block of keys into hs and, in a large table, loads each
// one's first slot.
func (t *Int64) touch(keys []int64, hs *[block]uint64) {
	if len(t.slots) < touchSlots {
		for j, k := range keys {
			hs[j] = Mix64(uint64(k))
		}
		return
	}
	var sum int32
	for j, k := range keys {
		h := Mix64(uint64(k))
		hs[j] = h
		sum += t.slots[h>>t.shift].id
	}
	t.sink = sum
}

// Find sets ids[i] to the number of keys[i], or -1 when the table does not
// hold it; rows with nulls[i] get -1 (NULL matches nothing). It writes
// nothing in t (a shared table is probed by several goroutines), so it
// does not touch slots ahead.
func (t *Int64) Find(keys []int64, nulls []bool, ids []int32) {
	ids = ids[:len(keys)]
	mask := len(t.slots) - 1
	for i, k := range keys {
		ids[i] = -1
		if nulls != nil && nulls[i] {
			continue
		}
		for p := int(Mix64(uint64(k)) >> t.shift); ; p = (p + 1) & mask {
			s := &t.slots[p]
			if s.id == 0 {
				break
			}
			if s.key == k {
				ids[i] = s.id - 1
				break
			}
		}
	}
}

// grow doubles the slots and re-inserts every key.
func (t *Int64) grow() {
	old := t.slots
	t.alloc(2 * len(old))
	mask := len(t.slots) - 1
	for _, s := range old {
		if s.id == 0 {
			continue
		}
		p := int(Mix64(uint64(s.key)) >> t.shift) // not hashes[id]: a cache miss
		for t.slots[p].id != 0 {
			p = (p + 1) & mask
		}
		t.slots[p] = s
	}
}
