package dataset

import (
	"errors"
	"testing"

	"github.com/drover-etl/drover/types"
)

func TestWiden(t *testing.T) {
	d := types.DecimalOf
	tests := []struct {
		a, b types.Type
		want types.Type
		ok   bool
	}{
		{types.Int32Type, types.Int32Type, types.Int32Type, true},
		{types.Int32Type, types.Int64Type, types.Int64Type, true},
		{types.Int64Type, types.Int32Type, types.Int64Type, true},
		{types.Float32Type, types.Float64Type, types.Float64Type, true},
		{d(9, 2), d(12, 4), d(12, 4), true},
		{d(12, 4), d(9, 2), d(12, 4), true},
		{d(10, 0), d(5, 5), d(15, 5), true},
		{types.Int32Type, d(5, 2), d(12, 2), true},
		{types.Int64Type, d(20, 2), d(21, 2), true},
		{d(38, 0), d(38, 10), types.Type{}, false},
		{types.Int64Type, types.StringType, types.Type{}, false},
		{types.Int64Type, types.Float64Type, types.Type{}, false},
		{types.DateType, types.TimestampType, types.Type{}, false},
	}
	for _, tt := range tests {
		got, ok := widen(tt.a, tt.b)
		if ok != tt.ok || got != tt.want {
			t.Errorf("widen(%s, %s) = %s, %v; want %s, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
		}
	}
}

func schemaOfFields(fields ...types.Field) *types.Schema { return types.NewSchema(fields...) }

func TestMergeSchemas(t *testing.T) {
	f := func(name string, t types.Type, null bool) types.Field {
		return types.Field{Name: name, Type: t, Nullable: null}
	}
	got, err := mergeSchemas([]fileSchema{
		{"a.parquet", schemaOfFields(f("id", types.Int32Type, false), f("amt", types.DecimalOf(9, 2), false))},
		{"b.parquet", schemaOfFields(f("ID", types.Int64Type, false), f("note", types.StringType, false), f("amt", types.DecimalOf(12, 4), false))},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "id int64 NOT NULL, amt decimal(12,4) NOT NULL, note string"
	if s := render(got); s != want {
		t.Errorf("merged = %s, want %s (first file's order, added columns after, nullable where absent)", s, want)
	}
	_, err = mergeSchemas([]fileSchema{
		{"a.parquet", schemaOfFields(f("id", types.Int64Type, true))},
		{"b.parquet", schemaOfFields(f("id", types.Int64Type, true))},
		{"c.parquet", schemaOfFields(f("id", types.StringType, true))},
	})
	if !errors.Is(err, ErrSchemaConflict) {
		t.Fatalf("err = %v, want ErrSchemaConflict", err)
	}
	for _, s := range []string{`"id"`, "int64 in a.parquet", "string in c.parquet"} {
		if !contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
}

func render(s *types.Schema) string {
	out := ""
	for i, f := range s.Fields {
		if i > 0 {
			out += ", "
		}
		out += f.Name + " " + f.Type.String()
		if !f.Nullable {
			out += " NOT NULL"
		}
	}
	return out
}
