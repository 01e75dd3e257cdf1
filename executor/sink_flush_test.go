package executor

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	arrowmem "github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/drover-etl/drover/batch"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// TestSinkFlushesRowGroupsForTheBudget: a Parquet sink whose budget cannot
// hold a whole row group (128 MiB by default) ends row groups early
// instead of growing past the budget, and writes every row.
func TestSinkFlushesRowGroupsForTheBudget(t *testing.T) {
	const rowsPer, batches = 1 << 16, 40 // 40 MiB of Arrow data
	schema := types.NewSchema(types.Field{Name: "a", Type: types.Int64Type}, types.Field{Name: "b", Type: types.Int64Type})
	var recs []arrow.RecordBatch
	for i := range batches {
		ab, bb := array.NewInt64Builder(arrowmem.DefaultAllocator), array.NewInt64Builder(arrowmem.DefaultAllocator)
		for j := range rowsPer {
			v := int64(i*rowsPer + j)
			ab.Append(v)
			bb.Append(v * 7919)
		}
		cols := []arrow.Array{ab.NewArray(), bb.NewArray()}
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), cols, rowsPer))
		releaseAllArrays(cols)
		ab.Release()
		bb.Release()
	}
	dir := t.TempDir()
	spec := &task.Spec{ID: task.ID{Stage: 1}, Run: "run-1", StagingDir: filepath.Join(dir, "staging"),
		Fragment: &physical.Node{Op: physical.OpWrite, Schema: schema,
			Write: &physical.WriteSpec{Format: "parquet", Path: filepath.Join(dir, "out")}}}
	const budget = 16 << 20
	pool := memory.NewPool(budget)
	in := batch.NewSliceReader(schema.Arrow(), recs)
	for _, r := range recs {
		r.Release()
	}
	peak := &peakReader{Reader: in, pool: pool}
	res := &task.Result{}
	if err := writeSink(context.Background(), peak, spec, res, &operator.Env{Pool: pool}); err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 {
		t.Fatalf("%d files, want 1", len(res.Files))
	}
	r, err := file.OpenParquetFile(res.Files[0], false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumRows() != rowsPer*batches {
		t.Fatalf("%d rows written, want %d", r.NumRows(), rowsPer*batches)
	}
	if r.NumRowGroups() < 3 {
		t.Fatalf("%d row groups: the 40 MiB row group was held whole past a 16 MiB budget", r.NumRowGroups())
	}
	if peak.max > budget+rowsPer*16 {
		t.Fatalf("the pool held up to %d bytes of a %d-byte budget", peak.max, budget)
	}
}

// peakReader records the most the pool held between batches.
type peakReader struct {
	batch.Reader
	pool *memory.Pool
	max  int64
}

func (p *peakReader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	p.max = max(p.max, p.pool.Held())
	return p.Reader.Next(ctx)
}

func releaseAllArrays(cols []arrow.Array) {
	for _, c := range cols {
		c.Release()
	}
}
