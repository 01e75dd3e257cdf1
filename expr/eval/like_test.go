package eval

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestLikePatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		kind    likeKind
		yes, no []string
	}{
		{"abc", likeExact, []string{"abc"}, []string{"abcd", "ab", "ABC", ""}},
		{"", likeExact, []string{""}, []string{"a"}},
		{"abc%", likePrefix, []string{"abc", "abcdef"}, []string{"xabc", "ab"}},
		{"%abc", likeSuffix, []string{"abc", "xxabc"}, []string{"abcx"}},
		{"%abc%", likeContains, []string{"abc", "xabcx"}, []string{"acb"}},
		{"%%", likeAny, []string{"", "anything"}, nil},
		{"a%%c", likeGeneral, []string{"ac", "abbc"}, []string{"ab"}},
		{"a_c", likeGeneral, []string{"abc", "aéc", "a%c"}, []string{"ac", "abbc", "aébc"}},
		{"_", likeGeneral, []string{"é", "x"}, []string{"", "xy"}},
		{"%_", likeGeneral, []string{"x", "xyz"}, []string{""}},
		{"__%__", likeGeneral, []string{"abcd", "日本語の"}, []string{"abc", "日本語"}},
		{"a%b%c", likeGeneral, []string{"abc", "aXbYc", "abcbc", "abbc"}, []string{"acb", "ab", "abcx"}},
		{"%a_c%", likeGeneral, []string{"xxabcxx", "aac", "abaac"}, []string{"ac", "abbc", "abac"}},
		{"%ab%ab", likeGeneral, []string{"abab", "xabyab"}, []string{"ab", "aba"}},
		{`100\%`, likeExact, []string{"100%"}, []string{"100", "1000"}},
		{`a\_b`, likeExact, []string{"a_b"}, []string{"axb"}},
		{`a\\b%`, likePrefix, []string{`a\b`, `a\bc`}, []string{"ab"}},
		{`%\%%`, likeContains, []string{"50%off"}, []string{"50 off"}},
		{"日本%", likePrefix, []string{"日本語"}, []string{"本日"}},
		{"%é_", likeGeneral, []string{"caféx", "éé"}, []string{"café"}},
	} {
		p, err := compileLike(tc.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tc.pattern, err)
		}
		if p.kind != tc.kind {
			t.Errorf("%q: kind %d, want %d", tc.pattern, p.kind, tc.kind)
		}
		for _, s := range tc.yes {
			if !p.match(s) {
				t.Errorf("%q LIKE %q is false", s, tc.pattern)
			}
		}
		for _, s := range tc.no {
			if p.match(s) {
				t.Errorf("%q LIKE %q is true", s, tc.pattern)
			}
		}
	}
	if _, err := compileLike(`abc\`); err == nil {
		t.Error("trailing escape accepted")
	}
}

func TestLikeEval(t *testing.T) {
	f := fixture{
		types: []types.Type{strT, strT},
		rows:  [][]any{{"Apple pie", "apple", "Ärger", nil, "crab apple"}, {"A%", "%PP%", "ä%", "%", nil}},
	}
	s, p := bcol(0, strT), bcol(1, strT)
	runCases(t, f, []evalCase{
		{"prefix", fn(expr.FnLike, boolT, s, lstr("app%")), []string{"false", "true", "false", "NULL", "false"}, ""},
		{"general", fn(expr.FnLike, boolT, s, lstr("% p_e")), []string{"true", "false", "false", "NULL", "false"}, ""},
		{"ilike", fn(expr.FnILike, boolT, s, lstr("APP%")), []string{"true", "true", "false", "NULL", "false"}, ""},
		{"ilike unicode", fn(expr.FnILike, boolT, s, lstr("ä%")), []string{"false", "false", "true", "NULL", "false"}, ""},
		{"pattern column", fn(expr.FnLike, boolT, s, p), []string{"true", "false", "false", "NULL", "NULL"}, ""},
		{"ilike pattern column", fn(expr.FnILike, boolT, s, p), []string{"true", "true", "true", "NULL", "NULL"}, ""},
		{"NULL pattern", fn(expr.FnLike, boolT, s, lnull(strT)), []string{"NULL", "NULL", "NULL", "NULL", "NULL"}, ""},
		{"starts_with", fn(expr.FnStartsWith, boolT, s, lstr("crab")), []string{"false", "false", "false", "NULL", "true"}, ""},
		{"ends_with", fn(expr.FnEndsWith, boolT, s, lstr("pie")), []string{"true", "false", "false", "NULL", "false"}, ""},
		{"contains column", fn(expr.FnContains, boolT, lstr("crab apple pie"), s), []string{"false", "true", "false", "NULL", "true"}, ""},
	})
	if _, err := Compile(fn(expr.FnLike, boolT, s, lstr(`x\`)), Options{}); err == nil || !strings.Contains(err.Error(), "escape") {
		t.Errorf("trailing escape: %v", err)
	}
}
