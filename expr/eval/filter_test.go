package eval

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestFilter(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f := fixture{
		types: []types.Type{i64T, strT},
		rows:  [][]any{{1, 7, nil, 9, 3}, {"a", "b", "c", nil, "a"}},
	}
	rec := f.record(mem, true)
	defer rec.Release()
	filter := func(e *expr.Expr) arrow.RecordBatch {
		t.Helper()
		ev, err := Compile(e, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		out, err := Filter(context.Background(), rec, ev)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := filter(fn(expr.FnGt, boolT, bcol(0, i64T), li64(2)))
	if got := strings.Join(render(out.Column(0)), ","); got != "7,9,3" {
		t.Errorf("kept %s", got)
	}
	if got := strings.Join(render(out.Column(1)), ","); got != `"b",NULL,"a"` {
		t.Errorf("strings %s", got)
	}
	if out.Column(1).DataType().ID() != arrow.DICTIONARY {
		t.Error("dictionary column decoded by Filter")
	}
	out.Release()

	all := filter(fn(expr.FnIsNotNull, boolT, bcol(0, types.Int64Type)))
	none := filter(fn(expr.FnEq, boolT, bcol(1, strT), lstr("zz")))
	if all.NumRows() != 4 || none.NumRows() != 0 || none.NumCols() != 2 {
		t.Errorf("rows: %d, %d", all.NumRows(), none.NumRows())
	}
	all.Release()
	none.Release()
	same := filter(lbool(true))
	if same != rec {
		t.Error("all-pass filter did not return the input")
	}
	same.Release()
}

func TestFilterSlicedInput(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	vals := make([]any, 100)
	for i := range vals {
		vals[i] = i
	}
	f := fixture{types: []types.Type{i64T, boolT}, rows: [][]any{vals, make([]any, 100)}}
	for i := range f.rows[1] {
		f.rows[1][i] = i%2 == 0
	}
	full := f.record(mem, false)
	defer full.Release()
	rec := full.NewSlice(13, 37) // offsets not multiples of 8
	defer rec.Release()
	ev, err := Compile(fn(expr.FnAnd, boolT, bcol(1, boolT), fn(expr.FnLt, boolT, bcol(0, i64T), li64(20))), Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Filter(context.Background(), rec, ev)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if got := strings.Join(render(out.Column(0)), ","); got != "14,16,18" {
		t.Errorf("kept %s", got)
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		e    *expr.Expr
		want string
		err  string
	}{
		{fn(expr.FnAdd, i64T, li64(1), li64(2)), "3", ""},
		{fn(expr.FnAdd, i64T, lnull(i64T), li64(2)), "NULL", ""},
		{fn(expr.FnConcat, strT, lstr("a"), cast(li64(5), strT)), `"a5"`, ""},
		{fn(expr.FnIn, boolT, li64(2), li64(1), lnull(i64T)), "NULL", ""},
		{fn(expr.FnLike, boolT, lstr("abc"), lstr("a_c")), "true", ""},
		{cast(lstr("12x"), i64T), "", `cannot cast "12x" to int64`},
		{fn(expr.FnAdd, i64T, bcol(0, i64T), li64(2)), "", "reads column"},
	} {
		v, err := Fold(tc.e)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("Fold(%s): err %v, want %q", tc.e, err, tc.err)
		case tc.err == "" && (err != nil || v.String() != tc.want || v.Type != tc.e.Type):
			t.Errorf("Fold(%s) = %s (%s), %v; want %s", tc.e, v, v.Type, err, tc.want)
		}
	}
}

func TestCompileFoldsConstants(t *testing.T) {
	ev, err := Compile(fn(expr.FnLt, boolT, bcol(0, dateT), cast(lstr("2020-01-01"), dateT)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if lit, ok := ev.root.(*callNode).args[1].(*litNode); !ok || lit.val.Type != dateT {
		t.Errorf("cast of a literal not folded: %#v", ev.root.(*callNode).args[1])
	}
	// a constant that fails stays unevaluated until a batch needs it
	if _, err := Compile(cast(lstr("x"), i64T), Options{}); err != nil {
		t.Errorf("failing constant broke Compile: %v", err)
	}
}

// fakeUDF implements "t.twice" (int64 × 2) and "t.bad" (wrong type), and
// records how many rows each call saw.
type fakeUDF struct{ rows []int }

func (f *fakeUDF) CallScalar(ctx context.Context, name string, args []arrow.Array, rt types.Type) (arrow.Array, error) {
	f.rows = append(f.rows, args[0].Len())
	for _, a := range args {
		if a.DataType().ID() == arrow.DICTIONARY {
			return nil, errors.New("dictionary argument")
		}
	}
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	in := args[0].(*array.Int64)
	for i := range in.Len() {
		if in.IsNull(i) {
			b.AppendNull()
		} else {
			b.Append(2 * in.Value(i))
		}
	}
	if name == "t.bad" {
		return array.NewNull(in.Len()), nil
	}
	return b.NewArray(), nil
}

func TestUDF(t *testing.T) {
	udf := &fakeUDF{}
	f := fixture{types: []types.Type{i64T}, rows: [][]any{{1, nil, 3, 4}}}
	mem := memory.NewGoAllocator()
	rec := f.record(mem, false)
	defer rec.Release()
	run := func(e *expr.Expr) ([]string, error) {
		ev, err := Compile(e, Options{UDF: udf, Mem: mem})
		if err != nil {
			return nil, err
		}
		res, err := ev.Eval(context.Background(), rec)
		if err != nil {
			return nil, err
		}
		defer res.Release()
		return render(res), nil
	}
	got, err := run(fn("t.twice", i64T, bcol(0, i64T)))
	if err != nil || strings.Join(got, ",") != "2,NULL,6,8" {
		t.Errorf("t.twice = %v, %v", got, err)
	}
	udf.rows = nil
	got, err = run(fn(expr.FnCase, i64T, fn(expr.FnGt, boolT, bcol(0, i64T), li64(3)), fn("t.twice", i64T, bcol(0, i64T)), li64(0)))
	if err != nil || strings.Join(got, ",") != "0,0,0,8" || len(udf.rows) != 1 || udf.rows[0] != 1 {
		t.Errorf("case over plugin = %v, %v; plugin saw %v rows", got, err, udf.rows)
	}
	if _, err := run(fn("t.bad", i64T, bcol(0, i64T))); !errors.Is(err, ErrUDF) {
		t.Errorf("wrong result type: %v", err)
	}
	if _, err := Compile(fn("t.twice", i64T, bcol(0, i64T)), Options{}); err == nil {
		t.Error("plugin call compiled without a UDF runtime")
	}
}
