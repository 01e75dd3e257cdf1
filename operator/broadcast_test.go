package operator

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// writeBroadcast writes maps one-partition shuffle objects (a broadcast
// exchange) of rows (k, b) = (i%keys, m*1000+i).
func writeBroadcast(t *testing.T, dir string, maps, rows, keys int) []task.MapOutput {
	t.Helper()
	outs := make([]task.MapOutput, maps)
	for m := range maps {
		w := shuffle.NewWriter(joinRightSchema.Arrow(), 1)
		var k, b []int64
		for i := range rows {
			k, b = append(k, int64(i%keys)), append(b, int64(m*1000+i))
		}
		rec := int64Batch(joinRightSchema, ints(k...), ints(b...))
		if err := w.Write(0, rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
		url := task.ShuffleURL(dir, 0, m, 0)
		loc, err := storage.Resolve(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		bytes, rowsPer, err := w.Commit(context.Background(), loc)
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		outs[m] = task.MapOutput{URL: url, Bytes: bytes, Rows: rowsPer}
	}
	return outs
}

// broadcastJoin is a hash join of a VALUES probe side (k, a) over a
// broadcast stage read of stage 0.
func broadcastJoin(typ logical.JoinType, probeRows int) *physical.Node {
	vals := make([][]*expr.Expr, probeRows)
	for i := range vals {
		vals[i] = []*expr.Expr{expr.Lit(types.Int64Value(int64(i % 70))), expr.Lit(types.Int64Value(int64(i)))}
	}
	c := joinCase{typ: typ, keyed: true}
	build := &physical.Node{Op: physical.OpStageRead, Schema: joinRightSchema, Read: &physical.ReadSpec{Stage: 0, Kind: physical.PartBroadcast}}
	probe := &physical.Node{Op: physical.OpValues, Schema: joinLeftSchema, Values: &physical.ValuesSpec{Rows: vals}}
	return &physical.Node{Op: physical.OpHashJoin, Schema: c.schema(), Join: c.spec(), Inputs: []*physical.Node{probe, build}}
}

// TestBroadcastBuiltOncePerExecutor runs 8 concurrent probe tasks of a
// broadcast join sharing one cache and pool, as an executor's slots do:
// the table is built once (whether or not the tasks overlap: it stays
// idle between them), every task answers as one with its own table, and
// the pool is empty once it is evicted.
func TestBroadcastBuiltOncePerExecutor(t *testing.T) {
	outs := writeBroadcast(t, t.TempDir(), 6, 40, 50)
	for _, typ := range []logical.JoinType{logical.InnerJoin, logical.LeftJoin, logical.SemiJoin, logical.AntiJoin} {
		t.Run(typ.String(), func(t *testing.T) {
			node := broadcastJoin(typ, 300)
			inputs := map[int][]task.MapOutput{0: outs}
			want := sorted(drainJoin(t, node, &Env{Inputs: inputs}))
			var cache BroadcastCache
			pool := memory.NewPool(0)
			const tasks = 8
			got := make([][]string, tasks)
			var wg sync.WaitGroup
			for i := range tasks {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got[i] = sorted(drainJoin(t, node, &Env{Inputs: inputs, Pool: pool, Broadcasts: &cache}))
				}()
			}
			wg.Wait()
			for i := range tasks {
				mustEqual(t, got[i], want)
			}
			if cache.Builds() != 1 || pool.Held() == 0 || len(cache.entries) != 1 {
				t.Fatalf("%d builds, pool holds %d, %d entries; want 1 build kept idle in the pool", cache.Builds(), pool.Held(), len(cache.entries))
			}
			cache.EvictIdle()
			if pool.Held() != 0 || len(cache.entries) != 0 {
				t.Fatalf("after EvictIdle: pool holds %d, %d entries", pool.Held(), len(cache.entries))
			}
		})
	}
}

// drainJoin builds and drains node; the join stays open until every row is
// read, so concurrent runs overlap in the cache.
func drainJoin(t *testing.T, node *physical.Node, env *Env) []string {
	r, err := Build(context.Background(), node, env)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer r.Close()
	return rows(t, r)
}

// TestBroadcastNotSharedWhenRefused: a pool too small for the whole table
// makes each task build (and spill) its own, with the same answer.
func TestBroadcastNotSharedWhenRefused(t *testing.T) {
	outs := writeBroadcast(t, t.TempDir(), 6, 400, 50)
	node := broadcastJoin(logical.InnerJoin, 300)
	inputs := map[int][]task.MapOutput{0: outs}
	want := sorted(drainJoin(t, node, &Env{Inputs: inputs}))
	var cache BroadcastCache
	pool := memory.NewPool(4 << 10)
	env := &Env{Inputs: inputs, Pool: pool, Broadcasts: &cache, TempDir: t.TempDir()}
	mustEqual(t, sorted(drainJoin(t, node, env)), want)
	if env.Spilled.Load() == 0 || pool.Held() != 0 || len(cache.entries) != 0 {
		t.Fatalf("spilled %d, pool holds %d, %d entries; want a spill, 0, 0", env.Spilled.Load(), pool.Held(), len(cache.entries))
	}
}

// TestBroadcastRecomputedMapOutput: a broadcast whose map output was
// recomputed (a new URL) gets a new table, and the idle old one is freed.
func TestBroadcastRecomputedMapOutput(t *testing.T) {
	dir := t.TempDir()
	outs := writeBroadcast(t, dir, 3, 40, 50)
	node := broadcastJoin(logical.InnerJoin, 100)
	var cache BroadcastCache
	pool := memory.NewPool(0)
	first := sorted(drainJoin(t, node, &Env{Inputs: map[int][]task.MapOutput{0: outs}, Pool: pool, Broadcasts: &cache}))
	again := append([]task.MapOutput(nil), outs...)
	again[1].URL = task.ShuffleURL(dir, 0, 1, 1)
	if err := os.Rename(outs[1].URL, again[1].URL); err != nil {
		t.Fatal(err)
	}
	mustEqual(t, sorted(drainJoin(t, node, &Env{Inputs: map[int][]task.MapOutput{0: again}, Pool: pool, Broadcasts: &cache})), first)
	if cache.Builds() != 2 || len(cache.entries) != 1 {
		t.Fatalf("%d builds, %d entries; want 2 builds, the first table evicted", cache.Builds(), len(cache.entries))
	}
	cache.EvictIdle()
	if pool.Held() != 0 {
		t.Fatalf("pool holds %d", pool.Held())
	}
}

// TestBroadcastLostMapOutput: when the shared build cannot read a map
// output, every waiting task fails with the fetch failure naming it, and
// nothing stays cached.
func TestBroadcastLostMapOutput(t *testing.T) {
	outs := writeBroadcast(t, t.TempDir(), 4, 40, 50)
	if err := os.Remove(outs[2].URL); err != nil {
		t.Fatal(err)
	}
	node := broadcastJoin(logical.InnerJoin, 100)
	var cache BroadcastCache
	pool := memory.NewPool(0)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := Build(context.Background(), node, &Env{Inputs: map[int][]task.MapOutput{0: outs}, Pool: pool, Broadcasts: &cache})
			if err == nil {
				_, err = r.Next(context.Background())
				r.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		var te *task.Error
		if !errors.As(err, &te) || te.Class != task.FetchFailed || te.Partition != 2 {
			t.Fatalf("err = %v, want a fetch failure of map output 0.2", err)
		}
	}
	if len(cache.entries) != 0 || pool.Held() != 0 {
		t.Fatalf("%d entries, pool holds %d after a failed build", len(cache.entries), pool.Held())
	}
}
