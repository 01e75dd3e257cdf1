package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Scan reads a source. Table is the full source schema (qualified with the
// source name). Projection lists the ordinals of Table the scan must produce
// (nil: all columns); Filters are conjuncts pushed into the scan, bound
// against Table, used to prune Parquet row groups and applied by the scan.
type Scan struct {
	Source     string            `json:"source"`
	Format     string            `json:"format"`
	Path       string            `json:"path"`
	Options    map[string]string `json:"options,omitempty"`
	Table      *types.Schema     `json:"table"`
	Projection []int             `json:"projection,omitempty"`
	Filters    []*expr.Expr      `json:"filters,omitempty"`
	// SizeBytes is the total input size found at planning time (0: unknown);
	// the join strategy rule uses it to choose broadcasts.
	SizeBytes int64 `json:"size_bytes,omitempty"`
	// PartitionColumns is how many trailing columns of Table come from
	// Hive key=value directories rather than from the files.
	PartitionColumns int `json:"partition_columns,omitempty"`
	// Files is the number of files the source lists (before partition
	// pruning; 0: unknown).
	Files int `json:"files,omitempty"`
	// MissingAsNull reads a column a file lacks as NULL (a schema merged
	// from files that added columns).
	MissingAsNull bool `json:"missing_as_null,omitempty"`
	// FieldIDs are Table's Parquet field ids (Iceberg sources; see
	// format.ReadOptions.FieldIDs).
	FieldIDs []int `json:"field_ids,omitempty"`
}

var _ Node = (*Scan)(nil)

// Schema is Table restricted to Projection.
func (s *Scan) Schema() *types.Schema {
	if s.Projection == nil {
		return s.Table
	}
	return s.Table.Project(s.Projection)
}

func (s *Scan) Children() []Node { return nil }

func (s *Scan) WithChildren(children ...Node) Node {
	mustChildren(0, children, "Scan")
	c := *s
	return &c
}

func (s *Scan) Describe() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Scan %s [%s %s] columns=[%s]", s.Source, s.Format, s.Path, strings.Join(s.Schema().Names(), ", "))
	if len(s.Filters) > 0 {
		fmt.Fprintf(&sb, " filters=[%s]", exprList(s.Filters))
	}
	return sb.String()
}
