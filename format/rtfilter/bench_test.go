package rtfilter

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// BenchmarkSelect checks a 64 K-row batch of int64 keys against a set of
// 150 K keys (Q3's orders side) of which a quarter of the rows match.
func BenchmarkSelect(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	build := make([]int64, 150_000)
	for i := range build {
		build[i] = r.Int64N(6_000_000)
	}
	probe := make([]int64, 64*1024)
	for i := range probe {
		probe[i] = r.Int64N(6_000_000)
	}
	s, err := Build([]arrow.Array{ints(build, nil)})
	if err != nil {
		b.Fatal(err)
	}
	cols := []arrow.Array{ints(probe, nil)}
	b.SetBytes(int64(len(probe)) * 8)
	b.ResetTimer()
	for range b.N {
		f := NewFilter(s, nil)
		if _, ok := f.Select(cols, nil); !ok {
			b.Fatal("not applied")
		}
	}
}
