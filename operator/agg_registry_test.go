package operator

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// bindAgg builds an AggExpr the way the SQL front end does.
func bindAgg(t *testing.T, in *types.Schema, f expr.AggFunc, name string, args ...*expr.Expr) logical.AggExpr {
	t.Helper()
	arg, extra, typ, err := expr.BindAggCall(f, args, in, nil)
	if err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	return logical.AggExpr{Func: f, Arg: arg, Extra: extra, Name: name, Type: typ}
}

func ucol(name string) *expr.Expr { return expr.Col("", name) }

// runAgg aggregates recs grouped by column 0: in one Complete pass, or
// Partial (flushing every flush groups, so groups arrive at the final
// side as several partial states) then Final.
func runAgg(t *testing.T, in *types.Schema, aggs []logical.AggExpr, twoPhase bool, flush int, recs ...arrowRec) ([]string, error) {
	t.Helper()
	group := []*expr.Expr{expr.BoundCol(0, in.Fields[0])}
	out := &types.Schema{Fields: []types.Field{in.Fields[0]}}
	for _, a := range aggs {
		out.Fields = append(out.Fields, types.Field{Name: a.Name, Type: a.Type, Nullable: true})
	}
	if !twoPhase {
		h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
			Agg: &physical.AggSpec{Mode: physical.AggComplete, GroupBy: group, Aggs: aggs}}, source(in, recs...), &Env{})
		if err != nil {
			return nil, err
		}
		return renderAll(h)
	}
	ps := physical.PartialSchema(group, aggs)
	partial, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: ps,
		Agg: &physical.AggSpec{Mode: physical.AggPartial, GroupBy: group, Aggs: aggs}}, source(in, recs...), &Env{PartialFlushGroups: flush})
	if err != nil {
		return nil, err
	}
	keys := []*expr.Expr{expr.BoundCol(0, ps.Fields[0])}
	final, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
		Agg: &physical.AggSpec{Mode: physical.AggFinal, GroupBy: keys, Aggs: aggs}}, partial, &Env{})
	if err != nil {
		return nil, err
	}
	return renderAll(final)
}

// renderAll renders every row like rows, returning errors instead of failing.
func renderAll(r batch.Reader) ([]string, error) {
	recs, err := batch.ReadAll(context.Background(), r)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rec := range recs {
		for i := 0; i < int(rec.NumRows()); i++ {
			cells := make([]string, rec.NumCols())
			for c := range cells {
				cells[c] = eval.ValueAt(rec.Column(c), i).String()
			}
			out = append(out, strings.Join(cells, ","))
		}
		rec.Release()
	}
	return sorted(out), nil
}

// close reports whether two rendered results agree, numbers within a
// relative tolerance.
func closeRows(got, want []string, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := strings.Split(got[i], ","), strings.Split(want[i], ",")
		if len(g) != len(w) {
			return false
		}
		for j := range g {
			if g[j] == w[j] {
				continue
			}
			a, err1 := strconv.ParseFloat(g[j], 64)
			b, err2 := strconv.ParseFloat(w[j], 64)
			if err1 != nil || err2 != nil || math.Abs(a-b) > tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) {
				return false
			}
		}
	}
	return true
}

