// Package ast holds the syntax tree of Drover's SQL dialect (ANSI SQL as
// PostgreSQL, DuckDB and Spark SQL write it): queries, table references
// and expressions, produced by package sqlfront/parser and planned by
// package sqlfront.
//
// Nodes are plain data: no behaviour beyond String (which prints SQL that
// parses back to the same tree) and Position. Every node records where
// it starts in the source text, so later phases can point at it.
//
// Identifiers keep the spelling the user wrote (minus the double quotes of
// a quoted one); matching them is case-insensitive and up to the planner.
// Keywords, function names and type names are normalised: function names
// lower-case, type names upper-case.
package ast
