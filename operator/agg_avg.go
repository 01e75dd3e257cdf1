package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// avgAcc keeps a float64 sum and a count; the result is their quotient,
// NULL for a group with no non-NULL values.
type avgAcc struct {
	sums    []float64
	counts  []int64
	scratch []float64 // converted inputs, reused across batches
}

func (a *avgAcc) grow(n int) { a.sums, a.counts = growSlice(a.sums, n), growSlice(a.counts, n) }

func (a *avgAcc) update(gids []int32, arg arrow.Array) error {
	vals, err := float64ValuesInto(arg, &a.scratch)
	if err != nil {
		return err
	}
	hasNulls := arg.NullN() > 0
	for i, g := range gids {
		if hasNulls && arg.IsNull(i) {
			continue
		}
		a.sums[g] += vals[i]
		a.counts[g]++
	}
	return nil
}

func (a *avgAcc) merge(gids []int32, states []arrow.Array) error {
	sums, err := float64Values(states[0])
	if err != nil {
		return err
	}
	counts := int64Values(states[1])
	for i, g := range gids {
		if states[0].IsValid(i) {
			a.sums[g] += sums[i]
		}
		a.counts[g] += counts[i]
	}
	return nil
}

func (a *avgAcc) partial() []arrow.Array {
	return []arrow.Array{
		buildFixed(arrow.PrimitiveTypes.Float64, a.sums, nil),
		buildFixed(arrow.PrimitiveTypes.Int64, a.counts, nil),
	}
}

func (a *avgAcc) final() (arrow.Array, error) {
	out := make([]float64, len(a.sums))
	valid := make([]bool, len(a.sums))
	for g := range a.sums {
		if a.counts[g] > 0 {
			out[g] = a.sums[g] / float64(a.counts[g])
			valid[g] = true
		}
	}
	return buildFixed(arrow.PrimitiveTypes.Float64, out, valid), nil
}
