package conformance

import (
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/bench/tpc"
)

// defaultSF is the scale factor of `make test`; the committed status files
// record it. Other scale factors (make conformance SF=1) have their own
// status files, tpch-sf1.status, written by -update.
const defaultSF = 0.01

var (
	update       = flag.Bool("update", false, "rewrite the status files (testdata/*.status) with this run's outcomes")
	scaleFactor  = flag.Float64("sf", defaultSF, "TPC-H and TPC-DS scale factor")
	queryTimeout = flag.Duration("query-timeout", time.Minute, "how long Drover may take per query")
	parallelism  = flag.Int("parallelism", 2, "Drover's task slots")
	partitions   = flag.Int("partitions", 3, "Drover's shuffle partitions")
	broadcast    = flag.Int64("broadcast", 64<<10, "Drover broadcasts join sides estimated below this many bytes (negative: never)")
)

func droverConfig() DroverConfig {
	return DroverConfig{Parallelism: *parallelism, Partitions: *partitions, BroadcastThresholdBytes: *broadcast}
}

func TestTPCH(t *testing.T)  { testTPC(t, tpc.TPCH) }
func TestTPCDS(t *testing.T) { testTPC(t, tpc.TPCDS) }

// testTPC runs every query of a suite, unmodified, in both engines.
func testTPC(t *testing.T, s tpc.Suite) {
	if testing.Short() {
		t.Skip("runs both engines on generated data")
	}
	ctx := context.Background()
	cache, err := tpc.CacheRoot()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tables, err := s.Data(ctx, cache, *scaleFactor)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s SF %g: %d tables in %s (ready in %s)", s.Name, *scaleFactor, len(tables), filepath.Dir(firstValue(tables)), time.Since(start).Round(time.Millisecond))
	db, err := tpc.Open(ctx, cache)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := parquetViews(ctx, db, tables); err != nil {
		t.Fatal(err)
	}
	queries, err := s.Queries(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{duck: db, tables: tables, cfg: droverConfig(), timeout: *queryTimeout, work: t.TempDir()}
	var qs []namedQuery
	for _, q := range queries {
		qs = append(qs, namedQuery{name: q.Name, text: q.Text})
	}
	runSuite(t, s.Name, statusPath(s.Key), r, qs)
}

func firstValue(m map[string]string) string {
	for _, v := range m {
		return v
	}
	return ""
}

// statusPath is the ratchet file of a suite at the current scale factor.
func statusPath(key string) string {
	if *scaleFactor == defaultSF {
		return filepath.Join("testdata", key+".status")
	}
	return filepath.Join("testdata", key+"-sf"+strconv.FormatFloat(*scaleFactor, 'f', -1, 64)+".status")
}

// runSuite runs queries as subtests, applies the ratchet of statusFile and
// logs the scoreboard and the failures grouped by cause.
func runSuite(t *testing.T, suite, statusFile string, r *runner, queries []namedQuery) []queryResult {
	t.Helper()
	recorded, err := readStatus(statusFile)
	if err != nil {
		t.Fatal(err)
	}
	var results []queryResult
	var improved []string
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			res, err := r.run(context.Background(), q)
			var de *duckError
			switch {
			case errors.As(err, &de) && !q.wantError:
				t.Fatalf("DuckDB cannot run the query (mark it `error` in the corpus if that is intended): %v\n%s", de.err, q.text)
			case err == nil && q.wantError:
				t.Fatalf("the corpus expects an error but DuckDB answers %d row(s)\n%s", res.rows, q.text)
			case err != nil && !errors.As(err, &de):
				t.Fatal(err)
			}
			results = append(results, res)
			o, known := recorded[q.name]
			failure, better := ratchetVerdict(res, o, known)
			for _, n := range res.notes {
				t.Logf("note: %s", n)
			}
			t.Logf("%s (%d rows, %s)", res.statusLine(), res.rows, res.elapsed.Round(time.Millisecond))
			if better {
				improved = append(improved, q.name)
			}
			if failure != "" {
				t.Errorf("%s\n%s", failure, q.text)
			}
		})
	}
	t.Logf("\n%s\n%s", scoreboard(suite, results), errorGroups(results))
	if len(improved) > 0 && !*update {
		t.Logf("%s: now passing but not recorded as pass in %s (run with -update): %s", suite, statusFile, strings.Join(improved, " "))
	}
	if *update {
		names := make([]string, len(queries))
		for i, q := range queries {
			names[i] = q.name
		}
		if err := writeStatus(statusFile, suite, results, names); err != nil {
			t.Fatal(err)
		}
	}
	return results
}
