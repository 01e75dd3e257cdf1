package cluster

import (
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSubmitWithPlugins runs jobs/plugins.hcl (scalar plugin functions and
// plugin transforms) on Nomad executors: the driver ships the plugin
// binaries through S3, each executor verifies and starts them, and the
// output equals a local run's.
func TestSubmitWithPlugins(t *testing.T) {
	e := setup(t)
	genDemo(t)
	root := e2eutil.RepoRoot(t)
	plugins := t.TempDir()
	for _, p := range []string{"textkit", "piimask"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(plugins, p), "./plugins/"+p)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build plugin %s: %v\n%s", p, err, out)
		}
	}
	drover := func(args ...string) string {
		cmd := exec.Command(e.binary, args...)
		cmd.Env = os.Environ()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("drover %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	job := filepath.Join(root, "jobs", "plugins.hcl")
	vars := func(out string) []string {
		return []string{"--var", "data=s3://data/demo", "--var", "out=" + out, "--var", "plugins=" + plugins}
	}
	drover(append([]string{"run", job}, vars("s3://out/plug-local")...)...)
	drover(append([]string{"submit", job, "--executors", "2", "--executor-memory", "256", "--executor-cpu", "100",
		"--shuffle-dir", "s3://shuffle/plug", "--executor-binary", e.binary}, vars("s3://out/plug-cluster")...)...)

	for _, sink := range []string{"attention", "note_slugs"} {
		got := rowsOf(drover("head", "s3://out/plug-cluster/"+sink, "-n", "1000000"))
		want := rowsOf(drover("head", "s3://out/plug-local/"+sink, "-n", "1000000"))
		if len(want) < 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s differs between submit and run (%d vs %d rows)", sink, len(got), len(want))
		}
	}
	if _, err := os.Stat(plugins); err != nil {
		t.Fatal(err)
	}
}

// rowsOf sorts `drover head` output lines (file order may differ).
func rowsOf(out string) []string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	sort.Strings(lines)
	return lines
}
