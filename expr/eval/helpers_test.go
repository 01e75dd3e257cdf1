package eval

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Expression builders for hand-made bound trees.

func bcol(i int, t types.Type) *expr.Expr {
	return expr.BoundCol(i, types.Field{Name: fmt.Sprintf("c%d", i), Type: t, Nullable: true})
}

func fn(name string, t types.Type, args ...*expr.Expr) *expr.Expr {
	c := expr.Call(name, args...)
	c.Type, c.Nullable = t, true
	return c
}

func lit(v types.Value) *expr.Expr { return expr.Lit(v) }
func li64(v int64) *expr.Expr      { return lit(types.Int64Value(v)) }
func li32(v int32) *expr.Expr      { return lit(types.Int32Value(v)) }
func lf64(v float64) *expr.Expr    { return lit(types.Float64Value(v)) }
func lstr(s string) *expr.Expr     { return lit(types.StringValue(s)) }
func lbool(b bool) *expr.Expr      { return lit(types.BoolValue(b)) }
func lnull(t types.Type) *expr.Expr {
	e := lit(types.NullValue(t))
	e.Type = t
	return e
}

// ldec is a decimal literal of type decimal(p,s).
func ldec(s string, p, sc int32) *expr.Expr {
	v, err := types.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	n, ok := rescale(v.Decimal128(), v.Type.Scale, sc, pow10[p])
	if !ok {
		panic("ldec: " + s)
	}
	return lit(types.DecimalValue(n, p, sc))
}

func ldate(s string) *expr.Expr {
	d, err := types.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return lit(types.DateValue(d))
}

func lts(s string) *expr.Expr {
	us, err := types.ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return lit(types.TimestampValue(us))
}

// column builds an array of type t from Go values; nil is NULL. Strings
// take string, dates "YYYY-MM-DD", timestamps ISO text, decimals text.
func column(mem memory.Allocator, t types.Type, vals ...any) arrow.Array {
	bld := array.NewBuilder(mem, t.Arrow())
	defer bld.Release()
	for _, v := range vals {
		if v == nil {
			bld.AppendNull()
			continue
		}
		appendTo(bld, t, v)
	}
	return bld.NewArray()
}

func appendTo(bld array.Builder, t types.Type, v any) {
	switch b := bld.(type) {
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.Int32Builder:
		b.Append(int32(v.(int)))
	case *array.Int64Builder:
		b.Append(int64(v.(int)))
	case *array.Float32Builder:
		b.Append(float32(v.(float64)))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.Decimal128Builder:
		b.Append(ldec(v.(string), t.Precision, t.Scale).Value.Decimal128())
	case *array.Date32Builder:
		b.Append(arrow.Date32(ldate(v.(string)).Value.I))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(lts(v.(string)).Value.I))
	default:
		panic(fmt.Sprintf("appendTo %T", bld))
	}
}

// dictionary re-encodes a plain string array as dictionary<int32, utf8>,
// with the dictionary in reverse first-seen order plus an unused value.
func dictionary(mem memory.Allocator, a arrow.Array) arrow.Array {
	s := a.(*array.String)
	seen := map[string]int{}
	var order []string
	for i := range s.Len() {
		if s.IsValid(i) {
			if _, ok := seen[s.Value(i)]; !ok {
				seen[s.Value(i)] = 0
				order = append(order, s.Value(i))
			}
		}
	}
	order = append(order, "\x00unused-12x")
	vb := array.NewStringBuilder(mem)
	defer vb.Release()
	for k := len(order) - 1; k >= 0; k-- {
		seen[order[k]] = len(order) - 1 - k
		vb.Append(order[k])
	}
	dict := vb.NewArray()
	defer dict.Release()
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
	for i := range s.Len() {
		if s.IsNull(i) {
			ib.AppendNull()
		} else {
			ib.Append(int32(seen[s.Value(i)]))
		}
	}
	idx := ib.NewArray()
	defer idx.Release()
	return array.NewDictionaryArray(dictStringType, idx, dict)
}

func record(cols ...arrow.Array) arrow.RecordBatch {
	fields := make([]arrow.Field, len(cols))
	n := int64(0)
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: c.DataType(), Nullable: true}
		n = int64(c.Len())
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, n)
}

// render prints every row of a result the way the tests spell expectations.
func render(a arrow.Array) []string {
	out := make([]string, a.Len())
	for i := range out {
		out[i] = ValueAt(a, i).String()
	}
	return out
}

