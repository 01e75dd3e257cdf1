package operator

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// packedCol makes a column of type dt (an integer-like type or BOOL) of n
// rows over a few values at both ends of its range, NULLs (one in 6)
// keeping their values underneath, and the reference text of each row.
func packedCol(r *rand.Rand, dt arrow.DataType, n int) (arrow.Array, []string) {
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	ref := make([]string, n)
	vals := []int64{0, 1, -1, 2, 127, -128, 1<<31 - 1, -1 << 31, 1<<63 - 1, -1 << 63}
	for i := range ref {
		v := vals[r.IntN(len(vals))]
		null := r.IntN(6) == 0
		switch b := b.(type) {
		case *array.BooleanBuilder:
			b.AppendValues([]bool{v&1 != 0}, []bool{!null})
			ref[i] = fmt.Sprint(v&1 != 0)
		case *array.Int8Builder:
			b.AppendValues([]int8{int8(v)}, []bool{!null})
			ref[i] = fmt.Sprint(int8(v))
		case *array.Int16Builder:
			b.AppendValues([]int16{int16(v)}, []bool{!null})
			ref[i] = fmt.Sprint(int16(v))
		case *array.Int32Builder:
			b.AppendValues([]int32{int32(v)}, []bool{!null})
			ref[i] = fmt.Sprint(int32(v))
		case *array.Date32Builder:
			b.AppendValues([]arrow.Date32{arrow.Date32(v)}, []bool{!null})
			ref[i] = fmt.Sprint(int32(v))
		case *array.Int64Builder:
			b.AppendValues([]int64{v}, []bool{!null})
			ref[i] = fmt.Sprint(v)
		}
		if null {
			ref[i] = "NULL"
		}
	}
	return b.NewArray(), ref
}

func genPacked(dts ...arrow.DataType) keyGen {
	return func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		var cols []arrow.Array
		var refs [][]string
		for _, dt := range dts {
			c, ref := packedCol(r, dt, n)
			cols, refs = append(cols, c), append(refs, ref)
		}
		return cols, joinRefs(refs...)
	}
}

var packedKeyCases = []struct {
	name string
	kind keyKind
	gen  keyGen
}{
	{"SMALLINT, BOOLEAN, INT", kindPacked, genPacked(arrow.PrimitiveTypes.Int16, arrow.FixedWidthTypes.Boolean, arrow.PrimitiveTypes.Int32)},
	{"INT, DATE, SMALLINT", kindPacked, genPacked(arrow.PrimitiveTypes.Int32, arrow.FixedWidthTypes.Date32, arrow.PrimitiveTypes.Int16)},
	{"INT, INT, DATE: too wide", kindBytes, genPacked(arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int32, arrow.FixedWidthTypes.Date32)},
	{"INT, BIGINT, TINYINT, BOOLEAN", kindPacked, genPacked(arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int8, arrow.FixedWidthTypes.Boolean)},
	{"BOOLEAN", kindPacked, genPacked(arrow.FixedWidthTypes.Boolean)},
	{"BIGINT, BIGINT, INT: too wide", kindBytes, genPacked(arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int32)},
}

func TestPackLayout(t *testing.T) {
	for _, tc := range []struct {
		dts  []arrow.DataType
		want []packSlot
	}{
		{[]arrow.DataType{arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int32}, []packSlot{{0, 0, 32}, {1, 0, 32}}},
		{[]arrow.DataType{arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int8}, []packSlot{{0, 0, 16}, {1, 0, 64}, {0, 17, 8}}},
		{[]arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64, arrow.FixedWidthTypes.Boolean}, nil},
		{[]arrow.DataType{arrow.PrimitiveTypes.Int32, arrow.BinaryTypes.String}, nil},
	} {
		var cols []arrow.Array
		for _, dt := range tc.dts {
			c := array.MakeArrayOfNull(mem, dt, 1)
			defer c.Release()
			cols = append(cols, c)
		}
		got, ok := packLayout(cols)
		if ok != (tc.want != nil) || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%v: layout %v (%v), want %v", tc.dts, got, ok, tc.want)
		}
	}
}
