package operator

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// tinyPool is far below what the spill tests' tables need.
const tinyPool = 64 << 10

// spillInput is rows × (k int64 with NULLs, s string with NULLs, v int64
// with NULLs, w float64) over about groups values of k (and 1500 of s),
// in batches of 500.
func spillInput(rows, groups int) (*types.Schema, []arrowRec) {
	in := &types.Schema{Fields: []types.Field{
		{Name: "k", Type: types.Int64Type, Nullable: true},
		{Name: "s", Type: types.StringType, Nullable: true},
		{Name: "v", Type: types.Int64Type, Nullable: true},
		{Name: "w", Type: types.Float64Type, Nullable: true},
	}}
	rng := rand.New(rand.NewPCG(3, 4))
	var recs []arrowRec
	for lo := 0; lo < rows; lo += 500 {
		kb, sb := array.NewInt64Builder(mem), array.NewStringBuilder(mem)
		vb, wb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
		for range 500 {
			k := rng.IntN(groups)
			if rng.IntN(50) == 0 {
				kb.AppendNull()
			} else {
				kb.Append(int64(k))
			}
			if k%97 == 0 {
				sb.AppendNull()
			} else {
				sb.Append(fmt.Sprintf("s%d", k%1500))
			}
			if rng.IntN(10) == 0 {
				vb.AppendNull()
			} else {
				vb.Append(int64(rng.IntN(40)))
			}
			wb.Append(rng.Float64() * 100)
		}
		cols := []arrow.Array{kb.NewArray(), sb.NewArray(), vb.NewArray(), wb.NewArray()}
		recs = append(recs, array.NewRecordBatch(in.Arrow(), cols, 500))
		releaseAll(cols)
		for _, b := range []array.Builder{kb, sb, vb, wb} {
			b.Release()
		}
	}
	return in, recs
}

// aggRun aggregates recs grouped by the columns group, in one Complete pass
// or Partial then Final, with every operator on env.
func aggRun(in *types.Schema, group []int, aggs []logical.AggExpr, twoPhase bool, env *Env, recs []arrowRec) ([]string, error) {
	var keys []*expr.Expr
	out := &types.Schema{}
	for _, g := range group {
		keys = append(keys, expr.BoundCol(g, in.Fields[g]))
		out.Fields = append(out.Fields, in.Fields[g])
	}
	for _, a := range aggs {
		out.Fields = append(out.Fields, types.Field{Name: a.Name, Type: a.Type, Nullable: true})
	}
	src := source(in, retain(recs)...)
	if !twoPhase {
		h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
			Agg: &physical.AggSpec{Mode: physical.AggComplete, GroupBy: keys, Aggs: aggs}}, src, env)
		if err != nil {
			return nil, err
		}
		return renderAll(h) // closes h
	}
	ps := physical.PartialSchema(keys, aggs)
	partial, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: ps,
		Agg: &physical.AggSpec{Mode: physical.AggPartial, GroupBy: keys, Aggs: aggs}}, src, env)
	if err != nil {
		return nil, err
	}
	final, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
		Agg: &physical.AggSpec{Mode: physical.AggFinal, GroupBy: columnRefsOf(ps, len(keys)), Aggs: aggs}}, partial, env)
	if err != nil {
		partial.Close()
		return nil, err
	}
	return renderAll(final)
}

func columnRefsOf(s *types.Schema, n int) []*expr.Expr {
	out := make([]*expr.Expr, n)
	for i := range out {
		out[i] = expr.BoundCol(i, s.Fields[i])
	}
	return out
}

func tinyEnv(t *testing.T) (*Env, *memory.Pool) {
	pool := memory.NewPool(tinyPool)
	return &Env{Pool: pool, TempDir: t.TempDir(), BatchRows: 512}, pool
}