// fixture is a set of input columns (given as type + values) shared by a
// table of cases.
type fixture struct {
	types []types.Type
	rows  [][]any // rows[c] are the values of column c
}

func (f fixture) record(mem memory.Allocator, dict bool) arrow.RecordBatch {
	cols := make([]arrow.Array, len(f.types))
	for i, t := range f.types {
		cols[i] = column(mem, t, f.rows[i]...)
		if dict && t.ID == types.String {
			d := dictionary(mem, cols[i])
			cols[i].Release()
			cols[i] = d
		}
	}
	rec := record(cols...)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

type evalCase struct {
	name string
	e    *expr.Expr
	want []string // rendered rows, or nil when err is set
	err  string   // substring of the expected error
}

// runCases evaluates every case over the fixture, plain and with string
// columns dictionary-encoded, checks the result type, and checks that
// Fold agrees with Eval on each row taken as a one-row batch.
func runCases(t *testing.T, f fixture, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, dict := range []bool{false, true} {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				got, err := evalFixture(mem, f, tc.e, dict)
				checkResult(t, tc, got, err, dict)
				if err == nil && tc.err == "" {
					checkFold(t, f, tc)
				}
				mem.AssertSize(t, 0)
			}
		})
	}
}

func evalFixture(mem memory.Allocator, f fixture, e *expr.Expr, dict bool) ([]string, error) {
	rec := f.record(mem, dict)
	defer rec.Release()
	ev, err := Compile(e, Options{Mem: mem})
	if err != nil {
		return nil, err
	}
	res, err := ev.Eval(context.Background(), rec)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if res.Len() != int(rec.NumRows()) {
		return nil, fmt.Errorf("result has %d rows, batch %d", res.Len(), rec.NumRows())
	}
	if rt, err := types.FromArrow(res.DataType()); err != nil || (rt != e.Type && e.Type.ID != types.Null) {
		return nil, fmt.Errorf("result type %s, want %s", res.DataType(), e.Type)
	}
	return render(res), nil
}

func checkResult(t *testing.T, tc evalCase, got []string, err error, dict bool) {
	t.Helper()
	switch {
	case tc.err != "" && err == nil:
		t.Fatalf("dict=%v: want error %q, got %v", dict, tc.err, got)
	case tc.err != "" && !strings.Contains(err.Error(), tc.err):
		t.Fatalf("dict=%v: want error %q, got %v", dict, tc.err, err)
	case tc.err == "" && err != nil:
		t.Fatalf("dict=%v: %v", dict, err)
	case tc.err == "" && strings.Join(got, "|") != strings.Join(tc.want, "|"):
		t.Fatalf("dict=%v:\n got %q\nwant %q", dict, got, tc.want)
	}
}

// checkFold substitutes each row's values for the columns and folds.
func checkFold(t *testing.T, f fixture, tc evalCase) {
	t.Helper()
	mem := memory.NewGoAllocator()
	rec := f.record(mem, false)
	defer rec.Release()
	for i := range int(rec.NumRows()) {
		e, _ := expr.Transform(tc.e, func(n *expr.Expr) (*expr.Expr, error) {
			if n.Kind != expr.KindColumn {
				return n, nil
			}
			v := ValueAt(rec.Column(n.Index), i)
			l := expr.Lit(retype(v, n.Type))
			return l, nil
		})
		v, err := Fold(e)
		if err != nil {
			t.Fatalf("fold row %d (%s): %v", i, e, err)
		}
		if v.String() != tc.want[i] {
			t.Fatalf("fold row %d (%s) = %s, eval gave %s", i, e, v, tc.want[i])
		}
	}
}

// evalOne evaluates a column-free expression on a one-row batch.
func evalOne(t *testing.T, e *expr.Expr) (string, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	got, err := evalFixture(mem, fixture{types: []types.Type{types.Int64Type}, rows: [][]any{{1}}}, e, false)
	if err != nil {
		return "", err
	}
	return got[0], nil
}

// runCasesNoFold is runCases without the per-row Fold check (long inputs).
func runCasesNoFold(t *testing.T, f fixture, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, dict := range []bool{false, true} {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				got, err := evalFixture(mem, f, tc.e, dict)
				checkResult(t, tc, got, err, dict)
				mem.AssertSize(t, 0)
			}
		})
	}
}
