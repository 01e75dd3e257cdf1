package operator

import (
	"context"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/drover-etl/drover/batch"

	"github.com/drover-etl/drover/expr/eval"
)

var mem = memory.DefaultAllocator

// buildFixed makes an array of dt from typed values and validity (nil: all
// valid). T must match dt's physical type.
func buildFixed[T any](dt arrow.DataType, vals []T, valid []bool) arrow.Array {
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	switch b := b.(type) {
	case *array.Int32Builder:
		b.AppendValues(any(vals).([]int32), valid)
	case *array.Int64Builder:
		b.AppendValues(any(vals).([]int64), valid)
	case *array.Float32Builder:
		b.AppendValues(any(vals).([]float32), valid)
	case *array.Float64Builder:
		b.AppendValues(any(vals).([]float64), valid)
	case *array.Date32Builder:
		b.AppendValues(asDate32(any(vals).([]int32)), valid)
	case *array.TimestampBuilder:
		b.AppendValues(asTimestamp(any(vals).([]int64)), valid)
	case *array.Decimal128Builder:
		b.AppendValues(any(vals).([]decimal128.Num), valid)
	case *array.BooleanBuilder:
		b.AppendValues(any(vals).([]bool), valid)
	case *array.StringBuilder:
		b.AppendValues(any(vals).([]string), valid)
	default:
		panic("operator: buildFixed for " + dt.String())
	}
	return b.NewArray()
}

func asDate32(v []int32) []arrow.Date32 {
	out := make([]arrow.Date32, len(v))
	for i, x := range v {
		out[i] = arrow.Date32(x)
	}
	return out
}

func asTimestamp(v []int64) []arrow.Timestamp {
	out := make([]arrow.Timestamp, len(v))
	for i, x := range v {
		out[i] = arrow.Timestamp(x)
	}
	return out
}

// plain turns a dictionary array into a plain one (other arrays retained).
func plain(a arrow.Array) (arrow.Array, error) {
	d, ok := a.(*array.Dictionary)
	if !ok {
		a.Retain()
		return a, nil
	}
	if ix, ok := d.Indices().(*array.Int32); ok && ix.NullN() == 0 {
		// the engine's gather, several times faster than arrow's take
		out, err := eval.TakeColumns(context.Background(), []arrow.Array{d.Dictionary()}, ix.Int32Values())
		if err != nil {
			return nil, err
		}
		return out[0], nil
	}
	return compute.TakeArray(context.Background(), d.Dictionary(), d.Indices())
}

// takeRows gathers rows idx of every column.
func takeRows(cols []arrow.Array, idx []int32) ([]arrow.Array, error) {
	return eval.TakeColumns(context.Background(), cols, idx)
}

// isIdentity reports idx = 0, 1, …, len(idx)-1: taking those rows of a
// column of len(idx) rows gives the column itself.
func isIdentity(idx []int32) bool {
	for i, v := range idx {
		if v != int32(i) {
			return false
		}
	}
	return true
}

// normalize relabels rec with schema and unpacks dictionary columns, for
// consumers that need exactly the declared types (shuffle, sinks).
func normalize(rec arrow.RecordBatch, schema *arrow.Schema) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, rec.NumCols())
	for i := range cols {
		c, err := plain(rec.Column(i))
		if err != nil {
			releaseAll(cols[:i])
			return nil, err
		}
		cols[i] = c
	}
	out := array.NewRecordBatch(schema, cols, rec.NumRows())
	releaseAll(cols)
	return out, nil
}

// Normalize is normalize for the executor.
func Normalize(rec arrow.RecordBatch, schema *arrow.Schema) (arrow.RecordBatch, error) {
	return normalize(rec, schema)
}

// stringAt reads a string cell of a plain or dictionary array.
func stringAt(a arrow.Array, i int) string {
	switch a := a.(type) {
	case *array.String:
		return a.Value(i)
	case *array.Dictionary:
		return a.Dictionary().(*array.String).Value(a.GetValueIndex(i))
	}
	return ""
}

// TakeRecord gathers rows idx of rec into a new batch with rec's schema.
func TakeRecord(rec arrow.RecordBatch, idx []int32) (arrow.RecordBatch, error) {
	cols, err := takeRows(rec.Columns(), idx)
	if err != nil {
		return nil, err
	}
	out := array.NewRecordBatch(rec.Schema(), cols, int64(len(idx)))
	releaseAll(cols)
	return out, nil
}

// recordBytes is batch.Bytes.
func recordBytes(rec arrow.RecordBatch) int64 { return batch.Bytes(rec) }

// adopt serves batches the caller owns, handing its references to the
// reader (NewSliceReader takes references of its own).
func adopt(schema *arrow.Schema, recs []arrow.RecordBatch) batch.Reader {
	r := batch.NewSliceReader(schema, recs)
	releaseRecs(recs)
	return r
}
