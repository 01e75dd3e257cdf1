package parquetfmt_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

func col(i int) *expr.Expr { return expr.BoundCol(i, numbersSchema.Fields[i]) }

func lit(v types.Value) *expr.Expr { return expr.Lit(v) }

func call(name string, args ...*expr.Expr) *expr.Expr {
	e := expr.Call(name, args...)
	e.Type = types.BoolType
	return e
}

func i64(v int64) *expr.Expr { return lit(types.Int64Value(v)) }

// TestPruning writes 1000 rows in 10 row groups of 100 (row group g holds
// ids 100g..100g+99) and checks how many rows a filter lets through: the
// reader returns whole row groups, so the count shows which were skipped.
func TestPruning(t *testing.T) {
	path := writeNumbers(t, 1000, 100)
	dec := func(s string) *expr.Expr {
		n, _ := decimal128.FromString(s, 10, 2)
		return lit(types.DecimalValue(n, 10, 2))
	}
	castI64 := expr.Cast(col(1), types.Int64Type)
	tests := []struct {
		name    string
		filters []*expr.Expr
		rows    int64
	}{
		{"none", nil, 1000},
		{"eq", []*expr.Expr{call(expr.FnEq, col(0), i64(250))}, 100},
		{"literal first", []*expr.Expr{call(expr.FnGt, i64(250), col(0))}, 300},
		{"between", []*expr.Expr{call(expr.FnAnd, call(expr.FnGe, col(0), i64(250)), call(expr.FnLe, col(0), i64(430)))}, 300},
		{"two conjuncts", []*expr.Expr{call(expr.FnGe, col(0), i64(250)), call(expr.FnLt, col(0), i64(400))}, 200},
		{"gt max", []*expr.Expr{call(expr.FnGt, col(0), i64(999))}, 0},
		{"ge", []*expr.Expr{call(expr.FnGe, col(0), i64(999))}, 100},
		{"ne", []*expr.Expr{call(expr.FnNe, col(1), lit(types.Int32Value(3)))}, 900},
		{"in", []*expr.Expr{call(expr.FnIn, col(0), i64(5), i64(705), lit(types.NullValue(types.Int64Type)))}, 200},
		{"or", []*expr.Expr{call(expr.FnOr, call(expr.FnLt, col(0), i64(100)), call(expr.FnGe, col(0), i64(900)))}, 200},
		{"is null", []*expr.Expr{call(expr.FnIsNull, col(7))}, 900},
		{"is not null", []*expr.Expr{call(expr.FnIsNotNull, col(7))}, 100},
		{"all-null row groups", []*expr.Expr{call(expr.FnEq, col(7), i64(350))}, 100},
		{"string", []*expr.Expr{call(expr.FnEq, col(2), lit(types.StringValue("name-004")))}, 100},
		{"string range", []*expr.Expr{call(expr.FnGe, col(2), lit(types.StringValue("name-008x")))}, 100},
		{"decimal", []*expr.Expr{call(expr.FnLt, col(3), dec("1.50"))}, 200},
		{"date", []*expr.Expr{call(expr.FnEq, col(4), lit(types.DateValue(6)))}, 100},
		{"timestamp", []*expr.Expr{call(expr.FnGe, col(5), lit(types.TimestampValue(950_000_000)))}, 100},
		{"float lt", []*expr.Expr{call(expr.FnLt, col(6), lit(types.Float64Value(50)))}, 100},
		{"float gt kept (NaN)", []*expr.Expr{call(expr.FnGt, col(6), lit(types.Float64Value(450)))}, 1000},
		{"cast int32 to int64", []*expr.Expr{call(expr.FnEq, castI64, i64(7))}, 100},
		{"null literal ignored", []*expr.Expr{call(expr.FnEq, col(0), lit(types.NullValue(types.Int64Type)))}, 1000},
		{"column vs column ignored", []*expr.Expr{call(expr.FnLt, col(0), col(7))}, 1000},
		{"unknown function ignored", []*expr.Expr{call(expr.FnNot, call(expr.FnEq, col(0), i64(1)))}, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: numbersSchema, Columns: []int{0}, Filters: tc.filters})
			if err != nil {
				t.Fatal(err)
			}
			defer formattest.Release(recs)
			if n := countRows(recs); n != tc.rows {
				t.Fatalf("read %d rows, want %d", n, tc.rows)
			}
		})
	}
}
