package sqlfront

import (
	"errors"
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

	// Names usable in post-aggregation expressions, lower-cased.
	groupAlias map[string]int
	aggAlias   map[string]int
	selAlias   map[string]*expr.Expr
}

func newAggContext(q *Query, input logical.Node, funcs expr.FuncResolver) (*aggContext, error) {
	c := &aggContext{
		input: input, funcs: funcs, qualifier: q.Name,
		groupAlias: map[string]int{}, aggAlias: map[string]int{}, selAlias: map[string]*expr.Expr{},
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
	f, distinct, arg, ok := asAgg(a.Expr)
	if !ok {
		return planErr("%s is not an aggregate call (sum, count, min, max, avg)", a.Expr)
	}
	name := a.Alias
	if name == "" {
		name = aggName(f, arg)
	}
	if _, dup := c.aggAlias[strings.ToLower(name)]; dup {
		return planErr("two aggregates are named %q", name)
	}
	idx, err := c.addAgg(f, distinct, arg, name)
	if err != nil {
		return err
	}
	c.aggAlias[strings.ToLower(name)] = idx
	return nil
}

// addAgg registers an aggregate and returns its index among the
// aggregates. Unnamed ones reuse an equal aggregate already registered.
func (c *aggContext) addAgg(f expr.AggFunc, distinct bool, arg *expr.Expr, name string) (int, error) {
	b, t, err := expr.BindAgg(f, arg, c.input.Schema(), c.funcs)
	if err != nil {
		return 0, err
	}
	ag := logical.AggExpr{Func: f, Arg: b, Distinct: distinct, Type: t}
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

// ref is a reference to output column k of the Aggregate node, typed when
// bound against it.
func (c *aggContext) ref(k int) *expr.Expr {
	return &expr.Expr{Kind: expr.KindColumn, Qualifier: c.qualifier, Name: c.name(k), Index: k}
}

func (c *aggContext) node() *logical.Aggregate {
	return &logical.Aggregate{
		Input: c.input, GroupBy: c.groups, GroupNames: c.groupNames,
		Aggs: c.aggs, Qualifier: c.qualifier,
	}
}

// rewrite maps a post-aggregation expression onto the Aggregate output:
// aggregate calls become their columns, subtrees equal to a group key
// become that key's column, and names of group keys, aggregates and
// select items resolve to what they name.
func (c *aggContext) rewrite(e *expr.Expr) (*expr.Expr, error) {
	return c.rw(e, map[string]bool{})
}

func (c *aggContext) rw(e *expr.Expr, expanding map[string]bool) (*expr.Expr, error) {
	if f, distinct, arg, ok := asAgg(e); ok {
		i, err := c.addAgg(f, distinct, arg, "")
		if err != nil {
			return nil, err
		}
		return c.ref(len(c.groups) + i), nil
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
