package operator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// TestSortSpillsAndMerges sorts 20 batches under a budget so small that
// every batch spills, and checks the merged order and the spill counter.
func TestSortSpillsAndMerges(t *testing.T) {
	in := int64Schema("k", "v")
	rng := rand.New(rand.NewPCG(3, 4))
	var recs []arrowRec
	var all []int64
	for b := 0; b < 20; b++ {
		var ks, vs []*int64
		for i := 0; i < 300; i++ {
			k := int64(rng.IntN(100000))
			all = append(all, k)
			ks, vs = append(ks, p(k)), append(vs, p(int64(b)))
		}
		recs = append(recs, int64Batch(in, ks, vs))
	}
	keys := []logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0])}}
	env := &Env{MemoryBytes: 1, BatchRows: 700, TempDir: t.TempDir()}
	s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: in, Sort: &physical.SortSpec{Keys: keys}}, source(in, recs...), env)
	if err != nil {
		t.Fatal(err)
	}
	got := rows(t, s)
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(got) != len(all) {
		t.Fatalf("%d rows, want %d", len(got), len(all))
	}
	for i, r := range got {
		var k, v int64
		fmt.Sscanf(r, "%d,%d", &k, &v)
		if k != all[i] {
			t.Fatalf("row %d: key %d, want %d", i, k, all[i])
		}
	}
	if env.Spilled.Load() == 0 {
		t.Fatal("sort did not spill under a 1-byte budget")
	}
	if held := env.MemoryPool().Held(); held != 0 {
		t.Fatalf("the pool holds %d bytes after the sort", held)
	}
}

// TestSortSharesThePool: two sorts draw on one 64 KiB pool (two task
// slots); both spill, both give their memory back.
func TestSortSharesThePool(t *testing.T) {
	in := int64Schema("k", "v")
	pool := memory.NewPool(64 << 10)
	var sorts []batch.Reader
	var envs []*Env
	for s := range 2 {
		rng := rand.New(rand.NewPCG(uint64(s), 9))
		var recs []arrowRec
		for range 10 {
			var ks, vs []*int64
			for range 1000 {
				ks, vs = append(ks, p(int64(rng.IntN(1000)))), append(vs, p(int64(s)))
			}
			recs = append(recs, int64Batch(in, ks, vs))
		}
		env := &Env{Pool: pool, BatchRows: 700, TempDir: t.TempDir()}
		keys := []logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0])}}
		op, err := newSort(&physical.Node{Op: physical.OpSort, Schema: in, Sort: &physical.SortSpec{Keys: keys}}, source(in, recs...), env)
		if err != nil {
			t.Fatal(err)
		}
		sorts, envs = append(sorts, op), append(envs, env)
	}
	// Interleave: the first sort holds its buffer while the second runs.
	first, err := sorts[0].Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	read := []int{int(first.NumRows()), 0}
	first.Release()
	for i, op := range sorts {
		if n := read[i] + len(rows(t, op)); n != 10000 {
			t.Fatalf("sort %d: %d rows, want 10000", i, n)
		}
		if envs[i].Spilled.Load() == 0 {
			t.Fatalf("sort %d spilled nothing under a shared 64 KiB pool", i)
		}
	}
	if pool.Held() != 0 {
		t.Fatalf("the pool holds %d bytes after both sorts", pool.Held())
	}
}

func TestSortDirectionsAndNulls(t *testing.T) {
	in := int64Schema("a", "b")
	rec := int64Batch(in, []*int64{p(1), nil, p(2), p(1), nil}, []*int64{p(5), p(1), p(3), nil, p(2)})
	cases := []struct {
		keys []logical.SortKey
		want []string
	}{
		{[]logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0])}, {Expr: expr.BoundCol(1, in.Fields[1])}},
			[]string{"1,5", "1,NULL", "2,3", "NULL,1", "NULL,2"}},
		{[]logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0]), Desc: true, NullsFirst: true}, {Expr: expr.BoundCol(1, in.Fields[1]), Desc: true, NullsFirst: true}},
			[]string{"NULL,2", "NULL,1", "2,3", "1,NULL", "1,5"}},
		{[]logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0]), Desc: true}, {Expr: expr.BoundCol(1, in.Fields[1]), NullsFirst: true}},
			[]string{"2,3", "1,NULL", "1,5", "NULL,1", "NULL,2"}},
	}
	for i, c := range cases {
		rec.Retain()
		s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: in, Sort: &physical.SortSpec{Keys: c.keys}}, source(in, rec), &Env{})
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) { mustEqual(t, rows(t, s), c.want) })
	}
}

