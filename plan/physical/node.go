package physical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Op is the kind of a physical node.
type Op uint8

// Physical operators.
const (
	OpScan Op = iota
	OpFilter
	OpProject
	OpHashAgg
	OpHashJoin
	OpSort
	OpTopN
	OpLimit
	OpUnion
	OpExchange  // a stage boundary: repartitions its input
	OpStageRead // a leaf reading an upstream stage's output (set by package stage)
	OpWrite
	OpTransform // a plugin's batch transform
	OpWindow    // window functions over partitions sorted by the input
	OpExpand    // one output row per input row and projection list
	OpValues    // constant rows, a single-partition leaf
	OpReplicate // each row repeated by a count expression
	OpNestedLoopJoin
	OpCoalesce // merges runs of neighbouring input partitions, no shuffle
)

var opNames = [...]string{"Scan", "Filter", "Project", "HashAgg", "HashJoin", "Sort", "TopN", "Limit", "Union", "Exchange", "StageRead", "Write", "Transform", "Window", "Expand", "Values", "Replicate", "NestedLoopJoin", "Coalesce"}

func (o Op) String() string { return opNames[o] }

// Node is one physical operator. Exactly the spec field matching Op is set.
type Node struct {
	Op     Op            `json:"op"`
	Inputs []*Node       `json:"inputs,omitempty"`
	Schema *types.Schema `json:"schema"`

	Scan     *ScanSpec     `json:"scan,omitempty"`
	Filter   *expr.Expr    `json:"filter,omitempty"`
	Project  *ProjectSpec  `json:"project,omitempty"`
	Agg      *AggSpec      `json:"agg,omitempty"`
	Join     *JoinSpec     `json:"join,omitempty"`
	Sort     *SortSpec     `json:"sort,omitempty"`
	Limit    int64         `json:"limit,omitempty"`
	Exchange *ExchangeSpec `json:"exchange,omitempty"`
	Read     *ReadSpec     `json:"read,omitempty"`
	Write    *WriteSpec    `json:"write,omitempty"`

	Transform *TransformSpec `json:"transform,omitempty"`
	Window    *WindowSpec    `json:"window,omitempty"`

	// Offset is the rows a Limit or TopN skips before the Limit it keeps
	// (with Limit < 0 a Limit keeps every row after them).
	Offset    int64       `json:"offset,omitempty"`
	Expand    *ExpandSpec `json:"expand,omitempty"`
	Values    *ValuesSpec `json:"values,omitempty"`
	Replicate *expr.Expr  `json:"replicate,omitempty"`
	// Coalesce is the most partitions an OpCoalesce yields.
	Coalesce int `json:"coalesce,omitempty"`
}

// ExpandSpec lists the projections an Expand evaluates over every row.
type ExpandSpec struct {
	Projections [][]*expr.Expr `json:"projections"`
}

// ValuesSpec holds the constant rows of a Values leaf.
type ValuesSpec struct {
	Rows [][]*expr.Expr `json:"rows"`
}

// ScanSpec reads a source. Each Split (a file or a run of Parquet row
// groups) is one task's partition.
type ScanSpec struct {
	Source  string            `json:"source"`
	Format  string            `json:"format"`
	Table   *types.Schema     `json:"table"`
	Columns []int             `json:"columns,omitempty"`
	Filters []*expr.Expr      `json:"filters,omitempty"`
	Options map[string]string `json:"options,omitempty"`
	Splits  []format.Split    `json:"splits"`
	// PartitionColumns, Files and MissingAsNull are the logical.Scan's.
	PartitionColumns int   `json:"partition_columns,omitempty"`
	Files            int   `json:"files,omitempty"`
	MissingAsNull    bool  `json:"missing_as_null,omitempty"`
	FieldIDs         []int `json:"field_ids,omitempty"`
}

// ProjectSpec computes one column per expression.
type ProjectSpec struct {
	Exprs []*expr.Expr `json:"exprs"`
}

// AggMode says which half of a two-phase aggregation a node is.
type AggMode uint8

