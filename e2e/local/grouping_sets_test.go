package local

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// salesRows has NULLs in both keys and in the value, so rollup rows (NULL
// keys from the set) and data rows with NULL keys meet in the output.
var salesRows = [][][]any{
	{{"nl", 1, 10}, {"nl", 2, 5}, {nil, 1, 7}, {"de", nil, 3}},
	{{"nl", 1, nil}, {"de", 2, 4}, {nil, nil, 1}, {"nl", nil, 2}},
	{{"de", 2, 6}, {"fr", 1, 8}, {nil, 1, 9}},
}

var salesCols = []string{"country", "year", "amount"}
var salesTypes = []types.Type{types.StringType, types.Int64Type, types.Int64Type}

// groupingCase is GROUP BY with grouping sets over (country, year).
type groupingCase struct {
	name   string
	sets   [][]int
	chunks [][][]any
}

func TestGroupingSetsDistributed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	empty := [][][]any{{}, {}}
	cases := []groupingCase{
		{"rollup", logical.Rollup([][]int{{0}, {1}}), salesRows},
		{"cube", mustSets(logical.Cube([][]int{{0}, {1}})), salesRows},
		{"repeated sets", [][]int{{0}, {0}, {}, {}}, salesRows},
		{"key in no set", [][]int{{0}, {}}, salesRows},
		{"product", mustSets(logical.CrossSets([][]int{{0}}, logical.Rollup([][]int{{1}}))), salesRows},
		{"one set", [][]int{{1}}, salesRows},
		{"only empty set", [][]int{{}}, salesRows},
		{"rollup over empty input", logical.Rollup([][]int{{0}, {1}}), empty},
		{"repeated empty sets over empty input", [][]int{{}, {}, {0}}, empty},
		{"no empty set over empty input", [][]int{{0}, {0, 1}}, empty},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			in := partitioned(t, "sales", salesCols, salesTypes, tc.chunks...)
			for _, distinct := range []bool{false, true} {
				got := runGrouping(t, in, tc.sets, distinct)
				sameRows(t, fmt.Sprintf("%s distinct=%v", tc.name, distinct), got, refGrouping(tc.chunks, tc.sets, distinct))
			}
		})
	}
}

// runGrouping plans the sets with sum, count, count(*), min and avg of
// amount (and, if distinct, count(DISTINCT amount), which makes the plan
// aggregate once after a shuffle of raw rows), and GROUPING() in several
// forms, and returns the rows.
func runGrouping(t *testing.T, in logical.Node, sets [][]int, distinct bool) []string {
	t.Helper()
	keys := []*expr.Expr{colOf(t, in, "country"), colOf(t, in, "year")}
	amount := colOf(t, in, "amount")
	aggs := []logical.AggExpr{
		{Func: expr.AggSum, Arg: amount, Name: "total", Type: types.Int64Type},
		{Func: expr.AggCount, Arg: amount, Name: "n_amount", Type: types.Int64Type},
		{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
		{Func: expr.AggMin, Arg: amount, Name: "lowest", Type: types.Int64Type},
		{Func: expr.AggAvg, Arg: amount, Name: "mean", Type: types.Float64Type},
	}
	if distinct {
		aggs = append(aggs, logical.AggExpr{Func: expr.AggCount, Arg: amount, Distinct: true, Name: "n_distinct", Type: types.Int64Type})
	}
	g, err := logical.GroupingSets(in, keys, []string{"country", "year"}, sets, aggs, "g")
	if err != nil {
		t.Fatal(err)
	}
	s := g.Node.Schema()
	p := &logical.Project{Input: g.Node}
	add := func(name string, e *expr.Expr) {
		p.Names, p.Exprs = append(p.Names, name), append(p.Exprs, e)
	}
	add("country", expr.BoundCol(0, s.Fields[0]))
	add("year", expr.BoundCol(1, s.Fields[1]))
	for _, args := range [][]int{nil, {0}, {1}, {1, 0}, {0, 1, 0}} {
		e, err := g.Grouping(args...)
		if err != nil {
			t.Fatal(err)
		}
		add(fmt.Sprintf("g%v", args), e)
	}
	for i := range aggs {
		add(aggs[i].Name, expr.BoundCol(g.ID()+1+i, s.Fields[g.ID()+1+i]))
	}
	res := runLogical(t, p, 4)
	return text(res.rows, false, p.Names...)
}

// refGrouping computes the expected rows directly: for each set, group the
// rows by the set's keys (NULLs equal) and aggregate; an empty set always
// yields one row.
func refGrouping(chunks [][][]any, sets [][]int, distinct bool) []string {
	var rows [][]any
	for _, c := range chunks {
		rows = append(rows, c...)
	}
	var out []string
	for _, set := range sets {
		groups := map[string][][]any{}
		var order []string
		for _, r := range rows {
			k := ""
			for _, i := range set {
				k += key(r[i]) + "\x00"
			}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], r)
		}
		if len(set) == 0 && len(order) == 0 {
			order = []string{""}
		}
		for _, k := range order {
			out = append(out, refGroupRow(set, groups[k], distinct))
		}
	}
	sortStrings(out)
	return out
}

