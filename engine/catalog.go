package engine

import (
	"context"
	"sync"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/dataset"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// TargetSplitBytes is the size a scan split aims for (Parquet row groups
// are grouped up to it; uncompressed CSV and JSON lines files are cut into
// byte ranges of about this size).
const TargetSplitBytes = 128 << 20

// MinSplitBytes is the smallest split target: a source smaller than
// slots × TargetSplitBytes gets smaller splits so that every task slot has
// one, but not below this.
const MinSplitBytes = 16 << 20

// splitTarget is the split size for a source of size bytes run on slots
// task slots. Without it a 60 MB table is one split, one task and one busy
// core however many slots there are.
func splitTarget(size int64, slots int) int64 {
	return min(TargetSplitBytes, max(size/int64(max(slots, 1)), MinSplitBytes))
}

// catalog resolves sources: it lists their files once, infers or converts
// schemas, finds partition directories, and later prunes and splits the
// same files for the physical planner.
type catalog struct {
	mu    sync.Mutex
	files map[string][]storage.Info // source name → files
	urls  map[string][]storage.Location
	parts map[string][][]types.Value // source name → each file's partition values
	slots int                        // task slots the splits are for
	// tables resolves iceberg sources (nil: the job has none).
	tables *tables
}

func newCatalog(slots int) *catalog {
	return &catalog{files: map[string][]storage.Info{}, urls: map[string][]storage.Location{},
		parts: map[string][][]types.Value{}, slots: slots}
}

// Source implements jobplan.Catalog.
func (c *catalog) Source(ctx context.Context, src *jobspec.Source) (*logical.Scan, error) {
	if src.Format == tableFormat {
		return c.tableSource(ctx, src)
	}
	f, err := format.Lookup(src.Format)
	if err != nil {
		return nil, err
	}
	if err := f.CheckOptions(src.Options, false); err != nil {
		return nil, err
	}
	locs, infos, err := storage.ExpandInfo(ctx, src.Path)
	if err != nil {
		return nil, err
	}
	var size int64
	for _, in := range infos {
		size += in.Size
	}
	ds, err := dataset.Resolve(ctx, datasetConfig(f, src, locs))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.files[src.Name], c.urls[src.Name], c.parts[src.Name] = infos, locs, ds.Partitions
	c.mu.Unlock()
	return &logical.Scan{
		Source: src.Name, Format: f.Name(), Path: src.Path, Options: src.Options,
		Table: ds.Schema.WithQualifier(src.Name), SizeBytes: size,
		PartitionColumns: ds.PartitionColumns, Files: len(locs), MissingAsNull: ds.MissingAsNull,
	}, nil
}

// datasetConfig carries the source block's schema and partitioning.
func datasetConfig(f format.Format, src *jobspec.Source, locs []storage.Location) dataset.Config {
	cfg := dataset.Config{Format: f, Path: src.Path, Files: locs, Options: src.Options, Hive: src.HivePartitioning}
	if len(src.Schema) > 0 {
		cfg.Schema = &types.Schema{}
		for _, col := range src.Schema {
			cfg.Schema.Fields = append(cfg.Schema.Fields, types.Field{Name: col.Name, Type: col.Type, Nullable: true})
		}
	}
	for _, col := range src.PartitionColumns {
		cfg.PartitionTypes = append(cfg.PartitionTypes, types.Field{Name: col.Name, Type: col.Type, Nullable: true})
	}
	return cfg
}

// splits implements physical.Splitter over the files Source listed. Files
// whose partition values fail the scan's filters are dropped first, so
// they are never opened (not even for their Parquet footer).
func (c *catalog) splits(ctx context.Context, scan *logical.Scan) ([]format.Split, error) {
	if c.tables != nil && c.tables.isSource(scan.Source) {
		return c.tableSplits(ctx, scan)
	}
	c.mu.Lock()
	infos, locs, parts := c.files[scan.Source], c.urls[scan.Source], c.parts[scan.Source]
	c.mu.Unlock()
	f, err := format.Lookup(scan.Format)
	if err != nil {
		return nil, err
	}
	keep := make([]int, len(locs))
	for i := range keep {
		keep[i] = i
	}
	if scan.PartitionColumns > 0 {
		keep = dataset.Prune(scan.Table, scan.PartitionColumns, scan.Filters, parts)
	}
	var total int64
	for _, i := range keep {
		total += infos[i].Size
	}
	kl, ki := make([]storage.Location, len(keep)), make([]storage.Info, len(keep))
	for j, i := range keep {
		kl[j], ki[j] = locs[i], infos[i]
	}
	per, err := splitFiles(ctx, f, kl, ki, splitTarget(total, c.slots), scan.Options)
	if err != nil {
		return nil, err
	}
	var out []format.Split
	for j, sp := range per {
		for k := range sp {
			if parts != nil {
				sp[k].Partition = parts[keep[j]]
			}
		}
		out = append(out, sp...)
	}
	return out, nil
}

// inputBytes is the size of every file the job's sources listed.
func (c *catalog) inputBytes() int64 {
	var t int64
	for _, infos := range c.files {
		for _, in := range infos {
			t += in.Size
		}
	}
	return t
}
