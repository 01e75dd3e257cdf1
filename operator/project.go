package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// project evaluates one expression per output column.
type project struct {
	in     batch.Reader
	exprs  *eval.Set
	schema *arrow.Schema
	// refs are the input columns of a projection of bare columns (nil
	// otherwise): a selection passes through it without a gather.
	refs []int
	// used marks the input columns the expressions read.
	used []bool
}

func newProject(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	set, err := eval.CompileSet(n.Project.Exprs, eval.Options{UDF: env.UDF})
	if err != nil {
		return nil, task.AsFatal(err)
	}
	p := &project{in: in, exprs: set, schema: n.Schema.Arrow(),
		used: usedColumns(len(in.Schema().Fields()), n.Project.Exprs...)}
	for _, e := range n.Project.Exprs {
		if e.Kind != expr.KindColumn || e.Index >= len(in.Schema().Fields()) {
			p.refs = nil
			break
		}
		p.refs = append(p.refs, e.Index)
	}
	return p, nil
}

func (p *project) Schema() *arrow.Schema { return p.schema }

func (p *project) Next(ctx context.Context) (arrow.RecordBatch, error) {
	rec, sel, err := p.NextSel(ctx)
	if err != nil {
		return nil, err
	}
	return materialize(ctx, rec, sel)
}

// NextSel projects the next batch. Over a selection (a filter below), a
// projection of bare columns passes the selection on uncopied; others
// gather the columns they read, once, and evaluate only the selected
// rows (never the rows the filter dropped: they could fail to evaluate).
func (p *project) NextSel(ctx context.Context) (arrow.RecordBatch, []int32, error) {
	rec, sel, err := nextSel(ctx, p.in)
	if err != nil {
		return nil, nil, err
	}
	defer rec.Release()
	if sel != nil && p.refs != nil {
		cols := make([]arrow.Array, len(p.refs))
		for i, c := range p.refs {
			cols[i] = rec.Column(c)
			cols[i].Retain()
		}
		return recordOf(cols, rec.NumRows()), sel, nil
	}
	if sel != nil {
		narrowed, err := narrow(ctx, rec, sel, p.used)
		if err != nil {
			return nil, nil, task.AsFatal(err)
		}
		defer narrowed.Release()
		rec = narrowed
	}
	cols, err := p.exprs.Eval(ctx, rec)
	if err != nil {
		return nil, nil, evalFailed(err)
	}
	return recordOf(cols, rec.NumRows()), nil, nil
}

func (p *project) Close() error { return p.in.Close() }

// evalAll evaluates each expression over rec.
func evalAll(ctx context.Context, evs []*eval.Evaluator, rec arrow.RecordBatch) ([]arrow.Array, error) {
	cols := make([]arrow.Array, len(evs))
	for i, ev := range evs {
		c, err := ev.Eval(ctx, rec)
		if err != nil {
			releaseAll(cols[:i])
			return nil, err
		}
		cols[i] = c
	}
	return cols, nil
}

// recordOf wraps columns in a batch whose schema follows the arrays' actual
// types (dictionary strings stay dictionaries), taking ownership of cols.
func recordOf(cols []arrow.Array, n int64) arrow.RecordBatch {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fieldName(i), Type: c.DataType(), Nullable: true}
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, n)
	releaseAll(cols)
	return rec
}

func fieldName(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return "c" + digits[i:i+1]
	}
	return "c" + fieldName(i / 10)[1:] + digits[i%10:i%10+1]
}

func releaseAll(cols []arrow.Array) {
	for _, c := range cols {
		if c != nil {
			c.Release()
		}
	}
}
