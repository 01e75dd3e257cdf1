package csvfmt_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	csvfmt "github.com/drover-etl/drover/format/csv"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

var f = csvfmt.Format{}

func TestRegistered(t *testing.T) {
	if got, err := format.Lookup("CSV"); err != nil || got.Name() != "csv" {
		t.Fatalf("Lookup(csv) = %v, %v", got, err)
	}
}

func TestRoundTripAllTypes(t *testing.T) {
	for _, opts := range []map[string]string{nil, {"delimiter": "\t"}, {"delimiter": ";", "quote": "'", "null": "\\N"}} {
		path := filepath.Join(t.TempDir(), "all.csv")
		rec := formattest.AllTypes()
		defer rec.Release()
		formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), opts, rec)
		recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: formattest.AllTypesSchema, Options: opts, BatchRows: 4})
		if err != nil {
			t.Fatal(err)
		}
		defer formattest.Release(recs)
		formattest.CheckTypes(t, formattest.AllTypesSchema, recs)
		formattest.Equal(t, formattest.AllTypesRows, formattest.Rows(t, recs))
	}
}

func TestInfer(t *testing.T) {
	tests := []struct {
		name, data string
		opts       map[string]string
		want       string
	}{
		{"header", "a,b,c,d,e,f,g\n1,2.5,true,2024-01-01,2024-01-01 10:00:00,x,\n-3,4,FALSE,2024-01-02,2024-01-02,\"y\",\n",
			nil, "a:int64, b:float64, c:bool, d:date, e:timestamp, f:string, g:string"},
		{"no header", "1,x\n2,y\n", map[string]string{"header": "false"}, "col_1:int64, col_2:string"},
		{"names", ",A,a,A\n1,2,3,4\n", nil, "col_1:int64, A:int64, a_2:int64, A_3:int64"},
		{"skip and nulls", "junk line\nx;y\nNA;1\n5;NA\n", map[string]string{"skip_rows": "1", "delimiter": ";", "null": "NA"}, "x:int64, y:int64"},
		{"multiline", "s,n\n\"a\nb\",1\n", nil, "s:string, n:int64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.csv")
			formattest.Put(t, path, []byte(tc.data))
			s, err := f.Infer(context.Background(), formattest.Location(t, path), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != tc.want {
				t.Errorf("Infer = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestNullsAndEmptyStrings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.csv")
	formattest.Put(t, path, []byte("s,i\r\n,\r\n\"\",\"\"\r\nNULL,NULL\r\n\"NULL\",3\r\n"))
	table := types.NewSchema(types.Field{Name: "s", Type: types.StringType}, types.Field{Name: "i", Type: types.Int32Type})
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table, Options: map[string]string{"null": "NULL"}})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.Equal(t, [][]string{{"NULL", "NULL"}, {"", "NULL"}, {"NULL", "NULL"}, {"NULL", "3"}}, formattest.Rows(t, recs))
}

func TestProjection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.csv")
	formattest.Put(t, path, []byte("a,b,c\n1,x,2024-01-01\n2,y,bad-date-not-read\n"))
	table := types.NewSchema(types.Field{Name: "a", Type: types.Int64Type},
		types.Field{Name: "b", Type: types.StringType}, types.Field{Name: "c", Type: types.DateType})
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table, Columns: []int{1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, table.Project([]int{1, 0}), recs)
	formattest.Equal(t, [][]string{{"x", "1"}, {"y", "2"}}, formattest.Rows(t, recs))
}

func TestDataErrors(t *testing.T) {
	table := types.NewSchema(types.Field{Name: "id", Type: types.Int64Type},
		types.Field{Name: "note", Type: types.StringType}, types.Field{Name: "amount", Type: types.DecimalOf(5, 2)})
	tests := []struct {
		name, data string
		line       int64
		column     string
		msg        string
	}{
		{"bad int after embedded newlines", "id,note,amount\n1,\"two\nlines\",1.00\n\n2,\"three\r\nline\nnote\",2.00\n12x,ok,3.00\n", 8, "id", `cannot parse "12x" as int64`},
		{"wrong field count", "id,note,amount\n1,a,1.00\n2,b\n", 3, "", "expected 3 fields, found 2"},
		{"decimal overflow", "id,note,amount\n1,a,1000.00\n", 2, "amount", `value "1000.00" does not fit decimal(5,2)`},
		{"unterminated quote", "id,note,amount\n1,\"open,1.00\n2,b,1.00\n", 2, "", "not terminated"},
		{"junk after quote", "id,note,amount\n1,\"a\"b,1.00\n", 2, "", "after closing quote"},
		{"bad header count", "id,note\n1,a\n", 1, "", "expected 3 fields, found 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.csv")
			formattest.Put(t, path, []byte(tc.data))
			_, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table, BatchRows: 2})
			var de *format.DataError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a DataError", err)
			}
			if de.Line != tc.line || de.Column != tc.column || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v (line %d, column %q), want line %d column %q containing %q", err, de.Line, de.Column, tc.line, tc.column, tc.msg)
			}
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name %s", err, path)
			}
		})
	}
}

func TestWriterQuotesAndDictionaries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.csv")
	rec := dictBatch(t)
	defer rec.Release()
	formattest.Write(t, f, path, rec.Schema(), nil, rec)
	want := "s,n\n\"a,b\",1\n\"\",\n,2\n\"a,b\",3\n"
	if got := readFile(t, path); got != want {
		t.Fatalf("wrote %q, want %q", got, want)
	}
}

func TestEmptyFileWithHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.csv")
	table := types.NewSchema(types.Field{Name: "a", Type: types.Int64Type})
	formattest.Write(t, f, path, table.Arrow(), nil)
	if got := readFile(t, path); got != "a\n" {
		t.Fatalf("wrote %q", got)
	}
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil || len(recs) != 0 {
		t.Fatalf("read %d batches, %v", len(recs), err)
	}
}
