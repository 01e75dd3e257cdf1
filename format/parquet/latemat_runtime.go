package parquetfmt

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr/eval"
)

// A join's runtime filter in late materialization (see latemat.go). Its
// key columns are read one of two ways:
//   - on the filter side (rtPos), when the filters read them too or there
//     are no filters: the filter refines the filters' selection;
//   - apart from the rest of the payload (rtPay), when the filters do not
//     read them: the keys are decoded only for the rows the filters
//     selected, then the filter narrows the selection before the rest
//     of the payload is decoded. Decoding the keys of every row would
//     cost more than it saves after selective filters (Q19's lineitem).

// runtimeSelect narrows the filters' selection (all: every row) by the
// join's runtime filter, once the join has installed one.
func (lp *latePlan) runtimeSelect(evalCols []arrow.Array, sel []int32, all bool) ([]int32, bool) {
	if lp.rt == nil || (!all && len(sel) == 0) {
		return sel, all
	}
	f := lp.rt.Filter()
	if f == nil {
		return sel, all
	}
	keys := make([]arrow.Array, len(lp.rtPos))
	for i, pos := range lp.rtPos {
		keys[i] = evalCols[pos]
	}
	in := sel
	if all {
		in = nil
	}
	out, ok := f.Select(keys, in)
	if !ok || (all && len(out) == evalCols[0].Len()) {
		return sel, all
	}
	return out, false
}

// runtimeKeys narrows the filters' selection (all: every row of the
// batch) by the join's runtime filter, over key columns kcols (payload
// positions lp.rtPay, read for that selection); it returns the new
// selection and kcols gathered to it.
func (p *plan) runtimeKeys(ctx context.Context, kcols []arrow.Array, sel []int32, all bool) ([]int32, bool, []arrow.Array, error) {
	lp := p.late
	f := lp.rt.Filter()
	if f == nil {
		return sel, all, kcols, nil
	}
	keys := make([]arrow.Array, len(lp.rtPay))
	defer releaseAll(keys)
	for i, pos := range lp.rtPay {
		a, _, err := p.convertColumn(kcols[pos], lp.rtOut[i])
		if err != nil {
			// assembleLate reports it, with the row
			return sel, all, kcols, nil
		}
		keys[i] = a
	}
	keep, ok := f.Select(keys, nil)
	if !ok || len(keep) == keys[0].Len() {
		return sel, all, kcols, nil
	}
	next := keep
	if !all {
		next = make([]int32, len(keep))
		for j, k := range keep {
			next[j] = sel[k]
		}
	}
	taken := make([]arrow.Array, len(kcols))
	for i, k := range kcols {
		if k == nil || len(keep) == 0 {
			continue
		}
		t, err := eval.TakeColumns(ctx, []arrow.Array{k}, keep)
		if err != nil {
			releaseAll(taken)
			return nil, false, nil, err
		}
		taken[i] = t[0]
	}
	releaseAll(kcols)
	return next, false, taken, nil
}

// openPayloads opens the payload side of a unit: the runtime filter's
// keys apart (keys; nil when they are not on the payload side) and the
// rest (pay).
func (r *reader) openPayloads(ctx context.Context, rg int, from int64, seekable bool) (pay, keys *payCursor, err error) {
	lp := r.p.late
	if lp.rtPay == nil {
		pay, err = r.openPayload(ctx, rg, from, seekable, func(int) bool { return true })
		return pay, nil, err
	}
	isKey := make([]bool, len(lp.payLeaves))
	for _, pos := range lp.rtPay {
		isKey[pos] = true
	}
	if keys, err = r.openPayload(ctx, rg, from, seekable, func(pos int) bool { return isKey[pos] }); err != nil {
		return nil, nil, err
	}
	if pay, err = r.openPayload(ctx, rg, from, seekable, func(pos int) bool { return !isKey[pos] }); err != nil {
		keys.close()
		return nil, nil, err
	}
	return pay, keys, nil
}
