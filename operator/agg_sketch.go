package operator

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator/sketch"
	"github.com/drover-etl/drover/types"
)

// hllAcc is approx_count_distinct: one HyperLogLog per group, created on
// first use, shipped between phases as its string form.
type hllAcc struct{ sketches []*sketch.HLL }

var _ accumulator = (*hllAcc)(nil)

func (h *hllAcc) grow(n int) { h.sketches = growSlice(h.sketches, n) }

func (h *hllAcc) at(g int32) *sketch.HLL {
	if h.sketches[g] == nil {
		h.sketches[g] = sketch.NewHLL()
	}
	return h.sketches[g]
}

func (h *hllAcc) update(gids []int32, arg arrow.Array) error {
	hash, err := valueHasher(arg)
	if err != nil {
		return err
	}
	for i, g := range gids {
		if arg.IsValid(i) {
			h.at(g).Add(hash(i))
		}
	}
	return nil
}

func (h *hllAcc) merge(gids []int32, states []arrow.Array) error {
	for i, g := range gids {
		if states[0].IsNull(i) {
			continue
		}
		o, err := sketch.ParseHLL(stringAt(states[0], i))
		if err != nil {
			return err
		}
		h.at(g).Merge(o)
	}
	return nil
}

func (h *hllAcc) partial() []arrow.Array {
	out := make([]string, len(h.sketches))
	valid := make([]bool, len(h.sketches))
	for g, s := range h.sketches {
		if s != nil {
			out[g], valid[g] = s.String(), true
		}
	}
	return []arrow.Array{buildFixed(arrow.BinaryTypes.String, out, valid)}
}

func (h *hllAcc) final() (arrow.Array, error) {
	out := make([]int64, len(h.sketches))
	for g, s := range h.sketches {
		if s != nil {
			out[g] = s.Count()
		}
	}
	return buildFixed(arrow.PrimitiveTypes.Int64, out, nil), nil
}

// valueHasher hashes row i of a column by value: equal values hash
// equally in every process (xxHash64 of a canonical byte form; -0 and 0,
// and all NaNs, are one value).
func valueHasher(a arrow.Array) (func(i int) uint64, error) {
	var buf [16]byte
	u64 := func(v uint64) uint64 {
		binary.LittleEndian.PutUint64(buf[:], v)
		return eval.XXHash64(buf[:8], 0)
	}
	f64 := func(f float64) uint64 {
		switch {
		case f == 0:
			f = 0
		case math.IsNaN(f):
			f = math.NaN()
		}
		return u64(math.Float64bits(f))
	}
	switch c := a.(type) {
	case *array.String, *array.Dictionary:
		return func(i int) uint64 { return eval.XXHash64([]byte(stringAt(a, i)), 0) }, nil
	case *array.Int32:
		return func(i int) uint64 { return u64(uint64(c.Value(i))) }, nil
	case *array.Int64:
		return func(i int) uint64 { return u64(uint64(c.Value(i))) }, nil
	case *array.Date32:
		return func(i int) uint64 { return u64(uint64(c.Value(i))) }, nil
	case *array.Timestamp:
		return func(i int) uint64 { return u64(uint64(c.Value(i))) }, nil
	case *array.Float32:
		return func(i int) uint64 { return f64(float64(c.Value(i))) }, nil
	case *array.Float64:
		return func(i int) uint64 { return f64(c.Value(i)) }, nil
	case *array.Boolean:
		return func(i int) uint64 { return u64(uint64(b2i(c.Value(i)))) }, nil
	case *array.Decimal128:
		return func(i int) uint64 {
			v := c.Value(i)
			binary.LittleEndian.PutUint64(buf[:], v.LowBits())
			binary.LittleEndian.PutUint64(buf[8:], uint64(v.HighBits()))
			return eval.XXHash64(buf[:], 0)
		}, nil
	}
	return nil, fmt.Errorf("approx_count_distinct: unsupported input %s", a.DataType())
}

// tdigestAcc is approx_quantile: one t-digest per group, shipped between
// phases as its string form. The result has the argument's type:
// integers and decimals round to the nearest representable value.
type tdigestAcc struct {
	q        float64
	t        types.Type
	sketches []*sketch.TDigest
}

var _ accumulator = (*tdigestAcc)(nil)

func (a *tdigestAcc) grow(n int) { a.sketches = growSlice(a.sketches, n) }

func (a *tdigestAcc) at(g int32) *sketch.TDigest {
	if a.sketches[g] == nil {
		a.sketches[g] = sketch.NewTDigest()
	}
	return a.sketches[g]
}

func (a *tdigestAcc) update(gids []int32, arg arrow.Array) error {
	vals, err := float64Values(arg)
	if err != nil {
		return err
	}
	for i, g := range gids {
		if arg.IsValid(i) {
			a.at(g).Add(vals[i])
		}
	}
	return nil
}

func (a *tdigestAcc) merge(gids []int32, states []arrow.Array) error {
	for i, g := range gids {
		if states[0].IsNull(i) {
			continue
		}
		o, err := sketch.ParseTDigest(stringAt(states[0], i))
		if err != nil {
			return err
		}
		a.at(g).Merge(o)
	}
	return nil
}

func (a *tdigestAcc) partial() []arrow.Array {
	out := make([]string, len(a.sketches))
	valid := make([]bool, len(a.sketches))
	for g, s := range a.sketches {
		if s != nil && s.Count() > 0 {
			out[g], valid[g] = s.String(), true
		}
	}
	return []arrow.Array{buildFixed(arrow.BinaryTypes.String, out, valid)}
}

func (a *tdigestAcc) final() (arrow.Array, error) {
	bld := array.NewBuilder(mem, a.t.Arrow())
	defer bld.Release()
	for _, s := range a.sketches {
		var v float64
		ok := s != nil
		if ok {
			v, ok = s.Quantile(a.q)
		}
		if !ok {
			bld.AppendNull()
			continue
		}
		if err := appendRounded(bld, a.t, v); err != nil {
			return nil, err
		}
	}
	return bld.NewArray(), nil
}

// appendRounded stores an estimate in the argument's type.
func appendRounded(bld array.Builder, t types.Type, v float64) error {
	switch b := bld.(type) {
	case *array.Float64Builder:
		b.Append(v)
	case *array.Int32Builder:
		b.Append(int32(math.RoundToEven(v)))
	case *array.Int64Builder:
		b.Append(int64(math.RoundToEven(v)))
	case *array.Decimal128Builder:
		n, err := decimal128.FromFloat64(v, t.Precision, t.Scale)
		if err != nil {
			return fmt.Errorf("approx_quantile: %v does not fit %s: %w", v, t, err)
		}
		b.Append(n)
	default:
		return fmt.Errorf("approx_quantile: unsupported result type %s", t)
	}
	return nil
}
