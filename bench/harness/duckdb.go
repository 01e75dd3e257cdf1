package harness

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // the "duckdb" database/sql driver
)

// childEnv carries a duckSpec to a child process of the harness: DuckDB
// runs in its own process so that it is measured like Drover.
const childEnv = "DROVER_BENCH_DUCKDB_SPEC"

// duckSpec is one DuckDB run.
type duckSpec struct {
	Threads int               `json:"threads"`
	Tables  map[string]string `json:"tables"` // view name → Parquet glob
	SQL     string            `json:"sql"`
	UDFs    []string          `json:"udfs,omitempty"` // Go scalar functions to register
	Out     string            `json:"out"`            // Parquet file to write
	// Setup are statements run after SET threads (the scale suite's
	// memory_limit and temp_directory).
	Setup []string `json:"setup,omitempty"`
}

// MaybeRunChild runs a DuckDB query and exits when this process was
// started as the harness's DuckDB child; otherwise it returns at once.
// Mains and TestMain call it first.
func MaybeRunChild() {
	spec := os.Getenv(childEnv)
	if spec == "" {
		return
	}
	if err := runDuckSpec(spec); err != nil {
		fmt.Fprintln(os.Stderr, "duckdb child:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func runDuckSpec(text string) error {
	var spec duckSpec
	if err := json.Unmarshal([]byte(text), &spec); err != nil {
		return err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := registerUDFs(conn, spec.UDFs); err != nil {
		return err
	}
	stmts := append([]string{fmt.Sprintf("SET threads = %d", spec.Threads)}, spec.Setup...)
	for name, glob := range spec.Tables {
		stmts = append(stmts, fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet(%s)", name, quote(glob)))
	}
	stmts = append(stmts, fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet)", spec.SQL, quote(spec.Out)))
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	_, err = fmt.Printf("%s %d\n", peakRSSKey, selfPeakRSS())
	return err
}

// peakRSSKey prefixes the line where the child reports its peak RSS.
const peakRSSKey = "peak_rss_bytes"

// parsePeakRSS finds the child's report in its output.
func parsePeakRSS(out []byte) (int64, error) {
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, peakRSSKey+" "); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, fmt.Errorf("duckdb child did not report its peak RSS")
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// runDuckDB runs q in a DuckDB child process, writing out/result.parquet.
func runDuckDB(ctx context.Context, cfg Config, ds *Dataset, q Query, out string) (Sample, error) {
	_, text, err := q.files(cfg.QueryDir)
	if err != nil {
		return Sample{}, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return Sample{}, err
	}
	spec := duckSpec{Threads: cfg.Threads, Tables: map[string]string{}, SQL: text,
		Out: filepath.Join(out, "result.parquet"), UDFs: q.DuckUDFs}
	for _, t := range q.tables() {
		spec.Tables[t] = filepath.Join(ds.ParquetDir(t), "*.parquet")
	}
	return runDuckChild(ctx, spec, 0)
}

// runDuckChild runs spec in a child process (this binary again, which
// MaybeRunChild turns into the DuckDB side) with GOMAXPROCS = spec.Threads
// and memCap as in runMeasuredCapped.
// A run cut by ctx reports ctx's error.
func runDuckChild(ctx context.Context, spec duckSpec, memCap int64) (Sample, error) {
	b, err := json.Marshal(spec)
	if err != nil {
		return Sample{}, err
	}
	self, err := os.Executable()
	if err != nil {
		return Sample{}, err
	}
	cmd := commandContext(ctx, self, nil, []string{childEnv + "=" + string(b), "GOMAXPROCS=" + strconv.Itoa(spec.Threads)})
	s, stdout, err := runMeasuredCapped(cmd, memCap)
	if err != nil {
		if ctx.Err() != nil {
			return Sample{}, ctx.Err()
		}
		return Sample{}, err
	}
	s.PeakRSS, err = parsePeakRSS(stdout)
	return s, err
}

// commandContext is exec.CommandContext with env added to this process's.
func commandContext(ctx context.Context, bin string, args, env []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// duckDBVersion asks the linked DuckDB library for its version.
func duckDBVersion() string {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "unknown"
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT version()").Scan(&v); err != nil {
		return "unknown"
	}
	return v
}
