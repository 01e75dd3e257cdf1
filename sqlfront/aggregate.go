package sqlfront

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// aggContext collects the group keys and aggregates of a query and
// rewrites post-aggregation expressions (select, having, order by) onto
// the Aggregate node's output: group keys first, then aggregates. Column
// k of that output is stable once registered, so rewritten trees can
// refer to it before the node exists; they are bound against it later.
type aggContext struct {
	input      logical.Node
	funcs      expr.FuncResolver
	qualifier  string
	groups     []*expr.Expr // bound against input
	groupNames []string
	aggs       []logical.AggExpr
	aggKeys    []string // canonical text of each aggregate, for reuse
	named      int      // aggs[:named] are the query's named Aggregates
	// sets are the grouping sets (ordinals of groups) of GROUPING SETS,
	// ROLLUP and CUBE; nil for a plain GROUP BY. With sets the node's
	// output has the grouping id between the keys and the aggregates.
	sets [][]int

	// Names usable in post-aggregation expressions, lower-cased.
	groupAlias map[string]int
	aggAlias   map[string]int
	selAlias   map[string]*expr.Expr
}

func newAggContext(q *Query, input logical.Node, funcs expr.FuncResolver) (*aggContext, error) {
	c := &aggContext{
		input: input, funcs: funcs, qualifier: q.Name,
		groupAlias: map[string]int{}, aggAlias: map[string]int{}, selAlias: map[string]*expr.Expr{},
		sets: q.GroupingSets,
	}
	for i, g := range q.GroupBy {
		if err := c.addGroup(g); err != nil {
			return nil, clauseErr("group_by", i, err)
		}
	}
	for i, a := range q.Aggregates {
		if err := c.addNamed(a); err != nil {
			return nil, clauseErr("aggregate", i, err)
		}
	}
	c.named = len(c.aggs)
	for _, it := range q.Select {
		if it.Alias != "" && it.Expr != nil {
			c.selAlias[strings.ToLower(it.Alias)] = it.Expr
		}
	}
	return c, nil
}

func (c *aggContext) addGroup(g Item) error {
	if g.Star || g.Expr == nil {
		return planErr("group by needs expressions, not *")
	}
	if HasAggregate(g.Expr) {
		return planErr("aggregates are not allowed in group by")
	}
	if hasWindow(g.Expr) {
		return planErr("window functions are not allowed in group by")
	}
	b, err := expr.Bind(g.Expr, c.input.Schema(), c.funcs)
	if err != nil {
		return err
	}
	name := g.Alias
	switch {
	case name != "":
		c.groupAlias[strings.ToLower(name)] = len(c.groups)
	case b.Kind == expr.KindColumn:
		name = b.Name
	default:
		name = "_g" + strconv.Itoa(len(c.groups)+1)
	}
	c.groups = append(c.groups, b)
	c.groupNames = append(c.groupNames, name)
	return nil
}

func (c *aggContext) addNamed(a Item) error {
	if a.Star || a.Expr == nil {
		return planErr("expected an aggregate like \"sum(x) AS total\"")
	}
	f, distinct, args, ok := asAggCall(a.Expr)
	if !ok {
		return planErr("%s is not an aggregate call (sum, count, min, max, avg, ...)", a.Expr)
	}
	name := a.Alias
	if name == "" {
		name = aggName(f, firstArg(args))
	}
	if _, dup := c.aggAlias[strings.ToLower(name)]; dup {
		return planErr("two aggregates are named %q", name)
	}
	idx, err := c.addAgg(f, distinct, args, name)
	if err != nil {
		return err
	}
	c.aggAlias[strings.ToLower(name)] = idx
	return nil
}

// addAgg registers an aggregate and returns its index among the
// aggregates. Unnamed ones reuse an equal aggregate already registered.
func (c *aggContext) addAgg(f expr.AggFunc, distinct bool, args []*expr.Expr, name string) (int, error) {
	b, extra, t, err := expr.BindAggCall(f, args, c.input.Schema(), c.funcs)
	if err != nil {
		return 0, err
	}
	arg := firstArg(args)
	ag := logical.AggExpr{Func: f, Arg: b, Extra: extra, Distinct: distinct, Type: t}
	key := ag.String()
	if name == "" {
		for i, k := range c.aggKeys {
			if k == key {
				return i, nil
			}
		}
		name = c.freeName(aggName(f, arg))
	}
	ag.Name = name
	c.aggs = append(c.aggs, ag)
	c.aggKeys = append(c.aggKeys, key)
	return len(c.aggs) - 1, nil
}

// freeName keeps the names of the Aggregate's columns distinct, for
// readable plans.
func (c *aggContext) freeName(base string) string {
	name := base
	for n := 2; c.nameTaken(name); n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	return name
}

func (c *aggContext) nameTaken(name string) bool {
	for k := 0; k < len(c.groups)+len(c.aggs); k++ {
		if strings.EqualFold(c.name(k), name) {
			return true
		}
	}
	return false
}

// name is the name of output column k of the Aggregate node.
func (c *aggContext) name(k int) string {
	if k < len(c.groups) {
		return c.groupNames[k]
	}
	return c.aggs[k-len(c.groups)].Name
}

// ref is a reference to column k (keys, then aggregates) of the
// aggregation's output, typed when bound against it.
func (c *aggContext) ref(k int) *expr.Expr {
	return &expr.Expr{Kind: expr.KindColumn, Qualifier: c.qualifier, Name: c.name(k), Index: c.phys(k)}
}

// phys is the ordinal in the node's output of column k: past the keys,
// grouping sets put the grouping id first.
func (c *aggContext) phys(k int) int {
	if k >= len(c.groups) && c.sets != nil {
		return k + 1
	}
	return k
}

