package jobplan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

type textkit struct{}

func (textkit) ResolveFunc(name string, args []types.Type) (types.Type, error) {
	if name == "textkit.slug" && len(args) == 1 && args[0] == types.StringType {
		return types.StringType, nil
	}
	return types.Type{}, fmt.Errorf("textkit has no %s(%v)", name, args)
}

const pluginJob = `job "p" {
  plugin "textkit" {
    source = "bin/textkit"
  }
  source "customers" {
    format = "parquet"
    path   = "data/customers/"
  }
  view "slugs" {
    sql = "SELECT customer_id, textkit.slug(name) AS slug FROM customers"
  }
  view "structured" {
    from   = "customers"
    select = ["textkit.slug(country) AS c"]
  }
  sink "out" {
    from   = "slugs"
    format = "csv"
    path   = "out/"
  }
}
`

func TestBuildPluginFunctions(t *testing.T) {
	job, err := jobspec.ParseSource([]byte(pluginJob), "p.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Build(context.Background(), job, inferred, textkit{})
	if err != nil {
		t.Fatal(err)
	}
	got := logical.FormatPlan(plan)
	if !strings.Contains(got, "textkit.slug(customers.name#2) AS slug") {
		t.Errorf("plan:\n%s", got)
	}
	_, err = Build(context.Background(), job, inferred, nil)
	if !errors.Is(err, expr.ErrUnknownFunction) || !strings.Contains(err.Error(), `p.hcl:10:11: view "slugs": select: unknown function "textkit.slug"`) {
		t.Errorf("without a resolver: %v", err)
	}
}

// TestPlansAreBound walks every plan of the golden jobs and checks that no
// expression is left unbound or holds an aggregate marker.
func TestPlansAreBound(t *testing.T) {
	for _, path := range []string{"../jobspec/testdata/jobspec_example.hcl", "testdata/structured.hcl", "testdata/sql_views.hcl"} {
		job, err := jobspec.ParseFile(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := Build(context.Background(), job, inferred, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range plan.Sinks {
			checkBound(t, path, w)
		}
	}
}

func checkBound(t *testing.T, path string, n logical.Node) {
	t.Helper()
	for _, e := range nodeExprs(n) {
		expr.Walk(e, func(x *expr.Expr) bool {
			if x.Kind == expr.KindColumn && x.Index == expr.Unbound || x.Kind == expr.KindCall && strings.HasPrefix(x.Name, "$") {
				t.Errorf("%s: %s holds unbound %s", path, n.Describe(), x)
			}
			return true
		})
	}
	for _, c := range n.Children() {
		checkBound(t, path, c)
	}
}

func nodeExprs(n logical.Node) []*expr.Expr {
	switch x := n.(type) {
	case *logical.Filter:
		return []*expr.Expr{x.Cond}
	case *logical.Project:
		return x.Exprs
	case *logical.Aggregate:
		out := append([]*expr.Expr(nil), x.GroupBy...)
		for _, a := range x.Aggs {
			if a.Arg != nil {
				out = append(out, a.Arg)
			}
		}
		return out
	case *logical.Join:
		out := append(append([]*expr.Expr(nil), x.LeftKeys...), x.RightKeys...)
		if x.Filter != nil {
			out = append(out, x.Filter)
		}
		return out
	case *logical.Sort:
		var out []*expr.Expr
		for _, k := range x.Keys {
			out = append(out, k.Expr)
		}
		return out
	}
	return nil
}
