package hashtab

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user + system CPU time: on a shared machine it
// varies less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInt64 inserts 1M keys of a range (few or many distinct) in
// 64K-row batches into a new table, then finds them; likewise a Go map.
func BenchmarkInt64(b *testing.B) {
	for _, tc := range []struct {
		name  string
		rng   int64
		goMap bool // the Go map the operators used before, for comparison
	}{{"low", 1000, false}, {"high", 1 << 20, false}, {"low/gomap", 1000, true}, {"high/gomap", 1 << 20, true}} {
		b.Run(tc.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			keys := make([]int64, 1<<20)
			for i := range keys {
				keys[i] = r.Int64N(tc.rng)
			}
			ids := make([]int32, len(keys))
			b.ResetTimer()
			cpu0 := cpuTime()
			for range b.N {
				if tc.goMap {
					m := map[int64]int32{}
					for i, k := range keys {
						id, ok := m[k]
						if !ok {
							id = int32(len(m))
							m[k] = id
						}
						ids[i] = id
					}
					for i, k := range keys {
						ids[i] = m[k]
					}
					continue
				}
				t := NewInt64(0)
				for lo := 0; lo < len(keys); lo += 1 << 16 {
					t.FindOrInsert(keys[lo:lo+1<<16], nil, ids[lo:lo+1<<16])
				}
				t.Find(keys, nil, ids)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(keys)), "ns/key")
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N*len(keys)), "cpu-ns/key")
		})
	}
}
