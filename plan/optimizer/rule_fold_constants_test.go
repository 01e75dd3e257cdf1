package optimizer

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func TestFoldConstants(t *testing.T) {
	s := scan("t", 100, "a:int64?", "b:int64", "s:string")
	a, b := col(s, "a"), col(s, "b")
	nullBool := lit(types.NullValue(types.BoolType))
	caseOf := func(args ...*expr.Expr) *expr.Expr { return call(expr.FnCase, types.Int64Type, args...) }
	tests := []struct {
		name string
		in   *expr.Expr
		want string
	}{
		{"literal comparison", lt(lit(1), lit(2)), "true"},
		{"null comparison", eq(lit(types.NullValue(types.Int64Type)), lit(2)), "NULL"},
		{"and true", and(gt(a, lit(1)), eq(lit(1), lit(1))), "(t.a#0 > 1)"},
		{"and false", and(gt(a, lit(1)), lit(false)), "false"},
		{"false and", and(lit(false), gt(a, lit(1))), "false"},
		{"or true", or(gt(a, lit(1)), lit(true)), "true"},
		{"or false", or(lit(false), gt(a, lit(1))), "(t.a#0 > 1)"},
		{"and null stays", and(gt(a, lit(1)), nullBool), "(t.a#0 > 1) AND NULL"},
		{"not not", not(not(gt(a, b))), "(t.a#0 > t.b#1)"},
		{"not literal", not(lit(false)), "true"},
		{"nested", or(and(lit(true), lit(true)), gt(a, b)), "true"},
		{"case false arm", caseOf(lit(false), lit(1), gt(a, b), lit(2), lit(3)), "case((t.a#0 > t.b#1), 2, 3)"},
		{"case true arm", caseOf(gt(a, b), lit(1), lit(true), lit(2), lit(3)), "case((t.a#0 > t.b#1), 1, 2)"},
		{"case first true", caseOf(lt(lit(1), lit(2)), a, lit(3)), "t.a#0"},
		{"case null arm", caseOf(nullBool, lit(1), a), "t.a#0"},
		{"coalesce", call(expr.FnCoalesce, types.Int64Type, lit(types.NullValue(types.Int64Type)), a, lit(5), b), "coalesce(t.a#0, 5)"},
		{"coalesce literal first", call(expr.FnCoalesce, types.Int64Type, lit(7), a), "7"},
		{"plugin not folded", twice(lit(2)), "test.twice(2)"},
		{"arithmetic", add(lit(1), lit(2)), "3"},
		{"cast", expr.Cast(lit("2026-11-20"), types.DateType), "DATE '2026-11-20'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := foldExpr(tt.in, true)
			if err != nil {
				t.Fatal(err)
			}
			if g := got.String(); g != tt.want && g != "("+tt.want+")" {
				t.Errorf("fold(%s) = %s, want %s", tt.in, g, tt.want)
			}
		})
	}
}

func TestFoldConstantsPlan(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64")
	f := filter(s, and(gt(col(s, "a"), lit(1)), eq(lit(2), lit(2))))
	p := project(f, "x", add(col(f, "a"), lit(1)), "c", call(expr.FnCase, types.Int64Type, lit(true), col(f, "b"), lit(0)))
	f2 := filter(p, eq(lit("x"), lit("x")))
	l := join(logical.InnerJoin, f2, scan("u", 10, "x:int64"), "x", "x")
	l.Filter = eq(lit(1), lit(1))
	out := applyOne(t, FoldConstants, write(l), Config{})
	checkFormat(t, out, `
		Write out [parquet out/] mode=error
		  Join inner auto on [x#0] = [u.x#0]
		    Project (t.a#0 + 1) AS x, t.b#1 AS c
		      Filter (t.a#0 > 1)
		        Scan t [parquet data/t] columns=[a, b]
		    Scan u [parquet data/u] columns=[x]
	`)
}

func TestFoldConstantsErrors(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64")
	boom := errors.New("boom")
	old := foldFn
	defer func() { foldFn = old }()
	foldFn = func(e *expr.Expr) (types.Value, error) {
		if e.IsCall(expr.FnCast) {
			return types.Value{}, boom
		}
		return old(e)
	}
	bad := expr.Cast(lit("x"), types.Int64Type)

	// Every row evaluates the projection: a plan-time error.
	_, err := FoldConstants.Apply(write(project(s, "x", bad)), Config{})
	if !errors.Is(err, ErrConstantFails) || !errors.Is(err, boom) {
		t.Fatalf("want ErrConstantFails wrapping the cause, got %v", err)
	}

	// Only some rows reach a CASE branch or the right of an AND: left alone.
	guarded := call(expr.FnCase, types.Int64Type, gt(col(s, "a"), lit(0)), bad, lit(0))
	p := project(s, "x", guarded, "a", col(s, "a"))
	cond := and(gt(col(p, "a"), lit(0)), eq(bad, lit(1)))
	out := applyOne(t, FoldConstants, write(filter(p, cond)), Config{})
	if got := logical.Format(out); strings.Count(got, `cast("x" AS int64)`) != 2 {
		t.Errorf("guarded failing constant was not kept:\n%s", got)
	}
}

func TestFoldConstantsFailingCast(t *testing.T) {
	s := scan("t", 100, "a:int64")
	bad := expr.Cast(lit("x"), types.Int64Type)
	_, err := FoldConstants.Apply(write(filter(s, gt(col(s, "a"), bad))), Config{})
	if !errors.Is(err, ErrConstantFails) || !strings.Contains(err.Error(), `cast("x" AS int64)`) {
		t.Fatalf("want ErrConstantFails naming the cast, got %v", err)
	}
}
