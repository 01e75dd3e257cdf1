// Package expr is Drover's scalar expression tree: column references,
// literals and calls of named functions. Every operator the SQL front end
// understands (arithmetic, comparison, AND/OR/NOT, IS NULL, IN, LIKE, CASE,
// CAST, COALESCE, string and date functions, plugin functions) is a Call
// with a canonical lowercase name, so rewrites, constant folding and
// serialization handle one shape. Aggregates are not expressions; they live
// in the logical Aggregate node as AggExpr.
//
// The function registry (registry*.go) lists every scalar and aggregate
// function with its SQL aliases, signature, result rule and a one-line
// description; LookupFunction resolves SQL names through it, tests keep
// it and the binder's signatures in step, and docs/sql-functions.md is
// generated from it.
//
// Trees are data: they carry no evaluation code and marshal to JSON as-is,
// which is how plan fragments travel to executors. Evaluation over Arrow
// batches is in package expr/eval.
package expr
