package executor

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	arrowmem "github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/batch"
	_ "github.com/drover-etl/drover/format/jsonl"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/plan/physical"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// sinkRows writes rows (p, v) with v in [0, n) and p = v % parts, in
// batches of 100, through a sink partitioned by p in a pool of budget
// bytes, and returns the files and each line read back with its
// directory.
func sinkRows(t *testing.T, n, parts int, budget int64) ([]string, []string) {
	t.Helper()
	schema := types.NewSchema(types.Field{Name: "p", Type: types.Int64Type}, types.Field{Name: "v", Type: types.Int64Type})
	var recs []arrow.RecordBatch
	for lo := 0; lo < n; lo += 100 {
		pb, vb := array.NewInt64Builder(arrowmem.DefaultAllocator), array.NewInt64Builder(arrowmem.DefaultAllocator)
		for v := lo; v < min(lo+100, n); v++ {
			pb.Append(int64(v % parts))
			vb.Append(int64(v))
		}
		cols := []arrow.Array{pb.NewArray(), vb.NewArray()}
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), cols, int64(cols[0].Len())))
		cols[0].Release()
		cols[1].Release()
		pb.Release()
		vb.Release()
	}
	dir := t.TempDir()
	spec := &task.Spec{ID: task.ID{Stage: 1}, Run: "run-1", StagingDir: filepath.Join(dir, "staging"),
		Fragment: &physical.Node{Op: physical.OpWrite, Schema: schema,
			Write: &physical.WriteSpec{Format: "jsonl", Path: filepath.Join(dir, "out"), PartitionBy: []string{"p"}}}}
	pool := memory.NewPool(budget)
	res := &task.Result{}
	in := batch.NewSliceReader(schema.Arrow(), recs)
	for _, r := range recs {
		r.Release()
	}
	if err := writeSink(context.Background(), in, spec, res, &operator.Env{Pool: pool}); err != nil {
		t.Fatal(err)
	}
	if h := pool.Held(); h != 0 {
		t.Fatalf("pool holds %d bytes after the sink", h)
	}
	var lines []string
	for _, url := range res.Files {
		f, err := os.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		part := filepath.Base(filepath.Dir(url))
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines = append(lines, part+" "+sc.Text())
		}
		f.Close()
	}
	sort.Strings(lines)
	return res.Files, lines
}

// TestSinkBoundsOpenFiles writes 1000 partition values, each coming back
// every 1000 rows (3 times), through a budget that holds a few open files: files are
// finished and new ones started, and the rows written are exactly those of
// an unbounded sink.
func TestSinkBoundsOpenFiles(t *testing.T) {
	wantFiles, want := sinkRows(t, 3000, 1000, 0)
	gotFiles, got := sinkRows(t, 3000, 1000, 4*sinkFileBytes)
	if len(want) != 3000 || len(wantFiles) != 1000 {
		t.Fatalf("unbounded sink wrote %d rows in %d files, want 3000 in 1000", len(want), len(wantFiles))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("bounded sink wrote different rows (%d, want %d)", len(got), len(want))
	}
	if len(gotFiles) <= len(wantFiles) {
		t.Fatalf("bounded sink wrote %d files: no file was finished early", len(gotFiles))
	}
}
