package formattest

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/types"
)

// Rows renders batches as text rows ("NULL" for nulls) with the exact
// formatting of textcol, so equal rows mean equal values.
func Rows(t testing.TB, recs []arrow.RecordBatch) [][]string {
	t.Helper()
	var out [][]string
	for _, r := range recs {
		fmts := make([]textcol.Formatter, r.NumCols())
		for i, c := range r.Columns() {
			f, err := textcol.NewFormatter(c)
			if err != nil {
				t.Fatal(err)
			}
			fmts[i] = f
		}
		for row := 0; row < int(r.NumRows()); row++ {
			line := make([]string, r.NumCols())
			for i, c := range r.Columns() {
				line[i] = "NULL"
				if !c.IsNull(row) {
					line[i] = string(fmts[i](nil, row))
				}
			}
			out = append(out, line)
		}
	}
	return out
}

// CheckTypes fails unless every batch has exactly the Arrow types of want
// (dictionary<int32, utf8> accepted for strings) and its names.
func CheckTypes(t testing.TB, want *types.Schema, recs []arrow.RecordBatch) {
	t.Helper()
	for _, r := range recs {
		if int(r.NumCols()) != want.Len() {
			t.Fatalf("batch has %d columns, want %d", r.NumCols(), want.Len())
		}
		for i, f := range r.Schema().Fields() {
			wf := want.Fields[i]
			if f.Name != wf.Name || !typeOK(f.Type, wf.Type) || !typeOK(r.Column(i).DataType(), wf.Type) {
				t.Fatalf("column %d is %s %s, want %s %s", i, f.Name, f.Type, wf.Name, wf.Type.Arrow())
			}
		}
	}
}

func typeOK(got arrow.DataType, want types.Type) bool {
	if arrow.TypeEqual(got, want.Arrow()) {
		return true
	}
	d, ok := got.(*arrow.DictionaryType)
	return ok && want.ID == types.String && d.IndexType.ID() == arrow.INT32 && d.ValueType.ID() == arrow.STRING
}

// Equal fails when the rows differ.
func Equal(t testing.TB, want, got [][]string) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("got %d rows, want %d\n got: %v\nwant: %v", len(got), len(want), head(got), head(want))
	}
	for i := range want {
		if !reflect.DeepEqual(want[i], got[i]) {
			t.Fatalf("row %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}

func head(rows [][]string) string {
	if len(rows) > 5 {
		return fmt.Sprint(rows[:5], "...")
	}
	return fmt.Sprint(rows)
}
