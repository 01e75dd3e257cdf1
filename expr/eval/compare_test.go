package eval

import (
	"math"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

var (
	i64T  = types.Int64Type
	i32T  = types.Int32Type
	f64T  = types.Float64Type
	f32T  = types.Float32Type
	strT  = types.StringType
	boolT = types.BoolType
	dateT = types.DateType
	tsT   = types.TimestampType
)

func TestCompareInts(t *testing.T) {
	f := fixture{
		types: []types.Type{i64T, i64T, i32T},
		rows:  [][]any{{1, 5, 9, nil}, {5, 5, nil, 1}, {-3, 0, 7, 7}},
	}
	runCases(t, f, []evalCase{
		{"lt col const", fn(expr.FnLt, boolT, bcol(0, i64T), li64(5)), []string{"true", "false", "false", "NULL"}, ""},
		{"const on left flips", fn(expr.FnLt, boolT, li64(5), bcol(0, i64T)), []string{"false", "false", "true", "NULL"}, ""},
		{"eq col col", fn(expr.FnEq, boolT, bcol(0, i64T), bcol(1, i64T)), []string{"false", "true", "NULL", "NULL"}, ""},
		{"ne", fn(expr.FnNe, boolT, bcol(0, i64T), bcol(1, i64T)), []string{"true", "false", "NULL", "NULL"}, ""},
		{"le", fn(expr.FnLe, boolT, bcol(0, i64T), li64(5)), []string{"true", "true", "false", "NULL"}, ""},
		{"ge", fn(expr.FnGe, boolT, bcol(0, i64T), li64(5)), []string{"false", "true", "true", "NULL"}, ""},
		{"gt int32", fn(expr.FnGt, boolT, bcol(2, i32T), li32(0)), []string{"false", "false", "true", "true"}, ""},
		{"null literal", fn(expr.FnEq, boolT, bcol(0, i64T), lnull(i64T)), []string{"NULL", "NULL", "NULL", "NULL"}, ""},
	})
}

func TestCompareFloatsNaN(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	f := fixture{
		types: []types.Type{f64T, f64T, f32T},
		rows:  [][]any{{1.0, nan, nan, inf, nil}, {nan, nan, 2.0, nan, 1.0}, {1.5, nan, negZero, 2.0, nil}},
	}
	runCases(t, f, []evalCase{
		{"gt const: NaN is greatest", fn(expr.FnGt, boolT, bcol(0, f64T), lf64(1)), []string{"false", "true", "true", "true", "NULL"}, ""},
		{"ge const", fn(expr.FnGe, boolT, bcol(0, f64T), lf64(1)), []string{"true", "true", "true", "true", "NULL"}, ""},
		{"lt const", fn(expr.FnLt, boolT, bcol(0, f64T), lf64(2)), []string{"true", "false", "false", "false", "NULL"}, ""},
		{"eq NaN const", fn(expr.FnEq, boolT, bcol(0, f64T), lf64(nan)), []string{"false", "true", "true", "false", "NULL"}, ""},
		{"lt NaN const", fn(expr.FnLt, boolT, bcol(0, f64T), lf64(nan)), []string{"true", "false", "false", "true", "NULL"}, ""},
		{"le NaN const", fn(expr.FnLe, boolT, bcol(0, f64T), lf64(nan)), []string{"true", "true", "true", "true", "NULL"}, ""},
		{"gt NaN const", fn(expr.FnGt, boolT, bcol(0, f64T), lf64(nan)), []string{"false", "false", "false", "false", "NULL"}, ""},
		{"eq col col", fn(expr.FnEq, boolT, bcol(0, f64T), bcol(1, f64T)), []string{"false", "true", "false", "false", "NULL"}, ""},
		{"lt col col", fn(expr.FnLt, boolT, bcol(0, f64T), bcol(1, f64T)), []string{"true", "false", "false", "true", "NULL"}, ""},
		{"float32 -0 = 0", fn(expr.FnEq, boolT, bcol(2, f32T), lit(types.Value{Type: f32T, F: 0})), []string{"false", "false", "true", "false", "NULL"}, ""},
	})
}

func TestCompareOthers(t *testing.T) {
	d := types.DecimalOf(10, 2)
	f := fixture{
		types: []types.Type{d, strT, strT, boolT, dateT, tsT},
		rows: [][]any{
			{"1.50", "-2.00", nil, "99999999.99"},
			{"abc", "ab", "é", nil},
			{"abd", "ab", "e", "x"},
			{true, false, nil, true},
			{"2020-01-01", "1969-12-31", nil, "2024-02-29"},
			{"2020-01-01 00:00:00", "1969-12-31 23:59:59.5", nil, "2024-02-29 12:00:00"},
		},
	}
	runCases(t, f, []evalCase{
		{"decimal gt", fn(expr.FnGt, boolT, bcol(0, d), ldec("0", 10, 2)), []string{"true", "false", "NULL", "true"}, ""},
		{"decimal le col", fn(expr.FnLe, boolT, bcol(0, d), bcol(0, d)), []string{"true", "true", "NULL", "true"}, ""},
		{"string eq const", fn(expr.FnEq, boolT, bcol(1, strT), lstr("ab")), []string{"false", "true", "false", "NULL"}, ""},
		{"string lt col", fn(expr.FnLt, boolT, bcol(1, strT), bcol(2, strT)), []string{"true", "false", "false", "NULL"}, ""},
		{"string bytewise order", fn(expr.FnGt, boolT, bcol(1, strT), lstr("z")), []string{"false", "false", "true", "NULL"}, ""},
		{"bool lt", fn(expr.FnLt, boolT, bcol(3, boolT), lbool(true)), []string{"false", "true", "NULL", "false"}, ""},
		{"date ge", fn(expr.FnGe, boolT, bcol(4, dateT), ldate("2020-01-01")), []string{"true", "false", "NULL", "true"}, ""},
		{"timestamp lt", fn(expr.FnLt, boolT, bcol(5, tsT), lts("1970-01-01")), []string{"false", "true", "NULL", "false"}, ""},
	})
}

func TestCompareLongBatch(t *testing.T) {
	// more than one chunk, length not a multiple of 8
	n := 3*chunk + 5
	vals := make([]any, n)
	want := make([]string, n)
	for i := range vals {
		vals[i] = i % 7
		want[i] = "false"
		if i%7 < 3 {
			want[i] = "true"
		}
	}
	runCasesNoFold(t, fixture{types: []types.Type{i64T}, rows: [][]any{vals}}, []evalCase{
		{"lt", fn(expr.FnLt, boolT, bcol(0, i64T), li64(3)), want, ""},
	})
}

func TestCompareContract(t *testing.T) {
	_, err := Compile(fn(expr.FnEq, boolT, bcol(0, i64T), li32(1)), Options{})
	if err == nil {
		t.Fatal("mixed operand types compiled")
	}
}

func TestPackBools(t *testing.T) {
	r := make([]bool, 19)
	for i := range r {
		r[i] = i%3 == 0 || i == 7
	}
	out := make([]byte, 3)
	packBools(out, 0, r)
	for i, v := range r {
		if bitSet(out, i) != v {
			t.Fatalf("bit %d = %v", i, !v)
		}
	}
}
