package conformance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/drover-etl/drover/bench/duckext"
)

// tpcSuite is one of the two benchmark suites DuckDB's extensions carry.
type tpcSuite struct {
	name    string // TPC-H, TPC-DS
	key     string // tpch, tpcds: status file and cache directory names
	gen     string // DuckDB's generator call, %s the scale factor
	queries string // DuckDB's table function of the query texts
	minSF   float64
}

var (
	tpch  = tpcSuite{name: "TPC-H", key: "tpch", gen: "CALL dbgen(sf = %s)", queries: "SELECT query_nr, query FROM tpch_queries() ORDER BY query_nr"}
	tpcds = tpcSuite{name: "TPC-DS", key: "tpcds", gen: "CALL dsdgen(sf = %s)", queries: "SELECT query_nr, query FROM tpcds_queries() ORDER BY query_nr",
		// dsdgen never returns below 0.01 (measured with DuckDB v1.5.5).
		minSF: 0.01}
)

// tpcQuery is one query text, unmodified.
type tpcQuery struct {
	name string // q01 …
	text string
}

// cacheRoot is where generated data and the extension shims are kept
// between runs: $DROVER_CONFORMANCE_CACHE, else the user cache directory.
func cacheRoot() (string, error) {
	if d := os.Getenv("DROVER_CONFORMANCE_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cache directory (set DROVER_CONFORMANCE_CACHE): %w", err)
	}
	return filepath.Join(d, "drover-conformance"), nil
}

// data returns the suite's tables as Parquet at scale factor sf, generated
// by DuckDB on first use into <cache>/<key>-sf<sf>/<table>/data.parquet.
// Generation writes into a fresh directory renamed into place at the end,
// so an interrupted run never leaves a partial data set behind.
func (s tpcSuite) data(ctx context.Context, cache string, sf float64) (map[string]string, error) {
	if sf < s.minSF {
		return nil, fmt.Errorf("%s: scale factor %g is below %g, which DuckDB's generator does not finish", s.name, sf, s.minSF)
	}
	sfText := strconv.FormatFloat(sf, 'f', -1, 64)
	dir := filepath.Join(cache, s.key+"-sf"+sfText)
	if _, err := os.Stat(filepath.Join(dir, "_COMPLETE")); err == nil {
		return listTables(dir)
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(cache, s.key+"-generating-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	db, err := duckext.Open(ctx, filepath.Join(cache, "extensions"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, fmt.Sprintf(s.gen, sfText)); err != nil {
		return nil, fmt.Errorf("%s generator: %w", s.name, err)
	}
	if _, err := exportTables(ctx, db, tmp); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "_COMPLETE"), nil, 0o644); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	return listTables(dir)
}

// listTables maps each table directory under dir to its name.
func listTables(dir string) (map[string]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	tables := map[string]string{}
	for _, e := range ents {
		if e.IsDir() {
			tables[e.Name()] = filepath.Join(dir, e.Name())
		}
	}
	if len(tables) == 0 {
		return nil, errors.New("no tables in " + dir)
	}
	return tables, nil
}

// texts returns the suite's query texts from DuckDB's extension.
func (s tpcSuite) texts(ctx context.Context, db *sql.DB) ([]tpcQuery, error) {
	rs, err := db.QueryContext(ctx, s.queries)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var qs []tpcQuery
	for rs.Next() {
		var nr int
		var text string
		if err := rs.Scan(&nr, &text); err != nil {
			return nil, err
		}
		qs = append(qs, tpcQuery{name: fmt.Sprintf("q%02d", nr), text: text})
	}
	return qs, rs.Err()
}
