package expr

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/types"
)

func TestBindRegistryErrors(t *testing.T) {
	s := testSchema()
	str := func(v string) *Expr { return Lit(types.StringValue(v)) }
	for _, tc := range []struct {
		e    *Expr
		want string
	}{
		{Call(FnRegexpLike, c("status"), str("(")), "bad regular expression"},
		{Call(FnDatePart, str("fortnight"), c("day")), `date_part unit "fortnight" is not one of`},
		{Call(FnDatePart, c("status"), c("day")), "needs a unit string as a constant"},
		{Call(FnDateDiff, str("fortnight"), c("day"), c("day")), `date_diff unit "fortnight"`},
		{Call(FnSqrt, c("status")), "SQRT needs a number"},
		{Call(FnGreatest, c("status"), c("qty")), "incompatible types"},
		{Call(FnAddInterval, c("qty"), c("qty"), c("qty"), c("qty")), "needs a date or timestamp"},
		{Call(FnLPad, c("status"), str("x")), "needs an integer argument"},
	} {
		_, err := Bind(tc.e, s, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrType) {
			t.Errorf("Bind(%s): %v, want a type error containing %q", tc.e, err, tc.want)
		}
	}
}

func TestBindRewrites(t *testing.T) {
	s := testSchema()
	for _, tc := range []struct {
		e    *Expr
		want string
		typ  types.Type
	}{
		{Call(FnAdd, c("day"), Lit(types.Int64Value(3))), "date_add(o.day#", types.DateType},
		{Call(FnSub, c("day"), c("day")), "date_diff(o.day#", types.Int64Type},
		{Call(FnQuarter, c("day")), `date_part("quarter", o.day#`, types.Int64Type},
		{Call(FnDatePart, Lit(types.StringValue("EPOCH")), c("day")), `date_part("epoch"`, types.Float64Type},
		{Call(FnIf, c("flag"), c("qty"), Lit(types.Int64Value(0))), "case(o.flag#", types.Int32Type},
		{Call(FnNvl2, c("qty"), Lit(types.StringValue("y")), Lit(types.StringValue("n"))), "case(is_not_null(o.qty#", types.StringType},
		{Call(FnAddInterval, c("day"), Lit(types.Int64Value(1)), Lit(types.Int64Value(0)), Lit(types.Int64Value(0))), "add_interval(o.day#", types.DateType},
		{Call(FnAddInterval, c("day"), Lit(types.Int64Value(0)), Lit(types.Int64Value(0)), Lit(types.Int64Value(5))), "add_interval(cast(o.day#", types.TimestampType},
		{Call(FnFloor, c("qty")), "o.qty#", types.Int32Type},
		{Call(FnRound, c("price"), Lit(types.Int64Value(1))), "cast(round(cast(o.price#4 AS decimal(11,2)), 1) AS decimal(10,1))", types.DecimalOf(10, 1)},
		{Call(FnFloor, c("price")), "cast(floor(cast(o.price#4 AS decimal(11,2))) AS decimal(10,0))", types.DecimalOf(10, 0)},
		{Call(FnRound, c("price"), Lit(types.Int64Value(-2))), "cast(round(cast(o.price#4 AS decimal(11,2)), -2) AS decimal(10,0))", types.DecimalOf(10, 0)},
		{Call(FnRound, c("price"), Col("o", "id")), "round(o.price#4, o.id#3)", types.DecimalOf(10, 2)},
		{Call(FnPower, c("qty"), Lit(types.Int64Value(2))), "power(cast(o.qty#", types.Float64Type},
	} {
		b, err := Bind(tc.e, s, nil)
		if err != nil {
			t.Fatalf("Bind(%s): %v", tc.e, err)
		}
		if !strings.HasPrefix(b.String(), tc.want) || b.Type != tc.typ {
			t.Errorf("Bind(%s) = %s : %s, want prefix %s : %s", tc.e, b, b.Type, tc.want, tc.typ)
		}
	}
}

type fixedClock struct{ at time.Time }

func (f fixedClock) QueryTime() time.Time { return f.at }
func (f fixedClock) ResolveFunc(string, []types.Type) (types.Type, error) {
	return types.Type{}, errors.New("no plugins")
}

