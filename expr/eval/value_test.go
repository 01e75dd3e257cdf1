package eval

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestMakeArrayValueAt(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, v := range []types.Value{
		types.BoolValue(true), types.Int32Value(-3), types.Int64Value(1 << 40),
		{Type: f32T, F: 1.5}, types.Float64Value(-0.25), types.StringValue("héllo"),
		ldec("-12.345", 9, 3).Value, types.DateValue(-1), types.TimestampValue(1_700_000_000_000_001),
		types.NullValue(i64T), types.NullValue(strT), types.NullValue(types.NullType),
	} {
		a := MakeArray(v, 3, mem)
		if a.Len() != 3 {
			t.Fatalf("%s: len %d", v, a.Len())
		}
		for i := range 3 {
			if got := ValueAt(a, i); got != v {
				t.Errorf("ValueAt(MakeArray(%s)) = %#v", v, got)
			}
		}
		a.Release()
	}
}

// TestNonCanonicalColumns feeds Arrow layouts readers may produce: narrow
// ints, large strings, ns timestamps, dictionaries with int8 indices.
func TestNonCanonicalColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	i8 := array.NewInt8Builder(mem)
	i8.AppendValues([]int8{1, -2}, nil)
	ls := array.NewLargeStringBuilder(mem)
	ls.AppendValues([]string{"x", "yy"}, nil)
	tsb := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Nanosecond})
	tsb.AppendValues([]arrow.Timestamp{1_500, -1}, nil)
	db := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String})
	db.(*array.BinaryDictionaryBuilder).AppendString("q")
	db.(*array.BinaryDictionaryBuilder).AppendString("q")
	cols := []arrow.Array{i8.NewArray(), ls.NewArray(), tsb.NewArray(), db.NewArray()}
	for _, b := range []array.Builder{i8, ls, tsb, db} {
		b.Release()
	}
	rec := record(cols...)
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	for _, tc := range []struct {
		e    *expr.Expr
		want string
	}{
		{fn(expr.FnAdd, i32T, bcol(0, i32T), li32(1)), "2,-1"},
		{fn(expr.FnLength, i64T, bcol(1, strT)), "1,2"},
		{cast(bcol(2, tsT), strT), `"1970-01-01 00:00:00.000001","1969-12-31 23:59:59.999999"`},
		{fn(expr.FnEq, boolT, bcol(3, strT), lstr("q")), "true,true"},
	} {
		ev, err := Compile(tc.e, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		res, err := ev.Eval(context.Background(), rec)
		if err != nil {
			t.Fatalf("%s: %v", tc.e, err)
		}
		if got := joinRendered(res); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.e, got, tc.want)
		}
		res.Release()
	}
	if _, err := evalWrongType(mem, rec); err == nil {
		t.Error("column type mismatch not reported")
	}
}

func joinRendered(a arrow.Array) string {
	out := ""
	for i, s := range render(a) {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func evalWrongType(mem memory.Allocator, rec arrow.RecordBatch) (arrow.Array, error) {
	ev, err := Compile(fn(expr.FnIsNull, boolT, bcol(1, i64T)), Options{Mem: mem})
	if err != nil {
		return nil, err
	}
	return ev.Eval(context.Background(), rec)
}
