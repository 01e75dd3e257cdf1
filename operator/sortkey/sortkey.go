package sortkey

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Marker bytes: a NULL sorts before or after every value by its marker
// alone, so NULL placement is independent of DESC.
const (
	nullFirst byte = 0x00
	present   byte = 0x01
	nullLast  byte = 0x02
)

// Rows holds n encoded rows back to back; row i is Data[Offs[i]:Offs[i+1]].
type Rows struct {
	Data []byte
	Offs []int
	// MaxLen is the longest row's length.
	MaxLen int
}

// Len is the number of rows.
func (r *Rows) Len() int { return len(r.Offs) - 1 }

// Row returns row i's bytes (aliasing Data).
func (r *Rows) Row(i int) []byte { return r.Data[r.Offs[i]:r.Offs[i+1]] }

// Compare orders row i of r against row j of s.
func (r *Rows) Compare(i int, s *Rows, j int) int { return bytes.Compare(r.Row(i), s.Row(j)) }

// Supported reports whether columns of type dt can be encoded.
func Supported(dt arrow.DataType) bool {
	switch dt := dt.(type) {
	case *arrow.TimestampType:
		// Range bounds carry microseconds; other units would not compare
		// with them.
		return dt.Unit == arrow.Microsecond
	case *arrow.DictionaryType:
		return arrow.IsInteger(dt.IndexType.ID()) && dt.ValueType.ID() == arrow.STRING
	}
	switch dt.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128, arrow.STRING, arrow.LARGE_STRING, arrow.DATE32:
		return true
	}
	return false
}

// AllSupported reports whether every column can be encoded.
func AllSupported(cols []arrow.Array) bool {
	for _, c := range cols {
		if !Supported(c.DataType()) {
			return false
		}
	}
	return true
}

// width is a fixed-width logical type's value bytes (0: variable).
func width(id types.ID) int {
	switch id {
	case types.Bool:
		return 1
	case types.Int32, types.Date, types.Float32:
		return 4
	case types.Int64, types.Timestamp, types.Float64:
		return 8
	case types.Decimal:
		return 16
	}
	return 0
}

func marker(null bool, k logical.SortKey) byte {
	switch {
	case !null:
		return present
	case k.NullsFirst:
		return nullFirst
	}
	return nullLast
}

// Encode encodes rows [0, n) of cols under keys into dst, reusing its
// buffers. Columns must be Supported.
func Encode(dst *Rows, cols []arrow.Array, keys []logical.SortKey, n int) error {
	if cap(dst.Offs) < n+1 {
		dst.Offs = make([]int, n+1)
	}
	offs := dst.Offs[:n+1]
	dst.Offs = offs
	clear(offs)
	// offs[i+1] accumulates row i's length first, then becomes the prefix sum.
	for c, col := range cols {
		if !Supported(col.DataType()) {
			return fmt.Errorf("sort key %d: cannot normalize %s", c, col.DataType())
		}
		t, err := types.FromArrow(col.DataType())
		if err != nil {
			return err
		}
		if w := width(t.ID); w > 0 {
			for i := 1; i <= n; i++ {
				offs[i] += 1 + w
			}
			continue
		}
		strLens(col, offs[1:])
	}
	maxLen := 0
	for i := 1; i <= n; i++ {
		maxLen = max(maxLen, offs[i])
		offs[i] += offs[i-1]
	}
	dst.MaxLen = maxLen
	total := offs[n]
	if cap(dst.Data) < total {
		dst.Data = make([]byte, total)
	}
	dst.Data = dst.Data[:total]
	pos := make([]int, n)
	copy(pos, offs[:n])
	for c, col := range cols {
		encodeColumn(dst.Data, pos, col, keys[c])
	}
	return nil
}

// strLens adds each row's encoded string length (marker included) to l.
func strLens(col arrow.Array, l []int) {
	for i := range l {
		if col.IsNull(i) {
			l[i]++
			continue
		}
		s := strAt(col, i)
		l[i] += 3 + len(s) + bytes.Count(s, zero)
	}
}

