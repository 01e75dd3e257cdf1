package parquetfmt_test

import (
	"errors"
	"strings"
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

// TestDirectDecimalsInt32Overflow: an INT32-stored decimal that does not
// fit the table's type is a DataError naming the row and the value, with
// direct decimals and late materialization on or off — not a panic from
// reading the int32 values as int64 (half as many), which a gathered
// payload column (its buffer sized to its values) shows.
func TestDirectDecimalsInt32Overflow(t *testing.T) {
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "d5", Type: &arrow.Decimal128Type{Precision: 5, Scale: 2}, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	const rows, badRow = 4000, 3002
	for i := range rows {
		v := int64(i % 100)
		if i == badRow {
			v = 12345 // 123.45 does not fit DECIMAL(4,2)
		}
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(v))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := writeDecimalsAsIntegers(t, rec, "int32dec.parquet")
	table := types.NewSchema(
		types.Field{Name: "id", Type: types.Int64Type},
		types.Field{Name: "d5", Type: types.DecimalOf(4, 2), Nullable: true})
	id := expr.BoundCol(0, table.Fields[0])
	even := call(expr.FnEq, call(expr.FnMod, id, i64(2)), i64(0)) // keeps row 3002, drops half
	even.Args[0].Type = types.Int64Type
	for _, direct := range []bool{false, true} {
		for _, late := range []bool{false, true} {
			func() {
				defer parquetfmt.SetDirectDecimals(direct)()
				defer parquetfmt.SetLateMaterialization(late)()
				recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table, Filters: []*expr.Expr{even}})
				formattest.Release(recs)
				var de *format.DataError
				if !errors.As(err, &de) || de.Row != badRow || de.Column != "d5" || !strings.Contains(err.Error(), "123.45") {
					t.Fatalf("direct=%t late=%t: error %v, want a DataError at row %d of d5 naming 123.45", direct, late, err, badRow)
				}
			}()
		}
	}
}
