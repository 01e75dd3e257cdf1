package jobspec

import (
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func TestParseExample(t *testing.T) {
	job, err := ParseFile("testdata/jobspec_example.hcl", map[string]string{"day": "2026-11-21"})
	if err != nil {
		t.Fatal(err)
	}
	if job.Name != "daily-revenue" || job.Executors != 4 || job.Partitions != 8 {
		t.Errorf("job header = %q executors=%d partitions=%d", job.Name, job.Executors, job.Partitions)
	}
	if len(job.Sources) != 2 || len(job.Views) != 4 || len(job.Sinks) != 1 {
		t.Fatalf("got %d sources, %d views, %d sinks", len(job.Sources), len(job.Views), len(job.Sinks))
	}
	orders := job.Sources[0]
	if orders.Path != "data/orders/day=2026-11-21/*.csv" {
		t.Errorf("--var not applied: path = %q", orders.Path)
	}
	wantCols := []string{"order_id:int64", "customer_id:int64", "status:string", "amount:float64", "ordered_at:timestamp"}
	if len(orders.Schema) != len(wantCols) {
		t.Fatalf("schema = %v", orders.Schema)
	}
	for i, c := range orders.Schema {
		if got := c.Name + ":" + c.Type.String(); got != wantCols[i] {
			t.Errorf("schema[%d] = %s, want %s (order must be kept)", i, got, wantCols[i])
		}
	}
	if orders.Options["header"] != "true" || orders.Options["delimiter"] != "," {
		t.Errorf("options = %v", orders.Options)
	}
	if job.Sources[1].Schema != nil {
		t.Errorf("customers schema should be nil (inferred), got %v", job.Sources[1].Schema)
	}
	checkViews(t, job)
	sink := job.Sinks[0]
	if sink.From.Value != "by_country" || sink.Format != "parquet" || sink.Mode != logical.ModeOverwrite ||
		len(sink.PartitionBy) != 1 || sink.PartitionBy[0].Value != "day" {
		t.Errorf("sink = %+v", sink)
	}
	if job.Vars["day"] != "2026-11-21" {
		t.Errorf("Vars = %v", job.Vars)
	}
}

func checkViews(t *testing.T, job *Job) {
	t.Helper()
	paid := job.Views[0]
	if paid.IsSQL() || paid.From.Value != "orders" || paid.Where.Value != "status = 'paid' AND amount > 0" || len(paid.Select) != 4 {
		t.Errorf("paid = %+v", paid)
	}
	// Element ranges point at each list item.
	if r := paid.Select[3].Range; r.Start.Line != 31 || r.Start.Column != 52 {
		t.Errorf("select[3] range = %s", r)
	}
	enriched := job.Views[1]
	if len(enriched.Joins) != 1 || enriched.Joins[0].Name != "customers" || enriched.Joins[0].Type != logical.InnerJoin ||
		enriched.Joins[0].On.Value != "paid.customer_id = customers.customer_id" {
		t.Errorf("enriched joins = %+v", enriched.Joins)
	}
	by := job.Views[2]
	if len(by.GroupBy) != 2 || len(by.Aggregate) != 3 || by.Having.Value != "revenue > 100" ||
		len(by.OrderBy) != 2 || by.Limit == nil || *by.Limit != 1000 {
		t.Errorf("by_country = %+v", by)
	}
	top := job.Views[3]
	if !top.IsSQL() || top.SQL.Value == "" || top.From.IsSet() {
		t.Errorf("top_customers = %+v", top)
	}
}

func TestParseDefaults(t *testing.T) {
	src := `
variable "n" { default = 3 }
job "j" {
  executors = var.n
  source "s" {
    format = "CSV"
    path   = "in/${var.n}.csv"
    schema = { "my col" = "decimal(10,2)", b = "varchar(20)" }
  }
  view "v" {
    from = "s"
    join "s" {
      as   = "t"
      type = "left"
      on   = "s.b = t.b"
    }
    select = "b"
  }
  sink "o" {
    from   = "v"
    format = "csv"
    path   = "out/"
  }
  plugin "textkit" {
    source = "bin/textkit"
    sha256 = "AB${join("", [for i in [1] : ""])}"
  }
}`
	_, err := ParseSource([]byte(src), "j.hcl", nil)
	if err == nil {
		t.Fatal("function call in sha256 should fail (no functions are available)")
	}
	src2 := src[:len(src)-len(`
  plugin "textkit" {
    source = "bin/textkit"
    sha256 = "AB${join("", [for i in [1] : ""])}"
  }
}`)] + "\n}"
	job, err := ParseSource([]byte(src2), "j.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := job.Sources[0]
	if job.Executors != 3 || s.Format != "csv" || s.Path != "in/3.csv" {
		t.Errorf("executors=%d format=%q path=%q", job.Executors, s.Format, s.Path)
	}
	if s.Schema[0].Name != "my col" || s.Schema[0].Type != types.DecimalOf(10, 2) || s.Schema[1].Type != types.StringType {
		t.Errorf("schema = %+v", s.Schema)
	}
	v := job.Views[0]
	if v.Joins[0].Alias != "t" || v.Joins[0].Type != logical.LeftJoin || len(v.Select) != 1 || v.Select[0].Value != "b" {
		t.Errorf("view = %+v join = %+v", v, v.Joins[0])
	}
	if job.Sinks[0].Mode != logical.ModeError {
		t.Errorf("default mode = %s", job.Sinks[0].Mode)
	}
}

func TestParseWithoutFilename(t *testing.T) {
	job, err := ParseSource([]byte(validJob), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !job.Views[0].From.IsSet() || job.Views[0].IsSQL() {
		t.Errorf("view attributes lost without a filename: %+v", job.Views[0])
	}
}

func TestParsePartitioning(t *testing.T) {
	src := `job "j" {
  source "a" {
    format = "parquet"
    path   = "in/"
    hive_partitioning = true
    partition_columns = { region = "string", day = "date" }
  }
  source "b" {
    format = "csv"
    path   = "in2/"
  }
  sink "out" {
    from   = "a"
    format = "parquet"
    path   = "out/"
  }
}`
	job, err := ParseSource([]byte(src), "x.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := job.Sources[0], job.Sources[1]
	if a.HivePartitioning == nil || !*a.HivePartitioning {
		t.Errorf("a.HivePartitioning = %v, want true", a.HivePartitioning)
	}
	if len(a.PartitionColumns) != 2 || a.PartitionColumns[0].Name != "region" || a.PartitionColumns[1].Type != types.DateType {
		t.Errorf("a.PartitionColumns = %+v (order must be kept)", a.PartitionColumns)
	}
	if b.HivePartitioning != nil || b.PartitionColumns != nil {
		t.Errorf("b: unset partitioning must stay nil (auto), got %v %v", b.HivePartitioning, b.PartitionColumns)
	}
}
