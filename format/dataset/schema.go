package dataset

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/types"
)

// schemaOf is the file columns' schema and how it was found.
type schemaOf struct {
	schema *types.Schema
	merged bool
	files  []fileSchema // the files it was read from (nil when declared)
}

// resolveSchema is the declared schema; else, for formats whose files carry
// their schema (Parquet), the merge of every file's; else the first
// file's, inferred.
func resolveSchema(ctx context.Context, cfg Config) (*schemaOf, error) {
	if cfg.Schema != nil {
		return &schemaOf{schema: cfg.Schema}, nil
	}
	if _, ok := cfg.Format.(format.SelfDescribing); ok && len(cfg.Files) > 1 {
		all, err := inferAll(ctx, cfg)
		if err != nil {
			return nil, err
		}
		s, err := mergeSchemas(all)
		if err != nil {
			return nil, err
		}
		return &schemaOf{schema: s, merged: true, files: all}, nil
	}
	first := cfg.Files[0]
	s, err := cfg.Format.Infer(ctx, first, cfg.Options)
	if err != nil {
		return nil, fmt.Errorf("infer schema from %s: %w", first.URL(), err)
	}
	return &schemaOf{schema: s, files: []fileSchema{{url: first.URL(), schema: s}}}, nil
}

// inferParallel bounds the footers read at once (S3 round trips dominate).
const inferParallel = 16

func inferAll(ctx context.Context, cfg Config) ([]fileSchema, error) {
	out := make([]fileSchema, len(cfg.Files))
	errs := make([]error, len(cfg.Files))
	sem := make(chan struct{}, inferParallel)
	var wg sync.WaitGroup
	for i, loc := range cfg.Files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s, err := cfg.Format.Infer(ctx, loc, cfg.Options)
			if err != nil {
				err = fmt.Errorf("infer schema from %s: %w", loc.URL(), err)
			}
			out[i], errs[i] = fileSchema{url: loc.URL(), schema: s}, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkNoClash rejects a file column named like a partition key: which of
// the two a query means would be a guess.
func checkNoClash(s *schemaOf, part []types.Field) error {
	for _, p := range part {
		for _, f := range s.files {
			for _, c := range f.schema.Fields {
				if strings.EqualFold(c.Name, p.Name) {
					return fmt.Errorf("%w: column %q of %s is also a partition directory key; set hive_partitioning = false to read the files without partition columns", ErrLayout, c.Name, f.url)
				}
			}
		}
		if s.files == nil {
			for _, c := range s.schema.Fields {
				if strings.EqualFold(c.Name, p.Name) {
					return fmt.Errorf("%w: declared column %q is also a partition directory key; set hive_partitioning = false to read the files without partition columns", ErrLayout, c.Name)
				}
			}
		}
	}
	return nil
}
