// Package eval evaluates bound expression trees (package expr) over Arrow
// record batches, a column at a time.
//
// Compile checks a tree against the bound-tree contract once and picks a
// typed kernel per node; Evaluator.Eval then runs the kernels on each batch.
// Kernels are typed loops over raw value slices and validity bitmaps; a
// literal operand stays a scalar (col < 5 never builds a column of fives).
// Column-free subtrees are folded to literals at compile time when they
// evaluate without error; an error is kept for run time, so a bad constant
// in a CASE branch that never runs stays harmless.
//
// # Dictionary strings
//
// String columns may arrive as dictionary<int32, utf8> arrays. A function
// applied element-wise to one dictionary column (comparisons with a
// constant, LIKE, IN, string functions, casts from string) runs over the
// dictionary's values once and is mapped through the indices, so a filter
// on such a column costs O(dictionary) string work plus O(rows) integer
// work. A string-valued result computed that way is itself a dictionary
// array sharing the input's indices; every other string result is plain
// utf8. When the dictionary is larger than the batch the column is decoded
// instead, and when a fallible function (a cast) fails on some dictionary
// value the batch is re-run on the decoded rows, so values no row refers to
// never raise errors.
//
// # Semantics
//
// SQL semantics as in PostgreSQL and DuckDB:
//   - NULL propagates through arithmetic, comparison, string and date
//     functions; AND, OR and NOT are three-valued; x IN (..., NULL) is NULL
//     when nothing matches; CASE takes the first TRUE condition.
//   - CASE, COALESCE and the right side of nothing else are lazy: a branch
//     is evaluated for the whole batch first and, only if that fails, again
//     for just the rows that select it, so an error (overflow, a bad cast)
//     on rows that never reach the branch is not reported.
//   - Integer add, sub, mul, neg and abs fail on overflow (ErrOverflow);
//     x / 0 and x % 0 are NULL.
//   - Decimal arithmetic is exact in 128 bits, rounded half away from zero
//     to the result scale; a result beyond the result precision fails.
//   - Floats compare as in PostgreSQL: NaN equals NaN and is greater than
//     every other value.
//   - Strings compare bytewise (UTF-8 code point order). length, substr and
//     LIKE's _ count characters, not bytes.
//   - substr(s, pos[, len]) follows Spark: pos is 1-based, 0 acts as 1, a
//     negative pos counts from the end, len < 1 gives the empty string.
//   - round(x, d) rounds half away from zero for floats and decimals.
//
// Casts (see cast.go for the matrix): float to integer rounds half to even
// like PostgreSQL (2.5 → 2, 3.5 → 4); decimal to integer rounds half away
// from zero (PostgreSQL's numeric rounding); float to decimal goes through
// the float's shortest decimal form (0.1 → 0.10), so it never exposes
// binary noise; out-of-range values and unparsable strings fail with a
// *CastError.
package eval
