package udfhost

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
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
// DuckDB figure of PERFORMANCE.md) on 1 M rows through a real plugin
// subprocess, against the same function called in-process. ns/row is the
// whole call; overhead-ns/row subtracts the in-process time measured in the
// same run: the protocol's cost per row (Arrow IPC framing, gRPC over a
// Unix socket, the checks), to compare with the ~107 ns/row that a
// row-at-a-time Go UDF costs DuckDB.
func BenchmarkScalarPluginCall(b *testing.B) {
	batches := commentBatches()
	defer releaseArrays(batches)
	h := start(&testing.T{}, Config{}, "textkit")
	defer h.Close()
	ctx := context.Background()
	inProcess := perRow(func() {
		for _, in := range batches {
			hashColumn(in.(*array.String)).Release()
		}
	})
	plugin := pluginPID(h, "textkit")
	b.SetBytes(int64(totalBytes(batches)))
	b.ResetTimer()
	cpu0, pcpu0 := selfCPU(), procCPU(plugin)
	for range b.N {
		for _, in := range batches {
			out, err := h.CallScalar(ctx, "textkit.hash", []arrow.Array{in}, types.Int64Type)
			if err != nil {
				b.Fatal(err)
			}
			out.Release()
		}
	}
	rows := float64(b.N) * benchRows
	total := float64(b.Elapsed().Nanoseconds()) / rows
	b.ReportMetric(total, "ns/row")
	b.ReportMetric(total-inProcess, "overhead-ns/row")
	b.ReportMetric(inProcess, "in-process-ns/row")
	// CPU time of both processes: unlike the wall clock it does not count
	// waiting for a core, which on a busy machine is most of a round trip.
	if pcpu := procCPU(plugin); pcpu >= 0 && pcpu0 >= 0 {
		cpu := float64((selfCPU()-cpu0)+(pcpu-pcpu0)) / rows
		b.ReportMetric(cpu, "cpu-ns/row")
		b.ReportMetric(cpu-inProcess, "cpu-overhead-ns/row")
	}
	b.ReportMetric(0, "ns/op")
}

func pluginPID(h *Host, name string) int {
	p, _, err := h.lookup(name + ".x")
	if err != nil {
		return -1
	}
	inst, err := p.get(context.Background())
	if err != nil {
		return -1
	}
	if rc := inst.client.ReattachConfig(); rc != nil {
		return rc.Pid
	}
	return -1
}

// selfCPU is this process's user and system time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is another process's user and system time from /proc (Linux;
// -1 elsewhere), in clock ticks of 10 ms.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return -1
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// perRow times fn (over the 1 M rows) a few times and returns the best
// ns per row: the floor, not a noisy average.
func perRow(fn func()) float64 {
	best := time.Duration(1 << 62)
	for range 5 {
		began := time.Now()
		fn()
		best = min(best, time.Since(began))
	}
	return float64(best.Nanoseconds()) / benchRows
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
