# The demo job: paid orders (daily CSV files) joined with customers
# (Parquet), revenue per country and day with HAVING and ORDER BY, written
# as Parquet partitioned by day; plus a SQL view of the top customers.
#
#   drover gen-data data
#   drover run jobs/daily_revenue.hcl
#   drover head out/revenue

variable "data" {
  default = "data"
}

variable "out" {
  default = "out"
}

job "daily-revenue" {
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

  view "enriched" {
    from = "paid"
    join "customers" {
      type = "inner"
      on   = "paid.customer_id = customers.customer_id"
    }
    select = ["paid.order_id", "paid.amount", "paid.day", "customers.country", "customers.tier"]
  }

  view "by_country" {
    from      = "enriched"
    where     = "country IS NOT NULL"
    group_by  = ["country", "day"]
    aggregate = ["sum(amount) AS revenue", "count(*) AS orders", "avg(amount) AS avg_amount", "count(DISTINCT tier) AS tiers"]
    having    = "revenue > 100"
    order_by  = ["day", "revenue DESC"]
  }

  view "top_customers" {
    sql = <<-SQL
      SELECT c.country, p.customer_id, sum(p.amount) AS spent, count(*) AS orders
      FROM paid p JOIN customers c ON p.customer_id = c.customer_id
      GROUP BY c.country, p.customer_id
      ORDER BY spent DESC, p.customer_id
      LIMIT 10
    SQL
  }

  sink "revenue" {
    from         = "by_country"
    format       = "parquet"
    path         = "${var.out}/revenue/"
    partition_by = ["day"]
    mode         = "overwrite"
  }

  sink "top_customers" {
    from   = "top_customers"
    format = "csv"
    path   = "${var.out}/top_customers/"
    mode   = "overwrite"
  }
}
