# A skewed join: fact has one key (k = 0) on ~30% of its rows, dim one row
# per key. The harness generates both (harness.generateSkew) and runs this
# with adaptive execution on and off, broadcast disabled, so the join is
# shuffled and its partition of key 0 is the straggler unless split.

variable "data" {}
variable "out" {}

job "bench-skew-join" {
  source "fact" {
    format = "parquet"
    path   = "${var.data}/fact/"
  }

  source "dim" {
    format = "parquet"
    path   = "${var.data}/dim/"
  }

  view "result" {
    sql = <<-SQL
      SELECT d.g, count(*) AS n, sum(f.v) AS total, max(d.name) AS name
      FROM fact AS f
      JOIN dim AS d ON f.k = d.k
      GROUP BY d.g
    SQL
  }

  sink "result" {
    from   = "result"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
