package expr

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/drover-etl/drover/types"
)

func testSchema() *types.Schema {
	f := func(q, n string, t types.Type) types.Field {
		return types.Field{Qualifier: q, Name: n, Type: t, Nullable: true}
	}
	return types.NewSchema(
		f("o", "status", types.StringType),                             // 0
		f("o", "amount", types.Float64Type),                            // 1
		f("o", "qty", types.Int32Type),                                 // 2
		f("o", "id", types.Int64Type),                                  // 3
		f("o", "price", types.DecimalOf(10, 2)),                        // 4
		f("o", "day", types.DateType),                                  // 5
		f("o", "ts", types.TimestampType),                              // 6
		f("o", "flag", types.BoolType),                                 // 7
		f("o", "f32", types.Float32Type),                               // 8
		f("c", "id", types.Int64Type),                                  // 9
		types.Field{Qualifier: "o", Name: "nn", Type: types.Int32Type}, // 10, NOT NULL
	)
}

func c(name string) *Expr { return Col("", name) }
func i64(i int64) *Expr   { return Lit(types.Int64Value(i)) }
func str(s string) *Expr  { return Lit(types.StringValue(s)) }
func dec(s string) *Expr {
	v, err := types.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return Lit(v)
}
func null() *Expr { return Lit(types.NullValue(types.NullType)) }

