package expr

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/drover-etl/drover/types"
)

// QueryClock, when the FuncResolver given to Bind implements it, fixes
// the instant current_date and current_timestamp denote for a whole
// query; the SQL front end passes one resolver per query. Without it a
// Bind call reads the wall clock once.
type QueryClock interface {
	QueryTime() time.Time
}

// WithClock returns a resolver that types plugin functions as funcs does
// (nil: no plugins) and fixes the query's instant at at: the engine plans
// a whole job at one instant, and a resumed run at its first driver's.
func WithClock(funcs FuncResolver, at time.Time) FuncResolver {
	return clocked{funcs: funcs, at: at}
}

type clocked struct {
	funcs FuncResolver
	at    time.Time
}

func (c clocked) QueryTime() time.Time { return c.at }

func (c clocked) ResolveFunc(name string, args []types.Type) (types.Type, error) {
	if c.funcs == nil {
		return types.Type{}, &bindError{kind: ErrUnknownFunction, msg: fmt.Sprintf("unknown function %q (no plugin provides it)", name)}
	}
	return c.funcs.ResolveFunc(name, args)
}

// Plugins is the resolver funcs wraps (WithClock), else funcs: callers
// asking the plugins other questions (transform schemas) look there.
func Plugins(funcs FuncResolver) FuncResolver {
	if c, ok := funcs.(clocked); ok {
		return c.funcs
	}
	return funcs
}

var dateSignatures = map[string]signature{
	FnDatePart:         {2, 2, bindDatePartUnit},
	FnQuarter:          {1, 1, bindDatePartOf("quarter")},
	FnMinute:           {1, 1, bindDatePartOf("minute")},
	FnSecond:           {1, 1, bindDatePartOf("second")},
	FnDayOfYear:        {1, 1, bindDatePartOf("doy")},
	FnWeekOfYear:       {1, 1, bindDatePartOf("week")},
	FnDateSub:          {2, 2, bindDateSub},
	FnAddMonths:        {2, 2, bindAddMonths},
	FnMonthsBetween:    {2, 3, typed(types.Float64Type, "ppb", false)},
	FnLastDay:          {1, 1, typed(types.DateType, "d", false)},
	FnMakeDate:         {3, 3, typed(types.DateType, "i", false)},
	FnStrftime:         {2, 2, bindFormatTime},
	FnDateFormat:       {2, 2, bindFormatTime},
	FnStrptime:         {2, 2, typed(types.TimestampType, "s", false)},
	FnToDate:           {1, 2, bindToDate},
	FnToTimestamp:      {1, 2, bindToTimestamp},
	FnUnixTimestamp:    {0, 2, bindUnixTimestamp},
	FnFromUnixtime:     {1, 2, typed(types.StringType, "is", false)},
	FnCurrentDate:      {0, 0, bindNow},
	FnCurrentTimestamp: {0, 0, bindNow},
	FnAddInterval:      {4, 4, bindAddInterval},
	FnDayName:          {1, 1, typed(types.StringType, "t", false)},
	FnMonthName:        {1, 1, typed(types.StringType, "t", false)},
}

// DatePartUnits are date_part's units after normalization; datePartAliases
// maps the other spellings DuckDB accepts.
var DatePartUnits = []string{"year", "quarter", "month", "week", "day", "dow", "isodow", "doy",
	"hour", "minute", "second", "millisecond", "microsecond", "epoch", "decade", "century", "millennium", "isoyear"}

var datePartAliases = map[string]string{
	"years": "year", "y": "year", "yr": "year", "yrs": "year", "quarters": "quarter", "months": "month", "mon": "month",
	"weeks": "week", "w": "week", "weekofyear": "week", "days": "day", "d": "day", "dayofmonth": "day",
	"dayofweek": "dow", "weekday": "dow", "dayofyear": "doy", "hours": "hour", "h": "hour", "hr": "hour",
	"minutes": "minute", "min": "minute", "m": "minute", "seconds": "second", "sec": "second", "s": "second",
	"milliseconds": "millisecond", "ms": "millisecond", "microseconds": "microsecond", "us": "microsecond",
	"decades": "decade", "centuries": "century", "millennia": "millennium",
}

