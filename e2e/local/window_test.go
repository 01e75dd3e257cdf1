package local

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/internal/windowref"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/optimizer"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var decimalTen = decimal128.FromI64(10)

var windowSchema = types.NewSchema(
	types.Field{Qualifier: "t", Name: "id", Type: types.Int64Type},
	types.Field{Qualifier: "t", Name: "p", Type: types.Int64Type, Nullable: true},
	types.Field{Qualifier: "t", Name: "o", Type: types.Int64Type, Nullable: true},
	types.Field{Qualifier: "t", Name: "x", Type: types.Int64Type, Nullable: true},
	types.Field{Qualifier: "t", Name: "d", Type: types.DecimalOf(10, 2), Nullable: true},
	types.Field{Qualifier: "t", Name: "day", Type: types.DateType, Nullable: true},
)

// writeWindowInput writes files CSV files of random rows and returns the
// rows as values.
func writeWindowInput(t *testing.T, dir string, files, perFile int) []windowref.Row {
	rng := rand.New(rand.NewPCG(11, 12))
	var rows []windowref.Row
	null := func(s string) string {
		if rng.IntN(6) == 0 {
			return "NULL"
		}
		return s
	}
	for f := range files {
		var sb strings.Builder
		sb.WriteString("id,p,o,x,d,day\n")
		for i := range perFile {
			id := int64(f*perFile + i)
			cells := []string{strconv.FormatInt(id, 10), null(strconv.Itoa(rng.IntN(7))), null(strconv.Itoa(rng.IntN(40))),
				null(strconv.Itoa(rng.IntN(200) - 50)), null(fmt.Sprintf("%d.%02d", rng.IntN(500), rng.IntN(100))),
				null(types.FormatDate(int32(20000 + rng.IntN(60))))}
			sb.WriteString(strings.Join(cells, ",") + "\n")
			row := windowref.Row{types.Int64Value(id)}
			for c, cell := range cells[1:] {
				ft := windowSchema.Fields[c+1].Type
				row = append(row, parseCell(t, cell, ft))
			}
			rows = append(rows, row)
		}
		e2eutil.WriteFile(t, filepath.Join(dir, fmt.Sprintf("part-%d.csv", f)), sb.String())
	}
	return rows
}

