package local

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/optimizer"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// The join tests build logical plans by hand (every join type, keyed and
// keyless, comma joins), run them through the optimizer, the physical
// planner, the stage graph and the local executor with specs sent through
// JSON, over inputs split into several files and shuffled into several
// partitions, and compare with answers computed here row by row.

// jrow is a row of a two-column int64 table; nil is NULL.
type jrow [2]*int64

func (r jrow) str(i int) string {
	if r[i] == nil {
		return "NULL"
	}
	return fmt.Sprint(*r[i])
}

// joinTable writes rows as JSON lines into files files under dir/name and
// returns a scan of them.
func joinTable(t *testing.T, dir, name string, cols [2]string, rows []jrow, files int) *logical.Scan {
	t.Helper()
	d := filepath.Join(dir, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	var size int64
	for f := range files {
		var sb strings.Builder
		for i := f; i < len(rows); i += files {
			m := map[string]any{cols[0]: rows[i][0], cols[1]: rows[i][1]}
			b, _ := json.Marshal(m)
			sb.Write(append(b, '\n'))
		}
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("part-%d.jsonl", f)), []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		size += int64(sb.Len())
	}
	s := &types.Schema{}
	for _, c := range cols {
		s.Fields = append(s.Fields, types.Field{Qualifier: name, Name: c, Type: types.Int64Type, Nullable: true})
	}
	return &logical.Scan{Source: name, Format: "jsonl", Path: d + "/*.jsonl", Table: s, SizeBytes: size}
}

func joinSplitFiles(ctx context.Context, s *logical.Scan) ([]format.Split, error) {
	locs, infos, err := storage.ExpandInfo(ctx, s.Path)
	if err != nil {
		return nil, err
	}
	var out []format.Split
	for i, l := range locs {
		out = append(out, format.Split{URL: l.URL(), Size: infos[i].Size})
	}
	return out, nil
}

// runPlan optimizes, plans and runs root (written as JSON lines) and
// returns its rows rendered "v1,v2,…", sorted.
func runPlan(t *testing.T, root logical.Node, partitions int, broadcast int64) []string {
	t.Helper()
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "out")
	w := &logical.Write{Input: root, Sink: "out", Format: "jsonl", Path: out}
	lp, err := optimizer.Optimize(&logical.Plan{Job: "joins", Sinks: []*logical.Write{w}}, optimizer.Config{BroadcastThresholdBytes: broadcast})
	if err != nil {
		t.Fatal(err)
	}
	phys, err := physical.Plan(ctx, lp, physical.Config{Partitions: partitions, Splitter: joinSplitFiles})
	if err != nil {
		t.Fatal(err)
	}
	g, err := stage.Build(phys)
	if err != nil {
		t.Fatal(err)
	}
	ex := executor.NewLocal(&executor.Runtime{Name: "test", TempDir: t.TempDir()}, 2)
	ex.Serialize = true
	if _, err := driver.Run(ctx, g, driver.Config{Job: "joins", Run: "r", Executor: ex, ShuffleDir: t.TempDir()}); err != nil {
		t.Fatalf("%v\n%s", err, physical.Format(phys[0]))
	}
	return readJSONL(t, out, root.Schema().Names())
}

func readJSONL(t *testing.T, dir string, names []string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	var rows []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		for dec.More() {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				t.Fatal(err)
			}
			cells := make([]string, len(names))
			for i, n := range names {
				cells[i] = "NULL"
				if v, ok := m[n]; ok && v != nil {
					cells[i] = fmt.Sprint(v)
				}
			}
			rows = append(rows, strings.Join(cells, ","))
		}
	}
	slices.Sort(rows)
	return rows
}

func randomRows(r *rand.Rand, n, keys int) []jrow {
	rows := make([]jrow, n)
	for i := range rows {
		if r.IntN(8) != 0 {
			k := int64(r.IntN(keys))
			rows[i][0] = &k
		}
		if r.IntN(10) != 0 {
			v := int64(r.IntN(100))
			rows[i][1] = &v
		}
	}
	return rows
}

func boundCol(s *types.Schema, i int) *expr.Expr { return expr.BoundCol(i, s.Fields[i]) }

func boolCall(name string, args ...*expr.Expr) *expr.Expr {
	c := expr.Call(name, args...)
	c.Type, c.Nullable = types.BoolType, true
	return c
}

// refJoinRows is SQL's join of left and right: keyed joins match equal
// non-NULL k (or NULL with NULL when nullSafe), the residual (when set)
// keeps pairs with a + b > 100 (NULL when either is NULL); keyless joins
// keep pairs with a < b.
type refSpec struct {
	typ      logical.JoinType
	keyed    bool
	nullSafe bool
	residual bool
}

