package operator

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/dataset"
	"github.com/drover-etl/drover/format/rtfilter"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// scan reads one split and applies the pushed-down filters exactly. The
// format reader uses them to skip row groups and pages; a batch the reader
// reports as already filtered by them (format.Prefiltered: Parquet late
// materialization) is passed on without evaluating them again, every other
// batch is filtered here — including one whose filters failed to evaluate
// in the reader, so the error is reported here as without the reader's
// filtering.
type scan struct {
	r      batch.Reader
	schema *arrow.Schema
	pred   *eval.Evaluator
	env    *Env
	// rt is a join's runtime filter on output columns rtCols
	// (runtimefilter.go), applied here unless the reader claimed it.
	rt     *rtfilter.Use
	rtCols []int
}

func newScan(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	spec := n.Scan
	schema := n.Schema.Arrow()
	if len(spec.Splits) == 0 {
		return batch.NewSliceReader(schema, nil), nil
	}
	f, err := format.Lookup(spec.Format)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	split := spec.Splits[part]
	env.BytesRead.Add(split.Bytes())
	rt, rtCols := runtimeUse(n, env)
	r, err := dataset.Open(ctx, f, split, format.ReadOptions{
		Table: spec.Table, Columns: spec.Columns, Filters: spec.Filters,
		Options: spec.Options, BatchRows: env.batchRows(), MissingAsNull: spec.MissingAsNull,
		FieldIDs: spec.FieldIDs, Pool: env.MemoryPool(), Runtime: rt,
	}, spec.PartitionColumns)
	if err != nil {
		return nil, classifyRead(err)
	}
	s := &scan{r: r, schema: schema, env: env, rt: rt, rtCols: rtCols}
	if len(spec.Filters) > 0 {
		if s.pred, err = compileScanFilter(spec, env); err != nil {
			r.Close()
			return nil, task.AsFatal(err)
		}
	}
	return s, nil
}

// compileScanFilter rebinds the filters (bound against the full table)
// onto the projected columns the reader produces.
func compileScanFilter(spec *physical.ScanSpec, env *Env) (*eval.Evaluator, error) {
	pos := map[int]int{}
	if spec.Columns == nil {
		for i := range spec.Table.Fields {
			pos[i] = i
		}
	}
	for i, c := range spec.Columns {
		pos[c] = i
	}
	cond := spec.Filters[0]
	for _, f := range spec.Filters[1:] {
		cond = andOf(cond, f)
	}
	remapped, err := expr.Transform(cond, func(e *expr.Expr) (*expr.Expr, error) {
		if e.Kind != expr.KindColumn {
			return e, nil
		}
		p, ok := pos[e.Index]
		if !ok {
			return nil, fmt.Errorf("scan filter reads column %s, which the scan does not produce", e.Name)
		}
		e.Index = p
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return eval.Compile(remapped, eval.Options{UDF: env.UDF})
}

func andOf(a, b *expr.Expr) *expr.Expr {
	c := expr.Call(expr.FnAnd, a, b)
	c.Type, c.Nullable = a.Type, a.Nullable || b.Nullable
	return c
}

func (s *scan) Schema() *arrow.Schema { return s.schema }

func (s *scan) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.rt != nil {
		return s.nextRuntime(ctx)
	}
	return s.next(ctx)
}

// next is Next without a runtime filter.
func (s *scan) next(ctx context.Context) (arrow.RecordBatch, error) {
	rec, err := s.r.Next(ctx)
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		return nil, classifyRead(err)
	}
	s.env.RowsIn.Add(rec.NumRows())
	if s.pred == nil || format.BatchFiltered(s.r) {
		return rec, nil
	}
	defer rec.Release()
	out, err := eval.Filter(ctx, rec, s.pred)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	return out, nil
}

// NextSel is Next handing the pushed-down filter's result on as a
// selection (selection.go) instead of copying the rows that pass.
func (s *scan) NextSel(ctx context.Context) (arrow.RecordBatch, []int32, error) {
	rec, sel, err := s.nextSel(ctx)
	if err != nil || s.rt == nil {
		return rec, sel, err
	}
	rec, sel = s.applyRuntime(rec, sel)
	if sel != nil && len(sel) == 0 {
		defer rec.Release()
		return rec.NewSlice(0, 0), nil, nil
	}
	return rec, sel, nil
}

// nextRuntime is Next with a runtime filter: the selection gathered.
func (s *scan) nextRuntime(ctx context.Context) (arrow.RecordBatch, error) {
	rec, sel, err := s.NextSel(ctx)
	if err != nil || sel == nil {
		return rec, err
	}
	defer rec.Release()
	cols, err := eval.TakeColumns(ctx, rec.Columns(), sel)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	defer releaseAll(cols)
	return array.NewRecordBatch(rec.Schema(), cols, int64(len(sel))), nil
}

// nextSel is NextSel without a runtime filter.
func (s *scan) nextSel(ctx context.Context) (arrow.RecordBatch, []int32, error) {
	if s.pred == nil {
		rec, err := s.next(ctx)
		return rec, nil, err
	}
	rec, err := s.r.Next(ctx)
	if err != nil {
		if err == io.EOF {
			return nil, nil, err
		}
		return nil, nil, classifyRead(err)
	}
	s.env.RowsIn.Add(rec.NumRows())
	if format.BatchFiltered(s.r) {
		return rec, nil, nil
	}
	sel, all, err := eval.Select(ctx, rec, s.pred)
	if err != nil {
		rec.Release()
		return nil, nil, task.AsFatal(err)
	}
	if all {
		return rec, nil, nil
	}
	if len(sel) == 0 {
		defer rec.Release()
		return rec.NewSlice(0, 0), nil, nil
	}
	return rec, sel, nil
}

func (s *scan) Close() error { return s.r.Close() }

// classifyRead makes bad data and missing inputs fatal: retrying cannot fix
// them. Other read errors (a flaky network) stay retryable.
func classifyRead(err error) error {
	if task.ClassOf(err) != task.Retryable {
		return err
	}
	if isInputFault(err) {
		return task.AsFatal(err)
	}
	return err
}
