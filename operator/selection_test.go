package operator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// TestSelectionVectorsMatchGatheredBatches runs filter → project →
// aggregate (and filter → sort, a consumer that takes gathered batches)
// with selections and with gathered batches: the answers are equal. The
// projection casts a string column that does not parse on the rows the
// filter drops, so evaluating a dropped row would fail the query.
func TestSelectionVectorsMatchGatheredBatches(t *testing.T) {
	schema := &types.Schema{Fields: []types.Field{{Name: "s", Type: types.StringType}, {Name: "g", Type: types.Int64Type},
		{Name: "v", Type: types.Int64Type}, {Name: "unused", Type: types.Int64Type}}}
	r := rand.New(rand.NewPCG(41, 42))
	var recs []arrow.RecordBatch
	for range 6 {
		const m = 1000
		sb, gb, vb, ub := array.NewStringBuilder(mem), array.NewInt64Builder(mem), array.NewInt64Builder(mem), array.NewInt64Builder(mem)
		keep := r.IntN(4) // batches with none, some and all rows passing
		for range m {
			switch {
			case keep == 0 || (keep < 3 && r.IntN(3) == 0):
				sb.Append("bad")
			case r.IntN(20) == 0:
				sb.AppendNull()
			default:
				sb.Append(fmt.Sprint(r.IntN(100)))
			}
			gb.Append(int64(r.IntN(7)))
			if r.IntN(10) == 0 {
				vb.AppendNull()
			} else {
				vb.Append(int64(r.IntN(1000)))
			}
			ub.Append(int64(r.IntN(5)))
		}
		cols := []arrow.Array{sb.NewArray(), gb.NewArray(), vb.NewArray(), ub.NewArray()}
		for _, b := range []interface{ Release() }{sb, gb, vb, ub} {
			b.Release()
		}
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), cols, m))
		releaseAll(cols)
	}
	defer releaseRecs(recs)
	col := func(i int) *expr.Expr { return expr.BoundCol(i, schema.Fields[i]) }
	pred := expr.Call(expr.FnNe, col(0), expr.Lit(types.StringValue("bad")))
	pred.Type = types.BoolType
	filterOf := func(env *Env) batch.Reader {
		f, err := newFilter(&physical.Node{Op: physical.OpFilter, Schema: schema, Filter: pred}, source(schema, recs...), env)
		if err != nil {
			t.Fatal(err)
		}
		return env.measure(nil, f)
	}
	agg := func(in batch.Reader, ps *types.Schema, env *Env) batch.Reader {
		gi, ai := 0, 1
		if len(ps.Fields) == len(schema.Fields) {
			gi, ai = 1, 2
		}
		group := []*expr.Expr{expr.BoundCol(gi, ps.Fields[gi])}
		aggs := []logical.AggExpr{
			{Func: expr.AggSum, Arg: expr.BoundCol(ai, ps.Fields[ai]), Name: "s", Type: types.Int64Type},
			{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
		}
		h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: physical.PartialSchema(group, aggs),
			Agg: &physical.AggSpec{Mode: physical.AggPartial, GroupBy: group, Aggs: aggs}}, in, env)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	cast := expr.Cast(col(0), types.Int64Type)
	plans := map[string]func(env *Env) batch.Reader{
		"project of expressions, aggregate": func(env *Env) batch.Reader {
			ps := &types.Schema{Fields: []types.Field{{Name: "g", Type: types.Int64Type}, {Name: "c", Type: types.Int64Type}}}
			p, err := newProject(&physical.Node{Op: physical.OpProject, Schema: ps,
				Project: &physical.ProjectSpec{Exprs: []*expr.Expr{col(1), cast}}}, filterOf(env), env)
			if err != nil {
				t.Fatal(err)
			}
			return agg(p, ps, env)
		},
		"project of columns, aggregate": func(env *Env) batch.Reader {
			ps := &types.Schema{Fields: []types.Field{{Name: "g", Type: types.Int64Type}, {Name: "v", Type: types.Int64Type}}}
			p, err := newProject(&physical.Node{Op: physical.OpProject, Schema: ps,
				Project: &physical.ProjectSpec{Exprs: []*expr.Expr{col(1), col(2)}}}, filterOf(env), env)
			if err != nil {
				t.Fatal(err)
			}
			return agg(p, ps, env)
		},
		"aggregate over the filter": func(env *Env) batch.Reader {
			return agg(filterOf(env), schema, env)
		},
		"project of columns, sort": func(env *Env) batch.Reader {
			ps := &types.Schema{Fields: []types.Field{{Name: "v", Type: types.Int64Type}, {Name: "s", Type: types.StringType}}}
			p, err := newProject(&physical.Node{Op: physical.OpProject, Schema: ps,
				Project: &physical.ProjectSpec{Exprs: []*expr.Expr{col(2), col(0)}}}, filterOf(env), env)
			if err != nil {
				t.Fatal(err)
			}
			s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: ps, Sort: &physical.SortSpec{
				Keys: []logical.SortKey{{Expr: expr.BoundCol(0, ps.Fields[0])}, {Expr: expr.BoundCol(1, ps.Fields[1])}}}}, p, env)
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for name, plan := range plans {
		t.Run(name, func(t *testing.T) {
			run := func(sel bool) []string {
				defer func(old bool) { selectionVectors = old }(selectionVectors)
				selectionVectors = sel
				return rows(t, plan(&Env{}))
			}
			want, got := run(false), run(true)
			if len(want) == 0 {
				t.Fatal("the plan returned no rows")
			}
			if name != "project of columns, sort" {
				slices.Sort(want)
				slices.Sort(got)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("with selections:\n%v\nwith gathered batches:\n%v", got, want)
			}
		})
	}
}
