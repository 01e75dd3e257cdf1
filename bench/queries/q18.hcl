# TPC-H Q18 (large volume customer): an IN subquery grouping all of
# lineitem by order key, then customer ⋈ orders ⋈ lineitem. The last ORDER BY
# key only breaks ties. Used by the scale suite (make bench-scale).

variable "data" {}
variable "out" {}

job "bench-q18" {
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

  view "result" {
    sql = <<-SQL
      SELECT c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice, sum(l_quantity) AS sum_qty
      FROM customer, orders, lineitem
      WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 300)
        AND c_custkey = o_custkey AND o_orderkey = l_orderkey
      GROUP BY c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice
      ORDER BY o_totalprice DESC, o_orderdate, o_orderkey
      LIMIT 100
    SQL
  }

  sink "result" {
    from   = "result"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