func parseCell(t *testing.T, s string, ft types.Type) types.Value {
	if s == "NULL" {
		return types.NullValue(ft)
	}
	switch ft.ID {
	case types.Date:
		d, err := types.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return types.DateValue(d)
	case types.Decimal:
		v, err := types.ParseDecimal(s)
		if err != nil {
			t.Fatal(err)
		}
		n := v.Decimal128()
		for sc := v.Type.Scale; sc < ft.Scale; sc++ {
			n = n.Mul(decimalTen)
		}
		return types.DecimalValue(n, ft.Precision, ft.Scale)
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return types.Int64Value(i)
}

// windowPlan stacks three Windows the way SQL with three window
// specifications would: two share PARTITION BY p (the second with another
// order and RANGE offsets in days over a DATE key), the third has no
// PARTITION BY (one partition, streaming functions only).
func windowPlan(t *testing.T, scan *logical.Scan) (*logical.Write, []*logical.Window) {
	c := expr.Col
	fr := func(unit logical.FrameUnit, sk logical.BoundKind, so int64, ek logical.BoundKind, eo int64) *logical.WindowFrame {
		return &logical.WindowFrame{Unit: unit, Start: logical.FrameBound{Kind: sk, Offset: types.Int64Value(so)},
			End: logical.FrameBound{Kind: ek, Offset: types.Int64Value(eo)}}
	}
	lit := func(i int64) *expr.Expr { return expr.Lit(types.Int64Value(i)) }
	w1, err := logical.NewWindow(scan, []*expr.Expr{c("", "p")},
		[]logical.SortKey{{Expr: c("", "o"), NullsFirst: true}, {Expr: c("", "id")}},
		[]logical.WindowFuncSpec{
			{Name: "row_number", Alias: "rn"},
			{Name: "rank", Alias: "rk"},
			{Name: "lag", Args: []*expr.Expr{c("", "x"), lit(1), lit(-1)}, Alias: "prev_x"},
			{Name: "lead", Args: []*expr.Expr{c("", "x")}, Alias: "next_x", IgnoreNulls: true},
			{Name: "sum", Args: []*expr.Expr{c("", "d")}, Alias: "d3", Frame: fr(logical.FrameRows, logical.Preceding, 2, logical.CurrentRow, 0)},
			{Name: "ntile", Args: []*expr.Expr{lit(4)}, Alias: "quartile"},
			{Name: "first_value", Args: []*expr.Expr{c("", "day")}, Alias: "first_day"},
			{Name: "max", Args: []*expr.Expr{c("", "x")}, Alias: "max_x", Frame: fr(logical.FrameRows, logical.Preceding, 3, logical.Following, 3)},
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := logical.NewWindow(w1, []*expr.Expr{c("", "p")},
		[]logical.SortKey{{Expr: c("", "day"), Desc: true}},
		[]logical.WindowFuncSpec{
			{Name: "dense_rank", Alias: "day_rank"},
			{Name: "cume_dist", Alias: "cd"},
			{Name: "count", Star: true, Alias: "week_n", Frame: fr(logical.FrameRange, logical.Preceding, 3, logical.Following, 3)},
			{Name: "avg", Args: []*expr.Expr{c("", "x")}, Alias: "avg_x"},
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w3, err := logical.NewWindow(w2, nil, []logical.SortKey{{Expr: c("", "id")}},
		[]logical.WindowFuncSpec{
			{Name: "row_number", Alias: "global_rn"},
			{Name: "sum", Args: []*expr.Expr{c("", "x")}, Alias: "running_x"},
			{Name: "lag", Args: []*expr.Expr{c("", "d"), lit(2)}, Alias: "d_2back"},
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &logical.Write{Input: w3, Sink: "out", Format: "parquet", Mode: logical.ModeOverwrite}, []*logical.Window{w1, w2, w3}
}

// TestWindowDistributed plans stacked windows over four input files with
// three shuffle partitions, runs them through the stage graph on the local
// executor (specs serialized as JSON), and compares every output row with
// the naive reference evaluator's answer.
func TestWindowDistributed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	ctx := context.Background()
	dir := t.TempDir()
	input := writeWindowInput(t, filepath.Join(dir, "in"), 4, 400)
	scan := &logical.Scan{Source: "t", Format: "csv", Path: filepath.Join(dir, "in", "*.csv"), Table: windowSchema,
		Options: map[string]string{"null": "NULL"}}
	w, wins := windowPlan(t, scan)
	out := filepath.Join(dir, "out")
	w.Path = out
	opt, err := optimizer.Optimize(&logical.Plan{Job: "window", Sinks: []*logical.Write{w}}, optimizer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	phys, err := physical.Plan(ctx, opt, physical.Config{Partitions: 3, Splitter: fileSplits})
	if err != nil {
		t.Fatal(err)
	}
	g, err := stage.Build(phys)
	if err != nil {
		t.Fatal(err)
	}
	ex := executor.NewLocal(&executor.Runtime{Name: "test", TempDir: t.TempDir()}, 2)
	ex.Serialize = true
	if _, err := driver.Run(ctx, g, driver.Config{Job: "window", Run: "r1", Executor: ex, ShuffleDir: t.TempDir(), MemoryBytes: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	want := input
	for _, win := range wins {
		want = windowref.Eval(win, want)
	}
	names := w.Schema().Names()
	var wantRows []string
	for _, r := range want {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = normalizeCell(valueText(v))
		}
		wantRows = append(wantRows, strings.Join(cells, "|"))
	}
	var gotRows []string
	for _, r := range e2eutil.ReadParquetDir(t, out) {
		cells := make([]string, len(names))
		for i, n := range names {
			cells[i] = normalizeCell(r[n])
		}
		gotRows = append(gotRows, strings.Join(cells, "|"))
	}
	sort.Strings(wantRows)
	sort.Strings(gotRows)
	if len(gotRows) != len(wantRows) {
		t.Fatalf("%d rows, want %d", len(gotRows), len(wantRows))
	}
	for i := range gotRows {
		if gotRows[i] != wantRows[i] {
			t.Fatalf("columns %v\nrow %d:\ngot  %s\nwant %s", names, i, gotRows[i], wantRows[i])
		}
	}
}

// fileSplits lists a CSV scan's files, one split each.
func fileSplits(ctx context.Context, s *logical.Scan) ([]format.Split, error) {
	matches, err := filepath.Glob(s.Path)
	if err != nil {
		return nil, err
	}
	f, err := format.Lookup(s.Format)
	if err != nil {
		return nil, err
	}
	var out []format.Split
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil {
			return nil, err
		}
		loc, err := storage.Resolve(ctx, m)
		if err != nil {
			return nil, err
		}
		sp, err := f.Split(ctx, loc, st.Size(), 1<<30)
		if err != nil {
			return nil, err
		}
		out = append(out, sp...)
	}
	return out, nil
}

// valueText renders a value as arrow renders a cell of its type.
func valueText(v types.Value) string {
	if v.Null {
		return "NULL"
	}
	a := eval.MakeArray(v, 1, memory.DefaultAllocator)
	defer a.Release()
	return a.ValueStr(0)
}

// normalizeCell rounds numbers to 9 significant digits: floating sums
// computed in another order differ in the last bits.
func normalizeCell(s string) string {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', 9, 64)
	}
	return s
}

// TestWindowWithoutPartitionStreams runs a window with no PARTITION BY over
// more rows than a task's memory budget holds: everything meets in one
// task, the sort below it spills, and the window streams (row_number, a
// running sum, lag and lead over a unique order).
func TestWindowWithoutPartitionStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	ctx := context.Background()
	dir := t.TempDir()
	const files, perFile = 4, 30000
	for f := range files {
		var sb strings.Builder
		sb.WriteString("id,p,o,x,d,day\n")
		for i := range perFile {
			id := int64(i*files + f) // files interleave ids, so the sort has work to do
			fmt.Fprintf(&sb, "%d,0,0,%d,1.00,2026-01-01\n", id, id%13)
		}
		e2eutil.WriteFile(t, filepath.Join(dir, "in", fmt.Sprintf("part-%d.csv", f)), sb.String())
	}
	scan := &logical.Scan{Source: "t", Format: "csv", Path: filepath.Join(dir, "in", "*.csv"), Table: windowSchema}
	lit := func(i int64) *expr.Expr { return expr.Lit(types.Int64Value(i)) }
	x := expr.Col("", "x")
	win, err := logical.NewWindow(scan, nil, []logical.SortKey{{Expr: expr.Col("", "id")}}, []logical.WindowFuncSpec{
		{Name: "row_number", Alias: "rn"}, {Name: "sum", Args: []*expr.Expr{x}, Alias: "run"},
		{Name: "lag", Args: []*expr.Expr{x, lit(3)}, Alias: "lg"}, {Name: "lead", Args: []*expr.Expr{x, lit(2), lit(-1)}, Alias: "ld"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	proj := &logical.Project{Input: win, Names: []string{"id", "rn", "run", "lg", "ld"}}
	for _, n := range proj.Names {
		i, _ := win.Schema().Resolve("", n)
		proj.Exprs = append(proj.Exprs, expr.BoundCol(i, win.Schema().Fields[i]))
	}
	out := filepath.Join(dir, "out")
	w := &logical.Write{Input: proj, Sink: "out", Format: "parquet", Path: out}
	opt, err := optimizer.Optimize(&logical.Plan{Job: "window", Sinks: []*logical.Write{w}}, optimizer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	phys, err := physical.Plan(ctx, opt, physical.Config{Partitions: 3, Splitter: fileSplits})
	if err != nil {
		t.Fatal(err)
	}
	g, err := stage.Build(phys)
	if err != nil {
		t.Fatal(err)
	}
	ex := executor.NewLocal(&executor.Runtime{Name: "test", TempDir: t.TempDir()}, 2)
	ex.Serialize = true
	sum, err := driver.Run(ctx, g, driver.Config{Job: "window", Run: "r1", Executor: ex, ShuffleDir: t.TempDir(), MemoryBytes: 512 << 10})
	if err != nil {
		t.Fatal(err)
	}
	var spilled int64
	for _, s := range sum.Stages {
		spilled += s.Metrics.SpilledBytes
	}
	if spilled == 0 {
		t.Error("the sort below the window did not spill; the test no longer exceeds the budget")
	}
	const n = files * perFile
	rows := e2eutil.ReadParquetDir(t, out)
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	xs := func(id int64) int64 { return id % 13 }
	running := make([]int64, n)
	for id := int64(0); id < n; id++ {
		running[id] = xs(id)
		if id > 0 {
			running[id] += running[id-1]
		}
	}
	for _, r := range rows {
		id, _ := strconv.ParseInt(r["id"], 10, 64)
		lg, ld := "NULL", "-1"
		if id >= 3 {
			lg = fmt.Sprint(xs(id - 3))
		}
		if id+2 < n {
			ld = fmt.Sprint(xs(id + 2))
		}
		want := fmt.Sprintf("%d %d %s %s", id+1, running[id], lg, ld)
		if got := strings.Join([]string{r["rn"], r["run"], r["lg"], r["ld"]}, " "); got != want {
			t.Fatalf("id %d: got %s, want %s", id, got, want)
		}
	}
}
