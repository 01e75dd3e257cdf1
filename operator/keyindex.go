package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/operator/hashtab"
	"github.com/drover-etl/drover/operator/keys"
)

// keyKind is the hash table layout for a set of key columns.
type keyKind uint8

const (
	kindNone   keyKind = iota // no batch seen yet
	kindInt                   // one integer-like key, widened to int64
	kindPair                  // two integer-like keys
	kindBytes                 // anything else, as encoded rows
	kindString                // one string key, its own bytes (aggregation only)
	kindPacked                // narrow integer-like keys packed in two words (aggregation only)
)

func (k keyKind) String() string {
	return [...]string{"none", "one integer key", "two integer keys", "encoded keys", "one string key", "packed keys"}[k]
}

// rowSeed seeds the hash of encoded key rows: not 0, which shuffle
// partitioning uses (the rows of one reduce partition share their seed-0
// hash modulo the partition count), nor a grace seed.
const rowSeed = 0x2545F4914F6CDD1D

// kindOf picks the layout for cols. The integer layouts keep NULL as a
// value of its own, which joins with null-safe keys cannot use (ints is
// false then), since those keys mix NULL-matching and non-matching keys.
func kindOf(cols []arrow.Array, ints bool) keyKind {
	if ints {
		switch len(cols) {
		case 1:
			if intLike(cols[0]) {
				return kindInt
			}
		case 2:
			if intLike(cols[0]) && intLike(cols[1]) {
				return kindPair
			}
		}
	}
	return kindBytes
}

// groupKindOf is kindOf for grouping: one string key (plain or dictionary
// of strings, which Parquet files mix within a column) is keyed by its own
// bytes, without encoding.
func groupKindOf(cols []arrow.Array) keyKind {
	if len(cols) == 1 && stringLike(cols[0]) {
		return kindString
	}
	kind := kindOf(cols, true)
	if kind == kindBytes {
		if _, ok := packLayout(cols); ok {
			return kindPacked
		}
	}
	return kind
}

// stringLike: col is a STRING column or a dictionary of strings.
func stringLike(col arrow.Array) bool {
	switch a := col.(type) {
	case *array.String:
		return true
	case *array.Dictionary:
		_, ok := a.Dictionary().(*array.String)
		return ok
	}
	return false
}

// keyBatch is one batch's keys laid out for a keyTable of its kind: the
// widened (or packed) integers and their NULL masks, or the encoded rows
// (or a string column's own bytes) and their hashes. It is scratch of its
// user, reused across batches; tables only read it.
type keyBatch struct {
	kind   keyKind
	n      int
	a, b   []int64
	na, nb []bool // NULL masks, nil when the column has none
	enc    keys.Keys
	hashes []uint64
	null   []bool // scratch for the masks
	// wideA and wideB are scratch for keys widened to int64, reused
	// across batches
	wideA, wideB []int64
	strs         stringRows
}

// prepare lays out cols (n rows) as kind.
func (kb *keyBatch) prepare(cols []arrow.Array, n int, kind keyKind) error {
	kb.kind, kb.n = kind, n
	kb.a, kb.b, kb.na, kb.nb = nil, nil, nil, nil
	kb.strs.release()
	switch kind {
	case kindString:
		if err := kb.strs.prepare(cols[0]); err != nil {
			return err
		}
		kb.na = kb.strs.nulls
		kb.hashes = kb.strs.hashes(kb.hashes)
	case kindInt:
		kb.a, kb.wideA = widen(cols[0], kb.wideA)
		kb.na = kb.nullMask(cols[0], 0)
	case kindPacked:
		slots, _ := packLayout(cols)
		kb.pack(cols, slots, n)
	case kindPair:
		kb.a, kb.wideA = widen(cols[0], kb.wideA)
		kb.b, kb.wideB = widen(cols[1], kb.wideB)
		kb.na = kb.nullMask(cols[0], 0)
		kb.nb = kb.nullMask(cols[1], 1)
	default:
		if err := kb.enc.Encode(cols, n); err != nil {
			return err
		}
		kb.hashes = kb.enc.Hashes(rowSeed, kb.hashes)
	}
	return nil
}

// nullMask is col's NULL mask (nil without NULLs); which picks one of the
// two scratch halves.
func (kb *keyBatch) nullMask(col arrow.Array, which int) []bool {
	if col.NullN() == 0 {
		return nil
	}
	n := col.Len()
	if cap(kb.null) < 2*n {
		kb.null = make([]bool, 2*n)
	}
	m := kb.null[which*n : (which+1)*n]
	for i := range m {
		m[i] = col.IsNull(i)
	}
	return m
}

