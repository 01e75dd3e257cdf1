package jobspec

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Job is one parsed and validated job file.
type Job struct {
	Name string
	// Executors, MinExecutors and MaxExecutors size the executor group in
	// cluster mode; Partitions is the shuffle partition count. 0: unset.
	Executors    int
	MinExecutors int
	MaxExecutors int
	Partitions   int
	// Adaptive turns adaptive execution on or off (nil: unset, on).
	Adaptive *bool
	// Speculation turns speculative copies of slow tasks on or off (nil:
	// unset, on); TaskTimeout bounds each task attempt (0: unset, none).
	// The CLI's --speculation and --task-timeout win when given.
	Speculation *bool
	TaskTimeout time.Duration

	Sources  []*Source
	Views    []*View
	Sinks    []*Sink
	Plugins  []*Plugin
	Catalogs []*Catalog

	// Vars are the variable values the job was parsed with, as strings.
	Vars  map[string]string
	Range hcl.Range
}

// Text is a string attribute (or one element of a list attribute) with the
// position of its value in the job file, so errors found later while
// planning its expression still point at it.
type Text struct {
	Value string
	Range hcl.Range
}

// IsSet reports whether the attribute was given.
func (t Text) IsSet() bool { return t.Range.Start.Line > 0 }

// Source is a `source "name" { ... }` block.
type Source struct {
	Name   string
	Format string // parquet | csv | jsonl | iceberg
	Path   string
	// Table ("namespace.table") and Catalog (a catalog block's name) are
	// set for format = "iceberg", which has no Path.
	Table   Text
	Catalog string
	// Schema lists the declared columns in the order written; nil when the
	// schema is to be inferred (or read from Parquet metadata).
	Schema  []Column
	Options map[string]string
	// HivePartitioning turns key=value directory discovery on or off; nil
	// detects it (on when the files sit in key=value directories).
	HivePartitioning *bool
	// PartitionColumns declares the types of partition columns (the rest
	// are inferred from the directory names).
	PartitionColumns []Column
	Range            hcl.Range
}

// Column is one entry of a source's schema.
type Column struct {
	Name  string
	Type  types.Type
	Range hcl.Range
}

// View is a `view "name" { ... }` block: structured (From set) or SQL
// (SQL set), never both. A transform view (Transform set) has From and
// Args only: its rows are a plugin transform's output over From.
type View struct {
	Name      string
	From      Text
	Joins     []*Join
	Where     Text
	Select    []Text
	GroupBy   []Text
	Aggregate []Text
	Having    Text
	OrderBy   []Text
	Limit     *int64
	SQL       Text
	Transform Text // plugin.function, lower case
	Args      map[string]string
	// Layout repartitions or coalesces the view's rows.
	Layout Layout
	Range  hcl.Range
}

// IsSQL reports whether the view is written as one SQL SELECT.
func (v *View) IsSQL() bool { return v.SQL.IsSet() }

// Join is a `join "relation" { type = ..., on = ... }` block of a view.
// Alias (attribute `as`) renames the relation inside the view, which a
// self-join needs.
type Join struct {
	Name  string
	Alias string
	Type  logical.JoinType
	On    Text
	Range hcl.Range
}

// Sink is a `sink "name" { ... }` block.
type Sink struct {
	Name        string
	From        Text
	Format      string
	Path        string
	Table       Text   // format = "iceberg": "namespace.table"
	Catalog     string // format = "iceberg": the catalog block's name
	PartitionBy []Text
	Mode        logical.WriteMode
	Options     map[string]string
	// TargetFileSize rolls each task's output file at about this many
	// bytes (0: one file per task and partition directory).
	TargetFileSize int64
	// Layout repartitions or coalesces the rows before they are written.
	Layout Layout
	Range  hcl.Range
}

// Catalog is a `catalog "name" { ... }` block: where Iceberg tables are
// found. Type is "sql" (URI sqlite:///file or postgres://...) or "rest".
type Catalog struct {
	Name       string
	Type       string
	URI        string
	Warehouse  string
	Properties map[string]string
	Range      hcl.Range
}

// Plugin is a `plugin "name" { source = ..., sha256 = ... }` block: a UDF
// plugin binary the job needs. It is only recorded here; the runtime
// fetches, verifies and starts it.
type Plugin struct {
	Name   string
	Source string
	SHA256 string
	// Env lists the environment variables the plugin process receives
	// (besides PATH, TMPDIR, TZ and the locale); it inherits nothing else.
	Env   []string
	Range hcl.Range
}