func (c *aggContext) node() (logical.Node, error) {
	if c.sets == nil {
		return &logical.Aggregate{
			Input: c.input, GroupBy: c.groups, GroupNames: c.groupNames,
			Aggs: c.aggs, Qualifier: c.qualifier,
		}, nil
	}
	g, err := logical.GroupingSets(c.input, c.groups, c.groupNames, c.sets, c.aggs, c.qualifier)
	if err != nil {
		return nil, err
	}
	return g.Node, nil
}

// grouping is GROUPING(args…) over the output: one bit per argument, the
// first the most significant, set when the row's grouping set does not
// group that key. It reads the grouping id, so a NULL that a set put in a
// key is told apart from a NULL in the data.
func (c *aggContext) grouping(args []*expr.Expr) (*expr.Expr, error) {
	keys := make([]int, len(args))
	for i, a := range args {
		if keys[i] = c.groupKey(a); keys[i] < 0 {
			return nil, planErr("the argument %s of grouping() is not a group by key", a)
		}
	}
	if len(keys) == 0 {
		return nil, planErr("grouping() needs at least one group by key")
	}
	if c.sets == nil {
		return expr.Lit(types.Int64Value(0)), nil // every key is grouped
	}
	n := len(c.groups)
	id := &expr.Expr{Kind: expr.KindColumn, Qualifier: c.qualifier, Name: logical.GroupingIDName, Index: n}
	var ids []int64
	for _, s := range c.sets {
		if gid := logical.GroupingID(s, n); !slices.Contains(ids, gid) {
			ids = append(ids, gid)
		}
	}
	value := func(gid int64) *expr.Expr {
		var v int64
		for _, k := range keys {
			v = v<<1 | (gid>>(n-1-k))&1
		}
		return expr.Lit(types.Int64Value(v))
	}
	args2 := []*expr.Expr{}
	for _, gid := range ids[:len(ids)-1] {
		args2 = append(args2, expr.Call(expr.FnEq, id, expr.Lit(types.Int64Value(gid))), value(gid))
	}
	return expr.Call(expr.FnCase, append(args2, value(ids[len(ids)-1]))...), nil
}

// rewrite maps a post-aggregation expression onto the Aggregate output:
// aggregate calls become their columns, subtrees equal to a group key
// become that key's column, and names of group keys, aggregates and
// select items resolve to what they name.
func (c *aggContext) rewrite(e *expr.Expr) (*expr.Expr, error) {
	return c.rw(e, map[string]bool{})
}

func (c *aggContext) rw(e *expr.Expr, expanding map[string]bool) (*expr.Expr, error) {
	if f, distinct, args, ok := asAggCall(e); ok {
		i, err := c.addAgg(f, distinct, args, "")
		if err != nil {
			return nil, err
		}
		return c.ref(len(c.groups) + i), nil
	}
	if e.IsCall(groupingCall) {
		return c.grouping(e.Args)
	}
	if e.Kind == expr.KindLiteral || isPlaceholder(e) || isWindowRef(e) {
		// Subqueries and windows are attached after the aggregation.
		return e, nil
	}
	if k := c.groupKey(e); k >= 0 {
		return c.ref(k), nil
	}
	if e.Kind == expr.KindColumn {
		return c.column(e, expanding)
	}
	out := *e
	out.Args = make([]*expr.Expr, len(e.Args))
	for i, a := range e.Args {
		ra, err := c.rw(a, expanding)
		if err != nil {
			return nil, err
		}
		out.Args[i] = ra
	}
	return &out, nil
}

// groupKey returns the group key e is equal to, or -1.
func (c *aggContext) groupKey(e *expr.Expr) int {
	if HasAggregate(e) || len(c.groups) == 0 {
		return -1
	}
	b, err := expr.Bind(e, c.input.Schema(), c.funcs)
	if err != nil {
		return -1
	}
	for k, g := range c.groups {
		if expr.Equal(b, g) {
			return k
		}
	}
	return -1
}

func (c *aggContext) column(e *expr.Expr, expanding map[string]bool) (*expr.Expr, error) {
	if e.Qualifier == "" || strings.EqualFold(e.Qualifier, c.qualifier) {
		low := strings.ToLower(e.Name)
		if k, ok := c.groupAlias[low]; ok {
			return c.ref(k), nil
		}
		if i, ok := c.aggAlias[low]; ok {
			return c.ref(len(c.groups) + i), nil
		}
		if sel, ok := c.selAlias[low]; ok && !expanding[low] {
			expanding[low] = true
			defer delete(expanding, low)
			return c.rw(sel, expanding)
		}
	}
	_, err := c.input.Schema().Resolve(e.Qualifier, e.Name)
	switch {
	case err == nil:
		return nil, planErr("column %s must be in group_by or inside an aggregate", e)
	case errors.Is(err, types.ErrAmbiguousColumn):
		return nil, err
	}
	if _, err2 := c.visibleNames().Resolve(e.Qualifier, e.Name); err2 != nil {
		return nil, err2
	}
	return nil, err
}

// visibleNames is the input schema plus the Aggregate's own column names,
// which is what a post-aggregation expression may name: the unknown-column
// error then suggests from both.
func (c *aggContext) visibleNames() *types.Schema {
	s := &types.Schema{Fields: append([]types.Field(nil), c.input.Schema().Fields...)}
	for k := 0; k < len(c.groups)+len(c.aggs); k++ {
		s.Fields = append(s.Fields, types.Field{Name: c.name(k)})
	}
	return s
}

func firstArg(args []*expr.Expr) *expr.Expr {
	if len(args) == 0 {
		return nil
	}
	return args[0]
}
