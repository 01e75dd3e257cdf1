package operator

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/operator/hashtab"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// hashAgg groups its whole input in a hash table, then emits one row per
// group. Partial mode folds raw rows into states, Final merges states,
// Complete does both in one pass.
type hashAgg struct {
	in       batch.Reader
	meter    spillMeter // counts what its spills write
	spec     *physical.AggSpec
	schema   *arrow.Schema
	groupEvs []*eval.Evaluator
	// args evaluates the aggregates' arguments together (Partial and
	// Complete modes); argOf[i] is aggregate i's position in it, or -1.
	args  *eval.Set
	argOf []int
	// used marks the input columns read (nil: all), gathered from a
	// selection.
	used []bool
	// selArgs: a selection's rows are folded straight from the input
	// columns (see addSel), as every argument is a bare column (nothing
	// evaluated on rows the filter dropped) and every accumulator with an
	// argument folds selections; keyUsed marks the columns the group keys
	// read, the only ones gathered then.
	selArgs bool
	keyUsed []bool
	groups  groupTable
	accs    []accumulator
	out     batch.Reader
	env     *Env
	// inputDone: the input is exhausted (a partial aggregation may emit
	// several times before that, see flushAt).
	inputDone bool
	// res holds the table's estimated bytes; full: a partial aggregation
	// was refused more and flushes early.
	res  *memory.Reservation
	full bool
	// depth is the spill level of the table (0: the input's); spill
	// receives the table when the pool refuses it; queue holds the
	// partitions left to aggregate once the input is done.
	depth int
	spill *aggSpill
	queue []spillPart
}

// partialFlushGroups bounds a partial aggregation's hash table: past it,
// the groups so far are emitted and the table starts over. That is always
// correct — the final aggregation merges repeated groups — and keeps a
// map task's memory bounded when the keys barely repeat.
const partialFlushGroups = 1 << 20

func newHashAgg(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	h := &hashAgg{in: in, spec: n.Agg, schema: n.Schema.Arrow(), env: env,
		res: env.MemoryPool().Consumer("hash aggregate", true), meter: env.spillMeter(n)}
	for _, g := range n.Agg.GroupBy {
		ev, err := eval.Compile(g, eval.Options{UDF: env.UDF})
		if err != nil {
			return nil, task.AsFatal(err)
		}
		h.groupEvs = append(h.groupEvs, ev)
	}
	var args []*expr.Expr
	for _, a := range n.Agg.Aggs {
		acc, err := newAccumulator(a, n.Agg.Mode)
		if err != nil {
			return nil, task.AsFatal(err)
		}
		h.accs = append(h.accs, acc)
		if n.Agg.Mode == physical.AggFinal || a.Arg == nil {
			h.argOf = append(h.argOf, -1)
			continue
		}
		h.argOf = append(h.argOf, len(args))
		args = append(args, a.Arg)
		if cols, _ := expr.AggArity(a.Func); cols > 1 {
			if len(a.Extra) < cols-1 {
				return nil, task.AsFatal(fmt.Errorf("%s needs %d argument columns", a, cols))
			}
			args = append(args, a.Extra[:cols-1]...)
		}
	}
	if n.Agg.Mode != physical.AggFinal {
		// a selection from the input is gathered for the columns read
		used := append(append([]*expr.Expr(nil), n.Agg.GroupBy...), args...)
		for _, a := range n.Agg.Aggs {
			used = append(append(used, a.Arg), a.Extra...)
		}
		h.used = usedColumns(len(in.Schema().Fields()), used...)
		h.keyUsed = usedColumns(len(in.Schema().Fields()), n.Agg.GroupBy...)
		h.selArgs = foldsSelections(n.Agg.Aggs, h.accs)
	}
	if len(args) > 0 {
		set, err := eval.CompileSet(args, eval.Options{UDF: env.UDF})
		if err != nil {
			return nil, task.AsFatal(err)
		}
		h.args = set
	}
	return h, nil
}

func (h *hashAgg) Schema() *arrow.Schema { return h.schema }

