package local

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/internal/e2eutil"
)

// skewedTables writes facts(id, k, v) over files CSV files, with key 0 on
// about 30% of the rows and the rest spread over keys 1..199, and
// dims(k, name) for keys 0..149 and 300..309 (so rows go unmatched on both
// sides).
func skewedTables(t *testing.T, rows, files int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 11))
	for _, d := range []string{"facts", "dims"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	parts := make([]strings.Builder, files)
	for i := range parts {
		parts[i].WriteString("id,k,v\n")
	}
	for i := 0; i < rows; i++ {
		k := 0
		if rng.IntN(10) >= 3 {
			k = 1 + rng.IntN(199)
		}
		fmt.Fprintf(&parts[i%files], "%d,%d,%d\n", i, k, rng.IntN(1000))
	}
	for i := range parts {
		writeFile(t, filepath.Join(dir, "facts", fmt.Sprintf("part-%d.csv", i)), parts[i].String())
	}
	var dims strings.Builder
	dims.WriteString("k,name\n")
	for k := 0; k < 310; k++ {
		if k < 150 || k >= 300 {
			fmt.Fprintf(&dims, "%d,n%d\n", k, k)
		}
	}
	writeFile(t, filepath.Join(dir, "dims", "dims.csv"), dims.String())
	return dir
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// adaptiveQueries are one sink per query: joins of every type,
// aggregation, a global sort and a window.
var adaptiveQueries = map[string]string{
	"inner":   "SELECT f.id, f.k, d.name FROM facts f JOIN dims d ON f.k = d.k",
	"left":    "SELECT f.id, d.name FROM facts f LEFT JOIN dims d ON f.k = d.k",
	"right":   "SELECT f.id, d.k FROM facts f RIGHT JOIN dims d ON f.k = d.k",
	"full":    "SELECT f.id, d.k FROM facts f FULL JOIN dims d ON f.k = d.k",
	"semi":    "SELECT f.id FROM facts f WHERE f.k IN (SELECT k FROM dims)",
	"anti":    "SELECT f.id FROM facts f WHERE NOT EXISTS (SELECT 1 FROM dims d WHERE d.k = f.k)",
	"agg":     "SELECT k, count(*) AS n, sum(v) AS s FROM facts GROUP BY k",
	"sort":    "SELECT id, v FROM facts ORDER BY v, id",
	"window":  "SELECT id, k, row_number() OVER (PARTITION BY k ORDER BY v, id) AS rn FROM facts",
	"joinagg": "SELECT d.name, count(*) AS n FROM facts f JOIN dims d ON f.k = d.k GROUP BY d.name",
}

func adaptiveJob(t *testing.T, data, out string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `job "adaptive" {
  source "facts" {
    format = "csv"
    path   = "%[1]s/facts/*.csv"
    schema = { id = "int64", k = "int64", v = "int64" }
  }
  source "dims" {
    format = "csv"
    path   = "%[1]s/dims/*.csv"
    schema = { k = "int64", name = "string" }
  }
`, data)
	names := queryNames()
	for _, name := range names {
		fmt.Fprintf(&sb, "  view %q {\n    sql = %q\n  }\n  sink %q {\n    from = %q\n    format = \"csv\"\n    path = %q\n  }\n",
			"v_"+name, adaptiveQueries[name], name, "v_"+name, filepath.Join(out, name))
	}
	sb.WriteString("}\n")
	return writeJob(t, t.TempDir(), sb.String())
}

