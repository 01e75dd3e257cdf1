package keys

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/zeebo/xxh3"
)

// Keys holds the encoded key of every row of a batch.
type Keys struct {
	buf     []byte
	offsets []int32 // row i is buf[offsets[i]:offsets[i+1]]
	// AnyNull[i] is true when some key column of row i is NULL (joins skip
	// such rows: NULL never equals anything).
	AnyNull []bool
	sizes   []int32 // scratch of Encode, reused across batches
}

// Len is the number of rows.
func (k *Keys) Len() int { return len(k.offsets) - 1 }

// Row returns row i's key bytes (valid until the next Encode into k).
func (k *Keys) Row(i int) []byte { return k.buf[k.offsets[i]:k.offsets[i+1]] }

// Hash returns row i's 64-bit hash.
func (k *Keys) Hash(i int) uint64 { return xxh3.Hash(k.Row(i)) }

// Encode encodes cols (all of length n) into k, reusing its buffers.
// Each column contributes a validity byte, then its value: fixed-width
// types little-endian, strings as uvarint length + bytes.
func (k *Keys) Encode(cols []arrow.Array, n int) error {
	sizes := k.prepare(n)
	for _, c := range cols {
		if err := addSizes(c, sizes); err != nil {
			return err
		}
	}
	total := int32(0)
	for i := 0; i < n; i++ {
		k.offsets[i] = total
		total += sizes[i]
		sizes[i] = k.offsets[i] // reused as the write cursor
	}
	k.offsets[n] = total
	if cap(k.buf) < int(total) {
		k.buf = make([]byte, total)
	}
	k.buf = k.buf[:total]
	for _, c := range cols {
		writeColumn(c, k.buf, sizes, k.AnyNull)
	}
	return nil
}

func (k *Keys) prepare(n int) []int32 {
	if cap(k.offsets) < n+1 {
		k.offsets = make([]int32, n+1)
		k.AnyNull = make([]bool, n)
	}
	k.offsets = k.offsets[:n+1]
	k.AnyNull = k.AnyNull[:n]
	clear(k.AnyNull)
	if cap(k.sizes) < n {
		k.sizes = make([]int32, n)
	}
	sizes := k.sizes[:n]
	clear(sizes)
	return sizes
}

// width is the encoded size of a fixed-width value, 0 for variable width.
func width(dt arrow.DataType) (int32, error) {
	switch dt.ID() {
	case arrow.BOOL, arrow.INT8, arrow.UINT8:
		return 1, nil
	case arrow.INT16, arrow.UINT16:
		return 2, nil
	case arrow.INT32, arrow.UINT32, arrow.DATE32, arrow.FLOAT32:
		return 4, nil
	case arrow.INT64, arrow.UINT64, arrow.DATE64, arrow.TIMESTAMP, arrow.FLOAT64:
		return 8, nil
	case arrow.DECIMAL128:
		return 16, nil
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.DICTIONARY, arrow.NULL:
		return 0, nil
	}
	return 0, fmt.Errorf("keys: unsupported key type %s", dt)
}

func addSizes(c arrow.Array, sizes []int32) error {
	w, err := width(c.DataType())
	if err != nil {
		return err
	}
	for i := range sizes {
		sizes[i]++ // validity byte
	}
	if w > 0 {
		for i := range sizes {
			if c.IsValid(i) {
				sizes[i] += w
			}
		}
		return nil
	}
	return addStringSizes(c, sizes)
}

func addStringSizes(c arrow.Array, sizes []int32) error {
	switch a := c.(type) {
	case *array.String:
		for i := range sizes {
			if a.IsValid(i) {
				l := len(a.Value(i))
				sizes[i] += int32(uvarintLen(l) + l)
			}
		}
	case *array.Dictionary:
		dict, ok := a.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("keys: unsupported dictionary of %s", a.Dictionary().DataType())
		}
		for i := range sizes {
			if a.IsValid(i) {
				l := len(dict.Value(a.GetValueIndex(i)))
				sizes[i] += int32(uvarintLen(l) + l)
			}
		}
	case *array.Null:
	default:
		return fmt.Errorf("keys: unsupported key array %T", c)
	}
	return nil
}

