package parquetfmt_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// countedBytes is what files opened through the "counted" scheme read.
var countedBytes atomic.Int64

type countingStore struct{ storage.Store }

func (s countingStore) Open(ctx context.Context, key string) (storage.File, error) {
	f, err := s.Store.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	return countingFile{f}, nil
}

// URL keeps split URLs on the counted scheme.
func (s countingStore) URL(key string) string { return "counted://x/" + key }

type countingFile struct{ storage.File }

func (f countingFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.File.ReadAt(p, off)
	countedBytes.Add(int64(n))
	return n, err
}

// registerCounted makes counted://x/<absolute path without its leading
// slash> a local file whose reads are counted.
func registerCounted(t *testing.T) {
	loc, err := storage.Resolve(context.Background(), "/")
	if err != nil {
		t.Fatal(err)
	}
	storage.Register("counted", func(context.Context, string) (storage.Store, error) {
		return countingStore{loc.Store}, nil
	})
}

// TestLateMaterializationReadsChunksOnce: late materialization over a
// row group read whole (unbuffered streams: its column chunks are read
// in one piece) reads no more of the file than reading it without late
// materialization, however many payload batches it skips — a seek there
// would open a new page reader that reads the whole chunk again.
func TestLateMaterializationReadsChunksOnce(t *testing.T) {
	registerCounted(t)
	path := writeLayout(t, 120_000, foreignLayout{rowGroupRows: 120_000, pageIndex: true})
	url := "counted://x/" + strings.TrimPrefix(path, "/")
	mod := expr.Call(expr.FnMod, col(0), i64(16_384))
	mod.Type = types.Int64Type
	// one row in every other batch: the payload side skips every other one
	ro := format.ReadOptions{Table: numbersSchema, Filters: []*expr.Expr{call(expr.FnEq, mod, i64(0))}, BatchRows: 8192}
	read := func(late bool) int64 {
		defer parquetfmt.SetLateMaterialization(late)()
		before := countedBytes.Load()
		recs, err := formattest.Scan(f, url, 0, ro)
		if err != nil {
			t.Fatal(err)
		}
		formattest.Release(recs)
		return countedBytes.Load() - before
	}
	plain, late := read(false), read(true)
	if late > plain+plain/10 {
		t.Fatalf("late materialization read %d bytes, %.1fx the %d without it", late, float64(late)/float64(plain), plain)
	}
	if testing.Verbose() {
		t.Logf("read %d bytes late, %d plain", late, plain)
	}
}
