package eval

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func decResult(t *testing.T, op string, a, b types.Type) types.Type {
	t.Helper()
	sym := map[string]string{expr.FnAdd: "+", expr.FnSub: "-", expr.FnMul: "*", expr.FnDiv: "/", expr.FnMod: "%"}[op]
	rt, ok := types.ArithmeticResult(sym, a, b)
	if !ok {
		t.Fatalf("no result type for %s %s %s", a, sym, b)
	}
	return rt
}

func TestDecimalArithmetic(t *testing.T) {
	d102, d53 := types.DecimalOf(10, 2), types.DecimalOf(5, 3)
	f := fixture{
		types: []types.Type{d102, d53},
		rows:  [][]any{{"1.50", "-2.00", "7.50", nil, "-7.50"}, {"2.125", "3.000", "0", "1", "2.125"}},
	}
	a, b := bcol(0, d102), bcol(1, d53)
	op := func(name string) *expr.Expr { return fn(name, decResult(t, name, d102, d53), a, b) }
	runCases(t, f, []evalCase{
		{"add decimal(12,3)", op(expr.FnAdd), []string{"3.625", "1.000", "7.500", "NULL", "-5.375"}, ""},
		{"sub", op(expr.FnSub), []string{"-0.625", "-5.000", "7.500", "NULL", "-9.625"}, ""},
		{"mul decimal(16,5)", op(expr.FnMul), []string{"3.18750", "-6.00000", "0.00000", "NULL", "-15.93750"}, ""},
		{"div decimal(19,8) rounds half up", op(expr.FnDiv), []string{"0.70588235", "-0.66666667", "NULL", "NULL", "-3.52941176"}, ""},
		{"mod decimal(5,3)", op(expr.FnMod), []string{"1.500", "-2.000", "NULL", "NULL", "-1.125"}, ""},
		{"neg", fn(expr.FnNeg, d102, a), []string{"-1.50", "2.00", "-7.50", "NULL", "7.50"}, ""},
		{"abs", fn(expr.FnAbs, d102, a), []string{"1.50", "2.00", "7.50", "NULL", "7.50"}, ""},
		{"add const", fn(expr.FnAdd, types.DecimalOf(11, 2), a, ldec("0.01", 10, 2)), []string{"1.51", "-1.99", "7.51", "NULL", "-7.49"}, ""},
	})
}

func TestDecimalCappedScale(t *testing.T) {
	d := types.DecimalOf(38, 10)
	rt := decResult(t, expr.FnMul, d, d) // decimal(38,6)
	if rt != types.DecimalOf(38, 6) {
		t.Fatalf("result type %s", rt)
	}
	f := fixture{
		types: []types.Type{d, d},
		rows: [][]any{
			{"1.2345675", "-1.2345675", "12345678901234567.8901234567", "0.0000004999"},
			{"1", "1", "1000", "1"},
		},
	}
	runCases(t, f, []evalCase{
		// 1.2345675 rounds half away from zero at 6 places; the third row's
		// exact product needs more than 128 bits before rounding.
		{"mul", fn(expr.FnMul, rt, bcol(0, d), bcol(1, d)),
			[]string{"1.234568", "-1.234568", "12345678901234567890.123457", "0.000000"}, ""},
	})
}

func TestDecimalOverflow(t *testing.T) {
	d := types.DecimalOf(38, 0)
	big := strings.Repeat("9", 38)
	add := fn(expr.FnAdd, decResult(t, expr.FnAdd, d, d), ldec(big, 38, 0), ldec("1", 38, 0))
	mul := fn(expr.FnMul, decResult(t, expr.FnMul, d, d), ldec("1"+strings.Repeat("0", 20), 38, 0), ldec("1"+strings.Repeat("0", 20), 38, 0))
	for _, e := range []*expr.Expr{add, mul} {
		if _, err := evalOne(t, e); err == nil || !strings.Contains(err.Error(), "decimal(38,0)") {
			t.Errorf("%s: want overflow error, got %v", e, err)
		}
	}
	// the rounding carry of round() can overflow the precision
	r := fn(expr.FnRound, types.DecimalOf(4, 2), ldec("99.99", 4, 2), li64(1))
	if _, err := evalOne(t, r); err == nil {
		t.Errorf("%s did not overflow", r)
	}
}

