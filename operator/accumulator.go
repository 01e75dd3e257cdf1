package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// accumulator keeps one aggregate's state for every group. Calls are per
// batch; the loops inside are typed, so there is no per-row dispatch.
type accumulator interface {
	// grow makes room for n groups.
	grow(n int)
	// update folds raw argument values (nil for count(*)) into groups.
	update(gids []int32, arg arrow.Array) error
	// merge folds partial states (physical.StateTypes order) into groups.
	merge(gids []int32, states []arrow.Array) error
	// partial returns the state columns.
	partial() []arrow.Array
	// final returns the result column.
	final() (arrow.Array, error)
}

func newAccumulator(a logical.AggExpr, mode physical.AggMode) (accumulator, error) {
	acc, err := baseAccumulator(a)
	if err != nil {
		return nil, err
	}
	if a.Distinct {
		if mode != physical.AggComplete {
			return nil, fmt.Errorf("%s: DISTINCT aggregates run in complete mode only", a)
		}
		return &distinctAcc{inner: acc, seen: map[string]struct{}{}}, nil
	}
	return acc, nil
}

func baseAccumulator(a logical.AggExpr) (accumulator, error) {
	switch a.Func {
	case expr.AggCountStar:
		return &countAcc{star: true}, nil
	case expr.AggCount:
		return &countAcc{}, nil
	case expr.AggAvg:
		return &avgAcc{}, nil
	case expr.AggSum:
		return newSum(a.Type)
	case expr.AggMin, expr.AggMax:
		return newMinMax(a.Type, a.Func == expr.AggMax)
	}
	return nil, fmt.Errorf("unsupported aggregate %s", a.Func)
}

func newSum(t types.Type) (accumulator, error) {
	switch t.ID {
	case types.Int64:
		return &sumInt{}, nil
	case types.Float64:
		return &sumFloat{}, nil
	case types.Decimal:
		return &sumDecimal{dt: t.Arrow()}, nil
	}
	return nil, fmt.Errorf("sum: unsupported result type %s", t)
}

// growBools extends a validity slice to n groups.
func growBools(b []bool, n int) []bool {
	if len(b) >= n {
		return b
	}
	return append(b, make([]bool, n-len(b))...)
}

func growSlice[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	return append(s, make([]T, n-len(s))...)
}
