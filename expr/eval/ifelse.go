package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// ifElse picks, row by row, a where mask is set and c elsewhere. It is the
// merge step of CASE, COALESCE and NULLIF. Dictionary inputs are decoded:
// the result is plain.
func ifElse(b *batch, mask []byte, a, c datum, t types.Type) (datum, error) {
	switch set := countBits(mask, b.n); {
	case set == b.n:
		return retain(a), nil
	case set == 0:
		return retain(c), nil
	}
	a, c, err := plainPair(b, a, c)
	if err != nil {
		return datum{}, err
	}
	defer a.release()
	defer c.release()
	valid, nulls := mergeValidity(b, mask, a, c)
	return datum{arr: mergeValues(b, mask, a, c, t, valid, nulls)}, nil
}

func retain(d datum) datum {
	if d.arr != nil {
		d.arr.Retain()
	}
	return d
}

// plainPair returns retained copies of a and c with dictionaries decoded.
func plainPair(b *batch, a, c datum) (datum, datum, error) {
	pa, err := plainDatum(b, a)
	if err != nil {
		return datum{}, datum{}, err
	}
	pc, err := plainDatum(b, c)
	if err != nil {
		pa.release()
		return datum{}, datum{}, err
	}
	return pa, pc, nil
}

func plainDatum(b *batch, d datum) (datum, error) {
	if d.arr == nil {
		return d, nil
	}
	arr, err := plain(b, d.arr)
	return datum{arr: arr}, err
}

// datumValid is the validity of a datum as a bitmap.
func datumValid(d datum, n int) []byte {
	if d.arr == nil {
		if d.val.Null {
			return make([]byte, bytesFor(n))
		}
		return ones(n)
	}
	return validBits(d.arr)
}

func mergeValidity(b *batch, mask []byte, a, c datum) (*memory.Buffer, int) {
	va, vc := datumValid(a, b.n), datumValid(c, b.n)
	buf := newBitmap(b.mem, b.n)
	out := buf.Bytes()
	for i := range out {
		out[i] = mask[i]&va[i] | ^mask[i]&vc[i]
	}
	return buf, b.n - countBits(out, b.n)
}

func mergeValues(b *batch, mask []byte, a, c datum, t types.Type, valid *memory.Buffer, nulls int) arrow.Array {
	switch t.ID {
	case types.Int32, types.Date:
		return mergeFixed[int32](b, mask, a, c, t, valid, nulls)
	case types.Int64, types.Timestamp:
		return mergeFixed[int64](b, mask, a, c, t, valid, nulls)
	case types.Float32:
		return mergeFixed[float32](b, mask, a, c, t, valid, nulls)
	case types.Float64:
		return mergeFixed[float64](b, mask, a, c, t, valid, nulls)
	case types.Decimal:
		return mergeFixed[decimal128.Num](b, mask, a, c, t, valid, nulls)
	case types.Bool:
		return mergeBool(b, mask, a, c, valid, nulls)
	}
	if valid != nil {
		valid.Release()
	}
	if t.ID == types.String {
		return mergeString(b, mask, a, c)
	}
	return array.NewNull(b.n)
}

func mergeFixed[T fixed](b *batch, mask []byte, a, c datum, t types.Type, valid *memory.Buffer, nulls int) arrow.Array {
	x, sx := operand[T](a)
	y, sy := operand[T](c)
	buf, out := allocFixed[T](b.mem, b.n)
	for i := range out {
		if bitSet(mask, i) {
			out[i] = x[i*sx]
		} else {
			out[i] = y[i*sy]
		}
	}
	return fixedArray(t, b.n, buf, valid, nulls)
}

func mergeBool(b *batch, mask []byte, a, c datum, valid *memory.Buffer, nulls int) arrow.Array {
	da, _ := boolBits(a, b.n)
	dc, _ := boolBits(c, b.n)
	data := newBitmap(b.mem, b.n)
	out := data.Bytes()
	for i := range out {
		out[i] = mask[i]&da[i] | ^mask[i]&dc[i]
	}
	return boolArray(b.n, data, valid, nulls)
}

func mergeString(b *batch, mask []byte, a, c datum) arrow.Array {
	sa, sc := newStrArg(a), newStrArg(c)
	bld := array.NewStringBuilder(b.mem)
	defer bld.Release()
	bld.Reserve(b.n)
	for i := range b.n {
		src := sc
		if bitSet(mask, i) {
			src = sa
		}
		if src.isNull(i) {
			bld.AppendNull()
		} else {
			bld.Append(src.at(i))
		}
	}
	return bld.NewArray()
}