// testInput is 2000 rows over 5 keys (and NULL keys): v int64 with NULLs
// and repeats, w float64 correlated with v.
func testInput() (*types.Schema, []arrowRec) {
	in := &types.Schema{Fields: []types.Field{
		{Name: "k", Type: types.Int64Type, Nullable: true},
		{Name: "v", Type: types.Int64Type, Nullable: true},
		{Name: "w", Type: types.Float64Type, Nullable: true},
	}}
	rng := rand.New(rand.NewPCG(7, 9))
	var recs []arrowRec
	for range 4 {
		kb, vb, wb := array.NewInt64Builder(mem), array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
		for range 500 {
			if rng.IntN(25) == 0 {
				kb.AppendNull()
			} else {
				kb.Append(int64(rng.IntN(5)))
			}
			v := int64(rng.IntN(200) - 50)
			if rng.IntN(12) == 0 {
				vb.AppendNull()
			} else {
				vb.Append(v)
			}
			if rng.IntN(15) == 0 {
				wb.AppendNull()
			} else {
				wb.Append(float64(v)*0.5 + rng.Float64()*40)
			}
		}
		cols := []arrow.Array{kb.NewArray(), vb.NewArray(), wb.NewArray()}
		recs = append(recs, array.NewRecordBatch(in.Arrow(), cols, 500))
		releaseAll(cols)
		kb.Release()
		vb.Release()
		wb.Release()
	}
	return in, recs
}

func retain(recs []arrowRec) []arrowRec {
	for _, r := range recs {
		r.Retain()
	}
	return recs
}

// TestMergeableAggregatesSplitEqualsSinglePass: partial states merged
// from many small flushes give the single-pass answer (floating-point
// statistics within 1e-9, sketches within their error).
func TestMergeableAggregatesSplitEqualsSinglePass(t *testing.T) {
	in, recs := testInput()
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	positive := expr.Call(expr.FnGt, ucol("v"), expr.Lit(types.Int64Value(40)))
	type tc struct {
		f    expr.AggFunc
		args []*expr.Expr
		tol  float64
	}
	for _, c := range []tc{
		{expr.AggStddevSamp, []*expr.Expr{ucol("v")}, 1e-9},
		{expr.AggStddevPop, []*expr.Expr{ucol("w")}, 1e-9},
		{expr.AggVarSamp, []*expr.Expr{ucol("v")}, 1e-9},
		{expr.AggVarPop, []*expr.Expr{ucol("v")}, 1e-9},
		{expr.AggCovarSamp, []*expr.Expr{ucol("w"), ucol("v")}, 1e-9},
		{expr.AggCovarPop, []*expr.Expr{ucol("w"), ucol("v")}, 1e-9},
		{expr.AggCorr, []*expr.Expr{ucol("w"), ucol("v")}, 1e-9},
		{expr.AggCountIf, []*expr.Expr{positive}, 0},
		{expr.AggBoolAnd, []*expr.Expr{positive}, 0},
		{expr.AggBoolOr, []*expr.Expr{positive}, 0},
		{expr.AggAnyValue, []*expr.Expr{ucol("v")}, 0},
		{expr.AggFirst, []*expr.Expr{ucol("v")}, 0},
		{expr.AggLast, []*expr.Expr{ucol("w")}, 0},
		{expr.AggStringAgg, []*expr.Expr{ucol("v")}, 0},
		{expr.AggArgMax, []*expr.Expr{ucol("w"), ucol("v")}, 0},
		{expr.AggArgMin, []*expr.Expr{ucol("v"), ucol("w")}, 0},
		{expr.AggApproxCountDistinct, []*expr.Expr{ucol("v")}, 0},
		{expr.AggApproxQuantile, []*expr.Expr{ucol("w"), expr.Lit(types.Float64Value(0.5))}, 0.05},
		{expr.AggApproxQuantile, []*expr.Expr{ucol("v"), expr.Lit(types.Float64Value(0.9))}, 0.05},
	} {
		t.Run(c.f.String(), func(t *testing.T) {
			aggs := []logical.AggExpr{bindAgg(t, in, c.f, "a", c.args...)}
			single, err := runAgg(t, in, aggs, false, 0, retain(recs)...)
			if err != nil {
				t.Fatal(err)
			}
			for _, flush := range []int{0, 1, 3} {
				split, err := runAgg(t, in, aggs, true, flush, retain(recs)...)
				if err != nil {
					t.Fatal(err)
				}
				if !closeRows(split, single, c.tol) {
					t.Fatalf("flush=%d:\nsplit  %v\nsingle %v", flush, split, single)
				}
			}
		})
	}
}
