package conformance

import (
	"fmt"
	"slices"
	"strings"
)

// result is a query's answer: column names and normalized rows in the
// order the engine returned them.
type result struct {
	columns []string
	rows    []row
	// keys are the rows' sort-key values computed by DuckDB from the
	// ORDER BY expressions (see keyExprs); nil when they are taken from
	// the result columns instead.
	keys []row
}

// verdict is the outcome of comparing Drover's result with DuckDB's.
type verdict struct {
	ok bool
	// diff explains a mismatch.
	diff string
	// notes say which checks were relaxed and why (ties at a LIMIT cut,
	// sort keys that are not output columns).
	notes []string
}

// compareResults checks got (Drover) against want (DuckDB):
//
//  1. the same number of columns and rows;
//  2. when the query is ordered: the sort-key values, row by row, are the
//     same sequence in both; rows that tie on them may come in any order.
//     Together with 3 this is sound: got holds the same rows as want and
//     its key sequence is want's, which DuckDB sorted, so got is sorted
//     too. The keys are result columns (keyColumns) or, when some are not,
//     the ORDER BY expressions evaluated by DuckDB over each result
//     (result.keys); failing both, the check covers the keys before the
//     first that is neither;
//  3. the rows, as multisets, are equal (numbers within relTol). When a
//     LIMIT cuts through a group of rows tying on the sort keys, either
//     engine may keep any rows of that group: that last group is accepted
//     by its keys (step 2) and the rows before it must match; likewise the
//     first group under an OFFSET. Without usable sort keys a LIMIT or
//     OFFSET that cut the result may keep any rows, and only the count is
//     compared.
func compareResults(want, got result, ord ordering) verdict {
	var v verdict
	if len(got.rows) > 0 && len(got.columns) != len(want.columns) {
		return verdict{diff: fmt.Sprintf("%d columns %v, want %d %v", len(got.columns), got.columns, len(want.columns), want.columns)}
	}
	if len(got.rows) != len(want.rows) {
		return verdict{diff: fmt.Sprintf("%d rows, want %d%s", len(got.rows), len(want.rows), sampleDiff(want.rows, got.rows))}
	}
	wk, gk, note := sortKeys(want, got, ord)
	if note != "" {
		v.notes = append(v.notes, note)
	}
	for i := range wk {
		if !wk[i].equal(gk[i]) {
			return verdict{diff: fmt.Sprintf("order differs at row %d: sort keys %s, want %s", i+1, gk[i], wk[i])}
		}
	}
	// A LIMIT cut rows only if the result is full.
	cut := ord.limit && (ord.limitN < 0 || int64(len(want.rows)) >= ord.limitN)
	if (cut || ord.offset) && wk == nil && len(want.rows) > 0 {
		if !sameRows(want.rows, got.rows) {
			v.notes = append(v.notes, "LIMIT/OFFSET without usable sort keys: any rows may be kept, only the count is compared")
		}
		v.ok = true
		return v
	}
	// lo and hi bound the rows that must match exactly; a LIMIT may cut
	// the last tie group on the sort keys and an OFFSET the first, and
	// those groups are accepted by their keys (checked above).
	lo, hi := 0, len(want.rows)
	if wk != nil && hi > 0 {
		if cut {
			for hi > 0 && wk[hi-1].equal(wk[len(wk)-1]) {
				hi--
			}
		}
		if ord.offset {
			for lo < hi && wk[lo].equal(wk[0]) {
				lo++
			}
		}
	}
	if !sameRows(want.rows[lo:hi], got.rows[lo:hi]) {
		return verdict{diff: "rows differ" + sampleDiff(want.rows[lo:hi], got.rows[lo:hi])}
	}
	if (lo > 0 || hi < len(want.rows)) && !sameRows(want.rows, got.rows) {
		v.notes = append(v.notes, fmt.Sprintf("LIMIT/OFFSET cuts a tie on the sort keys: %d row(s) at the edges accepted by their keys", lo+len(want.rows)-hi))
	}
	v.ok = true
	return v
}

// sortKeys returns both results' sort-key sequences (nil when the query is
// unordered or no key is usable) and a note when only some keys are.
func sortKeys(want, got result, ord ordering) (wk, gk []row, note string) {
	if len(ord.keys) == 0 {
		return nil, nil, ""
	}
	if want.keys != nil && got.keys != nil {
		return want.keys, got.keys, ""
	}
	idx, all := keyColumns(ord.keys, want.columns, ord.items)
	if !all {
		note = fmt.Sprintf("ORDER BY %s: order checked on the first %d key(s) only (DuckDB could not evaluate the keys over the results)",
			strings.Join(ord.keys, ", "), len(idx))
	}
	if len(idx) == 0 {
		return nil, nil, note
	}
	wk, gk = make([]row, len(want.rows)), make([]row, len(got.rows))
	for i := range want.rows {
		wk[i], gk[i] = want.rows[i].pick(idx), got.rows[i].pick(idx)
	}
	return wk, gk, note
}

// sameRows reports whether two row lists are equal as multisets.
func sameRows(want, got []row) bool {
	if len(want) != len(got) {
		return false
	}
	w, g := sortedRows(want), sortedRows(got)
	eq := true
	for i := range w {
		if !w[i].equal(g[i]) {
			eq = false
			break
		}
	}
	if eq {
		return true
	}
	// Floats within the tolerance may sort differently: match greedily.
	return matchRows(w, g)
}

func sortedRows(rows []row) []row {
	s := slices.Clone(rows)
	slices.SortStableFunc(s, row.compare)
	return s
}

// matchRows pairs every wanted row with a distinct equal got row; both
// are sorted, so a float that moved within the tolerance moved little:
// large results search a window around the row's own position.
func matchRows(want, got []row) bool {
	const window = 64
	used := make([]bool, len(got))
	for i, w := range want {
		lo, hi := 0, len(got)
		if len(got) > 4*window {
			lo, hi = max(0, i-window), min(len(got), i+window+1)
		}
		found := false
		for j := lo; j < hi; j++ {
			if !used[j] && w.equal(got[j]) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// sampleDiff shows up to three rows missing from got and three unexpected
// ones.
func sampleDiff(want, got []row) string {
	missing, extra := rowDiff(want, got), rowDiff(got, want)
	var sb strings.Builder
	show := func(label string, rows []row) {
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(&sb, "; %s %d row(s):", label, len(rows))
		for i, r := range rows {
			if i == 3 {
				sb.WriteString(" …")
				break
			}
			sb.WriteString(" " + r.String())
		}
	}
	show("missing", missing)
	show("unexpected", extra)
	return sb.String()
}

// rowDiff is a minus b as multisets (by a merge of the sorted lists, so
// floats within the tolerance may show up on both sides).
func rowDiff(a, b []row) []row {
	a, b = sortedRows(a), sortedRows(b)
	var out []row
	i, j := 0, 0
	for i < len(a) {
		switch {
		case j < len(b) && a[i].equal(b[j]):
			i++
			j++
		case j < len(b) && b[j].compare(a[i]) < 0:
			j++
		default:
			out = append(out, a[i])
			i++
		}
	}
	return out
}