// hash is row i's hash, the one its table keys it by.
func (kb *keyBatch) hash(i int) uint64 {
	switch kb.kind {
	case kindInt:
		if kb.na != nil && kb.na[i] {
			return hashtab.NullHash
		}
		return hashtab.HashInt64(kb.a[i])
	case kindPair, kindPacked:
		x, y, f := kb.a[i], kb.b[i], hashtab.PairNulls(kb.na, kb.nb, i)
		if f&1 != 0 {
			x = 0
		}
		if f&2 != 0 {
			y = 0
		}
		return hashtab.HashPair(x, y, f)
	}
	return kb.hashes[i]
}

// keyTable numbers distinct keys (see hashtab) in the layout of the first
// batch it gets. Once built it may be shared read-only (find).
type keyTable struct {
	kind  keyKind
	ints  *hashtab.Int64
	pairs *hashtab.Int64Pair
	rows  *hashtab.Bytes
}

// init picks the table's layout; sizeHint is the expected key count.
func (t *keyTable) init(kind keyKind, sizeHint int) {
	t.kind = kind
	switch kind {
	case kindInt:
		t.ints = hashtab.NewInt64(sizeHint)
	case kindPair, kindPacked:
		t.pairs = hashtab.NewInt64Pair(sizeHint)
	default:
		t.rows = hashtab.NewBytes(sizeHint)
	}
}

// raw is the batch's rows as one buffer and offsets (kindBytes and
// kindString).
func (kb *keyBatch) raw() ([]byte, []int32) {
	if kb.kind == kindString {
		return kb.strs.buf, kb.strs.offs
	}
	return kb.enc.Raw()
}

func (t *keyTable) check(kb *keyBatch) error {
	if kb.kind != t.kind {
		return fmt.Errorf("operator: hash table of %s given a batch of %s", t.kind, kb.kind)
	}
	return nil
}

// insert sets ids[i] to row i's key number, numbering new keys as they
// come: a row's key is new exactly when its number is len() before.
func (t *keyTable) insert(kb *keyBatch, ids []int32) error {
	if t.kind == kindNone {
		t.init(kb.kind, 0)
	}
	if err := t.check(kb); err != nil {
		return err
	}
	switch t.kind {
	case kindInt:
		t.ints.FindOrInsert(kb.a[:kb.n], kb.na, ids)
	case kindPair, kindPacked:
		t.pairs.FindOrInsert(kb.a[:kb.n], kb.b[:kb.n], kb.na, kb.nb, ids)
	default:
		buf, offs := kb.raw()
		t.rows.FindOrInsert(buf, offs, kb.hashes, ids)
	}
	return nil
}

// find sets ids[i] to row i's key number, -1 when absent or skip[i] (skip
// may be nil).
func (t *keyTable) find(kb *keyBatch, skip []bool, ids []int32) error {
	if t.kind == kindNone {
		for i := range ids[:kb.n] {
			ids[i] = -1
		}
		return nil
	}
	if err := t.check(kb); err != nil {
		return err
	}
	switch t.kind {
	case kindInt:
		t.ints.Find(kb.a[:kb.n], kb.na, ids)
	case kindPair, kindPacked:
		t.pairs.Find(kb.a[:kb.n], kb.b[:kb.n], kb.na, kb.nb, ids)
	default:
		buf, offs := kb.raw()
		t.rows.Find(buf, offs, kb.hashes, skip, ids)
		return nil
	}
	if skip != nil {
		for i, s := range skip[:kb.n] {
			if s {
				ids[i] = -1
			}
		}
	}
	return nil
}

// len is the number of keys.
func (t *keyTable) len() int {
	switch t.kind {
	case kindInt:
		return t.ints.Len()
	case kindPair, kindPacked:
		return t.pairs.Len()
	case kindBytes, kindString:
		return t.rows.Len()
	}
	return 0
}

// hash is key id's hash (keyBatch.hash of the rows of that key).
func (t *keyTable) hash(id int32) uint64 {
	switch t.kind {
	case kindInt:
		return t.ints.Hash(id)
	case kindPair, kindPacked:
		return t.pairs.Hash(id)
	}
	return t.rows.Hash(id)
}

// bytes is the table's memory.
func (t *keyTable) bytes() int64 {
	switch t.kind {
	case kindInt:
		return t.ints.Bytes()
	case kindPair, kindPacked:
		return t.pairs.Bytes()
	case kindBytes, kindString:
		return t.rows.Bytes()
	}
	return 0
}

// keyBytes is the memory of the keys' encoded bytes (the rest of the
// table grows with the key count).
func (t *keyTable) keyBytes() int64 {
	if t.kind == kindBytes || t.kind == kindString {
		return t.rows.KeyBytes()
	}
	return 0
}