func (h *hashAgg) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if h.out != nil {
			rec, err := h.out.Next(ctx)
			if err != io.EOF {
				return rec, err
			}
			h.out.Close()
			h.out = nil
		}
		var err error
		switch {
		case !h.inputDone:
			err = h.fill(ctx)
		case len(h.queue) > 0:
			err = h.aggregatePart(ctx)
		default:
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
	}
}

// fill aggregates input until it ends (or, in partial mode, until the
// table is full) and queues the groups for output — or, when the table
// spilled, queues its partitions.
func (h *hashAgg) fill(ctx context.Context) error {
	if err := h.consume(ctx); err != nil {
		return err
	}
	return h.finish()
}

// finish emits the table, or spills what is left of it and queues the
// partitions when it spilled before.
func (h *hashAgg) finish() error {
	if h.spill != nil {
		return h.finishSpill()
	}
	rec, err := h.emit()
	if err != nil {
		return task.AsFatal(err)
	}
	h.out = adopt(h.schema, splitRecord(rec, h.env.batchRows()))
	rec.Release()
	if h.inputDone && len(h.queue) == 0 {
		// The last table: leave the pool's shares to the operators
		// still filling (a sort or window above this aggregation).
		h.res.Free()
	}
	return h.reset()
}

// reset empties the table after a flush or a spill.
func (h *hashAgg) reset() error {
	h.res.Resize(0)
	h.full = false
	h.groups = groupTable{}
	for i, a := range h.spec.Aggs {
		acc, err := newAccumulator(a, h.spec.Mode)
		if err != nil {
			return task.AsFatal(err)
		}
		h.accs[i] = acc
	}
	return nil
}

func (h *hashAgg) consume(ctx context.Context) error {
	if len(h.groupEvs) == 0 && h.spec.Mode != physical.AggPartial {
		h.groups.ensureSingle() // a global aggregate has one row even with no input
	}
	for {
		if h.spec.Mode == physical.AggPartial && (h.full || h.groups.count >= h.flushAt()) {
			return nil
		}
		rec, sel, err := nextSel(ctx, h.in)
		if err == io.EOF {
			h.inputDone = true
			return nil
		}
		if err != nil {
			return err
		}
		if sel != nil && h.selArgs {
			err = h.addSel(ctx, rec, sel)
			rec.Release()
			if err == nil {
				err = h.account()
			}
			if err != nil {
				return err
			}
			continue
		}
		if sel != nil {
			// one gather of the columns the aggregation reads
			narrowed, err := narrow(ctx, rec, sel, h.used)
			rec.Release()
			if err != nil {
				return task.AsFatal(err)
			}
			rec = narrowed
		}
		err = h.add(ctx, rec)
		rec.Release()
		if err == nil {
			err = h.account()
		}
		if err != nil {
			return err
		}
	}
}

func (h *hashAgg) flushAt() int {
	if h.env.PartialFlushGroups > 0 {
		return h.env.PartialFlushGroups
	}
	return partialFlushGroups
}

func (h *hashAgg) add(ctx context.Context, rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	gids, err := h.assign(ctx, rec, n)
	if err != nil {
		return err
	}
	args, err := h.evalArgs(ctx, rec)
	if err != nil {
		return err
	}
	defer releaseAll(args)
	for i, acc := range h.accs {
		acc.grow(h.groups.count)
		if err := h.feed(i, acc, gids, rec, args); err != nil {
			return evalFailed(fmt.Errorf("%s: %w", h.spec.Aggs[i], err))
		}
	}
	return nil
}

// addSel is add for the rows sel of rec without gathering them: only the
// group keys' columns are gathered; the accumulators fold the selected
// rows of the (bare column) arguments in place.
func (h *hashAgg) addSel(ctx context.Context, rec arrow.RecordBatch, sel []int32) error {
	if len(sel) == 0 {
		return nil
	}
	keys, err := narrow(ctx, rec, sel, h.keyUsed)
	if err != nil {
		return task.AsFatal(err)
	}
	gids, err := h.assign(ctx, keys, len(sel))
	keys.Release()
	if err != nil {
		return err
	}
	args, err := h.evalArgs(ctx, rec) // bare columns: nothing to fail
	if err != nil {
		return err
	}
	defer releaseAll(args)
	for i, acc := range h.accs {
		acc.grow(h.groups.count)
		if h.argOf[i] < 0 {
			err = acc.update(gids, nil)
		} else {
			err = acc.(selUpdater).updateSel(gids, args[h.argOf[i]], sel)
		}
		if err != nil {
			return evalFailed(fmt.Errorf("%s: %w", h.spec.Aggs[i], err))
		}
	}
	return nil
}

