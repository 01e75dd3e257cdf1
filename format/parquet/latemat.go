package parquetfmt

import (
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/rtfilter"
)

// Late materialization: when the scan has pushed-down filters, a unit
// decodes the columns the filters read first ("filter side"), evaluates
// the filters on each batch, and only then the other projected columns
// ("payload side"), for the rows that passed. A batch where no row passes
// never decodes its payload columns: with the offset index the payload
// readers seek past such batches (whole pages are never read), without it
// the payload batch is decoded and dropped (no conversion, no gather).
// Payload values are converted after the gather, so per-value conversions
// (decimal rescaling, timestamp units) run on the surviving rows only.
//
// The reader then returns only rows where the filters are TRUE, which is
// what the scan operator would keep anyway, and marks those batches
// filtered (format.Prefiltered), so the operator does not evaluate the
// filters again. A batch whose filters fail to evaluate is passed on
// whole and unmarked: the operator evaluates it and reports the error.
//
// It is used when every filter compiles without a UDF runtime, every
// column the filters read is projected and in the file, and at least one
// projected leaf is not read by the filters.
//
// A join's runtime filter (format.ReadOptions.Runtime) joins the filter
// side the same way: its key columns are decoded with the filters'
// columns (or alone), and once the join has installed the filter, it
// drops the rows among the filters' selection whose keys have no match,
// before the payload is decoded. The filters are still evaluated exactly,
// so the batches stay Prefiltered.

// latePlan is the plan's split of its leaves for late materialization.
type latePlan struct {
	pred *eval.Evaluator // the filters, over evalSchema (nil: none, only rt)
	// rt is a join's runtime filter (nil: none) whose key columns are
	// evalCols[rtPos] on the filter side, or payload positions rtPay
	// (output columns rtOut) read apart; it refines the filters'
	// selection (latemat_runtime.go).
	rt           *rtfilter.Use
	rtPos        []int
	rtPay, rtOut []int
	evalSchema   *arrow.Schema
	filterLeaves []int // Parquet leaves of the filter side, in read order
	payLeaves    []int
	evalCols     []int // output columns (p.cols) in evalSchema's order
	evalSrc      []int // their columns in the filter side's decoded batch
	side         []lateSource
	// own[pos] says whether payload leaf pos may be decoded by the own
	// page decoder (pagedec.go); set once the file reader exists.
	own []payKind
	// ownFilter, when set, says how the own decoder reads every filter
	// leaf (nil: pqarrow reads the filter side).
	ownFilter []payKind
}

// lateSource says where output column i comes from: pos in the filter
// side's evaluated columns or the payload reader's columns.
type lateSource struct {
	filter bool
	pos    int
}

// lateSetting turns late materialization on (tests and benchmarks compare
// answers and time with it off).
var lateSetting atomic.Bool

func init() { lateSetting.Store(true) }

// newLatePlan splits the plan for late materialization, or returns nil
// when it does not apply. A join's runtime filter (ro.Runtime) puts its
// key columns on the filter side, so late materialization also runs for
// a scan without pushed filters; when the keys cannot go there, the plan
// is made as without it and the scan operator applies the filter.
func newLatePlan(p *plan, ro format.ReadOptions) *latePlan {
	if !lateSetting.Load() || len(p.leaves) < 2 {
		return nil
	}
	if ro.Runtime != nil {
		if lp := splitLate(p, ro, ro.Runtime); lp != nil {
			ro.Runtime.Claim()
			return lp
		}
	}
	return splitLate(p, ro, nil)
}

// splitLate splits the plan's leaves: the filters' columns and rt's key
// columns on the filter side, the others on the payload side.
func splitLate(p *plan, ro format.ReadOptions, rt *rtfilter.Use) *latePlan {
	if len(ro.Filters) == 0 && rt == nil {
		return nil
	}
	outOf := map[int]int{} // table column → first output column
	for i, c := range projection(ro) {
		if _, dup := outOf[c]; !dup {
			outOf[c] = i
		}
	}
	filterSlot := map[int]bool{}
	for _, f := range ro.Filters {
		for _, c := range expr.Columns(f) {
			i, ok := outOf[c]
			if !ok || p.cols[i].slot == absent {
				return nil
			}
			filterSlot[p.cols[i].slot] = true
		}
	}
	var keyOut []int   // output columns of rt's keys
	keysApart := false // the keys are read apart from the rest of the payload
	if rt != nil {
		keySlot := map[int]bool{}
		for _, c := range rt.Columns() {
			i, ok := outOf[c]
			if !ok || p.cols[i].slot == absent {
				return nil
			}
			keySlot[p.cols[i].slot] = true
			keyOut = append(keyOut, i)
		}
		keysApart = len(filterSlot) > 0
		for slot := range keySlot {
			keysApart = keysApart && !filterSlot[slot]
		}
		if !keysApart {
			for slot := range keySlot {
				filterSlot[slot] = true
			}
		}
	}
	if len(filterSlot) == 0 || len(filterSlot) == len(p.leaves) {
		return nil
	}
	lp := &latePlan{side: make([]lateSource, len(p.cols)), rt: rt}
	fpos, ppos := map[int]int{}, map[int]int{}
	for slot, leaf := range p.leaves {
		if filterSlot[slot] {
			fpos[slot] = len(lp.filterLeaves)
			lp.filterLeaves = append(lp.filterLeaves, leaf)
		} else {
			ppos[slot] = len(lp.payLeaves)
			lp.payLeaves = append(lp.payLeaves, leaf)
		}
	}
	evalPos := map[int]int{} // output column → position in evalSchema
	var fields []arrow.Field
	for i, c := range p.cols {
		switch {
		case c.slot == absent:
			lp.side[i] = lateSource{pos: absent}
		case filterSlot[c.slot]:
			evalPos[i] = len(lp.evalCols)
			lp.side[i] = lateSource{filter: true, pos: len(lp.evalCols)}
			lp.evalCols = append(lp.evalCols, i)
			lp.evalSrc = append(lp.evalSrc, fpos[c.slot])
			fields = append(fields, p.schema.Field(i))
		default:
			lp.side[i] = lateSource{pos: ppos[c.slot]}
		}
	}
	for _, i := range keyOut {
		if keysApart {
			lp.rtPay = append(lp.rtPay, lp.side[i].pos)
			lp.rtOut = append(lp.rtOut, i)
		} else {
			lp.rtPos = append(lp.rtPos, evalPos[i])
		}
	}
	lp.evalSchema = arrow.NewSchema(fields, nil)
	if len(ro.Filters) == 0 {
		return lp
	}
	pred, err := compileLateFilter(ro.Filters, func(c int) int { return evalPos[outOf[c]] })
	if err != nil {
		return nil // e.g. a plugin function: the scan operator applies it
	}
	lp.pred = pred
	return lp
}

// compileLateFilter ANDs the filters and rebinds their columns with at.
func compileLateFilter(filters []*expr.Expr, at func(int) int) (*eval.Evaluator, error) {
	cond := filters[0]
	for _, f := range filters[1:] {
		c := expr.Call(expr.FnAnd, cond, f)
		c.Type, c.Nullable = cond.Type, cond.Nullable || f.Nullable
		cond = c
	}
	remapped, err := expr.Transform(cond, func(e *expr.Expr) (*expr.Expr, error) {
		if e.Kind == expr.KindColumn {
			e.Index = at(e.Index)
		}
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	ev, err := eval.Compile(remapped, eval.Options{})
	if err != nil {
		return nil, fmt.Errorf("late materialization: %w", err)
	}
	return ev, nil
}
