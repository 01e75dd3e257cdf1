package optimizer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// The semantics tests run random plans over random data through the
// reference interpreter before and after optimization (and after every
// single rule) and compare the results as multisets.

var testTables = map[string][]string{
	"t1": {"id:int64?", "a:int64?", "s:string?"},
	"t2": {"id:int64", "b:int64?", "s:string"},
	"t3": {"k:int64?", "c:int64"},
}

func randomData(r *rand.Rand) dataset {
	d := dataset{}
	for name, cols := range testTables {
		s := scan(name, 0, cols...)
		for range 8 + r.IntN(10) {
			var rw row
			for _, f := range s.Table.Fields {
				rw = append(rw, randomValue(r, f))
			}
			d[name] = append(d[name], rw)
		}
	}
	return d
}

func randomValue(r *rand.Rand, f types.Field) types.Value {
	if f.Nullable && r.IntN(5) == 0 {
		return types.NullValue(f.Type)
	}
	if f.Type.ID == types.String {
		return types.StringValue([]string{"x", "y", "z"}[r.IntN(3)])
	}
	return types.Int64Value(int64(r.IntN(6)))
}

type planGen struct {
	r     *rand.Rand
	names int
}

func (g *planGen) name() string {
	g.names++
	return fmt.Sprintf("c%d", g.names)
}

func (g *planGen) node(depth int) logical.Node {
	if depth == 0 || g.r.IntN(5) == 0 {
		return g.leaf()
	}
	in := g.node(depth - 1)
	switch g.r.IntN(11) {
	case 9:
		if depth <= 1 {
			return g.commaJoin(in)
		}
	case 0, 1:
		return filter(in, g.pred(in.Schema(), 2))
	case 2:
		return g.project(in)
	case 3, 4:
		return g.join(in, g.node(depth-1))
	case 5:
		return g.aggregate(in)
	case 6:
		return &logical.Union{Inputs: []logical.Node{in, filter(in, g.pred(in.Schema(), 1))}}
	case 7:
		return &logical.Distinct{Input: in}
	case 8:
		return &logical.Sort{Input: in, Keys: []logical.SortKey{{Expr: g.anyCol(in.Schema()), Desc: g.r.IntN(2) == 0}}}
	}
	// Larger than any input: order-independent, but a barrier to pushdown.
	return &logical.Limit{Input: in, N: 1 << 20}
}

func (g *planGen) leaf() logical.Node {
	names := []string{"t1", "t2", "t3"}
	name := names[g.r.IntN(len(names))]
	s := scan(name, int64(g.r.IntN(3))<<22, testTables[name]...)
	if g.r.IntN(3) == 0 {
		s.Filters = []*expr.Expr{g.pred(s.Table, 1)}
	}
	if g.r.IntN(3) == 0 {
		s.Projection = g.r.Perm(s.Table.Len())[:1+g.r.IntN(s.Table.Len())]
	}
	if g.r.IntN(4) == 0 {
		return &logical.Alias{Input: s, Name: "v" + g.name()}
	}
	return s
}

func (g *planGen) project(in logical.Node) logical.Node {
	s := in.Schema()
	p := &logical.Project{Input: in}
	for range 1 + g.r.IntN(3) {
		p.Exprs = append(p.Exprs, g.value(s))
		p.Names = append(p.Names, g.name())
	}
	return p
}

// value is a random expression over s: a column, arithmetic, a plugin call,
// a constant or a CASE.
func (g *planGen) value(s *types.Schema) *expr.Expr {
	ic := g.intCol(s)
	if ic == nil {
		return g.anyCol(s)
	}
	switch g.r.IntN(6) {
	case 0:
		return add(ic, lit(g.r.IntN(3)))
	case 1:
		return twice(ic)
	case 2:
		return lit(g.r.IntN(4))
	case 3:
		return call(expr.FnCase, types.Int64Type, g.pred(s, 1), ic, lit(0))
	}
	return g.anyCol(s)
}

