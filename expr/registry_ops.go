package expr

import "github.com/drover-etl/drover/types"

// Sample argument shorthands for the registry tables.
var (
	sS   = types.StringType
	sI   = types.Int64Type
	sF   = types.Float64Type
	sD   = types.DateType
	sT   = types.TimestampType
	sB   = types.BoolType
	sDec = types.DecimalOf(12, 2)
)

func litS(s string) types.Value { return types.StringValue(s) }
func litI(i int64) types.Value  { return types.Int64Value(i) }
func litF(f float64) types.Value {
	return types.Float64Value(f)
}

var operatorFuncs = []FuncInfo{
	op(FnAdd, "a + b", nil, "(numeric, numeric)", "common numeric type; decimals per types.ArithmeticResult; date + integer → date", "Addition; integer overflow is an error. date + n adds n days.", sI, sI),
	op(FnSub, "a - b", nil, "(numeric, numeric)", "as +; date - integer → date; date - date → int64 days", "Subtraction. date - n subtracts days; date - date is the number of days between (DuckDB).", sI, sI),
	op(FnMul, "a * b", nil, "(numeric, numeric)", "as +", "Multiplication.", sI, sI),
	op(FnDiv, "a / b", nil, "(numeric, numeric)", "float64 (float32 for two float32; decimals divide as float64, as in DuckDB)", "Division; for floats IEEE 754 as in DuckDB (x / 0 is ±Inf, 0 / 0 NaN).", sI, sI),
	op(FnMod, "a % b", names("mod"), "(numeric, numeric)", "common numeric type", "Remainder with the sign of the dividend; x % 0 is NULL.", sI, sI),
	op(FnNeg, "-a", nil, "(numeric)", "the argument's type", "Negation.", sI),
	op(FnEq, "a = b", nil, "(T, T)", "bool", "Equality; NULL if either side is NULL.", sI, sI),
	op(FnNe, "a <> b", nil, "(T, T)", "bool", "Inequality (also !=).", sI, sI),
	op(FnLt, "a < b", nil, "(T, T)", "bool", "Less than.", sI, sI),
	op(FnLe, "a <= b", nil, "(T, T)", "bool", "Less than or equal.", sI, sI),
	op(FnGt, "a > b", nil, "(T, T)", "bool", "Greater than.", sI, sI),
	op(FnGe, "a >= b", nil, "(T, T)", "bool", "Greater than or equal.", sI, sI),
	op(FnAnd, "a AND b", nil, "(bool, bool, ...)", "bool", "Three-valued conjunction.", sB, sB),
	op(FnOr, "a OR b", nil, "(bool, bool, ...)", "bool", "Three-valued disjunction.", sB, sB),
	op(FnNot, "NOT a", nil, "(bool)", "bool", "Negation; NOT NULL is NULL.", sB),
	op(FnIsNull, "a IS NULL", names("isnull"), "(any)", "bool, never NULL", "True when the argument is NULL.", sI),
	op(FnIsNotNull, "a IS NOT NULL", names("isnotnull"), "(any)", "bool, never NULL", "True when the argument is not NULL.", sI),
	op(FnIn, "a IN (b, c, ...)", nil, "(T, T, ...)", "bool", "Membership; NULL when nothing matches and a NULL is involved.", sI, sI, sI),
	op(FnLike, "a LIKE p", nil, "(string, string)", "bool", "Pattern match with % and _; backslash escapes.", sS, litS("a%")),
	op(FnILike, "a ILIKE p", nil, "(string, string)", "bool", "Case-insensitive LIKE.", sS, litS("a%")),
	op(FnCase, "CASE WHEN c THEN v ... ELSE e END", nil, "(bool, T, ..., T)", "common type of the branches", "First branch whose condition is TRUE; branches are evaluated lazily.", sB, sI, sI),
	op(FnCast, "CAST(x AS type)", nil, "(any)", "the target type", "Conversion; a string that does not parse is an error.", sI),
}

var conditionalFuncs = []FuncInfo{
	scalar(catConditional, FnCoalesce, names("ifnull", "nvl"), "(T, T, ...)", "common type", "First non-NULL argument; later arguments are evaluated lazily.", sI, sI),
	scalar(catConditional, FnNullIf, nil, "(T, T)", "common type", "NULL when a = b, else a.", sI, sI),
	scalar(catConditional, FnIf, names("iff"), "(bool, T, T)", "common type of the branches", "if(c, a, b) is CASE WHEN c THEN a ELSE b END (a NULL condition takes b).", sB, sI, sI),
	scalar(catConditional, FnNvl2, nil, "(any, T, T)", "common type of b and c", "nvl2(x, b, c): b when x is not NULL, else c.", sI, sI, sI),
	scalar(catConditional, FnGreatest, nil, "(T, T, ...)", "common type", "Largest argument, ignoring NULLs; NULL only when all are NULL (DuckDB and Spark).", sI, sI),
	scalar(catConditional, FnLeast, nil, "(T, T, ...)", "common type", "Smallest argument, ignoring NULLs; NULL only when all are NULL.", sI, sI),
}
