// Package logical holds the logical plan: a tree of relational nodes (scan,
// filter, project, aggregate, join, sort, limit, distinct, union, write,
// values, expand, set operations, replicate) with bound, typed expressions
// and a schema per node. Nodes are data — one per file, WithChildren
// returns a copy — and know nothing about execution.
//
// The front ends (package jobspec for HCL, package sqlfront for SQL) build
// these trees; GroupingSets, NewSetOp, NewValues, OneRow and NewLimit are
// their constructors for grouping sets, INTERSECT/EXCEPT, VALUES, SELECT
// without FROM and OFFSET. Package plan/optimizer rewrites the trees;
// package plan/physical turns the result into operators and exchanges.
package logical
