package jobplan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// scorer is textkit plus a transform: kit.score appends a float64 score
// column to whatever it reads, and needs the column named by args.
type scorer struct{ textkit }

func (scorer) ResolveTransform(name string, in *types.Schema, args map[string]string) (*types.Schema, error) {
	if name != "textkit.score" {
		return nil, fmt.Errorf("no transform %s", name)
	}
	if _, err := in.Resolve("", args["column"]); err != nil {
		return nil, err
	}
	out := &types.Schema{Fields: append([]types.Field(nil), in.Fields...)}
	out.Fields = append(out.Fields, types.Field{Name: "score", Type: types.Float64Type, Nullable: true})
	return out, nil
}

const transformJob = `job "p" {
  plugin "textkit" {
    source = "bin/textkit"
  }
  source "customers" {
    format = "parquet"
    path   = "data/customers/"
  }
  view "scored" {
    from      = "customers"
    transform = "textkit.score"
    args      = { column = "name" }
  }
  view "top" {
    from   = "scored"
    where  = "scored.score > 0.5"
    select = ["name", "score"]
  }
  sink "out" {
    from   = "top"
    format = "csv"
    path   = "out/"
  }
}
`

func TestBuildTransformView(t *testing.T) {
	job, err := jobspec.ParseSource([]byte(transformJob), "p.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Build(context.Background(), job, inferred, scorer{})
	if err != nil {
		t.Fatal(err)
	}
	got := logical.FormatPlan(plan)
	if !strings.Contains(got, "Transform textkit.score(column=name) -> customer_id, country, name, score") ||
		!strings.Contains(got, "Filter (scored.score#3 > 0.5)") {
		t.Errorf("plan:\n%s", got)
	}
	_, err = Build(context.Background(), job, inferred, nil)
	if !errors.Is(err, ErrNoPlugins) || !strings.Contains(err.Error(), `p.hcl:11:17: view "scored": transform textkit.score:`) {
		t.Errorf("without plugins: %v", err)
	}
	bad, _ := jobspec.ParseSource([]byte(strings.Replace(transformJob, `column = "name"`, `column = "nmae"`, 1)), "p.hcl", nil)
	if _, err = Build(context.Background(), bad, inferred, scorer{}); err == nil || !strings.Contains(err.Error(), "nmae") {
		t.Errorf("rejected args: %v", err)
	}
}
