package dataset

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
)

// Open reads one split of a dataset whose table ends in partCols partition
// columns: the format reads the file columns only, and the split's
// partition values are appended where the projection asks for them.
func Open(ctx context.Context, f format.Format, split format.Split, ro format.ReadOptions, partCols int) (batch.Reader, error) {
	if partCols == 0 {
		return f.Open(ctx, split, ro)
	}
	first := ro.Table.Len() - partCols
	if len(split.Partition) != partCols || first < 0 {
		return nil, fmt.Errorf("dataset: split %s carries %d partition values, the table has %d partition columns", split.URL, len(split.Partition), partCols)
	}
	inner, pick := fileOptions(ro, first)
	r, err := f.Open(ctx, split, inner)
	if err != nil {
		return nil, err
	}
	pr := newPartReader(r, ro, split, first, pick)
	pr.allFilters = len(inner.Filters) == len(ro.Filters)
	return pr, nil
}

// fileOptions is ro narrowed to the file columns; pick[i] says where
// output column i comes from: j >= 0 is the file reader's column j, -k-1
// is partition value k.
func fileOptions(ro format.ReadOptions, first int) (format.ReadOptions, []int) {
	inner := ro
	inner.Table = ro.Table.Project(seq(first))
	inner.Columns = []int{}
	var pick []int
	for _, c := range projection(ro) {
		if c >= first {
			pick = append(pick, -(c-first)-1)
			continue
		}
		pick = append(pick, len(inner.Columns))
		inner.Columns = append(inner.Columns, c)
	}
	inner.Filters = nil
	for _, fl := range ro.Filters {
		if cols := expr.Columns(fl); len(cols) == 0 || maxOf(cols) < first {
			inner.Filters = append(inner.Filters, fl)
		}
	}
	return inner, pick
}

func projection(ro format.ReadOptions) []int {
	if ro.Columns != nil {
		return ro.Columns
	}
	return seq(ro.Table.Len())
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func maxOf(xs []int) int {
	m := xs[0]
	for _, x := range xs[1:] {
		m = max(m, x)
	}
	return m
}

// partReader appends constant partition columns to a file reader's batches.
type partReader struct {
	r      batch.Reader
	split  format.Split
	pick   []int
	schema *arrow.Schema
	consts map[int]arrow.Array // partition index → last constant column built
	// allFilters: the file reader got every filter (none reads a
	// partition column), so its Filtered holds for this reader's batches.
	allFilters bool
}

var (
	_ batch.Reader       = (*partReader)(nil)
	_ format.Prefiltered = (*partReader)(nil)
)

// Filtered forwards the file reader's, when it was given all the filters.
func (p *partReader) Filtered() bool { return p.allFilters && format.BatchFiltered(p.r) }

func newPartReader(r batch.Reader, ro format.ReadOptions, split format.Split, first int, pick []int) *partReader {
	fields := make([]arrow.Field, len(pick))
	in := r.Schema()
	for i, p := range pick {
		if p >= 0 {
			fields[i] = in.Field(p)
			continue
		}
		tf := ro.Table.Fields[first-p-1]
		fields[i] = arrow.Field{Name: tf.Name, Type: tf.Type.Arrow(), Nullable: true}
	}
	return &partReader{r: r, split: split, pick: pick, schema: arrow.NewSchema(fields, nil), consts: map[int]arrow.Array{}}
}

func (p *partReader) Schema() *arrow.Schema { return p.schema }

func (p *partReader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	rec, err := p.r.Next(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	n := int(rec.NumRows())
	cols := make([]arrow.Array, len(p.pick))
	for i, k := range p.pick {
		if k >= 0 {
			cols[i] = rec.Column(k)
		} else {
			cols[i] = p.constant(-k-1, n)
		}
	}
	return array.NewRecordBatch(p.schema, cols, int64(n)), nil
}

// constant is partition value k repeated n times; batches mostly have the
// same length, so the last column built is reused.
func (p *partReader) constant(k, n int) arrow.Array {
	if c, ok := p.consts[k]; ok && c.Len() == n {
		return c
	}
	if c, ok := p.consts[k]; ok {
		c.Release()
	}
	c := eval.MakeArray(p.split.Partition[k], n, memory.DefaultAllocator)
	p.consts[k] = c
	return c
}

func (p *partReader) Close() error {
	for _, c := range p.consts {
		c.Release()
	}
	p.consts = map[int]arrow.Array{}
	return p.r.Close()
}
