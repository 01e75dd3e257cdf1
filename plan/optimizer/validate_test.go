package optimizer

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func TestValidate(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:string?")
	u := scan("u", 100, "a:int32")
	outOfRange := col(s, "a")
	outOfRange.Index = 5
	wrongName := col(s, "a")
	wrongName.Name = "zz"
	wrongType := col(s, "a")
	wrongType.Type = types.Int32Type
	notNull := col(s, "b")
	notNull.Nullable = false
	badProj := scan("t", 100, "a:int64")
	badProj.Projection = []int{3}
	badJoin := join(logical.InnerJoin, s, u, "a", "a")
	w := write(s)
	w.PartitionBy = []string{"nope"}
	tests := []struct {
		name string
		in   logical.Node
		want string
	}{
		{"index out of range", filter(s, gt(outOfRange, lit(1))), "index out of range"},
		{"name mismatch", filter(s, gt(wrongName, lit(1))), "input column 0 is t.a"},
		{"type mismatch", project(s, "x", wrongType), "type int32"},
		{"nullability", project(s, "x", notNull), "marked not null"},
		{"non-bool filter", filter(s, col(s, "a")), "not bool"},
		{"projection ordinal", badProj, "projection ordinal 3"},
		{"names and exprs", &logical.Project{Input: s, Exprs: []*expr.Expr{col(s, "a")}}, "1 expressions but 0 names"},
		{"join key types", badJoin, "key 0: int64 vs int32"},
		{"union types", &logical.Union{Inputs: []logical.Node{s, project(s, "b", col(s, "b"), "a", col(s, "a"))}}, "input 1 column 0"},
		{"partition column", w, `partition column "nope"`},
		{"count star arg", groupBy(s, nil, logical.AggExpr{Func: expr.AggSum, Name: "x", Type: types.Int64Type}), "only count(*)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.in)
			if !errors.Is(err, ErrInvalidPlan) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want ErrInvalidPlan mentioning %q", err, tt.want)
			}
		})
	}
	if err := Validate(filter(s, gt(col(s, "a"), lit(1)))); err != nil {
		t.Errorf("valid plan rejected: %v", err)
	}
}

func TestOptimizeRejectsInvalidInput(t *testing.T) {
	s := scan("t", 100, "a:int64")
	bad := col(s, "a")
	bad.Index = 2
	_, err := Optimize(planOf(write(filter(s, gt(bad, lit(1))))), Config{})
	if !errors.Is(err, ErrInvalidPlan) {
		t.Fatalf("want ErrInvalidPlan, got %v", err)
	}
}

func TestOptimizeNamesBrokenRule(t *testing.T) {
	s := scan("t", 100, "a:int64")
	breaker := Rule{Name: "breaker", Apply: func(n logical.Node, _ Config) (logical.Node, error) {
		c := col(s, "a")
		c.Index = 7
		return n.WithChildren(filter(s, gt(c, lit(1)))), nil
	}}
	_, err := Optimize(planOf(write(s)), Config{Rules: []Rule{breaker}})
	if !errors.Is(err, ErrInvalidPlan) || !strings.Contains(err.Error(), "rule breaker") {
		t.Fatalf("want the rule named in an ErrInvalidPlan, got %v", err)
	}
}
