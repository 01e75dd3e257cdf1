package icetable

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Source is a table read by a job, pinned to the snapshot current when
// the job was planned, so every task reads the same version.
type Source struct {
	Ident    table.Identifier
	tbl      *table.Table
	snapshot *table.Snapshot // nil: the table has no data yet
}

// DataFile is one Parquet file a scan reads.
type DataFile struct {
	Path string
	Size int64
	Rows int64
}

// OpenSource loads a table and pins its current snapshot.
func OpenSource(ctx context.Context, cat catalog.Catalog, ident table.Identifier) (*Source, error) {
	tbl, err := cat.LoadTable(ctx, ident)
	if err != nil {
		return nil, fmt.Errorf("load table %s: %w", strings.Join(ident, "."), err)
	}
	if err := checkReadable(tbl); err != nil {
		return nil, fmt.Errorf("table %s: %w", strings.Join(ident, "."), err)
	}
	return &Source{Ident: ident, tbl: tbl, snapshot: tbl.CurrentSnapshot()}, nil
}

// checkReadable refuses tables whose files Drover could map to the wrong
// columns. Files carrying field ids (every file an Iceberg writer, Drover
// included, produces) are matched by id, whatever the renames. A table
// with a name mapping may also hold imported files without ids, matched
// by name: there, a column renamed since, or a name dropped and added
// again as a new column, would read another column's values. Failing is
// better than a silently wrong answer.
func checkReadable(tbl *table.Table) error {
	if _, ok := tbl.Properties()[table.DefaultNameMappingKey]; !ok {
		return nil
	}
	cur := tbl.Schema()
	for _, s := range tbl.Schemas() {
		for _, f := range s.Fields() {
			if now, ok := cur.FindFieldByID(f.ID); ok && now.Name != f.Name {
				return fmt.Errorf("%w: column %q was renamed from %q and the table has a name mapping (files without field ids, matched by name)",
					ErrUnsupported, now.Name, f.Name)
			}
			if now, ok := cur.FindFieldByName(f.Name); ok && now.ID != f.ID {
				return fmt.Errorf("%w: column %q was dropped and added again as a new column and the table has a name mapping (files without field ids, matched by name)",
					ErrUnsupported, f.Name)
			}
		}
	}
	return nil
}

// Schema is the table's current schema as Drover columns.
func (s *Source) Schema(qualifier string) (*types.Schema, error) {
	return toDrover(s.tbl.Schema(), qualifier)
}

// FieldIDs are the field ids of Schema's columns: the scan matches
// Parquet columns by them.
func (s *Source) FieldIDs() []int {
	var ids []int
	for _, f := range s.tbl.Schema().Fields() {
		ids = append(ids, f.ID)
	}
	return ids
}

// MissingAsNull says whether a column a data file lacks reads as NULL:
// true when every file was written by an Iceberg writer (it holds every
// column of its schema, so a missing one was added later), false for a
// table with a name mapping, whose imported files may lack identity
// partition columns whose values live in the metadata (reading NULL
// there would be wrong; a missing column is then an error).
func (s *Source) MissingAsNull() bool {
	_, mapped := s.tbl.Properties()[table.DefaultNameMappingKey]
	return !mapped
}

// SnapshotID is the pinned snapshot (0: the table is empty).
func (s *Source) SnapshotID() int64 {
	if s.snapshot == nil {
		return 0
	}
	return s.snapshot.SnapshotID
}

// Files plans the scan: the pinned snapshot's data files that may hold
// rows matching filters, pruned by partition values (manifest and
// partition summaries) and by column statistics.
func (s *Source) Files(ctx context.Context, filters []*expr.Expr) ([]DataFile, error) {
	if s.snapshot == nil {
		return nil, nil
	}
	// A live scan of the loaded metadata: its current snapshot is the
	// pinned one (s.tbl is never refreshed), and unlike a scan by snapshot
	// id it binds the filter to the current schema, which the columns and
	// the filter use, not to the schema the snapshot was written with.
	scan := s.tbl.Scan(table.WithRowFilter(rowFilter(s.tbl.Schema(), filters)), table.WithCaseSensitive(false))
	tasks, err := scan.PlanFiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan scan of %s: %w", strings.Join(s.Ident, "."), err)
	}
	out := make([]DataFile, 0, len(tasks))
	for _, t := range tasks {
		if len(t.DeleteFiles) > 0 || len(t.EqualityDeleteFiles) > 0 || len(t.DeletionVectorFiles) > 0 {
			return nil, fmt.Errorf("%w: table %s has row-level delete files (merge-on-read); compact it first",
				ErrUnsupported, strings.Join(s.Ident, "."))
		}
		if t.File.FileFormat() != iceberg.ParquetFile {
			return nil, fmt.Errorf("%w: data file %s is %s; Drover reads Parquet data files", ErrUnsupported, t.File.FilePath(), t.File.FileFormat())
		}
		out = append(out, DataFile{Path: t.File.FilePath(), Size: t.File.FileSizeBytes(), Rows: t.File.Count()})
	}
	return out, nil
}
