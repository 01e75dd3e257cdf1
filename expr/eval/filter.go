package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/compute/exec"

	"github.com/drover-etl/drover/types"
)

// Filter returns the rows of rec where pred is TRUE (NULL and FALSE drop
// the row). When every row passes it returns rec itself, retained; when
// none does, an empty slice of it. The caller releases the result.
//
// The kept row positions are computed once from the predicate bitmap and
// every column is gathered with them (arrow's take kernels, dictionary
// columns keep their dictionary). Filtering runs on the calling goroutine:
// the engine parallelizes across tasks, not inside one batch.
func Filter(ctx context.Context, rec arrow.RecordBatch, pred *Evaluator) (arrow.RecordBatch, error) {
	if pred.typ.ID != types.Bool && pred.typ.ID != types.Null {
		return nil, invalidf("filter predicate %s is %s, not bool", pred.src, pred.typ)
	}
	mask, err := pred.Eval(ctx, rec)
	if err != nil {
		return nil, err
	}
	defer mask.Release()
	n := int(rec.NumRows())
	switch kept := countTrue(mask); kept {
	case n:
		rec.Retain()
		return rec, nil
	case 0:
		return rec.NewSlice(0, 0), nil
	}
	mem := pred.opts.Mem
	cctx := compute.SetExecCtx(ctx, serialExecCtx())
	if mem != nil {
		cctx = exec.WithAllocator(cctx, mem)
	}
	out, err := compute.FilterRecordBatch(cctx, rec, mask, compute.DefaultFilterOptions())
	if err != nil {
		return nil, invalidf("filter: %v", err)
	}
	return out, nil
}

func serialExecCtx() compute.ExecCtx {
	ec := compute.DefaultExecCtx()
	ec.NumParallel = 1
	return ec
}

// countTrue counts rows that are TRUE and not NULL.
func countTrue(mask arrow.Array) int {
	if mask.DataType().ID() == arrow.NULL {
		return 0
	}
	n := mask.Len()
	data := alignedBits(mask, 1)
	if mask.NullN() == 0 {
		return bitutil.CountSetBits(data, 0, n)
	}
	return countBits(trueMask(datum{arr: mask}, n), n)
}
