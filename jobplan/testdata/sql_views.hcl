job "sql-views" {
  source "orders" {
    format = "parquet"
    path   = "data/orders/"
  }

  source "customers" {
    format = "parquet"
    path   = "data/customers/"
  }

  source "returns" {
    format = "jsonl"
    path   = "data/returns/"
  }

  view "paid" {
    sql = <<-SQL
      SELECT order_id, customer_id, amount, CAST(ordered_at AS DATE) AS day
      FROM orders
      WHERE status = 'paid' AND amount > 0
    SQL
  }

  view "spend" {
    sql = <<-SQL
      SELECT c.country, p.customer_id, sum(p.amount) AS spent, count(*) AS n
      FROM paid p
      JOIN customers c ON p.customer_id = c.customer_id
      LEFT JOIN returns r ON r.order_id = p.order_id AND r.reason <> 'late'
      WHERE r.order_id IS NULL
      GROUP BY c.country, p.customer_id
      HAVING sum(p.amount) > 100 AND max(p.day) >= DATE '2026-01-01'
      ORDER BY spent DESC, 2
      LIMIT 10
    SQL
  }

  view "by_country" {
    from      = "spend"
    group_by  = ["country"]
    aggregate = ["sum(spent) AS total", "sum(n) AS orders"]
  }

  view "ranked" {
    sql = <<-SQL
      WITH big AS (SELECT country, total FROM by_country WHERE total > 1000)
      SELECT country, total, 'big' AS size FROM big
      UNION ALL
      SELECT country, total, 'small' FROM by_country WHERE total <= 1000
      ORDER BY total DESC
    SQL
  }

  sink "ranked" {
    from   = "ranked"
    format = "csv"
    path   = "out/ranked/"
  }

  sink "paid" {
    from         = "paid"
    format       = "parquet"
    path         = "out/paid/"
    partition_by = ["day"]
  }
}
