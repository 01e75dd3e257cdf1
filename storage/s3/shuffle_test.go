package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	droverMemory "github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/storage"
)

var shuffleSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64},
	{Name: "v", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// randomBatch makes n rows of random values (incompressible, so the
// object's size is the data's size).
func randomBatch(r *rand.Rand, n int) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, shuffleSchema)
	defer b.Release()
	for range n {
		b.Field(0).(*array.Int64Builder).Append(r.Int64())
		b.Field(1).(*array.Int64Builder).Append(r.Int64())
	}
	return b.NewRecordBatch()
}

func testResolve(t *testing.T, fx *fixture) {
	fx.m.MakeBucket(t, "drover-resolve")
	fx.m.SetEnv(t)
	loc, err := storage.Resolve(context.Background(), "s3://drover-resolve/dir/obj")
	if err != nil {
		t.Fatal(err)
	}
	if loc.Key != "dir/obj" || loc.URL() != "s3://drover-resolve/dir/obj" {
		t.Fatalf("Resolve = key %q, URL %q", loc.Key, loc.URL())
	}
	put(t, loc.Store, loc.Key, []byte("via Resolve"), 4)
	got, err := storage.Expand(context.Background(), "s3://drover-resolve/dir/")
	if err != nil || len(got) != 1 || got[0].Key != "dir/obj" {
		t.Fatalf("Expand = %v, %v", got, err)
	}
}

// testShuffleRoundTrip writes one map task's output through the shuffle
// format to MinIO and reads every partition back by range, with the
// writer holding its output in memory and with one spilling runs under a
// 16 KiB budget.
func testShuffleRoundTrip(t *testing.T, fx *fixture) {
	for _, budget := range []int64{0, 16 << 10} {
		pool := droverMemory.NewPool(budget)
		w := shuffle.NewWriter(shuffleSchema, 5, shuffle.WithMemory(pool, spill.Local(t.TempDir())))
		shuffleRoundTrip(t, fx, w, fmt.Sprintf("shuffle/stage-1/map-%d", budget))
		if budget > 0 && w.Spilled() == 0 {
			t.Fatal("the writer did not spill under 16 KiB")
		}
		w.Close()
		if h := pool.Held(); h != 0 {
			t.Fatalf("pool holds %d bytes after the writer closed", h)
		}
	}
}

func shuffleRoundTrip(t *testing.T, fx *fixture, w *shuffle.Writer, key string) {
	ctx := context.Background()
	const parts = 5
	r := rand.New(rand.NewPCG(1, 2))
	var want [parts][]int64
	for i := range 40 {
		part := i % (parts - 1) // the last partition stays empty
		rec := randomBatch(r, 1000+i)
		want[part] = append(want[part], rec.Column(0).(*array.Int64).Int64Values()...)
		if err := w.Write(part, rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	loc := storage.Location{Store: fx.s, Key: key}
	if _, rows, err := w.Commit(ctx, loc); err != nil || rows[parts-1] != 0 {
		t.Fatalf("Commit: rows %v, %v", rows, err)
	}
	for part := range parts {
		got := readPartition(t, loc, part)
		if !equalInt64s(got, want[part]) {
			t.Errorf("partition %d: read %d keys, want %d (or they differ)", part, len(got), len(want[part]))
		}
	}
}

func readPartition(t testing.TB, loc storage.Location, part int) []int64 {
	t.Helper()
	rd, _, err := shuffle.OpenPartition(context.Background(), loc, part, shuffleSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var keys []int64
	for {
		rec, err := rd.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return keys
		}
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, rec.Column(0).(*array.Int64).Int64Values()...)
		rec.Release()
	}
}

func equalInt64s(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