var zero = []byte{0}

func strAt(col arrow.Array, i int) []byte {
	switch a := col.(type) {
	case *array.String:
		return unsafeBytes(a.Value(i))
	case *array.LargeString:
		return unsafeBytes(a.Value(i))
	case *array.Dictionary:
		return strAt(a.Dictionary(), a.GetValueIndex(i))
	}
	panic("sortkey: not a string column")
}

func encodeColumn(data []byte, pos []int, col arrow.Array, k logical.SortKey) {
	inv := byte(0)
	if k.Desc {
		inv = 0xFF
	}
	nulls := col.NullN() > 0
	put := func(i int, enc func(b []byte), w int) {
		p := pos[i]
		if nulls && col.IsNull(i) {
			data[p] = marker(true, k)
			clear(data[p+1 : p+1+w])
			pos[i] = p + 1 + w
			return
		}
		data[p] = present
		b := data[p+1 : p+1+w]
		enc(b)
		if inv != 0 {
			for j := range b {
				b[j] ^= inv
			}
		}
		pos[i] = p + 1 + w
	}
	switch a := col.(type) {
	case *array.Int8:
		fixedInts(data, pos, col, k, a.Int8Values())
	case *array.Int16:
		fixedInts(data, pos, col, k, a.Int16Values())
	case *array.Int32:
		fixedInts(data, pos, col, k, a.Int32Values())
	case *array.Uint8:
		fixedInts(data, pos, col, k, a.Uint8Values())
	case *array.Uint16:
		fixedInts(data, pos, col, k, a.Uint16Values())
	case *array.Date32:
		fixedInts(data, pos, col, k, a.Date32Values())
	case *array.Int64:
		fixedInt64s(data, pos, col, k, a.Int64Values())
	case *array.Uint32:
		fixedInt64s(data, pos, col, k, a.Uint32Values())
	case *array.Timestamp:
		fixedInt64s(data, pos, col, k, a.TimestampValues())
	case *array.Float32:
		v := a.Float32Values()
		for i := range pos {
			put(i, func(b []byte) { binary.BigEndian.PutUint32(b, float32Key(v[i])) }, 4)
		}
	case *array.Float64:
		v := a.Float64Values()
		for i := range pos {
			put(i, func(b []byte) { binary.BigEndian.PutUint64(b, float64Key(v[i])) }, 8)
		}
	case *array.Decimal128:
		v := a.Values()
		for i := range pos {
			put(i, func(b []byte) { putDecimal(b, v[i]) }, 16)
		}
	case *array.Boolean:
		for i := range pos {
			put(i, func(b []byte) { b[0] = boolByte(a.Value(i)) }, 1)
		}
	default: // strings
		for i := range pos {
			p := pos[i]
			if nulls && col.IsNull(i) {
				data[p] = marker(true, k)
				pos[i] = p + 1
				continue
			}
			data[p] = present
			pos[i] = p + 1 + putString(data[p+1:], strAt(col, i), inv)
		}
	}
}

// putString writes s escaped and terminated, inverted by inv, returning
// the bytes written.
func putString(b []byte, s []byte, inv byte) int {
	w := 0
	for len(s) > 0 {
		z := bytes.IndexByte(s, 0)
		if z < 0 {
			w += copy(b[w:], s)
			break
		}
		w += copy(b[w:], s[:z])
		b[w], b[w+1] = 0, 0xFF
		w += 2
		s = s[z+1:]
	}
	b[w], b[w+1] = 0, 0
	w += 2
	if inv != 0 {
		for j := range b[:w] {
			b[j] ^= inv
		}
	}
	return w
}

