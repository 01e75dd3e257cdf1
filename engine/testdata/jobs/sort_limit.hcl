# Global sort (range partitioned) and a TopN feeding two sinks.
job "sort-limit" {
  source "orders" {
    format = "csv"
    path   = "testdata/gen/data/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  view "sorted" {
    from     = "orders"
    where    = "amount IS NOT NULL"
    select   = ["order_id", "amount", "ordered_at"]
    order_by = ["amount DESC", "order_id"]
  }
  view "top" {
    sql = "SELECT order_id, amount FROM orders WHERE status IN ('paid', 'pending') ORDER BY amount DESC, order_id LIMIT 5"
  }
  sink "sorted" {
    from   = "sorted"
    format = "parquet"
    path   = "testdata/gen/out/sorted"
    mode   = "overwrite"
  }
  sink "top" {
    from   = "top"
    format = "jsonl"
    path   = "testdata/gen/out/top"
    mode   = "overwrite"
  }
}
