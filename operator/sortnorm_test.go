package operator

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator/sortkey"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// randKeyColumn builds n random cells of one key type with NULLs and the
// awkward values: NaN, ±0, ±Inf, extremes, empty strings, NUL bytes and
// long strings sharing prefixes.
func randKeyColumn(r *rand.Rand, kind string, n int) arrow.Array {
	null := func() bool { return r.IntN(8) == 0 }
	switch kind {
	case "int32":
		b := array.NewInt32Builder(mem)
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			b.Append([]int32{math.MinInt32, math.MaxInt32, -1, 0, 1, int32(r.IntN(20) - 10)}[r.IntN(6)])
		}
		return b.NewArray()
	case "int64":
		b := array.NewInt64Builder(mem)
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			b.Append([]int64{math.MinInt64, math.MaxInt64, -1, 0, 1, int64(r.IntN(20) - 10), r.Int64() - math.MaxInt64/2}[r.IntN(7)])
		}
		return b.NewArray()
	case "float64", "float32":
		vals := []float64{math.NaN(), -math.NaN(), math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), -1.5, 1.5,
			math.SmallestNonzeroFloat64, -math.MaxFloat64, math.MaxFloat64}
		if kind == "float32" {
			b := array.NewFloat32Builder(mem)
			defer b.Release()
			for range n {
				if null() {
					b.AppendNull()
					continue
				}
				if r.IntN(3) == 0 {
					b.Append(float32(r.NormFloat64()))
				} else {
					b.Append(float32(vals[r.IntN(len(vals))]))
				}
			}
			return b.NewArray()
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			if r.IntN(3) == 0 {
				b.Append(r.NormFloat64())
			} else {
				b.Append(vals[r.IntN(len(vals))])
			}
		}
		return b.NewArray()
	case "decimal":
		b := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 38, Scale: 2})
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			switch r.IntN(3) {
			case 0:
				b.Append(decimal128.FromI64(int64(r.IntN(200) - 100)))
			case 1:
				b.Append(decimal128.New(int64(r.IntN(5)-2), r.Uint64()))
			default:
				b.Append(decimal128.FromI64(r.Int64()))
			}
		}
		return b.NewArray()
	case "date":
		b := array.NewDate32Builder(mem)
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			b.Append(arrow.Date32(r.IntN(40) - 20))
		}
		return b.NewArray()
	case "timestamp":
		b := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"})
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			b.Append(arrow.Timestamp(r.Int64N(1000) - 500))
		}
		return b.NewArray()
	case "bool":
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			b.Append(r.IntN(2) == 0)
		}
		return b.NewArray()
	case "string", "dict":
		long := strings.Repeat("shared-prefix/", 3)
		pieces := []string{"", "a", "ab", "b", "a\x00", "a\x00b", "\x00", "\xff", long, long + "x", long + "\x00", long + "y"}
		b := array.NewStringBuilder(mem)
		defer b.Release()
		for range n {
			if null() {
				b.AppendNull()
				continue
			}
			s := pieces[r.IntN(len(pieces))]
			if r.IntN(3) == 0 {
				s += pieces[r.IntN(len(pieces))]
			}
			b.Append(s)
		}
		a := b.NewArray()
		if kind == "string" {
			return a
		}
		defer a.Release()
		db := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String})
		defer db.Release()
		if err := db.AppendArray(a); err != nil {
			panic(err)
		}
		return db.NewArray()
	}
	panic(kind)
}

var keyKinds = []string{"int32", "int64", "float64", "float32", "decimal", "date", "timestamp", "bool", "string", "dict"}

func randSortKeys(r *rand.Rand, ncols int) []logical.SortKey {
	keys := make([]logical.SortKey, ncols)
	for i := range keys {
		keys[i] = logical.SortKey{Desc: r.IntN(2) == 0, NullsFirst: r.IntN(2) == 0}
	}
	return keys
}

func sign(x int) int { return max(-1, min(1, x)) }

