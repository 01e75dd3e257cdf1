package harness

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestAppendDecimal(t *testing.T) {
	for _, tc := range []struct {
		unscaled int64
		scale    int32
		want     string
	}{
		{38367400, 2, "383674"},
		{511951565716300, 6, "511951565.7163"},
		{5, 2, "0.05"},
		{-5, 2, "-0.05"},
		{-150, 2, "-1.5"},
		{0, 6, "0"},
		{7, 0, "7"},
		{12, -2, "1200"},
	} {
		if got := string(appendDecimal(nil, tc.unscaled, tc.scale)); got != tc.want {
			t.Errorf("appendDecimal(%d, %d) = %q, want %q", tc.unscaled, tc.scale, got, tc.want)
		}
	}
}

// TestDecimalCanonAcrossTypes: the same value in decimal(15,2), a wide
// decimal(38,6) and an integer canonicalizes identically.
func TestDecimalCanonAcrossTypes(t *testing.T) {
	narrow := decimalArray(t, 15, 2, 150)
	wide := decimalArray(t, 38, 6, 1_500_000)
	for _, a := range []arrow.Array{narrow, wide} {
		f, err := canonicalizer(a)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(f(nil, 0)); got != "1.5" {
			t.Errorf("%s: got %q, want 1.5", a.DataType(), got)
		}
	}
	b := array.NewDecimal128Builder(memory.DefaultAllocator, &arrow.Decimal128Type{Precision: 38, Scale: 2})
	b.Append(decimal128.New(1, 0)) // 2^64 / 100
	huge := b.NewArray()
	f, _ := canonicalizer(huge)
	if got := string(f(nil, 0)); got != "184467440737095516.16" {
		t.Errorf("wide value: got %q", got)
	}
}

func decimalArray(t *testing.T, p, s int32, unscaled int64) arrow.Array {
	t.Helper()
	b := array.NewDecimal128Builder(memory.DefaultAllocator, &arrow.Decimal128Type{Precision: p, Scale: s})
	defer b.Release()
	b.Append(decimal128.FromI64(unscaled))
	return b.NewArray()
}

func TestAppendFloat(t *testing.T) {
	a := string(appendFloat(nil, 0.049610068772114685))
	b := string(appendFloat(nil, 0.04961006877211471))
	if a != b {
		t.Errorf("summation noise not hidden: %s vs %s", a, b)
	}
	if string(appendFloat(nil, 0.0495)) == a {
		t.Error("distinct values collapsed")
	}
}

func TestCompareKeys(t *testing.T) {
	if compareKeys([]string{"9", "1995-01-01"}, []string{"10", "1994-01-01"}) >= 0 {
		t.Error("numbers must compare numerically")
	}
	if compareKeys([]string{"10", "1995-01-01"}, []string{"10", "1994-12-31"}) <= 0 {
		t.Error("dates must compare as text")
	}
}

func TestQueriesHaveFiles(t *testing.T) {
	for _, q := range Queries {
		if _, _, err := q.files("../queries"); err != nil {
			t.Error(err)
		}
	}
}
