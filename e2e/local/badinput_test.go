package local

import (
	"fmt"
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// simpleJob reads one CSV source and writes an aggregate to out.
func simpleJob(data, out, extra string) string {
	return fmt.Sprintf(`
job "bad-input" {
  source "orders" {
    format = "csv"
    path   = %q
    schema = { id = "int64", amount = "decimal(10,2)", note = "string" }
  }
  view "totals" {
    from      = "orders"
    group_by  = ["note"]
    aggregate = ["sum(amount) AS total"]
    %s
  }
  sink "out" {
    from   = "totals"
    format = "parquet"
    path   = %q
    mode   = "overwrite"
  }
}
`, data, extra, out)
}

func TestBadCSVValueNamesFileAndLineAndCommitsNothing(t *testing.T) {
	dir := t.TempDir()
	data, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	// Line 3 holds a quoted field with a newline, so the bad row starts on
	// physical line 5, not record 4.
	e2eutil.WriteFile(t, filepath.Join(data, "a.csv"), "id,amount,note\n1,2.50,ok\n2,3.00,\"two\nlines\"\n3,12x,bad\n")
	e2eutil.WriteFile(t, filepath.Join(out, "part-00000-old.parquet"), "previous output")
	e2eutil.WriteFile(t, filepath.Join(out, "_SUCCESS"), "")
	_, err := runJob(t, writeJob(t, dir, simpleJob(data, out, "")), runOpts{})
	if err == nil {
		t.Fatal("job with a bad value succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, "a.csv:5") || !strings.Contains(msg, "12x") {
		t.Fatalf("error does not name file, line and value: %v", err)
	}
	if got := e2eutil.VisibleFiles(t, out); strings.Join(got, ",") != "part-00000-old.parquet" {
		t.Fatalf("output changed after a failed job: %v", got)
	}
	if _, err := os.Stat(filepath.Join(out, "_SUCCESS")); err != nil {
		t.Fatal("the previous _SUCCESS marker was removed")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(out, "_staging", "*", "*")); len(leftovers) > 0 {
		t.Fatalf("staged files left behind: %v", leftovers)
	}
}

func TestWrongFieldCountIsAnError(t *testing.T) {
	dir := t.TempDir()
	data, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	e2eutil.WriteFile(t, filepath.Join(data, "a.csv"), "id,amount,note\n1,2.50,ok\n2,3.00\n")
	_, err := runJob(t, writeJob(t, dir, simpleJob(data, out, "")), runOpts{})
	if err == nil || !strings.Contains(err.Error(), "a.csv:3") {
		t.Fatalf("want an error at a.csv:3, got %v", err)
	}
	if got := e2eutil.VisibleFiles(t, out); len(got) > 0 {
		t.Fatalf("partial output committed: %v", got)
	}
}

func TestSpecErrorsCarryPositions(t *testing.T) {
	dir := t.TempDir()
	data, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	e2eutil.WriteFile(t, filepath.Join(data, "a.csv"), "id,amount,note\n1,2.50,ok\n")
	cases := []struct {
		name, job string
		want      []string
	}{
		{"hcl syntax", "job \"x\" {\n  source \"a\" {\n    format = \n  }\n}\n", []string{"job.hcl:3"}},
		{"unknown column", simpleJob(data, out, `having = "totl > 1"`), []string{"job.hcl:", "totl", "did you mean"}},
		{"type error", simpleJob(data, out, `having = "note > 1"`), []string{"job.hcl:", "note"}},
		{"missing input", simpleJob(filepath.Join(dir, "nope", "*.csv"), out, ""), []string{"nope"}},
		{"unknown source option", strings.Replace(simpleJob(data, out, ""), `format = "csv"`, `format = "csv"
    options = { delimeter = ";" }`, 1), []string{"job.hcl:3:", `source "orders"`, "delimeter", "unknown option"}},
		{"unknown sink option", strings.Replace(simpleJob(data, out, ""), `mode   = "overwrite"`, `mode   = "overwrite"
    options = { compresion = "zstd" }`, 1), []string{"job.hcl:", `sink "out"`, "compresion", "unknown option"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runJob(t, writeJob(t, dir, c.job), runOpts{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestTruncatedParquetNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "in")
	e2eutil.WriteFile(t, filepath.Join(data, "broken.parquet"), "PAR1 this is not really parquet")
	job := fmt.Sprintf(`
job "p" {
  source "s" {
    format = "parquet"
    path   = %q
    schema = { id = "int64" }
  }
  sink "o" {
    from   = "s"
    format = "csv"
    path   = %q
  }
}
`, data, filepath.Join(dir, "out"))
	_, err := runJob(t, writeJob(t, dir, job), runOpts{})
	if err == nil || !strings.Contains(err.Error(), "broken.parquet") {
		t.Fatalf("want an error naming broken.parquet, got %v", err)
	}
}

func TestModeErrorRefusesExistingOutput(t *testing.T) {
	dir := t.TempDir()
	data, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	e2eutil.WriteFile(t, filepath.Join(data, "a.csv"), "id,amount,note\n1,2.50,ok\n")
	e2eutil.WriteFile(t, filepath.Join(out, "part-0.parquet"), "old")
	job := strings.Replace(simpleJob(data, out, ""), `mode   = "overwrite"`, `mode   = "error"`, 1)
	_, err := runJob(t, writeJob(t, dir, job), runOpts{})
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("want an output-exists error, got %v", err)
	}
}

func TestNestedSinkDirectoriesAreRefused(t *testing.T) {
	dir := t.TempDir()
	data, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	e2eutil.WriteFile(t, filepath.Join(data, "a.csv"), "id,amount,note\n1,2.50,ok\n")
	job := strings.Replace(simpleJob(data, out, ""), "\n}\n", fmt.Sprintf(`
  sink "inner" {
    from   = "orders"
    format = "csv"
    path   = %q
  }
}
`, filepath.Join(out, "inner")), 1)
	job = job[:strings.LastIndex(job, "}")] // drop the job block's own closing brace added twice
	_, err := runJob(t, writeJob(t, dir, job+"}\n"), runOpts{})
	if err == nil || !strings.Contains(err.Error(), "each other's directory") {
		t.Fatalf("want a nested-sink error, got %v", err)
	}
}