// TestNowIsOneInstantPerQuery: the resolver's clock fixes current_date
// and current_timestamp, so they are literals equal in every place.
func TestNowIsOneInstantPerQuery(t *testing.T) {
	clock := fixedClock{time.Date(2026, 12, 7, 23, 59, 59, 500_000_000, time.UTC)}
	for name, want := range map[string]string{
		FnCurrentDate: "DATE '2026-12-07'", FnCurrentTimestamp: "TIMESTAMP '2026-12-07 23:59:59.5'",
	} {
		b, err := Bind(Call(name), testSchema(), clock)
		if err != nil || !b.IsLiteral() || b.String() != want {
			t.Errorf("%s = %v, %v; want literal %s", name, b, err, want)
		}
	}
	b, err := Bind(Call(FnUnixTimestamp), testSchema(), clock)
	if err != nil || b.String() != "1796687999" {
		t.Errorf("unix_timestamp() = %v, %v", b, err)
	}
}

func TestBindAggCall(t *testing.T) {
	s := testSchema()
	for _, tc := range []struct {
		f    AggFunc
		args []*Expr
		want string // result type, or error text
	}{
		{AggCorr, []*Expr{c("qty"), c("price")}, "float64"},
		{AggMedian, []*Expr{c("price")}, "decimal(10,2)"},
		{AggMedian, []*Expr{c("qty")}, "float64"},
		{AggQuantileDisc, []*Expr{c("status"), Lit(types.Float64Value(0.5))}, "string"},
		{AggApproxQuantile, []*Expr{c("qty"), Lit(types.Float64Value(0.5))}, "int32"},
		{AggCountIf, []*Expr{c("flag")}, "int64"},
		{AggSingleValue, []*Expr{c("status")}, "string"},
		{AggQuantileCont, []*Expr{c("qty"), Lit(types.Float64Value(1.5))}, "outside [0, 1]"},
		{AggQuantileCont, []*Expr{c("qty"), c("qty")}, "constant fraction"},
		{AggCorr, []*Expr{c("qty")}, "takes 2 argument(s), got 1"},
		{AggBoolAnd, []*Expr{c("qty")}, "needs a boolean argument"},
		{AggMedian, []*Expr{c("status")}, "use quantile_disc"},
	} {
		_, _, typ, err := BindAggCall(tc.f, tc.args, s, nil)
		got := typ.String()
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s%v: %s, want %s", tc.f, tc.args, got, tc.want)
		}
	}
}

// TestWithClock: the engine's wrapper fixes the instant without changing
// how plugin functions resolve (none, or the wrapped resolver's), and
// Plugins unwraps it for the resolver's other questions.
func TestWithClock(t *testing.T) {
	at := time.Date(2026, 12, 7, 12, 0, 0, 123_456_789, time.UTC)
	bare := WithClock(nil, at)
	b, err := Bind(Call(FnCurrentTimestamp), testSchema(), bare)
	if err != nil || b.String() != "TIMESTAMP '2026-12-07 12:00:00.123456'" {
		t.Errorf("current_timestamp = %v, %v", b, err)
	}
	if _, err := Bind(Call("textkit.slug", c("status")), testSchema(), bare); !errors.Is(err, ErrUnknownFunction) || !strings.Contains(err.Error(), "no plugin provides it") {
		t.Errorf("a plugin call without plugins: %v", err)
	}
	if Plugins(bare) != nil {
		t.Errorf("Plugins(WithClock(nil)) = %v, want nil", Plugins(bare))
	}
	inner := fixedClock{at.Add(time.Hour)}
	wrapped := WithClock(inner, at)
	if _, err := Bind(Call("textkit.slug", c("status")), testSchema(), wrapped); err == nil || !strings.Contains(err.Error(), "no plugins") {
		t.Errorf("a plugin call goes to the wrapped resolver: %v", err)
	}
	if Plugins(wrapped) != FuncResolver(inner) || Plugins(inner) != FuncResolver(inner) {
		t.Error("Plugins does not unwrap to the wrapped resolver")
	}
	if b, _ := Bind(Call(FnCurrentDate), testSchema(), wrapped); b.String() != "DATE '2026-12-07'" {
		t.Errorf("the wrapper's instant wins over the wrapped resolver's: %v", b)
	}
}