// join is a random join of any type: keyed (maybe null-safe) or not, with
// or without a residual filter, sometimes under a filter that reads both
// sides (or ORs of conjunctions sharing a term) as a comma join's WHERE does.
func (g *planGen) join(l, r logical.Node) logical.Node {
	j := &logical.Join{Left: l, Right: r, Type: logical.JoinType(g.r.IntN(7))}
	if j.Type == logical.MarkJoin {
		j.MarkName = g.name()
	}
	lk, rk := g.intCol(l.Schema()), g.intCol(r.Schema())
	if lk != nil && rk != nil && g.r.IntN(4) != 0 {
		j.LeftKeys, j.RightKeys = []*expr.Expr{lk}, []*expr.Expr{rk}
		if g.r.IntN(5) == 0 {
			j.NullSafe = []bool{true}
		}
	}
	both := l.Schema().Concat(r.Schema())
	if g.r.IntN(2) == 0 {
		j.Filter = g.pred(both, 2)
	}
	if g.r.IntN(6) == 0 {
		j.Strategy = logical.StrategyShuffle
	}
	if g.r.IntN(3) == 0 {
		return filter(j, g.crossPred(j.Schema(), l.Schema().Len()))
	}
	return j
}

// commaJoin is FROM in, x, y WHERE … (in any order): cross joins in written order
// under a filter of equalities and other conditions between random pairs
// of inputs (some not neighbours, some missing: a real cross product).
func (g *planGen) commaJoin(in logical.Node) logical.Node {
	ins := []logical.Node{in}
	for range 2 {
		ins = append(ins, g.leaf())
	}
	g.r.Shuffle(len(ins), func(i, j int) { ins[i], ins[j] = ins[j], ins[i] })
	var cur logical.Node = ins[0]
	offsets := []int{0}
	for _, x := range ins[1:] {
		offsets = append(offsets, cur.Schema().Len())
		cur = &logical.Join{Left: cur, Right: x, Type: logical.InnerJoin}
	}
	s := cur.Schema()
	var conds []*expr.Expr
	for range 1 + g.r.IntN(4) {
		a, b := g.r.IntN(len(ins)), g.r.IntN(len(ins))
		ca, cb := g.intCol(ins[a].Schema()), g.intCol(ins[b].Schema())
		if ca == nil || cb == nil || a == b {
			conds = append(conds, g.pred(s, 1))
			continue
		}
		ca = expr.BoundCol(ca.Index+offsets[a], s.Fields[ca.Index+offsets[a]])
		cb = expr.BoundCol(cb.Index+offsets[b], s.Fields[cb.Index+offsets[b]])
		if g.r.IntN(4) == 0 {
			conds = append(conds, lt(ca, cb))
		} else {
			conds = append(conds, eq(ca, cb))
		}
	}
	return filter(cur, and(conds...))
}

// crossPred is a predicate over a join's output that compares a left
// column with a right one, alone, with a one-side conjunct, or as
// (shared AND x) OR (shared AND y).
func (g *planGen) crossPred(s *types.Schema, nl int) *expr.Expr {
	ls, rs := &types.Schema{Fields: s.Fields[:nl]}, &types.Schema{Fields: s.Fields[nl:]}
	lc, rc := g.intCol(ls), g.intCol(rs)
	if lc == nil || rc == nil {
		return g.pred(s, 2)
	}
	rc = expr.BoundCol(rc.Index+nl, s.Fields[rc.Index+nl])
	shared := eq(lc, rc)
	if g.r.IntN(2) == 0 {
		shared = eq(add(lc, lit(1)), rc)
	}
	switch g.r.IntN(3) {
	case 0:
		return shared
	case 1:
		return and(shared, g.pred(s, 1))
	}
	return or(and(shared, g.pred(s, 1)), and(g.pred(s, 1), shared))
}

func (g *planGen) aggregate(in logical.Node) logical.Node {
	s := in.Schema()
	a := &logical.Aggregate{Input: in}
	for range g.r.IntN(3) {
		c := g.anyCol(s)
		a.GroupBy = append(a.GroupBy, c)
		a.GroupNames = append(a.GroupNames, g.name())
	}
	a.Aggs = append(a.Aggs, aggr(expr.AggCountStar, nil, g.name()))
	if ic := g.intCol(s); ic != nil {
		a.Aggs = append(a.Aggs, aggr(expr.AggSum, ic, g.name()), aggr(expr.AggCount, ic, g.name()))
	}
	a.Aggs = append(a.Aggs, aggr(expr.AggMax, g.anyCol(s), g.name()))
	g.r.Shuffle(len(a.Aggs), func(i, j int) { a.Aggs[i], a.Aggs[j] = a.Aggs[j], a.Aggs[i] })
	return a
}

