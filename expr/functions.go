package expr

import "fmt"

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
	FnDateDiff = "date_diff" // date_diff(end, start) in days, or date_diff('unit', start, end)

	// Strings (see registry.go for the one-line semantics of each).
	FnRegexpLike     = "regexp_like"
	FnRegexpExtract  = "regexp_extract"
	FnRegexpReplace  = "regexp_replace"
	FnSplitPart      = "split_part"
	FnConcatWS       = "concat_ws"
	FnLPad           = "lpad"
	FnRPad           = "rpad"
	FnStrpos         = "strpos"
	FnLocate         = "locate"
	FnInitcap        = "initcap"
	FnTranslate      = "translate"
	FnRepeat         = "repeat"
	FnReverse        = "reverse"
	FnLeft           = "left"
	FnRight          = "right"
	FnASCII          = "ascii"
	FnChr            = "chr"
	FnMD5            = "md5"
	FnSHA1           = "sha1"
	FnSHA2           = "sha2"
	FnSHA256         = "sha256"
	FnCRC32          = "crc32"
	FnXXHash64       = "xxhash64"
	FnJSONExtractStr = "json_extract_string"
	FnOctetLength    = "octet_length"
	FnBitLength      = "bit_length"
	FnToBase64       = "to_base64"
	FnFromBase64     = "from_base64"
	FnHex            = "hex"
	FnLevenshtein    = "levenshtein"
	FnIsNaN          = "isnan"
	FnIsInf          = "isinf"
	FnIsFinite       = "isfinite"
	FnDayName        = "dayname"
	FnMonthName      = "monthname"

	// Math. Transcendental functions take and return float64.
	FnSqrt     = "sqrt"
	FnCbrt     = "cbrt"
	FnPower    = "power"
	FnExp      = "exp"
	FnLn       = "ln"
	FnLog      = "log" // log(x) is log10 (DuckDB); log(b, x) is base b
	FnLog10    = "log10"
	FnLog2     = "log2"
	FnSign     = "sign"
	FnTrunc    = "trunc"
	FnPi       = "pi"
	FnDegrees  = "degrees"
	FnRadians  = "radians"
	FnSin      = "sin"
	FnCos      = "cos"
	FnTan      = "tan"
	FnAsin     = "asin"
	FnAcos     = "acos"
	FnAtan     = "atan"
	FnAtan2    = "atan2"
	FnGreatest = "greatest"
	FnLeast    = "least"

	// Conditional functions the binder rewrites to case.
	FnIf   = "if"
	FnNvl2 = "nvl2"

	// Dates and timestamps.
	FnDatePart      = "date_part" // date_part('unit' literal, x) → int64 (epoch: float64)
	FnQuarter       = "quarter"
	FnMinute        = "minute"
	FnSecond        = "second"
	FnDayOfYear     = "day_of_year"
	FnWeekOfYear    = "weekofyear"
	FnDateSub       = "date_sub"
	FnAddMonths     = "add_months"
	FnMonthsBetween = "months_between"
	FnLastDay       = "last_day"
	FnMakeDate      = "make_date"
	FnStrftime      = "strftime"
	FnDateFormat    = "date_format"
	FnStrptime      = "strptime"
	FnToDate        = "to_date"
	FnToTimestamp   = "to_timestamp"
	FnUnixTimestamp = "unix_timestamp"
	FnFromUnixtime  = "from_unixtime"
	// FnCurrentDate and FnCurrentTimestamp are replaced by literals at
	// bind time (see QueryClock), so every row and task of a query sees
	// the same instant.
	FnCurrentDate      = "current_date"
	FnCurrentTimestamp = "current_timestamp"
	// FnAddInterval: add_interval(x, months, days, micros) adds an
	// interval to a date or timestamp; the SQL front end turns
	// x ± INTERVAL '...' into it. Months first (clamped to the month's
	// last day, like DuckDB), then days, then micros. A DATE stays a DATE
	// when micros is a literal 0, else the result is a TIMESTAMP.
	FnAddInterval = "add_interval"
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
	AggStddevSamp
	AggStddevPop
	AggVarSamp
	AggVarPop
	AggCountIf
	AggBoolAnd
	AggBoolOr
	AggAnyValue
	AggFirst
	AggLast
	AggCorr
	AggCovarSamp
	AggCovarPop
	AggMedian
	AggQuantileCont
	AggQuantileDisc
	AggApproxQuantile
	AggApproxCountDistinct
	// AggSingleValue guards scalar subqueries: NULL on no rows, the value
	// on exactly one, a fatal "scalar subquery returned more than one row"
	// on more.
	AggSingleValue
	AggStringAgg
	AggArgMax
	AggArgMin
)

var aggNames = [...]string{"sum", "count", "count(*)", "min", "max", "avg",
	"stddev_samp", "stddev_pop", "var_samp", "var_pop", "count_if", "bool_and", "bool_or",
	"any_value", "first", "last", "corr", "covar_samp", "covar_pop", "median",
	"quantile_cont", "quantile_disc", "approx_quantile", "approx_count_distinct", "single_value",
	"string_agg", "arg_max", "arg_min"}

func (f AggFunc) String() string {
	if int(f) < len(aggNames) {
		return aggNames[f]
	}
	return fmt.Sprintf("agg(%d)", f)
}

// AggFuncByName maps a SQL aggregate name (canonical or alias, lower case)
// to its AggFunc. It is filled from the function registry (registry.go),
// so the two cannot disagree.
var AggFuncByName = map[string]AggFunc{}

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
//     floor, ceil, trunc: (x[, int64 digits]), float64 or decimal, result
//     x's Type.
//   - year, month, day, hour, day_of_week: date or timestamp → int32.
//     date_trunc: (string literal unit, date|timestamp) → arg's Type.
//     date_add: (date, int64 days) → date. date_diff: (date, date) → int64,
//     or (string literal unit, T, T) with T date or timestamp → int64.
//     date_part: (string literal unit, date|timestamp) → int64 (epoch:
//     float64), the unit normalized (NormalizeDatePart).
//   - the registry's other functions: arguments converted to the types its
//     Args column names (strings, int64, float64 for math, date or
//     timestamp), result as its Result column says. The binder rewrites
//     if, nvl2 (to case), date_sub (to date_add), quarter, minute, second,
//     day_of_year, weekofyear (to date_part) and replaces current_date,
//     current_timestamp and unix_timestamp() by literals; those names never
//     appear in bound trees.
//   - plugin functions (name with a dot): args as the plugin declared.
//
// Aggregate result types: count, count(*) → int64; sum(int32|int64) → int64;
// sum(decimal(p,s)) → decimal(38,s); sum(float32|float64) → float64;
// avg(any numeric) → float64; min, max → the arg's Type; the others as
// AggResultType and the registry state.
