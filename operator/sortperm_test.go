package operator

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/plan/logical"
)

// stablePermutation is the reference: a stable sort by the comparators.
func stablePermutation(keyCols []arrow.Array, keys []logical.SortKey, n int) []int32 {
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	c := keysCmp(keyCols, keys)
	slices.SortStableFunc(perm, func(a, b int32) int { return c(int(a), int(b)) })
	return perm
}

func TestSortPermutationMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 5000
	ints := func(nulls bool) arrow.Array {
		b := array.NewInt64Builder(memory.DefaultAllocator)
		defer b.Release()
		for range n {
			if nulls && r.IntN(10) == 0 {
				b.AppendNull()
				continue
			}
			b.Append(int64(r.IntN(50)) - 25) // many ties, negatives
		}
		return b.NewArray()
	}
	dates := func() arrow.Array {
		b := array.NewDate32Builder(memory.DefaultAllocator)
		defer b.Release()
		for range n {
			b.Append(arrow.Date32(r.IntN(20)))
		}
		return b.NewArray()
	}
	strs := func() arrow.Array {
		b := array.NewStringBuilder(memory.DefaultAllocator)
		defer b.Release()
		for range n {
			b.Append(string(rune('a' + r.IntN(5))))
		}
		return b.NewArray()
	}
	asc, desc := logical.SortKey{}, logical.SortKey{Desc: true}
	nullsFirst := logical.SortKey{NullsFirst: true}
	for _, tc := range []struct {
		name string
		cols []arrow.Array
		keys []logical.SortKey
	}{
		{"int asc", []arrow.Array{ints(false)}, []logical.SortKey{asc}},
		{"int desc", []arrow.Array{ints(false)}, []logical.SortKey{desc}},
		{"int, date", []arrow.Array{ints(false), dates()}, []logical.SortKey{asc, desc}},
		{"date desc, string", []arrow.Array{dates(), strs()}, []logical.SortKey{desc, asc}},
		{"int with nulls", []arrow.Array{ints(true), dates()}, []logical.SortKey{nullsFirst, asc}},
		{"string, int", []arrow.Array{strs(), ints(true)}, []logical.SortKey{desc, asc}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := stablePermutation(tc.cols, tc.keys, n)
			got := sortPermutation(tc.cols, tc.keys, n)
			if !slices.Equal(got, want) {
				t.Fatalf("permutation differs from a stable sort's")
			}
		})
	}
}

func TestPrefixDescendingExtremes(t *testing.T) {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.AppendValues([]int64{0, -1 << 63, 1<<63 - 1, -1, 1}, nil)
	a := b.NewArray()
	got := sortPermutation([]arrow.Array{a}, []logical.SortKey{{Desc: true}}, a.Len())
	if want := []int32{2, 4, 0, 3, 1}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func BenchmarkSortPermutation(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 1 << 18
	ib := array.NewInt64Builder(memory.DefaultAllocator)
	db := array.NewDate32Builder(memory.DefaultAllocator)
	for range n {
		ib.Append(int64(r.IntN(100_000)))
		db.Append(arrow.Date32(r.IntN(2500)))
	}
	cols := []arrow.Array{ib.NewArray(), db.NewArray()}
	keys := []logical.SortKey{{}, {}}
	b.Run("pdq+prefix", func(b *testing.B) {
		for b.Loop() {
			sortPermutation(cols, keys, n)
		}
	})
	b.Run("stable", func(b *testing.B) {
		for b.Loop() {
			stablePermutation(cols, keys, n)
		}
	})
}
