package local

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func bound(t *testing.T, e *expr.Expr) *expr.Expr {
	t.Helper()
	b, err := expr.Bind(e, &types.Schema{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func lit(v types.Value) *expr.Expr { return expr.Lit(v) }

// TestValuesMixedTypes: each column takes the common type of its rows
// (int and float → double, int and NULL → bigint, all NULL → integer),
// and rows may be computed constants.
func TestValuesMixedTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	null := types.NullValue(types.NullType)
	sum := bound(t, expr.Call(expr.FnAdd, lit(types.Int64Value(40)), lit(types.Int64Value(2))))
	rows := [][]*expr.Expr{
		{lit(types.Int64Value(1)), lit(types.StringValue("a")), lit(null), sum},
		{lit(types.Float64Value(2.5)), lit(null), lit(null), lit(types.Int64Value(7))},
		{lit(types.Int64Value(3)), lit(types.StringValue("c")), lit(null), lit(null)},
	}
	v, err := logical.NewValues(rows, []string{"n", "s", "z", "k"}, "v")
	if err != nil {
		t.Fatal(err)
	}
	var typs []string
	for _, f := range v.Schema().Fields {
		typs = append(typs, fmt.Sprintf("%s:%v", f.Type, f.Nullable))
	}
	if want := "[float64:false string:true int32:true int64:true]"; fmt.Sprint(typs) != want {
		t.Errorf("types %v, want %s", typs, want)
	}
	res := runLogical(t, v, 3)
	sameRows(t, "values", text(res.rows, false, "n", "s", "z", "k"), []string{"1|a|NULL|42", "2.5|NULL|NULL|7", "3|c|NULL|NULL"})
}

// TestSelectWithoutFrom projects constants from the one-row relation and
// counts rows of a VALUES list whose columns no one reads.
func TestSelectWithoutFrom(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	one := logical.OneRow()
	p := &logical.Project{Input: one, Names: []string{"two", "s"}, Exprs: []*expr.Expr{
		bound(t, expr.Call(expr.FnAdd, lit(types.Int64Value(1)), lit(types.Int64Value(1)))),
		lit(types.StringValue("x")),
	}}
	res := runLogical(t, p, 2)
	sameRows(t, "select 1+1", text(res.rows, false, "two", "s"), []string{"2|x"})

	v, err := logical.NewValues([][]*expr.Expr{{lit(types.Int64Value(1))}, {lit(types.Int64Value(2))}, {lit(types.Int64Value(3))}}, []string{"a"}, "")
	if err != nil {
		t.Fatal(err)
	}
	agg := &logical.Aggregate{Input: v, Aggs: []logical.AggExpr{{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type}}}
	res = runLogical(t, agg, 2)
	sameRows(t, "count(*)", text(res.rows, false, "n"), []string{"3"})

	cnt := &logical.Aggregate{Input: logical.OneRow(), Aggs: []logical.AggExpr{{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type}}}
	res = runLogical(t, cnt, 2)
	sameRows(t, "count(*) without from", text(res.rows, false, "n"), []string{"1"})
}

func TestValuesErrors(t *testing.T) {
	col := expr.BoundCol(0, types.Field{Name: "a", Type: types.Int64Type})
	for name, rows := range map[string][][]*expr.Expr{
		"ragged":      {{lit(types.Int64Value(1))}, {lit(types.Int64Value(1)), lit(types.Int64Value(2))}},
		"mixed types": {{lit(types.Int64Value(1))}, {lit(types.StringValue("x"))}},
		"column":      {{col}},
		"no rows":     nil,
	} {
		if _, err := logical.NewValues(rows, []string{"a"}, ""); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// numbers is 1..20 spread over three partitions, out of order.
func numbers(t *testing.T) logical.Node {
	chunk := func(vals ...int) [][]any {
		var out [][]any
		for _, v := range vals {
			out = append(out, []any{v})
		}
		return out
	}
	return partitioned(t, "t", []string{"x"}, []types.Type{types.Int64Type},
		chunk(20, 3, 17, 1, 9, 12, 5), chunk(2, 18, 11, 7, 14, 4), chunk(16, 6, 19, 8, 13, 10, 15))
}

func TestOffsetDistributed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	seq := func(from, to int) []string {
		var out []string
		for i := from; i <= to; i++ {
			out = append(out, strconv.Itoa(i))
		}
		return out
	}
	sorted := func(n logical.Node, desc bool) logical.Node {
		return &logical.Sort{Input: n, Keys: []logical.SortKey{{Expr: colOf(t, n, "x"), Desc: desc}}}
	}
	for _, tc := range []struct {
		name      string
		limit     int64
		offset    int64
		sort, des bool
		want      []string // ordered; for unsorted inputs only the count matters
	}{
		{name: "limit offset sorted", limit: 5, offset: 3, sort: true, want: seq(4, 8)},
		{name: "limit offset desc", limit: 3, offset: 2, sort: true, des: true, want: []string{"18", "17", "16"}},
		{name: "offset only sorted", limit: -1, offset: 16, sort: true, want: seq(17, 20)},
		{name: "offset past end sorted", limit: 5, offset: 25, sort: true},
		{name: "limit runs past end", limit: 5, offset: 18, sort: true, want: seq(19, 20)},
		{name: "offset only past end", limit: -1, offset: 20, sort: true},
		{name: "offset zero", limit: -1, offset: 0, sort: true, want: seq(1, 20)},
		{name: "limit offset unsorted", limit: 5, offset: 3, want: make([]string, 5)},
		{name: "offset only unsorted", limit: -1, offset: 18, want: make([]string, 2)},
		{name: "offset past end unsorted", limit: 4, offset: 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in = numbers(t)
			if tc.sort {
				in = sorted(in, tc.des)
			}
			res := runLogical(t, logical.NewLimit(in, tc.limit, tc.offset), 3)
			got := text(res.rows, true, "x")
			if !tc.sort {
				if len(got) != len(tc.want) {
					t.Errorf("%d rows, want %d: %v", len(got), len(tc.want), got)
				}
				return
			}
			sameRows(t, tc.name, got, tc.want)
		})
	}
}
