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

// multiUpdater is an accumulator over several argument columns (corr,
// covar_*: Arg then the columns of Extra). Its update fails; the hash
// aggregation calls updateN instead.
type multiUpdater interface {
	accumulator
	updateN(gids []int32, args []arrow.Array) error
}

func errTwoArgs(f expr.AggFunc) error {
	return fmt.Errorf("%s takes two argument columns", f)
}

func newAccumulator(a logical.AggExpr, mode physical.AggMode) (accumulator, error) {
	acc, err := baseAccumulator(a)
	if err != nil {
		return nil, err
	}
	if expr.AggHolistic(a.Func) && mode != physical.AggComplete {
		return nil, fmt.Errorf("%s: holistic aggregates run in complete mode only", a)
	}
	if cols, _ := expr.AggArity(a.Func); a.Distinct && cols > 1 {
		return nil, fmt.Errorf("not supported: DISTINCT in %s", a)
	}
	if a.Distinct {
		if mode != physical.AggComplete {
			return nil, fmt.Errorf("%s: DISTINCT aggregates run in complete mode only", a)
		}
		return &distinctAcc{inner: acc}, nil
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
		if t, ok := physical.AvgDecimalSum(a); ok {
			return &avgDecimal{dt: t.Arrow(), scale: t.Scale}, nil
		}
		return &avgAcc{}, nil
	case expr.AggSum:
		return newSum(a.Type)
	case expr.AggMin, expr.AggMax:
		return newMinMax(a.Type, a.Func == expr.AggMax)
	case expr.AggStddevSamp, expr.AggStddevPop, expr.AggVarSamp, expr.AggVarPop:
		return &momentsAcc{f: a.Func}, nil
	case expr.AggCorr, expr.AggCovarSamp, expr.AggCovarPop:
		return &comomentAcc{f: a.Func}, nil
	case expr.AggCountIf:
		return &countIfAcc{}, nil
	case expr.AggBoolAnd, expr.AggBoolOr:
		return &boolAcc{and: a.Func == expr.AggBoolAnd}, nil
	case expr.AggAnyValue, expr.AggFirst, expr.AggLast, expr.AggSingleValue:
		return newValueAcc(a.Func, a.Type)
	case expr.AggMedian, expr.AggQuantileCont, expr.AggQuantileDisc:
		return newQuantile(a)
	case expr.AggApproxCountDistinct:
		return &hllAcc{}, nil
	case expr.AggArgMax, expr.AggArgMin:
		if len(a.Extra) != 1 {
			return nil, fmt.Errorf("%s needs an ordering column", a.Func)
		}
		return newArgBest(a.Type, a.Extra[0].Type, a.Func == expr.AggArgMax)
	case expr.AggStringAgg:
		if len(a.Extra) != 1 || !a.Extra[0].IsLiteral() {
			return nil, fmt.Errorf("%s: the separator must be a literal", a.Func)
		}
		return &stringAggAcc{sep: a.Extra[0].Value.S}, nil
	case expr.AggApproxQuantile:
		if len(a.Extra) != 1 || !a.Extra[0].IsLiteral() {
			return nil, fmt.Errorf("%s: the fraction must be a literal", a.Func)
		}
		return &tdigestAcc{q: a.Extra[0].Value.F, t: a.Type}, nil
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
func growBools(b []bool, n int) []bool { return growSlice(b, n) }

// growSlice extends s to n zeroed elements, doubling its capacity when it
// must move. append alone grows a large slice by a quarter, so a table of
// a million groups moved and zeroed its state about five times over.
func growSlice[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if n <= cap(s) {
		old := len(s)
		s = s[:n]
		clear(s[old:])
		return s
	}
	grown := make([]T, n, max(n, 2*cap(s)))
	copy(grown, s)
	return grown
}
