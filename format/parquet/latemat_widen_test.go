package parquetfmt_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

// TestLateWidenedDecimals: INT32/INT64-stored decimals on the payload
// side, gathered and widened in one pass when they have no NULLs and
// only widen, give the rows of the plain path (no late materialization)
// for dense, sparse, empty and full selections; so do a column with
// NULLs, one whose values pass 2^63/10^2 (DECIMAL(18,2) near its limit)
// and targets that rescale (the ordinary conversion).
func TestLateWidenedDecimals(t *testing.T) {
	const n = 5000
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "d12", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}},
		{Name: "d5", Type: &arrow.Decimal128Type{Precision: 5, Scale: 2}},
		{Name: "dn", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
		{Name: "d18", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	for i := range n {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i)*1237 - 3_000_000))
		b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i%19999) - 9999))
		if i%5 == 0 {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(-i)))
		}
		big := int64(999_999_999_999_999_999) - int64(i)
		if i%2 == 0 {
			big = -big
		}
		b.Field(4).(*array.Decimal128Builder).Append(decimal128.FromI64(big))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := writeDecimalsAsIntegers(t, rec, "widen.parquet")

	dec := func(p, s int32) types.Type { return types.DecimalOf(p, s) }
	tables := map[string][]types.Type{
		"same":    {dec(12, 2), dec(5, 2), dec(12, 2), dec(18, 2)},
		"wider":   {dec(20, 2), dec(9, 2), dec(38, 2), dec(38, 2)},
		"rescale": {dec(14, 4), dec(6, 1), dec(13, 3), dec(20, 4)},
	}
	id := expr.BoundCol(0, types.Field{Name: "id", Type: types.Int64Type})
	mod := expr.Call(expr.FnMod, id, i64(7))
	mod.Type = types.Int64Type
	filters := map[string]*expr.Expr{
		"dense":  call(expr.FnNe, mod, i64(0)),
		"sparse": call(expr.FnGe, id, i64(n-10)),
		"none":   call(expr.FnLt, id, i64(0)),
		"all":    call(expr.FnGe, id, i64(0)),
	}
	for tname, ts := range tables {
		table := &types.Schema{Fields: []types.Field{{Name: "id", Type: types.Int64Type}}}
		for i, name := range []string{"d12", "d5", "dn", "d18"} {
			table.Fields = append(table.Fields, types.Field{Name: name, Type: ts[i], Nullable: true})
		}
		for fname, fl := range filters {
			t.Run(fmt.Sprintf("%s/%s", tname, fname), func(t *testing.T) {
				ro := format.ReadOptions{Table: table, Filters: []*expr.Expr{fl}, BatchRows: 777}
				want := plainFiltered(t, path, 0, ro)
				got, err := formattest.Scan(f, path, 0, ro)
				if err != nil {
					t.Fatal(err)
				}
				defer formattest.Release(got)
				formattest.CheckTypes(t, table, got)
				formattest.Equal(t, want, formattest.Rows(t, got))
				if fname == "none" && len(want) != 0 || fname == "all" && len(want) != n {
					t.Fatalf("%d rows", len(want))
				}
			})
		}
	}
	_ = parquetfmt.SetLateMaterialization // the plain path: plainFiltered
}