func refGroupRow(set []int, rows [][]any, distinct bool) string {
	in := func(i int) bool {
		for _, s := range set {
			if s == i {
				return true
			}
		}
		return false
	}
	bit := func(i int) int {
		if in(i) {
			return 0
		}
		return 1
	}
	cells := []string{"NULL", "NULL"}
	for i := 0; i < 2; i++ {
		if in(i) {
			cells[i] = key(rows[0][i])
		}
	}
	// GROUPING(), (country), (year), (year, country), (country, year, country)
	cells = append(cells,
		fmt.Sprint(bit(0)<<1|bit(1)), fmt.Sprint(bit(0)), fmt.Sprint(bit(1)),
		fmt.Sprint(bit(1)<<1|bit(0)), fmt.Sprint(bit(0)<<2|bit(1)<<1|bit(0)))
	var sum, n int
	lowest := 0
	seen := map[int]bool{}
	for _, r := range rows {
		if r[2] == nil {
			continue
		}
		v := r[2].(int)
		seen[v] = true
		if n == 0 || v < lowest {
			lowest = v
		}
		sum += v
		n++
	}
	if n == 0 {
		cells = append(cells, "NULL", "0", fmt.Sprint(len(rows)), "NULL", "NULL")
	} else {
		cells = append(cells, fmt.Sprint(sum), fmt.Sprint(n), fmt.Sprint(len(rows)), fmt.Sprint(lowest), fmt.Sprint(float64(sum)/float64(n)))
	}
	if distinct {
		cells = append(cells, fmt.Sprint(len(seen)))
	}
	return strings.Join(cells, "|")
}

// TestGroupingSetsOverParquet reads the sales rows back from Parquet
// files, one split each, so string keys arrive dictionary-encoded in
// some batches while the Expand puts plain NULLs in others.
func TestGroupingSetsOverParquet(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := filepath.Join(t.TempDir(), "sales")
	src := partitioned(t, "sales", salesCols, salesTypes, salesRows...)
	runLogicalTo(t, src, 3, dir)
	table := src.Schema().WithQualifier("sales")
	scan := &logical.Scan{Source: "sales", Format: "parquet", Path: dir, Table: table}
	if splits, err := splitFiles(context.Background(), scan); err != nil || len(splits) < 2 {
		t.Fatalf("want several input files, got %d (%v)", len(splits), err)
	}
	for _, sets := range [][][]int{mustSets(logical.Cube([][]int{{0}, {1}})), {{0}, {0}, {}}} {
		sameRows(t, fmt.Sprint(sets), runGrouping(t, scan, sets, false), refGrouping(salesRows, sets, false))
	}
}

// mustSets unwraps a set expansion that cannot fail in these tests.
func mustSets(sets [][]int, err error) [][]int {
	if err != nil {
		panic(err)
	}
	return sets
}

// TestRepeatedEmptySetsWithoutKeys is DuckDB's issue #7219:
// SELECT count(*) GROUP BY GROUPING SETS ((), ()) returns two rows of 1.
func TestRepeatedEmptySetsWithoutKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	aggs := []logical.AggExpr{{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type}}
	g, err := logical.GroupingSets(logical.OneRow(), nil, nil, [][]int{{}, {}}, aggs, "")
	if err != nil {
		t.Fatal(err)
	}
	res := runLogical(t, g.Node, 2)
	sameRows(t, "count(*)", text(res.rows, false, "n"), []string{"1", "1"})
}
