package operator

import (
	"fmt"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// sumInt sums int32/int64 into int64, failing on overflow like DuckDB.
type sumInt struct {
	sums []int64
	seen []bool
}

func (s *sumInt) grow(n int) { s.sums, s.seen = growSlice(s.sums, n), growBools(s.seen, n) }

func (s *sumInt) update(gids []int32, arg arrow.Array) error {
	switch a := arg.(type) {
	case *array.Int64:
		return s.add(gids, a.Int64Values(), a)
	case *array.Int32:
		vals := a.Int32Values()
		wide := make([]int64, len(vals))
		for i, v := range vals {
			wide[i] = int64(v)
		}
		return s.add(gids, wide, a)
	}
	return fmt.Errorf("sum: unexpected input %s", arg.DataType())
}

func (s *sumInt) add(gids []int32, vals []int64, a arrow.Array) error {
	hasNulls := a.NullN() > 0
	for i, g := range gids {
		if hasNulls && a.IsNull(i) {
			continue
		}
		r := s.sums[g] + vals[i]
		if (r > s.sums[g]) != (vals[i] > 0) && vals[i] != 0 {
			return fmt.Errorf("integer overflow in sum")
		}
		s.sums[g] = r
		s.seen[g] = true
	}
	return nil
}

func (s *sumInt) merge(gids []int32, states []arrow.Array) error {
	return s.update(gids, states[0])
}

func (s *sumInt) partial() []arrow.Array {
	return []arrow.Array{buildFixed(arrow.PrimitiveTypes.Int64, s.sums, s.seen)}
}

func (s *sumInt) final() (arrow.Array, error) { return s.partial()[0], nil }

// sumFloat sums float32/float64 into float64.
type sumFloat struct {
	sums    []float64
	seen    []bool
	scratch []float64 // converted inputs, reused across batches
}

func (s *sumFloat) grow(n int) { s.sums, s.seen = growSlice(s.sums, n), growBools(s.seen, n) }

func (s *sumFloat) update(gids []int32, arg arrow.Array) error {
	vals, err := float64ValuesInto(arg, &s.scratch)
	if err != nil {
		return err
	}
	hasNulls := arg.NullN() > 0
	for i, g := range gids {
		if hasNulls && arg.IsNull(i) {
			continue
		}
		s.sums[g] += vals[i]
		s.seen[g] = true
	}
	return nil
}

func (s *sumFloat) merge(gids []int32, states []arrow.Array) error {
	return s.update(gids, states[0])
}

func (s *sumFloat) partial() []arrow.Array {
	return []arrow.Array{buildFixed(arrow.PrimitiveTypes.Float64, s.sums, s.seen)}
}

func (s *sumFloat) final() (arrow.Array, error) { return s.partial()[0], nil }

// sumDecimal sums decimal128 values of one scale exactly.
type sumDecimal struct {
	dt   arrow.DataType
	sums []decimal128.Num
	seen []bool
}

func (s *sumDecimal) grow(n int) { s.sums, s.seen = growSlice(s.sums, n), growBools(s.seen, n) }

func (s *sumDecimal) update(gids []int32, arg arrow.Array) error {
	a, ok := arg.(*array.Decimal128)
	if !ok {
		return fmt.Errorf("sum: unexpected input %s", arg.DataType())
	}
	vals := a.Values()
	hasNulls := a.NullN() > 0
	for i, g := range gids {
		if hasNulls && a.IsNull(i) {
			continue
		}
		sum := addDecimal(s.sums[g], vals[i])
		if !narrowSum(s.sums[g], vals[i]) && decimalOverflow(s.sums[g], vals[i], sum) {
			return errDecimalOverflow
		}
		s.sums[g] = sum
		s.seen[g] = true
	}
	return nil
}

var errDecimalOverflow = fmt.Errorf("decimal overflow in sum (more than %d digits)", types.MaxDecimalPrecision)

// decimalOverflow reports a sum that wrapped around 128 bits (operands of
// one sign, result of the other) or no longer fits 38 digits. Operands
// below 2^124 in magnitude (high words in [-2^60, 2^60)) are decided
// without the digit count: their sum stays below 2^125 < 10^38.
func decimalOverflow(a, b, sum decimal128.Num) bool {
	if narrowSum(a, b) {
		return false
	}
	if a.Sign() == b.Sign() && a.Sign() != 0 && sum.Sign() != a.Sign() {
		return true
	}
	return !sum.FitsInPrecision(types.MaxDecimalPrecision)
}

// narrowSum reports both high words in [-2^60, 2^60), where a sum cannot
// overflow: one unsigned compare, inlined into the sum loops so that they
// call decimalOverflow only for wide values.
func narrowSum(a, b decimal128.Num) bool {
	return uint64(a.HighBits()+1<<60)|uint64(b.HighBits()+1<<60) < 1<<61
}

// addDecimal adds two 128-bit values without allocating.
func addDecimal(a, b decimal128.Num) decimal128.Num {
	lo, carry := bits.Add64(a.LowBits(), b.LowBits(), 0)
	hi := a.HighBits() + b.HighBits() + int64(carry)
	return decimal128.New(hi, lo)
}

func (s *sumDecimal) merge(gids []int32, states []arrow.Array) error {
	return s.update(gids, states[0])
}

func (s *sumDecimal) partial() []arrow.Array {
	return []arrow.Array{buildFixed(s.dt, s.sums, s.seen)}
}

func (s *sumDecimal) final() (arrow.Array, error) { return s.partial()[0], nil }

// float64Values converts a numeric array to float64s (NULL slots are 0).
func float64Values(arg arrow.Array) ([]float64, error) {
	switch a := arg.(type) {
	case *array.Float64:
		return a.Float64Values(), nil
	case *array.Float32:
		return convert(a.Float32Values(), func(v float32) float64 { return float64(v) }), nil
	case *array.Int64:
		return convert(a.Int64Values(), func(v int64) float64 { return float64(v) }), nil
	case *array.Int32:
		return convert(a.Int32Values(), func(v int32) float64 { return float64(v) }), nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return convert(a.Values(), func(v decimal128.Num) float64 { return v.ToFloat64(scale) }), nil
	}
	return nil, fmt.Errorf("unexpected numeric input %s", arg.DataType())
}

// float64ValuesInto is float64Values converting into *scratch (grown as
// needed, kept by the caller across batches) instead of a new slice.
func float64ValuesInto(arg arrow.Array, scratch *[]float64) ([]float64, error) {
	switch a := arg.(type) {
	case *array.Float64:
		return a.Float64Values(), nil
	case *array.Float32:
		return convertInto(a.Float32Values(), scratch, func(v float32) float64 { return float64(v) }), nil
	case *array.Int64:
		return convertInto(a.Int64Values(), scratch, func(v int64) float64 { return float64(v) }), nil
	case *array.Int32:
		return convertInto(a.Int32Values(), scratch, func(v int32) float64 { return float64(v) }), nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return convertInto(a.Values(), scratch, func(v decimal128.Num) float64 { return v.ToFloat64(scale) }), nil
	}
	return nil, fmt.Errorf("unexpected numeric input %s", arg.DataType())
}

func convertInto[S any](in []S, scratch *[]float64, f func(S) float64) []float64 {
	if cap(*scratch) < len(in) {
		*scratch = make([]float64, len(in))
	}
	out := (*scratch)[:len(in)]
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func convert[S, D any](in []S, f func(S) D) []D {
	out := make([]D, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func int64Values(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() }