// NormalizeDatePart maps a date_part unit spelling to its canonical one.
func NormalizeDatePart(unit string) (string, bool) {
	u := strings.ToLower(strings.TrimSpace(unit))
	if a, ok := datePartAliases[u]; ok {
		u = a
	}
	return u, slices.Contains(DatePartUnits, u)
}

func bindDatePartUnit(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	v, err := literalArg(e, args[0], types.String, "a unit string")
	if err != nil {
		return nil, err
	}
	unit, ok := NormalizeDatePart(v.S)
	if !ok {
		return nil, typeErrorf("date_part unit %q is not one of %s in %s", v.S, strings.Join(DatePartUnits, ", "), e)
	}
	return datePartCall(e, unit, args[1])
}

func datePartCall(e *Expr, unit string, x *Expr) (*Expr, error) {
	x, err := asDateOrTimestamp(e, x)
	if err != nil {
		return nil, err
	}
	t := types.Int64Type
	if unit == "epoch" {
		t = types.Float64Type
	}
	return typedCall(FnDatePart, t, x.Nullable, Lit(types.StringValue(unit)), x), nil
}

// bindDatePartOf binds quarter(x), minute(x)... as date_part(unit, x).
func bindDatePartOf(unit string) bindFunc {
	return func(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
		return datePartCall(e, unit, args[0])
	}
}

// bindDateSub: date_sub(d, n) is date_add(d, -n).
func bindDateSub(b *binder, e *Expr, args []*Expr) (*Expr, error) {
	n, err := asInt64(e, args[1])
	if err != nil {
		return nil, err
	}
	neg, err := bindNeg(b, e, []*Expr{n})
	if err != nil {
		return nil, err
	}
	return bindDateAdd(b, e, []*Expr{args[0], neg})
}

func bindAddMonths(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	out, err := coerceArgs(e, args, "ti")
	if err != nil {
		return nil, err
	}
	return typedCall(FnAddMonths, out[0].Type, anyNullable(out), out...), nil
}

// bindFormatTime types strftime and date_format; a string first argument
// is read as a timestamp.
func bindFormatTime(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	x := args[0]
	if x.Type.ID == types.String && !x.IsLiteral() {
		x = castTo(x, types.TimestampType)
	}
	out, err := coerceArgs(e, []*Expr{x, args[1]}, "ts")
	if err != nil {
		return nil, err
	}
	return typedCall(e.Name, types.StringType, anyNullable(out), out...), nil
}

// bindToDate: to_date(string[, pattern]) parses (NULL when it does not);
// to_date(date|timestamp) is a cast.
func bindToDate(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	if t := args[0].Type.ID; len(args) == 1 && (t == types.Date || t == types.Timestamp) {
		return castTo(args[0], types.DateType), nil
	}
	out, err := coerceArgs(e, args, "s")
	if err != nil {
		return nil, err
	}
	return typedCall(FnToDate, types.DateType, true, out...), nil
}

// bindToTimestamp: a number is epoch seconds (DuckDB); a string parses
// as to_date does.
func bindToTimestamp(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	a := args[0]
	switch {
	case len(args) == 1 && (a.Type.ID == types.Date || a.Type.ID == types.Timestamp):
		return castTo(a, types.TimestampType), nil
	case len(args) == 1 && a.Type.IsNumeric():
		f, err := asFloat64(e, a)
		if err != nil {
			return nil, err
		}
		return typedCall(FnToTimestamp, types.TimestampType, f.Nullable, f), nil
	}
	out, err := coerceArgs(e, args, "s")
	if err != nil {
		return nil, err
	}
	return typedCall(FnToTimestamp, types.TimestampType, true, out...), nil
}