func fixedInts[T int8 | int16 | int32 | uint8 | uint16 | arrow.Date32](data []byte, pos []int, col arrow.Array, k logical.SortKey, v []T) {
	flip := uint32(1 << 31)
	if k.Desc {
		flip = ^flip
	}
	nulls := col.NullN() > 0
	for i, x := range v {
		p := pos[i]
		pos[i] = p + 5
		if nulls && col.IsNull(i) {
			data[p] = marker(true, k)
			clear(data[p+1 : p+5])
			continue
		}
		data[p] = present
		binary.BigEndian.PutUint32(data[p+1:p+5], uint32(int32(x))^flip)
	}
}

func fixedInt64s[T int64 | uint32 | arrow.Timestamp](data []byte, pos []int, col arrow.Array, k logical.SortKey, v []T) {
	flip := uint64(1 << 63)
	if k.Desc {
		flip = ^flip
	}
	nulls := col.NullN() > 0
	for i, x := range v {
		p := pos[i]
		pos[i] = p + 9
		if nulls && col.IsNull(i) {
			data[p] = marker(true, k)
			clear(data[p+1 : p+9])
			continue
		}
		data[p] = present
		binary.BigEndian.PutUint64(data[p+1:p+9], uint64(int64(x))^flip)
	}
}

// float64Key maps a float to a uint64 in types.CompareFloat's order.
func float64Key(f float64) uint64 {
	switch {
	case f != f:
		return math.MaxUint64 // above +Inf's 0xFFF0…
	case f == 0:
		f = 0 // -0 == +0
	}
	u := math.Float64bits(f)
	if u>>63 != 0 {
		return ^u
	}
	return u | 1<<63
}

func float32Key(f float32) uint32 {
	switch {
	case f != f:
		return math.MaxUint32
	case f == 0:
		f = 0
	}
	u := math.Float32bits(f)
	if u>>31 != 0 {
		return ^u
	}
	return u | 1<<31
}

func putDecimal(b []byte, d decimal128.Num) {
	binary.BigEndian.PutUint64(b, uint64(d.HighBits())^1<<63)
	binary.BigEndian.PutUint64(b[8:], d.LowBits())
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// AppendValues appends the encoding of one row of key values, each of the
// logical type of its key column (as the range partitioner's bounds are),
// to dst. It fails for a value whose type does not match its column's.
func AppendValues(dst []byte, vals []types.Value, colTypes []arrow.DataType, keys []logical.SortKey) ([]byte, error) {
	for c, v := range vals {
		t, err := types.FromArrow(colTypes[c])
		if err != nil {
			return nil, err
		}
		if !Supported(colTypes[c]) || (!v.Null && v.Type.ID != t.ID) {
			return nil, fmt.Errorf("sort key %d: cannot normalize a %s value for a %s column", c, v.Type, colTypes[c])
		}
		k := keys[c]
		if v.Null {
			dst = append(dst, marker(true, k))
			dst = append(dst, make([]byte, width(t.ID))...)
			continue
		}
		dst = append(dst, present)
		start := len(dst)
		switch t.ID {
		case types.Bool:
			dst = append(dst, boolByte(v.B))
		case types.Int32, types.Date:
			dst = binary.BigEndian.AppendUint32(dst, uint32(int32(v.I))^1<<31)
		case types.Int64, types.Timestamp:
			dst = binary.BigEndian.AppendUint64(dst, uint64(v.I)^1<<63)
		case types.Float32:
			dst = binary.BigEndian.AppendUint32(dst, float32Key(float32(v.F)))
		case types.Float64:
			dst = binary.BigEndian.AppendUint64(dst, float64Key(v.F))
		case types.Decimal:
			var b [16]byte
			putDecimal(b[:], v.Decimal128())
			dst = append(dst, b[:]...)
		case types.String:
			s := []byte(v.S)
			b := make([]byte, 2+len(s)+2*bytes.Count(s, zero))
			dst = append(dst, b[:putString(b, s, 0)]...)
		default:
			return nil, fmt.Errorf("sort key %d: cannot normalize %s", c, t)
		}
		if k.Desc {
			for j := start; j < len(dst); j++ {
				dst[j] ^= 0xFF
			}
		}
	}
	return dst, nil
}
