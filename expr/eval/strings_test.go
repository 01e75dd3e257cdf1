package eval

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestStringFunctions(t *testing.T) {
	f := fixture{
		types: []types.Type{strT, i64T},
		rows:  [][]any{{"  Héllo  ", "abc", "", nil, "日本語テキスト"}, {2, -2, 0, 1, nil}},
	}
	s, k := bcol(0, strT), bcol(1, i64T)
	runCases(t, f, []evalCase{
		{"upper", fn(expr.FnUpper, strT, s), []string{`"  HÉLLO  "`, `"ABC"`, `""`, "NULL", `"日本語テキスト"`}, ""},
		{"lower", fn(expr.FnLower, strT, lstr("ÀB")), []string{`"àb"`, `"àb"`, `"àb"`, `"àb"`, `"àb"`}, ""},
		{"length counts characters", fn(expr.FnLength, i64T, s), []string{"9", "3", "0", "NULL", "7"}, ""},
		{"trim", fn(expr.FnTrim, strT, s), []string{`"Héllo"`, `"abc"`, `""`, "NULL", `"日本語テキスト"`}, ""},
		{"ltrim", fn(expr.FnLTrim, strT, s), []string{`"Héllo  "`, `"abc"`, `""`, "NULL", `"日本語テキスト"`}, ""},
		{"rtrim", fn(expr.FnRTrim, strT, s), []string{`"  Héllo"`, `"abc"`, `""`, "NULL", `"日本語テキスト"`}, ""},
		{"trim chars", fn(expr.FnTrim, strT, s, lstr(" Hoa")), []string{`"éll"`, `"bc"`, `""`, "NULL", `"日本語テキスト"`}, ""},
		{"substr from 3 len 3", fn(expr.FnSubstr, strT, s, li64(3), li64(3)), []string{`"Hél"`, `"c"`, `""`, "NULL", `"語テキ"`}, ""},
		{"substr negative start", fn(expr.FnSubstr, strT, s, li64(-3)), []string{`"o  "`, `"abc"`, `""`, "NULL", `"キスト"`}, ""},
		{"substr column start", fn(expr.FnSubstr, strT, s, k, li64(2)), []string{`" H"`, `"bc"`, `""`, "NULL", "NULL"}, ""},
		{"substr zero length", fn(expr.FnSubstr, strT, s, li64(1), li64(0)), []string{`""`, `""`, `""`, "NULL", `""`}, ""},
		{"replace", fn(expr.FnReplace, strT, s, lstr("l"), lstr("L")), []string{`"  HéLLo  "`, `"abc"`, `""`, "NULL", `"日本語テキスト"`}, ""},
		{"replace empty search", fn(expr.FnReplace, strT, s, lstr(""), lstr("x")), []string{`"  Héllo  "`, `"abc"`, `""`, "NULL", `"日本語テキスト"`}, ""},
		{"concat", fn(expr.FnConcat, strT, lstr("<"), s, lstr(">")), []string{`"<  Héllo  >"`, `"<abc>"`, `"<>"`, "NULL", `"<日本語テキスト>"`}, ""},
		{"concat NULL const", fn(expr.FnConcat, strT, s, lnull(strT)), []string{"NULL", "NULL", "NULL", "NULL", "NULL"}, ""},
		{"concat columns", fn(expr.FnConcat, strT, s, s), []string{`"  Héllo    Héllo  "`, `"abcabc"`, `""`, "NULL", `"日本語テキスト日本語テキスト"`}, ""},
	})
}

func TestSubstrSemantics(t *testing.T) {
	for _, tc := range []struct {
		pos, n int64
		want   string
	}{
		{5, 1 << 62, "k SQL"}, {-3, 1 << 62, "SQL"}, {5, 1, "k"}, {-10, 5, "Spar"},
		{0, 2, "Sp"}, {1, 2, "Sp"}, {100, 2, ""}, {2, -1, ""}, {-100, 1 << 62, "Spark SQL"},
		{3, 1<<63 - 1, "ark SQL"},
	} {
		if got := substr("Spark SQL", tc.pos, tc.n); got != tc.want {
			t.Errorf("substr(%d, %d) = %q, want %q", tc.pos, tc.n, got, tc.want)
		}
	}
}

// TestDictionaryResults checks that string functions of a dictionary
// column stay dictionary-encoded and other results are plain.
func TestDictionaryResults(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f := fixture{types: []types.Type{strT}, rows: [][]any{{"b", "a", "b", "a", nil, "b"}}}
	rec := f.record(mem, true)
	defer rec.Release()
	for _, tc := range []struct {
		e    *expr.Expr
		dict bool
	}{
		{fn(expr.FnUpper, strT, bcol(0, strT)), true},
		{fn(expr.FnConcat, strT, bcol(0, strT), lstr("!")), true},
		{fn(expr.FnLength, i64T, bcol(0, strT)), false},
		{fn(expr.FnEq, boolT, bcol(0, strT), lstr("a")), false},
		{bcol(0, strT), true},
	} {
		ev, err := Compile(tc.e, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		res, err := ev.Eval(context.Background(), rec)
		if err != nil {
			t.Fatal(err)
		}
		if isDict := res.DataType().ID() == arrow.DICTIONARY; isDict != tc.dict {
			t.Errorf("%s: dictionary result %v, want %v", tc.e, isDict, tc.dict)
		}
		res.Release()
	}
}