func TestTopN(t *testing.T) {
	in := int64Schema("k", "v")
	var recs []arrowRec
	for b := 0; b < 10; b++ {
		var ks, vs []*int64
		for i := 0; i < 100; i++ {
			ks, vs = append(ks, p(int64((b*100+i)*7919%1000))), append(vs, p(0))
		}
		recs = append(recs, int64Batch(in, ks, vs))
	}
	keys := []logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0]), Desc: true}}
	top, err := newTopN(&physical.Node{Op: physical.OpTopN, Schema: in, Sort: &physical.SortSpec{Keys: keys}, Limit: 3}, source(in, recs...), &Env{BatchRows: 64})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, rows(t, top), []string{"999,0", "998,0", "997,0"})
}

// TestNaNSortsAboveNumbers: ORDER BY and min/max order NaN like the
// evaluator's comparisons do (PostgreSQL): above every number, below NULL.
func TestNaNSortsAboveNumbers(t *testing.T) {
	schema := &types.Schema{Fields: []types.Field{{Name: "f", Type: types.Float64Type, Nullable: true}}}
	b := array.NewFloat64Builder(mem)
	b.AppendValues([]float64{1, math.NaN(), 2}, nil)
	b.AppendNull()
	col := b.NewArray()
	rec := array.NewRecordBatch(schema.Arrow(), []arrow.Array{col}, 4)
	keys := []logical.SortKey{{Expr: expr.BoundCol(0, schema.Fields[0])}}
	s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: schema, Sort: &physical.SortSpec{Keys: keys}}, source(schema, rec), &Env{})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, rows(t, s), []string{"1", "2", "NaN", "NULL"})
	mm, _ := newMinMax(types.Float64Type, false)
	mx, _ := newMinMax(types.Float64Type, true)
	for _, a := range []accumulator{mm, mx} {
		a.grow(1)
		if err := a.update([]int32{0, 0, 0, 0}, col); err != nil {
			t.Fatal(err)
		}
	}
	lo, _ := mm.final()
	hi, _ := mx.final()
	if lo.(*array.Float64).Value(0) != 1 || !math.IsNaN(hi.(*array.Float64).Value(0)) {
		t.Fatalf("min %v, max %v; want 1, NaN", lo, hi)
	}
}

// TestSortMergesManyRunsInPasses: a 1-byte budget spills every batch, far
// more runs than one merge reads at once: they are merged in passes, the
// order is exact, and no run file is left.
func TestSortMergesManyRunsInPasses(t *testing.T) {
	in := int64Schema("k", "v")
	rng := rand.New(rand.NewPCG(8, 9))
	var recs []arrowRec
	var all []int64
	const batches = mergeFanIn*mergeFanIn + 7 // two passes before the last merge
	for b := range batches {
		var ks, vs []*int64
		for range 20 {
			k := int64(rng.IntN(1000000))
			all = append(all, k)
			ks, vs = append(ks, p(k)), append(vs, p(int64(b)))
		}
		recs = append(recs, int64Batch(in, ks, vs))
	}
	keys := []logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0]), Desc: true}}
	env := &Env{MemoryBytes: 1, BatchRows: 100, TempDir: t.TempDir()}
	s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: in, Sort: &physical.SortSpec{Keys: keys}}, source(in, recs...), env)
	if err != nil {
		t.Fatal(err)
	}
	got := rows(t, s)
	sort.Slice(all, func(i, j int) bool { return all[i] > all[j] })
	if len(got) != len(all) {
		t.Fatalf("%d rows, want %d", len(got), len(all))
	}
	for i, r := range got {
		var k, v int64
		fmt.Sscanf(r, "%d,%d", &k, &v)
		if k != all[i] {
			t.Fatalf("row %d: key %d, want %d", i, k, all[i])
		}
	}
	if left, _ := os.ReadDir(env.TempDir); len(left) > 0 {
		t.Fatalf("%d run files left behind", len(left))
	}
	if env.Spilled.Load() == 0 {
		t.Fatal("nothing spilled")
	}
}
