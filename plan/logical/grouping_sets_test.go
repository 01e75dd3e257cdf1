package logical

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestGroupingSetExpansion(t *testing.T) {
	a, b, c := []int{0}, []int{1}, []int{2}
	for _, tc := range []struct {
		name string
		got  [][]int
		want string
	}{
		// DuckDB's orders (transform_select.cpp: ROLLUP grows from (),
		// CUBE recurses adding later elements).
		{"rollup", Rollup([][]int{a, b, c}), "[[] [0] [0 1] [0 1 2]]"},
		{"rollup composite", Rollup([][]int{{0, 1}, c}), "[[] [0 1] [0 1 2]]"},
		{"cube", mustSets(Cube([][]int{a, b})), "[[] [0] [0 1] [1]]"},
		{"cube of three", mustSets(Cube([][]int{a, b, c})), "[[] [0] [0 1] [0 1 2] [0 2] [1] [1 2] [2]]"},
		{"a, rollup(b, c)", mustSets(CrossSets([][]int{a}, Rollup([][]int{b, c}))), "[[0] [0 1] [0 1 2]]"},
		{"a, rollup(a)", mustSets(CrossSets([][]int{a}, Rollup([][]int{a}))), "[[0] [0]]"},
		{"rollup(a), cube(b)", mustSets(CrossSets(Rollup([][]int{a}), mustSets(Cube([][]int{b})))), "[[] [1] [0] [0 1]]"},
	} {
		if got := fmt.Sprint(tc.got); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestGroupingID pins the convention DuckDB's grouping.test shows:
// GROUPING(course, type) is 2 on rows grouped by type only, the first
// argument being the most significant bit.
func TestGroupingID(t *testing.T) {
	for _, tc := range []struct {
		set  []int
		n    int
		want int64
	}{
		{[]int{0, 1}, 2, 0}, {[]int{0}, 2, 1}, {[]int{1}, 2, 2}, {nil, 2, 3},
		{[]int{1}, 3, 5}, {[]int{0, 2}, 3, 2},
	} {
		if got := GroupingID(tc.set, tc.n); got != tc.want {
			t.Errorf("GroupingID(%v, %d) = %d, want %d", tc.set, tc.n, got, tc.want)
		}
	}
}

func testInput() *Values {
	v, err := NewValues([][]*expr.Expr{{expr.Lit(types.StringValue("cs")), expr.Lit(types.StringValue("phd")), expr.Lit(types.Int64Value(1))}},
		[]string{"course", "type", "n"}, "s")
	if err != nil {
		panic(err)
	}
	return v
}

func testKeys(in Node) []*expr.Expr {
	s := in.Schema()
	return []*expr.Expr{expr.BoundCol(0, s.Fields[0]), expr.BoundCol(1, s.Fields[1])}
}

func TestGroupingExpressions(t *testing.T) {
	in := testInput()
	aggs := []AggExpr{{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type}}
	g, err := GroupingSets(in, testKeys(in), []string{"course", "type"}, mustSets(Cube([][]int{{0}, {1}})), aggs, "")
	if err != nil {
		t.Fatal(err)
	}
	if names := g.Node.Schema().Names(); fmt.Sprint(names) != "[course type __grouping_id n]" {
		t.Fatalf("output %v", names)
	}
	for _, tc := range []struct {
		args []int
		want string
	}{
		{nil, "__grouping_id#2"},
		{[]int{0, 1}, "__grouping_id#2"},
		// The sets' ids in CUBE's order: () 3, (course) 1, (course, type) 0, (type) 2.
		{[]int{0}, "case((__grouping_id#2 = 3), 1, (__grouping_id#2 = 1), 0, (__grouping_id#2 = 0), 0, 1)"},
		{[]int{1, 0}, "case((__grouping_id#2 = 3), 3, (__grouping_id#2 = 1), 2, (__grouping_id#2 = 0), 0, 1)"},
	} {
		e, err := g.Grouping(tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		if e.String() != tc.want || e.Type != types.Int64Type {
			t.Errorf("Grouping(%v) = %s (%s), want %s", tc.args, e, e.Type, tc.want)
		}
	}
	if _, err := g.Grouping(2); !errors.Is(err, ErrGroupingSets) {
		t.Errorf("Grouping(2): %v", err)
	}
	// One set: every GROUPING value is a constant.
	one, err := GroupingSets(in, testKeys(in), []string{"course", "type"}, [][]int{{1}}, aggs, "")
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := one.Grouping(0, 1); e.String() != "2" {
		t.Errorf("one set: Grouping(0, 1) = %s, want 2", e)
	}
}

func TestGroupingSetsErrors(t *testing.T) {
	in := testInput()
	keys := testKeys(in)
	for name, sets := range map[string][][]int{
		"no sets":          nil,
		"key out of range": {{0, 2}},
		"negative key":     {{-1}},
	} {
		if _, err := GroupingSets(in, keys, []string{"course", "type"}, sets, nil, ""); !errors.Is(err, ErrGroupingSets) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := GroupingSets(in, keys, []string{"course"}, [][]int{{0}}, nil, ""); !errors.Is(err, ErrGroupingSets) {
		t.Errorf("names: %v", err)
	}
}

// TestSeparateEmptySets: the plan for aggregates that see NULLs unions the
// non-empty sets' Expand plan with one global aggregate per empty set, and
// all parts line up.
func TestSeparateEmptySets(t *testing.T) {
	in := testInput()
	b := &groupingBuilder{input: in, keys: testKeys(in), names: []string{"course", "type"},
		aggs: []AggExpr{{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type}}}
	n, err := b.separateEmpty([][]int{{0}, {}, {0, 1}, {}})
	if err != nil {
		t.Fatal(err)
	}
	u, ok := n.(*Union)
	if !ok || len(u.Inputs) != 3 {
		t.Fatalf("want a union of 3 parts, got\n%s", Format(n))
	}
	want := u.Inputs[0].Schema()
	for i, p := range u.Inputs {
		s := p.Schema()
		for c, f := range s.Fields {
			if f.Type != want.Fields[c].Type {
				t.Errorf("part %d column %d is %s, part 0 has %s", i, c, f.Type, want.Fields[c].Type)
			}
		}
	}
	if _, ok := u.Inputs[0].(*Project).Input.(*Aggregate); !ok {
		t.Errorf("empty set part is not a global aggregate:\n%s", Format(u.Inputs[0]))
	}
}

// mustSets unwraps a set expansion that cannot fail in these tests.
func mustSets(sets [][]int, err error) [][]int {
	if err != nil {
		panic(err)
	}
	return sets
}

func TestSetExpansionLimits(t *testing.T) {
	elems := make([][]int, 17)
	for i := range elems {
		elems[i] = []int{i}
	}
	if _, err := Cube(elems); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("CUBE of 17: %v", err)
	}
	big := make([][]int, 300)
	if _, err := CrossSets(big, big); err == nil {
		t.Error("300 × 300 sets: no error")
	}
	if got := fmt.Sprint(DefaultValuesNames(3)); got != "[col0 col1 col2]" {
		t.Errorf("default VALUES names %s", got)
	}
}
