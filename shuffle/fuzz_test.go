package shuffle

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/storage/local"
)

// FuzzShuffleObject decodes arbitrary bytes as a shuffle object: the
// footer and index, then every partition's batches. A corrupt object must
// fail with an error, never panic or read outside its partition.
func FuzzShuffleObject(fz *testing.F) {
	fz.Add(validObject(fz))
	fz.Add([]byte("{\"offsets\":[0,0]}\x11\x00\x00\x00\x00\x00\x00\x00"))
	fz.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "m"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		loc := storage.Location{Store: local.New(dir), Key: "m"}
		for part := 0; part < 4; part++ {
			readAll(loc, part)
		}
	})
}

func readAll(loc storage.Location, part int) {
	r, _, err := OpenPartition(context.Background(), loc, part, schema)
	if err != nil {
		return
	}
	defer r.Close()
	for {
		rec, err := r.Next(context.Background())
		if err != nil {
			return
		}
		rec.Release()
	}
}

// validObject is a real shuffle object with three partitions, one empty.
func validObject(fz *testing.F) []byte {
	dir := fz.TempDir()
	loc := storage.Location{Store: local.New(dir), Key: "m"}
	w := NewWriter(schema, 3)
	for part, vals := range [][]int64{{1, 2}, nil, {3}} {
		if vals == nil {
			continue
		}
		rec := batchOf(vals...)
		if err := w.Write(part, rec); err != nil {
			fz.Fatal(err)
		}
		rec.Release()
	}
	if _, _, err := w.Commit(context.Background(), loc); err != nil {
		fz.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "m"))
	if err != nil {
		fz.Fatal(err)
	}
	return bytes.Clone(b)
}
