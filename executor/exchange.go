package executor

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/operator/keys"
	"github.com/drover-etl/drover/operator/sortkey"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// writeExchange partitions the task's output and writes one shuffle object.
func writeExchange(ctx context.Context, in batch.Reader, spec *task.Spec, env *operator.Env) (*task.MapOutput, int64, int64, error) {
	out := spec.Output
	parts := out.Partitions
	if out.Kind == physical.PartSingle || out.Kind == physical.PartBroadcast {
		parts = 1
	}
	route, err := newRouter(out, spec.Bounds, env)
	if err != nil {
		return nil, 0, 0, task.AsFatal(err)
	}
	schema := spec.Fragment.Schema.Arrow()
	url := task.ShuffleURL(spec.ShuffleDir, spec.Stage, spec.Partition, spec.Attempt)
	opts := []shuffle.Option{shuffle.WithMemory(env.MemoryPool(), env.SpillDir())}
	if scheme, _, _ := storage.SplitScheme(url); scheme == "file" {
		opts = append(opts, shuffle.Uncompressed()) // see shuffle.Uncompressed
	}
	w := shuffle.NewWriter(schema, parts, opts...)
	defer func() { env.Spilled.Add(w.Spilled()) }()
	defer w.Close()
	var rows int64
	err = drive(ctx, in, func(rec arrow.RecordBatch) error {
		norm, err := operator.Normalize(rec, schema)
		if err != nil {
			return task.AsFatal(err)
		}
		defer norm.Release()
		rows += norm.NumRows()
		return route(ctx, norm, w)
	})
	if err != nil {
		return nil, 0, 0, err
	}
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return nil, 0, 0, task.AsFatal(err)
	}
	bytesPer, rowsPer, err := w.Commit(ctx, loc)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("write shuffle %s: %w", url, err)
	}
	var total int64
	for _, b := range bytesPer {
		total += b
	}
	return &task.MapOutput{URL: url, Bytes: bytesPer, Rows: rowsPer, Mem: w.Mem()}, rows, total, nil
}

type router func(ctx context.Context, rec arrow.RecordBatch, w *shuffle.Writer) error

func newRouter(out *physical.ExchangeSpec, bounds [][]types.Value, env *operator.Env) (router, error) {
	switch out.Kind {
	case physical.PartSingle, physical.PartBroadcast:
		return func(_ context.Context, rec arrow.RecordBatch, w *shuffle.Writer) error { return w.Write(0, rec) }, nil
	case physical.PartHash:
		return hashRouter(out, env)
	case physical.PartRange:
		return rangeRouter(out, bounds, env)
	}
	return nil, fmt.Errorf("unknown partitioning %s", out.Kind)
}

func hashRouter(out *physical.ExchangeSpec, env *operator.Env) (router, error) {
	evs, err := compileAll(out.Keys, env)
	if err != nil {
		return nil, err
	}
	var enc keys.Keys
	n := uint64(out.Partitions)
	return func(ctx context.Context, rec arrow.RecordBatch, w *shuffle.Writer) error {
		cols, err := evalCols(ctx, evs, rec)
		if err != nil {
			return operator.EvalFailed(err)
		}
		defer releaseCols(cols)
		rows := int(rec.NumRows())
		if err := enc.Encode(cols, rows); err != nil {
			return task.AsFatal(err)
		}
		part := make([]int, rows)
		for i := range part {
			part[i] = int(enc.Hash(i) % n)
		}
		return scatter(rec, part, out.Partitions, w)
	}, nil
}

func rangeRouter(out *physical.ExchangeSpec, bounds [][]types.Value, env *operator.Env) (router, error) {
	exprs := make([]*expr.Expr, len(out.SortKeys))
	for i, k := range out.SortKeys {
		exprs[i] = k.Expr
	}
	evs, err := compileAll(exprs, env)
	if err != nil {
		return nil, err
	}
	rp := &rangeParts{bounds: bounds, keys: out.SortKeys}
	return func(ctx context.Context, rec arrow.RecordBatch, w *shuffle.Writer) error {
		cols, err := evalCols(ctx, evs, rec)
		if err != nil {
			return operator.EvalFailed(err)
		}
		defer releaseCols(cols)
		return scatter(rec, rp.of(cols, int(rec.NumRows())), out.Partitions, w)
	}, nil
}

