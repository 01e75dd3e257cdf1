# lineitem ⋈ orders on the order key, both sides whole: a join of the two
# largest tables (the harness disables broadcast, so both are shuffled),
# then a small aggregate so that writing the result costs nothing.

variable "data" {}
variable "out" {}

job "bench-join-lineitem-orders" {
  source "lineitem" {
    format = "parquet"
    path   = "${var.data}/lineitem/"
  }

  source "orders" {
    format = "parquet"
    path   = "${var.data}/orders/"
  }

  view "by_priority" {
    from = "lineitem"
    join "orders" {
      type = "inner"
      on   = "lineitem.l_orderkey = orders.o_orderkey"
    }
    group_by  = ["o_orderpriority"]
    aggregate = ["count(*) AS line_count", "sum(l_extendedprice) AS revenue"]
  }

  sink "result" {
    from   = "by_priority"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
