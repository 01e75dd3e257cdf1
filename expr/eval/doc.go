// Package eval evaluates bound expression trees (package expr) over Arrow
// record batches, a column at a time.
//
// Compile checks a tree against the bound-tree contract once and picks a
// typed kernel per node; Evaluator.Eval then runs the kernels on each batch
// and Filter keeps the rows a predicate accepts. Kernels are typed loops
// over raw value slices and validity bitmaps, with nothing dispatched per
// row; a literal operand stays a scalar (col < 5 never builds a column of
// fives). Column-free subtrees are folded to literals at compile time when
// they evaluate without error; an error is kept for run time, so a bad
// constant in a CASE branch that never runs stays harmless. Fold evaluates
// a column-free tree with the very same kernels. An Evaluator holds no
// per-batch state and may be shared between goroutines.
//
// # Dictionary strings
//
// String columns may arrive as dictionary<int32, utf8> arrays. A function
// applied element-wise to one dictionary column (comparison with a
// constant, LIKE, IN, string functions, casts from string) runs over the
// dictionary's values once and is mapped through the indices, so a filter
// on such a column costs O(dictionary) string work plus O(rows) integer
// work. A string result computed that way is itself a dictionary array
// sharing the input's indices; so is a bare column reference, and a CASE
// or COALESCE whose every row comes from one dictionary-valued input.
// Every other string result is plain utf8. When the dictionary is larger
// than the batch it is decoded instead; when a fallible function (a cast)
// fails on some dictionary value, the batch is redone on the decoded rows,
// so values no row refers to never raise errors.
//
// # Semantics
//
// SQL semantics as in PostgreSQL and DuckDB:
//   - NULL propagates through arithmetic, comparison, string and date
//     functions; AND, OR and NOT are three-valued; x IN (..., NULL) is NULL
//     when nothing matches; CASE takes the first TRUE condition.
//   - CASE branches and conditions and COALESCE arguments after the first
//     are lazy: each is evaluated over the whole batch first and, only if
//     that fails (or it calls a plugin), again for just the rows that need
//     it, so an error on rows that never reach it is not reported. AND and
//     OR evaluate both sides over the batch (skipping the right side only
//     when the left decides every row); as in PostgreSQL, their operand
//     order does not guard against errors.
//   - Integer add, sub, mul, neg and abs fail on overflow (ErrOverflow,
//     naming the operation and operands); x / 0 and x % 0 are NULL. Float
//     arithmetic follows IEEE (overflow gives ±Inf), except division and
//     modulo by zero, which are NULL.
//   - Decimal arithmetic is exact in 128 bits (math/big for the rare
//     intermediate beyond that), rounded half away from zero to the result
//     scale the tree states; a result beyond its precision fails.
//   - Floats compare as in PostgreSQL: NaN equals NaN and is greater than
//     every other value.
//   - Strings compare bytewise (UTF-8 code point order). length, substr and
//     LIKE's _ count characters, not bytes. LIKE's escape is backslash; a
//     pattern ending in it is an error.
//   - substr(s, pos[, len]) follows Spark: pos is 1-based, 0 acts as 1, a
//     negative pos counts from the end, len < 1 gives the empty string.
//   - round(x, d) rounds half away from zero for floats and decimals;
//     round, floor, ceil and trunc keep the argument's type, so a decimal
//     whose rounding carries past its precision fails. (The binder rounds
//     decimals with one more digit, then narrows the scale to DuckDB's
//     result type with a cast.)
//   - day_of_week is 1 (Sunday) … 7; date_trunc's week starts on Monday.
//   - The registry's functions (docs/sql-functions.md) follow DuckDB
//     where it and Spark differ, unless the registry says otherwise; most
//     run row at a time over typed accessors (rowfunc.go), strict and, for
//     strings, liftable. Domain errors (sqrt of a negative, log of zero,
//     make_date of an impossible date, a strptime mismatch) are
//     ErrInvalidArg.
//
// Casts (matrix in cast.go): float → integer rounds half to even like
// PostgreSQL (2.5 → 2, 3.5 → 4); decimal → integer rounds half away from
// zero (PostgreSQL's numeric rounding); float → decimal goes through the
// float's shortest decimal form (0.1 → 0.10), never exposing binary noise;
// out-of-range values and unparsable strings fail with a *CastError.
package eval
