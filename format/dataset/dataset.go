package dataset

import (
	"context"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// Config says how to read a source's files as one table.
type Config struct {
	Format format.Format
	// Path is the source path; partition directories are looked for below
	// it (below the part before the first glob segment for a glob).
	Path  string
	Files []storage.Location
	// Schema is the declared schema of the file columns (nil: infer).
	Schema  *types.Schema
	Options map[string]string
	// Hive switches key=value discovery on or off; nil detects it.
	Hive *bool
	// PartitionTypes declares partition columns' types (others inferred).
	PartitionTypes []types.Field
}

// Dataset is a source's table and files.
type Dataset struct {
	// Schema is the file columns, then PartitionColumns partition columns.
	Schema           *types.Schema
	PartitionColumns int
	// Partitions holds each file's partition values (nil when none).
	Partitions [][]types.Value
	// MissingAsNull is set for a schema merged from several files: a
	// column a file lacks reads as NULL there.
	MissingAsNull bool
}

// Resolve discovers the partition columns and the file schema.
func Resolve(ctx context.Context, cfg Config) (*Dataset, error) {
	if len(cfg.Files) == 0 {
		return nil, fmt.Errorf("dataset: no files")
	}
	ds := &Dataset{}
	part, err := partitions(ctx, cfg)
	if err != nil {
		return nil, err
	}
	files, err := resolveSchema(ctx, cfg)
	if err != nil {
		return nil, err
	}
	ds.Schema, ds.MissingAsNull = files.schema, files.merged
	if part != nil {
		if err := checkNoClash(files, part.fields); err != nil {
			return nil, err
		}
		ds.Schema = &types.Schema{Fields: append(append([]types.Field(nil), ds.Schema.Fields...), part.fields...)}
		ds.PartitionColumns, ds.Partitions = len(part.fields), part.values
	}
	return ds, nil
}

// parts is the partition columns and every file's values.
type parts struct {
	fields []types.Field
	values [][]types.Value
}

func partitions(ctx context.Context, cfg Config) (*parts, error) {
	if cfg.Hive != nil && !*cfg.Hive {
		return nil, nil
	}
	root, err := storage.Resolve(ctx, cfg.Path)
	if err != nil {
		return nil, err
	}
	base := baseKey(root.Key)
	keys, segs, err := layout(base, cfg.Files)
	if err != nil && cfg.Hive == nil {
		return nil, fmt.Errorf("%w (set hive_partitioning = false to read the files without partition columns)", err)
	}
	if err != nil {
		return nil, err
	}
	explicit := (cfg.Hive != nil && *cfg.Hive) || len(cfg.PartitionTypes) > 0
	if len(keys) == 0 {
		if explicit {
			return nil, fmt.Errorf("%w: hive_partitioning is on but no file under %s sits in a key=value directory", ErrLayout, cfg.Path)
		}
		return nil, nil
	}
	fields, err := partitionFields(keys, segs, cfg)
	if err != nil {
		return nil, err
	}
	values, err := partitionValues(fields, segs, cfg.Files)
	if err != nil {
		return nil, err
	}
	return &parts{fields: fields, values: values}, nil
}

// partitionFields types each key: declared, else inferred from its values.
func partitionFields(keys []string, segs [][]segment, cfg Config) ([]types.Field, error) {
	declared := map[string]types.Type{}
	for _, f := range cfg.PartitionTypes {
		declared[strings.ToLower(f.Name)] = f.Type
	}
	fields := make([]types.Field, len(keys))
	for i, k := range keys {
		t, ok := declared[strings.ToLower(k)]
		if !ok {
			col := make([]segment, len(segs))
			for j := range segs {
				col[j] = segs[j][i]
			}
			t = inferType(col)
		}
		delete(declared, strings.ToLower(k))
		fields[i] = types.Field{Name: k, Type: t, Nullable: true}
	}
	for _, f := range cfg.PartitionTypes {
		if _, left := declared[strings.ToLower(f.Name)]; left {
			return nil, fmt.Errorf("%w: partition_columns declares %q, but the directories under %s have keys [%s]", ErrLayout, f.Name, cfg.Path, strings.Join(keys, ", "))
		}
	}
	return fields, nil
}

// partitionValues converts every file's directory values; each distinct
// value is converted once (many files share a partition).
func partitionValues(fields []types.Field, segs [][]segment, files []storage.Location) ([][]types.Value, error) {
	out := make([][]types.Value, len(segs))
	seen := make([]map[segment]types.Value, len(fields))
	for j := range seen {
		seen[j] = map[segment]types.Value{}
	}
	for i, s := range segs {
		out[i] = make([]types.Value, len(fields))
		for j, f := range fields {
			v, ok := seen[j][s[j]]
			if !ok {
				var err error
				if v, err = convert(s[j], f.Type); err != nil {
					return nil, fmt.Errorf("%s: %w", files[i].URL(), err)
				}
				seen[j][s[j]] = v
			}
			out[i][j] = v
		}
	}
	return out, nil
}