func TestRoundFloorCeil(t *testing.T) {
	d := types.DecimalOf(10, 3)
	f := fixture{
		types: []types.Type{d, f64T},
		rows:  [][]any{{"2.345", "-2.345", "2.500", nil, "0.000"}, {2.345, -2.5, 2.5, nil, 1234.5}},
	}
	x, y := bcol(0, d), bcol(1, f64T)
	runCases(t, f, []evalCase{
		{"round decimal 2", fn(expr.FnRound, d, x, li64(2)), []string{"2.350", "-2.350", "2.500", "NULL", "0.000"}, ""},
		{"round decimal 0", fn(expr.FnRound, d, x), []string{"2.000", "-2.000", "3.000", "NULL", "0.000"}, ""},
		{"round decimal -1", fn(expr.FnRound, d, x, li64(-1)), []string{"0.000", "0.000", "0.000", "NULL", "0.000"}, ""},
		{"floor decimal", fn(expr.FnFloor, d, x), []string{"2.000", "-3.000", "2.000", "NULL", "0.000"}, ""},
		{"ceil decimal", fn(expr.FnCeil, d, x), []string{"3.000", "-2.000", "3.000", "NULL", "0.000"}, ""},
		{"round float half away", fn(expr.FnRound, f64T, y), []string{"2", "-3", "3", "NULL", "1235"}, ""},
		{"round float -2", fn(expr.FnRound, f64T, y, li64(-2)), []string{"0", "-0", "0", "NULL", "1200"}, ""},
		{"floor float", fn(expr.FnFloor, f64T, y), []string{"2", "-3", "2", "NULL", "1234"}, ""},
		{"ceil float", fn(expr.FnCeil, f64T, y), []string{"3", "-2", "3", "NULL", "1235"}, ""},
	})
}

func TestDecimalText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		p, s int32
		want string
		ok   bool
		fits bool
	}{
		{"1.005", 10, 2, "1.01", true, true},
		{"-1.005", 10, 2, "-1.01", true, true},
		{"1.004", 10, 2, "1.00", true, true},
		{"0.0005", 10, 2, "0.00", true, true},
		{".5", 3, 0, "1", true, true},
		{"+12", 4, 2, "12.00", true, true},
		{"1e3", 10, 2, "1000.00", true, true},
		{"1.5E-1", 10, 2, "0.15", true, true},
		{"999.995", 5, 2, "", true, false},
		{"12x", 10, 2, "", false, false},
		{"", 10, 2, "", false, false},
		{"1.2.3", 10, 2, "", false, false},
		{strings.Repeat("9", 38), 38, 0, strings.Repeat("9", 38), true, true},
		{"1" + strings.Repeat("0", 38), 38, 0, "", true, false},
	} {
		n, ok, fits := parseDecimal(tc.in, tc.p, tc.s)
		if ok != tc.ok || fits != tc.fits {
			t.Errorf("parseDecimal(%q) ok=%v fits=%v", tc.in, ok, fits)
			continue
		}
		if fits && formatDecimal(n, tc.s) != tc.want {
			t.Errorf("parseDecimal(%q) = %s, want %s", tc.in, formatDecimal(n, tc.s), tc.want)
		}
	}
}

func TestInt128(t *testing.T) {
	m, _ := mul128(pow10[19], pow10[19])
	if m != pow10[38] {
		t.Fatalf("10^19 * 10^19 = %v", m)
	}
	if _, ok := mul128(pow10[20], pow10[19]); ok {
		t.Fatal("10^39 fits 128 bits?")
	}
	q, _ := divRound(u128{lo: 25}, u128{lo: 10})
	q2, _ := divRound(u128{lo: 24}, u128{lo: 10})
	if q.lo != 3 || q2.lo != 2 {
		t.Fatalf("divRound 25/10=%d 24/10=%d", q.lo, q2.lo)
	}
	for _, s := range []string{"0", "-1", strings.Repeat("9", 38), "-" + strings.Repeat("9", 38)} {
		v, err := types.ParseDecimal(s)
		if err != nil {
			t.Fatal(err)
		}
		m, neg := mag(v.Decimal128())
		if got := formatDecimal(signed(m, neg), 0); got != s {
			t.Errorf("mag/signed round trip %s → %s", s, got)
		}
	}
}
