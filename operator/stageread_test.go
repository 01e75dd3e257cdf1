package operator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// An adaptive task's read range picks partitions [PartStart, PartEnd) of
// map outputs [MapStart, MapEnd); a missing object in the range is a fetch
// failure naming its own map index.
func TestStageReadRange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	schema := &types.Schema{Fields: []types.Field{{Name: "v", Type: types.Int64Type}}}
	var outs []task.MapOutput
	for m := range 3 {
		w := shuffle.NewWriter(schema.Arrow(), 3)
		for p := range 3 {
			b := array.NewInt64Builder(mem)
			b.Append(int64(10*m + p))
			col := b.NewArray()
			rec := array.NewRecordBatch(schema.Arrow(), []arrow.Array{col}, 1)
			if err := w.Write(p, rec); err != nil {
				t.Fatal(err)
			}
		}
		url := filepath.Join(dir, fmt.Sprintf("m%d.arrows", m))
		loc, err := storage.Resolve(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		bytes, rows, err := w.Commit(ctx, loc)
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		outs = append(outs, task.MapOutput{URL: url, Bytes: bytes, Rows: rows})
	}
	read := &physical.Node{Op: physical.OpStageRead, Schema: schema, Read: &physical.ReadSpec{Stage: 4, Kind: physical.PartHash}}
	values := func(env *Env) ([]int64, error) {
		r, err := newStageRead(read, env, 0)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		var got []int64
		for {
			rec, err := r.Next(ctx)
			if err == io.EOF {
				return got, nil
			}
			if err != nil {
				return got, err
			}
			got = append(got, rec.Column(0).(*array.Int64).Int64Values()...)
		}
	}
	env := &Env{Inputs: map[int][]task.MapOutput{4: outs}, Reads: task.Reads{4: {PartStart: 1, PartEnd: 3, MapStart: 1, MapEnd: 3}}}
	got, err := values(env)
	if err != nil || !slices.Equal(got, []int64{11, 12, 21, 22}) {
		t.Fatalf("range read %v (%v), want [11 12 21 22]", got, err)
	}
	if got, err := values(&Env{Inputs: env.Inputs}); err != nil || !slices.Equal(got, []int64{0, 10, 20}) {
		t.Fatalf("default read of partition 0: %v (%v)", got, err)
	}
	if err := os.Remove(outs[2].URL); err != nil {
		t.Fatal(err)
	}
	_, err = values(env)
	var te *task.Error
	if !errors.As(err, &te) || te.Class != task.FetchFailed || te.Stage != 4 || te.Partition != 2 {
		t.Fatalf("missing map output 2: %v, want a fetch failure of 4.2", err)
	}
	env.Reads = task.Reads{4: {PartStart: 0, PartEnd: 1, MapStart: 2, MapEnd: 5}}
	if _, err := values(env); err == nil || task.ClassOf(err) != task.Fatal {
		t.Fatalf("a range past the map outputs: %v, want a fatal error", err)
	}
}