// Aggregation modes. Partial runs before the shuffle and emits per-group
// states; Final merges states after it; Complete does both in one pass (used
// when rows are already partitioned by the group keys, and for DISTINCT
// aggregates, which cannot be merged from partial states).
const (
	AggPartial AggMode = iota
	AggFinal
	AggComplete
)

var aggModeNames = [...]string{"partial", "final", "complete"}

func (m AggMode) String() string { return aggModeNames[m] }

// AggSpec is a hash aggregation. In Final mode GroupBy are column refs to
// the partial output and each Agg reads its state columns from there.
type AggSpec struct {
	Mode    AggMode           `json:"mode"`
	GroupBy []*expr.Expr      `json:"group_by"`
	Aggs    []logical.AggExpr `json:"aggs"`
}

// JoinSpec is a hash join (OpHashJoin) or a nested-loop join
// (OpNestedLoopJoin, no keys); Inputs[0] probes, Inputs[1] builds. The
// output is the left columns, then the right ones (inner, left, right,
// full), or the left ones only (semi, anti), or the left ones and the mark
// column (mark).
type JoinSpec struct {
	Type      logical.JoinType     `json:"type"`
	Strategy  logical.JoinStrategy `json:"strategy"`
	LeftKeys  []*expr.Expr         `json:"left_keys"`
	RightKeys []*expr.Expr         `json:"right_keys"`
	Filter    *expr.Expr           `json:"filter,omitempty"`
	NullSafe  []bool               `json:"null_safe,omitempty"`
	MarkName  string               `json:"mark_name,omitempty"`
}

// SortSpec orders rows; with Op TopN, Limit bounds the output.
type SortSpec struct {
	Keys []logical.SortKey `json:"keys"`
}

// Partitioning is how an exchange distributes rows.
type Partitioning uint8

// Partitionings. Hash sends equal keys to the same partition; Range sends
// key ranges (bounds chosen from samples at run time) so partition order is
// key order; Single gathers everything in one partition; Broadcast gives
// every consumer task all rows.
const (
	PartHash Partitioning = iota
	PartRange
	PartSingle
	PartBroadcast
)

var partNames = [...]string{"hash", "range", "single", "broadcast"}

func (p Partitioning) String() string { return partNames[p] }

// ExchangeSpec repartitions its input into Partitions partitions.
type ExchangeSpec struct {
	Kind       Partitioning      `json:"kind"`
	Keys       []*expr.Expr      `json:"keys,omitempty"`
	SortKeys   []logical.SortKey `json:"sort_keys,omitempty"` // range partitioning
	Partitions int               `json:"partitions"`
	// Fixed marks a partition count the job asked for (repartition = N):
	// adaptive execution keeps it rather than coalescing its partitions.
	Fixed bool `json:"fixed,omitempty"`
}

// ReadSpec is a leaf reading the output of stage Stage.
type ReadSpec struct {
	Stage int          `json:"stage"`
	Kind  Partitioning `json:"kind"`
}

// WriteSpec writes the sink's files (staged; the driver commits them).
type WriteSpec struct {
	Sink        string            `json:"sink"`
	Format      string            `json:"format"`
	Path        string            `json:"path"`
	PartitionBy []string          `json:"partition_by,omitempty"`
	Mode        logical.WriteMode `json:"mode"`
	Options     map[string]string `json:"options,omitempty"`
	// Table: the files go into an Iceberg table (see logical.TableSink).
	Table *logical.TableSink `json:"table,omitempty"`
	// TargetFileBytes rolls a task's file once it holds this many bytes
	// (0: one file per task and partition directory).
	TargetFileBytes int64 `json:"target_file_bytes,omitempty"`
}

