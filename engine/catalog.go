package engine

import (
	"context"
	"fmt"
	"sync"

	"github.com/drover-etl/drover/format"
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
// schemas, and later splits the same files for the physical planner.
type catalog struct {
	mu    sync.Mutex
	files map[string][]storage.Info // source name → files
	urls  map[string][]storage.Location
	slots int // task slots the splits are for
}

func newCatalog(slots int) *catalog {
	return &catalog{files: map[string][]storage.Info{}, urls: map[string][]storage.Location{}, slots: slots}
}

// Source implements jobplan.Catalog.
func (c *catalog) Source(ctx context.Context, src *jobspec.Source) (*logical.Scan, error) {
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
	schema, err := sourceSchema(ctx, f, src, locs[0])
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.files[src.Name], c.urls[src.Name] = infos, locs
	c.mu.Unlock()
	return &logical.Scan{
		Source: src.Name, Format: f.Name(), Path: src.Path, Options: src.Options,
		Table: schema, SizeBytes: size,
	}, nil
}

// sourceSchema is the declared schema, or one inferred from the first file.
func sourceSchema(ctx context.Context, f format.Format, src *jobspec.Source, first storage.Location) (*types.Schema, error) {
	if len(src.Schema) > 0 {
		s := &types.Schema{}
		for _, col := range src.Schema {
			s.Fields = append(s.Fields, types.Field{Qualifier: src.Name, Name: col.Name, Type: col.Type, Nullable: true})
		}
		return s, nil
	}
	s, err := f.Infer(ctx, first, src.Options)
	if err != nil {
		return nil, fmt.Errorf("infer schema from %s: %w", first.URL(), err)
	}
	return s.WithQualifier(src.Name), nil
}

// splits implements physical.Splitter over the files Source listed.
func (c *catalog) splits(ctx context.Context, scan *logical.Scan) ([]format.Split, error) {
	c.mu.Lock()
	infos, locs := c.files[scan.Source], c.urls[scan.Source]
	c.mu.Unlock()
	f, err := format.Lookup(scan.Format)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, in := range infos {
		total += in.Size
	}
	return splitFiles(ctx, f, locs, infos, splitTarget(total, c.slots), scan.Options)
}
