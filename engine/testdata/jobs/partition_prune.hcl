# A partitioned source: day comes from the day=… directories (declared as a
# date), the filter on it prunes the other day's files while planning, and
# the filter mixing a partition and a file column is left to the scan.
job "partition-prune" {
  source "orders" {
    format            = "csv"
    path              = "testdata/gen/data/orders/"
    schema            = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
    partition_columns = { day = "date" }
  }
  view "daily" {
    sql = <<-SQL
      SELECT day, status, count(*) AS n
      FROM orders
      WHERE day = DATE '2026-11-20' AND (status = 'paid' OR day > DATE '2026-11-21')
      GROUP BY day, status
    SQL
  }
  sink "daily" {
    from   = "daily"
    format = "csv"
    path   = "testdata/gen/out/daily"
  }
}
