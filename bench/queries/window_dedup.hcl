# Window dedup: the last-shipped line of every order (row_number() over a
# partition per order key = 1): a hash exchange of lineitem, a sort within
# each partition and a window. Used by the scale suite (make bench-scale).

variable "data" {}
variable "out" {}

job "bench-window-dedup" {
  source "lineitem" {
    format = "parquet"
    path   = "${var.data}/lineitem/"
  }

  view "result" {
    sql = <<-SQL
      SELECT l_orderkey, l_linenumber, l_shipdate, l_extendedprice
      FROM (
        SELECT l_orderkey, l_linenumber, l_shipdate, l_extendedprice,
               row_number() OVER (PARTITION BY l_orderkey ORDER BY l_shipdate DESC, l_linenumber) AS rn
        FROM lineitem
      ) AS t
      WHERE rn = 1
    SQL
  }

  sink "result" {
    from   = "result"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