func uvarintLen(n int) int {
	l := 1
	for n >= 0x80 {
		n >>= 7
		l++
	}
	return l
}

func writeColumn(c arrow.Array, buf []byte, cur []int32, anyNull []bool) {
	for i := range cur {
		if c.IsNull(i) {
			buf[cur[i]] = 0
			anyNull[i] = true
		} else {
			buf[cur[i]] = 1
		}
		cur[i]++
	}
	switch a := c.(type) {
	case *array.Int32:
		writeFixed(a, a.Int32Values(), cur, buf, func(b []byte, v int32) { binary.LittleEndian.PutUint32(b, uint32(v)) })
	case *array.Date32:
		writeFixed(a, a.Date32Values(), cur, buf, func(b []byte, v arrow.Date32) { binary.LittleEndian.PutUint32(b, uint32(v)) })
	case *array.Int64:
		writeFixed(a, a.Int64Values(), cur, buf, func(b []byte, v int64) { binary.LittleEndian.PutUint64(b, uint64(v)) })
	case *array.Timestamp:
		writeFixed(a, a.TimestampValues(), cur, buf, func(b []byte, v arrow.Timestamp) { binary.LittleEndian.PutUint64(b, uint64(v)) })
	case *array.Float64:
		writeFixed(a, a.Float64Values(), cur, buf, func(b []byte, v float64) { binary.LittleEndian.PutUint64(b, normFloat64(v)) })
	case *array.Float32:
		writeFixed(a, a.Float32Values(), cur, buf, func(b []byte, v float32) {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(math.Float64frombits(normFloat64(float64(v))))))
		})
	case *array.Decimal128:
		writeFixed(a, a.Values(), cur, buf, func(b []byte, v decimal128.Num) {
			binary.LittleEndian.PutUint64(b, v.LowBits())
			binary.LittleEndian.PutUint64(b[8:], uint64(v.HighBits()))
		})
	default:
		writeOther(c, buf, cur)
	}
}

// normFloat64 makes -0 and 0 equal and every NaN the same key.
func normFloat64(v float64) uint64 {
	if v == 0 {
		return 0
	}
	if v != v {
		return 0x7ff8000000000001
	}
	return math.Float64bits(v)
}

func writeFixed[T any](c arrow.Array, vals []T, cur []int32, buf []byte, put func([]byte, T)) {
	var zero T
	w := int32(binary.Size(zero))
	if w <= 0 {
		w = 16
	}
	for i := range cur {
		if c.IsValid(i) {
			put(buf[cur[i]:], vals[i])
			cur[i] += w
		}
	}
}

func writeOther(c arrow.Array, buf []byte, cur []int32) {
	switch a := c.(type) {
	case *array.Boolean:
		for i := range cur {
			if a.IsValid(i) {
				if a.Value(i) {
					buf[cur[i]] = 1
				} else {
					buf[cur[i]] = 0
				}
				cur[i]++
			}
		}
	case *array.String:
		for i := range cur {
			if a.IsValid(i) {
				cur[i] += putString(buf[cur[i]:], a.Value(i))
			}
		}
	case *array.Dictionary:
		dict := a.Dictionary().(*array.String)
		for i := range cur {
			if a.IsValid(i) {
				cur[i] += putString(buf[cur[i]:], dict.Value(a.GetValueIndex(i)))
			}
		}
	}
}

func putString(b []byte, s string) int32 {
	n := binary.PutUvarint(b, uint64(len(s)))
	return int32(n + copy(b[n:], s))
}

// Raw returns the rows as one buffer and n+1 offsets (row i is
// buf[offs[i]:offs[i+1]]), valid until the next Encode into k.
func (k *Keys) Raw() (buf []byte, offs []int32) { return k.buf, k.offsets }

// Hashes sets out[i] to row i's hash with seed, for every row, and returns
// out (grown as needed).
func (k *Keys) Hashes(seed uint64, out []uint64) []uint64 {
	n := k.Len()
	if cap(out) < n {
		out = make([]uint64, n)
	}
	out = out[:n]
	for i := range out {
		out[i] = xxh3.HashSeed(k.buf[k.offsets[i]:k.offsets[i+1]], seed)
	}
	return out
}
