package operator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

func aggs(in *types.Schema) []logical.AggExpr {
	v := expr.BoundCol(1, in.Fields[1])
	return []logical.AggExpr{
		{Func: expr.AggSum, Arg: v, Name: "s", Type: types.Int64Type},
		{Func: expr.AggCount, Arg: v, Name: "c", Type: types.Int64Type},
		{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
		{Func: expr.AggMin, Arg: v, Name: "lo", Type: types.Int64Type},
		{Func: expr.AggMax, Arg: v, Name: "hi", Type: types.Int64Type},
		{Func: expr.AggAvg, Arg: v, Name: "a", Type: types.Float64Type},
	}
}

// TestHashAggPartialFinalMatchesReference runs partial aggregation over
// several input batches, then a final merge, and compares every group with
// sums computed directly — including NULL values and a NULL group key.
func TestHashAggPartialFinalMatchesReference(t *testing.T) {
	for _, flush := range []int{0, 2} { // 2: the partial side flushes every two groups
		t.Run(fmt.Sprintf("flush=%d", flush), func(t *testing.T) { partialFinal(t, flush) })
	}
}

func partialFinal(t *testing.T, flush int) {
	in := int64Schema("k", "v")
	rng := rand.New(rand.NewPCG(1, 2))
	type acc struct{ sum, cnt, n, lo, hi int64 }
	ref := map[string]*acc{}
	var recs []arrowRec
	for b := 0; b < 4; b++ {
		var ks, vs []*int64
		for i := 0; i < 500; i++ {
			var k, v *int64
			if rng.IntN(20) != 0 {
				k = p(int64(rng.IntN(7)))
			}
			if rng.IntN(10) != 0 {
				v = p(int64(rng.IntN(1000) - 500))
			}
			ks, vs = append(ks, k), append(vs, v)
			key := "NULL"
			if k != nil {
				key = fmt.Sprint(*k)
			}
			a := ref[key]
			if a == nil {
				a = &acc{lo: 1 << 62, hi: -1 << 62}
				ref[key] = a
			}
			a.n++
			if v != nil {
				a.sum += *v
				a.cnt++
				a.lo, a.hi = min(a.lo, *v), max(a.hi, *v)
			}
		}
		recs = append(recs, int64Batch(in, ks, vs))
	}
	group := []*expr.Expr{expr.BoundCol(0, in.Fields[0])}
	partialSchema := physical.PartialSchema(group, aggs(in))
	partial, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: partialSchema,
		Agg: &physical.AggSpec{Mode: physical.AggPartial, GroupBy: group, Aggs: aggs(in)}}, source(in, recs...), &Env{PartialFlushGroups: flush})
	if err != nil {
		t.Fatal(err)
	}
	outSchema := &types.Schema{Fields: []types.Field{{Name: "k", Type: types.Int64Type, Nullable: true}}}
	for _, a := range aggs(in) {
		outSchema.Fields = append(outSchema.Fields, types.Field{Name: a.Name, Type: a.Type, Nullable: true})
	}
	keys := []*expr.Expr{expr.BoundCol(0, partialSchema.Fields[0])}
	final, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: outSchema,
		Agg: &physical.AggSpec{Mode: physical.AggFinal, GroupBy: keys, Aggs: aggs(in)}}, partial, &Env{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for k, a := range ref {
		if a.cnt == 0 {
			want = append(want, fmt.Sprintf("%s,NULL,0,%d,NULL,NULL,NULL", k, a.n))
			continue
		}
		want = append(want, fmt.Sprintf("%s,%d,%d,%d,%d,%d,%s", k, a.sum, a.cnt, a.n, a.lo, a.hi,
			types.Float64Value(float64(a.sum)/float64(a.cnt)).String()))
	}
	mustEqual(t, sorted(rows(t, final)), sorted(want))
}

func TestGlobalAggregateOfNoRowsHasOneRow(t *testing.T) {
	in := int64Schema("k", "v")
	out := &types.Schema{}
	for _, a := range aggs(in) {
		out.Fields = append(out.Fields, types.Field{Name: a.Name, Type: a.Type, Nullable: true})
	}
	h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
		Agg: &physical.AggSpec{Mode: physical.AggComplete, Aggs: aggs(in)}}, source(in), &Env{})
	if err != nil {
		t.Fatal(err)
	}
	// sum of no rows is NULL, count is 0.
	mustEqual(t, rows(t, h), []string{"NULL,0,0,NULL,NULL,NULL"})
}

func TestCountDistinct(t *testing.T) {
	in := int64Schema("k", "v")
	rec := int64Batch(in, ints(1, 1, 1, 2, 2, 2), []*int64{p(5), p(5), nil, p(7), p(8), p(7)})
	out := &types.Schema{Fields: []types.Field{{Name: "k", Type: types.Int64Type}, {Name: "d", Type: types.Int64Type}, {Name: "s", Type: types.Int64Type}}}
	v := expr.BoundCol(1, in.Fields[1])
	spec := &physical.AggSpec{Mode: physical.AggComplete, GroupBy: []*expr.Expr{expr.BoundCol(0, in.Fields[0])},
		Aggs: []logical.AggExpr{
			{Func: expr.AggCount, Arg: v, Distinct: true, Name: "d", Type: types.Int64Type},
			{Func: expr.AggSum, Arg: v, Distinct: true, Name: "s", Type: types.Int64Type},
		}}
	h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out, Agg: spec}, source(in, rec), &Env{})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, sorted(rows(t, h)), []string{"1,1,5", "2,2,15"})
}

