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

// Random plans with grouping sets, set operations, VALUES and LIMIT …
// OFFSET, checked like TestSemanticsRandomPlans: the reference interpreter
// must give the same multiset before optimization and after every rule.

func (g *planGen) setNode(depth int) logical.Node {
	if depth == 0 || g.r.IntN(5) == 0 {
		if g.r.IntN(4) == 0 {
			return g.values()
		}
		return g.leaf()
	}
	in := g.setNode(depth - 1)
	switch g.r.IntN(9) {
	case 0:
		return filter(in, g.pred(in.Schema(), 2))
	case 1:
		return g.project(in)
	case 2, 3:
		return g.groupingSets(in)
	case 4, 5:
		return g.setOp(in)
	case 6:
		return g.offset(in)
	case 7:
		return g.join(in, g.setNode(depth-1))
	}
	return g.aggregate(in)
}

// values is a VALUES list of (BIGINT, VARCHAR) rows with NULLs.
func (g *planGen) values() logical.Node {
	var rows [][]*expr.Expr
	for range 1 + g.r.IntN(4) {
		id := lit(types.NullValue(types.Int64Type))
		if g.r.IntN(4) != 0 {
			id = lit(g.r.IntN(4))
		}
		s := lit(types.NullValue(types.StringType))
		if g.r.IntN(4) != 0 {
			s = lit([]string{"x", "y"}[g.r.IntN(2)])
		}
		rows = append(rows, []*expr.Expr{id, s})
	}
	v, err := logical.NewValues(rows, []string{g.name(), g.name()}, "")
	if err != nil {
		panic(err)
	}
	return v
}

// groupingSets groups by up to three columns under ROLLUP, CUBE or a list
// of sets with repeats and empty sets, and may project GROUPING(…).
func (g *planGen) groupingSets(in logical.Node) logical.Node {
	s := in.Schema()
	var keys []*expr.Expr
	var names []string
	for range 1 + g.r.IntN(3) {
		keys, names = append(keys, g.anyCol(s)), append(names, g.name())
	}
	elems := make([][]int, len(keys))
	for i := range elems {
		elems[i] = []int{i}
	}
	var sets [][]int
	switch g.r.IntN(3) {
	case 0:
		sets = logical.Rollup(elems)
	case 1:
		sets = mustSets(logical.Cube(elems))
	default:
		for range 1 + g.r.IntN(4) {
			var set []int
			for k := range keys {
				if g.r.IntN(2) == 0 {
					set = append(set, k)
				}
			}
			sets = append(sets, set)
		}
	}
	aggs := []logical.AggExpr{aggr(expr.AggCountStar, nil, g.name()), aggr(expr.AggMax, g.anyCol(s), g.name())}
	if ic := g.intCol(s); ic != nil {
		aggs = append(aggs, aggr(expr.AggSum, ic, g.name()), aggr(expr.AggCount, ic, g.name()))
	}
	gr, err := logical.GroupingSets(in, keys, names, sets, aggs, "")
	if err != nil {
		panic(err)
	}
	if g.r.IntN(2) == 0 {
		return gr.Node
	}
	args := make([]int, g.r.IntN(len(keys)+1))
	for i := range args {
		args[i] = g.r.IntN(len(keys))
	}
	ge, err := gr.Grouping(args...)
	if err != nil {
		panic(err)
	}
	out := gr.Node.Schema()
	p := &logical.Project{Input: gr.Node, Exprs: []*expr.Expr{ge}, Names: []string{g.name()}}
	for i, f := range out.Fields {
		p.Exprs, p.Names = append(p.Exprs, expr.BoundCol(i, f)), append(p.Names, f.Name)
	}
	return p
}

// setOp intersects or subtracts a filtered copy of in (or in itself, or
// in doubled) from in.
func (g *planGen) setOp(in logical.Node) logical.Node {
	var right logical.Node
	switch g.r.IntN(3) {
	case 0:
		right = in
	case 1:
		right = filter(in, g.pred(in.Schema(), 1))
	default:
		right = &logical.Union{Inputs: []logical.Node{in, filter(in, g.pred(in.Schema(), 1))}}
	}
	l, r := in, right
	if g.r.IntN(2) == 0 {
		l, r = right, in
	}
	s, err := logical.NewSetOp(logical.SetOpKind(g.r.IntN(2)), g.r.IntN(2) == 0, l, r)
	if err != nil {
		panic(err)
	}
	return s
}

