package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// drover run prints the adaptive decisions and, with --explain-final, the
// plan as run; --metrics-json keeps the decisions; --adaptive=false runs
// the plan as planned.
func TestRunExplainFinalAndAdaptiveFlag(t *testing.T) {
	dir := t.TempDir()
	var facts, dims strings.Builder
	facts.WriteString("id,k\n")
	for i := range 400 {
		fmt.Fprintf(&facts, "%d,%d\n", i, i%40)
	}
	dims.WriteString("k,name\n")
	for k := range 40 {
		fmt.Fprintf(&dims, "%d,n%d\n", k, k)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("facts.csv", facts.String())
	write("dims.csv", dims.String())
	job := write("job.hcl", fmt.Sprintf(`job "aqe" {
  source "facts" {
    format = "csv"
    path   = "%[1]s/facts.csv"
    schema = { id = "int64", k = "int64" }
  }
  source "dims" {
    format = "csv"
    path   = "%[1]s/dims.csv"
    schema = { k = "int64", name = "string" }
  }
  view "j" {
    sql = "SELECT d.name, count(*) AS n FROM facts f JOIN dims d ON f.k = d.k GROUP BY d.name"
  }
  sink "out" {
    from   = "j"
    format = "csv"
    path   = "%[1]s/out"
    mode   = "overwrite"
  }
}`, dir))
	run := func(args ...string) string {
		return runJobCmd(t, job, args...)
	}
	metrics := filepath.Join(dir, "m.json")
	out := run("--explain-final", "--metrics-json", metrics)
	for _, want := range []string{"adaptive: stage 2: 4 partitions coalesced into 1 task; join switched to broadcast (build side: stage 1",
		"== Final plan (as run) ==", "HashJoin inner broadcast", "StageRead stage=1 (broadcast)", "== Adaptive decisions ==", "4 partitions coalesced into 1 task"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	var m struct {
		Stages []struct{ Adaptive *struct{ Tasks int } }
	}
	b, err := os.ReadFile(metrics)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, st := range m.Stages {
		if st.Adaptive != nil {
			n++
		}
	}
	if n != 2 {
		t.Errorf("--metrics-json keeps %d adaptive decisions, want 2:\n%s", n, b)
	}
	if out := run("--adaptive=false"); strings.Contains(out, "adaptive:") {
		t.Errorf("--adaptive=false made decisions:\n%s", out)
	}
	// The job's own setting, which the flag overrides when given.
	body, err := os.ReadFile(job)
	if err != nil {
		t.Fatal(err)
	}
	off := write("off.hcl", strings.Replace(string(body), `job "aqe" {`, "job \"aqe\" {\n  adaptive = false", 1))
	if out := runJobCmd(t, off); strings.Contains(out, "adaptive:") {
		t.Errorf("adaptive = false made decisions:\n%s", out)
	}
	if out := runJobCmd(t, off, "--adaptive=true"); !strings.Contains(out, "adaptive:") {
		t.Errorf("--adaptive=true did not override adaptive = false:\n%s", out)
	}
}

// runJobCmd runs drover run on job with the test's fixed flags.
func runJobCmd(t *testing.T, job string, args ...string) string {
	t.Helper()
	cmd := runCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs(append([]string{job, "--parallelism", "2", "--broadcast-threshold", "-1", "--event-log-dir", "off", "--ui-addr", "off"}, args...))
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}
