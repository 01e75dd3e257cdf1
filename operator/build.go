package operator

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format/rtfilter"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/task"
)

// Env is what a fragment needs from its task.
type Env struct {
	// Partition is the task's partition.
	Partition int
	// Inputs are the upstream map outputs by stage ID.
	Inputs map[int][]task.MapOutput
	// Reads narrows the reads of some upstream stages (adaptive
	// execution; see task.ReadRange).
	Reads task.Reads
	// Pool is the executor's memory budget, shared by its task slots:
	// sorts, windows and hash aggregations reserve from it and spill when
	// refused. nil: a pool of MemoryBytes for this task alone.
	Pool *memory.Pool
	// MemoryBytes sizes the task's own pool when Pool is nil (0: default).
	MemoryBytes int64
	// Broadcasts shares broadcast hash tables between the tasks of a
	// process that share Pool (nil: each join builds its own).
	Broadcasts *BroadcastCache
	// FetchConcurrency is how many ranged GETs a stage read keeps in
	// flight (0: DefaultFetchConcurrency; 1: one map output at a time).
	FetchConcurrency int
	// Spill receives spill files (nil: a local directory, TempDir).
	Spill spill.Dir
	// TempDir is the local directory of spill files when Spill is nil
	// ("": the OS default).
	TempDir string
	// BatchRows is the target batch size.
	BatchRows int
	// PartialFlushGroups overrides how many groups a partial aggregation
	// holds before it emits them early (0: the default).
	PartialFlushGroups int
	// UDF calls plugin functions (nil: none available).
	UDF eval.ScalarUDF
	// Transforms runs plugin batch transforms (nil: none available).
	Transforms Transformer
	// Counters, updated atomically by operators.
	RowsIn, BytesRead, Spilled atomic.Int64
	// RuntimeFiltered counts the probe rows runtime join filters dropped
	// (runtimefilter.go).
	RuntimeFiltered atomic.Int64
	// runtime holds, while a join's probe side is being built, the slot
	// of the runtime filter its scan is to read (guarded by runtimeMu:
	// some operators build their inputs lazily).
	runtime   map[*physical.Node]*rtfilter.Slot
	runtimeMu sync.Mutex
	// ops count each operator's rows and time (see Operators).
	ops     map[*physical.Node]*opCounter
	opOrder []*physical.Node
	// ShuffleBytesRead is the part of BytesRead read from shuffle objects.
	ShuffleBytesRead atomic.Int64

	poolOnce  sync.Once
	spillOnce sync.Once
}

// DefaultMemoryBytes is the per-task sort budget when Env sets none.
const DefaultMemoryBytes = 512 << 20

// DefaultBatchRows is the target batch size when Env sets none.
const DefaultBatchRows = 64 * 1024

func (e *Env) memory() int64 {
	if e.MemoryBytes > 0 {
		return e.MemoryBytes
	}
	return DefaultMemoryBytes
}

// MemoryPool is the pool operators reserve from: Pool, or one made for
// this task from MemoryBytes the first time it is asked for.
func (e *Env) MemoryPool() *memory.Pool {
	e.poolOnce.Do(func() {
		if e.Pool == nil {
			e.Pool = memory.NewPool(e.memory())
		}
	})
	return e.Pool
}

// raiseMemory is what every operator that cannot fit even after spilling
// tells its user to change: the budget's setting in each deploy mode.
const raiseMemory = "raise the memory budget: drover run --memory (or --task-memory per slot); in a cluster the executors' memory (drover submit --executor-memory, or the memory of their Nomad job; the executor's --memory)"

// budget describes the pool's size for error messages.
func (e *Env) budget() string {
	if l := e.MemoryPool().Limit(); l > 0 {
		return mib(l)
	}
	return "unlimited"
}

func (e *Env) batchRows() int {
	if e.BatchRows > 0 {
		return e.BatchRows
	}
	return DefaultBatchRows
}

// Build returns a reader producing partition env.Partition of n.
func Build(ctx context.Context, n *physical.Node, env *Env) (batch.Reader, error) {
	env.planOps(n)
	return build(ctx, n, env, env.Partition)
}

func build(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	r, err := buildNode(ctx, n, env, part)
	if err != nil {
		return nil, err
	}
	return env.measure(n, r), nil
}

func buildNode(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	switch n.Op {
	case physical.OpScan:
		return newScan(ctx, n, env, part)
	case physical.OpStageRead:
		return newStageRead(n, env, part)
	case physical.OpUnion:
		return buildUnion(ctx, n, env, part)
	case physical.OpHashJoin, physical.OpNestedLoopJoin:
		return buildJoin(ctx, n, env, part)
	case physical.OpValues:
		return newValues(ctx, n, env, part)
	case physical.OpCoalesce:
		return buildCoalesce(ctx, n, env, part)
	}
	if len(n.Inputs) != 1 {
		return nil, fmt.Errorf("operator: %s wants one input, has %d", n.Op, len(n.Inputs))
	}
	in, err := build(ctx, n.Inputs[0], env, part)
	if err != nil {
		return nil, err
	}
	op, err := buildUnary(n, in, env)
	if err != nil {
		in.Close()
		return nil, err
	}
	return op, nil
}

func buildUnary(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	switch n.Op {
	case physical.OpFilter:
		return newFilter(n, in, env)
	case physical.OpProject:
		return newProject(n, in, env)
	case physical.OpHashAgg:
		return newHashAgg(n, in, env)
	case physical.OpSort:
		return newSort(n, in, env)
	case physical.OpTopN:
		return newTopN(n, in, env)
	case physical.OpLimit:
		return newLimit(n, in), nil
	case physical.OpTransform:
		return newTransform(n, in, env)
	case physical.OpExpand:
		return newExpand(n, in, env)
	case physical.OpReplicate:
		return newReplicate(n, in, env)
	case physical.OpWindow:
		return newWindow(n, in, env)
	case physical.OpWrite:
		// The executor drives Write nodes itself; the input is the data.
		return in, nil
	}
	return nil, fmt.Errorf("operator: no operator for %s", n.Op)
}

// partitionsOf counts the partitions a subtree spans, for routing a Union's
// task to one of its inputs. It mirrors stage.Graph's counting.
func partitionsOf(n *physical.Node, env *Env) int {
	switch n.Op {
	case physical.OpScan:
		return max(len(n.Scan.Splits), 1)
	case physical.OpStageRead:
		if n.Read.Kind == physical.PartSingle || n.Read.Kind == physical.PartBroadcast {
			return 1
		}
		outs := env.Inputs[n.Read.Stage]
		if len(outs) > 0 {
			return len(outs[0].Bytes)
		}
		return 1
	case physical.OpUnion:
		total := 0
		for _, in := range n.Inputs {
			total += partitionsOf(in, env)
		}
		return total
	case physical.OpHashJoin, physical.OpNestedLoopJoin:
		return partitionsOf(n.Inputs[0], env)
	case physical.OpValues:
		return 1
	case physical.OpCoalesce:
		return min(partitionsOf(n.Inputs[0], env), n.Coalesce)
	}
	return partitionsOf(n.Inputs[0], env)
}
