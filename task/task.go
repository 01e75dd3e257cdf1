package task

import (
	"context"
	"fmt"
	"time"

	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/types"
)

// ID names one attempt of one task.
type ID struct {
	Stage     int `json:"stage"`
	Partition int `json:"partition"`
	Attempt   int `json:"attempt"`
}

func (id ID) String() string { return fmt.Sprintf("%d.%d.%d", id.Stage, id.Partition, id.Attempt) }

// Spec is everything an executor needs to run one task; it marshals to
// JSON so a remote executor gets the same thing a local one does.
type Spec struct {
	ID
	Job string `json:"job"`
	Run string `json:"run"`
	// Fragment is the stage's plan; StageRead leaves read Inputs.
	Fragment *physical.Node `json:"fragment"`
	// Output is the exchange this task writes (nil: Fragment is a Write).
	Output *physical.ExchangeSpec `json:"output,omitempty"`
	// Bounds are the range-partition bounds for a range Output: partition i
	// takes keys in [Bounds[i-1], Bounds[i]).
	Bounds [][]types.Value `json:"bounds,omitempty"`
	// Sample asks for a sample of the Output's sort keys instead of output.
	Sample bool `json:"sample,omitempty"`
	// Inputs maps an upstream stage ID to its map outputs, by map partition.
	Inputs map[int][]MapOutput `json:"inputs,omitempty"`
	// Reads, when set for an upstream stage, is the range of its output
	// this task reads (adaptive execution); otherwise a StageRead reads
	// partition ID.Partition of every map output.
	Reads Reads `json:"reads,omitempty"`
	// InputIndex names, by upstream stage ID, a map status object listing
	// that stage's map outputs (package mapstatus), for stages too large
	// to list inline: the spec's size stays independent of their count.
	InputIndex map[int]InputRef `json:"input_index,omitempty"`
	// ShuffleDir is the URL under which this run's shuffle files go.
	ShuffleDir string `json:"shuffle_dir"`
	// StagingDir is the URL under which a sink task stages its files.
	StagingDir string `json:"staging_dir,omitempty"`
	// BatchRows is the target batch size (0: default).
	BatchRows int `json:"batch_rows,omitempty"`
	// MemoryBytes is the task's budget for sorts, hash aggregations and
	// windows before they spill, used only by an executor without a
	// shared budget (executors and drover run have one: memory.Pool).
	MemoryBytes int64 `json:"memory_bytes,omitempty"`
}

// InputRef names one version of a stage's map status object.
type InputRef struct {
	URL string `json:"url"`
	// Maps is the number of map outputs it lists (checked on reading).
	Maps int `json:"maps"`
	// Version counts the stage's publications: each lineage recompute
	// publishes a new object, so a task reads the outputs it was given.
	Version int `json:"version"`
}

// MapOutput locates one map task's shuffle object.
type MapOutput struct {
	URL string `json:"url"`
	// Bytes and Rows per output partition, as written.
	Bytes []int64 `json:"bytes"`
	Rows  []int64 `json:"rows"`
	// Mem is each partition's size in memory as written (the Arrow
	// buffers' bytes before encoding and compression): what a reducer
	// holds when it keeps the partition whole. Adaptive execution caps a
	// coalesced task's input by it. Nil from writers that predate it.
	Mem []int64 `json:"mem,omitempty"`
}

// Result is what a finished task reports.
type Result struct {
	ID
	// Output is the shuffle object written (map tasks).
	Output *MapOutput `json:"output,omitempty"`
	// Files are the staged sink files (sink tasks), as URLs.
	Files []string `json:"files,omitempty"`
	// Deferred are the sink files written in place, not yet visible (sink
	// tasks on stores that defer completion, like S3).
	Deferred []DeferredFile `json:"deferred,omitempty"`
	// Samples are sort-key samples (Sample tasks).
	Samples [][]types.Value `json:"samples,omitempty"`
	Metrics Metrics         `json:"metrics"`
}

// DeferredFile is a sink file written at its final URL that becomes
// visible only when the driver completes it with Token (see commit).
type DeferredFile struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// Metrics are a task's counters.
type Metrics struct {
	RowsIn       int64         `json:"rows_in"`
	RowsOut      int64         `json:"rows_out"`
	BytesRead    int64         `json:"bytes_read"`
	BytesWritten int64         `json:"bytes_written"`
	SpilledBytes int64         `json:"spilled_bytes,omitempty"`
	Duration     time.Duration `json:"duration"`
	Executor     string        `json:"executor,omitempty"`

	// ShuffleBytesRead is the part of BytesRead that came from upstream
	// stages' shuffle objects (the rest is input files).
	ShuffleBytesRead int64 `json:"shuffle_bytes_read,omitempty"`
	// RuntimeFiltered is the probe rows runtime join filters dropped in
	// the scans (not counted in RowsIn when the reader dropped them).
	RuntimeFiltered int64 `json:"runtime_filtered,omitempty"`
	// S3 is every S3 request the task made, by billing class.
	S3 s3cost.Usage `json:"s3"`
	// Operators are the fragment's operators in pre-order (the order
	// physical.Format prints them): rows each produced and the time spent
	// in it, its inputs included.
	Operators []OperatorMetrics `json:"operators,omitempty"`
}

// OperatorMetrics are one operator's counters.
type OperatorMetrics struct {
	Rows int64         `json:"rows"`
	Time time.Duration `json:"time"`
	// Spilled is the bytes the operator wrote to local spill files.
	Spilled int64 `json:"spilled,omitempty"`
}

// Add accumulates o into m.
func (m *Metrics) Add(o Metrics) {
	for i, op := range o.Operators {
		if i == len(m.Operators) {
			m.Operators = append(m.Operators, OperatorMetrics{})
		}
		m.Operators[i].Rows += op.Rows
		m.Operators[i].Time += op.Time
		m.Operators[i].Spilled += op.Spilled
	}
	m.RowsIn += o.RowsIn
	m.RowsOut += o.RowsOut
	m.BytesRead += o.BytesRead
	m.BytesWritten += o.BytesWritten
	m.SpilledBytes += o.SpilledBytes
	m.ShuffleBytesRead += o.ShuffleBytesRead
	m.RuntimeFiltered += o.RuntimeFiltered
	m.S3.Add(o.S3)
	m.Duration += o.Duration
}

// Executor runs tasks. The local pool and Nomad-backed executors both
// implement it; the scheduler sees nothing else.
type Executor interface {
	// Run executes one task to completion.
	Run(ctx context.Context, spec *Spec) (*Result, error)
	// Slots is how many tasks may run at once.
	Slots() int
	// Close releases the executors.
	Close() error
}
