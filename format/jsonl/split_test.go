package jsonlfmt_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

var splitTable = types.NewSchema(types.Field{Name: "id", Type: types.Int64Type}, types.Field{Name: "s", Type: types.StringType})

// linesFile has blank lines, CRLFs, whitespace-only lines and escaped
// newlines inside strings.
func linesFile(n int) string {
	var b strings.Builder
	for i := range n {
		eol := "\n"
		if i%3 == 0 {
			eol = "\r\n"
		}
		fmt.Fprintf(&b, `{"id":%d,"s":"a\nb %d"}%s`, i, i, eol)
		switch i % 5 {
		case 1:
			b.WriteString("\n")
		case 3:
			b.WriteString("  \r\n\n")
		}
	}
	return b.String()
}

func scanRows(t *testing.T, path string, target int64) [][]string {
	t.Helper()
	recs, err := formattest.Scan(f, path, target, format.ReadOptions{Table: splitTable, BatchRows: 2})
	if err != nil {
		t.Fatalf("target %d: %v", target, err)
	}
	defer formattest.Release(recs)
	return formattest.Rows(t, recs)
}

// TestSplitsGiveSameRows cuts at every split size, so that ranges start
// and end at every offset of a line, on its newline and on blank lines.
func TestSplitsGiveSameRows(t *testing.T) {
	data := linesFile(40)
	path := filepath.Join(t.TempDir(), "l.jsonl")
	formattest.Put(t, path, []byte(data))
	want := scanRows(t, path, 0)
	if len(want) != 40 || want[39][0] != "39" {
		t.Fatalf("unsplit read %d rows", len(want))
	}
	for target := int64(1); target <= int64(len(data))+1; target += 1 + target/32 {
		formattest.Equal(t, want, scanRows(t, path, target))
	}
}

// TestSplitBadLine: a bad line in a later range reports its line in the
// file, counted only when the error happens.
func TestSplitBadLine(t *testing.T) {
	data := linesFile(50)
	lines := strings.Count(data, "\n")
	data += "{\"id\":\"x\"}\n" + linesFile(5)
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	formattest.Put(t, path, []byte(data))
	for _, target := range []int64{0, 1, 13, 100, 999} {
		_, err := formattest.Scan(f, path, target, format.ReadOptions{Table: splitTable})
		var de *format.DataError
		if !errors.As(err, &de) || de.Line != int64(lines+1) || de.Column != "id" {
			t.Fatalf("target %d: got %v, want a DataError at line %d column id", target, err, lines+1)
		}
	}
}
