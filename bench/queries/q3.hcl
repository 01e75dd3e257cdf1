# TPC-H Q3 (shipping priority): customer ⋈ orders ⋈ lineitem. The harness
# runs it twice: with broadcast joins disabled (--broadcast-threshold -1,
# both joins shuffled) and with the optimizer's default (the filtered
# customer side is broadcast). The last ORDER BY key only breaks ties.

variable "data" {}
variable "out" {}

job "bench-q3" {
  source "customer" {
    format = "parquet"
    path   = "${var.data}/customer/"
  }

  source "orders" {
    format = "parquet"
    path   = "${var.data}/orders/"
  }

  source "lineitem" {
    format = "parquet"
    path   = "${var.data}/lineitem/"
  }

  view "q3" {
    sql = <<-SQL
      SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
      FROM customer
      JOIN orders ON c_custkey = o_custkey
      JOIN lineitem ON l_orderkey = o_orderkey
      WHERE c_mktsegment = 'BUILDING' AND o_orderdate < DATE '1995-03-15' AND l_shipdate > DATE '1995-03-15'
      GROUP BY l_orderkey, o_orderdate, o_shippriority
      ORDER BY revenue DESC, o_orderdate, l_orderkey
      LIMIT 10
    SQL
  }

  sink "result" {
    from   = "q3"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
