package e2eutil

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// RepoRoot is the module root (where jobs/, nomad/ and bin/ are).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// WriteFile writes body to path, creating directories, and returns path.
func WriteFile(t testing.TB, path, body string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// VisibleFiles lists committed files under dir (no segment starting with
// "_" or "."), as sorted paths relative to dir.
func VisibleFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		for _, seg := range strings.Split(rel, string(filepath.Separator)) {
			if strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") {
				return nil
			}
		}
		out = append(out, rel)
		return nil
	})
	sort.Strings(out)
	return out
}

// ReadParquetDir reads every Parquet file under dir, adding Hive partition
// columns from the path. Each row maps column name to its value's text
// ("NULL" for nulls).
func ReadParquetDir(t testing.TB, dir string) []map[string]string {
	t.Helper()
	var rows []map[string]string
	for _, rel := range VisibleFiles(t, dir) {
		if !strings.HasSuffix(rel, ".parquet") {
			continue
		}
		parts := map[string]string{}
		for _, seg := range strings.Split(filepath.Dir(rel), string(filepath.Separator)) {
			if k, v, ok := strings.Cut(seg, "="); ok {
				parts[k] = v
			}
		}
		rows = append(rows, ReadParquetFile(t, filepath.Join(dir, rel), parts)...)
	}
	return rows
}

// ReadParquetFile reads one Parquet file with arrow-go's reader; parts
// are added to every row.
func ReadParquetFile(t testing.TB, path string, parts map[string]string) []map[string]string {
	t.Helper()
	f, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fr, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	rows := tableRows(tbl)
	for _, r := range rows {
		for k, v := range parts {
			r[k] = v
		}
	}
	return rows
}

func tableRows(tbl arrow.Table) []map[string]string {
	rows := make([]map[string]string, int(tbl.NumRows()))
	for i := range rows {
		rows[i] = map[string]string{}
	}
	for c := 0; c < int(tbl.NumCols()); c++ {
		col := tbl.Column(c)
		i := 0
		for _, chunk := range col.Data().Chunks() {
			for j := 0; j < chunk.Len(); j++ {
				if chunk.IsNull(j) {
					rows[i][col.Name()] = "NULL"
				} else {
					rows[i][col.Name()] = chunk.ValueStr(j)
				}
				i++
			}
		}
	}
	return rows
}

// ReadCSV reads a whole CSV file with encoding/csv.
func ReadCSV(t testing.TB, path string) [][]string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
