// Package parser reads Drover's SQL dialect into the syntax tree of
// package sqlfront/ast: a hand-written lexer and a recursive-descent
// parser, with precedence climbing for expressions.
//
// The dialect is the common ground of ANSI SQL, PostgreSQL, DuckDB and
// Spark SQL for queries: WITH, SELECT with joins of every kind, GROUP BY
// with ROLLUP / CUBE / GROUPING SETS, HAVING, WINDOW, QUALIFY, set
// operations, ORDER BY with NULLS FIRST|LAST, LIMIT / OFFSET / FETCH,
// subqueries, window functions and the special forms of the standard
// (CAST, EXTRACT, SUBSTRING ... FROM ... FOR, TRIM, POSITION, INTERVAL).
// It parses what it can represent and leaves what Drover can run to the
// planner: accepting a construct here promises nothing about running it.
//
// Errors are *Error values carrying a position; their message reads
// `syntax error near "x" (line L, column C)`.
package parser
