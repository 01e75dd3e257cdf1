variable "min_orders" {
  default = 10
}

job "structured" {
  source "orders" {
    format = "csv"
    path   = "data/orders/*.csv"
    schema = {
      order_id    = "int64"
      customer_id = "int64"
      status      = "string"
      amount      = "decimal(12,2)"
      qty         = "int32"
      ordered_at  = "timestamp"
    }
  }

  source "customers" {
    format = "parquet"
    path   = "data/customers/"
  }

  source "returns" {
    format = "jsonl"
    path   = "data/returns/"
  }

  view "clean" {
    from   = "orders"
    where  = "status <> 'cancelled' AND amount IS NOT NULL AND ordered_at >= '2026-01-01'"
    select = ["order_id", "customer_id", "amount", "qty", "CAST(ordered_at AS DATE) AS day", "upper(status) AS status"]
  }

  view "kept" {
    from = "clean"
    join "customers" {
      on = "clean.customer_id = customers.customer_id"
    }
    join "returns" {
      type = "anti"
      on   = "returns.order_id = clean.order_id"
    }
    select = ["clean.order_id", "clean.amount", "clean.day", "customers.country"]
  }

  view "daily" {
    from      = "kept"
    group_by  = ["day"]
    aggregate = ["sum(amount) AS revenue", "count(*) AS orders", "count(DISTINCT country) AS countries"]
    having    = "count(*) > ${var.min_orders} AND revenue > 0"
    order_by  = ["day DESC"]
  }

  view "global" {
    from      = "clean"
    aggregate = ["max(amount) AS biggest", "min(day) AS first_day", "avg(qty)"]
  }

  view "top" {
    from     = "clean"
    select   = ["order_id", "amount * qty AS total"]
    order_by = ["total DESC NULLS LAST", "day"]
    limit    = 5
  }

  view "per_month" {
    from      = "clean"
    group_by  = ["date_trunc('month', day) AS month"]
    aggregate = ["avg(amount) AS avg_amount"]
    select    = ["month", "round(avg_amount, 2) AS avg_amount"]
    order_by  = ["month"]
  }

  view "repeat_countries" {
    from = "customers"
    join "customers" {
      as   = "other"
      type = "semi"
      on   = "customers.country = other.country AND customers.customer_id <> other.customer_id"
    }
    where = "customers.name LIKE 'A%'"
  }

  sink "daily" {
    from         = "daily"
    format       = "parquet"
    path         = "out/daily/"
    partition_by = ["day"]
    mode         = "overwrite"
  }

  sink "top" {
    from   = "top"
    format = "csv"
    path   = "out/top/"
  }

  sink "per_month" {
    from   = "per_month"
    format = "jsonl"
    path   = "out/per_month/"
    mode   = "append"
  }

  sink "global" {
    from   = "global"
    format = "csv"
    path   = "out/global/"
  }

  sink "repeat_countries" {
    from   = "repeat_countries"
    format = "parquet"
    path   = "out/repeat/"
  }
}
