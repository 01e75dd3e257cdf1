package icetable

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"

	"github.com/drover-etl/drover/types"
)

// Mode says what a sink's snapshot does to the table's existing rows.
type Mode uint8

// Sink modes: Append adds files; Overwrite replaces every file;
// DynamicOverwrite replaces the files of the partitions the run wrote
// (all files on an unpartitioned table, as Spark does); ErrorIfData fails
// before any work when the table already has a snapshot, else appends.
const (
	Append Mode = iota
	Overwrite
	DynamicOverwrite
	ErrorIfData
)

var modeNames = [...]string{"append", "overwrite", "dynamic_overwrite", "error"}

func (m Mode) String() string { return modeNames[m] }

// RunProperty is the snapshot summary property naming the Drover run
// that committed it; it tells an ambiguous commit failure from a loss.
const RunProperty = "drover.run"

// Sink is a table a job writes, resolved before any task runs: where the
// tasks put their files and which field ids the files carry. Its Commit
// runs in the driver once every task finished.
type Sink struct {
	Ident table.Identifier
	Mode  Mode
	// Location is the table's root; tasks write under DataDir.
	Location string
	DataDir  string
	// FieldIDs are the Iceberg field ids of the sink's columns, in order.
	FieldIDs []int
	// PartitionBy are the identity partition columns (the table's spec
	// when the table exists).
	PartitionBy []string
	// MaxAttempts bounds commits lost to concurrent writers (default 10).
	MaxAttempts int

	cat    catalog.Catalog
	create *iceberg.Schema // non-nil: the table does not exist yet
	cols   *types.Schema
	// beforeCommit runs between building a snapshot and committing it
	// (tests use it to lose the race).
	beforeCommit func(attempt int)
}

// PrepareSink resolves a sink's table. An existing table decides the
// field ids and the partition columns; a missing one is planned from the
// sink's columns (identity partitions on partitionBy) and created at
// commit under <warehouse>/<namespace>.db/<table>.
func PrepareSink(ctx context.Context, cat catalog.Catalog, warehouse string, ident table.Identifier, cols *types.Schema, partitionBy []string, mode Mode) (*Sink, error) {
	s := &Sink{Ident: ident, Mode: mode, cat: cat, cols: cols, MaxAttempts: 10}
	tbl, err := cat.LoadTable(ctx, ident)
	switch {
	case errors.Is(err, catalog.ErrNoSuchTable):
		err = s.planCreate(warehouse, partitionBy)
	case err != nil:
		err = fmt.Errorf("load table %s: %w", s.name(), err)
	default:
		err = s.planExisting(tbl, partitionBy)
	}
	if err != nil {
		return nil, err
	}
	s.DataDir = strings.TrimSuffix(s.Location, "/") + "/data"
	return s, nil
}

func (s *Sink) name() string { return strings.Join(s.Ident, ".") }

func (s *Sink) planCreate(warehouse string, partitionBy []string) error {
	if warehouse == "" {
		return fmt.Errorf("%w: table %s does not exist and its catalog has no warehouse to create it in", ErrConfig, s.name())
	}
	sch, err := newSchema(s.cols)
	if err != nil {
		return fmt.Errorf("table %s: %w", s.name(), err)
	}
	ns, tbl := s.Ident[:len(s.Ident)-1], s.Ident[len(s.Ident)-1]
	loc, err := url.JoinPath(warehouse, strings.Join(ns, ".")+".db", tbl)
	if err != nil {
		return fmt.Errorf("%w: warehouse %q: %v", ErrConfig, warehouse, err)
	}
	s.create, s.Location, s.PartitionBy = sch, loc, partitionBy
	for _, f := range sch.Fields() {
		s.FieldIDs = append(s.FieldIDs, f.ID)
	}
	return nil
}

func (s *Sink) planExisting(tbl *table.Table, partitionBy []string) error {
	if s.Mode == ErrorIfData && tbl.CurrentSnapshot() != nil {
		return fmt.Errorf("%w: %s (set mode = \"append\", \"overwrite\" or \"dynamic_overwrite\")", ErrTableExists, s.name())
	}
	ids, err := fieldIDs(tbl.Schema(), s.cols)
	if err != nil {
		return fmt.Errorf("table %s: %w", s.name(), err)
	}
	specCols, err := identityColumns(tbl)
	if err != nil {
		return fmt.Errorf("table %s: %w", s.name(), err)
	}
	if len(partitionBy) > 0 && !sameNames(partitionBy, specCols) {
		return fmt.Errorf("%w: table %s is partitioned by [%s], the sink by [%s]", ErrSchema, s.name(),
			strings.Join(specCols, ", "), strings.Join(partitionBy, ", "))
	}
	s.FieldIDs, s.Location, s.PartitionBy = ids, tbl.Location(), specCols
	return nil
}

// identityColumns are the source columns of the table's partition spec.
// Drover groups rows by column value, so only identity transforms put
// each file in exactly one partition.
func identityColumns(tbl *table.Table) ([]string, error) {
	var cols []string
	spec := tbl.Spec()
	for _, f := range spec.Fields() {
		if _, ok := f.Transform.(iceberg.IdentityTransform); !ok {
			return nil, fmt.Errorf("%w: partition field %q uses transform %s; Drover writes identity partitions only", ErrUnsupported, f.Name, f.Transform)
		}
		src, ok := tbl.Schema().FindFieldByID(f.SourceIDs[0])
		if !ok {
			return nil, fmt.Errorf("%w: partition field %q has no source column", ErrSchema, f.Name)
		}
		cols = append(cols, src.Name)
	}
	return cols, nil
}

func sameNames(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}

// partitionSpec is the identity spec of a table Drover creates.
func partitionSpec(sch *iceberg.Schema, cols []string) (*iceberg.PartitionSpec, error) {
	fields := make([]iceberg.PartitionField, len(cols))
	for i, c := range cols {
		f, ok := sch.FindFieldByNameCaseInsensitive(c)
		if !ok {
			return nil, fmt.Errorf("%w: partition column %q is not a column", ErrSchema, c)
		}
		fields[i] = iceberg.PartitionField{SourceIDs: []int{f.ID}, FieldID: 1000 + i, Name: f.Name, Transform: iceberg.IdentityTransform{}}
	}
	spec := iceberg.NewPartitionSpec(fields...)
	return &spec, nil
}
