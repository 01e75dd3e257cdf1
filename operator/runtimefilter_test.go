package operator

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// The runtime filter tables: a probe side (lineitem-like: keys and
// payload) and a small build side whose keys cover a fraction of the
// probe's, both with NULL keys.
var (
	rtProbeTable = types.NewSchema(
		types.Field{Name: "k", Type: types.Int64Type, Nullable: true},
		types.Field{Name: "k32", Type: types.Int32Type, Nullable: true},
		types.Field{Name: "s", Type: types.StringType, Nullable: true},
		types.Field{Name: "a", Type: types.Int64Type, Nullable: true},
		types.Field{Name: "b", Type: types.StringType, Nullable: true},
	)
	rtBuildTable = types.NewSchema(
		types.Field{Name: "bk", Type: types.Int64Type, Nullable: true},
		types.Field{Name: "bk32", Type: types.Int32Type, Nullable: true},
		types.Field{Name: "bs", Type: types.StringType, Nullable: true},
		types.Field{Name: "bv", Type: types.Int64Type, Nullable: true},
	)
)

// writeRT writes rows rows of table (cell(row, col) gives each value,
// nil for NULL) into one Parquet file of row groups of rgRows rows and
// returns it as one split.
func writeRT(t *testing.T, table *types.Schema, rows, rgRows int, cell func(r, c int) any) []format.Split {
	t.Helper()
	bld := array.NewRecordBuilder(mem, table.Arrow())
	defer bld.Release()
	for r := range rows {
		for c := range table.Fields {
			switch v := cell(r, c).(type) {
			case nil:
				bld.Field(c).AppendNull()
			case int64:
				bld.Field(c).(*array.Int64Builder).Append(v)
			case int32:
				bld.Field(c).(*array.Int32Builder).Append(v)
			case string:
				bld.Field(c).(*array.StringBuilder).Append(v)
			}
		}
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	f, err := format.Lookup("parquet")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "t.parquet")
	formattest.Write(t, f, path, table.Arrow(), map[string]string{"row_group_rows": fmt.Sprint(rgRows)}, rec)
	loc := formattest.Location(t, path)
	info, err := loc.Store.Stat(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	split := format.Split{URL: storage.Location(loc).URL(), Size: info.Size}
	return []format.Split{split}
}

// probeCell: keys 0..4999 spread over the rows, every 97th NULL.
func probeCell(r, c int) any {
	k := int64(r*7919) % 5000
	null := r%97 == 0
	switch c {
	case 0:
		if null {
			return nil
		}
		return k
	case 1:
		if null {
			return nil
		}
		return int32(k)
	case 2:
		if null {
			return nil
		}
		return fmt.Sprintf("key-%d", k%400) // few distinct: dictionary pages
	case 3:
		return int64(r)
	}
	return fmt.Sprintf("payload-%d", r)
}

// buildCell: keys 0, 37, 74, ... (one in 37 of the probe's), some twice,
// some NULL; bv numbers the rows.
func buildCell(all bool) func(r, c int) any {
	return func(r, c int) any {
		k := int64(r * 37)
		if all {
			k = int64(r)
		}
		if r%50 == 7 {
			k = int64((r - 1) * 37) // a duplicate key
		}
		if r%61 == 3 && c < 3 {
			return nil
		}
		switch c {
		case 0:
			return k
		case 1:
			return int32(k)
		case 2:
			return fmt.Sprintf("key-%d", k%400)
		}
		return int64(r)
	}
}

func rtCol(s *types.Schema, i int) *expr.Expr { return expr.BoundCol(i, s.Fields[i]) }

func rtBool(name string, args ...*expr.Expr) *expr.Expr {
	e := expr.Call(name, args...)
	e.Type, e.Nullable = types.BoolType, true
	return e
}

// rtJoin is one join of the differential test.
type rtJoin struct {
	name       string
	keys       func(probe, build *types.Schema) (l, r []*expr.Expr)
	nullSafe   bool
	pushed     bool // the probe scan has a pushed filter (a % 3 <> 0)
	pushedKey  bool // the probe scan has a pushed filter on its key (k % 3 <> 0)
	onlyKey    bool // the probe scan reads only its key (no late materialization)
	buildLimit int64
	filtered   bool // the inner join's filter drops rows
}

// rtPlan builds HashJoin(Project(Filter(Scan probe)), Filter(Scan build)).
func rtPlan(c rtJoin, typ logical.JoinType, probeSplits, buildSplits []format.Split) *physical.Node {
	cols := []int{4, 0, 2, 3, 1}           // the project reorders them back
	kcol, order := 1, []int{1, 4, 2, 3, 0} // k's position in the scan; the project's order
	if c.onlyKey {
		cols, kcol, order = []int{0}, 0, []int{0}
	}
	var filters []*expr.Expr
	if c.pushed || c.pushedKey {
		col := 3
		if c.pushedKey {
			col = 0
		}
		mod := expr.Call(expr.FnMod, rtCol(rtProbeTable, col), expr.Lit(types.Int64Value(3)))
		mod.Type = types.Int64Type
		filters = []*expr.Expr{rtBool(expr.FnNe, mod, expr.Lit(types.Int64Value(0)))}
	}
	scanSchema := rtProbeTable.Project(cols)
	probe := &physical.Node{Op: physical.OpScan, Schema: scanSchema, Scan: &physical.ScanSpec{
		Format: "parquet", Table: rtProbeTable, Columns: cols, Filters: filters, Splits: probeSplits}}
	// A filter above the scan (not pushed), then a project passing the
	// columns through in table order.
	notNeg := rtBool(expr.FnGe, expr.BoundCol(kcol, scanSchema.Fields[kcol]), expr.Lit(types.Int64Value(-1)))
	filt := &physical.Node{Op: physical.OpFilter, Inputs: []*physical.Node{probe}, Schema: scanSchema, Filter: notNeg}
	var pexprs []*expr.Expr
	var pfields []types.Field
	for _, i := range order {
		pexprs = append(pexprs, expr.BoundCol(i, scanSchema.Fields[i]))
		pfields = append(pfields, scanSchema.Fields[i])
	}
	probeSchema := types.NewSchema(pfields...)
	proj := &physical.Node{Op: physical.OpProject, Inputs: []*physical.Node{filt}, Schema: probeSchema,
		Project: &physical.ProjectSpec{Exprs: pexprs}}

	bscan := &physical.Node{Op: physical.OpScan, Schema: rtBuildTable, Scan: &physical.ScanSpec{
		Format: "parquet", Table: rtBuildTable, Splits: buildSplits}}
	lt := rtBool(expr.FnLt, rtCol(rtBuildTable, 3), expr.Lit(types.Int64Value(c.buildLimit)))
	bfilt := &physical.Node{Op: physical.OpFilter, Inputs: []*physical.Node{bscan}, Schema: rtBuildTable, Filter: lt}

	l, r := c.keys(probeSchema, rtBuildTable)
	spec := &physical.JoinSpec{Type: typ, LeftKeys: l, RightKeys: r, MarkName: "m"}
	if c.nullSafe {
		spec.NullSafe = make([]bool, len(l))
		spec.NullSafe[0] = true
	}
	lj := &logical.Join{Left: schemaNode{probeSchema}, Right: schemaNode{rtBuildTable}, Type: typ, MarkName: "m"}
	return &physical.Node{Op: physical.OpHashJoin, Inputs: []*physical.Node{proj, bfilt}, Schema: lj.Schema(), Join: spec}
}

// runRT runs the join with runtime filters on or off; dropped is what the
// filters dropped.
func runRT(t *testing.T, n *physical.Node, on bool) (out []string, dropped int64) {
	t.Helper()
	was := runtimeFilterSetting.Load()
	runtimeFilterSetting.Store(on)
	defer runtimeFilterSetting.Store(was)
	env := &Env{BatchRows: 1000}
	r, err := Build(context.Background(), n, env)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return sorted(rows(t, r)), env.RuntimeFiltered.Load()
}

func keyOf(i int) func(p, b *types.Schema) ([]*expr.Expr, []*expr.Expr) {
	return func(p, b *types.Schema) ([]*expr.Expr, []*expr.Expr) {
		return []*expr.Expr{rtCol(p, i)}, []*expr.Expr{rtCol(b, i)}
	}
}

// TestRuntimeFilterDifferential: every join type over Parquet, with
// runtime filters on and off, gives the same rows; the filters drop rows
// where they may (inner joins on a selective build side).
func TestRuntimeFilterDifferential(t *testing.T) {
	probeLayouts := map[string][]format.Split{
		"row groups": writeRT(t, rtProbeTable, 30_000, 7_000, probeCell),
		"one large":  writeRT(t, rtProbeTable, 270_000, 270_000, probeCell),
	}
	build := writeRT(t, rtBuildTable, 300, 300, buildCell(false))
	buildAll := writeRT(t, rtBuildTable, 5000, 5000, buildCell(true))
	int64Key, int32Key, strKey := keyOf(0), keyOf(1), keyOf(2)
	widened := func(p, b *types.Schema) ([]*expr.Expr, []*expr.Expr) {
		return []*expr.Expr{rtCol(p, 0)}, []*expr.Expr{expr.Cast(rtCol(b, 1), types.Int64Type)}
	}
	castProbe := func(p, b *types.Schema) ([]*expr.Expr, []*expr.Expr) {
		return []*expr.Expr{expr.Cast(rtCol(p, 1), types.Int64Type)}, []*expr.Expr{rtCol(b, 0)}
	}
	composite := func(p, b *types.Schema) ([]*expr.Expr, []*expr.Expr) {
		return []*expr.Expr{rtCol(p, 0), rtCol(p, 2)}, []*expr.Expr{rtCol(b, 0), rtCol(b, 2)}
	}
	cases := []rtJoin{
		{name: "int64", keys: int64Key, buildLimit: 1000, filtered: true},
		{name: "int64 pushed", keys: int64Key, pushed: true, buildLimit: 1000, filtered: true},
		{name: "int64 pushed on key", keys: int64Key, pushedKey: true, buildLimit: 1000, filtered: true},
		{name: "int64 only key", keys: int64Key, onlyKey: true, buildLimit: 1000, filtered: true},
		{name: "int32", keys: int32Key, buildLimit: 1000, filtered: true},
		{name: "int32 build widened", keys: widened, pushed: true, buildLimit: 1000, filtered: true},
		{name: "cast probe key", keys: castProbe, buildLimit: 1000},
		{name: "string dictionary", keys: strKey, buildLimit: 5, filtered: true},
		{name: "composite", keys: composite, pushed: true, buildLimit: 1000, filtered: true},
		{name: "null-safe", keys: int64Key, nullSafe: true, buildLimit: 1000},
		{name: "empty build", keys: int64Key, pushed: true, buildLimit: -1, filtered: true},
	}
	types := []logical.JoinType{logical.InnerJoin, logical.LeftJoin, logical.SemiJoin, logical.AntiJoin,
		logical.RightJoin, logical.FullJoin, logical.MarkJoin}
	for layout, probe := range probeLayouts {
		for _, c := range cases {
			for _, typ := range types {
				if layout == "one large" && typ != logical.InnerJoin && typ != logical.AntiJoin {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s/%s", layout, c.name, typ), func(t *testing.T) {
					n := rtPlan(c, typ, probe, build)
					want, off := runRT(t, n, false)
					got, dropped := runRT(t, n, true)
					if off != 0 {
						t.Fatalf("%d rows dropped with runtime filters off", off)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("%d rows, want %d", len(got), len(want))
					}
					mayFilter := typ == logical.InnerJoin || typ == logical.SemiJoin || typ == logical.RightJoin
					switch {
					case !mayFilter && dropped > 0:
						t.Fatalf("%s join dropped %d probe rows", typ, dropped)
					case c.filtered && typ == logical.InnerJoin && dropped == 0:
						t.Fatalf("the filter dropped nothing")
					case !c.filtered && dropped > 0:
						t.Fatalf("dropped %d rows where no filter applies", dropped)
					}
				})
			}
		}
	}
	t.Run("build with every probe key", func(t *testing.T) {
		c := rtJoin{keys: int64Key, buildLimit: 1 << 40}
		n := rtPlan(c, logical.InnerJoin, probeLayouts["row groups"], buildAll)
		want, _ := runRT(t, n, false)
		got, _ := runRT(t, n, true)
		if !slices.Equal(got, want) {
			t.Fatalf("%d rows, want %d", len(got), len(want))
		}
	})
}