// rangeParts assigns rows to range partitions: partition = the number of
// bounds <= the row. Rows and bounds compare as normalized keys
// (operator/sortkey), the bounds encoded once for the key columns'
// types; key types without an encoding fall back to boxed values.
type rangeParts struct {
	bounds [][]types.Value
	keys   []logical.SortKey

	enc     sortkey.Rows
	norm    [][]byte   // bounds encoded for normTyp
	normTyp []types.ID // the key columns' logical types norm was made for
	colTyp  []types.ID // scratch
	failed  bool       // the bounds cannot be encoded for these types
}

func (rp *rangeParts) of(cols []arrow.Array, n int) []int {
	part := make([]int, n)
	if len(rp.bounds) == 0 {
		return part
	}
	if !rp.normalize(cols) {
		rangePartsBoxed(part, cols, rp.bounds, rp.keys)
		return part
	}
	if err := sortkey.Encode(&rp.enc, cols, rp.keys, n); err != nil {
		rangePartsBoxed(part, cols, rp.bounds, rp.keys)
		return part
	}
	for i := range part {
		row := rp.enc.Row(i)
		lo, hi := 0, len(rp.norm)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if bytes.Compare(row, rp.norm[m]) < 0 {
				hi = m
			} else {
				lo = m + 1
			}
		}
		part[i] = lo
	}
	return part
}

// normalize (re)encodes the bounds for the columns' types, reporting
// whether rows can be compared as normalized keys.
func (rp *rangeParts) normalize(cols []arrow.Array) bool {
	if !sortkey.AllSupported(cols) {
		return false
	}
	rp.colTyp = rp.colTyp[:0]
	dts := make([]arrow.DataType, len(cols))
	for i, c := range cols {
		t, err := types.FromArrow(c.DataType())
		if err != nil {
			return false
		}
		rp.colTyp = append(rp.colTyp, t.ID)
		dts[i] = c.DataType()
	}
	if rp.normTyp != nil && slices.Equal(rp.colTyp, rp.normTyp) {
		return !rp.failed
	}
	rp.normTyp = slices.Clone(rp.colTyp)
	rp.norm, rp.failed = make([][]byte, len(rp.bounds)), false
	for b, vals := range rp.bounds {
		enc, err := sortkey.AppendValues(nil, vals, dts, rp.keys)
		if err != nil {
			rp.failed = true
			return false
		}
		rp.norm[b] = enc
	}
	return true
}

// rangePartsBoxed is the partitioning through boxed values, for key
// types without a normalized encoding.
func rangePartsBoxed(part []int, cols []arrow.Array, bounds [][]types.Value, keys []logical.SortKey) {
	row := make([]types.Value, len(cols))
	for i := range part {
		for c, col := range cols {
			row[c] = eval.ValueAt(col, i)
		}
		part[i] = sort.Search(len(bounds), func(b int) bool { return logical.CompareKeyRows(row, bounds[b], keys) < 0 })
	}
}

// scatter splits rec by partition number and appends each piece.
func scatter(rec arrow.RecordBatch, part []int, parts int, w *shuffle.Writer) error {
	idx := make([][]int32, parts)
	for i, p := range part {
		idx[p] = append(idx[p], int32(i))
	}
	for p, rows := range idx {
		if len(rows) == 0 {
			continue
		}
		if len(rows) == len(part) {
			return w.Write(p, rec)
		}
		sub, err := operator.TakeRecord(rec, rows)
		if err != nil {
			return task.AsFatal(err)
		}
		err = w.Write(p, sub)
		sub.Release()
		if err != nil {
			return err
		}
	}
	return nil
}
