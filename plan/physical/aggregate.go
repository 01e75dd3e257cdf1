package physical

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// aggregate plans a two-phase aggregation: partial states per input
// partition, an exchange on the group keys, and a final merge. DISTINCT
// and holistic aggregates (exact quantiles) cannot merge partial states,
// so those plans shuffle raw rows by the group keys and aggregate once
// (Complete).
func (p *planner) aggregate(a *logical.Aggregate) (*Node, error) {
	in, err := p.plan(a.Input)
	if err != nil {
		return nil, err
	}
	if needsRawRows(a.Aggs) {
		ex := p.hashOrSingle(in, a.GroupBy)
		return &Node{Op: OpHashAgg, Inputs: []*Node{ex}, Schema: a.Schema(),
			Agg: &AggSpec{Mode: AggComplete, GroupBy: a.GroupBy, Aggs: a.Aggs}}, nil
	}
	partialSchema := PartialSchema(a.GroupBy, a.Aggs)
	partial := &Node{Op: OpHashAgg, Inputs: []*Node{in}, Schema: partialSchema,
		Agg: &AggSpec{Mode: AggPartial, GroupBy: a.GroupBy, Aggs: a.Aggs}}
	keys := columnRefs(partialSchema, len(a.GroupBy))
	ex := p.hashOrSingle(partial, keys)
	return &Node{Op: OpHashAgg, Inputs: []*Node{ex}, Schema: a.Schema(),
		Agg: &AggSpec{Mode: AggFinal, GroupBy: keys, Aggs: a.Aggs}}, nil
}

// distinct is an aggregation with group keys and no aggregates.
func (p *planner) distinct(d *logical.Distinct) (*Node, error) {
	schema := d.Schema()
	keys := columnRefs(schema, schema.Len())
	return p.aggregate(&logical.Aggregate{Input: d.Input, GroupBy: keys, GroupNames: schema.Names()})
}

func needsRawRows(aggs []logical.AggExpr) bool {
	for _, a := range aggs {
		if a.Distinct || expr.AggHolistic(a.Func) {
			return true
		}
	}
	return false
}

// StateTypes are the partial-state columns one aggregate emits: avg keeps a
// float64 sum and an int64 count, or for a decimal argument of at most 18
// digits an exact decimal(38, scale) sum (AvgDecimalSum); the variances a count, mean and sum of
// squared deviations (Welford); corr and covar_* a count, two means, the
// co-moment and both squared-deviation sums; first and last the value and
// whether a row arrived; single_value the value and a row count; arg_max
// and arg_min the value and its ordering value; the
// sketches (approx_quantile, approx_count_distinct) one serialized sketch
// as a string. The others keep one value of their result type (count,
// count_if: int64; bool_and/or: bool).
func StateTypes(a logical.AggExpr) []types.Type {
	f64, i64 := types.Float64Type, types.Int64Type
	switch a.Func {
	case expr.AggAvg:
		if t, ok := AvgDecimalSum(a); ok {
			return []types.Type{t, i64}
		}
		return []types.Type{f64, i64}
	case expr.AggStddevSamp, expr.AggStddevPop, expr.AggVarSamp, expr.AggVarPop:
		return []types.Type{i64, f64, f64}
	case expr.AggCorr, expr.AggCovarSamp, expr.AggCovarPop:
		return []types.Type{i64, f64, f64, f64, f64, f64}
	case expr.AggFirst, expr.AggLast:
		return []types.Type{a.Type, types.BoolType}
	case expr.AggSingleValue:
		return []types.Type{a.Type, i64}
	case expr.AggApproxQuantile, expr.AggApproxCountDistinct:
		return []types.Type{types.StringType}
	case expr.AggArgMax, expr.AggArgMin:
		if len(a.Extra) == 1 { // else the accumulator reports the malformed spec
			return []types.Type{a.Type, a.Extra[0].Type}
		}
	}
	return []types.Type{a.Type}
}

// AvgDecimalSum is the exact sum type of avg over a decimal of at most 18
// digits: its values fit 64 bits, so the sum is kept in 128 bits without
// a float conversion per row, and cannot pass 38 digits before 10^20 rows.
// Wider decimals keep the float64 sum.
func AvgDecimalSum(a logical.AggExpr) (types.Type, bool) {
	if a.Func != expr.AggAvg || a.Arg == nil || a.Arg.Type.ID != types.Decimal || a.Arg.Type.Precision > 18 {
		return types.Type{}, false
	}
	return types.DecimalOf(types.MaxDecimalPrecision, a.Arg.Type.Scale), true
}

// PartialSchema is a Partial aggregation's output: the group keys (named
// g0, g1, ...) then each aggregate's state columns.
func PartialSchema(groupBy []*expr.Expr, aggs []logical.AggExpr) *types.Schema {
	s := &types.Schema{}
	for i, g := range groupBy {
		s.Fields = append(s.Fields, types.Field{Name: fmt.Sprintf("g%d", i), Type: g.Type, Nullable: g.Nullable})
	}
	for i, a := range aggs {
		for j, t := range StateTypes(a) {
			s.Fields = append(s.Fields, types.Field{Name: fmt.Sprintf("a%d_%d", i, j), Type: t, Nullable: true})
		}
	}
	return s
}
