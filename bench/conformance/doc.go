// Package conformance checks Drover's answers against DuckDB's on the same
// files: the demo job (CSV and Parquet sources, a join, aggregates with
// HAVING and ORDER BY, a SQL view with LIMIT) computed by both engines, with
// DuckDB reading Drover's Hive-partitioned Parquet output back.
package conformance
