package local

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/internal/e2eutil"
)

// layoutInput is n CSV records id,k,note; every 50th note holds a quoted
// newline.
func layoutInput(n int) (string, []string) {
	var b strings.Builder
	b.WriteString("id,k,note\n")
	var rows []string
	for i := range n {
		note := fmt.Sprintf("n%d", i)
		text := note
		if i%50 == 0 {
			note = fmt.Sprintf("a\nb%d", i)
			text = `"` + note + `"`
		}
		k := []string{"red", "green", "blue"}[i%3]
		fmt.Fprintf(&b, "%d,%s,%s\n", i, k, text)
		rows = append(rows, fmt.Sprintf("%d,%s,%s", i, k, note))
	}
	slices.Sort(rows)
	return b.String(), rows
}

const layoutJob = `
job "layout" {
  partitions = 3
  source "src" {
    format = "csv"
    path   = %[1]q
    schema = { id = "int64", k = "string", note = "string" }
  }
  view "by_k" {
    from           = "src"
    repartition    = 4
    repartition_by = ["k"]
  }
  view "spread" {
    from        = "src"
    repartition = 6
  }
  sink "rr" {
    from        = "src"
    format      = "csv"
    path        = "%[2]s/rr"
    repartition = 5
  }
  sink "hashed" {
    from   = "by_k"
    format = "csv"
    path   = "%[2]s/hashed"
  }
  sink "one" {
    from     = "spread"
    format   = "csv"
    path     = "%[2]s/one"
    coalesce = 1
  }
  sink "rolled" {
    from             = "src"
    format           = "csv"
    path             = "%[2]s/rolled"
    target_file_size = "20KB"
  }
  sink "parts" {
    from             = "src"
    format           = "csv"
    path             = "%[2]s/parts"
    partition_by     = ["k"]
    target_file_size = "4KB"
  }
  sink "pq" {
    from             = "src"
    format           = "parquet"
    path             = "%[2]s/pq"
    target_file_size = "8KB"
    options          = { row_group_rows = "1000" }
  }
  sink "zipped" {
    from     = "spread"
    format   = "jsonl"
    path     = "%[2]s/zipped"
    coalesce = 2
    options  = { compression = "gzip" }
  }
}
`

// TestRepartitionCoalesceTargetFileSize runs every layout attribute and
// checks the number of files each gives and that no row is lost or
// doubled.
func TestRepartitionCoalesceTargetFileSize(t *testing.T) {
	dir := t.TempDir()
	data, want := layoutInput(5000)
	in := e2eutil.WriteFile(t, filepath.Join(dir, "in", "a.csv"), data)
	out := filepath.Join(dir, "out")
	if _, err := runJob(t, writeJob(t, dir, fmt.Sprintf(layoutJob, in, out)), runOpts{}); err != nil {
		t.Fatal(err)
	}
	for sink, files := range map[string]int{"rr": 5, "one": 1} {
		if got := e2eutil.VisibleFiles(t, filepath.Join(out, sink)); len(got) != files {
			t.Errorf("%s: %d files %v, want %d", sink, len(got), got, files)
		}
		checkCSVRows(t, filepath.Join(out, sink), want...)
	}
	checkHashed(t, filepath.Join(out, "hashed"))
	checkCSVRows(t, filepath.Join(out, "hashed"), want...)
	checkRolled(t, filepath.Join(out, "rolled"), 20_000)
	checkCSVRows(t, filepath.Join(out, "rolled"), want...)
	checkZipped(t, filepath.Join(out, "zipped"), len(want))
	checkPartsRolled(t, filepath.Join(out, "parts"), len(want))
	// Parquet rolls at row groups: 5000 rows in groups of 1000, each
	// group past 8KB, so five files.
	if files := e2eutil.VisibleFiles(t, filepath.Join(out, "pq")); len(files) != 5 {
		t.Errorf("pq: %d files %v, want 5", len(files), files)
	}
	if rows := e2eutil.ReadParquetDir(t, filepath.Join(out, "pq")); len(rows) != len(want) {
		t.Errorf("pq: %d rows, want %d", len(rows), len(want))
	}
}

// checkHashed: each key is in exactly one file.
func checkHashed(t *testing.T, dir string) {
	t.Helper()
	fileOf := map[string]string{}
	for _, f := range e2eutil.VisibleFiles(t, dir) {
		for _, r := range e2eutil.ReadCSV(t, filepath.Join(dir, f))[1:] {
			if prev, ok := fileOf[r[1]]; ok && prev != f {
				t.Fatalf("key %s is in %s and %s", r[1], prev, f)
			}
			fileOf[r[1]] = f
		}
	}
}

