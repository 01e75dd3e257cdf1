package shuffle

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	droverMemory "github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/storage/local"
)

var schema = arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

func batchOf(vals ...int64) arrow.RecordBatch {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(vals, nil)
	a := b.NewArray()
	defer a.Release()
	return array.NewRecordBatch(schema, []arrow.Array{a}, int64(len(vals)))
}

func readPartition(t *testing.T, loc storage.Location, part int) []int64 {
	t.Helper()
	r, _, err := OpenPartition(context.Background(), loc, part, schema)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []int64
	for {
		rec, err := r.Next(context.Background())
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec.Column(0).(*array.Int64).Int64Values()...)
		rec.Release()
	}
}

func TestRoundTripWithEmptyPartitions(t *testing.T) {
	dir := t.TempDir()
	loc := storage.Location{Store: local.New(dir), Key: "s0/m0.arrows"}
	w := NewWriter(schema, 4)
	for _, p := range []struct {
		part int
		vals []int64
	}{{0, []int64{1, 2}}, {2, []int64{5}}, {0, []int64{3}}} {
		rec := batchOf(p.vals...)
		if err := w.Write(p.part, rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	bytes, rows, err := w.Commit(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0] != 3 || rows[1] != 0 || rows[2] != 1 || rows[3] != 0 || bytes[1] != 0 {
		t.Fatalf("rows %v bytes %v", rows, bytes)
	}
	if got := readPartition(t, loc, 0); len(got) != 3 || got[2] != 3 {
		t.Fatalf("partition 0 = %v", got)
	}
	if got := readPartition(t, loc, 1); len(got) != 0 {
		t.Fatalf("partition 1 = %v", got)
	}
	if got := readPartition(t, loc, 2); len(got) != 1 || got[0] != 5 {
		t.Fatalf("partition 2 = %v", got)
	}
}

func TestCorruptFooterIsAnError(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad"), []byte("not a shuffle object at all"), 0o644)
	_, _, err := OpenPartition(context.Background(), storage.Location{Store: local.New(dir), Key: "bad"}, 0, schema)
	if err == nil {
		t.Fatal("a corrupt shuffle object opened")
	}
}

// TestWriterSpillsUnderTinyBudget writes 4 partitions through a writer
// whose pool holds less than one partition's output: its runs spill, and
// reducers read exactly what an unbounded writer's object holds.
func TestWriterSpillsUnderTinyBudget(t *testing.T) {
	spillDir := t.TempDir()
	writerSpills(t, spill.Local(spillDir), func() int {
		left, _ := os.ReadDir(spillDir)
		return len(left)
	})
}

// writerSpills is TestWriterSpillsUnderTinyBudget spilling to sd; left
// counts the spill files there.
func writerSpills(t *testing.T, sd spill.Dir, left func() int) {
	dir := t.TempDir()
	pool := droverMemory.NewPool(4 << 10)
	spilling := NewWriter(schema, 4, WithMemory(pool, sd))
	small, _ := writeSample(t, spilling, dir, "small.arrows")
	whole, _ := writeSample(t, NewWriter(schema, 4), dir, "whole.arrows")
	if spilling.Spilled() == 0 {
		t.Fatal("nothing spilled under a 4 KiB budget")
	}
	if h := pool.Held(); h != 0 {
		t.Fatalf("pool holds %d bytes after Close", h)
	}
	if n := left(); n > 0 {
		t.Fatalf("%d spill files left after Close", n)
	}
	for part := range 4 {
		got, want := readPartition(t, small, part), readPartition(t, whole, part)
		if len(got) != 100*50 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("partition %d: %d rows differ from the unspilled object's %d", part, len(got), len(want))
		}
	}
}

// TestCorruptObjectsAreErrors: an index that does not fit its object, and
// a message length that claims gigabytes, fail with an error instead of
// reading outside the partition or allocating what the length says (found
// by FuzzShuffleObject; the seed is in testdata/fuzz).
func TestCorruptObjectsAreErrors(t *testing.T) {
	footer := func(data, js string) []byte {
		var tail [8]byte
		binary.LittleEndian.PutUint64(tail[:], uint64(len(js)))
		return append([]byte(data+js), tail[:]...)
	}
	huge := string([]byte{0xff, 0xff, 0xff, 0x78}) + strings.Repeat("\x00", 60) // metadata length 2 GB
	for _, c := range []struct {
		name string
		obj  []byte
	}{
		{"offsets past the footer", footer("abcd", `{"offsets":[0,100],"rows":[1]}`)},
		{"offsets going back", footer("abcd", `{"offsets":[0,3,1],"rows":[1,1]}`)},
		{"offsets not from 0", footer("abcd", `{"offsets":[2,4],"rows":[1]}`)},
		{"no offsets", footer("abcd", `{"rows":[]}`)},
		{"a 2 GB metadata length", footer(huge, `{"offsets":[0,64],"rows":[1]}`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "m"), c.obj, 0o644)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, _, err := OpenPartition(context.Background(), storage.Location{Store: local.New(dir), Key: "m"}, 0, schema)
			if err == nil {
				_, err = r.Next(context.Background())
				r.Close()
			}
			runtime.ReadMemStats(&after)
			if err == nil || err == io.EOF {
				t.Fatalf("no error (%v)", err)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Fatalf("reading a %d-byte object allocated %d MB", len(c.obj), grew>>20)
			}
		})
	}
}

