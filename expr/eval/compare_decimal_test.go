package eval

import (
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// TestCompareDecimalEval: decimal comparisons through the evaluator, on
// types that take the int64 loop (precision ≤ 18) and the 128-bit one,
// with negative values, NULLs and operands rescaled to a common scale.
func TestCompareDecimalEval(t *testing.T) {
	d152, d174, d382, d202 := types.DecimalOf(15, 2), types.DecimalOf(17, 4), types.DecimalOf(38, 2), types.DecimalOf(20, 2)
	f := fixture{
		types: []types.Type{d152, d174, d382, d382, d202},
		rows: [][]any{
			{"-1.50", "0.00", nil, "9999999999999.99", "-9999999999999.99", "0.07"},
			{"-1.5000", "-0.0001", "3.0000", "9999999999999.9900", nil, "0.0700"},
			{"-12345678901234567890123.45", "0.00", "1.00", nil, "99999999999999999999999999999999999.99", "-0.01"},
			{"-12345678901234567890123.44", "0.00", "-1.00", "5.00", "99999999999999999999999999999999999.98", "-0.01"},
			{"-1.00", "92233720368547758.07", "-92233720368547758.08", nil, "0.00", "123456789012345678.90"},
		},
	}
	rescaled := expr.Cast(bcol(0, d152), d174)
	runCases(t, f, []evalCase{
		{"p15 gt const", fn(expr.FnGt, boolT, bcol(0, d152), ldec("-1.49", 15, 2)), []string{"false", "true", "NULL", "true", "false", "true"}, ""},
		{"p15 le negative const", fn(expr.FnLe, boolT, bcol(0, d152), ldec("-1.50", 15, 2)), []string{"true", "false", "NULL", "false", "true", "false"}, ""},
		{"p15 eq const", fn(expr.FnEq, boolT, bcol(0, d152), ldec("9999999999999.99", 15, 2)), []string{"false", "false", "NULL", "true", "false", "false"}, ""},
		{"p15 const on left", fn(expr.FnLt, boolT, ldec("0", 15, 2), bcol(0, d152)), []string{"false", "false", "NULL", "true", "false", "true"}, ""},
		{"scales 2 and 4: eq", fn(expr.FnEq, boolT, rescaled, bcol(1, d174)), []string{"true", "false", "NULL", "true", "NULL", "true"}, ""},
		{"scales 2 and 4: gt", fn(expr.FnGt, boolT, rescaled, bcol(1, d174)), []string{"false", "true", "NULL", "false", "NULL", "false"}, ""},
		{"scales 2 and 4: ne const", fn(expr.FnNe, boolT, bcol(1, d174), ldec("-0.0001", 17, 4)), []string{"true", "false", "true", "true", "NULL", "true"}, ""},
		{"p38 lt col", fn(expr.FnLt, boolT, bcol(2, d382), bcol(3, d382)), []string{"true", "false", "false", "NULL", "false", "false"}, ""},
		{"p38 ge wide const", fn(expr.FnGe, boolT, bcol(2, d382), ldec("-12345678901234567890123.45", 38, 2)), []string{"true", "true", "true", "NULL", "true", "true"}, ""},
		{"p20 beyond int64", fn(expr.FnGt, boolT, bcol(4, d202), ldec("92233720368547758.07", 20, 2)), []string{"false", "false", "false", "NULL", "false", "true"}, ""},
		{"p20 lt col", fn(expr.FnLe, boolT, bcol(4, d202), bcol(4, d202)), []string{"true", "true", "true", "NULL", "true", "true"}, ""},
	})
}

// TestCompareDecimalKernels checks cmpDecimal against big.Int comparisons
// for every operator, column with constant and with column, over three
// chunks and a tail: values of every sign and size, including int64's
// limits and — in some chunks only — values whose 128 bits are not a
// sign-extended int64, which a type of precision ≤ 18 should not hold but
// must still compare right (that chunk takes the 128-bit loop).
func TestCompareDecimalKernels(t *testing.T) {
	fitting := []decimal128.Num{
		decimal128.FromI64(0), decimal128.FromI64(1), decimal128.FromI64(-1),
		decimal128.FromI64(999_999_999_999_999_999), decimal128.FromI64(-999_999_999_999_999_999),
		decimal128.FromI64(math.MaxInt64), decimal128.FromI64(math.MinInt64),
		decimal128.FromI64(1234), decimal128.FromI64(-1234), decimal128.FromI64(1235),
	}
	rogue := []decimal128.Num{
		decimal128.New(0, 1<<63),           // 2^63: low word negative as int64
		decimal128.New(-1, 1<<63-1),        // -2^63 - 1
		decimal128.New(1, 0),               // 2^64
		decimal128.New(-1, 0),              // -2^64
		decimal128.New(1, 1234),            // 2^64 + 1234: same low word as 1234
		decimal128.New(-2, math.MaxUint64), // -2^64 - 1: low word -1
	}
	n := 3*chunk + 5
	for _, mix := range []string{"fitting", "rogue in chunk 2", "rogue everywhere"} {
		a, b := make([]decimal128.Num, n), make([]decimal128.Num, n)
		x := uint32(7)
		next := func(i int) decimal128.Num {
			x = x*1664525 + 1013904223
			k := int(x >> 8)
			if mix == "rogue everywhere" || (mix == "rogue in chunk 2" && i/chunk == 1) {
				if k%3 == 0 {
					return rogue[k%len(rogue)]
				}
			}
			return fitting[k%len(fitting)]
		}
		for i := range a {
			a[i], b[i] = next(i), next(i)
		}
		for _, p := range []int32{9, 18, 19, 38} {
			for op := opEq; op <= opGe; op++ {
				for _, s := range append(append([]decimal128.Num{}, fitting...), rogue...) {
					name := fmt.Sprintf("%s/p%d/op%d/const %s", mix, p, op, s.BigInt())
					checkDecCompare(t, name, op, types.DecimalOf(p, 2), a, nil, s)
				}
				checkDecCompare(t, fmt.Sprintf("%s/p%d/op%d/col", mix, p, op), op, types.DecimalOf(p, 2), a, b, decimal128.Num{})
			}
		}
	}
}

// checkDecCompare runs cmpDecimal on a against b (nil: the constant s)
// and checks each row against big.Int.
func checkDecCompare(t *testing.T, name string, op cmpOp, typ types.Type, a, b []decimal128.Num, s decimal128.Num) {
	t.Helper()
	out := make([]byte, bytesFor(len(a)))
	l := datum{arr: decimalArray(typ, a)}
	defer l.arr.Release()
	r := datum{val: types.DecimalValue(s, typ.Precision, typ.Scale)}
	if b != nil {
		r = datum{arr: decimalArray(typ, b)}
		defer r.arr.Release()
	}
	cmpDecimal(op, typ, l, r, out)
	for i := range a {
		y := s
		if b != nil {
			y = b[i]
		}
		c := a[i].BigInt().Cmp(y.BigInt()) + 1
		want := cmpMasks[op]>>c&1 != 0
		if got := out[i>>3]>>(i&7)&1 != 0; got != want {
			t.Fatalf("%s: row %d: %s vs %s gave %t", name, i, a[i].BigInt(), y.BigInt(), got)
		}
	}
}

// decimalArray builds a decimal array of typ holding vs as they are
// (no precision check).
func decimalArray(typ types.Type, vs []decimal128.Num) arrow.Array {
	bld := array.NewDecimal128Builder(memory.DefaultAllocator, &arrow.Decimal128Type{Precision: typ.Precision, Scale: typ.Scale})
	defer bld.Release()
	bld.AppendValues(vs, nil)
	return bld.NewArray()
}
