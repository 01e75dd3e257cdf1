package local

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/internal/memcg"
)

// capMiB is the cgroup cap of the capped runs: Drover's default budget
// under it is 60 % (153.6 MiB), with the rest for what the budget does not
// count.
const capMiB = 256

// TestCappedRunHoldsItsBudget runs the real drover binary in a memory
// cgroup capped at 256 MiB, as systemd-run -p MemoryMax or docker
// --memory would, sorting and aggregating TPC-H lineitem: with no --memory
// it must find the cap itself (its own cgroup, not the hierarchy's root),
// finish without being OOM-killed and answer as an uncapped run does; with
// a --memory the cap cannot hold it must warn, naming the cgroup, and
// still finish. Needs root and writable cgroups (make test-memcap); it
// skips, saying why, elsewhere.
func TestCappedRunHoldsItsBudget(t *testing.T) {
	probe, err := memcg.New("drover-e2e-probe", capMiB<<20)
	if errors.Is(err, memcg.ErrUnavailable) {
		t.Skipf("cgroups are not writable here (run as root: make test-memcap): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	probe.Remove()
	root := e2eutil.RepoRoot(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "drover")
	build := exec.Command("go", "build", "-o", bin, "./cmd/drover")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "tpch")
	if out, err := exec.Command(bin, "tpch-gen", data, "--sf", "0.2", "--formats", "parquet",
		"--tables", "lineitem").CombinedOutput(); err != nil {
		t.Fatalf("tpch-gen: %v\n%s", err, out)
	}
	for _, job := range []string{"sort", "group"} {
		t.Run(job, func(t *testing.T) {
			jobFile := writeJob(t, dir, cappedJob(job, filepath.Join(data, "parquet", "lineitem")))
			run := func(name string, g *memcg.Group, extra ...string) (rows []string, stderr string) {
				out := filepath.Join(dir, job+"-"+name)
				args := append([]string{"run", jobFile, "--var", "out=" + out, "--parallelism", "2", "--ui-addr", "off"}, extra...)
				cmd := exec.Command(bin, args...)
				cmd.Env = append(os.Environ(), "TMPDIR="+dir, "GOMAXPROCS=2")
				if g != nil {
					cmd = g.Command(cmd)
				}
				var errb strings.Builder
				cmd.Stderr = &errb
				err := cmd.Run()
				if g != nil {
					if kills, kerr := g.OOMKills(); kerr != nil || kills > 0 {
						t.Fatalf("%s: OOM-killed %d times in its %d MiB cgroup (%v); peak %d MiB", name, kills, capMiB, kerr, g.Peak()>>20)
					}
				}
				if err != nil {
					t.Fatalf("%s: %v\n%s", name, err, errb.String())
				}
				return canonical(job, e2eutil.ReadParquetDir(t, out)), errb.String()
			}
			want, _ := run("uncapped", nil)
			capped := func(name string, extra ...string) ([]string, string, *memcg.Group) {
				g, err := memcg.New("drover-e2e", capMiB<<20)
				if err != nil {
					t.Fatal(err)
				}
				defer g.Remove()
				rows, stderr := run(name, g, extra...)
				return rows, stderr, g
			}
			got, stderr, _ := capped("capped")
			if strings.Contains(stderr, "warning") {
				t.Fatalf("the default budget warned: %s", stderr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("capped run answered differently: %d rows vs %d uncapped", len(got), len(want))
			}
			got, stderr, g := capped("capped-over", "--memory", "1073741824")
			if !strings.Contains(stderr, "--memory (1024.0 MiB) does not fit under the hard memory limit of 256.0 MiB (cgroup "+
				filepath.Join(g.Dir, "memory.")) {
				t.Fatalf("want one warning naming the cgroup %s, got:\n%s", g.Dir, stderr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatal("the clamped run answered differently")
			}
		})
	}
}

// cappedJob sorts lineitem (sort) or groups it by order (group), the two
// shapes that hold the most.
func cappedJob(kind, lineitem string) string {
	query := `SELECT l_orderkey, l_linenumber, l_shipdate, l_extendedprice, l_comment FROM lineitem
      ORDER BY l_shipdate, l_orderkey, l_linenumber`
	if kind == "group" {
		query = `SELECT l_orderkey, count(*) AS n, sum(l_extendedprice) AS total FROM lineitem GROUP BY l_orderkey`
	}
	return `variable "out" {}
job "capped-` + kind + `" {
  source "lineitem" {
    format = "parquet"
    path   = "` + lineitem + `/"
  }
  view "result" {
    sql = <<-SQL
      ` + query + `
    SQL
  }
  sink "result" {
    from   = "result"
    format = "parquet"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
`
}

// canonical renders rows as "k=v,…" strings: in output order for the sort
// (the order is the answer), sorted for the aggregation.
func canonical(job string, rows []map[string]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(k + "=" + r[k] + ",")
		}
		out[i] = b.String()
	}
	if job != "sort" {
		sort.Strings(out)
	}
	return out
}
