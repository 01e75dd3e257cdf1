package icetable

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/iceberg-go"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestSQLDSN(t *testing.T) {
	tests := []struct {
		uri, driver, dsnPrefix, err string
	}{
		{uri: "sqlite:///tmp/c.db", driver: "sqlite", dsnPrefix: "file:/tmp/c.db?"},
		{uri: "postgres://u:p@127.0.0.1:5432/db", driver: "pgx", dsnPrefix: "postgres://u:p@127.0.0.1:5432/db"},
		{uri: "postgresql://u@h/db", driver: "pgx", dsnPrefix: "postgresql://u@h/db"},
		{uri: "sqlite://", err: "names no database file"},
		{uri: "mysql://u:secret@h/db", err: "u:xxxxx@h/db"},
	}
	for _, tt := range tests {
		driver, dsn, _, err := sqlDSN(tt.uri)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: got %v, want an error with %q and no password", tt.uri, err, tt.err)
			}
			continue
		}
		if err != nil || driver != tt.driver || !strings.HasPrefix(dsn, tt.dsnPrefix) {
			t.Errorf("%s: got %s %s %v", tt.uri, driver, dsn, err)
		}
	}
}

func TestFieldIDs(t *testing.T) {
	tbl := iceberg.NewSchema(0,
		iceberg.NestedField{ID: 7, Name: "ID", Type: iceberg.PrimitiveTypes.Int64},
		iceberg.NestedField{ID: 3, Name: "day", Type: iceberg.PrimitiveTypes.String},
		iceberg.NestedField{ID: 9, Name: "req", Type: iceberg.PrimitiveTypes.Int32, Required: true},
	)
	col := func(name string, ty types.Type) types.Field { return types.Field{Name: name, Type: ty} }
	tests := []struct {
		name string
		cols []types.Field
		ids  []int
		err  string
	}{
		{"by name ignoring case", []types.Field{col("day", types.StringType), col("id", types.Int64Type), col("req", types.Int32Type)}, []int{3, 7, 9}, ""},
		{"unknown column", []types.Field{col("x", types.StringType)}, nil, `column "x" is not in the table`},
		{"wrong type", []types.Field{col("id", types.Int32Type), col("req", types.Int32Type)}, nil, `column "id" is long in the table but int32`},
		{"required missing", []types.Field{col("id", types.Int64Type)}, nil, `required table column "req"`},
	}
	for _, tt := range tests {
		ids, err := fieldIDs(tbl, &types.Schema{Fields: tt.cols})
		if tt.err != "" {
			if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: got %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || len(ids) != len(tt.ids) || ids[0] != tt.ids[0] || ids[1] != tt.ids[1] {
			t.Errorf("%s: got %v %v, want %v", tt.name, ids, err, tt.ids)
		}
	}
}

func TestTypesRoundTrip(t *testing.T) {
	for _, ty := range []types.Type{types.BoolType, types.Int32Type, types.Int64Type, types.Float32Type,
		types.Float64Type, types.DecimalOf(12, 3), types.StringType, types.DateType, types.TimestampType} {
		it, err := icebergType(ty)
		if err != nil {
			t.Fatal(err)
		}
		back, err := droverType(it)
		if err != nil || back != ty {
			t.Errorf("%s → %s → %v, %v", ty, it, back, err)
		}
	}
	if _, err := droverType(iceberg.PrimitiveTypes.UUID); err == nil {
		t.Error("uuid mapped; want an error")
	}
}

func TestRowFilter(t *testing.T) {
	sch := iceberg.NewSchema(0,
		iceberg.NestedField{ID: 1, Name: "id", Type: iceberg.PrimitiveTypes.Int64},
		iceberg.NestedField{ID: 2, Name: "day", Type: iceberg.PrimitiveTypes.String},
	)
	id := &expr.Expr{Kind: expr.KindColumn, Name: "id", Type: types.Int64Type}
	day := &expr.Expr{Kind: expr.KindColumn, Name: "day", Type: types.StringType}
	lit := func(v types.Value) *expr.Expr { return expr.Lit(v) }
	tests := []struct {
		name string
		in   []*expr.Expr
		want string
	}{
		{"column op literal", []*expr.Expr{expr.Call(expr.FnEq, day, lit(types.StringValue("d")))}, `Equal(term=Reference(name='day'), literal=d)`},
		{"literal op column flips", []*expr.Expr{expr.Call(expr.FnLt, lit(types.Int64Value(5)), id)}, `GreaterThan(term=Reference(name='id'), literal=5)`},
		{"unconvertible conjunct left out", []*expr.Expr{expr.Call(expr.FnLike, day, lit(types.StringValue("x%"))), expr.Call(expr.FnIsNull, id)}, `IsNull(term=Reference(name='id'))`},
		{"unknown column left out", []*expr.Expr{expr.Call(expr.FnEq, &expr.Expr{Kind: expr.KindColumn, Name: "nope"}, lit(types.Int64Value(1)))}, "AlwaysTrue()"},
	}
	for _, tt := range tests {
		if got := rowFilter(sch, tt.in).String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestParseIdent(t *testing.T) {
	if id, err := ParseIdent("a.b.t"); err != nil || len(id) != 3 {
		t.Errorf("a.b.t: %v %v", id, err)
	}
	for _, bad := range []string{"t", "a..t", ".t"} {
		if _, err := ParseIdent(bad); !errors.Is(err, ErrConfig) {
			t.Errorf("%q: got %v, want ErrConfig", bad, err)
		}
	}
}

// TestOpenRESTUnreachable: a REST catalog that does not answer fails Open
// with its URI named (no REST server is available to these tests; the
// SQL catalogs are tested against real SQLite and PostgreSQL).
func TestOpenRESTUnreachable(t *testing.T) {
	_, err := Open(context.Background(), Config{Name: "r", Type: TypeREST, URI: "http://127.0.0.1:1/api", Warehouse: "s3://b/w"})
	if err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:1/api") {
		t.Fatalf("got %v, want an error naming the REST URI", err)
	}
}

func TestOpenUnknownType(t *testing.T) {
	if _, err := Open(context.Background(), Config{Name: "x", Type: "hive"}); !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v, want ErrConfig", err)
	}
}
