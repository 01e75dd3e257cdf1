package operator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	droverMemory "github.com/drover-etl/drover/memory"
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

var readSchema = types.NewSchema(types.Field{Name: "x", Type: types.Int64Type})

// mapValue is the value map task m writes as row r of partition p; every
// (m+p)%7 == 0 partition is left empty.
func mapValue(m, p, r int) int64 { return int64(m)*1_000_000 + int64(p)*10 + int64(r) }

// writeMapOutputs writes maps shuffle objects of parts partitions (two
// rows each, some empty) under dir, as map tasks do.
func writeMapOutputs(t testing.TB, dir string, maps, parts int) []task.MapOutput {
	t.Helper()
	outs := make([]task.MapOutput, maps)
	for m := range maps {
		w := shuffle.NewWriter(readSchema.Arrow(), parts)
		for p := range parts {
			if (m+p)%7 == 0 {
				continue
			}
			rec := shuffleBatch(readSchema.Arrow(), mapValue(m, p, 0), mapValue(m, p, 1))
			if err := w.Write(p, rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
		}
		url := task.ShuffleURL(dir, 0, m, 0)
		loc, err := storage.Resolve(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		bytes, rows, err := w.Commit(context.Background(), loc)
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		outs[m] = task.MapOutput{URL: url, Bytes: bytes, Rows: rows}
	}
	return outs
}

func shuffleBatch(schema *arrow.Schema, vals ...int64) arrow.RecordBatch {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(vals, nil)
	a := b.NewArray()
	defer a.Release()
	return array.NewRecordBatch(schema, []arrow.Array{a}, int64(len(vals)))
}

// readPartition reads partition part of stage 0 through a stage read.
func readPartition(env *Env, part int) ([]int64, error) {
	return readPartitionCtx(context.Background(), env, part)
}

func readPartitionCtx(ctx context.Context, env *Env, part int) ([]int64, error) {
	n := &physical.Node{Op: physical.OpStageRead, Schema: readSchema, Read: &physical.ReadSpec{Stage: 0, Kind: physical.PartHash}}
	r, err := newStageRead(n, env, part)
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
		rec.Release()
	}
}

func wantPartition(maps, part int) []int64 {
	var want []int64
	for m := range maps {
		if (m+part)%7 != 0 {
			want = append(want, mapValue(m, part, 0), mapValue(m, part, 1))
		}
	}
	return want
}

// TestStageReadManyMapOutputs reads every partition of 200 map outputs ×
// 200 partitions with the parallel fetcher (and every fifth partition
// sequentially, and under a pool too small to prefetch, which streams),
// and checks each gets its rows in map order, with the window
// given back afterwards.
func TestStageReadManyMapOutputs(t *testing.T) {
	const maps, parts = 200, 200
	outs := writeMapOutputs(t, t.TempDir(), maps, parts)
	for _, tc := range []struct {
		name string
		conc int
		pool int64
		step int // read every step-th partition
	}{{"parallel", 8, 0, 1}, {"sequential", 1, 0, 5}, {"tiny pool", 8, 1 << 10, 5}} {
		t.Run(tc.name, func(t *testing.T) {
			pool := droverMemory.NewPool(tc.pool)
			env := &Env{Inputs: map[int][]task.MapOutput{0: outs}, FetchConcurrency: tc.conc, Pool: pool}
			for part := 0; part < parts; part += tc.step {
				got, err := readPartition(env, part)
				if err != nil {
					t.Fatalf("partition %d: %v", part, err)
				}
				if want := wantPartition(maps, part); !slices.Equal(got, want) {
					t.Fatalf("partition %d: got %d rows %v..., want %d", part, len(got), got[:min(4, len(got))], len(want))
				}
				if held := pool.Held(); held != 0 {
					t.Fatalf("partition %d: pool holds %d bytes after Close", part, held)
				}
			}
		})
	}
}

// TestStageReadLostMapOutput checks that a deleted map output surfaces as
// a fetch failure naming that map task, in both fetch modes.
func TestStageReadLostMapOutput(t *testing.T) {
	dir := t.TempDir()
	outs := writeMapOutputs(t, dir, 20, 4)
	if err := os.Remove(outs[13].URL); err != nil {
		t.Fatal(err)
	}
	for _, conc := range []int{1, 8} {
		t.Run(fmt.Sprint(conc), func(t *testing.T) {
			env := &Env{Inputs: map[int][]task.MapOutput{0: outs}, FetchConcurrency: conc}
			_, err := readPartition(env, 2)
			var te *task.Error
			if task.ClassOf(err) != task.FetchFailed || !errors.As(err, &te) || te.Stage != 0 || te.Partition != 13 {
				t.Fatalf("err = %v, want a fetch failure of map output 0.13", err)
			}
		})
	}
}

// TestStageReadUnknownLayout reads map outputs that reported no sizes
// (the layout comes from each object's footer).
func TestStageReadUnknownLayout(t *testing.T) {
	outs := writeMapOutputs(t, filepath.Join(t.TempDir(), "s"), 10, 3)
	for i := range outs {
		outs[i].Bytes, outs[i].Rows = nil, nil
	}
	env := &Env{Inputs: map[int][]task.MapOutput{0: outs}}
	got, err := readPartition(env, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := wantPartition(10, 2); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestFetchWindow: the fetch window is DefaultFetchBytes, or a
// sixteenth of a smaller pool.
func TestFetchWindow(t *testing.T) {
	for _, tc := range []struct{ limit, want int64 }{
		{0, DefaultFetchBytes},
		{4 << 30, DefaultFetchBytes},
		{512 << 20, 32 << 20},
		{64 << 10, 4 << 10},
	} {
		if got := fetchWindow(tc.limit); got != tc.want {
			t.Errorf("fetchWindow(%d) = %d, want %d", tc.limit, got, tc.want)
		}
	}
}

// TestStageReadChecksRowCounts: a piece that decodes to another row count
// than its map task reported (the layout the reducer was given is wrong)
// fails loudly instead of feeding the reducer rows silently.
func TestStageReadChecksRowCounts(t *testing.T) {
	outs := writeMapOutputs(t, t.TempDir(), 3, 4)
	outs[0].Rows[1] = 3 // the object holds 2
	env := &Env{Inputs: map[int][]task.MapOutput{0: outs}}
	if _, err := readPartition(env, 1); task.ClassOf(err) != task.Fatal || !strings.Contains(err.Error(), "its map task reported 3") {
		t.Fatalf("err = %v, want a fatal row-count mismatch", err)
	}
}
