// Package optimizer rewrites a bound logical plan into a cheaper equivalent
// one. It is an ordered list of small named rules (see DefaultRules), each in
// its own file, applied once in order to every sink's tree:
//
//  1. fold_constants: column-free subtrees become literals; AND/OR/NOT/CASE
//     with constant operands simplify; Filter(TRUE) disappears.
//  2. push_predicates: conjuncts move as deep as they correctly can, into
//     Scan.Filters (the scan applies them exactly, so the Filter above goes),
//     join inputs and join conditions; a predicate on a join key is copied
//     to the other side's key.
//  3. prune_columns: every node produces only the columns someone above
//     reads; scans read only those; every bound column Index is remapped.
//  4. join_strategy: inner joins build on the smaller side; small build sides
//     are broadcast, the rest shuffled. prune_columns runs again after it.
//  5. merge_projects, remove_identity_projects, push_limit_into_union: tidy
//     the Projects the earlier rules leave behind and cap union inputs.
//
// Rules see and return bound trees: after each one Validate checks that every
// column reference points at an existing input column of the right name and
// type, so an indexing bug fails planning instead of reading the wrong column.
// OptimizeTrace returns the plan after each rule, which is what explain shows.
package optimizer
