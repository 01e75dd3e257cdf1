package operator

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// quantileAcc computes exact quantiles (median, quantile_cont,
// quantile_disc) by keeping every non-NULL value of each group. It has no
// partial state: the planner sends whole groups to one task (Complete
// mode), as for DISTINCT.
type quantileAcc[T any] struct {
	f      expr.AggFunc
	q      float64
	dt     arrow.DataType
	groups [][]T
	n      int64 // values kept
	stringKeeper[T]
	values func(arrow.Array) ([]T, bool)
	cmp    func(a, b T) int
	// interp blends two neighbours for quantile_cont (floats as DuckDB:
	// lo·(1-frac) + hi·frac); nil for quantile_disc.
	interp func(lo, hi T, frac float64) T
}

var _ accumulator = (*quantileAcc[float64])(nil)

func newQuantile(a logical.AggExpr) (accumulator, error) {
	q := 0.5
	if a.Func != expr.AggMedian {
		if len(a.Extra) != 1 || !a.Extra[0].IsLiteral() {
			return nil, fmt.Errorf("%s: the fraction must be a literal", a.Func)
		}
		q = a.Extra[0].Value.F
	}
	if a.Func == expr.AggQuantileDisc {
		return newQuantileDisc(a.Func, q, a.Type)
	}
	if a.Type.ID == types.Timestamp {
		return &quantileAcc[int64]{f: a.Func, q: q, dt: a.Type.Arrow(), values: anyMicros,
			cmp: cmp.Compare[int64], interp: interpMicros}, nil
	}
	if a.Type.ID == types.Decimal {
		return &quantileAcc[decimal128.Num]{f: a.Func, q: q, dt: a.Type.Arrow(), values: decimalOf,
			cmp: decimal128.Num.Cmp, interp: interpDecimal}, nil
	}
	return &quantileAcc[float64]{f: a.Func, q: q, dt: arrow.PrimitiveTypes.Float64, values: anyFloat64s,
		cmp: types.CompareFloat[float64], interp: func(lo, hi float64, frac float64) float64 { return lo*(1-frac) + hi*frac }}, nil
}

func newQuantileDisc(f expr.AggFunc, q float64, t types.Type) (accumulator, error) {
	dt := t.Arrow()
	switch t.ID {
	case types.Int32, types.Date:
		return &quantileAcc[int32]{f: f, q: q, dt: dt, values: int32Of, cmp: cmp.Compare[int32]}, nil
	case types.Int64, types.Timestamp:
		return &quantileAcc[int64]{f: f, q: q, dt: dt, values: int64Of, cmp: cmp.Compare[int64]}, nil
	case types.Float32:
		return &quantileAcc[float32]{f: f, q: q, dt: dt, values: float32Of, cmp: types.CompareFloat[float32]}, nil
	case types.Float64:
		return &quantileAcc[float64]{f: f, q: q, dt: dt, values: float64Of, cmp: types.CompareFloat[float64]}, nil
	case types.Decimal:
		return &quantileAcc[decimal128.Num]{f: f, q: q, dt: dt, values: decimalOf, cmp: decimal128.Num.Cmp}, nil
	case types.String:
		return &quantileAcc[string]{f: f, q: q, dt: dt, values: stringsOf, cmp: cmp.Compare[string], stringKeeper: stringKeeper[string]{on: true}}, nil
	case types.Bool:
		return &quantileAcc[bool]{f: f, q: q, dt: dt, values: boolsOf, cmp: func(a, b bool) int { return cmp.Compare(b2i(a), b2i(b)) }}, nil
	}
	return nil, fmt.Errorf("%s: unsupported type %s", f, t)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// anyFloat64s reads any numeric input as float64 (quantile_cont of
// integers is a double, as in DuckDB).
func anyFloat64s(a arrow.Array) ([]float64, bool) {
	v, err := float64Values(a)
	return v, err == nil
}

func (a *quantileAcc[T]) grow(n int) { a.groups = growSlice(a.groups, n) }

func (a *quantileAcc[T]) update(gids []int32, arg arrow.Array) error {
	vals, ok := a.values(arg)
	if !ok {
		return fmt.Errorf("%s: unexpected input %s", a.f, arg.DataType())
	}
	for i, g := range gids {
		if arg.IsValid(i) {
			a.groups[g] = append(a.groups[g], a.add(vals[i]))
			a.n++
		}
	}
	return nil
}

// rawValues returns every value kept with its group, for a spill.
func (a *quantileAcc[T]) rawValues() ([]int32, arrow.Array, error) {
	gids := make([]int32, 0, a.n)
	vals := make([]T, 0, a.n)
	for g, vs := range a.groups {
		for range vs {
			gids = append(gids, int32(g))
		}
		vals = append(vals, vs...)
	}
	return gids, buildFixed(a.dt, vals, nil), nil
}

// bytes estimates the values kept.
func (a *quantileAcc[T]) bytes() int64 {
	return 16*a.n + 24*int64(len(a.groups)) + a.stringKeeper.bytes()
}

func (a *quantileAcc[T]) merge([]int32, []arrow.Array) error {
	return fmt.Errorf("%s is holistic and has no partial state", a.f)
}

func (a *quantileAcc[T]) partial() []arrow.Array {
	panic(fmt.Sprintf("%s is holistic and has no partial state", a.f))
}

// final: quantile_cont interpolates at (n-1)·q between its neighbours;
// quantile_disc takes the first value whose cumulative share reaches q
// (index ⌈n·q⌉-1, SQL's percentile_disc).
func (a *quantileAcc[T]) final() (arrow.Array, error) {
	out := make([]T, len(a.groups))
	valid := make([]bool, len(a.groups))
	for g, vs := range a.groups {
		if len(vs) == 0 {
			continue
		}
		slices.SortFunc(vs, a.cmp)
		valid[g] = true
		n := len(vs)
		if a.interp == nil {
			k := max(int(math.Ceil(float64(n)*a.q))-1, 0)
			out[g] = vs[min(k, n-1)]
			continue
		}
		rn := float64(n-1) * a.q
		lo, hi := int(math.Floor(rn)), int(math.Ceil(rn))
		if lo == hi {
			out[g] = vs[lo]
		} else {
			out[g] = a.interp(vs[lo], vs[hi], rn-float64(lo))
		}
	}
	return buildFixed(a.dt, out, valid), nil
}

// interpDecimal computes lo + frac·(hi-lo) exactly and truncates toward
// zero to the scale, as DuckDB's integer interpolation of decimals does.
func interpDecimal(lo, hi decimal128.Num, frac float64) decimal128.Num {
	l, h := lo.BigInt(), hi.BigInt()
	v := new(big.Rat).SetInt(new(big.Int).Sub(h, l))
	f := new(big.Rat)
	f.SetFloat64(frac)
	v.Mul(v, f)
	v.Add(v, new(big.Rat).SetInt(l))
	return decimal128.FromBigInt(new(big.Int).Quo(v.Num(), v.Denom()))
}

// anyMicros reads dates and timestamps as µs since the epoch.
func anyMicros(a arrow.Array) ([]int64, bool) {
	if d, ok := a.(*array.Date32); ok {
		return convert(d.Date32Values(), func(v arrow.Date32) int64 { return int64(v) * 86_400_000_000 }), true
	}
	return int64Of(a)
}

// interpMicros blends two instants, rounding to the nearest µs (DuckDB).
func interpMicros(lo, hi int64, frac float64) int64 {
	return int64(math.Round(float64(lo)*(1-frac) + float64(hi)*frac))
}
