# UDF plugins: Go code of your own in a job, without rebuilding Drover.
# textkit's functions run inside expressions; textkit.score and piimask.mask
# are batch transforms used as view steps. The plugins are ordinary Go
# programs (plugins/textkit, plugins/piimask) built into bin/plugins by
# `make build`; each runs as one subprocess per executor, fed Arrow batches.
#
#   make build
#   drover gen-data data
#   drover run jobs/plugins.hcl
#   drover head out/attention

variable "data" {
  default = "data"
}

variable "out" {
  default = "out"
}

variable "plugins" {
  default = "bin/plugins"
}

job "plugins" {
  plugin "textkit" {
    source = "${var.plugins}/textkit"   # a path, or s3://... with sha256 = "..."
  }

  plugin "piimask" {
    source = "${var.plugins}/piimask"
  }

  source "orders" {
    format = "csv"
    path   = "${var.data}/orders/day=*/*.csv"
    schema = {
      order_id    = "int64"
      customer_id = "int64"
      status      = "string"
      amount      = "decimal(10,2)"
      note        = "string"
      ordered_at  = "timestamp"
    }
  }

  source "customers" {
    format = "parquet"
    path   = "${var.data}/customers/"
  }

  # Scalar plugin functions, usable in any expression.
  view "tagged" {
    from   = "orders"
    where  = "note IS NOT NULL"
    select = [
      "order_id",
      "customer_id",
      "textkit.normalize(note) AS note",
      "textkit.slug(note) AS note_slug",
      "textkit.hash(note) AS note_hash",
    ]
  }

  # A transform as a view step: it appends a keyword score of the note.
  view "scored" {
    from      = "tagged"
    transform = "textkit.score"
    args      = { column = "note", keywords = "fragile,care,rush,gift,birthday" }
  }

  # Customer names masked before they go anywhere near the output.
  view "customers_masked" {
    from      = "customers"
    transform = "piimask.mask"
    args      = { columns = "name", mode = "initials" }
  }

  view "attention" {
    from = "scored"
    join "customers_masked" {
      on = "scored.customer_id = customers_masked.customer_id"
    }
    where    = "scored.score > 0"
    select   = ["scored.order_id", "customers_masked.name AS customer", "scored.note_slug", "scored.note_hash", "scored.score"]
    order_by = ["order_id"]
  }

  view "slugs" {
    from      = "tagged"
    group_by  = ["note_slug"]
    aggregate = ["count(*) AS orders"]
    order_by  = ["orders DESC", "note_slug"]
  }

  sink "attention" {
    from   = "attention"
    format = "parquet"
    path   = "${var.out}/attention/"
    mode   = "overwrite"
  }

  sink "slugs" {
    from   = "slugs"
    format = "csv"
    path   = "${var.out}/note_slugs/"
    mode   = "overwrite"
  }
}