func (c refSpec) matches(l, r jrow) bool {
	if c.keyed {
		switch {
		case l[0] == nil || r[0] == nil:
			if !c.nullSafe || l[0] != r[0] {
				return false
			}
		case *l[0] != *r[0]:
			return false
		}
		if c.residual {
			return l[1] != nil && r[1] != nil && *l[1]+*r[1] > 100
		}
		return true
	}
	return l[1] != nil && r[1] != nil && *l[1] < *r[1]
}

func refJoinRows(c refSpec, left, right []jrow) []string {
	var out []string
	rightHit := make([]bool, len(right))
	for _, l := range left {
		hit := false
		for ri, r := range right {
			if !c.matches(l, r) {
				continue
			}
			hit, rightHit[ri] = true, true
			if c.typ.EmitsRight() {
				out = append(out, strings.Join([]string{l.str(0), l.str(1), r.str(0), r.str(1)}, ","))
			}
		}
		ls := l.str(0) + "," + l.str(1)
		switch {
		case c.typ == logical.SemiJoin && hit, c.typ == logical.AntiJoin && !hit:
			out = append(out, ls)
		case (c.typ == logical.LeftJoin || c.typ == logical.FullJoin) && !hit:
			out = append(out, ls+",NULL,NULL")
		case c.typ == logical.MarkJoin:
			out = append(out, fmt.Sprintf("%s,%v", ls, hit))
		}
	}
	if c.typ.KeepsUnmatchedRight() {
		for ri, r := range right {
			if !rightHit[ri] {
				out = append(out, "NULL,NULL,"+r.str(0)+","+r.str(1))
			}
		}
	}
	slices.Sort(out)
	return out
}

// joinPlan is the logical join for c over scans l and r, projected to
// unique output names.
func joinPlan(c refSpec, l, r *logical.Scan) logical.Node {
	j := &logical.Join{Left: l, Right: r, Type: c.typ}
	if c.typ == logical.MarkJoin {
		j.MarkName = "m"
	}
	both := l.Schema().Concat(r.Schema())
	if c.keyed {
		j.LeftKeys, j.RightKeys = []*expr.Expr{boundCol(l.Schema(), 0)}, []*expr.Expr{boundCol(r.Schema(), 0)}
		if c.nullSafe {
			j.NullSafe = []bool{true}
		}
		if c.residual {
			sum := expr.Call(expr.FnAdd, boundCol(both, 1), boundCol(both, 3))
			sum.Type, sum.Nullable = types.Int64Type, true
			j.Filter = boolCall(expr.FnGt, sum, expr.Lit(types.Int64Value(100)))
		}
	} else {
		j.Filter = boolCall(expr.FnLt, boundCol(both, 1), boundCol(both, 3))
	}
	s := j.Schema()
	names := []string{"lk", "la", "rk", "rb"}
	if !c.typ.EmitsRight() {
		names = names[:2]
	}
	if c.typ == logical.MarkJoin {
		names = append(names, "m")
	}
	p := &logical.Project{Input: j, Names: names}
	for i := range names {
		p.Exprs = append(p.Exprs, boundCol(s, i))
	}
	return p
}

func TestDistributedJoinsEveryType(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	r := rand.New(rand.NewPCG(9, 9))
	dir := t.TempDir()
	left, right := randomRows(r, 240, 30), randomRows(r, 160, 30)
	ls := joinTable(t, dir, "l", [2]string{"k", "a"}, left, 3)
	rs := joinTable(t, dir, "r", [2]string{"k", "b"}, right, 2)
	types := []logical.JoinType{logical.InnerJoin, logical.LeftJoin, logical.SemiJoin, logical.AntiJoin,
		logical.RightJoin, logical.FullJoin, logical.MarkJoin}
	specs := []refSpec{{keyed: true}, {keyed: true, residual: true}, {keyed: true, nullSafe: true}, {}}
	for _, typ := range types {
		for _, sp := range specs {
			sp.typ = typ
			want := refJoinRows(sp, left, right)
			for _, cfg := range []struct {
				parts     int
				broadcast int64
			}{{3, -1}, {4, 1 << 40}} {
				name := fmt.Sprintf("%s/keyed=%v/residual=%v/nullsafe=%v/parts=%d/broadcast=%v", typ, sp.keyed, sp.residual, sp.nullSafe, cfg.parts, cfg.broadcast > 0)
				t.Run(name, func(t *testing.T) {
					got := runPlan(t, joinPlan(sp, ls, rs), cfg.parts, cfg.broadcast)
					if !slices.Equal(got, want) {
						t.Fatalf("%d rows, want %d\ngot  %.400v\nwant %.400v", len(got), len(want), got, want)
					}
				})
			}
		}
	}
}

