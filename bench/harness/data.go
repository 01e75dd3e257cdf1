package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/apache/arrow-go/v18/parquet/file"
)

// dataMarker is written into a data set's directory once generation
// finished; a directory without it is regenerated.
const dataMarker = "_generated.txt"

// Dataset is a generated TPC-H data set.
type Dataset struct {
	// Dir holds parquet/<table>/part-*.parquet.
	Dir         string                `json:"dir"`
	ScaleFactor float64               `json:"scale_factor"`
	Seed        uint64                `json:"seed"`
	Tables      map[string]TableStats `json:"tables"`
}

// TableStats describes one table's Parquet files.
type TableStats struct {
	Rows      int64 `json:"rows"`
	Files     int   `json:"files"`
	Bytes     int64 `json:"bytes"`
	RowGroups int   `json:"row_groups"`
}

// ParquetDir is where the table's Parquet files are.
func (d *Dataset) ParquetDir(table string) string {
	return filepath.Join(d.Dir, "parquet", table)
}

// files lists a table's Parquet files in name order.
func (d *Dataset) files(table string) ([]string, error) {
	fs, err := filepath.Glob(filepath.Join(d.ParquetDir(table), "*.parquet"))
	if err == nil && len(fs) == 0 {
		err = fmt.Errorf("no Parquet files in %s", d.ParquetDir(table))
	}
	sort.Strings(fs)
	return fs, err
}

// ensureData returns the data set for the configured scale factor and
// seed, generating it with `drover tpch-gen` when it is missing.
func ensureData(ctx context.Context, cfg Config) (*Dataset, error) {
	sf := strconv.FormatFloat(cfg.ScaleFactor, 'f', -1, 64)
	d := &Dataset{
		Dir:         filepath.Join(cfg.DataRoot, fmt.Sprintf("sf%s-seed%d", sf, cfg.Seed)),
		ScaleFactor: cfg.ScaleFactor, Seed: cfg.Seed,
	}
	if _, err := os.Stat(filepath.Join(d.Dir, dataMarker)); err != nil {
		if err := generate(ctx, cfg, d.Dir, sf); err != nil {
			return nil, err
		}
	}
	d.Tables = map[string]TableStats{}
	for _, t := range []string{"region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"} {
		st, err := d.stats(t)
		if err != nil {
			return nil, err
		}
		d.Tables[t] = st
	}
	return d, nil
}

func generate(ctx context.Context, cfg Config, dir, sf string) error {
	cfg.logf("generating TPC-H SF %s into %s", sf, dir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, cfg.Drover, "tpch-gen", dir, "--sf", sf,
		"--seed", strconv.FormatUint(cfg.Seed, 10), "--formats", "parquet")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("drover tpch-gen: %w\n%s", err, out)
	}
	cfg.logf("%s", out)
	return os.WriteFile(filepath.Join(dir, dataMarker), out, 0o644)
}

func (d *Dataset) stats(table string) (TableStats, error) {
	files, err := d.files(table)
	if err != nil {
		return TableStats{}, err
	}
	return fileStats(files)
}

// dirStats describes the Parquet files directly in dir.
func dirStats(dir string) (TableStats, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.parquet"))
	if err != nil {
		return TableStats{}, err
	}
	sort.Strings(files)
	return fileStats(files)
}

func fileStats(files []string) (TableStats, error) {
	var st TableStats
	for _, f := range files {
		r, err := file.OpenParquetFile(f, false)
		if err != nil {
			return TableStats{}, fmt.Errorf("%s: %w", f, err)
		}
		st.Rows += r.NumRows()
		st.RowGroups += r.NumRowGroups()
		r.Close()
		fi, err := os.Stat(f)
		if err != nil {
			return TableStats{}, err
		}
		st.Files++
		st.Bytes += fi.Size()
	}
	return st, nil
}

// inputRows is the number of rows q reads (the sum over its tables).
func (d *Dataset) inputRows(q Query) int64 {
	var n int64
	for _, t := range q.tables() {
		n += d.Tables[t].Rows
	}
	return n
}

// workDir is dir when set, else a new temporary directory (prefix) that
// cleanup removes; a given dir is left in place.
func workDir(dir, prefix string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}
