package jobplan

import (
	"context"
	"strings"
	"testing"

	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func TestLayoutErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown key", withView("    from = \"orders\"\n    repartition_by = [\"stauts\"]\n"),
			`jobs/x.hcl:12:23: view "v": repartition_by: unknown column "stauts" (did you mean "status"?)`},
		{"key twice", withView("    from = \"orders\"\n    repartition_by = [\"status\", \"STATUS\"]\n"),
			`view "v": repartition_by: "STATUS" is listed twice`},
		{"sql order", withView("    sql = \"SELECT * FROM orders ORDER BY amount\"\n    repartition = 3\n"),
			`jobs/x.hcl:12:5: view "v": repartition would lose the order of ORDER BY`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job, err := jobspec.ParseSource([]byte(tt.src), "jobs/x.hcl", nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(context.Background(), job, inferred, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestLayoutNodes: a view's layout wraps the view, a sink's wraps its
// input under the Write, which carries target_file_size.
func TestLayoutNodes(t *testing.T) {
	src := withView("    sql = \"SELECT * FROM orders WHERE amount > 0\"\n    coalesce = 2\n")
	src = strings.Replace(src, `path   = "out/"`, `path   = "out/"
    repartition      = 7
    repartition_by   = ["status"]
    target_file_size = "64MiB"`, 1)
	job, err := jobspec.ParseSource([]byte(src), "jobs/x.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Build(context.Background(), job, inferred, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := plan.Sinks[0]
	r, ok := w.Input.(*logical.Repartition)
	if !ok || r.Partitions != 7 || len(r.Keys) != 1 || w.TargetFileBytes != 64<<20 {
		t.Fatalf("sink plan:\n%s", logical.Format(w))
	}
	if k := r.Keys[0]; !strings.Contains(k.String(), "status") || k.Type != types.StringType {
		t.Fatalf("key %v", k)
	}
	if c, ok := r.Input.(*logical.Coalesce); !ok || c.Partitions != 2 {
		t.Fatalf("view plan:\n%s", logical.Format(w))
	}
}
