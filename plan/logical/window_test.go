package logical

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func windowInput() *Scan {
	return &Scan{Source: "t", Table: types.NewSchema(
		types.Field{Qualifier: "t", Name: "k", Type: types.StringType},
		types.Field{Qualifier: "t", Name: "n", Type: types.Int32Type, Nullable: true},
		types.Field{Qualifier: "t", Name: "d", Type: types.DecimalOf(10, 2), Nullable: true},
		types.Field{Qualifier: "t", Name: "day", Type: types.DateType},
		types.Field{Qualifier: "t", Name: "f", Type: types.Float64Type},
	)}
}

func int64Lit(i int64) *expr.Expr { return expr.Lit(types.Int64Value(i)) }

// TestNewWindowTypes checks result types (DuckDB's), output schema and
// defaults: frames, lag/lead offsets, the default's cast.
func TestNewWindowTypes(t *testing.T) {
	in := windowInput()
	c := func(n string) *expr.Expr { return expr.Col("", n) }
	w, err := NewWindow(in, []*expr.Expr{c("k")}, []SortKey{{Expr: c("day")}}, []WindowFuncSpec{
		{Name: "row_number", Alias: "rn"},
		{Name: "cume_dist", Alias: "cd"},
		{Name: "ntile", Args: []*expr.Expr{expr.Lit(types.Int32Value(4))}, Alias: "q"},
		{Name: "lag", Args: []*expr.Expr{c("n"), int64Lit(2), int64Lit(0)}, Alias: "lg"},
		{Name: "nth_value", Args: []*expr.Expr{c("d"), int64Lit(3)}, Alias: "third"},
		{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "s"},
		{Name: "sum", Args: []*expr.Expr{c("d")}, Alias: "sd"},
		{Name: "count", Star: true, Alias: "c"},
		{Name: "avg", Args: []*expr.Expr{c("f")}, Alias: "a", Frame: &WindowFrame{Unit: FrameRange,
			Start: FrameBound{Kind: Preceding, Offset: types.Int64Value(7)}, End: FrameBound{Kind: CurrentRow}}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := w.Schema().String()
	for _, want := range []string{"rn:int64", "cd:float64", "q:int64", "lg:int32", "third:decimal(10,2)", "s:int64", "sd:decimal(38,2)", "c:int64", "a:float64"} {
		if !strings.Contains(got, want) {
			t.Errorf("schema %s lacks %q", got, want)
		}
	}
	lg := w.Funcs[3]
	if lg.Offset != 2 || len(lg.Args) != 2 || lg.Args[1].Type != types.Int32Type {
		t.Errorf("lag: offset %d, args %v", lg.Offset, lg.Args)
	}
	if w.Funcs[5].Frame != DefaultFrame(true) {
		t.Errorf("sum frame %s, want the default with ORDER BY", w.Funcs[5].Frame)
	}
	if w.Funcs[2].Lookahead() != LookPartition || w.Funcs[0].Lookahead() != LookNone || w.Funcs[5].Lookahead() != LookPeers {
		t.Error("lookahead classes wrong")
	}
	noOrder, err := NewWindow(in, nil, nil, []WindowFuncSpec{{Name: "max", Args: []*expr.Expr{c("k")}, Alias: "m"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if noOrder.Funcs[0].Frame != DefaultFrame(false) || WindowLookahead(noOrder.Funcs) != LookPartition {
		t.Errorf("frame without ORDER BY: %s", noOrder.Funcs[0].Frame)
	}
}

// TestNewWindowErrors: every rejected form says what is wrong.
func TestNewWindowErrors(t *testing.T) {
	in := windowInput()
	c := func(n string) *expr.Expr { return expr.Col("", n) }
	byDay := []SortKey{{Expr: c("day")}}
	rng := func(s, e FrameBound) *WindowFrame { return &WindowFrame{Unit: FrameRange, Start: s, End: e} }
	pre := func(v types.Value) FrameBound { return FrameBound{Kind: Preceding, Offset: v} }
	cur := FrameBound{Kind: CurrentRow}
	cases := []struct {
		name  string
		order []SortKey
		spec  WindowFuncSpec
		want  string
	}{
		{"unknown function", byDay, WindowFuncSpec{Name: "median_absolute", Alias: "x"}, "not supported: window function median_absolute"},
		{"ranking with arguments", byDay, WindowFuncSpec{Name: "rank", Args: []*expr.Expr{c("n")}, Alias: "x"}, "takes no arguments"},
		{"lag offset not constant", byDay, WindowFuncSpec{Name: "lag", Args: []*expr.Expr{c("n"), c("n")}, Alias: "x"}, "offset must be a constant integer"},
		{"negative lag", byDay, WindowFuncSpec{Name: "lag", Args: []*expr.Expr{c("n"), int64Lit(-1)}, Alias: "x"}, "negative offset"},
		{"nth_value zero", byDay, WindowFuncSpec{Name: "nth_value", Args: []*expr.Expr{c("n"), int64Lit(0)}, Alias: "x"}, "at least 1"},
		{"ignore nulls on sum", byDay, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, IgnoreNulls: true, Alias: "x"}, "IGNORE NULLS applies"},
		{"distinct rank", byDay, WindowFuncSpec{Name: "rank", Distinct: true, Alias: "x"}, "DISTINCT applies to aggregates"},
		{"sum of strings", byDay, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("k")}, Alias: "x"}, "sum needs a numeric argument"},
		{"no alias", byDay, WindowFuncSpec{Name: "rank"}, "output name"},
		{"start after end", byDay, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "x",
			Frame: rng(cur, pre(types.Int64Value(1)))}, "frame starting from CURRENT ROW cannot end with PRECEDING"},
		{"range offset needs one key", append(byDay, SortKey{Expr: c("n")}), WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "x",
			Frame: rng(pre(types.Int64Value(1)), cur)}, "exactly one ORDER BY key"},
		{"range offset over strings", []SortKey{{Expr: c("k")}}, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "x",
			Frame: rng(pre(types.Int64Value(1)), cur)}, "not supported: RANGE offset over a string key"},
		{"fractional days", byDay, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "x",
			Frame: rng(pre(types.Float64Value(1.5)), cur)}, "not supported: RANGE offset of type float64 over a date key"},
		{"negative offset", byDay, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "x",
			Frame: rng(pre(types.Int64Value(-1)), cur)}, "must not be negative"},
		{"groups without order", nil, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "x",
			Frame: &WindowFrame{Unit: FrameGroups, Start: pre(types.Int64Value(1)), End: cur}}, "GROUPS frames need an ORDER BY"},
		{"unbounded following start", byDay, WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "x",
			Frame: rng(FrameBound{Kind: UnboundedFollowing}, FrameBound{Kind: UnboundedFollowing})}, "cannot be UNBOUNDED FOLLOWING"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewWindow(in, nil, tc.order, []WindowFuncSpec{tc.spec}, nil)
			if err == nil || !errors.Is(err, ErrWindow) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an ErrWindow containing %q", err, tc.want)
			}
		})
	}
}