// Describe is the node's one-line text for explain.
func (n *Node) Describe() string {
	switch n.Op {
	case OpScan:
		s := n.Scan
		d := fmt.Sprintf("Scan %s [%s] columns=[%s] splits=%d", s.Source, s.Format, strings.Join(n.Schema.Names(), ", "), len(s.Splits))
		if len(s.Filters) > 0 {
			d += " filters=[" + exprList(s.Filters) + "]"
		}
		if s.PartitionColumns > 0 {
			d += s.describeFiles()
		}
		return d
	case OpFilter:
		return "Filter " + n.Filter.String()
	case OpProject:
		parts := make([]string, len(n.Project.Exprs))
		for i, e := range n.Project.Exprs {
			parts[i] = e.String() + " AS " + n.Schema.Fields[i].Name
		}
		return "Project " + strings.Join(parts, ", ")
	case OpHashAgg:
		aggs := make([]string, len(n.Agg.Aggs))
		for i, a := range n.Agg.Aggs {
			aggs[i] = a.String()
		}
		return fmt.Sprintf("HashAgg %s group=[%s] aggs=[%s]", n.Agg.Mode, exprList(n.Agg.GroupBy), strings.Join(aggs, ", "))
	case OpHashJoin, OpNestedLoopJoin:
		j := n.Join
		return n.Op.String() + " " + logical.DescribeJoin(j.Type, j.Strategy, j.LeftKeys, j.RightKeys, j.NullSafe, j.Filter, j.MarkName)
	case OpSort:
		return "Sort " + sortKeys(n.Sort.Keys)
	case OpTopN:
		return fmt.Sprintf("TopN %d%s by %s", n.Limit, offsetText(n.Offset), sortKeys(n.Sort.Keys))
	case OpLimit:
		if n.Limit < 0 {
			return fmt.Sprintf("Offset %d", n.Offset)
		}
		return fmt.Sprintf("Limit %d%s", n.Limit, offsetText(n.Offset))
	case OpExpand, OpValues, OpReplicate:
		return n.describeSetNode()
	case OpUnion:
		return fmt.Sprintf("Union (%d inputs)", len(n.Inputs))
	case OpExchange:
		return n.Exchange.describe()
	case OpTransform:
		return "Transform " + logical.FormatCall(n.Transform.Function, n.Transform.Args)
	case OpWindow:
		return n.Window.describe()
	case OpStageRead:
		return fmt.Sprintf("StageRead stage=%d (%s)", n.Read.Stage, n.Read.Kind)
	case OpCoalesce:
		return fmt.Sprintf("Coalesce partitions=%d", n.Coalesce)
	case OpWrite:
		w := n.Write
		d := fmt.Sprintf("Write %s [%s %s] mode=%s", w.Sink, w.Format, w.Path, w.Mode)
		if len(w.PartitionBy) > 0 {
			d += " partition_by=[" + strings.Join(w.PartitionBy, ", ") + "]"
		}
		if w.TargetFileBytes > 0 {
			d += fmt.Sprintf(" target_file_bytes=%d", w.TargetFileBytes)
		}
		return d
	}
	return n.Op.String()
}

func (e *ExchangeSpec) describe() string {
	switch e.Kind {
	case PartHash:
		return fmt.Sprintf("Exchange hash [%s] partitions=%d", exprList(e.Keys), e.Partitions)
	case PartRange:
		return fmt.Sprintf("Exchange range [%s] partitions=%d", sortKeys(e.SortKeys), e.Partitions)
	}
	return "Exchange " + e.Kind.String()
}

// Format renders a tree indented, one node per line.
func Format(n *Node) string {
	var sb strings.Builder
	var walk func(*Node, int)
	walk = func(n *Node, depth int) {
		fmt.Fprintf(&sb, "%s%s\n", strings.Repeat("  ", depth), n.Describe())
		for _, c := range n.Inputs {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return sb.String()
}

func exprList(es []*expr.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

func sortKeys(ks []logical.SortKey) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = k.String()
	}
	return strings.Join(parts, ", ")
}

// describeFiles says how many of a partitioned source's files the scan
// reads and how many the filters on partition columns pruned.
func (s *ScanSpec) describeFiles() string {
	urls := map[string]bool{}
	for _, sp := range s.Splits {
		urls[sp.URL] = true
	}
	return fmt.Sprintf(" files=%d/%d pruned=%d", len(urls), s.Files, s.Files-len(urls))
}