// TestHashAggSpillMatchesUnspilled: under a 64 KiB pool, aggregations over
// thousands of groups spill (recursively where a partition is still too
// big) and answer exactly as with an unlimited pool — every aggregate
// kind, DISTINCT aggregates and exact quantiles (raw values spilled),
// single and two-phase, integer and composite string keys. The pool is
// empty afterwards and no spill file is left.
func TestHashAggSpillMatchesUnspilled(t *testing.T) {
	in, recs := spillInput(12000, 3000)
	defer releaseRecs(recs)
	pos := expr.Call(expr.FnGt, ucol("v"), expr.Lit(types.Int64Value(20)))
	mergeable := func(t *testing.T) []logical.AggExpr {
		return []logical.AggExpr{
			bindAgg(t, in, expr.AggCountStar, "n"),
			bindAgg(t, in, expr.AggCount, "c", ucol("v")),
			bindAgg(t, in, expr.AggSum, "sv", ucol("v")),
			bindAgg(t, in, expr.AggSum, "sw", ucol("w")),
			bindAgg(t, in, expr.AggAvg, "a", ucol("w")),
			bindAgg(t, in, expr.AggMin, "lo", ucol("s")),
			bindAgg(t, in, expr.AggMax, "hi", ucol("v")),
			bindAgg(t, in, expr.AggStddevSamp, "sd", ucol("w")),
			bindAgg(t, in, expr.AggVarPop, "vp", ucol("v")),
			bindAgg(t, in, expr.AggCorr, "r", ucol("w"), ucol("v")),
			bindAgg(t, in, expr.AggCovarSamp, "cv", ucol("w"), ucol("v")),
			bindAgg(t, in, expr.AggCountIf, "ci", pos),
			bindAgg(t, in, expr.AggBoolAnd, "ba", pos),
			bindAgg(t, in, expr.AggBoolOr, "bo", pos),
			bindAgg(t, in, expr.AggFirst, "f", ucol("v")),
			bindAgg(t, in, expr.AggLast, "l", ucol("w")),
			bindAgg(t, in, expr.AggStringAgg, "sa", ucol("s"), expr.Lit(types.StringValue("|"))),
			bindAgg(t, in, expr.AggArgMax, "am", ucol("v"), ucol("w")),
			bindAgg(t, in, expr.AggArgMin, "an", ucol("s"), ucol("w")),
			bindAgg(t, in, expr.AggApproxCountDistinct, "acd", ucol("v")),
			bindAgg(t, in, expr.AggApproxQuantile, "aq", ucol("w"), expr.Lit(types.Float64Value(0.5))),
		}
	}
	raw := func(t *testing.T) []logical.AggExpr {
		cd := bindAgg(t, in, expr.AggCount, "cd", ucol("v"))
		cd.Distinct = true
		sd := bindAgg(t, in, expr.AggSum, "sd", ucol("v"))
		sd.Distinct = true
		sa := bindAgg(t, in, expr.AggStringAgg, "sad", ucol("s"), expr.Lit(types.StringValue(",")))
		sa.Distinct = true
		return []logical.AggExpr{
			cd, sd, sa,
			bindAgg(t, in, expr.AggMedian, "med", ucol("w")),
			bindAgg(t, in, expr.AggQuantileDisc, "qd", ucol("v"), expr.Lit(types.Float64Value(0.3))),
			bindAgg(t, in, expr.AggQuantileCont, "qc", ucol("v"), expr.Lit(types.Float64Value(0.7))),
			bindAgg(t, in, expr.AggSum, "plain", ucol("v")),
			bindAgg(t, in, expr.AggFirst, "f", ucol("s")),
		}
	}
	for _, tc := range []struct {
		name     string
		group    []int
		aggs     func(*testing.T) []logical.AggExpr
		twoPhase bool
	}{
		{"mergeable complete", []int{0}, mergeable, false},
		{"mergeable two-phase", []int{0}, mergeable, true},
		{"mergeable string keys", []int{1, 0}, mergeable, true},
		{"mergeable one string key", []int{1}, mergeable, false},
		{"mergeable one string key two-phase", []int{1}, mergeable, true},
		{"distinct and quantiles", []int{0}, raw, false},
		{"distinct and quantiles, string keys", []int{1, 0}, raw, false},
		{"DISTINCT rows", []int{0, 1, 2}, func(*testing.T) []logical.AggExpr { return nil }, false},
		{"DISTINCT rows two-phase", []int{0, 2}, func(*testing.T) []logical.AggExpr { return nil }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			aggs := tc.aggs(t)
			want, err := aggRun(in, tc.group, aggs, tc.twoPhase, &Env{Pool: memory.NewPool(0)}, recs)
			if err != nil {
				t.Fatal(err)
			}
			env, pool := tinyEnv(t)
			got, err := aggRun(in, tc.group, aggs, tc.twoPhase, env, recs)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 1000 || !closeRows(got, want, 1e-9) {
				t.Fatalf("%d rows spilled vs %d unspilled:\nspilled   %.300v\nunspilled %.300v", len(got), len(want), got, want)
			}
			if env.Spilled.Load() == 0 {
				t.Fatal("nothing spilled under a 64 KiB pool")
			}
			if pool.Held() != 0 {
				t.Fatalf("pool holds %d bytes after the task", pool.Held())
			}
			assertNoSpillFiles(t, env.TempDir)
		})
	}
}

func assertNoSpillFiles(t *testing.T, dir string) {
	t.Helper()
	left, err := filepathGlob(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Fatalf("spill files left behind: %v", left)
	}
}

// TestHashAggTooBigFailsNamingTheSetting: one group whose exact median
// needs more than the pool cannot spill; the task fails, fatally, naming
// the operator and what to raise, and gives its memory back.
func TestHashAggTooBigFailsNamingTheSetting(t *testing.T) {
	in, recs := spillInput(20000, 3000)
	defer releaseRecs(recs)
	aggs := []logical.AggExpr{bindAgg(t, in, expr.AggMedian, "m", ucol("w"))}
	env, pool := tinyEnv(t)
	_, err := aggRun(in, nil, aggs, false, env, recs)
	if err == nil {
		t.Fatal("a 20000-value median fit a 64 KiB pool")
	}
	t.Log(err)
	for _, want := range []string{"hash aggregate:", "do not fit the memory budget of 64.0 KiB", "--memory", "--executor-memory", "Nomad job"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not say %q", err, want)
		}
	}
	if !errors.Is(err, memory.ErrExhausted) || task.ClassOf(err) != task.Fatal {
		t.Fatalf("want a fatal ErrExhausted, got %v", err)
	}
	if pool.Held() != 0 {
		t.Fatalf("pool holds %d bytes after the failed task", pool.Held())
	}
	assertNoSpillFiles(t, env.TempDir)
}

var _ batch.Reader = (*hashAgg)(nil)

func filepathGlob(dir string) ([]string, error) { return filepath.Glob(filepath.Join(dir, "*")) }
