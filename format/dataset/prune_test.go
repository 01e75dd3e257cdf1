package dataset

import (
	"reflect"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// pruneTable is (id int64, amt float64 | day date, region string, k int64):
// two file columns, then three partition columns.
var pruneTable = types.NewSchema(
	types.Field{Name: "id", Type: types.Int64Type, Nullable: true},
	types.Field{Name: "amt", Type: types.Float64Type, Nullable: true},
	types.Field{Name: "day", Type: types.DateType, Nullable: true},
	types.Field{Name: "region", Type: types.StringType, Nullable: true},
	types.Field{Name: "k", Type: types.Int64Type, Nullable: true},
)

func bind(t *testing.T, e *expr.Expr) *expr.Expr {
	t.Helper()
	b, err := expr.Bind(e, pruneTable, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func col(name string) *expr.Expr   { return expr.Col("", name) }
func lit(v types.Value) *expr.Expr { return expr.Lit(v) }

func TestPrune(t *testing.T) {
	day := func(d int32) types.Value { return types.DateValue(d) }
	str := types.StringValue
	files := [][]types.Value{
		{day(10), str("eu"), types.Int64Value(1)},
		{day(10), str("us"), types.Int64Value(2)},
		{day(11), str("eu"), types.NullValue(types.Int64Type)},
		{types.NullValue(types.DateType), str("a/b"), types.Int64Value(3)},
		{day(10), str("eu"), types.Int64Value(1)}, // a second file of partition 0
	}
	tests := []struct {
		name    string
		filters []*expr.Expr
		want    []int
	}{
		{"none", nil, []int{0, 1, 2, 3, 4}},
		{"equality", []*expr.Expr{expr.Call(expr.FnEq, col("region"), lit(str("eu")))}, []int{0, 2, 4}},
		{"two conjuncts", []*expr.Expr{
			expr.Call(expr.FnEq, col("region"), lit(str("eu"))),
			expr.Call(expr.FnGe, col("day"), lit(day(11))),
		}, []int{2}},
		{"NULL partition fails a comparison", []*expr.Expr{expr.Call(expr.FnLt, col("day"), lit(day(100)))}, []int{0, 1, 2, 4}},
		{"is null", []*expr.Expr{expr.Call(expr.FnIsNull, col("k"))}, []int{2}},
		{"expression over two partition columns", []*expr.Expr{
			expr.Call(expr.FnOr, expr.Call(expr.FnEq, col("k"), lit(types.Int64Value(2))), expr.Call(expr.FnEq, col("region"), lit(str("a/b")))),
		}, []int{1, 3}},
		{"file columns never prune", []*expr.Expr{expr.Call(expr.FnEq, col("id"), lit(types.Int64Value(-1)))}, []int{0, 1, 2, 3, 4}},
		{"mixed conjunct is left to the scan", []*expr.Expr{
			expr.Call(expr.FnOr, expr.Call(expr.FnEq, col("id"), lit(types.Int64Value(1))), expr.Call(expr.FnEq, col("region"), lit(str("zz")))),
		}, []int{0, 1, 2, 3, 4}},
		{"an error keeps the file for the scan to report", []*expr.Expr{
			expr.Call(expr.FnEq, expr.Cast(col("region"), types.Int64Type), lit(types.Int64Value(5))),
		}, []int{0, 1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bound []*expr.Expr
			for _, f := range tt.filters {
				bound = append(bound, bind(t, f))
			}
			got := Prune(pruneTable, 3, bound, files)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("kept %v, want %v", got, tt.want)
			}
		})
	}
}
