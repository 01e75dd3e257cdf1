// Package conformance checks Drover's answers against DuckDB's on the same
// files.
//
// Three suites, all run by `go test` in the bench module (and so by make
// test):
//
//   - TestTPCH and TestTPCDS: the 22 TPC-H and 99 TPC-DS query texts of
//     DuckDB's tpch_queries() and tpcds_queries(), unmodified. DuckDB's
//     dbgen and dsdgen generate the data (scale factor -sf, default 0.01),
//     written once as Parquet into a cache directory keyed by suite and
//     scale factor (package tpc, shared with the benchmark harness). The tpch and tpcds extensions come from
//     the DuckDB that duckdb-go links (package duckext), so nothing is
//     downloaded.
//   - TestSQL: the per-feature corpus testdata/sql/*.test (format in
//     corpusFile): small tables made by DuckDB statements and exported to
//     Parquet, and queries probing the edges of SQL semantics (NOT IN with
//     NULLs, empty groups, window frames at partition edges, grouping sets
//     with NULL keys, every join form, set operations with duplicates,
//     interval arithmetic, functions; Spark SQL forms DuckDB lacks are
//     checked against a DuckDB equivalent).
//   - TestDemoJobAgreesWithDuckDB: the demo job (jobs/daily_revenue.hcl)
//     run with the drover binary, its Hive-partitioned output read back by
//     DuckDB.
//
// Each query runs in DuckDB over views of the Parquet files (the expected
// answer) and in Drover in-process: the query text becomes the one SQL view
// of a job file with a Parquet source per table and a Parquet sink
// (tpc.JobText, runDrover), compiled by engine.CompileJob and run on local executors
// with a few task slots and shuffle partitions and a low broadcast
// threshold, so the distributed paths run on small data. DuckDB reads
// Drover's output back in partition order.
//
// Answers are compared as compareResults explains: values normalized
// (numbers by value, exactly between integers and within 1e-6 relative
// otherwise; DATE equals TIMESTAMP at midnight; NULL equals NULL), rows as
// multisets, and for an ORDER BY the sequence of sort-key values, so that
// rows tying on the keys may come in any order; a LIMIT that cuts through a
// tie accepts either side of it. Sort keys that are not result columns are
// evaluated by DuckDB over both results.
//
// Each query ends as pass, error (Drover failed; the first line of its
// message is kept), wrong (a different answer) or timeout (-query-timeout).
// The committed status files (testdata/tpch.status, tpcds.status,
// testdata/sql/<file>.status) are a ratchet: the test fails on any wrong
// answer and on a query recorded as pass that no longer passes; queries
// that start passing are listed, and -update rewrites the files. Other
// scale factors keep their own files (tpch-sf1.status). The log shows the
// scoreboard and the failures grouped by cause.
package conformance
