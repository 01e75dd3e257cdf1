package operator

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// smallInput: group 1 has y = 1,2,3,4 and x = 2,4,6,8 plus a NULL row;
// group 2 has a single row; group 3 only NULLs. d is y as decimal(5,2).
func smallInput(t *testing.T) (*types.Schema, arrowRec) {
	in := &types.Schema{Fields: []types.Field{
		{Name: "k", Type: types.Int64Type, Nullable: true},
		{Name: "y", Type: types.Int64Type, Nullable: true},
		{Name: "x", Type: types.Float64Type, Nullable: true},
		{Name: "d", Type: types.DecimalOf(5, 2), Nullable: true},
		{Name: "s", Type: types.StringType, Nullable: true},
	}}
	bld := array.NewRecordBuilder(mem, in.Arrow())
	defer bld.Release()
	rows := []struct {
		k    int64
		y    *int64
		x    *float64
		d, s string
	}{
		{1, p(3), f(6), "3.00", "c"}, {1, p(1), f(2), "1.00", "a"}, {1, nil, nil, "", ""},
		{1, p(4), f(8), "4.00", "d"}, {1, p(2), f(4), "2.00", "b"}, {2, p(7), f(1), "7.50", "z"},
		{3, nil, nil, "", ""},
	}
	for _, r := range rows {
		bld.Field(0).(*array.Int64Builder).Append(r.k)
		appendOpt(bld.Field(1), r.y == nil, func(b array.Builder) { b.(*array.Int64Builder).Append(*r.y) })
		appendOpt(bld.Field(2), r.x == nil, func(b array.Builder) { b.(*array.Float64Builder).Append(*r.x) })
		if r.d == "" {
			bld.Field(3).AppendNull()
			bld.Field(4).AppendNull()
			continue
		}
		v, err := types.ParseDecimal(r.d)
		if err != nil {
			t.Fatal(err)
		}
		bld.Field(3).(*array.Decimal128Builder).Append(v.Decimal128())
		bld.Field(4).(*array.StringBuilder).Append(r.s)
	}
	return in, bld.NewRecordBatch()
}

func f(v float64) *float64 { return &v }

func appendOpt(b array.Builder, null bool, add func(array.Builder)) {
	if null {
		b.AppendNull()
		return
	}
	add(b)
}

// TestAggregatesAgainstDuckDB: answers worked out by hand with DuckDB's
// definitions (var_samp(1,2,3,4) = 5/3, quantile_cont at (n-1)·q, ...).
func TestAggregatesAgainstDuckDB(t *testing.T) {
	in, rec := smallInput(t)
	defer rec.Release()
	lit := func(v float64) *expr.Expr { return expr.Lit(types.Float64Value(v)) }
	for _, c := range []struct {
		f    expr.AggFunc
		args []*expr.Expr
		want string // groups 1, 2, 3
	}{
		{expr.AggVarSamp, []*expr.Expr{ucol("y")}, "1.6666666666666667|NULL|NULL"},
		{expr.AggVarPop, []*expr.Expr{ucol("y")}, "1.25|0|NULL"},
		{expr.AggStddevSamp, []*expr.Expr{ucol("y")}, "1.2909944487358056|NULL|NULL"},
		{expr.AggStddevPop, []*expr.Expr{ucol("d")}, "1.118033988749895|0|NULL"},
		{expr.AggCovarPop, []*expr.Expr{ucol("y"), ucol("x")}, "2.5|0|NULL"},
		{expr.AggCovarSamp, []*expr.Expr{ucol("y"), ucol("x")}, "3.3333333333333335|NULL|NULL"},
		{expr.AggCorr, []*expr.Expr{ucol("y"), ucol("x")}, "1|NaN|NULL"},
		{expr.AggMedian, []*expr.Expr{ucol("y")}, "2.5|7|NULL"},
		{expr.AggMedian, []*expr.Expr{ucol("d")}, "2.50|7.50|NULL"},
		{expr.AggQuantileCont, []*expr.Expr{ucol("y"), lit(0.25)}, "1.75|7|NULL"},
		{expr.AggQuantileCont, []*expr.Expr{ucol("d"), lit(0.1)}, "1.30|7.50|NULL"},
		{expr.AggQuantileDisc, []*expr.Expr{ucol("y"), lit(0.5)}, "2|7|NULL"},
		{expr.AggMedian, []*expr.Expr{expr.Call(expr.FnAdd, expr.Lit(types.DateValue(0)), ucol("y"))}, "TIMESTAMP '1970-01-03 12:00:00'|TIMESTAMP '1970-01-08 00:00:00'|NULL"},
		{expr.AggQuantileDisc, []*expr.Expr{ucol("s"), lit(0.75)}, `"c"|"z"|NULL`},
		{expr.AggQuantileDisc, []*expr.Expr{ucol("y"), lit(0)}, "1|7|NULL"},
		{expr.AggQuantileDisc, []*expr.Expr{ucol("y"), lit(1)}, "4|7|NULL"},
		{expr.AggApproxQuantile, []*expr.Expr{ucol("y"), lit(0.5)}, "2|7|NULL"},
		{expr.AggApproxCountDistinct, []*expr.Expr{ucol("s")}, "4|1|0"},
		{expr.AggAnyValue, []*expr.Expr{ucol("s")}, `"c"|"z"|NULL`},
		{expr.AggFirst, []*expr.Expr{ucol("s")}, `"c"|"z"|NULL`},
		{expr.AggLast, []*expr.Expr{ucol("s")}, `"b"|"z"|NULL`},
		{expr.AggStringAgg, []*expr.Expr{ucol("s"), expr.Lit(types.StringValue("; "))}, `"c; a; d; b"|"z"|NULL`},
		{expr.AggStringAgg, []*expr.Expr{ucol("y")}, `"3,1,4,2"|"7"|NULL`},
		{expr.AggArgMax, []*expr.Expr{ucol("s"), ucol("x")}, `"d"|"z"|NULL`},
		{expr.AggArgMin, []*expr.Expr{ucol("d"), ucol("s")}, `1.00|7.50|NULL`},
	} {
		aggs := []logical.AggExpr{bindAgg(t, in, c.f, "a", c.args...)}
		rec.Retain()
		got, err := runAgg(t, in, aggs, false, 0, rec)
		if err != nil {
			t.Fatalf("%s: %v", aggs[0], err)
		}
		var vals []string
		for _, r := range got {
			vals = append(vals, r[strings.IndexByte(r, ',')+1:])
		}
		if strings.Join(vals, "|") != c.want {
			t.Errorf("%s = %s, want %s", aggs[0], strings.Join(vals, "|"), c.want)
		}
	}
}

