package executor

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	arrowmem "github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// exchangeRows hash-partitions 20000 rows into 8 partitions through a pool
// of budget bytes and reads every partition back, sorted.
func exchangeRows(t *testing.T, budget int64) ([][]int64, int64) {
	t.Helper()
	schema := types.NewSchema(types.Field{Name: "v", Type: types.Int64Type})
	var recs []arrow.RecordBatch
	for lo := 0; lo < 20000; lo += 500 {
		b := array.NewInt64Builder(arrowmem.DefaultAllocator)
		for v := lo; v < lo+500; v++ {
			b.Append(int64(v))
		}
		col := b.NewArray()
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), []arrow.Array{col}, 500))
		col.Release()
		b.Release()
	}
	in := batch.NewSliceReader(schema.Arrow(), recs)
	for _, r := range recs {
		r.Release()
	}
	spec := &task.Spec{ID: task.ID{Stage: 2, Partition: 3}, ShuffleDir: t.TempDir(),
		Fragment: &physical.Node{Op: physical.OpValues, Schema: schema},
		Output: &physical.ExchangeSpec{Kind: physical.PartHash, Partitions: 8,
			Keys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}}}
	pool := memory.NewPool(budget)
	env := &operator.Env{Pool: pool, TempDir: t.TempDir()}
	out, rows, _, err := writeExchange(context.Background(), in, spec, env)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 20000 || pool.Held() != 0 {
		t.Fatalf("%d rows written, pool holds %d bytes after the task", rows, pool.Held())
	}
	if left, _ := os.ReadDir(env.TempDir); len(left) > 0 {
		t.Fatalf("%d spill files left", len(left))
	}
	loc, err := storage.Resolve(context.Background(), out.URL)
	if err != nil {
		t.Fatal(err)
	}
	parts := make([][]int64, 8)
	for p := range parts {
		r, _, err := shuffle.OpenPartition(context.Background(), loc, p, schema.Arrow())
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			parts[p] = append(parts[p], rec.Column(0).(*array.Int64).Int64Values()...)
			rec.Release()
		}
		r.Close()
		sort.Slice(parts[p], func(i, j int) bool { return parts[p][i] < parts[p][j] })
	}
	return parts, env.Spilled.Load()
}

// TestExchangeSpillsUnderTinyBudget: a map task whose budget holds a
// sliver of its output spills runs, and every reducer reads the rows an
// unbounded writer gives it.
func TestExchangeSpillsUnderTinyBudget(t *testing.T) {
	want, spilled := exchangeRows(t, 0)
	if spilled != 0 {
		t.Fatalf("spilled %d bytes without a budget", spilled)
	}
	got, spilled := exchangeRows(t, 8<<10)
	if spilled == 0 {
		t.Fatal("nothing spilled under an 8 KiB budget")
	}
	n := 0
	for _, p := range want {
		n += len(p)
	}
	if n != 20000 {
		t.Fatalf("reducers read %d rows, want 20000", n)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatal("partitions differ from the unspilled ones")
	}
}