// TestRuntimeFilterSharedBroadcast: probe tasks sharing one broadcast
// table (BroadcastCache) share its runtime filter set too; each answers
// as with runtime filters off, and each drops rows.
func TestRuntimeFilterSharedBroadcast(t *testing.T) {
	probeSplits := writeRT(t, rtProbeTable, 30_000, 7_000, probeCell)
	outs := writeBroadcast(t, t.TempDir(), 3, 40, 50) // keys 0..39
	inputs := map[int][]task.MapOutput{0: outs}
	for _, typ := range []logical.JoinType{logical.InnerJoin, logical.SemiJoin, logical.AntiJoin} {
		t.Run(typ.String(), func(t *testing.T) {
			n := rtPlan(rtJoin{keys: keyOf(0), pushed: true, buildLimit: 1}, typ, probeSplits, nil)
			probeSchema := n.Inputs[0].Schema
			n.Inputs[1] = &physical.Node{Op: physical.OpStageRead, Schema: joinRightSchema, Read: &physical.ReadSpec{Stage: 0, Kind: physical.PartBroadcast}}
			n.Join.RightKeys = []*expr.Expr{rtCol(joinRightSchema, 0)}
			lj := &logical.Join{Left: schemaNode{probeSchema}, Right: schemaNode{joinRightSchema}, Type: typ, MarkName: "m"}
			n.Schema = lj.Schema()
			runtimeFilterSetting.Store(false)
			want := sorted(drainJoin(t, n, &Env{Inputs: inputs}))
			runtimeFilterSetting.Store(true)
			var cache BroadcastCache
			pool := memory.NewPool(0)
			const tasks = 4
			got := make([][]string, tasks)
			dropped := make([]int64, tasks)
			var wg sync.WaitGroup
			for i := range tasks {
				wg.Go(func() {
					env := &Env{Inputs: inputs, Broadcasts: &cache, Pool: pool, BatchRows: 1000}
					got[i] = sorted(drainJoin(t, n, env))
					dropped[i] = env.RuntimeFiltered.Load()
				})
			}
			wg.Wait()
			if b := cache.Builds(); b != 1 {
				t.Fatalf("%d tables built", b)
			}
			for i := range tasks {
				if !slices.Equal(got[i], want) {
					t.Fatalf("task %d: %d rows, want %d", i, len(got[i]), len(want))
				}
				if (dropped[i] > 0) != (typ != logical.AntiJoin) {
					t.Fatalf("task %d dropped %d rows", i, dropped[i])
				}
			}
		})
	}
}

// TestRuntimeFilterGraceJoin: a join whose build side spilled (grace)
// installs no filter, and answers alike.
func TestRuntimeFilterGraceJoin(t *testing.T) {
	probe := writeRT(t, rtProbeTable, 30_000, 7_000, probeCell)
	build := writeRT(t, rtBuildTable, 5000, 5000, buildCell(false))
	n := rtPlan(rtJoin{keys: keyOf(0), pushed: true, buildLimit: 1 << 40}, logical.InnerJoin, probe, build)
	run := func(on bool) ([]string, int64) {
		was := runtimeFilterSetting.Load()
		runtimeFilterSetting.Store(on)
		defer runtimeFilterSetting.Store(was)
		env := &Env{BatchRows: 1000, MemoryBytes: 64 << 10, TempDir: t.TempDir()}
		out := sorted(drainJoin(t, n, env))
		if env.Spilled.Load() == 0 {
			t.Fatal("the join did not spill")
		}
		return out, env.RuntimeFiltered.Load()
	}
	want, _ := run(false)
	got, dropped := run(true)
	if !slices.Equal(got, want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	if dropped != 0 {
		t.Fatalf("a spilled join's filter dropped %d rows", dropped)
	}
}