// TestDistributedCommaJoin runs FROM a, b, c, d WHERE … written so that
// neighbours share no condition: reordered, it must give the same rows as
// the conditions say, without a cross product.
func TestDistributedCommaJoin(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	r := rand.New(rand.NewPCG(3, 4))
	dir := t.TempDir()
	data := map[string][]jrow{"a": randomRows(r, 120, 20), "b": randomRows(r, 60, 20), "c": randomRows(r, 90, 20), "d": randomRows(r, 40, 20)}
	scans := map[string]*logical.Scan{}
	for name, rows := range data {
		scans[name] = joinTable(t, dir, name, [2]string{name + "k", name + "v"}, rows, 2)
	}
	// FROM a, d, b, c WHERE a.ak = b.bk AND b.bv = c.cv AND c.ck = d.dk AND a.av < d.dv
	var cur logical.Node = scans["a"]
	for _, n := range []string{"d", "b", "c"} {
		cur = &logical.Join{Left: cur, Right: scans[n], Type: logical.InnerJoin}
	}
	s := cur.Schema()
	c := func(name string) *expr.Expr {
		i, err := s.Resolve("", name)
		if err != nil {
			t.Fatal(err)
		}
		return boundCol(s, i)
	}
	cond := boolCall(expr.FnAnd, boolCall(expr.FnAnd, boolCall(expr.FnEq, c("ak"), c("bk")), boolCall(expr.FnEq, c("bv"), c("cv"))),
		boolCall(expr.FnAnd, boolCall(expr.FnEq, c("ck"), c("dk")), boolCall(expr.FnLt, c("av"), c("dv"))))
	f := &logical.Filter{Input: cur, Cond: cond}
	eqv := func(x, y *int64) bool { return x != nil && y != nil && *x == *y }
	var want []string
	for _, a := range data["a"] {
		for _, d := range data["d"] {
			for _, b := range data["b"] {
				for _, cr := range data["c"] {
					if eqv(a[0], b[0]) && eqv(b[1], cr[1]) && eqv(cr[0], d[0]) && a[1] != nil && d[1] != nil && *a[1] < *d[1] {
						want = append(want, strings.Join([]string{a.str(0), a.str(1), d.str(0), d.str(1), b.str(0), b.str(1), cr.str(0), cr.str(1)}, ","))
					}
				}
			}
		}
	}
	slices.Sort(want)
	for _, broadcast := range []int64{-1, 1 << 40} {
		got := runPlan(t, f, 3, broadcast)
		if !slices.Equal(got, want) {
			t.Fatalf("broadcast=%d: %d rows, want %d\ngot  %.300v\nwant %.300v", broadcast, len(got), len(want), got, want)
		}
	}
	if len(want) == 0 {
		t.Fatal("the data gives no rows; the test proves nothing")
	}
}

// TestJobFullAndRightJoins runs a job whose join blocks say type = "full"
// and "right", through the whole engine (job spec, planner, local run).
func TestJobFullAndRightJoins(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	e2eutil.WriteFile(t, filepath.Join(dir, "c.csv"), "id,country\n1,DE\n2,FR\n3,\n4,US\n")
	e2eutil.WriteFile(t, filepath.Join(dir, "e.csv"), "cid,kind\n1,view\n1,purchase\n3,purchase\n9,purchase\n,view\n")
	out := filepath.Join(dir, "out")
	job := fmt.Sprintf(`
job "outer" {
  source "c" {
    format = "csv"
    path   = "%[1]s/c.csv"
  }
  source "e" {
    format = "csv"
    path   = "%[1]s/e.csv"
  }
  view "full" {
    from = "c"
    join "e" {
      type = "full"
      on   = "c.id = e.cid AND e.kind = 'purchase'"
    }
    select = ["id", "country", "cid", "kind"]
  }
  view "right" {
    from = "c"
    join "e" {
      type = "right"
      on   = "c.id = e.cid"
    }
    select = ["id", "kind"]
  }
  sink "full" {
    from   = "full"
    format = "csv"
    path   = "%[2]s/full"
  }
  sink "right" {
    from   = "right"
    format = "csv"
    path   = "%[2]s/right"
  }
}`, dir, out)
	if _, err := runJob(t, writeJob(t, dir, job), runOpts{partitions: 3}); err != nil {
		t.Fatal(err)
	}
	check := func(name string, want ...string) {
		t.Helper()
		checkCSVRows(t, filepath.Join(out, name), want...)
	}
	check("full", ",,,view", ",,1,view", ",,9,purchase", "1,DE,1,purchase", "2,FR,,", "3,,3,purchase", "4,US,,")
	check("right", ",purchase", ",view", "1,purchase", "1,view", "3,purchase")
}
