package sqlfront

import (
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Query is one SELECT block whose FROM is already planned: the shape both
// front ends produce (structured views directly, SQL via PlanSelect).
// Expressions are unbound; aggregate calls may appear in Select, Having
// and OrderBy. Clauses apply in SQL order: where → group by/aggregates →
// having → select → distinct → order by → limit.
type Query struct {
	// Name qualifies the output columns (a view's name; "" for none).
	Name  string
	Input logical.Node
	Where *expr.Expr
	// GroupBy items may carry an alias, which names the group column.
	GroupBy []Item
	// GroupingSets, when set, are the sets of GROUPING SETS / ROLLUP /
	// CUBE, each listing ordinals of GroupBy; nil for a plain GROUP BY.
	GroupingSets [][]int
	// Aggregates are named aggregate calls ("sum(x) AS total"); they come
	// right after the group columns in the default output and their names
	// can be used in Having, Select and OrderBy.
	Aggregates []Item
	Having     *expr.Expr
	// Select nil means the default output: the group columns then the
	// Aggregates when grouping, else every input column.
	Select   []Item
	Distinct bool
	OrderBy  []OrderItem
	Limit    *int64
	// Offset skips rows before the Limit (nil: none).
	Offset *int64
	// Qualify filters on window function results (after the windows, before
	// DISTINCT and ORDER BY).
	Qualify *expr.Expr

	// subs are the subqueries whose placeholders the expressions hold.
	subs map[string]*subquery
	// wins are the window function calls whose placeholders they hold.
	wins map[string]*windowCall
}

// Plan builds and binds the logical plan of q. Errors are *ClauseError.
func (q *Query) Plan(funcs expr.FuncResolver) (logical.Node, error) {
	p := &planner{q: q, funcs: funcs}
	return p.plan()
}

type planner struct {
	q     *Query
	funcs expr.FuncResolver
	agg   *aggContext // nil unless the query aggregates
}

func (p *planner) plan() (logical.Node, error) {
	base, err := p.where(p.q.Input)
	if err != nil {
		return nil, err
	}
	if p.isAggregate() {
		if p.agg, err = newAggContext(p.q, base, p.funcs); err != nil {
			return nil, err
		}
	}
	out, err := p.selectList(base)
	if err != nil {
		return nil, err
	}
	if hasWindow(p.q.Having) {
		return nil, clauseErr("having", -1, planErr("window functions are not allowed in having; use qualify"))
	}
	having, err := p.rewrite("having", -1, p.q.Having)
	if err != nil {
		return nil, err
	}
	if err := p.orderPhase1(out); err != nil {
		return nil, err
	}
	qualify, err := p.rewrite("qualify", -1, p.selectAliases(p.q.Qualify, base))
	if err != nil {
		return nil, err
	}
	wins, err := p.prepareWindows(out, qualify)
	if err != nil {
		return nil, err
	}
	if p.agg != nil {
		if base, err = p.agg.node(); err != nil {
			return nil, clauseErr("group_by", -1, err)
		}
	}
	if base, having, err = p.attachOutput(base, out, having); err != nil {
		return nil, err
	}
	if having != nil {
		cond, err := bindPredicate(having, base.Schema(), p.funcs)
		if err != nil {
			return nil, clauseErr("having", -1, err)
		}
		base = &logical.Filter{Input: base, Cond: cond}
	}
	if base, err = p.windows(base, wins); err != nil {
		return nil, err
	}
	if qualify != nil {
		if len(wins) == 0 {
			return nil, clauseErr("qualify", -1, planErr("QUALIFY needs a window function"))
		}
		cond, err := bindPredicate(qualify, base.Schema(), p.funcs)
		if err != nil {
			return nil, clauseErr("qualify", -1, err)
		}
		base = &logical.Filter{Input: base, Cond: cond}
	}
	return p.finish(base, out)
}

// attachOutput joins the subqueries of the select list, HAVING and ORDER
// BY onto base (the aggregate when grouping) and rewrites those over it.
func (p *planner) attachOutput(base logical.Node, out *output, having *expr.Expr) (logical.Node, *expr.Expr, error) {
	es := append([]*expr.Expr{having}, out.exprs...)
	for _, k := range out.order {
		es = append(es, k.expr)
	}
	if len(p.placeholders(es...)) == 0 {
		return base, having, nil
	}
	base, es, err := p.attach(base, es)
	if err != nil {
		return nil, nil, clauseErr("select", -1, err)
	}
	copy(out.exprs, es[1:1+len(out.exprs)])
	for i := range out.order {
		out.order[i].expr = es[1+len(out.exprs)+i]
	}
	return base, es[0], nil
}

func (p *planner) where(input logical.Node) (logical.Node, error) {
	if p.q.Where == nil {
		return input, nil
	}
	if HasAggregate(p.q.Where) {
		return nil, clauseErr("where", -1, planErr("aggregates are not allowed in where; use having"))
	}
	if hasWindow(p.q.Where) {
		return nil, clauseErr("where", -1, planErr("window functions are not allowed in where; use qualify or a subquery"))
	}
	// Conjuncts that are a whole EXISTS or IN become semi or anti joins;
	// the others are one filter, over the joins of their subqueries.
	var rest []*expr.Expr
	for _, c := range splitAnd(p.q.Where) {
		sq, neg, ok := p.topLevelSub(c)
		if !ok {
			rest = append(rest, c)
			continue
		}
		var err error
		if input, err = p.filterJoin(input, sq, neg); err != nil {
			return nil, clauseErr("where", -1, err)
		}
	}
	if len(rest) == 0 {
		return input, nil
	}
	input, rest, err := p.attach(input, []*expr.Expr{andAll(rest)})
	if err != nil {
		return nil, clauseErr("where", -1, err)
	}
	cond, err := bindPredicate(rest[0], input.Schema(), p.funcs)
	if err != nil {
		return nil, clauseErr("where", -1, err)
	}
	return &logical.Filter{Input: input, Cond: cond}, nil
}

// isAggregate: grouping, named aggregates, or an aggregate call anywhere
// (SELECT count(*) FROM t aggregates the whole input into one row).
func (p *planner) isAggregate() bool {
	q := p.q
	if len(q.GroupBy) > 0 || len(q.Aggregates) > 0 || q.Having != nil {
		return true
	}
	for _, it := range q.Select {
		if it.Expr != nil && HasAggregate(it.Expr) {
			return true
		}
	}
	for _, o := range q.OrderBy {
		if o.Expr != nil && HasAggregate(o.Expr) {
			return true
		}
	}
	for _, w := range q.wins {
		for _, e := range append(append([]*expr.Expr{}, w.spec.Args...), w.partitionBy...) {
			if HasAggregate(e) {
				return true
			}
		}
		for _, o := range w.orderBy {
			if o.Expr != nil && HasAggregate(o.Expr) {
				return true
			}
		}
	}
	return false
}

// rewrite turns an expression of the query into one over the node the
// output is computed from: unchanged without aggregation, rewritten onto
// the Aggregate's columns with it.
func (p *planner) rewrite(clause string, item int, e *expr.Expr) (*expr.Expr, error) {
	if e == nil || p.agg == nil {
		return e, nil
	}
	out, err := p.agg.rewrite(e)
	return out, clauseErr(clause, item, err)
}

// bindPredicate binds a where/having/on condition, which must be boolean.
func bindPredicate(e *expr.Expr, s *types.Schema, funcs expr.FuncResolver) (*expr.Expr, error) {
	b, err := expr.Bind(e, s, funcs)
	if err != nil {
		return nil, err
	}
	switch b.Type.ID {
	case types.Bool:
		return b, nil
	case types.Null:
		return expr.Bind(expr.Cast(b, types.BoolType), s, funcs)
	}
	return nil, planErr("the condition %s is %s, not boolean", e, b.Type)
}

// defaultName names an output column the query did not name: a column
// keeps its name, an aggregate becomes sum_amount, a function call its
// function; anything else gets Spark's positional _c<i>.
func defaultName(e *expr.Expr, i int) string {
	if f, _, arg, ok := asAgg(e); ok {
		return aggName(f, arg)
	}
	switch {
	case e.Kind == expr.KindColumn:
		return e.Name
	case e.IsCall(expr.FnCast) && e.Args[0].Kind == expr.KindColumn:
		return e.Args[0].Name
	case e.Kind == expr.KindCall && expr.KnownFunction(e.Name) && !isOperator(e.Name):
		return e.Name
	case e.Kind == expr.KindCall && strings.Contains(e.Name, "."):
		return e.Name[strings.LastIndexByte(e.Name, '.')+1:]
	}
	return "_c" + strconv.Itoa(i)
}

func aggName(f expr.AggFunc, arg *expr.Expr) string {
	if f == expr.AggCountStar {
		return "count"
	}
	if arg != nil && arg.Kind == expr.KindColumn {
		return f.String() + "_" + arg.Name
	}
	return f.String()
}

func isOperator(name string) bool {
	switch name {
	case expr.FnAdd, expr.FnSub, expr.FnMul, expr.FnDiv, expr.FnMod, expr.FnNeg,
		expr.FnEq, expr.FnNe, expr.FnLt, expr.FnLe, expr.FnGt, expr.FnGe,
		expr.FnAnd, expr.FnOr, expr.FnNot, expr.FnConcat, expr.FnCase, expr.FnCast,
		expr.FnIsNull, expr.FnIsNotNull, expr.FnIn, expr.FnLike, expr.FnILike:
		return true
	}
	return false
}

// selectAliases replaces names of select items in e (QUALIFY may name
// them, as in DuckDB) by the items' expressions; a column of the input
// with that name wins. Grouped queries resolve aliases in rewrite.
func (p *planner) selectAliases(e *expr.Expr, base logical.Node) *expr.Expr {
	if e == nil || p.agg != nil {
		return e
	}
	out, _ := expr.Transform(e, func(n *expr.Expr) (*expr.Expr, error) {
		if n.Kind != expr.KindColumn || n.Qualifier != "" || isPlaceholder(n) || isWindowRef(n) {
			return n, nil
		}
		if _, err := base.Schema().Resolve("", n.Name); err == nil {
			return n, nil
		}
		for _, it := range p.q.Select {
			if it.Expr != nil && strings.EqualFold(it.Alias, n.Name) {
				return it.Expr, nil
			}
		}
		return n, nil
	})
	return out
}