// TestRangeOffsetOverDecimal normalizes offsets to the key's scale.
func TestRangeOffsetOverDecimal(t *testing.T) {
	in := windowInput()
	dec, _ := types.ParseDecimal("0.5")
	w, err := NewWindow(in, nil, []SortKey{{Expr: expr.Col("", "d")}}, []WindowFuncSpec{{Name: "count", Star: true, Alias: "c",
		Frame: &WindowFrame{Unit: FrameRange, Start: FrameBound{Kind: Preceding, Offset: dec}, End: FrameBound{Kind: Following, Offset: types.Int64Value(2)}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fr := w.Funcs[0].Frame
	if fr.Start.Offset.Decimal128().LowBits() != 50 || fr.End.Offset.Decimal128().LowBits() != 200 || fr.Start.Offset.Type.Scale != 2 {
		t.Fatalf("offsets %s, %s", fr.Start.Offset, fr.End.Offset)
	}
	if _, err := NewWindow(in, nil, []SortKey{{Expr: expr.Col("", "d")}}, []WindowFuncSpec{{Name: "count", Star: true, Alias: "c",
		Frame: &WindowFrame{Unit: FrameRange, Start: FrameBound{Kind: Preceding, Offset: types.Float64Value(0.001)}, End: FrameBound{Kind: CurrentRow}}}}, nil); err == nil {
		t.Fatal("an offset finer than the key's scale was accepted")
	}
}

// TestPlanWindows groups calls by OVER clause, keeps windows with the same
// PARTITION BY adjacent, and maps each call to its output column.
func TestPlanWindows(t *testing.T) {
	in := windowInput()
	c := func(n string) *expr.Expr { return expr.Col("", n) }
	byK := []*expr.Expr{c("k")}
	calls := []WindowCall{
		{PartitionBy: byK, OrderBy: []SortKey{{Expr: c("day")}}, Func: WindowFuncSpec{Name: "row_number", Alias: "a"}},
		{OrderBy: []SortKey{{Expr: c("day")}}, Func: WindowFuncSpec{Name: "rank", Alias: "b"}},
		{PartitionBy: byK, OrderBy: []SortKey{{Expr: c("n"), Desc: true}}, Func: WindowFuncSpec{Name: "rank", Alias: "c"}},
		{PartitionBy: byK, OrderBy: []SortKey{{Expr: c("day")}}, Func: WindowFuncSpec{Name: "sum", Args: []*expr.Expr{c("n")}, Alias: "d"}},
	}
	root, cols, err := PlanWindows(in, calls, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(Format(root))
	want := strings.Join([]string{
		"Window partition=[] order=[t.day#3] funcs=[rank() AS b]",
		"  Window partition=[t.k#0] order=[t.n#1 DESC] funcs=[rank() AS c]",
		"    Window partition=[t.k#0] order=[t.day#3] funcs=[row_number() AS a, sum(t.n#1) RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW AS d]",
		"      Scan t [ ] columns=[k, n, d, day, f]",
	}, "\n")
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	names := root.Schema().Names()
	for i, want := range []string{"a", "b", "c", "d"} {
		if names[cols[i]] != want {
			t.Errorf("call %d maps to column %d (%s), want %s", i, cols[i], names[cols[i]], want)
		}
	}
}

// TestConstantArguments accepts negated and cast literals as constants.
func TestConstantArguments(t *testing.T) {
	neg, err := expr.Bind(expr.Call(expr.FnNeg, int64Lit(1)), windowInput().Schema(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewWindow(windowInput(), nil, nil, []WindowFuncSpec{{Name: "lag", Args: []*expr.Expr{expr.Col("", "n"), neg}, Alias: "x"}}, nil); err == nil || !strings.Contains(err.Error(), "negative offset -1") {
		t.Fatalf("lag(n, -1): %v", err)
	}
	cast := expr.Cast(expr.Lit(types.Int32Value(3)), types.Int64Type)
	w, err := NewWindow(windowInput(), nil, nil, []WindowFuncSpec{{Name: "lead", Args: []*expr.Expr{expr.Col("", "n"), cast}, Alias: "x"}}, nil)
	if err != nil || w.Funcs[0].Offset != 3 {
		t.Fatalf("lead(n, CAST(3 AS BIGINT)): %v", err)
	}
}
