package conformance

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
)

// Verdict is the outcome of CompareFiles.
type Verdict struct {
	OK bool
	// Diff explains a mismatch.
	Diff string
	// Notes say which checks were relaxed (ties at a LIMIT cut, …).
	Notes []string
	// Rows is the number of rows of the expected answer.
	Rows int
}

// CompareFiles compares two engines' answers to query, each stored as
// Parquet files listed in result order, with the rules of the suites
// (compareResults: values normalized, rows as multisets, the ORDER BY key
// sequence, ties at a LIMIT). db (any DuckDB connection) reads the files
// back and evaluates ORDER BY keys that are not result columns over them.
// The benchmark harness checks its runs with it.
func CompareFiles(ctx context.Context, db *sql.DB, query string, want, got []string) (Verdict, error) {
	ord := parseOrdering(query)
	w, err := readFiles(ctx, db, want, nil)
	if err != nil {
		return Verdict{}, fmt.Errorf("expected answer: %w", err)
	}
	var keys []string
	if len(ord.keys) > 0 {
		if _, all := keyColumns(ord.keys, w.columns, ord.items); !all {
			keys = ord.keys
			if w, err = readFiles(ctx, db, want, keys); err != nil {
				return Verdict{}, fmt.Errorf("expected answer: %w", err)
			}
		}
	}
	g, err := readFiles(ctx, db, got, keys)
	if err != nil {
		return Verdict{}, err
	}
	v := compareResults(w, g, ord)
	return Verdict{OK: v.ok, Diff: v.diff, Notes: v.notes, Rows: len(w.rows)}, nil
}

// readFiles reads Parquet files in order; with keys, DuckDB also evaluates
// them over each file (result.keys, nil when they do not bind).
func readFiles(ctx context.Context, db *sql.DB, files []string, keys []string) (result, error) {
	var res result
	for _, f := range files {
		scan := "read_parquet('" + strings.ReplaceAll(f, "'", "''") + "')"
		part, err := queryDuck(ctx, db, "SELECT * FROM "+scan)
		if err != nil {
			return result{}, fmt.Errorf("read %s: %w", filepath.Base(f), err)
		}
		if res.columns == nil {
			res.columns = part.columns
		}
		res.rows = append(res.rows, part.rows...)
	}
	if len(keys) == 0 {
		return res, nil
	}
	res.keys = []row{}
	for _, f := range files {
		scan := "read_parquet('" + strings.ReplaceAll(f, "'", "''") + "')"
		k, err := queryDuck(ctx, db, "SELECT "+strings.Join(keyExprs(keys, res.columns), ", ")+" FROM "+scan)
		if err != nil {
			res.keys = nil
			break
		}
		res.keys = append(res.keys, k.rows...)
	}
	return res, nil
}
