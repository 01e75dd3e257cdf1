# Group by l_orderkey: 1.5 M groups per scale factor, so the partial
# aggregates barely shrink and the shuffle carries almost every row.

variable "data" {}
variable "out" {}

job "bench-groupby-orderkey" {
  source "lineitem" {
    format = "parquet"
    path   = "${var.data}/lineitem/"
  }

  view "per_order" {
    from      = "lineitem"
    group_by  = ["l_orderkey"]
    aggregate = ["count(*) AS line_count", "sum(l_quantity) AS quantity", "sum(l_extendedprice) AS revenue"]
  }

  sink "result" {
    from   = "per_order"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
