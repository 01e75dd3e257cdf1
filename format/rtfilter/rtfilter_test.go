package rtfilter

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var mem = memory.DefaultAllocator

func ints(vals []int64, nulls map[int]bool) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	for i, v := range vals {
		if nulls[i] {
			b.AppendNull()
		} else {
			b.Append(v)
		}
	}
	return b.NewArray()
}

func strs(vals []string) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

func dictStrs(vals []string) arrow.Array {
	b := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
	defer b.Release()
	for _, v := range vals {
		if err := b.AppendString(v); err != nil {
			panic(err)
		}
	}
	return b.NewArray()
}

func int32s(vals []int64) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	for _, v := range vals {
		b.Append(int32(v))
	}
	return b.NewArray()
}

// keySet is a build and a probe side of random keys, some shared.
type keySet struct {
	name         string
	build, probe []arrow.Array
	match        func(i int) bool // probe row i has a build match
}

func randomKeys(t *testing.T, r *rand.Rand) []keySet {
	const nb, np = 5000, 20000
	bi, pi := make([]int64, nb), make([]int64, np)
	in := map[int64]bool{}
	for i := range bi {
		bi[i] = r.Int64N(1 << 40)
		in[bi[i]] = true
	}
	for i := range pi {
		if r.IntN(4) == 0 {
			pi[i] = bi[r.IntN(nb)]
		} else {
			pi[i] = r.Int64N(1 << 40)
		}
	}
	name := func(v int64) string { return fmt.Sprintf("k%x", v) }
	bs, ps := make([]string, nb), make([]string, np)
	for i, v := range bi {
		bs[i] = name(v)
	}
	for i, v := range pi {
		ps[i] = name(v)
	}
	small := func(vs []int64) []int64 {
		out := make([]int64, len(vs))
		for i, v := range vs {
			out[i] = v % 100_000
		}
		return out
	}
	sb, sp := small(bi), small(pi)
	inSmall := map[int64]bool{}
	for _, v := range sb {
		inSmall[v] = true
	}
	probeNulls := map[int]bool{3: true, 17: true}
	return []keySet{
		{"int64", []arrow.Array{ints(bi, nil)}, []arrow.Array{ints(pi, nil)}, func(i int) bool { return in[pi[i]] }},
		{"int64 nulls", []arrow.Array{ints(bi, map[int]bool{0: true})}, []arrow.Array{ints(pi, probeNulls)},
			func(i int) bool { return !probeNulls[i] && pi[i] != bi[0] && in[pi[i]] }},
		{"int32", []arrow.Array{int32s(sb)}, []arrow.Array{int32s(sp)}, func(i int) bool { return inSmall[sp[i]] }},
		{"string", []arrow.Array{strs(bs)}, []arrow.Array{strs(ps)}, func(i int) bool { return in[pi[i]] }},
		{"dict probe", []arrow.Array{strs(bs)}, []arrow.Array{dictStrs(ps)}, func(i int) bool { return in[pi[i]] }},
		{"dict build", []arrow.Array{dictStrs(bs)}, []arrow.Array{strs(ps)}, func(i int) bool { return in[pi[i]] }},
		{"composite", []arrow.Array{ints(bi, nil), strs(bs)}, []arrow.Array{ints(pi, nil), dictStrs(ps)}, func(i int) bool { return in[pi[i]] }},
	}
}

// TestNoFalseNegatives: every probe row with a match survives, over
// random keys of each type, and most rows without one are dropped.
func TestNoFalseNegatives(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, ks := range randomKeys(t, r) {
		t.Run(ks.name, func(t *testing.T) {
			s, err := Build(ks.build)
			if err != nil {
				t.Fatal(err)
			}
			f := NewFilter(s, nil)
			sel := []int32{}
			for i := 0; i < ks.probe[0].Len(); i += 2 { // a selection: every other row
				sel = append(sel, int32(i))
			}
			out, ok := f.Select(ks.probe, sel)
			if !ok {
				t.Fatal("filter did not apply")
			}
			kept := map[int32]bool{}
			for _, i := range out {
				kept[i] = true
			}
			falsePos := 0
			for _, i := range sel {
				switch {
				case ks.match(int(i)) && !kept[i]:
					t.Fatalf("row %d has a match but was dropped", i)
				case !ks.match(int(i)) && kept[i]:
					falsePos++
				}
			}
			if falsePos > len(sel)/50 {
				t.Errorf("%d of %d rows kept without a match", falsePos, len(sel))
			}
			for _, i := range out {
				if i%2 != 0 {
					t.Fatalf("row %d was not in the selection", i)
				}
			}
		})
	}
}

func TestFilterEdges(t *testing.T) {
	probe := []arrow.Array{ints([]int64{1, 2, 3}, nil)}
	t.Run("empty build drops all", func(t *testing.T) {
		s, err := Build([]arrow.Array{ints(nil, nil)})
		if err != nil {
			t.Fatal(err)
		}
		out, ok := NewFilter(s, nil).Select(probe, nil)
		if !ok || len(out) != 0 {
			t.Fatalf("got %v, %v", out, ok)
		}
	})
	t.Run("all NULL build drops all", func(t *testing.T) {
		s, _ := Build([]arrow.Array{ints([]int64{1, 2}, map[int]bool{0: true, 1: true})})
		out, ok := NewFilter(s, nil).Select(probe, nil)
		if !ok || len(out) != 0 {
			t.Fatalf("got %v, %v", out, ok)
		}
	})
	t.Run("class mismatch does not apply", func(t *testing.T) {
		s, _ := Build([]arrow.Array{int32s([]int64{1})})
		if _, ok := NewFilter(s, nil).Select(probe, nil); ok {
			t.Fatal("int32 set applied to int64 keys")
		}
	})
	t.Run("unsupported key type", func(t *testing.T) {
		b := array.NewFloat64Builder(mem)
		b.Append(1)
		if _, err := Build([]arrow.Array{b.NewArray()}); err == nil {
			t.Fatal("float keys built a set")
		}
	})
	t.Run("switches off when it keeps most rows", func(t *testing.T) {
		vals := make([]int64, 4096)
		for i := range vals {
			vals[i] = int64(i)
		}
		s, _ := Build([]arrow.Array{ints(vals, nil)})
		f := NewFilter(s, nil)
		for f.checked.Load() < sampleRows {
			if _, ok := f.Select([]arrow.Array{ints(vals, nil)}, nil); !ok {
				t.Fatal("switched off before its sample")
			}
		}
		if _, ok := f.Select(probe, nil); ok || !f.Off() {
			t.Fatal("a filter passing every row stayed on")
		}
	})
}
