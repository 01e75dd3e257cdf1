package operator

import (
	"context"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format/rtfilter"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// Runtime join filters (format/rtfilter): a hash join whose probe side
// is a scan, reached through filters and projects that pass the key
// columns on, hands that scan a filter on the keys once its build side is
// loaded; the scan then drops probe rows that cannot match (in Parquet's
// late materialization, before their other columns are decoded).
//
// Only join types that output no probe row without a match qualify:
// inner, semi, and right (whose preserved side is the build side). Every
// key must be a bare probe column of the build key's type, none
// null-safe. A spilled (grace) join installs no filter.

// runtimeFilterSetting turns runtime filters on (tests and benchmarks
// compare answers and time with it off).
var runtimeFilterSetting atomic.Bool

func init() { runtimeFilterSetting.Store(true) }

// runtimeTarget finds the scan a runtime filter of join n would go to and
// the filter's key columns there (ordinals of the scan's table); nil when
// n gets no runtime filter.
func runtimeTarget(n *physical.Node) (*physical.Node, []int) {
	if !runtimeFilterSetting.Load() || n.Op != physical.OpHashJoin || len(n.Join.LeftKeys) == 0 {
		return nil, nil
	}
	switch n.Join.Type {
	case logical.InnerJoin, logical.SemiJoin, logical.RightJoin:
	default:
		return nil, nil
	}
	for _, ns := range n.Join.NullSafe {
		if ns {
			return nil, nil
		}
	}
	cols := make([]int, len(n.Join.LeftKeys))
	for i, k := range n.Join.LeftKeys {
		r := n.Join.RightKeys[i]
		if k.Kind != expr.KindColumn || k.Type != r.Type || !filterable(k.Type) {
			return nil, nil
		}
		cols[i] = k.Index
	}
	return traceToScan(n.Inputs[0], cols)
}

// filterable says whether a runtime filter reads keys of type t (floats
// and decimals are left out: -0 and NaN, and scales, make their equality
// more than their bits).
func filterable(t types.Type) bool {
	switch t.ID {
	case types.Int32, types.Int64, types.Date, types.Timestamp, types.String:
		return true
	}
	return false
}

// traceToScan follows columns cols of n's output down through filters
// and projects that pass them on as they are, to a scan's table columns.
func traceToScan(n *physical.Node, cols []int) (*physical.Node, []int) {
	for {
		switch n.Op {
		case physical.OpFilter:
		case physical.OpProject:
			next := make([]int, len(cols))
			for i, c := range cols {
				e := n.Project.Exprs[c]
				if e.Kind != expr.KindColumn || e.Type != n.Schema.Fields[c].Type {
					return nil, nil
				}
				next[i] = e.Index
			}
			cols = next
		case physical.OpScan:
			return n, scanTableColumns(n, cols)
		default:
			return nil, nil
		}
		if len(n.Inputs) != 1 {
			return nil, nil
		}
		n = n.Inputs[0]
	}
}

// scanTableColumns maps a scan's output columns to its table's, checking
// that each has the type the join compares (nil when one has not).
func scanTableColumns(n *physical.Node, cols []int) []int {
	s := n.Scan
	out := make([]int, len(cols))
	for i, c := range cols {
		t := c
		if s.Columns != nil {
			if c >= len(s.Columns) {
				return nil
			}
			t = s.Columns[c]
		}
		if t >= s.Table.Len() || s.Table.Fields[t].Type != n.Schema.Fields[c].Type {
			return nil
		}
		out[i] = t
	}
	return out
}

// buildProbe builds n's probe side, handing a runtime filter slot to the
// scan it feeds (if any); slot is nil when n gets no filter.
func buildProbe(ctx context.Context, n *physical.Node, env *Env, part int) (_ batch.Reader, slot *rtfilter.Slot, _ error) {
	target, cols := runtimeTarget(n)
	if target != nil && cols != nil {
		slot = rtfilter.NewSlot(cols)
		env.runtimeMu.Lock()
		if env.runtime == nil {
			env.runtime = map[*physical.Node]*rtfilter.Slot{}
		}
		env.runtime[target] = slot
		env.runtimeMu.Unlock()
		defer func() {
			env.runtimeMu.Lock()
			delete(env.runtime, target)
			env.runtimeMu.Unlock()
		}()
	}
	r, err := build(ctx, n.Inputs[0], env, part)
	return r, slot, err
}

// installRuntimeFilter builds the filter from the loaded build side and
// installs it in the probe scan's slot. A spilled join (grace) has not
// seen its whole build side in memory: it installs none.
func (j *joinOp) installRuntimeFilter(ctx context.Context) {
	if j.rtSlot == nil || j.grace != nil || j.rt != nil {
		return
	}
	var set *rtfilter.Set
	if j.shared != nil {
		set = j.shared.runtimeSet(func() *rtfilter.Set { return j.runtimeSet(ctx) })
	} else {
		set = j.runtimeSet(ctx)
	}
	if set == nil {
		return
	}
	j.rt = rtfilter.NewFilter(set, &j.env.RuntimeFiltered)
	j.rtSlot.Set(j.rt)
}

// runtimeSet summarizes the build keys (nil: no filter).
func (j *joinOp) runtimeSet(ctx context.Context) *rtfilter.Set {
	m, ok := j.matcher.(*hashMatcher)
	if !ok {
		return nil
	}
	cols := j.build
	whole := array.NewRecordBatch(schemaOf(cols), cols, int64(j.buildN))
	defer whole.Release()
	kc, err := evalAll(ctx, m.buildKeys, whole)
	if err != nil {
		return nil // the join itself reports it
	}
	defer releaseAll(kc)
	set, err := rtfilter.Build(kc)
	if err != nil {
		return nil // a key type it cannot read, or too large a build side
	}
	return set
}

// applyRuntime drops the rows of a scan's output batch that its runtime
// filter rejects, unless the reader applies the filter itself.
func (s *scan) applyRuntime(rec arrow.RecordBatch, sel []int32) (arrow.RecordBatch, []int32) {
	if s.rt == nil || s.rt.Claimed() {
		return rec, sel
	}
	f := s.rt.Filter()
	if f == nil || rec.NumRows() == 0 || (sel != nil && len(sel) == 0) {
		return rec, sel
	}
	keys := make([]arrow.Array, len(s.rtCols))
	for i, c := range s.rtCols {
		keys[i] = rec.Column(c)
	}
	out, ok := f.Select(keys, sel)
	if !ok || (sel == nil && len(out) == int(rec.NumRows())) {
		return rec, sel
	}
	return rec, out
}

// runtimeUse is scan n's use of the runtime filter slot a join registered
// for it, with the key columns' positions in its output (nil: none).
func runtimeUse(n *physical.Node, env *Env) (*rtfilter.Use, []int) {
	env.runtimeMu.Lock()
	slot := env.runtime[n]
	env.runtimeMu.Unlock()
	if slot == nil {
		return nil, nil
	}
	var out []int
	for _, c := range slot.Columns() {
		pos := -1
		for i, t := range projection(n.Scan) {
			if t == c {
				pos = i
				break
			}
		}
		if pos < 0 {
			return nil, nil
		}
		out = append(out, pos)
	}
	return slot.NewUse(), out
}

// projection is the table columns a scan outputs, in order.
func projection(s *physical.ScanSpec) []int {
	if s.Columns != nil {
		return s.Columns
	}
	all := make([]int, s.Table.Len())
	for i := range all {
		all[i] = i
	}
	return all
}
