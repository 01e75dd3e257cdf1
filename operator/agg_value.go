package operator

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// ErrSubqueryRows is single_value's failure: the scalar subquery it
// guards produced more than one row.
var ErrSubqueryRows = errors.New("scalar subquery returned more than one row")

// valueAcc keeps one value per group for any_value (the first non-NULL
// value), first and last (the first or last row to arrive, NULL
// included) and single_value (the only row, with a row count). Order of
// arrival: rows of a batch in order, batches as the input delivers them,
// partial states in the order the exchange delivers them; it is not
// defined across tasks.
type valueAcc[T any] struct {
	f      expr.AggFunc
	dt     arrow.DataType
	vals   []T
	valid  []bool
	seen   []bool  // first, last: a row arrived
	counts []int64 // single_value: rows so far
	values func(arrow.Array) ([]T, bool)
	stringKeeper[T]
}

var _ accumulator = (*valueAcc[int32])(nil)

func newValueAcc(f expr.AggFunc, t types.Type) (accumulator, error) {
	dt := t.Arrow()
	switch t.ID {
	case types.Int32, types.Date:
		return &valueAcc[int32]{f: f, dt: dt, values: int32Of}, nil
	case types.Int64, types.Timestamp:
		return &valueAcc[int64]{f: f, dt: dt, values: int64Of}, nil
	case types.Float32:
		return &valueAcc[float32]{f: f, dt: dt, values: float32Of}, nil
	case types.Float64:
		return &valueAcc[float64]{f: f, dt: dt, values: float64Of}, nil
	case types.Decimal:
		return &valueAcc[decimal128.Num]{f: f, dt: dt, values: decimalOf}, nil
	case types.String:
		return &valueAcc[string]{f: f, dt: dt, values: stringsOf, stringKeeper: stringKeeper[string]{on: true}}, nil
	case types.Bool:
		return &valueAcc[bool]{f: f, dt: dt, values: boolsOf}, nil
	}
	return nil, fmt.Errorf("%s: unsupported type %s", f, t)
}

func (a *valueAcc[T]) grow(n int) {
	a.vals, a.valid = growSlice(a.vals, n), growBools(a.valid, n)
	a.seen, a.counts = growBools(a.seen, n), growSlice(a.counts, n)
}

func (a *valueAcc[T]) update(gids []int32, arg arrow.Array) error {
	vals, ok := a.values(arg)
	if !ok {
		return fmt.Errorf("%s: unexpected input %s", a.f, arg.DataType())
	}
	for i, g := range gids {
		if err := a.take(g, vals[i], arg.IsValid(i), 1); err != nil {
			return err
		}
	}
	return nil
}

// take offers one row (or, merging, a partial state standing for rows
// rows) to group g.
func (a *valueAcc[T]) take(g int32, v T, valid bool, rows int64) error {
	switch a.f {
	case expr.AggAnyValue:
		if valid && !a.valid[g] {
			a.vals[g], a.valid[g] = a.keep(a.vals[g], v), true
		}
	case expr.AggFirst:
		if !a.seen[g] {
			a.vals[g], a.valid[g], a.seen[g] = a.keep(a.vals[g], v), valid, true
		}
	case expr.AggLast:
		a.vals[g], a.valid[g], a.seen[g] = a.keep(a.vals[g], v), valid, true
	case expr.AggSingleValue:
		a.counts[g] += rows
		if a.counts[g] > 1 {
			return ErrSubqueryRows
		}
		a.vals[g], a.valid[g] = a.keep(a.vals[g], v), valid
	}
	return nil
}

func (a *valueAcc[T]) merge(gids []int32, states []arrow.Array) error {
	vals, ok := a.values(states[0])
	if !ok {
		return fmt.Errorf("%s: unexpected state %s", a.f, states[0].DataType())
	}
	for i, g := range gids {
		rows := int64(1)
		switch a.f {
		case expr.AggFirst, expr.AggLast:
			if !states[1].(*array.Boolean).Value(i) {
				continue
			}
		case expr.AggSingleValue:
			if rows = int64Values(states[1])[i]; rows == 0 {
				continue
			}
		}
		if err := a.take(g, vals[i], states[0].IsValid(i), rows); err != nil {
			return err
		}
	}
	return nil
}

func (a *valueAcc[T]) partial() []arrow.Array {
	out := []arrow.Array{buildFixed(a.dt, a.vals, a.valid)}
	switch a.f {
	case expr.AggFirst, expr.AggLast:
		out = append(out, buildFixed(arrow.FixedWidthTypes.Boolean, a.seen, nil))
	case expr.AggSingleValue:
		out = append(out, buildFixed(arrow.PrimitiveTypes.Int64, a.counts, nil))
	}
	return out
}

func (a *valueAcc[T]) final() (arrow.Array, error) { return buildFixed(a.dt, a.vals, a.valid), nil }
