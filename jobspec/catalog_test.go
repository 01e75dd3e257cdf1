package jobspec

import (
	"strings"
	"testing"
)

const lakeBlock = `
  catalog "lake" {
    type      = "sql"
    uri       = "sqlite:///tmp/c.db"
    warehouse = "file:///tmp/wh"
  }`

// icebergJob is validJob with a catalog and an iceberg sink.
func icebergJob(t *testing.T) string {
	src := edit(t, `job "j" {`, `job "j" {`+lakeBlock)
	return strings.Replace(src, `format = "parquet"
    path   = "out/"`, `format = "iceberg"
    table  = "sales.paid"
    mode   = "dynamic_overwrite"`, 1)
}

func TestParseIceberg(t *testing.T) {
	job, err := ParseSource([]byte(icebergJob(t)), "x.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := job.Sinks[0]
	if s.Format != "iceberg" || s.Table.Value != "sales.paid" || s.Catalog != "lake" || s.Mode.String() != "dynamic_overwrite" {
		t.Fatalf("sink %+v", s)
	}
	c := job.Catalogs[0]
	if c.Name != "lake" || c.Type != "sql" || c.URI != "sqlite:///tmp/c.db" || c.Warehouse != "file:///tmp/wh" {
		t.Fatalf("catalog %+v", c)
	}
}

func TestParseIcebergErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"no catalog", strings.Replace(icebergJob(t), lakeBlock, "", 1), `sink "out" reads a table but the job declares no catalog block`},
		{"unknown catalog", strings.Replace(icebergJob(t), `table  = "sales.paid"`, `table  = "sales.paid"
    catalog = "lak"`, 1), `no catalog "lak" is declared`},
		{"two catalogs, none named", strings.Replace(icebergJob(t), lakeBlock, lakeBlock+strings.Replace(lakeBlock, `"lake"`, `"other"`, 1), 1), "several catalogs; say which"},
		{"iceberg with path", strings.Replace(icebergJob(t), `table  = "sales.paid"`, `table  = "sales.paid"
    path = "x/"`, 1), "an iceberg sink reads no path"},
		{"iceberg without table", strings.Replace(icebergJob(t), `table  = "sales.paid"`, ``, 1), `an iceberg sink needs table = "namespace.table"`},
		{"table on a file sink", edit(t, `path   = "out/"`, `path   = "out/"
    table  = "a.b"`), "table is for iceberg sinks"},
		{"dynamic overwrite on files", edit(t, `path   = "out/"`, `path   = "out/"
    mode   = "dynamic_overwrite"`), "mode dynamic_overwrite is for iceberg sinks"},
		{"hive partitioning on a table", strings.Replace(icebergJob(t), `format = "csv"`, `format = "iceberg"
    table  = "sales.orders"
    hive_partitioning = true`, 1), "hive_partitioning is for file sources"},
		{"bad catalog type", strings.Replace(icebergJob(t), `type      = "sql"`, `type      = "hive"`, 1), `type must be one of sql, rest; got "hive"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSource([]byte(tt.src), "x.hcl", nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
