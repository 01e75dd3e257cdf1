package eval

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// ScalarUDF calls plugin functions (names with a dot). It is implemented by
// the UDF runtime; args are plain (never dictionary) arrays of equal length
// and the result must have that length and resultType's Arrow type.
type ScalarUDF interface {
	CallScalar(ctx context.Context, name string, args []arrow.Array, resultType types.Type) (arrow.Array, error)
}

// Options configure Compile.
type Options struct {
	UDF ScalarUDF        // required when the tree calls plugin functions
	Mem memory.Allocator // for result arrays; memory.DefaultAllocator if nil
}

// Evaluator is a compiled expression. It is safe for concurrent use: all
// per-batch state lives on the stack of Eval.
type Evaluator struct {
	root node
	typ  types.Type
	opts Options
	src  string
}

// Compile checks a bound tree against the contract in package expr and
// picks a kernel for every node. Column-free subtrees that evaluate without
// error become literals.
func Compile(e *expr.Expr, opts Options) (*Evaluator, error) {
	c := &compiler{opts: &opts, fold: true}
	root, _, err := c.compile(e)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", e, err)
	}
	return &Evaluator{root: root, typ: e.Type, opts: opts, src: e.String()}, nil
}

// Type is the logical type of the results.
func (ev *Evaluator) Type() types.Type { return ev.typ }

// String is the source expression.
func (ev *Evaluator) String() string { return ev.src }

// Eval evaluates the expression over rec and returns rec.NumRows() values
// of ev.Type() (strings possibly dictionary-encoded, see the package doc).
// The caller releases the result.
func (ev *Evaluator) Eval(ctx context.Context, rec arrow.RecordBatch) (arrow.Array, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := newBatch(ctx, rec.Columns(), int(rec.NumRows()), &ev.opts)
	d, err := ev.root.eval(b)
	if err != nil {
		return nil, err
	}
	if d.arr == nil {
		return MakeArray(typedConst(d.val, ev.typ), b.n, b.mem), nil
	}
	return d.arr, nil
}