// bindUnixTimestamp: no argument is the query's start; a date or
// timestamp converts; a string parses (default yyyy-MM-dd HH:mm:ss).
func bindUnixTimestamp(b *binder, e *Expr, args []*Expr) (*Expr, error) {
	if len(args) == 0 {
		return Lit(types.Int64Value(b.now().Unix())), nil
	}
	if t := args[0].Type.ID; t == types.Date || t == types.Timestamp {
		if len(args) > 1 {
			return nil, typeErrorf("unix_timestamp takes a pattern only with a string, in %s", e)
		}
		x := castTo(args[0], types.TimestampType)
		return typedCall(FnUnixTimestamp, types.Int64Type, x.Nullable, x), nil
	}
	out, err := coerceArgs(e, args, "s")
	if err != nil {
		return nil, err
	}
	return typedCall(FnUnixTimestamp, types.Int64Type, true, out...), nil
}

// bindNow replaces current_date and current_timestamp by literals.
func bindNow(b *binder, e *Expr, _ []*Expr) (*Expr, error) {
	now := b.now()
	us := now.UnixMicro()
	if e.Name == FnCurrentDate {
		return Lit(types.DateValue(int32(floorDivInt(us, 86_400_000_000)))), nil
	}
	return Lit(types.TimestampValue(us)), nil
}

func floorDivInt(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// now is the query's instant: the resolver's QueryClock, else the wall
// clock read once per Bind.
func (b *binder) now() time.Time {
	if b.clock.IsZero() {
		if c, ok := b.funcs.(QueryClock); ok && b.funcs != nil {
			b.clock = c.QueryTime()
		} else {
			b.clock = time.Now()
		}
		b.clock = b.clock.UTC().Truncate(time.Microsecond)
	}
	return b.clock
}

// bindAddInterval: add_interval(x, months, days, micros). A DATE stays a
// DATE only when micros is the literal 0; otherwise x becomes a
// TIMESTAMP.
func bindAddInterval(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	x, err := asDateOrTimestamp(e, args[0])
	if err != nil {
		return nil, err
	}
	parts, err := coerceArgs(e, args[1:], "i")
	if err != nil {
		return nil, err
	}
	micros := parts[2]
	if x.Type.ID == types.Date && !(micros.IsLiteral() && !micros.Value.Null && micros.Value.I == 0) {
		x = castTo(x, types.TimestampType)
	}
	out := append([]*Expr{x}, parts...)
	return typedCall(FnAddInterval, x.Type, anyNullable(out), out...), nil
}

// bindDateDiff3: date_diff('unit', start, end) counts unit boundaries.
func bindDateDiff3(e *Expr, args []*Expr) (*Expr, error) {
	v, err := literalArg(e, args[0], types.String, "a unit string")
	if err != nil {
		return nil, err
	}
	unit, ok := NormalizeDatePart(v.S)
	if !ok || !slices.Contains(DateDiffUnits, unit) {
		return nil, typeErrorf("date_diff unit %q is not one of %s in %s", v.S, strings.Join(DateDiffUnits, ", "), e)
	}
	kind := "t"
	if args[1].Type.ID == types.Timestamp || args[2].Type.ID == types.Timestamp {
		kind = "p"
	}
	out, err := coerceArgs(e, args[1:], kind)
	if err != nil {
		return nil, err
	}
	if out[0].Type != out[1].Type {
		out = castAll(out, types.TimestampType)
	}
	all := append([]*Expr{Lit(types.StringValue(unit))}, out...)
	return typedCall(FnDateDiff, types.Int64Type, anyNullable(out), all...), nil
}

// DateDiffUnits are the units the three-argument date_diff takes.
var DateDiffUnits = []string{"year", "quarter", "month", "week", "day", "hour", "minute", "second",
	"millisecond", "microsecond", "decade", "century", "millennium", "isoyear", "dow", "isodow", "doy", "epoch"}