var _ = batch.ReadAll
var _ = context.Background

func TestDecimalSumOverflowIsAnError(t *testing.T) {
	acc, err := newSum(types.DecimalOf(38, 0))
	if err != nil {
		t.Fatal(err)
	}
	big, _ := decimal128.FromString("90000000000000000000000000000000000000", 38, 0)
	b := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 38, Scale: 0})
	for i := 0; i < 2; i++ {
		b.Append(big)
	}
	col := b.NewArray()
	acc.grow(1)
	if err := acc.update([]int32{0, 0}, col); err == nil || !strings.Contains(err.Error(), "overflow") {
		t.Fatalf("want a decimal overflow error, got %v", err)
	}
}

// TestDecimalOverflowBounds: the fast path (operands below 2^124) and the
// digit count agree around 10^38 and 2^124, for both signs.
func TestDecimalOverflowBounds(t *testing.T) {
	num := func(s string) decimal128.Num {
		n, err := decimal128.FromString(s, 38, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	max38 := "99999999999999999999999999999999999999"
	pow124 := "21267647932558653966460912964485513216" // 2^124
	for _, tc := range []struct {
		a, b string
		over bool
	}{
		{"1", "2", false},
		{max38, "0", false},
		{max38, "1", true},
		{"-" + max38, "-1", true},
		{max38, "-1", false},
		{pow124, pow124, false},
		{pow124, "78732352067441346033539087035514486783", false}, // 10^38 - 1
		{pow124, "78732352067441346033539087035514486784", true},  // 10^38
		{"-" + pow124, "-" + pow124, false},
		{"21267647932558653966460912964485513215", "21267647932558653966460912964485513215", false}, // fast path
	} {
		a, b := num(tc.a), num(tc.b)
		if got := decimalOverflow(a, b, addDecimal(a, b)); got != tc.over {
			t.Errorf("%s + %s: overflow %v, want %v", tc.a, tc.b, got, tc.over)
		}
	}
}

// Aggregate arguments are evaluated together (shared subtrees once per
// batch); the results, and which aggregate an error names, stay the same.
func TestHashAggSharedArguments(t *testing.T) {
	in := int64Schema("k", "v")
	v := expr.BoundCol(1, in.Fields[1])
	mul := func(x *expr.Expr, c int64) *expr.Expr {
		e := expr.Call(expr.FnMul, x, expr.Lit(types.Int64Value(c)))
		e.Type, e.Nullable = types.Int64Type, true
		return e
	}
	add := expr.Call(expr.FnAdd, mul(v, 2), v)
	add.Type, add.Nullable = types.Int64Type, true
	run := func(as []logical.AggExpr) ([]string, error) {
		out := &types.Schema{Fields: []types.Field{{Name: "k", Type: types.Int64Type}}}
		for _, a := range as {
			out.Fields = append(out.Fields, types.Field{Name: a.Name, Type: a.Type, Nullable: true})
		}
		rec := int64Batch(in, ints(1, 1, 2, 2), []*int64{p(3), nil, p(5), p(7)})
		spec := &physical.AggSpec{Mode: physical.AggComplete, GroupBy: []*expr.Expr{expr.BoundCol(0, in.Fields[0])}, Aggs: as}
		h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out, Agg: spec}, source(in, rec), &Env{})
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		recs, err := batch.ReadAll(context.Background(), h)
		if err != nil {
			return nil, err
		}
		return sorted(rows(t, source(out, recs...))), nil
	}
	got, err := run([]logical.AggExpr{
		{Func: expr.AggSum, Arg: mul(v, 2), Name: "s", Type: types.Int64Type},
		{Func: expr.AggMax, Arg: mul(v, 2), Name: "m", Type: types.Int64Type},
		{Func: expr.AggSum, Arg: add, Name: "t", Type: types.Int64Type},
		{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
	})
	if err != nil {
		t.Fatal(err)
	}
	// k=1: v = 3, NULL; k=2: v = 5, 7.
	mustEqual(t, got, []string{"1,6,6,9,2", "2,24,14,36,2"})
	_, err = run([]logical.AggExpr{
		{Func: expr.AggSum, Arg: mul(v, 2), Name: "s", Type: types.Int64Type},
		{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
		{Func: expr.AggSum, Arg: mul(mul(v, 2), 1<<62), Name: "bad", Type: types.Int64Type},
	})
	if err == nil || !strings.Contains(err.Error(), "AS bad") {
		t.Fatalf("want an overflow error naming bad, got %v", err)
	}
}