func TestBind(t *testing.T) {
	tests := []struct {
		name     string
		in       *Expr
		want     string
		wantType string
	}{
		{"int32 column keeps its type against a literal", Call(FnEq, c("qty"), i64(5)), "(o.qty#2 = 5)", "bool"},
		{"literal too big widens the column", Call(FnEq, c("qty"), i64(3_000_000_000)), "(cast(o.qty#2 AS int64) = 3000000000)", "bool"},
		{"negative literal folds", Call(FnGt, c("qty"), Call(FnNeg, i64(5))), "(o.qty#2 > -5)", "bool"},
		{"string literal becomes a date", Call(FnEq, c("day"), str("2026-11-20")), "(o.day#5 = DATE '2026-11-20')", "bool"},
		{"string literal becomes a timestamp", Call(FnGe, c("ts"), str("2026-11-20 10:00:00")), "(o.ts#6 >= TIMESTAMP '2026-11-20 10:00:00')", "bool"},
		{"date against timestamp", Call(FnLt, c("day"), c("ts")), "(cast(o.day#5 AS timestamp) < o.ts#6)", "bool"},
		{"decimal literal to float column", Call(FnGt, c("amount"), dec("1.5")), "(o.amount#1 > 1.5)", "bool"},
		{"decimal literal to float32 column", Call(FnGt, c("f32"), dec("0.1")), "(o.f32#8 > 0.10000000149011612)", "bool"},
		{"decimal column against int literal", Call(FnEq, c("price"), i64(5)), "(o.price#4 = 5.00)", "bool"},
		{"decimal column against wider literal", Call(FnEq, c("price"), dec("1.555")), "(cast(o.price#4 AS decimal(11,3)) = 1.555)", "bool"},
		{"qualified column", Call(FnEq, Col("c", "id"), Col("o", "id")), "(c.id#9 = o.id#3)", "bool"},
		{"int32 plus int64", Call(FnAdd, c("qty"), Col("o", "id")), "(cast(o.qty#2 AS int64) + o.id#3)", "int64"},
		{"int32 plus literal stays int32", Call(FnAdd, c("qty"), i64(1)), "(o.qty#2 + 1)", "int32"},
		{"integer division is float", Call(FnDiv, c("qty"), i64(2)), "(cast(o.qty#2 AS float64) / 2)", "float64"},
		{"float32 division", Call(FnDiv, c("f32"), i64(2)), "(o.f32#8 / 2)", "float32"},
		{"decimal times int literal", Call(FnMul, c("price"), i64(2)), "(o.price#4 * 2)", "decimal(12,2)"},
		{"decimal plus int column", Call(FnAdd, c("price"), c("qty")), "(o.price#4 + cast(o.qty#2 AS decimal(10,0)))", "decimal(13,2)"},
		{"decimal plus float", Call(FnAdd, c("price"), c("amount")), "(cast(o.price#4 AS float64) + o.amount#1)", "float64"},
		{"decimal division is double division", Call(FnDiv, c("price"), dec("2.5")), "(cast(o.price#4 AS float64) / 2.5)", "float64"},
		{"and", Call(FnAnd, Call(FnEq, c("status"), str("paid")), Call(FnGt, c("amount"), i64(0))), `((o.status#0 = "paid") AND (o.amount#1 > 0))`, "bool"},
		{"in shrinks literals", Call(FnIn, c("qty"), i64(1), i64(2)), "in(o.qty#2, 1, 2)", "bool"},
		{"in with null", Call(FnIn, c("status"), str("a"), null()), `in(o.status#0, "a", NULL)`, "bool"},
		{"like", Call(FnLike, c("status"), str("p%")), `like(o.status#0, "p%")`, "bool"},
		{"case without else", Call(FnCase, c("flag"), i64(1), Call(FnGt, c("qty"), i64(3)), c("qty")), "case(o.flag#7, 1, (o.qty#2 > 3), o.qty#2, NULL)", "int32"},
		{"case branches widen", Call(FnCase, c("flag"), c("amount"), c("qty")), "case(o.flag#7, o.amount#1, cast(o.qty#2 AS float64))", "float64"},
		{"cast string literal to date folds", Cast(str("2026-01-02"), types.DateType), "DATE '2026-01-02'", "date"},
		{"cast to same type vanishes", Cast(c("qty"), types.Int32Type), "o.qty#2", "int32"},
		{"cast timestamp to date", Cast(c("ts"), types.DateType), "cast(o.ts#6 AS date)", "date"},
		{"coalesce", Call(FnCoalesce, c("qty"), i64(0)), "coalesce(o.qty#2, 0)", "int32"},
		{"nullif", Call(FnNullIf, c("amount"), i64(0)), "nullif(o.amount#1, 0)", "float64"},
		{"concat casts", Call(FnConcat, c("status"), c("qty")), "(o.status#0 || cast(o.qty#2 AS string))", "string"},
		{"substr widens ints", Call(FnSubstr, c("status"), i64(1), c("qty")), "substr(o.status#0, 1, cast(o.qty#2 AS int64))", "string"},
		{"length", Call(FnLength, c("status")), "length(o.status#0)", "int64"},
		{"round gets digits", Call(FnRound, c("amount")), "round(o.amount#1, 0)", "float64"},
		{"round of int is decimal", Call(FnRound, c("qty"), i64(-1)), "round(cast(o.qty#2 AS decimal(10,0)), -1)", "decimal(10,0)"},
		{"floor of int is the int", Call(FnFloor, c("qty")), "o.qty#2", "int32"},
		{"ceil of float32", Call(FnCeil, c("f32")), "ceil(cast(o.f32#8 AS float64))", "float64"},
		{"year", Call(FnYear, c("ts")), "year(o.ts#6)", "int32"},
		{"date_trunc", Call(FnDateTrunc, str("Month"), c("day")), `date_trunc("month", o.day#5)`, "date"},
		{"date_add of timestamp", Call(FnDateAdd, c("ts"), c("qty")), "date_add(cast(o.ts#6 AS date), cast(o.qty#2 AS int64))", "date"},
		{"date_diff with literal", Call(FnDateDiff, c("day"), str("2026-01-01")), "date_diff(o.day#5, DATE '2026-01-01')", "int64"},
		{"is null", Call(FnIsNull, c("qty")), "is_null(o.qty#2)", "bool"},
		{"equality with null literal", Call(FnEq, c("qty"), null()), "(o.qty#2 = NULL)", "bool"},
		{"already bound column", Call(FnEq, BoundCol(2, testSchema().Fields[2]), i64(1)), "(o.qty#2 = 1)", "bool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Bind(tt.in, testSchema(), nil)
			if err != nil {
				t.Fatalf("Bind(%s): %v", tt.in, err)
			}
			if got.String() != tt.want || got.Type.String() != tt.wantType {
				t.Errorf("Bind(%s) = %s : %s, want %s : %s", tt.in, got, got.Type, tt.want, tt.wantType)
			}
			checkBound(t, got)
		})
	}
}

// checkBound asserts the invariants the evaluator relies on.
func checkBound(t *testing.T, e *Expr) {
	t.Helper()
	Walk(e, func(n *Expr) bool {
		if n.Kind == KindColumn && n.Index == Unbound {
			t.Errorf("unbound column %s", n)
		}
		if n.Kind != KindCall {
			return true
		}
		switch n.Name {
		case FnEq, FnNe, FnLt, FnLe, FnGt, FnGe, FnCoalesce, FnNullIf:
			for _, a := range n.Args[1:] {
				if a.Type != n.Args[0].Type {
					t.Errorf("%s: arg types differ: %s vs %s", n, n.Args[0].Type, a.Type)
				}
			}
		case FnIn:
			for _, a := range n.Args[1:] {
				if a.Type != n.Args[0].Type {
					t.Errorf("%s: arg types differ", n)
				}
			}
		case FnAdd, FnSub, FnMul, FnMod, FnDiv:
			l, r := n.Args[0].Type, n.Args[1].Type
			if (l.ID == types.Decimal) != (r.ID == types.Decimal) || (l.ID != types.Decimal && l != r) {
				t.Errorf("%s: operand types %s, %s", n, l, r)
			}
		case FnAnd, FnOr, FnNot:
			for _, a := range n.Args {
				if a.Type != types.BoolType {
					t.Errorf("%s: non-bool operand", n)
				}
			}
		}
		return true
	})
}

