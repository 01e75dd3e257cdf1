package expr

// Canonical function names. The SQL front end maps SQL syntax onto these;
// the binder (Bind) knows their signatures; package expr/eval implements
// them. A name containing a dot ("textkit.slug") is a plugin function.
const (
	// Arithmetic: two numeric args (FnNeg: one).
	FnAdd = "add"
	FnSub = "sub"
	FnMul = "mul"
	FnDiv = "div"
	FnMod = "mod"
	FnNeg = "neg"

	// Comparison: two args of a common type, bool result, NULL if either is NULL.
	FnEq = "eq"
	FnNe = "ne"
	FnLt = "lt"
	FnLe = "le"
	FnGt = "gt"
	FnGe = "ge"

	// Logic with SQL three-valued semantics.
	FnAnd = "and"
	FnOr  = "or"
	FnNot = "not"

	FnIsNull    = "is_null"     // never NULL
	FnIsNotNull = "is_not_null" // never NULL
	// FnIn: Args[0] IN (Args[1:]...). NULL when no match and a NULL is involved.
	FnIn = "in"
	// FnLike: Args[0] LIKE Args[1] (pattern, usually a literal; % and _ wildcards,
	// backslash escapes). FnILike is case-insensitive.
	FnLike  = "like"
	FnILike = "ilike"
	// FnCase: WHEN/THEN pairs then an ELSE: Args = [c1, v1, c2, v2, ..., else].
	// The ELSE is always present (NULL literal when the SQL had none).
	FnCase = "case"
	// FnCast: Args[0] converted to the node's Type.
	FnCast     = "cast"
	FnCoalesce = "coalesce"
	FnNullIf   = "nullif"

	// Strings.
	FnConcat     = "concat" // || and concat(): NULL if any arg is NULL
	FnLower      = "lower"
	FnUpper      = "upper"
	FnLength     = "length" // characters, not bytes
	FnSubstr     = "substr" // substr(s, start[, len]), 1-based
	FnTrim       = "trim"
	FnLTrim      = "ltrim"
	FnRTrim      = "rtrim"
	FnReplace    = "replace"
	FnStartsWith = "starts_with"
	FnEndsWith   = "ends_with"
	FnContains   = "contains"

	// Numbers.
	FnAbs   = "abs"
	FnRound = "round" // round(x[, digits])
	FnFloor = "floor"
	FnCeil  = "ceil"

	// Dates and timestamps. Extractors return int32.
	FnYear      = "year"
	FnMonth     = "month"
	FnDay       = "day"
	FnHour      = "hour"
	FnDayOfWeek = "day_of_week" // 1 = Sunday … 7 = Saturday, like MySQL DAYOFWEEK
	// FnDateTrunc: date_trunc('year'|'quarter'|'month'|'week'|'day'|'hour', x);
	// the unit literal is Args[0]. Returns x's type.
	FnDateTrunc = "date_trunc"
	// FnDateAdd: date_add(date, days) for dates.
	FnDateAdd  = "date_add"
	FnDateDiff = "date_diff" // date_diff(end, start) in days
)

// AggFunc names an aggregate function.
type AggFunc uint8

// Aggregate functions. CountStar counts rows; Count counts non-NULL values.
const (
	AggSum AggFunc = iota
	AggCount
	AggCountStar
	AggMin
	AggMax
	AggAvg
)

var aggNames = [...]string{"sum", "count", "count(*)", "min", "max", "avg"}

func (f AggFunc) String() string { return aggNames[f] }

// AggFuncByName maps a SQL aggregate name to its AggFunc.
var AggFuncByName = map[string]AggFunc{
	"sum": AggSum, "count": AggCount, "min": AggMin, "max": AggMax, "avg": AggAvg,
}

// Bound trees: the contract between the binder (Bind, which type-checks and
// inserts casts) and the evaluator (package expr/eval, which trusts it and
// does no coercion of its own). After Bind every node has Type and
// Nullable set and every column its Index, and:
//
//   - eq, ne, lt, le, gt, ge: both args have the same Type; result bool.
//   - add, sub, mul, mod: non-decimal operands have the same Type, which is
//     the result type. If either side is decimal, both are decimal (integers
//     cast via types.AsDecimal) but may differ in precision/scale; the result
//     Type is types.ArithmeticResult. neg, abs: arg Type = result Type.
//   - div: decimal/decimal as above; otherwise both args are float64 (or both
//     float32) and the result is float64 (float32); x/0 is NULL, as in
//     Spark and MySQL, never an error or infinity.
//   - and, or, not: bool args. is_null, is_not_null: any arg, never NULL.
//   - in: all args have Args[0]'s Type. like, ilike: string args.
//   - case: conditions bool; every THEN and the ELSE have the result Type.
//   - coalesce, nullif: every arg has the result Type.
//   - cast: any arg type to the node's Type (see eval for the cast matrix;
//     a string that does not parse is a row error, not NULL).
//   - concat: string args (others cast to string). substr: (string, int64
//     [, int64]). replace: three strings. starts_with, ends_with, contains:
//     two strings → bool. lower, upper, trim, ltrim, rtrim: string.
//     length: string → int64.
//   - round: (x, int64 digits) with x float64 or decimal, result x's Type;
//     floor, ceil: float64 or decimal, result x's Type.
//   - year, month, day, hour, day_of_week: date or timestamp → int32.
//     date_trunc: (string literal unit, date|timestamp) → arg's Type.
//     date_add: (date, int64 days) → date. date_diff: (date, date) → int64.
//   - plugin functions (name with a dot): args as the plugin declared.
//
// Aggregate result types: count, count(*) → int64; sum(int32|int64) → int64;
// sum(decimal(p,s)) → decimal(38,s); sum(float32|float64) → float64;
// avg(any numeric) → float64; min, max → the arg's Type.
