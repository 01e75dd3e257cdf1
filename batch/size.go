package batch

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Bytes is the memory held by rec's buffers, dictionaries included (memory
// budgets use it; arrow/util has one too but pulls in protobuf).
func Bytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

// ArrayBytes is the memory held by a's buffers, dictionary included.
func ArrayBytes(a arrow.Array) int64 { return dataBytes(a.Data()) }

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	if dd, ok := d.Dictionary().(*array.Data); ok && dd != nil {
		n += dataBytes(dd)
	}
	return n
}