// pred is a random boolean expression over s.
func (g *planGen) pred(s *types.Schema, depth int) *expr.Expr {
	ic := g.intCol(s)
	k := g.r.IntN(9)
	switch {
	case depth > 0 && k == 0:
		return and(g.pred(s, depth-1), g.pred(s, depth-1))
	case depth > 0 && k == 1:
		return or(g.pred(s, depth-1), g.pred(s, depth-1))
	case depth > 0 && k == 2:
		return not(g.pred(s, depth-1))
	case k == 3:
		return isNull(g.anyCol(s))
	case k == 4:
		return []*expr.Expr{lit(true), lit(false), lit(types.NullValue(types.BoolType))}[g.r.IntN(3)]
	case k == 5 && ic != nil:
		return gt(twice(ic), lit(g.r.IntN(8)))
	case k == 6 && ic != nil:
		return lt(ic, g.intCol(s))
	case k == 7:
		if sc := g.colOf(s, types.String); sc != nil {
			return eq(sc, lit("x"))
		}
	}
	if ic != nil {
		return []func(a, b *expr.Expr) *expr.Expr{lt, gt, eq}[g.r.IntN(3)](ic, lit(g.r.IntN(6)))
	}
	return lit(true)
}

func (g *planGen) anyCol(s *types.Schema) *expr.Expr {
	i := g.r.IntN(s.Len())
	return expr.BoundCol(i, s.Fields[i])
}

func (g *planGen) intCol(s *types.Schema) *expr.Expr { return g.colOf(s, types.Int64) }

func (g *planGen) colOf(s *types.Schema, id types.ID) *expr.Expr {
	var cands []int
	for i, f := range s.Fields {
		if f.Type.ID == id {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	i := cands[g.r.IntN(len(cands))]
	return expr.BoundCol(i, s.Fields[i])
}

func TestSemanticsRandomPlans(t *testing.T) {
	plans := 400
	if testing.Short() {
		plans = 50
	}
	configs := []Config{{}, {BroadcastThresholdBytes: -1}, {BroadcastThresholdBytes: 1 << 40}}
	for seed := range plans {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		g := &planGen{r: r}
		p := planOf(write(g.node(4)))
		if err := Validate(p.Sinks[0]); err != nil {
			t.Fatalf("seed %d: generator built an invalid plan: %v", seed, err)
		}
		data := randomData(r)
		want := sortedKeys(run(p.Sinks[0], data))
		for _, cfg := range configs {
			steps, err := OptimizeTrace(p, cfg)
			if err != nil {
				t.Fatalf("seed %d: %v\n%s", seed, err, logical.FormatPlan(p))
			}
			checkScanFilterColumns(t, steps[len(steps)-1].Plan.Sinks[0])
			for _, st := range steps {
				if got := sortedKeys(run(st.Plan.Sinks[0], data)); !slices.Equal(got, want) {
					t.Fatalf("seed %d: results differ after %s\nplan before:\n%s\nafter:\n%s\ngot  %v\nwant %v",
						seed, st.Rule, logical.FormatPlan(p), logical.FormatPlan(st.Plan), got, want)
				}
			}
		}
	}
}

// checkScanFilterColumns: every column a scan filter reads is among the
// columns the scan produces, which the scan operator requires.
func checkScanFilterColumns(t *testing.T, n logical.Node) {
	t.Helper()
	if s, ok := n.(*logical.Scan); ok && s.Projection != nil {
		for _, f := range s.Filters {
			for _, c := range expr.Columns(f) {
				if !slices.Contains(s.Projection, c) {
					t.Fatalf("scan filter %s reads column %d outside projection %v", f, c, s.Projection)
				}
			}
		}
	}
	for _, c := range n.Children() {
		checkScanFilterColumns(t, c)
	}
}
