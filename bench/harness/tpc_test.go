package harness

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/bench/tpc"
)

// allocEnv makes the test binary a process that holds that many MiB.
const allocEnv = "DROVER_BENCH_TEST_ALLOC_MIB"

var sink []byte

func maybeAllocate() {
	n, err := strconv.Atoi(os.Getenv(allocEnv))
	if err != nil {
		return
	}
	sink = make([]byte, n<<20)
	for i := range sink {
		sink[i] = 1
	}
	time.Sleep(20 * time.Second)
	os.Exit(0)
}

// TestMemoryCap checks that a process growing past the cap is killed at
// once and reported as ErrMemoryCap.
func TestMemoryCap(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The child holds 256 MiB for 20 s and exits 0 unless the cap kills it.
	cmd := commandContext(context.Background(), self, nil, []string{allocEnv + "=256"})
	_, _, err = runMeasuredCapped(cmd, 64<<20)
	if !errors.Is(err, ErrMemoryCap) {
		t.Fatalf("err = %v, want ErrMemoryCap", err)
	}
}

// TestTotals checks the suite totals: only agreeing queries count, the
// geometric mean is of their ratios.
func TestTotals(t *testing.T) {
	q := func(name, status string, d, k time.Duration) *TPCQueryResult {
		r := &TPCQueryResult{Name: name, Status: status}
		r.Drover.Samples, r.DuckDB.Samples = []Sample{{Wall: d}}, []Sample{{Wall: k}}
		r.Drover.Median, r.DuckDB.Median = r.Drover.Samples[0], r.DuckDB.Samples[0]
		return r
	}
	s := &SuiteResult{Name: "X", Queries: []*TPCQueryResult{
		q("q01", StatusOK, 4*time.Second, time.Second),
		q("q02", StatusOK, time.Second, time.Second),
		q("q03", StatusWrong, time.Second, time.Second),
		q("q04", StatusDroverError, 0, time.Second),
	}}
	tot := s.Totals()
	if tot.OK != 2 || tot.Wrong != 1 || tot.Failed != 1 || tot.Drover != 5*time.Second || tot.DuckDB != 2*time.Second {
		t.Fatalf("totals %+v", tot)
	}
	if tot.GeoMean < 1.999 || tot.GeoMean > 2.001 {
		t.Errorf("geometric mean %g, want 2", tot.GeoMean)
	}
	md := (&TPCReport{Config: TPCSettings{ScaleFactor: 1}, Suites: []*SuiteResult{s}}).Markdown()
	for _, want := range []string{"| X | 4 | 2 | 1 | 1 |", "**wrong**", "**drover error**", "| X | q01 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

// TestTPCSF001 runs a few standard TPC-H texts on both engines at SF 0.01
// (data from the conformance cache, generated on first use).
func TestTPCSF001(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both engines")
	}
	if _, err := exec.LookPath("cc"); err != nil && os.Getenv("CC") == "" {
		t.Fatal("the tpch extension shim needs a C compiler (cc, or $CC): install one (apt-get install gcc)")
	}
	var log strings.Builder
	cfg := Config{Drover: droverBinary(t), ScaleFactor: 0.01, Reps: 1, NoWarmup: true, Threads: 2, Log: &log,
		Queries: []string{"q01", "tpch/q13", "q22"}, Timeout: 5 * time.Minute, MemoryCap: 4 << 30}
	calls := 0
	rep, err := RunTPC(context.Background(), cfg, []tpc.Suite{tpc.TPCH}, func(*TPCReport) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	qs := rep.Suites[0].Queries
	if len(qs) != 3 {
		t.Fatalf("ran %d queries, want 3", len(qs))
	}
	for _, q := range qs {
		if !q.OK() || q.Rows == 0 || len(q.Drover.Samples) != 1 || len(q.DuckDB.Samples) != 1 || q.Drover.Median.PeakRSS == 0 {
			t.Errorf("%s: %s %s (%d rows, %d/%d samples)", q.Name, q.Status, q.Message, q.Rows, len(q.Drover.Samples), len(q.DuckDB.Samples))
		}
	}
	if calls != 3 {
		t.Errorf("progress called %d times, want 3", calls)
	}
	if t.Failed() {
		t.Log(log.String())
	}
}