// assign evaluates the group keys over rec (n rows) and numbers the rows'
// groups.
func (h *hashAgg) assign(ctx context.Context, rec arrow.RecordBatch, n int) ([]int32, error) {
	keyCols, err := evalAll(ctx, h.groupEvs, rec)
	if err != nil {
		return nil, evalFailed(err)
	}
	defer releaseAll(keyCols)
	gids, err := h.groups.assign(keyCols, n)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	return gids, nil
}

// evalArgs evaluates the aggregates' arguments over rec (nil without
// any), naming the aggregate whose argument failed.
func (h *hashAgg) evalArgs(ctx context.Context, rec arrow.RecordBatch) ([]arrow.Array, error) {
	if h.args == nil {
		return nil, nil
	}
	args, err := h.args.Eval(ctx, rec)
	if err != nil {
		var se *eval.SetError
		if errors.As(err, &se) {
			for i, j := range h.argOf {
				if j == se.Index {
					return nil, evalFailed(fmt.Errorf("%s: %w", h.spec.Aggs[i], se.Err))
				}
			}
		}
		return nil, evalFailed(err)
	}
	return args, nil
}

// foldsSelections: every aggregate's argument is a bare column (or it has
// none) and its accumulator folds selections (see selUpdater).
func foldsSelections(aggs []logical.AggExpr, accs []accumulator) bool {
	for i, a := range aggs {
		if a.Arg == nil {
			continue
		}
		if _, ok := accs[i].(selUpdater); !ok || a.Arg.Kind != expr.KindColumn || len(a.Extra) > 0 {
			return false
		}
	}
	return true
}

// feed passes one batch to accumulator i: state columns in Final mode,
// its evaluated argument (from args) otherwise.
func (h *hashAgg) feed(i int, acc accumulator, gids []int32, rec arrow.RecordBatch, args []arrow.Array) error {
	if h.spec.Mode == physical.AggFinal {
		first := h.stateOffset(i)
		states := make([]arrow.Array, len(physical.StateTypes(h.spec.Aggs[i])))
		for j := range states {
			states[j] = rec.Column(first + j)
		}
		return acc.merge(gids, states)
	}
	if h.argOf[i] < 0 {
		return acc.update(gids, nil)
	}
	if m, ok := acc.(multiUpdater); ok {
		cols, _ := expr.AggArity(h.spec.Aggs[i].Func)
		return m.updateN(gids, args[h.argOf[i]:h.argOf[i]+cols])
	}
	return acc.update(gids, args[h.argOf[i]])
}

// stateOffset is the first state column of aggregate i in a partial batch.
func (h *hashAgg) stateOffset(i int) int {
	off := len(h.spec.GroupBy)
	for _, a := range h.spec.Aggs[:i] {
		off += len(physical.StateTypes(a))
	}
	return off
}

func (h *hashAgg) emit() (arrow.RecordBatch, error) {
	cols, err := h.groups.keyColumns(h.schema, len(h.groupEvs))
	if err != nil {
		return nil, err
	}
	for _, acc := range h.accs {
		acc.grow(h.groups.count)
		if h.spec.Mode == physical.AggPartial {
			cols = append(cols, acc.partial()...)
			continue
		}
		c, err := acc.final()
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols = append(cols, c)
	}
	rec := array.NewRecordBatch(h.schema, cols, int64(h.groups.count))
	releaseAll(cols)
	return rec, nil
}

func (h *hashAgg) Close() error {
	if h.out != nil {
		h.out.Close()
	}
	h.res.Free()
	h.dropSpill()
	return h.in.Close()
}

