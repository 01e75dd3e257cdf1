// Package logical holds the logical plan: a tree of relational nodes (scan,
// filter, project, aggregate, join, sort, limit, distinct, union, write)
// with bound, typed expressions and a schema per node. Nodes are data — one
// per file, WithChildren returns a copy — and know nothing about execution.
//
// The front ends (package jobspec for HCL, package sqlfront for SQL) build
// these trees; package plan/optimizer rewrites them; package plan/physical
// turns the result into operators and exchanges.
package logical
