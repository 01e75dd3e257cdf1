package plugins

import (
	"errors"
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/udfhost"
)

// faultJob reads two small CSV files through one view step of faultkit's
// (a select expression or a transform) and writes CSV. The rows' v values
// are the magic inputs.
func faultJob(t *testing.T, step string, values ...string) (path string, vars map[string]string) {
	t.Helper()
	dir := t.TempDir()
	half := len(values) / 2
	for i, part := range [][]string{values[:half], values[half:]} {
		var sb strings.Builder
		sb.WriteString("id,v\n")
		for j, v := range part {
			sb.WriteString(strings.Join([]string{strconv.Itoa(i*100 + j), v}, ",") + "\n")
		}
		e2eutil.WriteFile(t, filepath.Join(dir, "in", strconv.Itoa(i)+".csv"), sb.String())
	}
	job := `
variable "plugins" {}
variable "data" {}
variable "out" {}
job "faults" {
  plugin "faultkit" { source = "${var.plugins}/faultkit" }
  plugin "textkit" { source = "${var.plugins}/textkit" }
  source "in" {
    format = "csv"
    path   = "${var.data}/in/*.csv"
    schema = { id = "int64", v = "string" }
  }
  view "step" {
    from = "in"
    ` + step + `
  }
  sink "out" {
    from   = "step"
    format = "csv"
    path   = "${var.out}/"
  }
}
`
	return e2eutil.WriteFile(t, filepath.Join(dir, "job.hcl"), job), map[string]string{
		"plugins": plugins(t), "data": dir, "out": filepath.Join(dir, "out")}
}

// outputValues reads the v column of the CSV output, sorted.
func outputValues(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, p := range filesWithExt(t, dir, ".csv") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
			_, v, _ := strings.Cut(line, ",")
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

func attempts(sumStages []int) int {
	n := 0
	for _, a := range sumStages {
		n += a
	}
	return n
}

// TestPluginCrashIsRetriedOnARestartedPlugin: the plugin dies on one row
// the first time it sees it; the task fails with the plugin's stderr, the
// executor restarts the plugin, the retry succeeds, and the output is
// complete.
func TestPluginCrashIsRetriedOnARestartedPlugin(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "crashed")
	path, vars := faultJob(t, `select = ["id", "faultkit.crash(v) AS v"]`, "a", "crash-once:"+marker, "b", "c")
	var log logBuffer
	sum, err := runJob(t, path, vars, 0, &log)
	if err != nil {
		t.Fatalf("%v\nplugin log:\n%s", err, log.String())
	}
	var stageAttempts, tasks []int
	for _, s := range sum.Stages {
		stageAttempts = append(stageAttempts, s.Attempts)
		tasks = append(tasks, s.Tasks)
	}
	if attempts(stageAttempts) <= attempts(tasks) {
		t.Errorf("no task was retried: attempts %v for tasks %v", stageAttempts, tasks)
	}
	want := []string{"a", "b", "c", "crash-once:" + marker}
	if got := outputValues(t, vars["out"]); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("output %v, want %v", got, want)
	}
	if l := log.String(); !strings.Contains(l, "plugin faultkit: faultkit: crashing once on purpose") || !strings.Contains(l, "plugin faultkit: starting again") {
		t.Errorf("plugin log:\n%s", l)
	}
}

// TestPersistentCrashFailsTheJobWithTheStderr: a plugin that dies every
// time fails the job once the retries run out, quoting what the plugin
// said, and commits nothing.
func TestPersistentCrashFailsTheJobWithTheStderr(t *testing.T) {
	path, vars := faultJob(t, `select = ["id", "faultkit.crash(v) AS v"]`, "a", "crash", "b", "c")
	_, err := runJob(t, path, vars, 0, &logBuffer{})
	if !errors.Is(err, udfhost.ErrCrashed) || !strings.Contains(err.Error(), "failed 4 times") ||
		!strings.Contains(err.Error(), `| faultkit: crashing on purpose on "crash"`) {
		t.Fatalf("want a crash after 4 attempts quoting stderr, got %v", err)
	}
	if files := filesWithExt(t, vars["out"], ".csv"); len(files) > 0 {
		t.Errorf("a failed job left output: %v", files)
	}
}

// TestHungPluginTimesOut: a call that never returns fails its task after
// the call timeout (the plugin is killed and restarted each time).
func TestHungPluginTimesOut(t *testing.T) {
	path, vars := faultJob(t, `select = ["id", "faultkit.hang(v) AS v"]`, "a", "hang", "b", "c")
	began := time.Now()
	_, err := runJob(t, path, vars, 250*time.Millisecond, &logBuffer{})
	if !errors.Is(err, udfhost.ErrTimeout) || !strings.Contains(err.Error(), "did not answer within 250ms") {
		t.Fatalf("want a timeout, got %v", err)
	}
	if d := time.Since(began); d > 30*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestBrokenContractsFailAtOnce: a transform batch of the wrong schema and
// a scalar result of the wrong type are fatal: no retry could fix them.
func TestBrokenContractsFailAtOnce(t *testing.T) {
	for _, tc := range []struct{ step, want string }{
		{`transform = "faultkit.badschema"`, "transform faultkit.badschema returned a batch of (id int64, v utf8, extra int64), but declared (id int64, v utf8) while planning"},
		{`select = ["faultkit.wrongtype(v) AS v"]`, "faultkit.wrongtype returned int64 values, but declared utf8 while planning"},
		{`select = ["faultkit.short(v) AS v"]`, "faultkit.short returned 1 values for 2 rows"},
	} {
		path, vars := faultJob(t, tc.step, "a", "b", "c", "d")
		_, err := runJob(t, path, vars, 0, &logBuffer{})
		if !errors.Is(err, udfhost.ErrContract) || task.ClassOf(err) != task.Fatal || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want a fatal contract error containing %q, got (%s) %v", tc.step, tc.want, task.ClassOf(err), err)
		}
	}
}

// TestPlanTimeErrors: argument types and transform args are checked by
// the plugin while planning, before any task runs, with the job file's
// position.
func TestPlanTimeErrors(t *testing.T) {
	for _, tc := range []struct{ step, want string }{
		{`select = ["textkit.slug(id) AS s"]`, `job.hcl:15:15: select: textkit.slug(id): plugin "textkit": want one string argument, got (int64)`},
		{`select = ["textkit.slugify(v) AS s"]`, `plugin "textkit" has no scalar function "slugify" (scalar functions: hash, normalize, slug; transforms: score)`},
		{`transform = "textkit.score"
    args = { column = "nope" }`, `job.hcl:15:17: view "step": transform textkit.score: plugin "textkit": score: no column "nope" in the input (id, v)`},
	} {
		path, vars := faultJob(t, tc.step, "a", "b")
		_, err := runJob(t, path, vars, 0, &logBuffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.step, err, tc.want)
		}
	}
}
