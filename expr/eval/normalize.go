package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"

	"github.com/drover-etl/drover/types"
)

// dictStringType is the one dictionary layout kernels accept as is.
var dictStringType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// normalize returns arr retained when it already has the layout kernels
// expect for t, else a converted copy: narrow integers widened, timestamps
// in µs, decimal128, utf8 (or dictionary<int32, utf8>) strings. Readers
// mostly deliver canonical layouts, so this is a type check per batch.
func normalize(b *batch, arr arrow.Array, t types.Type) (arrow.Array, error) {
	got, err := types.FromArrow(arr.DataType())
	if err != nil || got != t {
		return nil, invalidf("column of Arrow type %s does not hold bound type %s", arr.DataType(), t)
	}
	if canonical(arr.DataType(), t) {
		arr.Retain()
		return arr, nil
	}
	if d, ok := arr.(*array.Dictionary); ok {
		plain, err := decodeDict(b, d)
		if err != nil {
			return nil, err
		}
		defer plain.Release()
		return normalize(b, plain, t)
	}
	if ts, ok := arr.(*array.Timestamp); ok {
		return timestampToMicros(b, ts), nil
	}
	out, err := compute.CastArray(b.cctx, arr, compute.UnsafeCastOptions(t.Arrow()))
	if err != nil {
		return nil, invalidf("converting %s column to %s: %v", arr.DataType(), t, err)
	}
	return out, nil
}

func canonical(dt arrow.DataType, t types.Type) bool {
	switch t.ID {
	case types.String:
		return dt.ID() == arrow.STRING || isDictString(dt)
	case types.Timestamp:
		ts, ok := dt.(*arrow.TimestampType)
		return ok && ts.Unit == arrow.Microsecond
	}
	return dt.ID() == t.Arrow().ID()
}

func isDictString(dt arrow.DataType) bool {
	d, ok := dt.(*arrow.DictionaryType)
	return ok && d.IndexType.ID() == arrow.INT32 && d.ValueType.ID() == arrow.STRING
}

// decodeDict materializes a dictionary array as its value type.
func decodeDict(b *batch, d *array.Dictionary) (arrow.Array, error) {
	if d.Indices().DataType().ID() == arrow.INT32 {
		idx, valid := indexArgs(d.Indices())
		return gather(b, d.Dictionary(), idx, valid)
	}
	out, err := compute.TakeArray(b.cctx, d.Dictionary(), d.Indices())
	if err != nil {
		return nil, invalidf("decoding dictionary: %v", err)
	}
	return out, nil
}

// plain returns arr retained, or decoded when it is a dictionary.
func plain(b *batch, arr arrow.Array) (arrow.Array, error) {
	if d, ok := arr.(*array.Dictionary); ok {
		return decodeDict(b, d)
	}
	arr.Retain()
	return arr, nil
}

// timestampToMicros converts s, ms or ns timestamps to µs, flooring (arrow's
// cast truncates toward zero, which would move pre-epoch instants forward).
func timestampToMicros(b *batch, ts *array.Timestamp) arrow.Array {
	unit := ts.DataType().(*arrow.TimestampType).Unit
	buf, out := allocFixed[int64](b.mem, ts.Len())
	for i, v := range values[int64](ts) {
		out[i] = timestampMicros(v, unit)
	}
	valid, nulls := validAnd(b.mem, ts.Len(), ts)
	return fixedArray(types.TimestampType, ts.Len(), buf, valid, nulls)
}
