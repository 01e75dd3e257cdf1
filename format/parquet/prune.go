package parquetfmt

import (
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/types"
)

// pruner decides from statistics whether a row group can hold a row that
// passes the filters. Every answer it is unsure of is "yes": the scan
// operator applies the filters row by row anyway, so pruning may only
// drop row groups that provably match nothing.
type pruner struct {
	table  *types.Schema
	ids    format.ReadOptions // Table and FieldIDs, to find columns as the plan does
	fc     *fileColumns
	rg     *metadata.RowGroupMetaData
	cached map[int]bounds
	dicts  *dictionaries // nil: no dictionary pruning
	rgIdx  int           // rg's ordinal, for dicts
}

// pruneRowGroups keeps the row groups of candidates (and their row
// ranges) that may match.
func pruneRowGroups(md *metadata.FileMetaData, candidates []int, ranges []rowRange, ro format.ReadOptions, fc *fileColumns, dicts *dictionaries) ([]int, []rowRange) {
	filters := ro.Filters
	if len(filters) == 0 {
		return candidates, ranges
	}
	ids := format.ReadOptions{Table: ro.Table, FieldIDs: ro.FieldIDs}
	keep := make([]int, 0, len(candidates))
	keepRanges := make([]rowRange, 0, len(candidates))
	for i, rg := range candidates {
		pr := &pruner{table: ro.Table, ids: ids, fc: fc, rg: md.RowGroup(rg), cached: map[int]bounds{}, dicts: dicts, rgIdx: rg}
		if pr.all(filters) {
			keep = append(keep, rg)
			keepRanges = append(keepRanges, ranges[i])
		}
	}
	return keep, keepRanges
}

func (pr *pruner) all(es []*expr.Expr) bool {
	for _, e := range es {
		if !pr.mayMatch(e) {
			return false
		}
	}
	return true
}

// mayMatch is false only when no row of the row group can make e true.
func (pr *pruner) mayMatch(e *expr.Expr) bool {
	if e.Kind != expr.KindCall {
		return true
	}
	switch e.Name {
	case expr.FnAnd:
		return pr.all(e.Args)
	case expr.FnOr:
		for _, a := range e.Args {
			if pr.mayMatch(a) {
				return true
			}
		}
		return false
	case expr.FnIsNull, expr.FnIsNotNull:
		return pr.nullTest(e)
	case expr.FnIn:
		return pr.in(e) && pr.inDictionary(e)
	case expr.FnEq:
		return pr.compare(e) && pr.inDictionary(e)
	case expr.FnNe, expr.FnLt, expr.FnLe, expr.FnGt, expr.FnGe:
		return pr.compare(e)
	}
	return true
}

// inDictionary is false when e asks a string column for values its
// dictionary-encoded chunk does not hold.
func (pr *pruner) inDictionary(e *expr.Expr) bool {
	if pr.dicts == nil {
		return true
	}
	c, want, ok := dictWanted(e)
	if !ok || c.Index < 0 || c.Index >= pr.table.Len() || pr.table.Fields[c.Index].Type.ID != types.String {
		return true
	}
	sf, _, err := pr.fc.column(pr.ids, c.Index)
	if err != nil {
		return true
	}
	return pr.dicts.mayContain(pr.rgIdx, sf.ColIndex, sf.Field.Type, want)
}

func (pr *pruner) nullTest(e *expr.Expr) bool {
	if len(e.Args) != 1 || e.Args[0].Kind != expr.KindColumn {
		return true
	}
	b, ok := pr.bounds(e.Args[0])
	if !ok || !b.hasNulls {
		return true
	}
	if e.Name == expr.FnIsNull {
		return b.nulls > 0
	}
	return b.nulls < b.rows
}

// compare handles col <op> literal in either order.
func (pr *pruner) compare(e *expr.Expr) bool {
	if len(e.Args) != 2 {
		return true
	}
	op, col, lit := e.Name, e.Args[0], e.Args[1]
	if col.IsLiteral() {
		op, col, lit = flip(op), lit, col
	}
	if !lit.IsLiteral() || lit.Value.Null {
		return true
	}
	b, ok := pr.bounds(col)
	if !ok {
		return true
	}
	if b.allNull() {
		return false
	}
	if !b.hasMinMax || !floatSafe(op, b.min.Type) {
		return true
	}
	return rangeMayMatch(op, b, lit.Value)
}

// floatSafe: NaN is absent from statistics and sorts above everything in
// Spark's semantics, so only predicates NaN can never satisfy may prune.
func floatSafe(op string, t types.Type) bool {
	return !t.IsFloat() || op == expr.FnEq || op == expr.FnLt || op == expr.FnLe
}

func rangeMayMatch(op string, b bounds, v types.Value) bool {
	lo, ok1 := compareValues(b.min, v)
	hi, ok2 := compareValues(b.max, v)
	if !ok1 || !ok2 {
		return true
	}
	switch op {
	case expr.FnEq:
		return lo <= 0 && hi >= 0
	case expr.FnNe:
		return !(lo == 0 && hi == 0)
	case expr.FnLt:
		return lo < 0
	case expr.FnLe:
		return lo <= 0
	case expr.FnGt:
		return hi > 0
	case expr.FnGe:
		return hi >= 0
	}
	return true
}

func flip(op string) string {
	switch op {
	case expr.FnLt:
		return expr.FnGt
	case expr.FnLe:
		return expr.FnGe
	case expr.FnGt:
		return expr.FnLt
	case expr.FnGe:
		return expr.FnLe
	}
	return op
}

// in handles col IN (literals): some non-null literal must fall in range.
func (pr *pruner) in(e *expr.Expr) bool {
	if len(e.Args) < 2 {
		return true
	}
	b, ok := pr.bounds(e.Args[0])
	if !ok {
		return true
	}
	if b.allNull() {
		return false
	}
	if !b.hasMinMax || !floatSafe(expr.FnEq, b.min.Type) {
		return true
	}
	for _, a := range e.Args[1:] {
		if !a.IsLiteral() {
			return true
		}
		if !a.Value.Null && rangeMayMatch(expr.FnEq, b, a.Value) {
			return true
		}
	}
	return false
}

// bounds returns the statistics of a column reference, or of a CAST of
// one that converts exactly (int widening, int to decimal, date to
// timestamp, ...).
func (pr *pruner) bounds(e *expr.Expr) (bounds, bool) {
	if e.IsCall(expr.FnCast) && len(e.Args) == 1 {
		b, ok := pr.bounds(e.Args[0])
		if !ok || !b.hasMinMax {
			return b, ok
		}
		var ok1, ok2 bool
		b.min, ok1 = convertValue(b.min, e.Type, true)
		b.max, ok2 = convertValue(b.max, e.Type, true)
		b.hasMinMax = ok1 && ok2
		return b, true
	}
	if e.Kind != expr.KindColumn || e.Index < 0 || e.Index >= pr.table.Len() {
		return bounds{}, false
	}
	if b, ok := pr.cached[e.Index]; ok {
		return b, true
	}
	tf := pr.table.Fields[e.Index]
	sf, _, err := pr.fc.column(pr.ids, e.Index)
	if err != nil {
		return bounds{}, false
	}
	b := columnBounds(pr.rg, sf.ColIndex, sf.Field.Type, tf.Type)
	pr.cached[e.Index] = b
	return b, true
}
