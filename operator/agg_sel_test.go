package operator

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// selAggInput is batches of (pass, k, s, i, f, d) with NULLs in every
// column but pass; pass < 50 keeps none of one batch's rows, every row of
// another, some of the rest; one batch is empty.
func selAggInput() (*types.Schema, []arrowRec) {
	in := &types.Schema{Fields: []types.Field{
		{Name: "pass", Type: types.Int64Type},
		{Name: "k", Type: types.Int64Type, Nullable: true},
		{Name: "s", Type: types.StringType, Nullable: true},
		{Name: "i", Type: types.Int32Type, Nullable: true},
		{Name: "f", Type: types.Float64Type, Nullable: true},
		{Name: "d", Type: types.DecimalOf(15, 2), Nullable: true},
	}}
	r := rand.New(rand.NewPCG(51, 52))
	var recs []arrowRec
	for b := range 10 {
		pb, kb, sb := array.NewInt64Builder(mem), array.NewInt64Builder(mem), array.NewStringBuilder(mem)
		ib, fb := array.NewInt32Builder(mem), array.NewFloat64Builder(mem)
		db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
		n := 700
		if b == 3 {
			n = 0
		}
		for range n {
			pass := int64(r.IntN(100))
			switch b {
			case 1:
				pass = 99 // none passes
			case 2:
				pass = 0 // all pass
			}
			pb.Append(pass)
			null := func() bool { return r.IntN(12) == 0 }
			k := r.IntN(3000)
			if null() {
				kb.AppendNull()
				sb.AppendNull()
			} else {
				kb.Append(int64(k))
				sb.Append(fmt.Sprintf("s%d", k%40))
			}
			if null() {
				ib.AppendNull()
			} else {
				ib.Append(int32(r.IntN(1000) - 500))
			}
			if null() {
				fb.AppendNull()
			} else {
				fb.Append(float64(r.IntN(1000)) / 8)
			}
			if null() {
				db.AppendNull()
			} else {
				db.Append(decimal128.FromI64(int64(r.IntN(100000))))
			}
		}
		cols := []arrow.Array{pb.NewArray(), kb.NewArray(), sb.NewArray(), ib.NewArray(), fb.NewArray(), db.NewArray()}
		for _, b := range []array.Builder{pb, kb, sb, ib, fb, db} {
			b.Release()
		}
		recs = append(recs, array.NewRecordBatch(in.Arrow(), cols, int64(n)))
		releaseAll(cols)
	}
	return in, recs
}

// TestHashAggFoldsSelections: filter → aggregate with selections (the
// arguments folded in place when every accumulator can, gathered
// otherwise) answers as with gathered batches: NULLs everywhere, batches
// with none, all and some rows selected, an empty batch, integer, string,
// composite and no group keys, and enough groups to grow and, under a
// tiny pool, spill.
func TestHashAggFoldsSelections(t *testing.T) {
	in, recs := selAggInput()
	defer releaseRecs(recs)
	folding := func(t *testing.T) []logical.AggExpr {
		return []logical.AggExpr{
			bindAgg(t, in, expr.AggSum, "si", ucol("i")),
			bindAgg(t, in, expr.AggSum, "sf", ucol("f")),
			bindAgg(t, in, expr.AggSum, "sd", ucol("d")),
			bindAgg(t, in, expr.AggAvg, "af", ucol("f")),
			bindAgg(t, in, expr.AggAvg, "ai", ucol("i")),
			bindAgg(t, in, expr.AggAvg, "ad", ucol("d")),
			bindAgg(t, in, expr.AggCount, "ci", ucol("i")),
			bindAgg(t, in, expr.AggCount, "cs", ucol("s")),
			bindAgg(t, in, expr.AggCountStar, "n"),
		}
	}
	mixed := func(t *testing.T) []logical.AggExpr { // min folds no selection: all gathered
		return append(folding(t), bindAgg(t, in, expr.AggMin, "lo", ucol("s")))
	}
	pred := expr.Call(expr.FnLt, expr.BoundCol(0, in.Fields[0]), expr.Lit(types.Int64Value(50)))
	pred.Type = types.BoolType
	for _, tc := range []struct {
		name  string
		group []int
		aggs  func(*testing.T) []logical.AggExpr
		pool  int64
	}{
		{"BIGINT key", []int{1}, folding, 0},
		{"VARCHAR key", []int{2}, folding, 0},
		{"VARCHAR, BIGINT keys", []int{2, 1}, folding, 0},
		{"no key", nil, folding, 0},
		{"BIGINT key, min gathers", []int{1}, mixed, 0},
		{"BIGINT key spilling", []int{1}, folding, tinyPool},
	} {
		t.Run(tc.name, func(t *testing.T) {
			aggs := tc.aggs(t)
			run := func(sel bool, pool int64) []string {
				defer func(old bool) { selectionVectors = old }(selectionVectors)
				selectionVectors = sel
				env := &Env{Pool: memory.NewPool(pool), TempDir: t.TempDir(), BatchRows: 512}
				var keys []*expr.Expr
				out := &types.Schema{}
				for _, g := range tc.group {
					keys = append(keys, expr.BoundCol(g, in.Fields[g]))
					out.Fields = append(out.Fields, in.Fields[g])
				}
				for _, a := range aggs {
					out.Fields = append(out.Fields, types.Field{Name: a.Name, Type: a.Type, Nullable: true})
				}
				f, err := newFilter(&physical.Node{Op: physical.OpFilter, Schema: in, Filter: pred}, source(in, retain(recs)...), env)
				if err != nil {
					t.Fatal(err)
				}
				h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
					Agg: &physical.AggSpec{Mode: physical.AggComplete, GroupBy: keys, Aggs: aggs}}, f, env)
				if err != nil {
					t.Fatal(err)
				}
				if got := h.(*hashAgg).selArgs; got != (tc.name != "BIGINT key, min gathers") {
					t.Fatalf("selArgs = %v", got)
				}
				got, err := renderAll(h)
				if err != nil {
					t.Fatal(err)
				}
				if pool > 0 && env.Spilled.Load() == 0 {
					t.Fatal("nothing spilled under a tiny pool")
				}
				return got
			}
			want, got := run(false, 0), run(true, tc.pool)
			if len(want) == 0 || !closeRows(got, want, 1e-9) {
				t.Fatalf("%d rows with selections vs %d gathered:\nselections %.400v\ngathered   %.400v", len(got), len(want), got, want)
			}
		})
	}
}

