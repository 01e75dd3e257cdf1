package formattest

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/local" // file paths
)

// Put writes data to path through storage.
func Put(t testing.TB, path string, data []byte) {
	t.Helper()
	w := create(t, path)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func create(t testing.TB, path string) storage.Writer {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := loc.Store.Create(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Write writes recs to path with f's writer.
func Write(t testing.TB, f format.Format, path string, schema *arrow.Schema, opts map[string]string, recs ...arrow.RecordBatch) {
	t.Helper()
	sw := create(t, path)
	fw, err := f.NewWriter(sw, schema, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := fw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
}

// Location resolves path.
func Location(t testing.TB, path string) storage.Location {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Scan splits the file at path (targetBytes as given) and reads every
// split in order with ro, returning the batches or the first error.
func Scan(f format.Format, path string, targetBytes int64, ro format.ReadOptions) ([]arrow.RecordBatch, error) {
	ctx := context.Background()
	loc, err := storage.Resolve(ctx, path)
	if err != nil {
		return nil, err
	}
	info, err := loc.Store.Stat(ctx, loc.Key)
	if err != nil {
		return nil, err
	}
	splits, err := format.SplitFile(ctx, f, loc, info.Size, targetBytes, ro.Options)
	if err != nil {
		return nil, err
	}
	var out []arrow.RecordBatch
	for _, s := range splits {
		r, err := f.Open(ctx, s, ro)
		if err != nil {
			Release(out)
			return nil, err
		}
		recs, err := batch.ReadAll(ctx, r)
		if err != nil {
			Release(out)
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// Release releases every batch.
func Release(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}
