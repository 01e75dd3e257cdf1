package conformance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runner runs queries in DuckDB (the expected answers, over views of the
// Parquet tables) and in Drover (over the same files), and compares.
type runner struct {
	duck    *sql.DB
	tables  map[string]string // table → directory holding its Parquet file
	cfg     DroverConfig
	timeout time.Duration // per query, Drover's run
	work    string        // scratch directory for Drover's output
}

// namedQuery is one query of a suite.
type namedQuery struct {
	name string
	text string
	// wantError: the corpus says DuckDB rejects this query; Drover must
	// fail with an error containing errorContains (case-insensitive).
	wantError     bool
	errorContains string
	// duckdbText, when set, is what DuckDB runs instead of text: the same
	// query in DuckDB's dialect (the corpus's Spark SQL functions).
	duckdbText string
}

// duckdb is the text DuckDB runs for q.
func (q namedQuery) duckdb() string {
	if q.duckdbText != "" {
		return q.duckdbText
	}
	return q.text
}

// duckError is DuckDB rejecting a query: Drover must reject it too.
type duckError struct{ err error }

func (e *duckError) Error() string { return "DuckDB: " + e.err.Error() }
func (e *duckError) Unwrap() error { return e.err }

// run compares one query. When DuckDB rejects it, the error is returned
// as *duckError and Drover passes only by failing too, with an error that
// contains q.errorContains (so that "not supported" does not pass for
// "scalar subquery returned more than one row").
func (r *runner) run(ctx context.Context, q namedQuery) (queryResult, error) {
	name, query := q.name, q.text
	res := queryResult{name: name}
	// DuckDB's text defines the expected order.
	ord := parseOrdering(q.duckdb())
	want, werr := queryDuck(ctx, r.duck, q.duckdb())
	var evalKeys []string // ORDER BY keys that need DuckDB to evaluate them
	if werr == nil && len(ord.keys) > 0 {
		if _, all := keyColumns(ord.keys, want.columns, ord.items); !all {
			evalKeys = ord.keys
			want = r.wantKeys(ctx, q.duckdb(), want, evalKeys)
		}
	}
	start := time.Now()
	got, gerr := r.drover(ctx, name, query, evalKeys)
	res.elapsed = time.Since(start)
	if werr != nil {
		// DuckDB rejects the query (for example a scalar subquery with
		// two rows): the right answer is an error.
		switch {
		case gerr == nil:
			res.outcome, res.message = wrong, fmt.Sprintf("DuckDB fails (%s) but Drover answered %d row(s)", firstLine(werr.Error()), len(got.rows))
		case errors.Is(gerr, context.DeadlineExceeded):
			res.outcome, res.message = timeout, fmt.Sprintf("over %s", r.timeout)
		case !strings.Contains(strings.ToLower(gerr.Error()), strings.ToLower(q.errorContains)):
			res.outcome, res.message = errored, firstLine(gerr.Error())
		default:
			res.outcome = pass
			res.notes = append(res.notes, "both fail; Drover: "+firstLine(gerr.Error()))
		}
		return res, &duckError{werr}
	}
	res.rows = len(want.rows)
	switch {
	case gerr != nil && errors.Is(gerr, context.DeadlineExceeded):
		res.outcome, res.message = timeout, fmt.Sprintf("over %s", r.timeout)
	case gerr != nil:
		res.outcome, res.message = errored, firstLine(gerr.Error())
	default:
		v := compareResults(want, got, ord)
		res.notes = v.notes
		if v.ok {
			res.outcome = pass
		} else {
			res.outcome, res.message = wrong, v.diff
		}
	}
	return res, nil
}

// wantKeys re-reads DuckDB's answer through a temporary table together
// with the sort keys evaluated over it (result.keys); on any error it
// returns want unchanged (keys nil).
func (r *runner) wantKeys(ctx context.Context, query string, want result, keys []string) result {
	q := strings.TrimRight(strings.TrimSpace(query), ";")
	if _, err := r.duck.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE conformance_want AS "+q+"\n"); err != nil {
		return want
	}
	defer r.duck.ExecContext(ctx, "DROP TABLE IF EXISTS conformance_want")
	// The table keeps the query's order (insertion order); both scans read
	// it in that order.
	rows, err := queryDuck(ctx, r.duck, "SELECT * FROM conformance_want")
	if err != nil || len(rows.rows) != len(want.rows) {
		return want
	}
	k, err := queryDuck(ctx, r.duck, "SELECT "+strings.Join(keyExprs(keys, rows.columns), ", ")+" FROM conformance_want")
	if err != nil {
		return want
	}
	rows.keys = k.rows
	return rows
}

// drover runs query in Drover and reads its output back through DuckDB;
// with keys, DuckDB also evaluates them over each output file (result.keys,
// nil when they do not bind).
func (r *runner) drover(ctx context.Context, name, query string, keys []string) (res result, err error) {
	dir, err := os.MkdirTemp(r.work, strings.ReplaceAll(name, "/", "_")+"-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	defer func() {
		// A planner panic is Drover's error, not the suite's crash.
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	files, err := runDrover(ctx, r.cfg, r.tables, query, filepath.Join(dir, "out"))
	if err != nil {
		return result{}, err
	}
	res, err = readFiles(context.Background(), r.duck, files, keys)
	if err != nil {
		return result{}, fmt.Errorf("read Drover's output: %w", err)
	}
	return res, nil
}

// queryDuck runs a query in DuckDB and normalizes its rows.
func queryDuck(ctx context.Context, db *sql.DB, query string) (result, error) {
	rs, err := db.QueryContext(ctx, query)
	if err != nil {
		return result{}, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return result{}, err
	}
	res := result{columns: cols}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return result{}, err
		}
		r := make(row, len(vals))
		for i, v := range vals {
			r[i] = normalize(v)
		}
		res.rows = append(res.rows, r)
	}
	return res, rs.Err()
}

// parquetViews makes every table a DuckDB view over its Parquet files, so
// that DuckDB answers from exactly the bytes Drover reads.
func parquetViews(ctx context.Context, db *sql.DB, tables map[string]string) error {
	for name, dir := range tables {
		q := fmt.Sprintf(`CREATE OR REPLACE VIEW %q AS SELECT * FROM read_parquet('%s/*.parquet')`, name, strings.ReplaceAll(dir, "'", "''"))
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("view %s: %w", name, err)
		}
	}
	return nil
}
