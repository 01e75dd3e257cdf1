package jobplan

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/sqlfront"
	"github.com/drover-etl/drover/types"
)

const baseJob = `job "j" {
  source "orders" {
    format = "parquet"
    path   = "data/orders/"
  }
  source "customers" {
    format = "parquet"
    path   = "data/customers/"
  }
  view "v" {
    from  = "orders"
    where = "amount > 0"
  }
  sink "out" {
    from   = "v"
    format = "parquet"
    path   = "out/"
  }
}
`

// withView replaces the body of view "v" (lines 11-12 of baseJob).
func withView(body string) string {
	return strings.Replace(baseJob, "    from  = \"orders\"\n    where = \"amount > 0\"\n", body, 1)
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    string
		wantErr error
	}{
		{"unknown column", withView("    from  = \"orders\"\n    where = \"amonut > 0\"\n"),
			`jobs/x.hcl:12:13: where: unknown column "amonut" (did you mean "amount"?)`, types.ErrUnknownColumn},
		{"type error", withView("    from  = \"orders\"\n    where = \"status = 5\"\n"),
			`jobs/x.hcl:12:13: where: cannot compare string with int64 in (status = 5)`, expr.ErrType},
		{"syntax error", withView("    from  = \"orders\"\n    where = \"status = \"\n"),
			`jobs/x.hcl:12:13: where: syntax error at the end`, sqlfront.ErrSyntax},
		{"select item", withView("    from   = \"orders\"\n    select = [\"order_id\", \"amount + nme\"]\n"),
			`jobs/x.hcl:12:27: select: unknown column "nme"`, types.ErrUnknownColumn},
		{"aggregate in join condition", withView(`    from = "orders"
    join "customers" {
      on = "sum(orders.amount) > 1"
    }
`), `jobs/x.hcl:13:12: join "customers": on: aggregates are not allowed in a join condition`, sqlfront.ErrPlan},
		{"duplicate output", withView(`    from = "orders"
    join "customers" {
      on = "orders.customer_id = customers.customer_id"
    }
`), `jobs/x.hcl:10:3: select: duplicate output column "customer_id"; name one of them with AS`, sqlfront.ErrPlan},
		{"aggregate alias in having", withView(`    from      = "orders"
    group_by  = ["status"]
    aggregate = ["sum(amount) AS revenue"]
    having    = "revnue > 1"
`), `jobs/x.hcl:14:17: having: unknown column "revnue" (did you mean "revenue"?)`, types.ErrUnknownColumn},
		{"not grouped", withView(`    from      = "orders"
    group_by  = ["status"]
    aggregate = ["count(*) AS n"]
    order_by  = ["amount"]
`), `jobs/x.hcl:14:18: order_by: column amount must be in group_by or inside an aggregate`, sqlfront.ErrPlan},
		{"not an aggregate", withView(`    from      = "orders"
    aggregate = ["amount AS a"]
`), `jobs/x.hcl:12:18: aggregate: amount is not an aggregate call`, sqlfront.ErrPlan},
		{"sql unknown relation", withView("    sql = \"SELECT * FROM ordres\"\n"),
			`jobs/x.hcl:11:11: view "v": from: unknown relation "ordres" (did you mean "orders"?)`, sqlfront.ErrUnknownRelation},
		{"sql unknown column", withView("    sql = \"SELECT amonut FROM orders\"\n"),
			`jobs/x.hcl:11:11: view "v": select: unknown column "amonut"`, types.ErrUnknownColumn},
		{"partition_by", strings.Replace(baseJob, `path   = "out/"`, `path   = "out/"
    partition_by = ["stauts"]`, 1), `jobs/x.hcl:18:21: partition_by: unknown column "stauts" (did you mean "status"?)`, types.ErrUnknownColumn},
		{"catalog error", strings.Replace(baseJob, `source "customers"`, `source "nothing"`, 1),
			`jobs/x.hcl:6:3: source "nothing": no files match data/customers/`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job, err := jobspec.ParseSource([]byte(tt.src), "jobs/x.hcl", nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(context.Background(), job, inferred, nil)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("errors.Is(%v, %v) is false", err, tt.wantErr)
			}
			if !errors.Is(err, jobspec.ErrInvalid) {
				t.Errorf("not a positioned job error: %v", err)
			}
		})
	}
}
