package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCorpus(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "x.test")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cf, err := parseCorpus(write(`# header comment
statement
CREATE TABLE t AS
  SELECT 1 AS k

query first
SELECT k
FROM t

# between blocks
query second error more than one row
SELECT (SELECT k FROM t)

query spark
SELECT nvl(k, 0)
FROM t
---- duckdb
SELECT coalesce(k, 0)
FROM t
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.statements) != 1 || !strings.HasPrefix(cf.statements[0], "CREATE TABLE t AS\n") {
		t.Errorf("statements %q", cf.statements)
	}
	if len(cf.queries) != 3 || cf.queries[0].name != "first" || cf.queries[0].text != "SELECT k\nFROM t" || cf.queries[0].wantError {
		t.Errorf("first query %+v", cf.queries)
	}
	if q := cf.queries[1]; !q.wantError || q.errorContains != "more than one row" {
		t.Errorf("second query %+v", q)
	}
	if q := cf.queries[2]; q.text != "SELECT nvl(k, 0)\nFROM t" || q.duckdb() != "SELECT coalesce(k, 0)\nFROM t" || cf.queries[0].duckdb() != "SELECT k\nFROM t" {
		t.Errorf("spark query %+v", q)
	}
	for _, bad := range []string{"query a\n---- duckdb\nSELECT 1\n", "query a\nSELECT 1\n---- duckdb\nSELECT 1\n---- duckdb\nSELECT 2\n", "query a\nSELECT 1\n\nquery a\nSELECT 2\n", "query\nSELECT 1\n", "query a error\nSELECT 1\n", "select 1\n", "query a\n"} {
		if _, err := parseCorpus(write(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestWriteStatus checks the ratchet file round trip: lines of queries that
// did not run are kept, lines of removed queries dropped.
func TestWriteStatus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s", "x.status")
	if err := writeStatus(path, "X", []queryResult{{name: "a", outcome: pass}, {name: "b", outcome: errored, message: "no: \"x\""}, {name: "c", outcome: pass}},
		[]string{"a", "b", "c"}); err != nil {
		t.Fatal(err)
	}
	if err := writeStatus(path, "X", []queryResult{{name: "a", outcome: timeout, message: "over 1s"}}, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	want := "# X vs DuckDB: one line per query, written by go test -update.\n# X 0/2 pass (1 error, 1 timeout, 0 wrong)\na timeout: over 1s\nb error: no: \"x\"\n"
	if string(b) != want {
		t.Fatalf("got\n%s\nwant\n%s", b, want)
	}
	st, err := readStatus(path)
	if err != nil || len(st) != 2 || st["a"] != timeout || st["b"] != errored {
		t.Fatalf("readStatus: %v %v", st, err)
	}
}
