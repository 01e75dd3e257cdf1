// Package optimizer rewrites a bound logical plan into a cheaper equivalent
// one. It is an ordered list of small named rules (see DefaultRules), each in
// its own file, applied once in order to every sink's tree:
//
//  1. fold_constants: column-free subtrees become literals; AND/OR/NOT/CASE
//     with constant operands simplify; Filter(TRUE) disappears.
//  2. factor_or: conjuncts shared by every branch of an OR move out of it
//     ((a AND b) OR (a AND c) → a AND (b OR c)), so they can be pushed or
//     become join keys.
//  3. push_predicates: conjuncts move as deep as they correctly can, into
//     Scan.Filters (the scan applies them exactly, so the Filter above goes),
//     join inputs and join conditions; a predicate on a join key is copied
//     to the other side's key.
//  4. outer_to_inner: an outer join under a filter that rejects NULLs of its
//     NULL-extended side becomes inner (or left/right, from full), and
//     predicates are pushed again.
//  5. reorder_joins: clusters of inner and cross joins (comma lists) are
//     rebuilt left-deep, greedily, so that no cross product is taken while a
//     connected input remains; a Project keeps the column order.
//  6. or_side_filters: an OR in an inner join's filter whose every branch
//     constrains one side implies a weaker filter on that side alone, which
//     is pushed into it (the OR stays).
//  7. join_keys: equalities between the two sides in a join's filter become
//     its keys (a hash join instead of a nested loop).
//  8. prune_columns: every node produces only the columns someone above
//     reads; scans read only those; every bound column Index is remapped.
//  9. join_strategy: inner and full joins build on the smaller side, right
//     joins become left joins when that builds on the smaller side; small
//     build sides are broadcast (never for right and full joins), the rest
//     shuffled. prune_columns runs again after it.
//  10. merge_projects, remove_identity_projects, push_limit_into_union: tidy
//     the Projects the earlier rules leave behind and cap union inputs.
//
// Rules see and return bound trees: after each one Validate checks that every
// column reference points at an existing input column of the right name and
// type, so an indexing bug fails planning instead of reading the wrong column.
// OptimizeTrace returns the plan after each rule, which is what explain shows.
package optimizer
