package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// heldBytes estimates the memory rec's rows stand for. batch.Bytes counts
// whole buffers, which for a slice (a sort's output batches are slices of
// one sorted run) is the entire run; the window operator holds many such
// slices, so it counts only the sliced rows: fixed-width values, string
// bytes between the slice's offsets, one validity bit per row.
func heldBytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += arrayBytes(c)
	}
	return n
}

func arrayBytes(a arrow.Array) int64 {
	rows := int64(a.Len())
	valid := (rows + 7) / 8
	switch a := a.(type) {
	case *array.String:
		if rows == 0 {
			return 0
		}
		return valid + 4*rows + int64(a.ValueOffset(int(rows)-1)+len(a.Value(int(rows)-1))-a.ValueOffset(0))
	case *array.Dictionary:
		return arrayBytes(a.Indices()) + arrayBytes(a.Dictionary())
	}
	if fw, ok := a.DataType().(arrow.FixedWidthDataType); ok {
		return valid + (rows*int64(fw.BitWidth())+7)/8
	}
	rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "c", Type: a.DataType(), Nullable: true}}, nil), []arrow.Array{a}, rows)
	defer rec.Release()
	return recordBytes(rec)
}
