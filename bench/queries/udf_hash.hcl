# A plugin UDF over every row: textkit.hash (64-bit FNV-1a, plugins/textkit)
# of l_comment, summed per ship mode. Drover streams Arrow batches to the
# plugin process; DuckDB calls the same function as a Go scalar UDF
# (textkit_hash, registered by the harness).
#
#   make build   # builds bin/plugins/textkit

variable "data" {}
variable "out" {}

variable "plugins" {
  default = "bin/plugins"
}

job "bench-udf-hash" {
  plugin "textkit" {
    source = "${var.plugins}/textkit"
  }

  source "lineitem" {
    format = "parquet"
    path   = "${var.data}/lineitem/"
  }

  view "hashed" {
    from      = "lineitem"
    group_by  = ["l_shipmode"]
    aggregate = ["count(*) AS line_count", "sum(textkit.hash(l_comment) % 1000) AS hash_sum"]
  }

  sink "result" {
    from   = "hashed"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
