package eval

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// BenchmarkDecimalCompare compares DECIMAL(15,2) values (64 Ki rows, a
// scan batch; TPC-H Q6's discount and quantity ranges) with a constant
// and with a column, by the 128-bit loop (the path of precision > 18,
// and of every precision before the int64 loop) and by the int64 loop,
// in the same run: the ratio is the fast path's gain.
func BenchmarkDecimalCompare(b *testing.B) {
	const n = 64 << 10
	r := rand.New(rand.NewPCG(3, 4))
	x, y := make([]decimal128.Num, n), make([]decimal128.Num, n)
	for i := range x {
		x[i] = decimal128.FromI64(r.Int64N(11))     // discount 0.00..0.10
		y[i] = decimal128.FromI64(r.Int64N(21) - 5) // -0.05..0.15
	}
	s := decimal128.FromI64(6)
	out := make([]byte, bytesFor(n))
	paths := []struct {
		name string
		as   func(op cmpOp, a []decimal128.Num, s decimal128.Num, out []byte)
		aa   func(op cmpOp, a, b []decimal128.Num, out []byte)
	}{
		{"int128", cmpDecAS, cmpDecAA},
		{"int64", func(op cmpOp, a []decimal128.Num, s decimal128.Num, out []byte) {
			s64, _ := fits64(s)
			cmpDec64AS(op, a, s, s64, out)
		}, cmpDec64AA},
	}
	for _, op := range []struct {
		name string
		op   cmpOp
	}{{"ge", opGe}, {"eq", opEq}} {
		for _, p := range paths {
			b.Run("const/"+op.name+"/"+p.name, func(b *testing.B) {
				for b.Loop() {
					p.as(op.op, x, s, out)
				}
				b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds()/1e6, "Mrows/s")
			})
		}
		for _, p := range paths {
			b.Run("column/"+op.name+"/"+p.name, func(b *testing.B) {
				for b.Loop() {
					p.aa(op.op, x, y, out)
				}
				b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds()/1e6, "Mrows/s")
			})
		}
	}
}

// BenchmarkDecimalFilterQ6 evaluates Q6-like decimal conjuncts (discount
// between 0.05 and 0.07, price < 50000.00; 1 Mi rows) through the
// evaluator on DECIMAL(15,2) columns (int64 loop) and on the same values
// typed DECIMAL(38,2) (128-bit loop).
func BenchmarkDecimalFilterQ6(b *testing.B) {
	rec := benchBatch(b)
	defer rec.Release()
	for _, p := range []int32{38, 15} {
		name := map[int32]string{38: "p38-int128", 15: "p15-int64"}[p]
		b.Run(name, func(b *testing.B) {
			t := types.DecimalOf(p, 2)
			price := decimalArray(t, values[decimal128.Num](rec.Column(2)))
			disc := decimalArray(t, values[decimal128.Num](rec.Column(3)))
			two := record(price, disc)
			price.Release()
			disc.Release()
			defer two.Release()
			d := bcol(1, t)
			e := fn(expr.FnAnd, boolT,
				fn(expr.FnAnd, boolT,
					fn(expr.FnGe, boolT, d, ldec("0.05", p, 2)),
					fn(expr.FnLe, boolT, d, ldec("0.07", p, 2))),
				fn(expr.FnLt, boolT, bcol(0, t), ldec("50000", p, 2)))
			benchEval(b, two, e)
		})
	}
}
