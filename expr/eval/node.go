package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/compute/exec"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// datum is an operand during evaluation: a column of batch.n rows, or, when
// arr is nil, one constant standing for every row. Keeping constants as
// scalars lets kernels compare a column with a literal without building a
// column of copies.
type datum struct {
	arr arrow.Array
	val types.Value
}

func scalarDatum(v types.Value) datum { return datum{val: v} }

func (d datum) release() {
	if d.arr != nil {
		d.arr.Release()
	}
}

func releaseAll(ds []datum) {
	for _, d := range ds {
		d.release()
	}
}

// batch is what nodes evaluate against: the input columns (nil for those no
// node reads, in sub-batches) and the row count.
type batch struct {
	ctx  context.Context
	cctx context.Context // ctx carrying mem for arrow compute calls
	cols []arrow.Array
	n    int
	mem  memory.Allocator
	udf  ScalarUDF
	memo []memoSlot // shared subtree results (Set.Eval), only over this batch
}

func newBatch(ctx context.Context, cols []arrow.Array, n int, opts *Options) *batch {
	mem := opts.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &batch{ctx: ctx, cctx: exec.WithAllocator(ctx, mem), cols: cols, n: n, mem: mem, udf: opts.UDF}
}

// sized returns a batch of n rows without columns, sharing everything else;
// kernels run on it over dictionary values or one-row constants.
func (b *batch) sized(n int) *batch {
	c := *b
	c.cols, c.n, c.memo = nil, n, nil
	return &c
}

// node is one compiled expression node. eval returns a datum owned by the
// caller.
type node interface {
	eval(b *batch) (datum, error)
	resultType() types.Type
}

// litNode is a literal (or a folded constant subtree).
type litNode struct{ val types.Value }

func (l *litNode) eval(*batch) (datum, error) { return scalarDatum(l.val), nil }
func (l *litNode) resultType() types.Type     { return l.val.Type }

// colNode reads input column idx, normalized to the canonical Arrow type of
// its logical type (dictionary<int32, utf8> strings stay dictionaries).
type colNode struct {
	idx int
	typ types.Type
}

func (c *colNode) resultType() types.Type { return c.typ }

func (c *colNode) eval(b *batch) (datum, error) {
	if c.idx < 0 || c.idx >= len(b.cols) || b.cols[c.idx] == nil {
		return datum{}, invalidf("column #%d not in the batch (%d columns)", c.idx, len(b.cols))
	}
	arr, err := normalize(b, b.cols[c.idx], c.typ)
	if err != nil {
		return datum{}, err
	}
	return datum{arr: arr}, nil
}
