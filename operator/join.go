package operator

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format/rtfilter"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// joinOp runs every join type. It loads the build side (Inputs[1]) whole,
// then streams the probe side (Inputs[0]) through a matcher that proposes
// candidate (probe row, build row) pairs chunk by chunk: equal keys from a
// hash table (hashMatcher), or every pair (nestedLoopMatcher, for joins
// without keys). The residual filter then keeps the pairs it holds TRUE for,
// and the join type decides what is output:
//   - inner, left, right, full: the kept pairs, per chunk;
//   - left, full: after the probe batch, its rows no pair kept, NULL-extended;
//   - semi / anti: the probe rows with / without a kept pair;
//   - mark: every probe row with a BOOLEAN saying whether it had a kept pair;
//   - right, full: after the whole probe side, the build rows no pair kept,
//     with NULL probe columns. The planner makes sure each build row lives
//     in exactly one task for these (shuffled, or one partition).
type joinOp struct {
	probe, buildIn batch.Reader
	spec           *physical.JoinSpec
	schema         *arrow.Schema
	filter         *eval.Evaluator
	matcher        joinMatcher
	batchRows      int
	meter          spillMeter // counts what its grace partitions spill, at every level

	// Memory: the build side is reserved from env's pool as it is read;
	// when refused, a keyed join spills (grace, see graceJoin).
	env    *Env
	res    *memory.Reservation // shared with the joins a spill recurses into
	ownRes bool                // this join registered res and frees it
	held   int64               // bytes this join reserved in res
	level  int                 // recursion level of a spilled partition's join
	oneKey *sameKey            // a spilled partition's keys, seen by its parent
	grace  *graceJoin          // set once the build side spilled
	spills *joinSpills         // shared with the joins a spill recurses into

	// sharedNode: the join may use its executor's shared broadcast
	// table (see BroadcastCache); shared is the one it uses.
	sharedNode *physical.Node
	shared     *sharedBuild

	// rtSlot is where the join installs its runtime filter for the scan
	// feeding its probe side (nil: none); rt is the filter installed.
	rtSlot *rtfilter.Slot
	rt     *rtfilter.Filter

	loaded   bool
	loadErr  error
	build    []arrow.Array // the build side's columns, concatenated
	buildN   int
	buildHit []bool // right/full: build rows some pair kept

	cur       arrow.RecordBatch // the probe batch being matched
	hit       []bool            // its rows some pair kept
	pending   []arrow.RecordBatch
	probeDone bool
	unmatched []int32 // right/full: build rows still to emit, NULL-extended
}

// joinMatcher proposes candidate pairs for one probe batch at a time.
type joinMatcher interface {
	// compile prepares the key evaluators.
	compile(spec *physical.JoinSpec, opts eval.Options) error
	// load indexes the build side's columns (n rows).
	load(ctx context.Context, cols []arrow.Array, n int) error
	// start begins matching probe batch rec.
	start(ctx context.Context, rec arrow.RecordBatch) error
	// next returns the next chunk of candidate pairs; ok is false when rec
	// has none left. skip, when not nil, marks probe rows whose further
	// pairs do not matter (semi, anti and mark joins stop at one).
	next(skip []bool) (pi, bi []int32, ok bool)
	// close releases what the matcher holds.
	close()
}

// maxPairs bounds a nested loop's chunk: probe rows × build rows per filter
// evaluation.
const maxPairs = 64 * 1024

func buildJoin(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	probe, slot, err := buildProbe(ctx, n, env, part)
	if err != nil {
		return nil, err
	}
	b, err := build(ctx, n.Inputs[1], env, part)
	if err != nil {
		probe.Close()
		return nil, err
	}
	if (n.Op == physical.OpHashJoin) != (len(n.Join.LeftKeys) > 0) {
		probe.Close()
		b.Close()
		return nil, task.AsFatal(fmt.Errorf("operator: %s with %d keys", n.Op, len(n.Join.LeftKeys)))
	}
	j := &joinOp{probe: probe, buildIn: b, spec: n.Join, schema: n.Schema.Arrow(), batchRows: env.batchRows(), env: env, meter: env.spillMeter(n)}
	if err := j.compile(env); err != nil {
		j.Close()
		return nil, task.AsFatal(err)
	}
	if shareable(n, env) {
		j.sharedNode = n
	}
	j.rtSlot = slot
	return j, nil
}

// compile picks the matcher (hash with keys, nested loop without) and
// compiles the filter.
func (j *joinOp) compile(env *Env) error {
	switch j.spec.Type {
	case logical.InnerJoin, logical.LeftJoin, logical.SemiJoin, logical.AntiJoin,
		logical.RightJoin, logical.FullJoin, logical.MarkJoin:
	default:
		return fmt.Errorf("join type %s not supported", j.spec.Type)
	}
	if len(j.spec.LeftKeys) != len(j.spec.RightKeys) {
		return fmt.Errorf("join has %d left keys but %d right keys", len(j.spec.LeftKeys), len(j.spec.RightKeys))
	}
	if j.batchRows <= 0 {
		j.batchRows = DefaultBatchRows
	}
	j.env = env
	opts := eval.Options{UDF: env.UDF}
	if len(j.spec.LeftKeys) > 0 {
		j.matcher = &hashMatcher{}
	} else {
		j.matcher = &nestedLoopMatcher{}
	}
	if err := j.matcher.compile(j.spec, opts); err != nil {
		return err
	}
	if j.spec.Filter != nil {
		f, err := eval.Compile(j.spec.Filter, opts)
		if err != nil {
			return err
		}
		j.filter = f
	}
	return nil
}