// offset sorts by every column (so ties are identical rows and the result
// is one multiset) and takes LIMIT/OFFSET.
func (g *planGen) offset(in logical.Node) logical.Node {
	s := in.Schema()
	sort := &logical.Sort{Input: in}
	for i, f := range s.Fields {
		sort.Keys = append(sort.Keys, logical.SortKey{Expr: expr.BoundCol(i, f), Desc: g.r.IntN(2) == 0})
	}
	n := int64(g.r.IntN(6))
	if g.r.IntN(3) == 0 {
		n = logical.NoLimit
	}
	return logical.NewLimit(sort, n, int64(g.r.IntN(5)))
}

func TestSemanticsRandomSetPlans(t *testing.T) {
	plans := 400
	if testing.Short() {
		plans = 50
	}
	seen := map[string]int{}
	defer func() {
		// The generator must have reached every node kind it exists for.
		for _, k := range []string{"*logical.Expand", "*logical.SetOp", "*logical.Values", "*logical.Limit", "*logical.Replicate"} {
			if seen[k] < plans/20 {
				t.Errorf("only %d of %d plans had a %s", seen[k], plans, k)
			}
		}
	}()
	for seed := range plans {
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		g := &planGen{r: r}
		p := planOf(write(g.setNode(4)))
		countKinds(p.Sinks[0], seen)
		if lowered, err := LowerSetOps.Apply(p.Sinks[0], Config{}); err == nil { // Replicate appears once lowered
			if hasKind(lowered, "*logical.Replicate") {
				seen["*logical.Replicate"]++
			}
		}
		if err := Validate(p.Sinks[0]); err != nil {
			t.Fatalf("seed %d: generator built an invalid plan: %v\n%s", seed, err, logical.FormatPlan(p))
		}
		data := randomData(r)
		want := sortedKeys(run(p.Sinks[0], data))
		steps, err := OptimizeTrace(p, Config{})
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, logical.FormatPlan(p))
		}
		for _, st := range steps {
			if got := sortedKeys(run(st.Plan.Sinks[0], data)); !slices.Equal(got, want) {
				t.Fatalf("seed %d: results differ after %s\nplan before:\n%s\nafter:\n%s\ngot  %v\nwant %v",
					seed, st.Rule, logical.FormatPlan(p), logical.FormatPlan(st.Plan), got, want)
			}
		}
	}
}

func countKinds(n logical.Node, seen map[string]int) {
	kinds := map[string]bool{}
	_, _ = logical.Transform(n, func(x logical.Node) (logical.Node, error) {
		kinds[fmt.Sprintf("%T", x)] = true
		return x, nil
	})
	for k := range kinds {
		seen[k]++
	}
}

func hasKind(n logical.Node, kind string) bool {
	m := map[string]int{}
	countKinds(n, m)
	return m[kind] > 0
}

// mustSets unwraps a set expansion that cannot fail in these tests.
func mustSets(sets [][]int, err error) [][]int {
	if err != nil {
		panic(err)
	}
	return sets
}

// TestOptimizeIdempotentSetPlans: optimizing an optimized plan with the new
// nodes changes nothing (pruning an Expand or a VALUES list twice, pushing
// through Replicate twice).
func TestOptimizeIdempotentSetPlans(t *testing.T) {
	for seed := range 300 {
		g := &planGen{r: rand.New(rand.NewPCG(uint64(seed), 13))}
		p := planOf(write(g.setNode(4)))
		once, err := Optimize(p, Config{})
		if err != nil {
			t.Fatal(err)
		}
		twice, err := Optimize(once, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := logical.FormatPlan(once), logical.FormatPlan(twice); a != b {
			t.Fatalf("seed %d: second optimization changed the plan\nonce:\n%s\ntwice:\n%s", seed, a, b)
		}
	}
}
