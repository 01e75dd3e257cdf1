package eval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

const benchRows = 1 << 20

var dec152 = types.DecimalOf(15, 2)

// benchBatch has a int64 0..99, b float64 0..200, price and discount
// decimal(15,2), s a string with 100 distinct values (a quarter starting
// "abc"), and d the same strings dictionary-encoded.
func benchBatch(b *testing.B) arrow.RecordBatch {
	b.Helper()
	mem := memory.DefaultAllocator
	r := rand.New(rand.NewPCG(1, 2))
	ab, fb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
	pb := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	sb := array.NewStringBuilder(mem)
	words := make([]string, 100)
	for i := range words {
		prefix := []string{"abc", "xyz", "abd", "qrs"}[i%4]
		words[i] = fmt.Sprintf("%s-%d-some-longer-text", prefix, i)
	}
	for range benchRows {
		ab.Append(r.Int64N(100))
		fb.Append(r.Float64() * 200)
		pb.Append(decimal128.FromI64(r.Int64N(10_000_000)))
		db.Append(decimal128.FromI64(r.Int64N(11)))
		sb.Append(words[r.IntN(len(words))])
	}
	cols := []arrow.Array{ab.NewArray(), fb.NewArray(), pb.NewArray(), db.NewArray(), sb.NewArray()}
	cols = append(cols, dictionary(mem, cols[4]))
	return record(cols...)
}

func benchEval(b *testing.B, rec arrow.RecordBatch, e *expr.Expr) {
	b.Helper()
	ev, err := Compile(e, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		res, err := ev.Eval(ctx, rec)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

func filterPredicate() *expr.Expr {
	return fn(expr.FnAnd, boolT,
		fn(expr.FnGt, boolT, bcol(0, i64T), li64(5)),
		fn(expr.FnLt, boolT, bcol(1, f64T), lf64(100)))
}

// BenchmarkFilter: a > 5 AND b < 100.0, predicate plus gathering all six
// columns (about 47% of rows survive).
func BenchmarkFilter(b *testing.B) {
	rec := benchBatch(b)
	defer rec.Release()
	ev, err := Compile(filterPredicate(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		out, err := Filter(ctx, rec, ev)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

// BenchmarkPredicate is the filter's predicate alone.
func BenchmarkPredicate(b *testing.B) {
	rec := benchBatch(b)
	defer rec.Release()
	benchEval(b, rec, filterPredicate())
}

// BenchmarkDecimal: price + discount, and TPC-H Q1's price * (1 - discount).
func BenchmarkDecimal(b *testing.B) {
	rec := benchBatch(b)
	defer rec.Release()
	price, disc := bcol(2, dec152), bcol(3, dec152)
	sumT, _ := types.ArithmeticResult("+", dec152, dec152)
	oneMinus := fn(expr.FnSub, types.DecimalOf(22, 2), ldec("1", 19, 0), disc)
	mulT, _ := types.ArithmeticResult("*", dec152, oneMinus.Type)
	divT, _ := types.ArithmeticResult("/", dec152, dec152)
	b.Run("add", func(b *testing.B) { benchEval(b, rec, fn(expr.FnAdd, sumT, price, disc)) })
	b.Run("mul_one_minus", func(b *testing.B) { benchEval(b, rec, fn(expr.FnMul, mulT, price, oneMinus)) })
	b.Run("div", func(b *testing.B) { benchEval(b, rec, fn(expr.FnDiv, divT, price, disc)) })
}

// BenchmarkLike: s LIKE 'abc%' on plain strings and on the dictionary.
func BenchmarkLike(b *testing.B) {
	rec := benchBatch(b)
	defer rec.Release()
	b.Run("plain", func(b *testing.B) { benchEval(b, rec, fn(expr.FnLike, boolT, bcol(4, strT), lstr("abc%"))) })
	b.Run("dict", func(b *testing.B) { benchEval(b, rec, fn(expr.FnLike, boolT, bcol(5, strT), lstr("abc%"))) })
	b.Run("general_plain", func(b *testing.B) { benchEval(b, rec, fn(expr.FnLike, boolT, bcol(4, strT), lstr("a_c%text"))) })
}

// BenchmarkStringEq: s = 'abc-0-some-longer-text', plain and dictionary.
func BenchmarkStringEq(b *testing.B) {
	rec := benchBatch(b)
	defer rec.Release()
	b.Run("plain", func(b *testing.B) {
		benchEval(b, rec, fn(expr.FnEq, boolT, bcol(4, strT), lstr("abc-0-some-longer-text")))
	})
	b.Run("dict", func(b *testing.B) {
		benchEval(b, rec, fn(expr.FnEq, boolT, bcol(5, strT), lstr("abc-0-some-longer-text")))
	})
}

// BenchmarkIntArith: a * 3 + a with overflow checks.
func BenchmarkIntArith(b *testing.B) {
	rec := benchBatch(b)
	defer rec.Release()
	benchEval(b, rec, fn(expr.FnAdd, i64T, fn(expr.FnMul, i64T, bcol(0, i64T), li64(3)), bcol(0, i64T)))
}
