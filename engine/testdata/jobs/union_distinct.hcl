# UNION, DISTINCT, a semi and an anti join, and a JSON lines source.
job "union-distinct" {
  source "events" {
    format = "jsonl"
    path   = "testdata/gen/data/events/"
  }
  source "customers" {
    format = "parquet"
    path   = "testdata/gen/data/customers/"
  }
  view "active" {
    from = "customers"
    join "events" {
      type = "semi"
      on   = "customers.customer_id = events.customer_id"
    }
    select = ["customer_id", "country"]
  }
  view "inactive" {
    from = "customers"
    join "events" {
      type = "anti"
      on   = "customers.customer_id = events.customer_id AND events.kind = 'purchase'"
    }
    select = ["customer_id", "country"]
  }
  view "countries" {
    sql = "SELECT DISTINCT country FROM active UNION SELECT country FROM inactive"
  }
  sink "countries" {
    from   = "countries"
    format = "csv"
    path   = "testdata/gen/out/countries"
    mode   = "overwrite"
  }
}
