package operator

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator/keys"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// hashJoin loads the build side (Inputs[1]) into a hash table, then streams
// the probe side (Inputs[0]) through it. NULL keys never match.
type hashJoin struct {
	probe, buildIn batch.Reader
	spec           *physical.JoinSpec
	schema         *arrow.Schema
	probeKeys      []*eval.Evaluator
	buildKeys      []*eval.Evaluator
	filter         *eval.Evaluator
	table          *joinTable
	enc            keys.Keys
}

func buildJoin(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	probe, err := build(ctx, n.Inputs[0], env, part)
	if err != nil {
		return nil, err
	}
	b, err := build(ctx, n.Inputs[1], env, part)
	if err != nil {
		probe.Close()
		return nil, err
	}
	j := &hashJoin{probe: probe, buildIn: b, spec: n.Join, schema: n.Schema.Arrow()}
	if err := j.compile(env); err != nil {
		j.Close()
		return nil, task.AsFatal(err)
	}
	return j, nil
}

func (j *hashJoin) compile(env *Env) error {
	opts := eval.Options{UDF: env.UDF}
	for i := range j.spec.LeftKeys {
		l, err := eval.Compile(j.spec.LeftKeys[i], opts)
		if err != nil {
			return err
		}
		r, err := eval.Compile(j.spec.RightKeys[i], opts)
		if err != nil {
			return err
		}
		j.probeKeys, j.buildKeys = append(j.probeKeys, l), append(j.buildKeys, r)
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

func (j *hashJoin) Schema() *arrow.Schema { return j.schema }

func (j *hashJoin) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if j.table == nil {
		t, err := loadJoinTable(ctx, j.buildIn, j.buildKeys)
		if err != nil {
			return nil, err
		}
		j.table = t
	}
	for {
		rec, err := j.probe.Next(ctx)
		if err != nil {
			return nil, err
		}
		out, err := j.probeBatch(ctx, rec)
		rec.Release()
		if err != nil {
			return nil, evalFailed(err)
		}
		if out != nil {
			return out, nil
		}
	}
}

// probeBatch joins one probe batch; nil means no output rows.
func (j *hashJoin) probeBatch(ctx context.Context, rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	n := int(rec.NumRows())
	if n == 0 {
		return nil, nil
	}
	kc, err := evalAll(ctx, j.probeKeys, rec)
	if err != nil {
		return nil, err
	}
	defer releaseAll(kc)
	pi, bi, err := j.match(kc, n)
	if err != nil {
		return nil, err
	}
	if j.filter != nil && len(pi) > 0 {
		if pi, bi, err = j.applyFilter(ctx, rec, pi, bi); err != nil {
			return nil, err
		}
	}
	return j.assemble(rec, pi, bi, n)
}

// match finds every (probe row, build row) pair with equal keys.
func (j *hashJoin) match(kc []arrow.Array, n int) ([]int32, []int32, error) {
	var pi, bi []int32
	if vals, col, ok := intKeys(kc); ok && j.table.intHeads != nil {
		hasNulls := col.NullN() > 0
		for i, v := range vals {
			if hasNulls && col.IsNull(i) {
				continue
			}
			h, ok := j.table.intHeads[v]
			for b := h; ok && b >= 0; b = j.table.next[b] {
				pi, bi = append(pi, int32(i)), append(bi, b)
			}
		}
		return pi, bi, nil
	}
	if err := j.enc.Encode(kc, n); err != nil {
		return nil, nil, err
	}
	for i := 0; i < n; i++ {
		if j.enc.AnyNull[i] {
			continue
		}
		for b := j.table.first(j.enc.Row(i)); b >= 0; b = j.table.next[b] {
			pi, bi = append(pi, int32(i)), append(bi, b)
		}
	}
	return pi, bi, nil
}

// applyFilter keeps the candidate pairs for which the residual ON filter
// is TRUE.
func (j *hashJoin) applyFilter(ctx context.Context, rec arrow.RecordBatch, pi, bi []int32) ([]int32, []int32, error) {
	cand, err := j.pairs(rec, pi, bi)
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
func (j *hashJoin) pairs(rec arrow.RecordBatch, pi, bi []int32) (arrow.RecordBatch, error) {
	left, err := takeRows(rec.Columns(), pi)
	if err != nil {
		return nil, err
	}
	right, err := takeRows(j.table.cols, bi)
	if err != nil {
		releaseAll(left)
		return nil, err
	}
	return recordOf(append(left, right...), int64(len(pi))), nil
}

func (j *hashJoin) assemble(rec arrow.RecordBatch, pi, bi []int32, n int) (arrow.RecordBatch, error) {
	switch j.spec.Type {
	case logical.InnerJoin:
		if len(pi) == 0 {
			return nil, nil
		}
		return j.pairs(rec, pi, bi)
	case logical.SemiJoin, logical.AntiJoin:
		return j.selectProbe(rec, pi, n, j.spec.Type == logical.SemiJoin)
	case logical.LeftJoin:
		return j.leftOuter(rec, pi, bi, n)
	}
	return nil, fmt.Errorf("join type %s not supported", j.spec.Type)
}

// selectProbe keeps probe rows with (semi) or without (anti) a match.
func (j *hashJoin) selectProbe(rec arrow.RecordBatch, pi []int32, n int, matched bool) (arrow.RecordBatch, error) {
	hit := make([]bool, n)
	for _, p := range pi {
		hit[p] = true
	}
	var keep []int32
	for i, h := range hit {
		if h == matched {
			keep = append(keep, int32(i))
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	cols, err := takeRows(rec.Columns(), keep)
	if err != nil {
		return nil, err
	}
	return recordOf(cols, int64(len(keep))), nil
}

// leftOuter emits matched pairs plus each unmatched probe row with NULLs
// on the build side (index -1 takes as NULL).
func (j *hashJoin) leftOuter(rec arrow.RecordBatch, pi, bi []int32, n int) (arrow.RecordBatch, error) {
	hit := make([]bool, n)
	for _, p := range pi {
		hit[p] = true
	}
	for i, h := range hit {
		if !h {
			pi, bi = append(pi, int32(i)), append(bi, -1)
		}
	}
	left, err := takeRows(rec.Columns(), pi)
	if err != nil {
		return nil, err
	}
	right, err := takeNullable(j.table.cols, bi)
	if err != nil {
		releaseAll(left)
		return nil, err
	}
	return recordOf(append(left, right...), int64(len(pi))), nil
}

// takeNullable gathers rows where -1 means NULL.
func takeNullable(cols []arrow.Array, idx []int32) ([]arrow.Array, error) {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	for _, i := range idx {
		if i < 0 {
			b.AppendNull()
		} else {
			b.Append(i)
		}
	}
	ia := b.NewArray()
	defer ia.Release()
	out := make([]arrow.Array, len(cols))
	for i, c := range cols {
		t, err := takeWithNulls(c, ia)
		if err != nil {
			releaseAll(out[:i])
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

func (j *hashJoin) Close() error {
	j.buildIn.Close()
	if j.table != nil {
		releaseAll(j.table.cols)
		j.table.cols = nil
	}
	return j.probe.Close()
}

// joinTable is the build side: its columns concatenated, and chains of row
// indexes per key (heads in a map, links in next).
type joinTable struct {
	cols     []arrow.Array
	heads    map[string]int32
	intHeads map[int64]int32 // single integer key fast path
	next     []int32
}

func (t *joinTable) first(key []byte) int32 {
	if h, ok := t.heads[string(key)]; ok {
		return h
	}
	return -1
}

func loadJoinTable(ctx context.Context, in batch.Reader, keyEvs []*eval.Evaluator) (*joinTable, error) {
	recs, err := drain(ctx, in)
	if err != nil {
		return nil, err
	}
	defer releaseRecs(recs)
	cols, n, err := concatRecords(in.Schema(), recs)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	t := &joinTable{cols: cols, heads: make(map[string]int32, n), next: make([]int32, n)}
	whole := array.NewRecordBatch(schemaOf(cols), cols, int64(n))
	defer whole.Release()
	kc, err := evalAll(ctx, keyEvs, whole)
	if err != nil {
		return nil, evalFailed(err)
	}
	defer releaseAll(kc)
	if vals, col, ok := intKeys(kc); ok {
		t.intHeads = make(map[int64]int32, n)
		for i := n - 1; i >= 0; i-- {
			t.next[i] = -1
			if col.IsNull(i) {
				continue
			}
			if h, ok := t.intHeads[vals[i]]; ok {
				t.next[i] = h
			}
			t.intHeads[vals[i]] = int32(i)
		}
		return t, nil
	}
	var enc keys.Keys
	if err := enc.Encode(kc, n); err != nil {
		return nil, task.AsFatal(err)
	}
	// Insert in reverse so chains list rows in input order.
	for i := n - 1; i >= 0; i-- {
		if enc.AnyNull[i] {
			t.next[i] = -1
			continue
		}
		k := enc.Row(i)
		if h, ok := t.heads[string(k)]; ok {
			t.next[i] = h
		} else {
			t.next[i] = -1
		}
		t.heads[string(k)] = int32(i)
	}
	return t, nil
}

// drain reads every batch of in (without closing it).
func drain(ctx context.Context, in batch.Reader) ([]arrow.RecordBatch, error) {
	var out []arrow.RecordBatch
	for {
		rec, err := in.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			releaseRecs(out)
			return nil, err
		}
		out = append(out, rec)
	}
}

func releaseRecs(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

// concatRecords concatenates batches column by column (dictionaries
// unpacked, since batches may carry different dictionaries).
func concatRecords(schema *arrow.Schema, recs []arrow.RecordBatch) ([]arrow.Array, int, error) {
	cols := make([]arrow.Array, schema.NumFields())
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	for c := range cols {
		parts := make([]arrow.Array, 0, len(recs))
		for _, r := range recs {
			p, err := plain(r.Column(c))
			if err != nil {
				releaseAll(parts)
				releaseAll(cols[:c])
				return nil, 0, err
			}
			parts = append(parts, p)
		}
		var err error
		if len(parts) == 0 {
			cols[c] = array.MakeArrayOfNull(mem, schema.Field(c).Type, 0)
		} else {
			cols[c], err = array.Concatenate(parts, mem)
		}
		releaseAll(parts)
		if err != nil {
			releaseAll(cols[:c])
			return nil, 0, err
		}
	}
	return cols, n, nil
}

func schemaOf(cols []arrow.Array) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fieldName(i), Type: c.DataType(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}
