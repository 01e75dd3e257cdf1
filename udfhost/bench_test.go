package udfhost

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// benchRows and benchBatch: 1 M rows in the executor's 64 Ki-row batches.
const (
	benchRows  = 1 << 20
	benchBatch = 64 << 10
)

// commentBatches makes text like TPC-H's l_comment (10 to 43 characters of
// words), the column PERFORMANCE.md's DuckDB UDF figure hashes.
func commentBatches() []arrow.Array {
	words := strings.Fields("furiously regular deposits sleep carefully final requests haggle " +
		"blithely ironic packages nag slyly express accounts boost quickly pending theodolites")
	rng := rand.New(rand.NewPCG(1, 2))
	var out []arrow.Array
	for lo := 0; lo < benchRows; lo += benchBatch {
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for i := 0; i < benchBatch; i++ {
			n := 10 + rng.IntN(34)
			var s strings.Builder
			for s.Len() < n {
				s.WriteString(words[rng.IntN(len(words))])
				s.WriteByte(' ')
			}
			b.Append(s.String()[:n])
		}
		out = append(out, b.NewArray())
		b.Release()
	}
	return out
}

// BenchmarkScalarPluginCall measures textkit.hash (FNV-1a, as in the
// DuckDB figure) on 1 M rows through a real plugin subprocess, against the
// same function called in-process. The difference is the protocol's cost
// per row: Arrow IPC encoding, gRPC over a Unix socket, decoding, checks.
// Report: ns/row of each; DuckDB's row-at-a-time Go UDF costs ~107 ns/row.
func BenchmarkScalarPluginCall(b *testing.B) {
	batches := commentBatches()
	defer releaseArrays(batches)
	b.Run("plugin", func(b *testing.B) {
		h := start(&testing.T{}, Config{}, "textkit")
		defer h.Close()
		ctx := context.Background()
		b.SetBytes(int64(totalBytes(batches)))
		b.ResetTimer()
		for range b.N {
			for _, in := range batches {
				out, err := h.CallScalar(ctx, "textkit.hash", []arrow.Array{in}, types.Int64Type)
				if err != nil {
					b.Fatal(err)
				}
				out.Release()
			}
		}
		reportPerRow(b)
	})
	b.Run("in-process", func(b *testing.B) {
		b.SetBytes(int64(totalBytes(batches)))
		for range b.N {
			for _, in := range batches {
				out := hashColumn(in.(*array.String))
				out.Release()
			}
		}
		reportPerRow(b)
	})
}

// hashColumn is textkit.hash without the plugin: the floor.
func hashColumn(in *array.String) arrow.Array {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(in.Len())
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		s := in.Value(i)
		h := uint64(14695981039346656037)
		for j := 0; j < len(s); j++ {
			h ^= uint64(s[j])
			h *= 1099511628211
		}
		b.UnsafeAppend(int64(h))
	}
	return b.NewArray()
}

func reportPerRow(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
	b.ReportMetric(0, "ns/op")
	_ = time.Second
}

func totalBytes(as []arrow.Array) int {
	n := 0
	for _, a := range as {
		n += len(a.(*array.String).ValueBytes())
	}
	return n
}

func releaseArrays(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}
