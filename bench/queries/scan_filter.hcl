# Scan + filter + project + write Parquet, with TPC-H Q6's predicate
# (about 2% of lineitem passes): row-group pruning, filter speed, and the
# Parquet writer.

variable "data" {}
variable "out" {}

job "bench-scan-filter" {
  source "lineitem" {
    format = "parquet"
    path   = "${var.data}/lineitem/"
  }

  view "q6_rows" {
    from  = "lineitem"
    where = "l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"
    select = [
      "l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice",
      "l_discount", "l_shipdate", "l_extendedprice * l_discount AS revenue",
    ]
  }

  sink "result" {
    from   = "q6_rows"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
