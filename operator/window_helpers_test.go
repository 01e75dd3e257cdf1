package operator

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/internal/windowref"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// winInput is a test table: a schema and its rows.
type winInput struct {
	schema *types.Schema
	rows   []windowref.Row
}

// batches cuts the rows into batches of n rows.
func (in winInput) batches(n int) []arrow.RecordBatch {
	var out []arrow.RecordBatch
	for lo := 0; lo < len(in.rows); lo += n {
		hi := min(lo+n, len(in.rows))
		cols := make([]arrow.Array, in.schema.Len())
		for c, f := range in.schema.Fields {
			parts := make([]arrow.Array, 0, hi-lo)
			for _, r := range in.rows[lo:hi] {
				v := r[c]
				if v.Null {
					v = types.NullValue(f.Type)
				}
				parts = append(parts, eval.MakeArray(v, 1, mem))
			}
			cat, err := array.Concatenate(parts, mem)
			if err != nil {
				panic(err)
			}
			releaseAll(parts)
			cols[c] = cat
		}
		out = append(out, array.NewRecordBatch(in.schema.Arrow(), cols, int64(hi-lo)))
		releaseAll(cols)
	}
	return out
}

// newTestWindow builds a Window over a scan of in's schema.
func newTestWindow(t *testing.T, in winInput, part []string, order []logical.SortKey, specs []logical.WindowFuncSpec) *logical.Window {
	t.Helper()
	var pk []*expr.Expr
	for _, p := range part {
		pk = append(pk, expr.Col("", p))
	}
	w, err := logical.NewWindow(&logical.Scan{Source: "t", Table: in.schema}, pk, order, specs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// runWindowOp sorts in as the planner would and runs the window operator
// over it in batches of batchRows rows.
func runWindowOp(t *testing.T, in winInput, w *logical.Window, batchRows int, env *Env) ([]windowref.Row, error) {
	t.Helper()
	if env == nil {
		env = &Env{}
	}
	if env.BatchRows == 0 {
		env.BatchRows = batchRows
	}
	if env.TempDir == "" {
		env.TempDir = t.TempDir()
	}
	spec := &physical.WindowSpec{PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Funcs: w.Funcs, Lookahead: logical.WindowLookahead(w.Funcs)}
	keys := physical.WindowSortKeys(w.PartitionBy, w.OrderBy)
	var src batch.Reader = source(in.schema, in.batches(batchRows)...)
	inNode := &physical.Node{Op: physical.OpStageRead, Schema: in.schema}
	if len(keys) > 0 {
		s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: in.schema, Sort: &physical.SortSpec{Keys: keys}}, src, env)
		if err != nil {
			return nil, err
		}
		src = s
	}
	op, err := newWindow(&physical.Node{Op: physical.OpWindow, Inputs: []*physical.Node{inNode}, Schema: w.Schema(), Window: spec}, src, env)
	if err != nil {
		return nil, err
	}
	recs, err := batch.ReadAll(context.Background(), op)
	if err != nil {
		return nil, err
	}
	var out []windowref.Row
	for _, rec := range recs {
		for i := range int(rec.NumRows()) {
			r := make(windowref.Row, rec.NumCols())
			for c := range r {
				r[c] = eval.ValueAt(rec.Column(c), i)
			}
			out = append(out, r)
		}
		rec.Release()
	}
	return out, nil
}

// render prints rows for comparison; floats to 9 significant digits, as
// sums computed in another order differ in the last bits.
func render(rows []windowref.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		cells := make([]string, len(r))
		for c, v := range r {
			if !v.Null && v.Type.IsFloat() {
				cells[c] = strconv.FormatFloat(v.F, 'g', 9, 64)
				continue
			}
			cells[c] = v.String()
		}
		out[i] = strings.Join(cells, ",")
	}
	return out
}

func renderSorted(rows []windowref.Row) []string {
	out := render(rows)
	sort.Strings(out)
	return out
}

// iv, nv, fv and sv make values; nv is a NULL.
func iv(i int64) types.Value   { return types.Int64Value(i) }
func nv() types.Value          { return types.Value{Null: true} }
func fv(f float64) types.Value { return types.Float64Value(f) }
func sv(s string) types.Value  { return types.StringValue(s) }

// dec is a decimal(10,2) from its unscaled value.
func dec(unscaled int64) types.Value {
	return types.DecimalValue(decimal128.FromI64(unscaled), 10, 2)
}

func frame(unit logical.FrameUnit, sk logical.BoundKind, so int64, ek logical.BoundKind, eo int64) *logical.WindowFrame {
	return &logical.WindowFrame{Unit: unit,
		Start: logical.FrameBound{Kind: sk, Offset: types.Int64Value(so)},
		End:   logical.FrameBound{Kind: ek, Offset: types.Int64Value(eo)}}
}
