package icetable

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/table"

	"github.com/drover-etl/drover/types"
)

var testCols = &types.Schema{Fields: []types.Field{
	{Name: "id", Type: types.Int64Type, Nullable: true},
	{Name: "day", Type: types.StringType, Nullable: true},
}}

// writeFile writes one Parquet data file (rows of id, day) with the
// table's field ids, as a sink task would, and returns its URL.
func writeFile(t *testing.T, s *Sink, name string, ids []int64, day string) string {
	t.Helper()
	dir := filepath.Join(s.DataDir[len("file://"):], "day="+day)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true, Metadata: arrow.NewMetadata([]string{"PARQUET:field_id"}, []string{strconv.Itoa(s.FieldIDs[0])})},
		{Name: "day", Type: arrow.BinaryTypes.String, Nullable: true, Metadata: arrow.NewMetadata([]string{"PARQUET:field_id"}, []string{strconv.Itoa(s.FieldIDs[1])})},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	for _, id := range ids {
		b.Field(0).(*array.Int64Builder).Append(id)
		b.Field(1).(*array.StringBuilder).Append(day)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(dir, name+".parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(sch, f, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return "file://" + path
}

func testLake(t *testing.T) Config {
	dir := t.TempDir()
	return Config{Name: "lake", Type: TypeSQL, URI: "sqlite://" + filepath.Join(dir, "c.db"), Warehouse: "file://" + filepath.Join(dir, "wh")}
}

func prepare(t *testing.T, cfg Config, mode Mode) *Sink {
	t.Helper()
	cat, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := PrepareSink(context.Background(), cat, cfg.Warehouse, []string{"db", "t"}, testCols, []string{"day"}, mode)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCommitRetriesAfterLosingTheRace: another writer commits between
// this sink building its snapshot and committing it; the commit is
// rebuilt on the new snapshot and both writers' files are in the table.
func TestCommitRetriesAfterLosingTheRace(t *testing.T) {
	for _, mode := range []Mode{Append, DynamicOverwrite} {
		t.Run(mode.String(), func(t *testing.T) {
			ctx := context.Background()
			cfg := testLake(t)
			seed := prepare(t, cfg, Append)
			if err := seed.Commit(ctx, "seed", []string{writeFile(t, seed, "seed", []int64{0}, "a")}); err != nil {
				t.Fatal(err)
			}
			mine, theirs := prepare(t, cfg, mode), prepare(t, cfg, Append)
			attempts := 0
			mine.beforeCommit = func(attempt int) {
				attempts++
				if attempt == 0 {
					if err := theirs.Commit(ctx, "theirs", []string{writeFile(t, theirs, "theirs", []int64{2}, "b")}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := mine.Commit(ctx, "mine", []string{writeFile(t, mine, "mine", []int64{1}, "a")}); err != nil {
				t.Fatal(err)
			}
			if attempts != 2 {
				t.Fatalf("committed in %d attempts, want 2 (one lost race, one retry)", attempts)
			}
			src, err := OpenSource(ctx, mine.cat, mine.Ident)
			if err != nil {
				t.Fatal(err)
			}
			files, err := src.Files(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := map[Mode]int{Append: 3, DynamicOverwrite: 2}[mode] // dynamic: "mine" replaced seed's partition a
			if len(files) != want {
				t.Fatalf("table has %d files %v, want %d", len(files), files, want)
			}
			if n := len(src.tbl.Metadata().Snapshots()); n != 3 {
				t.Fatalf("%d snapshots, want 3", n)
			}
		})
	}
}

// TestCommitNothingToAppend creates the missing table (readers see its
// columns, as an empty file sink still writes a file with the schema)
// but makes no snapshot.
func TestCommitNothingToAppend(t *testing.T) {
	s := prepare(t, testLake(t), Append)
	if err := s.Commit(context.Background(), "r", nil); err != nil {
		t.Fatal(err)
	}
	tbl, err := s.cat.LoadTable(context.Background(), s.Ident)
	if err != nil {
		t.Fatal(err)
	}
	if tbl.CurrentSnapshot() != nil || len(tbl.Schema().Fields()) != 2 {
		t.Fatalf("got snapshot %v and columns %v, want no snapshot and columns id, day", tbl.CurrentSnapshot(), tbl.Schema())
	}
}

// TestOpenSourceEvolution: renames and a name dropped then added again
// are read through field ids, unless the table has a name mapping (files
// without ids, matched by name), where they are refused.
func TestOpenSourceEvolution(t *testing.T) {
	evolve := map[string]func(*table.UpdateSchema) *table.UpdateSchema{
		"renamed from":            func(u *table.UpdateSchema) *table.UpdateSchema { return u.RenameColumn([]string{"id"}, "key") },
		"dropped and added again": func(u *table.UpdateSchema) *table.UpdateSchema { return u.DeleteColumn([]string{"id"}) },
	}
	for want, change := range evolve {
		for _, mapped := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/name mapping %t", want, mapped), func(t *testing.T) {
				ctx := context.Background()
				s := prepare(t, testLake(t), Append)
				if err := s.Commit(ctx, "r", []string{writeFile(t, s, "f", []int64{1}, "a")}); err != nil {
					t.Fatal(err)
				}
				tbl, err := s.cat.LoadTable(ctx, s.Ident)
				if err != nil {
					t.Fatal(err)
				}
				tx := tbl.NewTransaction()
				if err := change(tx.UpdateSchema(true, false)).Commit(); err != nil {
					t.Fatal(err)
				}
				if mapped {
					if err := tx.SetProperties(iceberg.Properties{table.DefaultNameMappingKey: "[]"}); err != nil {
						t.Fatal(err)
					}
				}
				if tbl, err = tx.Commit(ctx); err != nil {
					t.Fatal(err)
				}
				if want == "dropped and added again" {
					tx = tbl.NewTransaction()
					if err := tx.UpdateSchema(true, false).AddColumn([]string{"id"}, iceberg.PrimitiveTypes.Int64, "", false, nil).Commit(); err != nil {
						t.Fatal(err)
					}
					if _, err := tx.Commit(ctx); err != nil {
						t.Fatal(err)
					}
				}
				_, err = OpenSource(ctx, s.cat, s.Ident)
				if mapped && (!errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), want)) {
					t.Fatalf("got %v, want ErrUnsupported saying %q", err, want)
				}
				if !mapped && err != nil {
					t.Fatalf("got %v; files with field ids are read by id", err)
				}
			})
		}
	}
}

// TestMissingAsNullOnlyWithoutNameMapping: imported files (name-mapped
// tables) may lack identity partition columns, so missing columns are
// NULL only in tables every file of which an Iceberg writer wrote.
func TestMissingAsNullOnlyWithoutNameMapping(t *testing.T) {
	ctx := context.Background()
	s := prepare(t, testLake(t), Append)
	if err := s.Commit(ctx, "r", []string{writeFile(t, s, "f", []int64{1}, "a")}); err != nil {
		t.Fatal(err)
	}
	src, err := OpenSource(ctx, s.cat, s.Ident)
	if err != nil || !src.MissingAsNull() {
		t.Fatalf("without a name mapping: MissingAsNull %v, %v; want true", src != nil && src.MissingAsNull(), err)
	}
	tbl, err := s.cat.LoadTable(ctx, s.Ident)
	if err != nil {
		t.Fatal(err)
	}
	tx := tbl.NewTransaction()
	if err := tx.SetProperties(iceberg.Properties{table.DefaultNameMappingKey: "[]"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if src, err = OpenSource(ctx, s.cat, s.Ident); err != nil || src.MissingAsNull() {
		t.Fatalf("with a name mapping: MissingAsNull %v, %v; want false", src != nil && src.MissingAsNull(), err)
	}
}
