package parser

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTPCQueries parses every TPC-H and TPC-DS query text as DuckDB ships
// it, and checks that printing the tree and parsing that again gives the
// same text (the printer and the parser agree).
func TestTPCQueries(t *testing.T) {
	files, err := filepath.Glob("testdata/tpc*/*.sql")
	if err != nil || len(files) != 22+99 {
		t.Fatalf("found %d query files (%v), want 121", len(files), err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParseQuery(string(src))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		printed := q.String()
		again, err := ParseQuery(printed)
		if err != nil {
			t.Errorf("%s: reparsing the printed tree: %v\n%s", f, err, printed)
			continue
		}
		if again.String() != printed {
			t.Errorf("%s: printing is not stable:\n%s\n%s", f, printed, again.String())
		}
	}
}