func (j *joinOp) Schema() *arrow.Schema { return j.schema }

func (j *joinOp) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if !j.loaded {
		if j.loadErr = j.loadBuild(ctx); j.loadErr == nil {
			j.installRuntimeFilter(ctx)
		}
	}
	if j.loadErr != nil {
		return nil, j.loadErr // a build side that failed once stays failed
	}
	if j.grace != nil {
		return j.grace.next(ctx)
	}
	for {
		if len(j.pending) > 0 {
			out := j.pending[0]
			j.pending = j.pending[1:]
			return out, nil
		}
		if err := j.step(ctx); err != nil {
			return nil, err
		}
	}
}

// step advances the join by one chunk, queueing any output; io.EOF when
// everything was emitted.
func (j *joinOp) step(ctx context.Context) error {
	if j.cur != nil {
		pi, bi, ok := j.matcher.next(j.skipMatched())
		if !ok {
			return j.finishProbe()
		}
		if err := j.chunk(ctx, pi, bi); err != nil {
			return evalFailed(err)
		}
		return nil
	}
	if j.probeDone {
		return j.emitUnmatchedBuild()
	}
	rec, err := j.probe.Next(ctx)
	if err == io.EOF {
		j.probeDone = true
		j.unmatched = j.unmatchedBuild()
		return nil
	}
	if err != nil {
		return err
	}
	if rec.NumRows() == 0 {
		rec.Release()
		return nil
	}
	if err := j.matcher.start(ctx, rec); err != nil {
		rec.Release()
		return evalFailed(err)
	}
	j.cur, j.hit = rec, make([]bool, rec.NumRows())
	return nil
}

// skipMatched: semi, anti and mark joins need one kept pair per probe row.
func (j *joinOp) skipMatched() []bool {
	switch j.spec.Type {
	case logical.SemiJoin, logical.AntiJoin, logical.MarkJoin:
		return j.hit
	}
	return nil
}

// chunk filters one chunk of candidate pairs and queues the output the
// join type makes of them.
func (j *joinOp) chunk(ctx context.Context, pi, bi []int32) error {
	if len(pi) == 0 {
		return nil
	}
	if j.filter != nil {
		var err error
		if pi, bi, err = j.applyFilter(ctx, pi, bi); err != nil {
			return err
		}
	}
	for _, p := range pi {
		j.hit[p] = true
	}
	for _, b := range bi {
		if j.buildHit != nil {
			j.buildHit[b] = true
		}
	}
	if len(pi) == 0 || !j.spec.Type.EmitsRight() {
		return nil
	}
	out, err := j.pairs(pi, bi)
	if err != nil {
		return err
	}
	j.pending = append(j.pending, out)
	return nil
}

// applyFilter keeps the candidate pairs for which the residual filter is
// TRUE.
func (j *joinOp) applyFilter(ctx context.Context, pi, bi []int32) ([]int32, []int32, error) {
	cand, err := j.pairs(pi, bi)
	if err != nil {
		return nil, nil, err
	}
	defer cand.Release()
	mask, err := j.filter.Eval(ctx, cand)
	if err != nil {
		return nil, nil, err
	}
	defer mask.Release()
	m, ok := mask.(*array.Boolean)
	kp, kb := pi[:0], bi[:0]
	for i := range pi {
		if ok && m.IsValid(i) && m.Value(i) { // a NULL-typed mask keeps nothing
			kp, kb = append(kp, pi[i]), append(kb, bi[i])
		}
	}
	return kp, kb, nil
}

// pairs builds probe columns ++ build columns for matched index pairs.
// When every probe row pairs once, in order (a key join whose build keys
// are unique and all match), the probe columns are passed on, not copied.
func (j *joinOp) pairs(pi, bi []int32) (arrow.RecordBatch, error) {
	var left []arrow.Array
	if len(pi) == int(j.cur.NumRows()) && isIdentity(pi) {
		left = retained(j.cur.Columns())
	} else {
		var err error
		if left, err = takeRows(j.cur.Columns(), pi); err != nil {
			return nil, err
		}
	}
	right, err := takeRows(j.build, bi)
	if err != nil {
		releaseAll(left)
		return nil, err
	}
	return recordOf(append(left, right...), int64(len(pi))), nil
}

func (j *joinOp) Close() error {
	if j.grace != nil {
		j.grace.close()
		j.grace = nil
	}
	j.release()
	if j.matcher != nil {
		j.matcher.close()
	}
	j.buildIn.Close()
	j.releaseShared()
	releaseAll(j.build)
	j.build = nil
	releaseRecs(j.pending)
	j.pending = nil
	if j.cur != nil {
		j.cur.Release()
		j.cur = nil
	}
	return j.probe.Close()
}
