package engine

import (
	"context"
	"fmt"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/storage"
)

// tableSource plans an iceberg source as a Parquet scan of the table's
// data files; which files is decided at split time, when the optimizer
// has pushed the filters that prune them.
func (c *catalog) tableSource(ctx context.Context, src *jobspec.Source) (*logical.Scan, error) {
	if c.tables == nil {
		return nil, fmt.Errorf("source %q: iceberg sources need the job's catalogs", src.Name)
	}
	schema, err := c.tables.source(ctx, src)
	if err != nil {
		return nil, err
	}
	files, err := c.tables.sourceOf(src.Name).Files(ctx, nil)
	if err != nil {
		return nil, jobspec.At(src.Range, fmt.Errorf("source %q: %w", src.Name, err))
	}
	var size int64
	for _, f := range files {
		size += f.Size
	}
	// Columns are matched by field id; one added to the table after a
	// file was written reads as NULL in that file (Iceberg's rule).
	s := c.tables.sourceOf(src.Name)
	return &logical.Scan{
		Source: src.Name, Format: "parquet", Path: tableFormat + ":" + src.Table.Value,
		Table: schema, SizeBytes: size, MissingAsNull: s.MissingAsNull(), FieldIDs: s.FieldIDs(),
	}, nil
}

// tableSplits splits the data files that survive partition and
// statistics pruning under the scan's filters.
func (c *catalog) tableSplits(ctx context.Context, scan *logical.Scan) ([]format.Split, error) {
	files, err := c.tables.sourceOf(scan.Source).Files(ctx, scan.Filters)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", scan.Source, err)
	}
	f, err := format.Lookup("parquet")
	if err != nil {
		return nil, err
	}
	var total int64
	for _, df := range files {
		total += df.Size
	}
	target := splitTarget(total, c.slots)
	var out []format.Split
	for _, df := range files {
		loc, err := storage.Resolve(ctx, df.Path)
		if err != nil {
			return nil, fmt.Errorf("source %q: data file %s: %w", scan.Source, df.Path, err)
		}
		sp, err := f.Split(ctx, loc, df.Size, target)
		if err != nil {
			return nil, err
		}
		out = append(out, sp...)
	}
	return out, nil
}
