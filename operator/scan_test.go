package operator

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// markedReader serves batches with a Filtered mark each
// (format.Prefiltered).
type markedReader struct {
	*batch.SliceReader
	marks []bool
	i     int
}

func (m *markedReader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	m.i++
	return m.SliceReader.Next(ctx)
}

func (m *markedReader) Filtered() bool { return m.i > 0 && m.i <= len(m.marks) && m.marks[m.i-1] }

// TestScanSkipsPrefilteredBatches: the scan passes a batch its reader
// reports as filtered on as it is (here with rows the filter would drop,
// to show it is not evaluated) and filters every other batch.
func TestScanSkipsPrefilteredBatches(t *testing.T) {
	schema := int64Schema("x")
	b := func(vs ...int64) arrow.RecordBatch { return int64Batch(schema, ints(vs...)) }
	recs := []arrow.RecordBatch{b(1, 2, 3), b(1, 2, 3), b(1, 2, 3)}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	ge := expr.Call(expr.FnGe, expr.BoundCol(0, schema.Fields[0]), expr.Lit(types.Int64Value(2)))
	ge.Type = types.BoolType
	pred, err := eval.Compile(ge, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &markedReader{SliceReader: batch.NewSliceReader(schema.Arrow(), recs), marks: []bool{false, true, false}}
	got := rows(t, &scan{r: r, schema: schema.Arrow(), pred: pred, env: &Env{}})
	if want := []string{"2", "3", "1", "2", "3", "2", "3"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// scanTable is the file's three columns and a partition column.
var scanTable = types.NewSchema(
	types.Field{Name: "k", Type: types.Int64Type, Nullable: true},
	types.Field{Name: "v", Type: types.DecimalOf(12, 2), Nullable: true},
	types.Field{Name: "s", Type: types.StringType, Nullable: true},
	types.Field{Name: "part", Type: types.Int64Type, Nullable: true},
)

// writeScanFile writes 20,000 rows of scanTable's file columns in row
// groups of 5,000 (v NULL on every 7th row) and returns its splits, each
// with partition value part=7.
func writeScanFile(t *testing.T) []format.Split {
	t.Helper()
	fileSchema := types.NewSchema(scanTable.Fields[:3]...)
	bld := array.NewRecordBuilder(mem, fileSchema.Arrow())
	defer bld.Release()
	for i := range 20_000 {
		bld.Field(0).(*array.Int64Builder).Append(int64(i))
		if i%7 == 0 {
			bld.Field(1).AppendNull()
		} else {
			bld.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i%500*100 - 10_000)))
		}
		bld.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("s-%d", i%13))
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	f, err := format.Lookup("parquet")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "t.parquet")
	formattest.Write(t, f, path, fileSchema.Arrow(), map[string]string{"row_group_rows": "5000"}, rec)
	ctx := context.Background()
	loc := formattest.Location(t, path)
	info, err := loc.Store.Stat(ctx, loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	splits, err := format.SplitFile(ctx, f, storage.Location(loc), info.Size, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range splits {
		splits[i].Partition = []types.Value{types.Int64Value(7)}
	}
	return splits
}

func scanNode(splits []format.Split, cols []int, filters []*expr.Expr) *physical.Node {
	return &physical.Node{Op: physical.OpScan, Schema: scanTable.Project(cols), Scan: &physical.ScanSpec{
		Format: "parquet", Table: scanTable, Columns: cols, Filters: filters, Splits: splits, PartitionColumns: 1,
	}}
}

// readScan reads every split of n through the scan operator; marked
// counts the batches its reader reported as filtered.
func readScan(t *testing.T, n *physical.Node) (out []string, marked int, _ error) {
	t.Helper()
	ctx := context.Background()
	for part := range n.Scan.Splits {
		r, err := newScan(ctx, n, &Env{BatchRows: 1000}, part)
		if err != nil {
			return nil, 0, err
		}
		var recs []arrow.RecordBatch
		for {
			rec, err := r.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				r.Close()
				formattest.Release(recs)
				return nil, 0, err
			}
			if format.BatchFiltered(r.(*scan).r) {
				marked++
			}
			recs = append(recs, rec)
		}
		r.Close()
		r2 := batch.NewSliceReader(n.Schema.Arrow(), recs)
		formattest.Release(recs)
		out = append(out, rows(t, r2)...)
	}
	return out, marked, nil
}

