package conformance

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/bench/tpc"
)

// TestSQL runs the per-feature corpus, testdata/sql/*.test, each file
// against its own status file (testdata/sql/<file>.status).
func TestSQL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both engines")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "sql", "*.test"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files (%v)", err)
	}
	var all []queryResult
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".test")
		t.Run(name, func(t *testing.T) {
			all = append(all, runCorpusFile(t, path)...)
		})
	}
	t.Logf("\n%s", scoreboard("SQL corpus", all))
}

func runCorpusFile(t *testing.T, path string) []queryResult {
	ctx := context.Background()
	cf, err := parseCorpus(path)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer setup.Close()
	setup.SetMaxOpenConns(1)
	for _, s := range cf.statements {
		if _, err := setup.ExecContext(ctx, s); err != nil {
			t.Fatalf("statement: %v\n%s", err, s)
		}
	}
	work := t.TempDir()
	tables, err := tpc.ExportTables(ctx, setup, filepath.Join(work, "tables"))
	if err != nil {
		t.Fatal(err)
	}
	duck, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	duck.SetMaxOpenConns(1)
	if err := parquetViews(ctx, duck, tables); err != nil {
		t.Fatal(err)
	}
	r := &runner{duck: duck, tables: tables, cfg: droverConfig(), timeout: *queryTimeout, work: work}
	status := strings.TrimSuffix(path, ".test") + ".status"
	return runSuite(t, "sql/"+filepath.Base(path), status, r, cf.queries)
}