// checkRolled: several files, and at most one (the task's last) below the
// target.
func checkRolled(t *testing.T, dir string, target int64) {
	t.Helper()
	files := e2eutil.VisibleFiles(t, dir)
	small := 0
	for _, f := range files {
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if info.Size() < target {
			small++
		}
	}
	if len(files) < 3 || small > 1 {
		t.Fatalf("target_file_size 20KB over ~90KB gave %d files, %d below the target: %v", len(files), small, files)
	}
}

// checkZipped reads the gzip JSON lines files with the standard library.
func checkZipped(t *testing.T, dir string, rows int) {
	t.Helper()
	files := e2eutil.VisibleFiles(t, dir)
	lines := 0
	for _, f := range files {
		if !strings.HasSuffix(f, ".jsonl.gz") {
			t.Fatalf("compressed JSON lines file named %s", f)
		}
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		z, err := gzip.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(z)
		for sc.Scan() {
			lines++
		}
		fh.Close()
		if sc.Err() != nil {
			t.Fatal(sc.Err())
		}
	}
	if len(files) != 2 || lines != rows {
		t.Fatalf("zipped: %d files, %d lines; want 2 files, %d lines", len(files), lines, rows)
	}
}

// bigCSV is about size bytes of records whose every third note is a
// quoted field with newlines and doubled quotes, so that split points land
// inside records.
func bigCSV(size int) (string, int, int64) {
	var b strings.Builder
	b.Grow(size + 100)
	b.WriteString("id,note\n")
	var n int
	var sum int64
	for ; b.Len() < size; n++ {
		if n%3 == 0 {
			fmt.Fprintf(&b, "%d,\"multi\nline \"\"%d\"\"\n,\"\n", n, n)
		} else {
			fmt.Fprintf(&b, "%d,plain %d\n", n, n)
		}
		sum += int64(n)
	}
	return b.String(), n, sum
}

const bigJob = `
job "big" {
  source "src" {
    format = "csv"
    path   = %q
    schema = { id = "int64", note = "string" }
  }
  view "totals" {
    from      = "src"
    aggregate = ["count(*) AS n", "sum(id) AS s", "count(DISTINCT note) AS notes"]
  }
  sink "out" {
    from   = "totals"
    format = "csv"
    path   = %q
    mode   = "overwrite"
  }
}
`

// TestLargeCSVSplitAtRecords reads a CSV file large enough to be cut into
// ranges (2 slots: two ranges of ~17 MB) and checks that every record is
// read once; then the same file with a bad last row must fail naming its
// true line.
func TestLargeCSVSplitAtRecords(t *testing.T) {
	dir := t.TempDir()
	data, n, sum := bigCSV(34 << 20)
	in := e2eutil.WriteFile(t, filepath.Join(dir, "in", "big.csv"), data)
	out := filepath.Join(dir, "out")
	job := writeJob(t, dir, fmt.Sprintf(bigJob, in, out))
	c, err := engine.Compile(context.Background(), job, engine.Options{Parallelism: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Explain(), "splits=2") {
		t.Fatalf("a 34 MB CSV on 2 slots is not cut in two:\n%s", c.Explain())
	}
	if _, err := runJob(t, job, runOpts{}); err != nil {
		t.Fatal(err)
	}
	checkCSVRows(t, out, fmt.Sprintf("%d,%d,%d", n, sum, n))

	lines := strings.Count(data, "\n")
	e2eutil.WriteFile(t, in, data+"x,\"bad\nid\"\n")
	_, err = runJob(t, job, runOpts{})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("big.csv:%d", lines+1)) {
		t.Fatalf("bad last row: got %v, want an error at big.csv:%d", err, lines+1)
	}
}

// checkPartsRolled: each partition directory rolls its own files.
func checkPartsRolled(t *testing.T, dir string, rows int) {
	t.Helper()
	perDir := map[string]int{}
	got := 0
	for _, f := range e2eutil.VisibleFiles(t, dir) {
		perDir[filepath.Dir(f)]++
		got += len(e2eutil.ReadCSV(t, filepath.Join(dir, f))) - 1
	}
	if len(perDir) != 3 || got != rows {
		t.Fatalf("parts: %d directories, %d rows; want 3, %d", len(perDir), got, rows)
	}
	for d, n := range perDir {
		if n < 2 {
			t.Errorf("parts: %s has %d file, want several", d, n)
		}
	}
}