func TestBindNullable(t *testing.T) {
	s := testSchema()
	tests := []struct {
		in   *Expr
		want bool
	}{
		{Call(FnAdd, c("nn"), i64(1)), false},
		{Call(FnDiv, c("nn"), i64(1)), true},
		{Call(FnIsNull, c("qty")), false},
		{Call(FnCoalesce, c("qty"), i64(0)), false},
		{Call(FnEq, c("qty"), i64(0)), true},
		{Cast(c("nn"), types.Int64Type), false},
	}
	for _, tt := range tests {
		got, err := Bind(tt.in, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nullable != tt.want {
			t.Errorf("Bind(%s).Nullable = %v, want %v", tt.in, got.Nullable, tt.want)
		}
	}
}

func TestBindErrors(t *testing.T) {
	tests := []struct {
		in      *Expr
		want    string
		wantErr error
	}{
		{Call(FnEq, c("status"), i64(5)), "cannot compare string with int64 in (status = 5)", ErrType},
		{Call(FnEq, c("amonut"), i64(5)), `unknown column "amonut" (did you mean "amount"?)`, types.ErrUnknownColumn},
		{Call(FnEq, c("id"), i64(5)), `"id" matches o.id and c.id`, types.ErrAmbiguousColumn},
		{Call(FnEq, c("day"), str("2026-13-01")), `malformed date "2026-13-01"`, ErrType},
		{Call(FnAdd, c("status"), i64(1)), "cannot apply + to string and int64 in (status + 1)", ErrType},
		{Call(FnAnd, c("flag"), c("qty")), "AND needs boolean operands, got int32 in (flag AND qty)", ErrType},
		{Call(FnLike, c("qty"), str("a")), "LIKE needs string arguments, got int32", ErrType},
		{Call(FnCase, c("qty"), i64(1), i64(2)), "CASE conditions must be boolean, got int32", ErrType},
		{Call(FnCase, c("flag"), c("status"), c("qty")), "CASE branches have incompatible types string and int32", ErrType},
		{Cast(c("day"), types.Int64Type), "cannot cast date to int64", ErrType},
		{Call("lowr", c("status")), `unknown function "lowr" (did you mean "lower"?)`, ErrUnknownFunction},
		{Call("textkit.slug", c("status")), `unknown function "textkit.slug"`, ErrUnknownFunction},
		{Call(FnSubstr, c("status")), "substr takes 2 to 3 arguments, got 1", ErrArity},
		{Call(FnDateTrunc, str("fortnight"), c("day")), `date_trunc unit "fortnight" is not one of`, ErrType},
		{Call(FnYear, c("status")), "YEAR needs a date or timestamp, got string", ErrType},
	}
	for _, tt := range tests {
		_, err := Bind(tt.in, testSchema(), nil)
		if err == nil {
			t.Errorf("Bind(%s): no error, want %q", tt.in, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.wantErr) {
			t.Errorf("Bind(%s) error = %q, want it to contain %q and match %v", tt.in, err, tt.want, tt.wantErr)
		}
	}
}

type fakeFuncs struct{}

func (fakeFuncs) ResolveFunc(name string, args []types.Type) (types.Type, error) {
	if name == "textkit.slug" && len(args) == 1 && args[0] == types.StringType {
		return types.StringType, nil
	}
	return types.Type{}, fmt.Errorf("no function %s(%v)", name, args)
}

func TestBindPlugin(t *testing.T) {
	got, err := Bind(Call("textkit.slug", c("status")), testSchema(), fakeFuncs{})
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != "textkit.slug(o.status#0)" || got.Type != types.StringType || !got.Nullable {
		t.Errorf("got %s : %s nullable=%v", got, got.Type, got.Nullable)
	}
	if _, err := Bind(Call("textkit.slug", c("qty")), testSchema(), fakeFuncs{}); err == nil ||
		!strings.Contains(err.Error(), "no function textkit.slug") {
		t.Errorf("plugin type error not reported: %v", err)
	}
}

func TestBindDoesNotModifyInput(t *testing.T) {
	in := Call(FnEq, c("qty"), i64(5))
	before := in.String()
	if _, err := Bind(in, testSchema(), nil); err != nil {
		t.Fatal(err)
	}
	if in.String() != before || in.Args[0].Index != Unbound {
		t.Errorf("input modified: %s", in)
	}
}
