package conformance

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// corpusFile is one testdata/sql/*.test file: setup statements (run in
// DuckDB, their tables exported to Parquet for both engines) and queries.
//
// The format, in the spirit of sqllogictest: blocks separated by blank
// lines; a block starts with a header line and continues with SQL.
//
//	# comment
//	statement
//	CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (NULL, 'b')) v(k, s)
//
//	query not_in_with_null
//	SELECT k FROM t WHERE k NOT IN (SELECT k FROM u)
//
//	query two_rows_in_scalar_subquery error more than one row
//	SELECT (SELECT k FROM t)
//
// No expected rows are written: DuckDB's answer on the same files is the
// expectation. A query in a form DuckDB lacks (a Spark SQL function) gives
// DuckDB an equivalent after a "---- duckdb" line:
//
//	query nvl
//	SELECT nvl(k, 0) AS v FROM t
//	---- duckdb
//	SELECT coalesce(k, 0) AS v FROM t
//
// Otherwise both engines run the same text. "error <message part>" says DuckDB rejects the query, and
// so must Drover, with an error whose text contains the message part (an
// error for another reason, such as "not supported", is an ERROR).
// Every statement runs before any query, in file order.
type corpusFile struct {
	statements []string
	queries    []namedQuery
}

// duckdbSeparator starts DuckDB's text of a query written in a form
// DuckDB does not run.
const duckdbSeparator = "---- duckdb"

// parseCorpus reads a .test file.
func parseCorpus(path string) (*corpusFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cf := &corpusFile{}
	seen := map[string]bool{}
	var header string
	var headerLine int
	var body []string
	flush := func() error {
		defer func() { header, body = "", nil }()
		if header == "" {
			return nil
		}
		text := strings.TrimSpace(strings.Join(body, "\n"))
		if text == "" {
			return fmt.Errorf("%s:%d: %q has no SQL", path, headerLine, header)
		}
		fields := strings.Fields(header)
		switch {
		case fields[0] == "statement" && len(fields) == 1:
			cf.statements = append(cf.statements, text)
		case fields[0] == "query" && (len(fields) == 2 || len(fields) > 3 && fields[2] == "error"):
			if seen[fields[1]] {
				return fmt.Errorf("%s:%d: query %q defined twice", path, headerLine, fields[1])
			}
			seen[fields[1]] = true
			q := namedQuery{name: fields[1], text: text}
			if d, e, ok := strings.Cut(text, "\n"+duckdbSeparator+"\n"); ok {
				q.text, q.duckdbText = strings.TrimSpace(d), strings.TrimSpace(e)
			}
			if q.text == "" || strings.Contains(q.text, duckdbSeparator) || strings.Contains(q.duckdbText, duckdbSeparator) {
				return fmt.Errorf("%s:%d: query %q: want SQL, optionally followed by a %q line and DuckDB's equivalent", path, headerLine, fields[1], duckdbSeparator)
			}
			if len(fields) > 3 {
				q.wantError, q.errorContains = true, strings.Join(fields[3:], " ")
			}
			cf.queries = append(cf.queries, q)
		default:
			return fmt.Errorf("%s:%d: want \"statement\", \"query <name>\" or \"query <name> error <message part>\", got %q", path, headerLine, header)
		}
		return nil
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case header == "" && (trimmed == "" || strings.HasPrefix(trimmed, "#")):
		case header == "":
			header, headerLine = trimmed, n
		case trimmed == "":
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			body = append(body, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return cf, nil
}