// filteredReference reads the scan's columns without filters and applies
// them afterwards with the evaluator: the scan's answer by definition.
func filteredReference(t *testing.T, n *physical.Node) ([]string, error) {
	t.Helper()
	plain := *n
	spec := *n.Scan
	spec.Filters = nil
	plain.Scan = &spec
	pred, err := compileScanFilter(n.Scan, &Env{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for part := range spec.Splits {
		r, err := newScan(context.Background(), &plain, &Env{BatchRows: 1000}, part)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := batch.ReadAll(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		var kept []arrow.RecordBatch
		for _, rec := range recs {
			if err == nil {
				var k arrow.RecordBatch
				if k, err = eval.Filter(context.Background(), rec, pred); err == nil {
					kept = append(kept, k)
				}
			}
			rec.Release()
		}
		r2 := batch.NewSliceReader(n.Schema.Arrow(), kept)
		for _, k := range kept {
			k.Release()
		}
		out = append(out, rows(t, r2)...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TestScanParquetFilters: the scan's answer over Parquet with pushed-down
// filters (late materialization's batches are not filtered again) equals
// reading everything and filtering after, for projections that let late
// materialization apply or not and filters on the partition column (which
// the file reader never sees); a filter that fails to evaluate is the same
// error either way.
func TestScanParquetFilters(t *testing.T) {
	splits := writeScanFile(t)
	c := func(i int) *expr.Expr { return expr.BoundCol(i, scanTable.Fields[i]) }
	boolCall := func(name string, args ...*expr.Expr) *expr.Expr {
		e := expr.Call(name, args...)
		e.Type, e.Nullable = types.BoolType, true
		return e
	}
	mod := expr.Call(expr.FnMod, c(0), expr.Lit(types.Int64Value(3)))
	mod.Type = types.Int64Type
	dec := func(s string) *expr.Expr {
		v, err := decimal128.FromString(s, 12, 2)
		if err != nil {
			t.Fatal(err)
		}
		return expr.Lit(types.DecimalValue(v, 12, 2))
	}
	notMod3 := boolCall(expr.FnNe, mod, expr.Lit(types.Int64Value(0)))
	vGt := boolCall(expr.FnGt, c(1), dec("-50.00"))
	part7 := boolCall(expr.FnEq, c(3), expr.Lit(types.Int64Value(7)))
	part8 := boolCall(expr.FnEq, c(3), expr.Lit(types.Int64Value(8)))
	sLt := boolCall(expr.FnLt, c(2), expr.Lit(types.StringValue("s-5")))
	for _, tc := range []struct {
		name    string
		cols    []int
		filters []*expr.Expr
		marked  bool // some batches come filtered by the reader
	}{
		{"dense", nil, []*expr.Expr{vGt}, true},
		{"two filters", []int{2, 1, 0}, []*expr.Expr{notMod3, vGt}, true},
		{"string", []int{0, 2}, []*expr.Expr{sLt}, true},
		{"filter columns only", []int{1}, []*expr.Expr{vGt}, false},
		{"with partition filter", []int{0, 1, 3}, []*expr.Expr{vGt, part7}, false},
		{"partition filter drops all", []int{0, 1, 3}, []*expr.Expr{vGt, part8}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := scanNode(splits, tc.cols, tc.filters)
			want, err := filteredReference(t, n)
			if err != nil {
				t.Fatal(err)
			}
			got, marked, err := readScan(t, n)
			if err != nil {
				t.Fatal(err)
			}
			if (marked > 0) != tc.marked {
				t.Errorf("%d batches came filtered by the reader", marked)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%d rows, want %d; first %v, want %v", len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
			}
		})
	}
	t.Run("error", func(t *testing.T) {
		bad := expr.Cast(c(2), types.Int64Type) // "s-…" does not parse
		n := scanNode(splits, []int{0, 1, 2}, []*expr.Expr{vGt, boolCall(expr.FnGt, bad, expr.Lit(types.Int64Value(0)))})
		_, want := filteredReference(t, n)
		_, _, err := readScan(t, n)
		if err == nil || want == nil || err.Error() != want.Error() {
			t.Fatalf("error %v, want %v", err, want)
		}
		if !strings.Contains(err.Error(), "s-") {
			t.Fatalf("error %v does not name the value", err)
		}
	})
}
