# Sort lineitem by (l_shipdate, l_orderkey, l_linenumber) and write it as
# Parquet: a range-partitioned sort of the largest table (nine of its
# columns, a string among them). The harness checks that the files, read in
# name order, are sorted. Used by the scale suite (make bench-scale).

variable "data" {}
variable "out" {}

job "bench-sort-lineitem" {
  source "lineitem" {
    format = "parquet"
    path   = "${var.data}/lineitem/"
  }

  view "result" {
    sql = <<-SQL
      SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_shipdate, l_comment
      FROM lineitem
      ORDER BY l_shipdate, l_orderkey, l_linenumber
    SQL
  }

  sink "result" {
    from   = "result"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
