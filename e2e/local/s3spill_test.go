package local

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/storage"
)

// TestSpillToS3 runs the job of TestJobUnderATinyMemoryBudget under a
// 64 KiB budget with spill files on real MinIO: once through --temp-dir
// s3://…, once through the fallback (a temp dir that cannot be written and
// a shuffle directory on S3). Both give the unspilled run's answers; hash
// aggregates, the hash join and sorts spill (windows: operator tests), and so does the
// shuffle writer (the stages' totals exceed their operators'); the
// spilled bytes are counted, the budget (part and read buffers included)
// is given back, and no spill object is left behind.
func TestSpillToS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "spill")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	data := genData(t)
	want, _, unbounded := runBudgetJob(t, data, &executor.Runtime{Name: "test", TempDir: t.TempDir(), Pool: memory.NewPool(0)}, engine.RunOptions{})
	if unbounded != 0 {
		t.Fatalf("the unlimited run spilled %d bytes", unbounded)
	}
	check := func(t *testing.T, pool *memory.Pool, got map[string][]string, spilled map[physical.Op]int64, total int64) {
		t.Helper()
		for sink, rows := range want {
			if len(rows) == 0 {
				t.Fatalf("%s: no rows", sink)
			}
			if strings.Join(got[sink], "\n") != strings.Join(rows, "\n") {
				t.Errorf("%s: %d rows spilled to S3 differ from the %d unspilled ones", sink, len(got[sink]), len(rows))
			}
		}
		var ops int64
		for _, op := range []physical.Op{physical.OpHashAgg, physical.OpHashJoin, physical.OpSort} {
			if spilled[op] == 0 {
				t.Errorf("no %s spilled to S3 under a 64 KiB budget", op)
			}
		}
		for _, n := range spilled {
			ops += n
		}
		if total <= ops {
			t.Errorf("the tasks spilled %d bytes, their operators %d: the shuffle writers spilled nothing", total, ops)
		}
		if pool.Held() != 0 {
			t.Errorf("the budget holds %d bytes after the job", pool.Held())
		}
		t.Logf("spilled bytes by operator: %v; in all: %d", spilled, total)
	}

	t.Run("TempDir", func(t *testing.T) {
		place, err := spill.NewPlace("s3://spill/tmp", nil)
		if err != nil {
			t.Fatal(err)
		}
		pool := memory.NewPool(64 << 10)
		got, spilled, total := runBudgetJob(t, data, &executor.Runtime{Name: "test", Spill: place, Pool: pool}, engine.RunOptions{})
		check(t, pool, got, spilled, total)
		if left := s3Objects(t, "s3://spill/tmp/"); len(left) > 0 {
			t.Errorf("spill objects left behind: %v", left)
		}
	})

	t.Run("FallbackFromAnUnwritableTempDir", func(t *testing.T) {
		var log bytes.Buffer
		missing := filepath.Join(t.TempDir(), "no-such-dir")
		place, err := spill.NewPlace(missing, &log)
		if err != nil {
			t.Fatal(err)
		}
		pool := memory.NewPool(64 << 10)
		got, spilled, total := runBudgetJob(t, data, &executor.Runtime{Name: "test", Spill: place, Pool: pool},
			engine.RunOptions{ShuffleDir: "s3://spill/shuffle"})
		check(t, pool, got, spilled, total)
		if n := strings.Count(log.String(), "is not writable"); n != 1 {
			t.Errorf("the fallback was reported %d times, want once: %q", n, log.String())
		}
		if !strings.Contains(log.String(), missing) || !strings.Contains(log.String(), "s3://spill/shuffle/") {
			t.Errorf("the report names neither the directory nor where spills go: %q", log.String())
		}
		if left := s3Objects(t, "s3://spill/shuffle/"); len(left) > 0 {
			t.Errorf("objects left behind: %v", left)
		}
	})
}
