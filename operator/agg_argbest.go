package operator

import (
	"cmp"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/types"
)

// argBest is arg_max / arg_min: per group the best ordering value so far
// (typed, compared in a loop) and the argument value of its row, kept as
// a types.Value since it is read only when the best value changes. Rows
// with a NULL argument or ordering value are skipped; ties keep the first
// to arrive. State: the argument, then the ordering value.
type argBest[K any] struct {
	argType types.Type
	keyDT   arrow.DataType
	isMax   bool
	keys    []K
	args    []types.Value
	seen    []bool
	values  func(arrow.Array) ([]K, bool)
	cmp     func(a, b K) int
}

var _ multiUpdater = (*argBest[int64])(nil)

func newArgBest(argType, keyType types.Type, isMax bool) (accumulator, error) {
	dt := keyType.Arrow()
	switch keyType.ID {
	case types.Int32, types.Date:
		return &argBest[int32]{argType: argType, keyDT: dt, isMax: isMax, values: int32Of, cmp: cmp.Compare[int32]}, nil
	case types.Int64, types.Timestamp:
		return &argBest[int64]{argType: argType, keyDT: dt, isMax: isMax, values: int64Of, cmp: cmp.Compare[int64]}, nil
	case types.Float32:
		return &argBest[float32]{argType: argType, keyDT: dt, isMax: isMax, values: float32Of, cmp: types.CompareFloat[float32]}, nil
	case types.Float64:
		return &argBest[float64]{argType: argType, keyDT: dt, isMax: isMax, values: float64Of, cmp: types.CompareFloat[float64]}, nil
	case types.Decimal:
		return &argBest[decimal128.Num]{argType: argType, keyDT: dt, isMax: isMax, values: decimalOf, cmp: decimal128.Num.Cmp}, nil
	case types.String:
		return &argBest[string]{argType: argType, keyDT: dt, isMax: isMax, values: stringsOf, cmp: cmp.Compare[string]}, nil
	case types.Bool:
		return &argBest[bool]{argType: argType, keyDT: dt, isMax: isMax, values: boolsOf,
			cmp: func(a, b bool) int { return cmp.Compare(b2i(a), b2i(b)) }}, nil
	}
	return nil, fmt.Errorf("arg_max/arg_min: unsupported ordering type %s", keyType)
}

func (a *argBest[K]) grow(n int) {
	a.keys, a.args, a.seen = growSlice(a.keys, n), growSlice(a.args, n), growBools(a.seen, n)
}

func (a *argBest[K]) update([]int32, arrow.Array) error {
	return fmt.Errorf("arg_max/arg_min take two argument columns")
}

func (a *argBest[K]) updateN(gids []int32, args []arrow.Array) error {
	keys, ok := a.values(args[1])
	if !ok {
		return fmt.Errorf("arg_max/arg_min: unexpected ordering input %s", args[1].DataType())
	}
	for i, g := range gids {
		if args[0].IsNull(i) || args[1].IsNull(i) {
			continue
		}
		if !a.seen[g] || a.better(keys[i], a.keys[g]) {
			a.keys[g], a.args[g], a.seen[g] = keys[i], eval.ValueAt(args[0], i), true
		}
	}
	return nil
}

func (a *argBest[K]) better(k, best K) bool {
	c := a.cmp(k, best)
	return (a.isMax && c > 0) || (!a.isMax && c < 0)
}

// merge: a state is a row like any other (NULL state: an empty group).
func (a *argBest[K]) merge(gids []int32, states []arrow.Array) error {
	return a.updateN(gids, states)
}

func (a *argBest[K]) partial() []arrow.Array {
	return []arrow.Array{a.argColumn(), buildFixed(a.keyDT, a.keys, a.seen)}
}

func (a *argBest[K]) final() (arrow.Array, error) { return a.argColumn(), nil }

func (a *argBest[K]) argColumn() arrow.Array {
	vals := make([]types.Value, len(a.args))
	for g, v := range a.args {
		vals[g] = v
		if !a.seen[g] {
			vals[g] = types.NullValue(a.argType)
		}
	}
	return valuesArray(a.argType, vals)
}

// valuesArray builds a column of type t from values.
func valuesArray(t types.Type, vals []types.Value) arrow.Array {
	bld := array.NewBuilder(mem, t.Arrow())
	defer bld.Release()
	for _, v := range vals {
		if v.Null {
			bld.AppendNull()
			continue
		}
		switch b := bld.(type) {
		case *array.BooleanBuilder:
			b.Append(v.B)
		case *array.Int32Builder:
			b.Append(int32(v.I))
		case *array.Int64Builder:
			b.Append(v.I)
		case *array.Float32Builder:
			b.Append(float32(v.F))
		case *array.Float64Builder:
			b.Append(v.F)
		case *array.StringBuilder:
			b.Append(v.S)
		case *array.Decimal128Builder:
			b.Append(v.Decimal128())
		case *array.Date32Builder:
			b.Append(arrow.Date32(v.I))
		case *array.TimestampBuilder:
			b.Append(arrow.Timestamp(v.I))
		default:
			panic("operator: valuesArray of " + t.String())
		}
	}
	return bld.NewArray()
}
