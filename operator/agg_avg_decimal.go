package operator

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// avgDecimal is avg over a decimal of at most 18 digits
// (physical.AvgDecimalSum): an exact 128-bit sum of the unscaled values
// and a count, divided once at the end, as DuckDB does. Converting every
// value to float64 and summing the floats cost a third of TPC-H Q1's
// aggregation and rounded at each row.
type avgDecimal struct {
	dt     arrow.DataType // the sum's state type, decimal(38, scale)
	scale  int32
	sums   []decimal128.Num
	counts []int64
}

func (a *avgDecimal) grow(n int) { a.sums, a.counts = growSlice(a.sums, n), growSlice(a.counts, n) }

func (a *avgDecimal) update(gids []int32, arg arrow.Array) error {
	d, ok := arg.(*array.Decimal128)
	if !ok {
		return fmt.Errorf("avg: unexpected input %s", arg.DataType())
	}
	vals := d.Values()
	hasNulls := d.NullN() > 0
	sums, counts := a.sums, a.counts
	for i, g := range gids {
		if hasNulls && d.IsNull(i) {
			continue
		}
		v, old := vals[i], sums[g]
		sum := addDecimal(old, v)
		if !narrowSum(old, v) && decimalOverflow(old, v, sum) {
			return errAvgOverflow
		}
		sums[g] = sum
		counts[g]++
	}
	return nil
}

func (a *avgDecimal) updateSel(gids []int32, arg arrow.Array, sel []int32) error {
	d, ok := arg.(*array.Decimal128)
	if !ok {
		return fmt.Errorf("avg: unexpected input %s", arg.DataType())
	}
	vals := d.Values()
	hasNulls := d.NullN() > 0
	sums, counts := a.sums, a.counts
	for j, g := range gids {
		i := int(sel[j])
		if hasNulls && d.IsNull(i) {
			continue
		}
		v, old := vals[i], sums[g]
		sum := addDecimal(old, v)
		if !narrowSum(old, v) && decimalOverflow(old, v, sum) {
			return errAvgOverflow
		}
		sums[g] = sum
		counts[g]++
	}
	return nil
}

// The inputs fit 64 bits, so narrowSum decides but for sums of about
// 10^20 rows.
var errAvgOverflow = fmt.Errorf("decimal overflow in avg's sum (more than 38 digits)")

func (a *avgDecimal) merge(gids []int32, states []arrow.Array) error {
	sums, ok := states[0].(*array.Decimal128)
	if !ok {
		return fmt.Errorf("avg: unexpected state %s", states[0].DataType())
	}
	vals, counts := sums.Values(), int64Values(states[1])
	for i, g := range gids {
		if counts[i] == 0 || sums.IsNull(i) {
			continue
		}
		sum := addDecimal(a.sums[g], vals[i])
		if !narrowSum(a.sums[g], vals[i]) && decimalOverflow(a.sums[g], vals[i], sum) {
			return errAvgOverflow
		}
		a.sums[g] = sum
		a.counts[g] += counts[i]
	}
	return nil
}

func (a *avgDecimal) partial() []arrow.Array {
	valid := make([]bool, len(a.counts))
	for g, c := range a.counts {
		valid[g] = c > 0
	}
	return []arrow.Array{
		buildFixed(a.dt, a.sums, valid),
		buildFixed(arrow.PrimitiveTypes.Int64, a.counts, nil),
	}
}

// final divides the unscaled sum by count × 10^scale in one step, so the
// only roundings are the sum's conversion (exact below 2^53) and the
// division.
func (a *avgDecimal) final() (arrow.Array, error) {
	out := make([]float64, len(a.sums))
	valid := make([]bool, len(a.sums))
	pow := math.Pow10(int(a.scale))
	for g, c := range a.counts {
		if c > 0 {
			out[g] = a.sums[g].ToFloat64(0) / (pow * float64(c))
			valid[g] = true
		}
	}
	return buildFixed(arrow.PrimitiveTypes.Float64, out, valid), nil
}
