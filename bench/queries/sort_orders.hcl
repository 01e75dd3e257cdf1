# Sort all of orders by (o_custkey, o_orderdate) and write it as Parquet:
# a range-partitioned sort of wide rows with strings. The harness checks
# that the files, read in name order, are sorted.

variable "data" {}
variable "out" {}

job "bench-sort-orders" {
  source "orders" {
    format = "parquet"
    path   = "${var.data}/orders/"
  }

  view "sorted" {
    from     = "orders"
    select   = ["*"]
    order_by = ["o_custkey", "o_orderdate"]
  }

  sink "result" {
    from   = "sorted"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
