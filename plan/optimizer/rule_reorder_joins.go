package optimizer

import (
	"slices"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// ReorderJoins picks the join order of each cluster of inner and cross
// joins (a comma list FROM a, b, c WHERE …, or a chain of INNER JOINs)
// whose written order pairs tables that share no condition (TPC-H Q8 and
// Q9), which would be a cross product; a cluster written in a connected
// order keeps it (sizes alone would misjudge many-to-many joins). The rule
// flattens the cluster into
// its inputs and conditions (keys and filter conjuncts, which
// push_predicates put there), then builds a left-deep tree greedily: it
// starts from the largest input (by the size estimates; the first on ties,
// so unknown sizes keep the written order) and each time adds the input
// that shares an equality with those joined so far, else any condition,
// else (a cross product, only when nothing connected remains) none; the
// smallest such input, the first on ties. Each condition goes to the
// lowest join that has all its inputs, a Project above restores the
// cluster's column order, and join_keys then turns equalities into keys.
//
// Joins with a strategy already set (a hint, or an optimized plan) and
// null-safe keys are not reordered; clusters of two inputs are left to
// join_strategy, which picks the build side.
var ReorderJoins = Rule{Name: "reorder_joins", Apply: reorderJoins}

func reorderJoins(n logical.Node, _ Config) (logical.Node, error) {
	return reorderTree(n), nil
}

// maxClusterInputs bounds a cluster (input sets are 64-bit masks).
const maxClusterInputs = 64

func reorderTree(n logical.Node) logical.Node {
	j, ok := n.(*logical.Join)
	if !ok || !reorderable(j) {
		kids := n.Children()
		if len(kids) == 0 {
			return n
		}
		nk := make([]logical.Node, len(kids))
		for i, k := range kids {
			nk[i] = reorderTree(k)
		}
		return n.WithChildren(nk...)
	}
	c := &joinCluster{schema: j.Schema()}
	c.flatten(j, 0)
	for i, in := range c.inputs {
		c.inputs[i] = reorderTree(in)
	}
	if len(c.inputs) < 3 || len(c.inputs) > maxClusterInputs {
		return replaceInputs(j, &c.inputs)
	}
	c.classify()
	if c.connectedAsWritten() {
		// Without column statistics the sizes cannot tell a key join from
		// a many-to-many one (TPC-H Q5: lineitem joined to customer on the
		// nation key before orders); the written order is the better bet
		// when it takes no cross product.
		return replaceInputs(j, &c.inputs)
	}
	order := c.greedyOrder()
	if slices.IsSorted(order) {
		return replaceInputs(j, &c.inputs)
	}
	return c.build(order)
}

// connectedAsWritten reports whether each input, in written order, shares
// a condition with the inputs before it (no cross product).
func (c *joinCluster) connectedAsWritten() bool {
	joined := uint64(1)
	for i := 1; i < len(c.inputs); i++ {
		bit := uint64(1) << i
		if c.connection(joined, bit) == 2 {
			return false
		}
		joined |= bit
	}
	return true
}

func reorderable(j *logical.Join) bool {
	if j.Type != logical.InnerJoin || j.Strategy != logical.StrategyAuto {
		return false
	}
	for i := range j.LeftKeys {
		if j.NullSafeKey(i) {
			return false
		}
	}
	return true
}

// joinCluster is a flattened cluster: its inputs in written order and its
// conditions bound against their concatenation (the cluster's schema).
type joinCluster struct {
	schema  *types.Schema
	inputs  []logical.Node
	offsets []int // first column of each input in schema
	conds   []clusterCond
}

type clusterCond struct {
	e     *expr.Expr
	mask  uint64    // inputs it reads
	equi  bool      // an equality between two disjoint sets of inputs
	sides [2]uint64 // for eq: the inputs of each operand
}

func (c *joinCluster) flatten(n logical.Node, offset int) {
	j, ok := n.(*logical.Join)
	if !ok || !reorderable(j) {
		c.inputs = append(c.inputs, n)
		c.offsets = append(c.offsets, offset)
		return
	}
	nl := j.Left.Schema().Len()
	c.flatten(j.Left, offset)
	c.flatten(j.Right, offset+nl)
	toGlobal := func(i int) int { return i + offset }
	for i := range j.LeftKeys {
		l := rebind(j.LeftKeys[i], c.schema, toGlobal)
		r := rebind(j.RightKeys[i], c.schema, func(i int) int { return i + offset + nl })
		e := expr.Call(expr.FnEq, l, r)
		e.Type, e.Nullable = types.BoolType, l.Nullable || r.Nullable
		c.conds = append(c.conds, clusterCond{e: e})
	}
	for _, f := range conjuncts(j.Filter) {
		c.conds = append(c.conds, clusterCond{e: rebind(f, c.schema, toGlobal)})
	}
}

// inputOf is the input that global column g belongs to.
func (c *joinCluster) inputOf(g int) int {
	i, _ := slices.BinarySearch(c.offsets, g+1)
	return i - 1
}

func (c *joinCluster) maskOf(e *expr.Expr) uint64 {
	var m uint64
	for _, g := range expr.Columns(e) {
		m |= 1 << c.inputOf(g)
	}
	return m
}

// classify fills every condition's masks once all inputs are known.
func (c *joinCluster) classify() {
	for i := range c.conds {
		cc := &c.conds[i]
		cc.mask = c.maskOf(cc.e)
		if cc.e.IsCall(expr.FnEq) && len(cc.e.Args) == 2 {
			a, b := c.maskOf(cc.e.Args[0]), c.maskOf(cc.e.Args[1])
			cc.equi = a != 0 && b != 0 && a&b == 0
			cc.sides = [2]uint64{a, b}
		}
	}
}

// greedyOrder is the order inputs are joined in.
func (c *joinCluster) greedyOrder() []int {
	sizes := make([]float64, len(c.inputs))
	first := 0
	for i, in := range c.inputs {
		sizes[i] = estimate(in)
		if sizes[i] > sizes[first] {
			first = i
		}
	}
	order := []int{first}
	joined := uint64(1) << first
	for len(order) < len(c.inputs) {
		best, bestClass := -1, 3
		for i := range c.inputs {
			bit := uint64(1) << i
			if joined&bit != 0 {
				continue
			}
			class := c.connection(joined, bit)
			if best < 0 || class < bestClass || (class == bestClass && sizes[i] < sizes[best]) {
				best, bestClass = i, class
			}
		}
		order = append(order, best)
		joined |= 1 << best
	}
	return order
}

// connection ranks how input bit connects to the joined set: 0 through an
// equality, 1 through another condition, 2 not at all.
func (c *joinCluster) connection(joined, bit uint64) int {
	class := 2
	for _, cc := range c.conds {
		if cc.mask&bit == 0 || cc.mask&joined == 0 || cc.mask&^(joined|bit) != 0 {
			continue
		}
		if cc.equi && (cc.sides[0] == bit || cc.sides[1] == bit) {
			return 0
		}
		class = 1
	}
	return class
}

// build joins the inputs in order, left-deep, each condition at the lowest
// join that has its inputs, under a Project restoring the column order.
func (c *joinCluster) build(order []int) logical.Node {
	pos := make([]int, len(c.inputs)) // each input's first column in cur
	cur := c.inputs[order[0]]
	joined := uint64(1) << order[0]
	placed := make([]bool, len(c.conds))
	for _, in := range order[1:] {
		pos[in] = cur.Schema().Len()
		joined |= 1 << in
		both := cur.Schema().Concat(c.inputs[in].Schema())
		var filter []*expr.Expr
		for i, cc := range c.conds {
			if !placed[i] && cc.mask&^joined == 0 {
				placed[i] = true
				filter = append(filter, rebind(cc.e, both, c.position(pos)))
			}
		}
		cur = &logical.Join{Left: cur, Right: c.inputs[in], Type: logical.InnerJoin, Filter: conjoin(filter)}
	}
	s := cur.Schema()
	p := &logical.Project{Input: cur, Qualifier: sharedQualifier(c.schema, identityMap(c.schema.Len()))}
	to := c.position(pos)
	for g, f := range c.schema.Fields {
		p.Exprs = append(p.Exprs, expr.BoundCol(to(g), s.Fields[to(g)]))
		p.Names = append(p.Names, f.Name)
	}
	return p
}

// position maps a global column to its place in the tree built so far.
func (c *joinCluster) position(pos []int) func(int) int {
	return func(g int) int {
		in := c.inputOf(g)
		return pos[in] + g - c.offsets[in]
	}
}

// replaceInputs rebuilds the cluster under n with its inputs replaced, in
// order (they were reordered inside, not among themselves).
func replaceInputs(n logical.Node, inputs *[]logical.Node) logical.Node {
	j, ok := n.(*logical.Join)
	if !ok || !reorderable(j) {
		out := (*inputs)[0]
		*inputs = (*inputs)[1:]
		return out
	}
	l := replaceInputs(j.Left, inputs)
	r := replaceInputs(j.Right, inputs)
	return j.WithChildren(l, r)
}
