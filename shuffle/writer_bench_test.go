package shuffle

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BenchmarkWriterEncode writes 6 M int64 rows in 8 partitions (the
// shape of a join's map side): the buffer's growth used to copy each
// partition's bytes again every time it doubled.
func BenchmarkWriterEncode(b *testing.B) {
	sch := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	bl := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 16384 {
		bl.Field(0).(*array.Int64Builder).Append(int64(i))
		bl.Field(1).(*array.Int64Builder).Append(r.Int64())
	}
	rec := bl.NewRecordBatch()
	bl.Release()
	defer rec.Release()
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(sch, 8)
		for i := range 6_000_000 / 16384 {
			if err := w.Write(i%8, rec); err != nil {
				b.Fatal(err)
			}
		}
		w.Close()
	}
}