// TestSingleValue: NULL for no rows, the value (NULL included) for one,
// an error for more, whether rows meet in one pass or in merged states.
func TestSingleValue(t *testing.T) {
	in, rec := smallInput(t)
	defer rec.Release()
	aggs := []logical.AggExpr{bindAgg(t, in, expr.AggSingleValue, "v", ucol("y"))}
	for _, twoPhase := range []bool{false, true} {
		rec.Retain()
		_, err := runAgg(t, in, aggs, twoPhase, 1, rec)
		if err == nil || !strings.Contains(err.Error(), "scalar subquery returned more than one row") {
			t.Errorf("twoPhase=%v: want the more-than-one-row error, got %v", twoPhase, err)
		}
	}
	// Keep groups 2 and 3 (one row each): 7 and NULL.
	one := sliceRows(rec, 5, 7)
	defer one.Release()
	for _, twoPhase := range []bool{false, true} {
		one.Retain()
		got, err := runAgg(t, in, aggs, twoPhase, 1, one)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, got, []string{"2,7", "3,NULL"})
	}
	// A global single_value over no rows is one NULL row.
	out := &types.Schema{Fields: []types.Field{{Name: "v", Type: types.Int64Type, Nullable: true}}}
	h, err := newHashAgg(globalAggNode(out, aggs), source(in), &Env{})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, rows(t, h), []string{"NULL"})
}

func sliceRows(rec arrowRec, from, to int64) arrowRec { return rec.NewSlice(from, to) }

func globalAggNode(out *types.Schema, aggs []logical.AggExpr) *physical.Node {
	return &physical.Node{Op: physical.OpHashAgg, Schema: out,
		Agg: &physical.AggSpec{Mode: physical.AggComplete, Aggs: aggs}}
}

func TestInterpDecimalTruncatesTowardZero(t *testing.T) {
	for _, c := range []struct {
		lo, hi int64
		frac   float64
		want   int64
	}{
		{-5, -4, 0.5, -4}, {4, 5, 0.5, 4}, {-1, 2, 0.25, 0}, {100, 200, 0.1, 110},
	} {
		got := interpDecimal(decimal128.FromI64(c.lo), decimal128.FromI64(c.hi), c.frac)
		if got != decimal128.FromI64(c.want) {
			t.Errorf("interp(%d, %d, %v) = %v, want %d", c.lo, c.hi, c.frac, got.BigInt(), c.want)
		}
	}
}

// TestAvgDecimalIsExact: avg over a decimal of at most 18 digits sums the
// unscaled values exactly and divides once, in one pass or from merged
// partial states: avg(0.10, 0.20) is 0.15, not the 0.15000000000000002
// that summing the floats gives.
func TestAvgDecimalIsExact(t *testing.T) {
	in := &types.Schema{Fields: []types.Field{
		{Name: "k", Type: types.Int64Type, Nullable: true},
		{Name: "d", Type: types.DecimalOf(15, 2), Nullable: true},
	}}
	bld := array.NewRecordBuilder(mem, in.Arrow())
	defer bld.Release()
	for _, r := range []struct {
		k int64
		d string
	}{{1, "0.10"}, {1, "0.20"}, {1, ""}, {2, "-9999999999999.99"}, {2, "9999999999999.99"}, {2, "0.01"}, {3, ""}} {
		bld.Field(0).(*array.Int64Builder).Append(r.k)
		if r.d == "" {
			bld.Field(1).AppendNull()
			continue
		}
		v, err := types.ParseDecimal(r.d)
		if err != nil {
			t.Fatal(err)
		}
		bld.Field(1).(*array.Decimal128Builder).Append(v.Decimal128())
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	aggs := []logical.AggExpr{bindAgg(t, in, expr.AggAvg, "a", ucol("d"))}
	if st := physical.StateTypes(aggs[0]); st[0] != types.DecimalOf(38, 2) {
		t.Fatalf("avg(decimal(15,2)) state = %v, want an exact decimal(38,2) sum", st)
	}
	for _, twoPhase := range []bool{false, true} {
		rec.Retain()
		got, err := runAgg(t, in, aggs, twoPhase, 1, rec)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, got, []string{"1,0.15", "2,0.0033333333333333335", "3,NULL"})
	}
}
