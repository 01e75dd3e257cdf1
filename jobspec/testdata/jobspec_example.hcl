variable "day" {
  default = "2026-11-20"           # overridden with: drover run job.hcl --var day=2026-11-21
}

job "daily-revenue" {
  executors  = 4                   # optional; cluster mode: executor count (or min/max below)
  partitions = 8                   # optional; shuffle partitions (default: chosen by the engine)

  source "orders" {
    format = "csv"                 # parquet | csv | jsonl
    path   = "data/orders/day=${var.day}/*.csv"   # local path, file://..., or s3://bucket/prefix/...
    schema = {                     # optional for parquet; for csv/jsonl inferred if absent
      order_id    = "int64"
      customer_id = "int64"
      status      = "string"
      amount      = "float64"
      ordered_at  = "timestamp"
    }
    options = { header = "true", delimiter = "," }   # format options; csv header defaults to true
  }

  source "customers" {
    format = "parquet"
    path   = "data/customers/"     # a directory means every file below it of that format
  }

  # A view is either structured ...
  view "paid" {
    from   = "orders"
    where  = "status = 'paid' AND amount > 0"
    select = ["order_id", "customer_id", "amount", "CAST(ordered_at AS DATE) AS day"]
  }

  view "enriched" {
    from = "paid"
    join "customers" {
      type = "inner"               # inner | left | semi | anti
      on   = "paid.customer_id = customers.customer_id"
    }
    select = ["paid.order_id", "paid.amount", "paid.day", "customers.country"]
  }

  view "by_country" {
    from      = "enriched"
    group_by  = ["country", "day"]
    aggregate = ["sum(amount) AS revenue", "count(*) AS orders", "avg(amount) AS avg_amount"]
    having    = "revenue > 100"
    order_by  = ["day", "revenue DESC"]
    limit     = 1000
  }

  # ... or one SQL SELECT over sources and earlier views.
  view "top_customers" {
    sql = <<-SQL
      SELECT c.country, p.customer_id, sum(p.amount) AS spent
      FROM paid p JOIN customers c ON p.customer_id = c.customer_id
      GROUP BY c.country, p.customer_id
      ORDER BY spent DESC
      LIMIT 10
    SQL
  }

  sink "revenue" {
    from         = "by_country"
    format       = "parquet"       # parquet | csv | jsonl
    path         = "out/revenue/"  # a directory (local or s3://)
    partition_by = ["day"]         # Hive-style: out/revenue/day=2026-11-20/part-....parquet
    mode         = "overwrite"     # error (default) | overwrite | append
  }
}