func queryNames() []string {
	var ks []string
	for k := range adaptiveQueries {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// sinkRows reads every sink's rows, sorted, by sink name; sort keeps its
// files' order (the file names order the partitions).
func sinkRows(t *testing.T, out string) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for name := range adaptiveQueries {
		dir := filepath.Join(out, name)
		var rows []string
		for _, f := range e2eutil.VisibleFiles(t, dir) {
			for _, r := range e2eutil.ReadCSV(t, filepath.Join(dir, f))[1:] {
				rows = append(rows, strings.Join(r, ","))
			}
		}
		if name != "sort" {
			slices.Sort(rows)
		}
		got[name] = rows
	}
	return got
}

// TestAdaptiveAnswersMatch runs every query shuffled (no planned
// broadcast) without adaptive execution, with coalescing and skew splits
// forced by tiny sizes, and with the broadcast switch, and compares the
// answers; the skewed join partition (key 0, ~30% of the rows) must be
// split.
func TestAdaptiveAnswersMatch(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	data := skewedTables(t, 6000, 6)
	run := func(cfg adaptive.Config) (map[string][]string, *driver.Summary) {
		out := t.TempDir()
		sum, err := runJob(t, adaptiveJob(t, data, out), runOpts{partitions: 8, broadcast: -1, adaptive: cfg})
		if err != nil {
			t.Fatal(err)
		}
		return sinkRows(t, out), sum
	}
	want, off := run(adaptive.Config{Disabled: true})
	if len(off.Adaptive()) != 0 {
		t.Fatalf("adaptive off made decisions: %v", off.Adaptive())
	}
	if len(want["inner"]) == 0 || len(want["anti"]) == 0 || len(want["full"]) <= len(want["inner"]) {
		t.Fatalf("degenerate test data: %d inner, %d anti, %d full rows", len(want["inner"]), len(want["anti"]), len(want["full"]))
	}
	// An answer computed here, independent of the engine: the inner join
	// keeps the facts whose key is below 150; key 0 holds ~30% of them.
	matched, zero := 0, 0
	for _, f := range e2eutil.VisibleFiles(t, filepath.Join(data, "facts")) {
		for _, r := range e2eutil.ReadCSV(t, filepath.Join(data, "facts", f))[1:] {
			if k, _ := strconv.Atoi(r[1]); k < 150 {
				matched++
				if k == 0 {
					zero++
				}
			}
		}
	}
	if len(want["inner"]) != matched || zero*4 < matched {
		t.Fatalf("inner join: %d rows, want %d (%d with key 0)", len(want["inner"]), matched, zero)
	}
	for _, tc := range []struct {
		name string
		cfg  adaptive.Config
	}{
		{"coalesce and skew split", adaptive.Config{AdvisoryBytes: 4 << 10, MinPartitionBytes: 1, SkewThresholdBytes: 1 << 10, SkewFactor: 2, BroadcastBytes: -1}},
		{"broadcast switch", adaptive.Config{AdvisoryBytes: 4 << 10, MinPartitionBytes: 1, SkewThresholdBytes: 1 << 10, SkewFactor: 2, BroadcastBytes: 1 << 30}},
		{"defaults", adaptive.Config{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, sum := run(tc.cfg)
			for name := range adaptiveQueries {
				if strings.Join(got[name], "\n") != strings.Join(want[name], "\n") {
					t.Errorf("%s: %d rows differ from the %d without adaptive execution", name, len(got[name]), len(want[name]))
				}
			}
			ds := sum.Adaptive()
			for _, d := range ds {
				t.Log(d)
			}
			if len(ds) == 0 {
				t.Fatal("no adaptive decisions")
			}
			switch tc.name {
			case "coalesce and skew split":
				if !hasDecision(ds, func(d adaptive.Decision) bool { return len(d.Skew) > 0 }) {
					t.Fatalf("the skewed partition was not split: %v", ds)
				}
			case "broadcast switch":
				if !hasDecision(ds, func(d adaptive.Decision) bool { return d.Broadcast != nil }) {
					t.Fatalf("no join switched to broadcast: %v", ds)
				}
			case "defaults":
				if !hasDecision(ds, func(d adaptive.Decision) bool { return d.Coalesced && d.Tasks < d.Partitions }) {
					t.Fatalf("small partitions were not coalesced: %v", ds)
				}
			}
		})
	}
}

func hasDecision(ds []adaptive.Decision, f func(adaptive.Decision) bool) bool {
	return slices.ContainsFunc(ds, f)
}