// splitRecord slices rec into batches of at most rows rows (retained).
func splitRecord(rec arrow.RecordBatch, rows int) []arrow.RecordBatch {
	n := rec.NumRows()
	if n <= int64(rows) {
		rec.Retain()
		return []arrow.RecordBatch{rec}
	}
	var out []arrow.RecordBatch
	for lo := int64(0); lo < n; lo += int64(rows) {
		out = append(out, rec.NewSlice(lo, min(lo+int64(rows), n)))
	}
	return out
}

// groupTable numbers the groups by their keys (a keyTable) and remembers
// each group's key values (taken from the row that created it).
type groupTable struct {
	table  keyTable
	batch  keyBatch
	count  int
	chunks [][]arrow.Array // key columns of new groups, batch by batch
	gids   []int32
	// keyBytes estimates the memory of the groups' keys (values kept and
	// encoded keys).
	keyBytes int64
	// scratch of assignDict, reused across batches
	codes, first, reps []int32
}

func (g *groupTable) ensureSingle() {
	if g.count == 0 {
		g.count = 1
	}
}

// assign returns the group ID of every row, creating groups as needed.
func (g *groupTable) assign(cols []arrow.Array, n int) ([]int32, error) {
	if cap(g.gids) < n {
		g.gids = make([]int32, n)
	}
	gids := g.gids[:n]
	if len(cols) == 0 {
		g.ensureSingle()
		clear(gids)
		return gids, nil
	}
	kind := groupKindOf(cols)
	codes, combos, ok := dictCodes(cols, n, g.codes)
	if ok {
		g.codes = codes
	}
	if ok && (kind == kindBytes || kind == kindString) {
		fresh, err := g.assignDict(cols, codes, combos, kind, gids)
		if err != nil {
			return nil, err
		}
		return gids, g.remember(cols, fresh)
	}
	fresh, err := g.insert(cols, n, kind, gids)
	if err != nil {
		return nil, err
	}
	return gids, g.remember(cols, fresh)
}

// insert numbers the rows of cols (n rows) in the table and returns the
// rows that created groups.
func (g *groupTable) insert(cols []arrow.Array, n int, kind keyKind, gids []int32) ([]int32, error) {
	if err := g.batch.prepare(cols, n, kind); err != nil {
		return nil, err
	}
	before := g.table.keyBytes()
	if err := g.table.insert(&g.batch, gids); err != nil {
		return nil, err
	}
	var fresh []int32
	next := int32(g.count)
	for i, id := range gids {
		if id == next {
			fresh = append(fresh, int32(i))
			next++
		}
	}
	g.count = g.table.len()
	g.keyBytes += g.table.keyBytes() - before
	return fresh, nil
}

// partitions assigns each group a spill partition by its key's hash,
// seeded by the spill level (so a partition splits again one level down).
func (g *groupTable) partitions(seed uint64) []int {
	parts := make([]int, g.count)
	if g.table.kind == kindNone {
		return parts // a global aggregate: one group
	}
	for id := range parts {
		parts[id] = hashtab.Partition(g.table.hash(int32(id)), seed, spillFanout)
	}
	return parts
}

// remember keeps the key values of the rows that created new groups.
func (g *groupTable) remember(cols []arrow.Array, fresh []int32) error {
	if len(fresh) == 0 {
		return nil
	}
	taken, err := takeRows(cols, fresh)
	if err != nil {
		return err
	}
	for _, c := range taken {
		g.keyBytes += arrayBytes(c)
	}
	g.chunks = append(g.chunks, taken)
	return nil
}

// keyColumns concatenates the remembered key values into one column per
// key, typed as the output schema says.
func (g *groupTable) keyColumns(schema *arrow.Schema, nkeys int) ([]arrow.Array, error) {
	out := make([]arrow.Array, 0, nkeys)
	for k := 0; k < nkeys; k++ {
		parts := make([]arrow.Array, 0, len(g.chunks))
		for _, ch := range g.chunks {
			p, err := plain(ch[k])
			if err != nil {
				return nil, err
			}
			defer p.Release()
			parts = append(parts, p)
		}
		if len(parts) == 0 {
			out = append(out, array.MakeArrayOfNull(mem, schema.Field(k).Type, 0))
			continue
		}
		c, err := array.Concatenate(parts, mem)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