// Mem counts the Arrow bytes written to each partition: a column of n
// int64 values without nulls is 8n bytes of data.
func TestWriterMemPerPartition(t *testing.T) {
	w := NewWriter(schema, 3)
	defer w.Close()
	for _, b := range []arrow.RecordBatch{batchOf(1, 2, 3), batchOf(4)} {
		if err := w.Write(1, b); err != nil {
			t.Fatal(err)
		}
		if got := RecordMemBytes(b); got < 8*b.NumRows() {
			t.Fatalf("RecordMemBytes = %d for %d int64 rows", got, b.NumRows())
		}
		b.Release()
	}
	mem := w.Mem()
	if mem[0] != 0 || mem[2] != 0 || mem[1] < 32 {
		t.Fatalf("Mem = %v, want only partition 1, at least 32 bytes", mem)
	}
}

// bufferingStore is a local store whose writers claim to buffer like S3's
// (storage.UploadBufferer) and record what the pool held as they wrote.
type bufferingStore struct {
	storage.Store
	buffer int64
	pool   *droverMemory.Pool
	held   []int64
}

func (s *bufferingStore) UploadBuffer() int64 { return s.buffer }

func (s *bufferingStore) Create(ctx context.Context, key string) (storage.Writer, error) {
	w, err := s.Store.Create(ctx, key)
	return &heldRecorder{Writer: w, s: s}, err
}

type heldRecorder struct {
	storage.Writer
	s *bufferingStore
}

func (r *heldRecorder) Write(p []byte) (int, error) {
	r.s.held = append(r.s.held, r.s.pool.Held())
	return r.Writer.Write(p)
}

// TestCommitReservesUploadBuffers: while a map output uploads to a store
// that buffers (S3's parts), the pool holds the upload's buffers; a pool
// that cannot hold them beside the partitions' bytes makes the writer
// spill those first; everything is given back after Commit.
func TestCommitReservesUploadBuffers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		limit      int64
		wantSpill  bool
		wantUpload int64
	}{
		{"fits", 64 << 20, false, 1 << 20},
		{"spills to make room", 1<<20 + 8<<10, true, 1 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := droverMemory.NewPool(tc.limit)
			st := &bufferingStore{Store: local.New(t.TempDir()), buffer: 1 << 20, pool: pool}
			w := NewWriter(schema, 2, WithMemory(pool, spill.Local(t.TempDir())))
			defer w.Close()
			for i := range 40 {
				vals := make([]int64, 4096)
				for j := range vals {
					vals[j] = int64(i*7919+j) * 2654435761 // poorly compressible
				}
				rec := batchOf(vals...)
				err := w.Write(i%2, rec)
				rec.Release()
				if err != nil {
					t.Fatal(err)
				}
			}
			if w.Bytes() < 1<<20 {
				t.Fatalf("the map output is %d bytes; the test wants more than the 1 MiB upload buffer", w.Bytes())
			}
			before := pool.Held()
			loc := storage.Location{Store: st, Key: "m.arrows"}
			if _, _, err := w.Commit(context.Background(), loc); err != nil {
				t.Fatal(err)
			}
			if (w.Spilled() > 0) != tc.wantSpill {
				t.Fatalf("spilled %d bytes (pool held %d of %d before Commit); want spilling %v", w.Spilled(), before, tc.limit, tc.wantSpill)
			}
			if len(st.held) == 0 {
				t.Fatal("nothing was written")
			}
			for i, h := range st.held {
				if h < tc.wantUpload {
					t.Fatalf("write %d: the pool held %d bytes while uploading; want at least the upload's %d", i, h, tc.wantUpload)
				}
			}
			if h := pool.Held(); h != 0 && tc.wantSpill {
				t.Fatalf("pool holds %d bytes after a spilled Commit", h)
			}
			w.Close()
			if h := pool.Held(); h != 0 {
				t.Fatalf("pool holds %d bytes after Close", h)
			}
			for part := range 2 {
				if got := readPartition(t, loc, part); len(got) != 20*4096 {
					t.Fatalf("partition %d: %d rows, want %d", part, len(got), 20*4096)
				}
			}
		})
	}
}

// TestUncompressedReadsTheSame: a writer without LZ4 (local shuffles),
// spilling or not, gives reducers the rows a compressing writer's object
// holds, in a larger object.
func TestUncompressedReadsTheSame(t *testing.T) {
	dir := t.TempDir()
	write := func(key string, opts ...Option) (storage.Location, int64) {
		t.Helper()
		return writeSample(t, NewWriter(schema, 4, opts...), dir, key)
	}
	lz4, lz4Bytes := write("lz4.arrows")
	plain, plainBytes := write("plain.arrows", Uncompressed())
	spilled, _ := write("spilled.arrows", Uncompressed(), WithMemory(droverMemory.NewPool(4<<10), spill.Local(t.TempDir())))
	if plainBytes <= lz4Bytes {
		t.Errorf("uncompressed object %d bytes, LZ4 one %d: the writer compressed", plainBytes, lz4Bytes)
	}
	for part := range 4 {
		want := fmt.Sprint(readPartition(t, lz4, part))
		for name, loc := range map[string]storage.Location{"plain": plain, "plain, spilled": spilled} {
			if got := fmt.Sprint(readPartition(t, loc, part)); got != want {
				t.Errorf("%s: partition %d differs from the LZ4 object's", name, part)
			}
		}
	}
}

// writeSample writes 400 batches of 50 ascending values round-robin to
// w's 4 partitions, commits the object to key in dir, closes w and
// returns the object and its bytes.
func writeSample(t *testing.T, w *Writer, dir, key string) (storage.Location, int64) {
	t.Helper()
	defer w.Close()
	for i := range 400 {
		vals := make([]int64, 50)
		for j := range vals {
			vals[j] = int64(i*50 + j)
		}
		rec := batchOf(vals...)
		err := w.Write(i%4, rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	loc := storage.Location{Store: local.New(dir), Key: key}
	bytes, _, err := w.Commit(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, b := range bytes {
		n += b
	}
	return loc, n
}