// TestNormalizedKeysMatchComparators checks, on random columns of every
// key type under random directions and NULL placements, that comparing
// normalized keys agrees with the per-column comparators on every sampled
// pair, that the sort permutation equals a stable sort's, that rows of two
// batches compare as cellsCmp says, and that a row's values encode to the
// same bytes as its column cells (what range bounds rely on).
func TestNormalizedKeysMatchComparators(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const n = 1500
	for trial := 0; trial < 60; trial++ {
		ncols := 1 + r.IntN(3)
		kinds := make([]string, ncols)
		for i := range kinds {
			kinds[i] = keyKinds[(trial+i*3+r.IntN(2))%len(keyKinds)]
		}
		keys := randSortKeys(r, ncols)
		t.Run(fmt.Sprintf("%d:%v", trial, kinds), func(t *testing.T) {
			colsA, colsB := make([]arrow.Array, ncols), make([]arrow.Array, ncols)
			for i, k := range kinds {
				colsA[i], colsB[i] = randKeyColumn(r, k, n), randKeyColumn(r, k, n)
			}
			defer releaseAll(colsA)
			defer releaseAll(colsB)
			var ea, eb sortkey.Rows
			if err := sortkey.Encode(&ea, colsA, keys, n); err != nil {
				t.Fatal(err)
			}
			if err := sortkey.Encode(&eb, colsB, keys, n); err != nil {
				t.Fatal(err)
			}
			c := keysCmp(colsA, keys)
			for range 20000 {
				i, j := r.IntN(n), r.IntN(n)
				if got, want := sign(ea.Compare(i, &ea, j)), sign(c(i, j)); got != want {
					t.Fatalf("rows %d, %d (%v vs %v): normalized %d, comparator %d", i, j, rowString(colsA, i), rowString(colsA, j), got, want)
				}
				if got, want := sign(ea.Compare(i, &eb, j)), sign(cellsCmp(colsA, i, colsB, j, keys)); got != want {
					t.Fatalf("batch rows %d, %d (%v vs %v): normalized %d, cellsCmp %d", i, j, rowString(colsA, i), rowString(colsB, j), got, want)
				}
			}
			if got, want := sortPermutation(colsA, keys, n), stablePermutation(colsA, keys, n); !slices.Equal(got, want) {
				t.Fatal("normalized permutation differs from a stable sort's")
			}
			types := make([]arrow.DataType, ncols)
			for i, col := range colsA {
				types[i] = col.DataType()
			}
			for i := 0; i < n; i += 7 {
				vals := rowValues(colsA, i)
				got, err := sortkey.AppendValues(nil, vals, types, keys)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, ea.Row(i)) {
					t.Fatalf("row %d %v: values encode to %x, cells to %x", i, vals, got, ea.Row(i))
				}
			}
		})
	}
}

func rowValues(cols []arrow.Array, i int) []types.Value {
	vals := make([]types.Value, len(cols))
	for c, col := range cols {
		vals[c] = eval.ValueAt(col, i)
	}
	return vals
}

func rowString(cols []arrow.Array, i int) string { return fmt.Sprint(rowValues(cols, i)) }

// TestSpillMergeMatchesInMemorySort sorts the same random rows by
// (string, float, int) keys in memory and through many spilled runs, with
// normalized keys and with the comparators: all four orders are equal
// (the merge breaks ties by run, so it is stable like the in-memory sort).
func TestSpillMergeMatchesInMemorySort(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	schema := &types.Schema{Fields: []types.Field{{Name: "s", Type: types.StringType}, {Name: "f", Type: types.Float64Type},
		{Name: "i", Type: types.Int64Type}, {Name: "seq", Type: types.Int64Type}}}
	var recs []arrow.RecordBatch
	seq := int64(0)
	for range 12 {
		const m = 400
		sb := array.NewInt64Builder(mem)
		for range m {
			sb.Append(seq)
			seq++
		}
		cols := []arrow.Array{randKeyColumn(r, "string", m), randKeyColumn(r, "float64", m), randKeyColumn(r, "int32", m), sb.NewArray()}
		sb.Release()
		// the int32 generator has the awkward values; widen to int64
		i64 := array.NewInt64Builder(mem)
		for j := 0; j < m; j++ {
			if cols[2].IsNull(j) {
				i64.AppendNull()
			} else {
				i64.Append(int64(cols[2].(*array.Int32).Value(j)))
			}
		}
		cols[2].Release()
		cols[2] = i64.NewArray()
		i64.Release()
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), cols, m))
		releaseAll(cols)
	}
	defer releaseRecs(recs)
	keys := []logical.SortKey{
		{Expr: expr.BoundCol(0, schema.Fields[0]), Desc: true},
		{Expr: expr.BoundCol(1, schema.Fields[1]), NullsFirst: true},
		{Expr: expr.BoundCol(2, schema.Fields[2]), Desc: true, NullsFirst: true},
	}
	sortWith := func(budget int64, norm bool) []string {
		t.Helper()
		defer func(old bool) { normalizedKeys = old }(normalizedKeys)
		normalizedKeys = norm
		env := &Env{MemoryBytes: budget, BatchRows: 333, TempDir: t.TempDir()}
		s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: schema, Sort: &physical.SortSpec{Keys: keys}}, source(schema, recs...), env)
		if err != nil {
			t.Fatal(err)
		}
		got := rows(t, s)
		if spilled := env.Spilled.Load() > 0; spilled != (budget > 0) {
			t.Fatalf("budget %d: spilled %v", budget, spilled)
		}
		return got
	}
	want := sortWith(0, false)
	if len(want) != int(seq) {
		t.Fatalf("%d rows, want %d", len(want), seq)
	}
	for _, tc := range []struct {
		budget int64
		norm   bool
	}{{0, true}, {1, true}, {1, false}} {
		if got := sortWith(tc.budget, tc.norm); !slices.Equal(got, want) {
			t.Fatalf("budget %d, normalized %v: order differs from the in-memory comparator sort", tc.budget, tc.norm)
		}
	}
}

var _ = context.Background
