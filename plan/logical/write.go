package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/types"
)

// WriteMode says what to do when the sink's directory already has output.
type WriteMode uint8

// Write modes: Error fails if output exists; Overwrite replaces it at commit
// (the old output stays visible until then); Append adds new files;
// DynamicOverwrite (table sinks only) replaces the partitions written.
const (
	ModeError WriteMode = iota
	ModeOverwrite
	ModeAppend
	ModeDynamicOverwrite
)

var modeNames = [...]string{"error", "overwrite", "append", "dynamic_overwrite"}

func (m WriteMode) String() string { return modeNames[m] }

// ParseWriteMode reads error, overwrite or append ("" means error).
func ParseWriteMode(s string) (WriteMode, error) {
	if s == "" {
		return ModeError, nil
	}
	for i, n := range modeNames {
		if n == s {
			return WriteMode(i), nil
		}
	}
	return 0, fmt.Errorf("unknown mode %q (want error, overwrite, append or dynamic_overwrite)", s)
}

// Write is a sink: it writes its input to Path in Format, Hive-partitioned
// by PartitionBy columns (which are not repeated inside the files).
type Write struct {
	Input       Node              `json:"-"`
	Sink        string            `json:"sink"`
	Format      string            `json:"format"`
	Path        string            `json:"path"`
	PartitionBy []string          `json:"partition_by,omitempty"`
	Mode        WriteMode         `json:"mode"`
	Options     map[string]string `json:"options,omitempty"`
	// TargetFileBytes is the size at which a task starts a new file
	// (0: one file per task and partition directory).
	TargetFileBytes int64 `json:"target_file_bytes,omitempty"`
	// Table is set for a sink into a catalog table (Path is then the
	// table's data directory).
	Table *TableSink `json:"table,omitempty"`
}

// TableSink marks a Write into an Iceberg table: its Parquet files keep
// every column (partition columns too) and carry FieldIDs, and the driver
// commits them as one snapshot instead of publishing a directory.
type TableSink struct {
	Catalog  string `json:"catalog"`
	Table    string `json:"table"`
	FieldIDs []int  `json:"field_ids"`
}

var _ Node = (*Write)(nil)

func (w *Write) Schema() *types.Schema { return w.Input.Schema() }
func (w *Write) Children() []Node      { return []Node{w.Input} }

func (w *Write) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Write")
	c := *w
	c.Input = children[0]
	return &c
}

func (w *Write) Describe() string {
	s := fmt.Sprintf("Write %s [%s %s] mode=%s", w.Sink, w.Format, w.Path, w.Mode)
	if len(w.PartitionBy) > 0 {
		s += " partition_by=[" + strings.Join(w.PartitionBy, ", ") + "]"
	}
	if w.TargetFileBytes > 0 {
		s += fmt.Sprintf(" target_file_bytes=%d", w.TargetFileBytes)
	}
	return s
}
