package operator

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/types"
)

// source is a leaf operator over fixed batches, for feeding operators.
func source(schema *types.Schema, recs ...arrow.RecordBatch) batch.Reader {
	return batch.NewSliceReader(schema.Arrow(), recs)
}

// int64Batch builds a batch of int64 columns; nil entries in vals are NULL.
func int64Batch(schema *types.Schema, cols ...[]*int64) arrow.RecordBatch {
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		b := array.NewInt64Builder(mem)
		for _, v := range c {
			if v == nil {
				b.AppendNull()
			} else {
				b.Append(*v)
			}
		}
		arrs[i] = b.NewArray()
		b.Release()
	}
	rec := array.NewRecordBatch(schema.Arrow(), arrs, int64(arrs[0].Len()))
	releaseAll(arrs)
	return rec
}

func p(v int64) *int64 { return &v }

func ints(vs ...int64) []*int64 {
	out := make([]*int64, len(vs))
	for i := range vs {
		out[i] = p(vs[i])
	}
	return out
}

func int64Schema(names ...string) *types.Schema {
	s := &types.Schema{}
	for _, n := range names {
		s.Fields = append(s.Fields, types.Field{Name: n, Type: types.Int64Type, Nullable: true})
	}
	return s
}

// rows drains r and renders every row as "v1,v2,..." (NULL for nulls).
func rows(t *testing.T, r batch.Reader) []string {
	t.Helper()
	recs, err := batch.ReadAll(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rec := range recs {
		for i := 0; i < int(rec.NumRows()); i++ {
			cells := make([]string, rec.NumCols())
			for c := range cells {
				cells[c] = eval.ValueAt(rec.Column(c), i).String()
			}
			out = append(out, strings.Join(cells, ","))
		}
		rec.Release()
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func mustEqual(t *testing.T, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
}
