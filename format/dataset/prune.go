package dataset

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/types"
)

// Prune lists the files (by index) whose partition values may pass the
// filters (conjuncts bound against table, whose last partCols columns are
// the partition columns). A conjunct reading partition columns only has one
// value for all of a file's rows, so it is folded once per distinct
// partition: a file is dropped when one folds to FALSE or NULL. Anything
// unsure keeps the file; the scan applies every filter row by row anyway.
func Prune(table *types.Schema, partCols int, filters []*expr.Expr, partitions [][]types.Value) []int {
	first := table.Len() - partCols
	var preds []*expr.Expr
	for _, f := range filters {
		if readsOnlyFrom(f, first) {
			preds = append(preds, f)
		}
	}
	keep := make([]int, 0, len(partitions))
	seen := map[string]bool{}
	for i, vals := range partitions {
		key := tupleKey(vals)
		pass, ok := seen[key]
		if !ok {
			pass = passesAll(preds, first, vals)
			seen[key] = pass
		}
		if pass {
			keep = append(keep, i)
		}
	}
	return keep
}

// readsOnlyFrom reports whether e reads at least one column and only
// columns at ordinal first or later.
func readsOnlyFrom(e *expr.Expr, first int) bool {
	cols := expr.Columns(e)
	for _, c := range cols {
		if c < first {
			return false
		}
	}
	return len(cols) > 0
}

func passesAll(preds []*expr.Expr, first int, vals []types.Value) bool {
	for _, p := range preds {
		if !passes(p, first, vals) {
			return false
		}
	}
	return true
}

// passes folds p with the partition columns replaced by vals; only a
// definite FALSE or NULL rejects (an error keeps the file for the scan to
// report).
func passes(p *expr.Expr, first int, vals []types.Value) bool {
	sub, err := expr.Transform(p, func(e *expr.Expr) (*expr.Expr, error) {
		if e.Kind != expr.KindColumn {
			return e, nil
		}
		v := vals[e.Index-first]
		if v.Null {
			v = types.NullValue(e.Type)
		}
		return expr.Lit(v), nil
	})
	if err != nil {
		return true
	}
	v, err := eval.Fold(sub)
	if err != nil {
		return true
	}
	return !v.Null && v.B
}

func tupleKey(vals []types.Value) string {
	var sb strings.Builder
	for _, v := range vals {
		sb.WriteString(v.String())
		sb.WriteByte(0)
	}
	return sb.String()
}
