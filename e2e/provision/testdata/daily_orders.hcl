# One day of orders by status: the job the dispatch and nightly variants
# run in jobfiles_test.go. The day comes from the Nomad job (var.date).
variable "date" {
  default = ""
}

variable "data" {
  default = "s3://data/demo"
}

variable "out" {
  default = "s3://out/daily"
}

job "daily-orders" {
  source "orders" {
    format = "csv"
    path   = "${var.data}/orders/day=${var.date}/*.csv"
    schema = {
      order_id    = "int64"
      customer_id = "int64"
      status      = "string"
      amount      = "decimal(10,2)"
      note        = "string"
      ordered_at  = "timestamp"
    }
  }

  view "by_status" {
    from      = "orders"
    group_by  = ["status"]
    aggregate = ["count(*) AS orders", "sum(amount) AS total", "count(DISTINCT customer_id) AS customers"]
  }

  sink "out" {
    from   = "by_status"
    format = "csv"
    path   = "${var.out}/day=${var.date}/"
    mode   = "overwrite"
  }
}
