# Iceberg example: the demo's paid orders land in an Iceberg table
# (identity-partitioned by day), and each day's revenue per country is
# rebuilt from that table with a dynamic partition overwrite. The catalog
# is a SQLite file and the warehouse a local directory; for a cluster, use
# uri = "postgres://user@host:5432/db" and warehouse = "s3://bucket/wh".
#
#   drover gen-data data
#   drover run jobs/iceberg.hcl --var lake=$PWD/lake
#   drover run jobs/iceberg.hcl --var lake=$PWD/lake   # again: same rows, a new snapshot

variable "data" {
  default = "data"
}

variable "lake" {
  default = "/tmp/drover-lake"
}

job "iceberg-demo" {
  catalog "lake" {
    type      = "sql"
    uri       = "sqlite://${var.lake}/catalog.db"
    warehouse = "file://${var.lake}/warehouse"
  }

  source "orders" {
    format = "csv"
    path   = "${var.data}/orders/day=*/*.csv"
    schema = {
      order_id    = "int64"
      customer_id = "int64"
      status      = "string"
      amount      = "decimal(10,2)"
      note        = "string"
      ordered_at  = "timestamp"
    }
  }

  source "customers" {
    format = "parquet"
    path   = "${var.data}/customers/"
  }

  view "paid" {
    from   = "orders"
    where  = "status = 'paid' AND amount > 0"
    select = ["order_id", "customer_id", "amount", "CAST(ordered_at AS DATE) AS day"]
  }

  view "revenue" {
    sql = <<-SQL
      SELECT c.country, p.day, sum(p.amount) AS revenue, count(*) AS orders
      FROM paid p JOIN customers c ON p.customer_id = c.customer_id
      WHERE c.country IS NOT NULL
      GROUP BY c.country, p.day
    SQL
  }

  sink "paid_orders" {
    from         = "paid"
    format       = "iceberg"
    table        = "sales.paid_orders"
    partition_by = ["day"]
    mode         = "dynamic_overwrite"
  }

  sink "daily_revenue" {
    from         = "revenue"
    format       = "iceberg"
    table        = "sales.daily_revenue"
    partition_by = ["day"]
    mode         = "dynamic_overwrite"
  }
}
