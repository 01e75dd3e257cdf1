package jobplan

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fakeCatalog answers with the declared schema, or the one listed here
// for sources whose schema would be inferred from files.
type fakeCatalog map[string]string

var inferred = fakeCatalog{
	"orders":    "order_id:int64 customer_id:int64 status:string amount:float64 ordered_at:timestamp",
	"customers": "customer_id:int64 country:string name:string",
	"returns":   "order_id:int64 reason:string",
}

func (c fakeCatalog) Source(_ context.Context, src *jobspec.Source) (*logical.Scan, error) {
	s := &types.Schema{}
	for _, col := range src.Schema {
		s.Fields = append(s.Fields, types.Field{Qualifier: src.Name, Name: col.Name, Type: col.Type, Nullable: true})
	}
	if src.Schema == nil {
		cols, ok := c[src.Name]
		if !ok {
			return nil, fmt.Errorf("no files match %s", src.Path)
		}
		for _, col := range strings.Fields(cols) {
			name, typ, _ := strings.Cut(col, ":")
			t, err := types.Parse(typ)
			if err != nil {
				return nil, err
			}
			s.Fields = append(s.Fields, types.Field{Qualifier: src.Name, Name: name, Type: t, Nullable: true})
		}
	}
	return &logical.Scan{Source: src.Name, Format: src.Format, Path: src.Path, Options: src.Options, Table: s}, nil
}

func TestBuildGolden(t *testing.T) {
	jobs := map[string]string{
		"jobspec_example": "../jobspec/testdata/jobspec_example.hcl",
		"structured":      "testdata/structured.hcl",
		"sql_views":       "testdata/sql_views.hcl",
	}
	for name, path := range jobs {
		t.Run(name, func(t *testing.T) {
			job, err := jobspec.ParseFile(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := Build(context.Background(), job, inferred, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", name+".golden"), formatPlan(plan))
		})
	}
}

// formatPlan is logical.FormatPlan plus each sink's output schema.
func formatPlan(p *logical.Plan) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "job %s\n\n", p.Job)
	for _, w := range p.Sinks {
		fmt.Fprintf(&sb, "%s  => %s\n\n", logical.Format(w), w.Schema())
	}
	return sb.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}
