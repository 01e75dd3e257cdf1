package jsonlfmt_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	jsonlfmt "github.com/drover-etl/drover/format/jsonl"
	"github.com/drover-etl/drover/types"
)

var f = jsonlfmt.Format{}

func TestRoundTripAllTypes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.jsonl")
	rec := formattest.AllTypes()
	defer rec.Release()
	formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), nil, rec)
	for i, line := range strings.Split(strings.TrimSpace(readFile(t, path)), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("line %d is not valid JSON: %s", i+1, line)
		}
	}
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: formattest.AllTypesSchema, BatchRows: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, formattest.AllTypesSchema, recs)
	formattest.Equal(t, formattest.AllTypesRows, formattest.Rows(t, recs))
}

func TestWriterOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.jsonl")
	rec := formattest.AllTypes()
	defer rec.Release()
	formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), nil, rec)
	first := strings.SplitN(readFile(t, path), "\n", 2)[0]
	want := `{"b":true,"i32":1,"i64":-9223372036854775808,"f32":1.5,"f64":0.1,"dec":123.456,"big":1234567890123456789012345678.0123456789,"s":"hello","d":"1970-01-01","ts":"2024-02-29 13:14:15.123456"}`
	if first != want {
		t.Fatalf("first line\n got %s\nwant %s", first, want)
	}
}

func TestInfer(t *testing.T) {
	data := `{"id": 1, "name": "a", "score": 1, "ok": true, "when": "2024-01-01", "tags": ["x"]}

{"id": 2, "score": 2.5, "ok": false, "extra": null, "name": "b\u00e9"}
{"id": 3, "mixed": 1}
{"mixed": "one", "big": 12345678901234567890}
`
	path := filepath.Join(t.TempDir(), "in.jsonl")
	formattest.Put(t, path, []byte(data))
	s, err := f.Infer(context.Background(), formattest.Location(t, path), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "id:int64, name:string, score:float64, ok:bool, when:string, tags:string, extra:string, mixed:string, big:float64"
	if s.String() != want {
		t.Fatalf("Infer = %s, want %s", s, want)
	}
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: s, Columns: []int{1, 5, 0, 6}})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.Equal(t, [][]string{{"a", `["x"]`, "1", "NULL"}, {"bé", "NULL", "2", "NULL"}, {"NULL", "NULL", "3", "NULL"}, {"NULL", "NULL", "NULL", "NULL"}},
		formattest.Rows(t, recs))
}

func TestDeclaredConversions(t *testing.T) {
	data := `{"n": 7, "d": "12.345", "e": 1.5e1, "t": "2024-01-02T03:04:05Z", "f": "NaN", "s": 12.50, "esc": "a\"b\\c\n\t\u263a\ud83d\ude00"}` + "\n"
	path := filepath.Join(t.TempDir(), "c.jsonl")
	formattest.Put(t, path, []byte(data))
	table := types.NewSchema(
		types.Field{Name: "n", Type: types.Int32Type}, types.Field{Name: "d", Type: types.DecimalOf(6, 2)},
		types.Field{Name: "e", Type: types.DecimalOf(6, 2)}, types.Field{Name: "t", Type: types.TimestampType},
		types.Field{Name: "f", Type: types.Float64Type}, types.Field{Name: "s", Type: types.StringType},
		types.Field{Name: "esc", Type: types.StringType}, types.Field{Name: "missing", Type: types.DateType},
	)
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, table, recs)
	formattest.Equal(t, [][]string{{"7", "12.35", "15.00", "2024-01-02 03:04:05", "NaN", "12.50", "a\"b\\c\n\t☺😀", "NULL"}},
		formattest.Rows(t, recs))
}

func TestDataErrors(t *testing.T) {
	table := types.NewSchema(types.Field{Name: "id", Type: types.Int64Type}, types.Field{Name: "day", Type: types.DateType})
	tests := []struct {
		name, data string
		line       int64
		column     string
		msg        string
	}{
		{"string for int", "{\"id\": 1}\n\n{\"id\": \"12\"}\n", 3, "id", `expected int64, found string "12"`},
		{"fraction for int", "{\"id\": 1.5}\n", 1, "id", `cannot parse "1.5" as int64`},
		{"bad date", "{\"id\": 1, \"day\": \"2024-02-30\"}\n", 1, "day", `cannot parse "2024-02-30" as date`},
		{"malformed", "{\"id\": 1}\n{\"id\": 2,}\n", 2, "", "invalid JSON"},
		{"malformed skipped value", "{\"x\": [1, 2,], \"id\": 1}\n", 1, "", "invalid JSON"},
		{"not an object", "[1, 2]\n", 1, "", "expected a JSON object"},
		{"trailing data", "{\"id\": 1} x\n", 1, "", "unexpected data"},
		{"duplicate key", "{\"id\": 1, \"id\": 2}\n", 1, "id", "appears twice"},
		{"unterminated", "{\"id\": \"abc\n", 1, "", "unterminated string"},
		{"bad literal", "{\"id\": tru}\n", 1, "", "invalid literal"},
		{"leading zero", "{\"id\": 01}\n", 1, "", "malformed number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.jsonl")
			formattest.Put(t, path, []byte(tc.data))
			_, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
			var de *format.DataError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a DataError", err)
			}
			if de.Line != tc.line || de.Column != tc.column || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v (line %d, column %q), want line %d column %q containing %q", err, de.Line, de.Column, tc.line, tc.column, tc.msg)
			}
		})
	}
}
