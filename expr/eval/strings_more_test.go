package eval

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestRegistryStringFunctions(t *testing.T) {
	f := fixture{
		types: []types.Type{strT, i64T},
		rows:  [][]any{{"a,b,,c", "héllo wORLD", "", nil, "abc"}, {2, -1, 0, 1, nil}},
	}
	s, n := c(0), c(1)
	str := func(v string) *expr.Expr { return lstr(v) }
	runSQLCases(t, f, []sqlCase{
		{"split_part", expr.FnSplitPart, []*expr.Expr{s, str(","), li64(2)}, q("b", "", "", "NULL", ""), ""},
		{"split_part negative", expr.FnSplitPart, []*expr.Expr{s, str(","), li64(-1)}, q("c", "héllo wORLD", "", "NULL", "abc"), ""},
		{"split_part column n", expr.FnSplitPart, []*expr.Expr{s, str(","), n}, q("b", "héllo wORLD", "", "NULL", "NULL"), ""},
		{"concat_ws skips NULLs", expr.FnConcatWS, []*expr.Expr{str("-"), s, lnull(strT), str("z")}, q("a,b,,c-z", "héllo wORLD-z", "-z", "z", "abc-z"), ""},
		{"concat_ws NULL sep", expr.FnConcatWS, []*expr.Expr{lnull(strT), s}, q("NULL", "NULL", "NULL", "NULL", "NULL"), ""},
		{"lpad", expr.FnLPad, []*expr.Expr{s, li64(5), str("xy")}, q("a,b,,", "héllo", "xyxyx", "NULL", "xyabc"), ""},
		{"rpad default space", expr.FnRPad, []*expr.Expr{s, li64(4)}, q("a,b,", "héll", "    ", "NULL", "abc "), ""},
		{"lpad empty pad errors", expr.FnLPad, []*expr.Expr{s, li64(9), str("")}, nil, "insufficient padding"},
		{"strpos", expr.FnStrpos, []*expr.Expr{s, str("l")}, []string{"0", "3", "0", "NULL", "0"}, ""},
		{"locate from 4", expr.FnLocate, []*expr.Expr{str("l"), s, li64(4)}, []string{"0", "4", "0", "NULL", "0"}, ""},
		{"initcap", expr.FnInitcap, []*expr.Expr{s}, q("A,b,,c", "Héllo World", "", "NULL", "Abc"), ""},
		{"translate", expr.FnTranslate, []*expr.Expr{s, str("a,l"), str("A")}, q("Abc", "héo wORLD", "", "NULL", "Abc"), ""},
		{"repeat", expr.FnRepeat, []*expr.Expr{s, n}, q("a,b,,ca,b,,c", "", "", "NULL", "NULL"), ""},
		{"reverse", expr.FnReverse, []*expr.Expr{s}, q("c,,b,a", "DLROw olléh", "", "NULL", "cba"), ""},
		{"left", expr.FnLeft, []*expr.Expr{s, n}, q("a,", "héllo wORL", "", "NULL", "NULL"), ""},
		{"right", expr.FnRight, []*expr.Expr{s, li64(-2)}, q("b,,c", "llo wORLD", "", "NULL", "c"), ""},
		{"ascii", expr.FnASCII, []*expr.Expr{s}, []string{"97", "104", "0", "NULL", "97"}, ""},
		{"regexp_like", expr.FnRegexpLike, []*expr.Expr{s, str("^[a-z]+$")}, []string{"false", "false", "false", "NULL", "true"}, ""},
		{"regexp_extract group", expr.FnRegexpExtract, []*expr.Expr{s, str("([a-z])(l+)"), li64(2)}, q("", "l", "", "NULL", ""), ""},
		{"regexp_extract default group 0", expr.FnRegexpExtract, []*expr.Expr{s, str("b.")}, q("b,", "", "", "NULL", "bc"), ""},
		{"regexp_replace first only", expr.FnRegexpReplace, []*expr.Expr{s, str("[a-c]"), str("<\\0>")}, q("<a>,b,,c", "héllo wORLD", "", "NULL", "<a>bc"), ""},
		{"regexp_replace global", expr.FnRegexpReplace, []*expr.Expr{s, str("[a-c]"), str("$"), str("g")}, q("$,$,,$", "héllo wORLD", "", "NULL", "$$$"), ""},
		{"regexp_extract bad group", expr.FnRegexpExtract, []*expr.Expr{s, str("a"), li64(3)}, nil, "has 0"},
		{"md5", expr.FnMD5, []*expr.Expr{str("abc")}, q("900150983cd24fb0d6963f7d28e17f72", "900150983cd24fb0d6963f7d28e17f72", "900150983cd24fb0d6963f7d28e17f72", "900150983cd24fb0d6963f7d28e17f72", "900150983cd24fb0d6963f7d28e17f72"), ""},
	})
}

func TestDigests(t *testing.T) {
	for _, tc := range []struct {
		e    *expr.Expr
		want string
	}{
		{fn(expr.FnSHA1, strT, lstr("abc")), `"a9993e364706816aba3e25717850c26c9cd0d89d"`},
		{fn(expr.FnSHA256, strT, lstr("abc")), `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{fn(expr.FnSHA2, strT, lstr("abc"), li64(224)), `"23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"`},
		{fn(expr.FnSHA2, strT, lstr("abc"), li64(0)), `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{fn(expr.FnSHA2, strT, lstr("abc"), li64(100)), "NULL"},
		{fn(expr.FnCRC32, i64T, lstr("abc")), "891568578"},
		{fn(expr.FnChr, strT, li64(233)), `"é"`},
	} {
		got, err := evalOne(t, tc.e)
		if err != nil || got != tc.want {
			t.Errorf("%s = %s, %v; want %s", tc.e, got, err, tc.want)
		}
	}
	if _, err := evalOne(t, fn(expr.FnChr, strT, li64(-1))); err == nil {
		t.Errorf("chr(-1): want an error")
	}
	// Reference vectors of xxHash64 with seed 0.
	for s, want := range map[string]uint64{"": 0xEF46DB3751D8E999, "abc": 0x44BC2CF5AD770999,
		"Nobody inspects the spammish repetition": 0xFBCEA83C8A378BF1} {
		if got := XXHash64([]byte(s), 0); got != want {
			t.Errorf("XXHash64(%q) = %#x, want %#x", s, got, want)
		}
	}
}

func TestJSONExtract(t *testing.T) {
	f := fixture{types: []types.Type{strT}, rows: [][]any{{
		`{"a": {"b": [10, {"c": "x"}]}, "k y": true}`, `{"a": null}`, `not json`, nil, `[1, 2]`}}}
	runSQLCases(t, f, []sqlCase{
		{"nested array object", expr.FnJSONExtractStr, []*expr.Expr{c(0), lstr("$.a.b[1].c")}, q("x", "NULL", "NULL", "NULL", "NULL"), ""},
		{"object as text", expr.FnJSONExtractStr, []*expr.Expr{c(0), lstr("$.a")}, q(`{"b":[10,{"c":"x"}]}`, "NULL", "NULL", "NULL", "NULL"), ""},
		{"bracket key", expr.FnJSONExtractStr, []*expr.Expr{c(0), lstr("$['k y']")}, q("true", "NULL", "NULL", "NULL", "NULL"), ""},
		{"root index", expr.FnJSONExtractStr, []*expr.Expr{c(0), lstr("$[1]")}, q("NULL", "NULL", "NULL", "NULL", "2"), ""},
		{"bad path", expr.FnJSONExtractStr, []*expr.Expr{c(0), lstr("a.b")}, nil, "must start with $"},
	})
}
