package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// packSlot is where one key column sits in a packed key (kindPacked):
// word 0 or 1 of the pair, the value's lowest bit and its width. A column
// narrower than a word has a NULL bit just above its value (value bits 0
// then); a 64-bit column takes a whole word, its NULLs in the pair's mask.
type packSlot struct {
	word, shift, bits uint8
}

// packBits is the width of col's values when it can be packed, 0 if not.
func packBits(col arrow.Array) uint8 {
	switch col.DataType().ID() {
	case arrow.BOOL:
		return 1
	case arrow.INT8, arrow.UINT8:
		return 8
	case arrow.INT16, arrow.UINT16:
		return 16
	case arrow.INT32, arrow.UINT32, arrow.DATE32:
		return 32
	case arrow.INT64, arrow.UINT64, arrow.TIMESTAMP, arrow.DATE64:
		return 64
	}
	return 0
}

// packLayout places cols in the two words of an Int64Pair key, in column
// order, first fit; ok is false when some column is not fixed-width
// integer-like or they do not fit. The layout follows from the types
// alone, so every batch of a table gets the same.
func packLayout(cols []arrow.Array) (slots []packSlot, ok bool) {
	var used [2]uint8
	var whole [2]bool
	for _, c := range cols {
		w := packBits(c)
		if w == 0 {
			return nil, false
		}
		placed := false
		for word := uint8(0); word < 2 && !placed; word++ {
			switch {
			case whole[word]:
			case w == 64:
				if used[word] == 0 {
					whole[word] = true
					slots = append(slots, packSlot{word: word, bits: 64})
					placed = true
				}
			case int(used[word])+int(w)+1 <= 64:
				slots = append(slots, packSlot{word: word, shift: used[word], bits: w})
				used[word] += w + 1
				placed = true
			}
		}
		if !placed {
			return nil, false
		}
	}
	return slots, true
}

// pack lays out cols (n rows) by slots into kb's two words and masks.
func (kb *keyBatch) pack(cols []arrow.Array, slots []packSlot, n int) {
	if cap(kb.wideA) < n {
		kb.wideA = make([]int64, n)
	}
	if cap(kb.wideB) < n {
		kb.wideB = make([]int64, n)
	}
	words := [2][]int64{kb.wideA[:n], kb.wideB[:n]}
	clear(words[0])
	clear(words[1])
	kb.a, kb.b = words[0], words[1]
	for k, c := range cols {
		s := slots[k]
		w := words[s.word]
		if s.bits == 64 {
			packWhole(c, w)
			if c.NullN() > 0 {
				if s.word == 0 {
					kb.na = kb.nullMask(c, 0)
				} else {
					kb.nb = kb.nullMask(c, 1)
				}
				for i := range w {
					if c.IsNull(i) {
						w[i] = 0
					}
				}
			}
			continue
		}
		packNarrow(c, w, s)
	}
}

// packWhole copies a 64-bit column into w.
func packWhole(c arrow.Array, w []int64) {
	switch a := c.(type) {
	case *array.Int64:
		copy(w, a.Int64Values())
	case *array.Uint64:
		for i, v := range a.Uint64Values() {
			w[i] = int64(v)
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			w[i] = int64(v)
		}
	case *array.Date64:
		for i, v := range a.Date64Values() {
			w[i] = int64(v)
		}
	}
}

// packNarrow ORs a narrow column's values (truncated to s.bits, which
// keeps them distinct) and NULL bits into w.
func packNarrow(c arrow.Array, w []int64, s packSlot) {
	switch a := c.(type) {
	case *array.Boolean:
		for i := range w {
			if a.IsValid(i) && a.Value(i) {
				w[i] |= 1 << s.shift
			}
		}
	case *array.Int8:
		orBits(w, a.Int8Values(), s)
	case *array.Uint8:
		orBits(w, a.Uint8Values(), s)
	case *array.Int16:
		orBits(w, a.Int16Values(), s)
	case *array.Uint16:
		orBits(w, a.Uint16Values(), s)
	case *array.Int32:
		orBits(w, a.Int32Values(), s)
	case *array.Uint32:
		orBits(w, a.Uint32Values(), s)
	case *array.Date32:
		orBits(w, a.Date32Values(), s)
	}
	if c.NullN() == 0 {
		return
	}
	mask := int64(1)<<s.bits - 1
	for i := range w {
		if c.IsNull(i) {
			w[i] &^= mask << s.shift // whatever lies under a NULL
			w[i] |= 1 << (s.shift + s.bits)
		}
	}
}

func orBits[T ~int8 | ~uint8 | ~int16 | ~uint16 | ~int32 | ~uint32](w []int64, vals []T, s packSlot) {
	mask := uint64(1)<<s.bits - 1
	for i, v := range vals[:len(w)] {
		w[i] |= int64((uint64(v) & mask) << s.shift)
	}
}