// TestScanFilterHandsOnSelections: a scan's pushed-down filter hands its
// consumers selections (as a filter does); aggregations over it, directly
// and through a projection of columns, answer as over gathered batches.
func TestScanFilterHandsOnSelections(t *testing.T) {
	in, recs := selAggInput()
	defer releaseRecs(recs)
	pred := expr.Call(expr.FnLt, expr.BoundCol(0, in.Fields[0]), expr.Lit(types.Int64Value(50)))
	pred.Type = types.BoolType
	aggs := []logical.AggExpr{
		bindAgg(t, in, expr.AggSum, "sd", ucol("d")),
		bindAgg(t, in, expr.AggAvg, "af", ucol("f")),
		bindAgg(t, in, expr.AggCountStar, "n"),
	}
	out := &types.Schema{Fields: []types.Field{in.Fields[2]}}
	for _, a := range aggs {
		out.Fields = append(out.Fields, types.Field{Name: a.Name, Type: a.Type, Nullable: true})
	}
	for _, project := range []bool{false, true} {
		t.Run(fmt.Sprintf("project=%v", project), func(t *testing.T) {
			run := func(sel bool) []string {
				defer func(old bool) { selectionVectors = old }(selectionVectors)
				selectionVectors = sel
				env := &Env{}
				ev, err := eval.Compile(pred, eval.Options{})
				if err != nil {
					t.Fatal(err)
				}
				var r batch.Reader = &scan{r: source(in, retain(recs)...), schema: in.Arrow(), pred: ev, env: env}
				if project { // a projection of columns passes the selection on
					p, err := newProject(&physical.Node{Op: physical.OpProject, Schema: in,
						Project: &physical.ProjectSpec{Exprs: columnRefsOf(in, len(in.Fields))}}, r, env)
					if err != nil {
						t.Fatal(err)
					}
					r = p
				}
				h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
					Agg: &physical.AggSpec{Mode: physical.AggComplete, GroupBy: []*expr.Expr{expr.BoundCol(2, in.Fields[2])}, Aggs: aggs}}, r, env)
				if err != nil {
					t.Fatal(err)
				}
				got, err := renderAll(h)
				if err != nil {
					t.Fatal(err)
				}
				if env.RowsIn.Load() != 6300 {
					t.Fatalf("scan counted %d rows in, want 6300", env.RowsIn.Load())
				}
				return got
			}
			want, got := run(false), run(true)
			if len(want) < 40 || !closeRows(got, want, 1e-9) {
				t.Fatalf("%d rows with selections vs %d gathered:\nselections %.400v\ngathered   %.400v", len(got), len(want), got, want)
			}
		})
	}
}
