package sqlfront

import (
	"errors"
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Subqueries inside expressions (EXISTS, IN, scalar) are planned as joins,
// never evaluated per row. While an expression is converted, each subquery
// becomes a placeholder column named sqPrefix+n and is registered on the
// Query; when the planner binds a clause it attaches the subquery to the
// clause's input as a join and replaces the placeholder by an expression
// over the join's output:
//
//   - EXISTS / IN as a whole WHERE conjunct: a semi join (NOT EXISTS: anti);
//   - EXISTS elsewhere: a mark join (its boolean column);
//   - IN elsewhere, and NOT IN: a mark join plus the subquery's row and
//     non-NULL counts, so that NULLs give SQL's three-valued answer;
//   - scalar: uncorrelated, a left join with the one-row result (checked by
//     single_value); correlated, the subquery grouped by its correlation
//     keys, left-joined on them.
//
// Correlated conditions are the WHERE conjuncts of the subquery that name a
// column of the outer query (names resolve inner first, as SQL scopes them).
const sqPrefix = "$sq"

// Names of the helper columns attached joins add; the $ keeps them out of
// the way of user columns and out of SELECT *.
func isHidden(name string) bool { return strings.HasPrefix(name, "$") }

func isPlaceholder(e *expr.Expr) bool {
	return e.Kind == expr.KindColumn && strings.HasPrefix(e.Name, sqPrefix)
}

type subKind uint8

const (
	subExists subKind = iota
	subIn
	subScalar
)

// subquery is one subquery of an expression, standing for its placeholder.
type subquery struct {
	name string
	kind subKind
	// lhs is IN's tested expression, unbound, over the outer input.
	lhs *expr.Expr
	// op compares lhs with the subquery's values: eq for IN, any
	// comparison for op ANY (…) (ALL is NOT of the negated ANY).
	op  string
	src subSource

	// The block split once: IN attaches the same subquery twice (the mark
	// join and the counts).
	split    *subBlock
	splitOK  bool
	splitErr error
	didSplit bool
	// The whole statement planned once, likewise.
	planned    logical.Node
	plannedErr error
	didPlan    bool
}

// block splits the subquery's statement (see subSource.split), once.
func (sq *subquery) block() (*subBlock, bool, error) {
	if !sq.didSplit {
		sq.split, sq.splitOK, sq.splitErr = sq.src.split()
		sq.didSplit = true
	}
	return sq.split, sq.splitOK, sq.splitErr
}

// subSource plans a subquery's statement, whole or split apart.
type subSource interface {
	// whole plans the statement as an independent query.
	whole() (logical.Node, error)
	// split plans a plain SELECT block's FROM clause and returns the block
	// with its WHERE conjuncts apart; ok is false for anything else (set
	// operations, VALUES), which then cannot be correlated.
	split() (blk *subBlock, ok bool, err error)
}

// subBlock is a SELECT block of a subquery: q has the FROM as Input and no
// Where; where holds the WHERE conjuncts (unbound; they may hold
// placeholders of nested subqueries, registered on q).
type subBlock struct {
	q     *Query
	where []*expr.Expr
}

// simple reports whether the block only filters its FROM: no grouping,
// aggregates, DISTINCT or LIMIT that a correlated condition could not be
// pulled through.
func (b *subBlock) simple() bool {
	q := b.q
	if len(q.GroupBy) > 0 || len(q.Aggregates) > 0 || q.Having != nil || q.Limit != nil {
		return false
	}
	for _, it := range q.Select {
		if it.Expr != nil && HasAggregate(it.Expr) {
			return false
		}
	}
	return true
}

// placeholders lists the subqueries es refer to, in first-use order.
func (p *planner) placeholders(es ...*expr.Expr) []*subquery {
	var out []*subquery
	seen := map[string]bool{}
	for _, e := range es {
		if e == nil {
			continue
		}
		expr.Walk(e, func(n *expr.Expr) bool {
			if isPlaceholder(n) && !seen[n.Name] {
				seen[n.Name] = true
				if sq := p.q.subs[n.Name]; sq != nil {
					out = append(out, sq)
				}
			}
			return true
		})
	}
	return out
}

// attach joins every subquery es refer to onto input and returns the new
// input with es rewritten over it (nil entries stay nil).
func (p *planner) attach(input logical.Node, es []*expr.Expr) (logical.Node, []*expr.Expr, error) {
	subs := p.placeholders(es...)
	if len(subs) == 0 {
		return input, es, nil
	}
	repl := map[string]*expr.Expr{}
	for _, sq := range subs {
		var r *expr.Expr
		var err error
		switch sq.kind {
		case subScalar:
			input, r, err = p.scalarJoin(input, sq)
		case subExists:
			input, r, err = p.existsMark(input, sq)
		case subIn:
			input, r, err = p.inMark(input, sq)
		}
		if err != nil {
			return nil, nil, err
		}
		repl[sq.name] = r
	}
	out := make([]*expr.Expr, len(es))
	for i, e := range es {
		if e == nil {
			continue
		}
		r, err := expr.Transform(e, func(n *expr.Expr) (*expr.Expr, error) {
			if isPlaceholder(n) && repl[n.Name] != nil {
				return repl[n.Name].Clone(), nil
			}
			return n, nil
		})
		if err != nil {
			return nil, nil, err
		}
		out[i] = r
	}
	return input, out, nil
}

// topLevelSub recognises a WHERE conjunct that is a whole EXISTS or IN
// (possibly negated), which a semi or anti join answers directly.
func (p *planner) topLevelSub(c *expr.Expr) (sq *subquery, negated, ok bool) {
	for c.IsCall(expr.FnNot) {
		negated = !negated
		c = c.Args[0]
	}
	if !isPlaceholder(c) {
		return nil, false, false
	}
	sq = p.q.subs[c.Name]
	if sq == nil || sq.kind == subScalar {
		return nil, false, false
	}
	return sq, negated, true
}

// filterJoin keeps the rows of input for which the EXISTS or IN conjunct
// sq (negated when neg) holds.
func (p *planner) filterJoin(input logical.Node, sq *subquery, neg bool) (logical.Node, error) {
	if sq.kind == subIn && neg {
		// NOT IN is false or NULL as soon as NULLs are involved: the mark
		// answers it exactly; a row passes when the answer is true.
		node, r, err := p.inMark(input, sq)
		if err != nil {
			return nil, err
		}
		cond, err := bindPredicate(expr.Call(expr.FnNot, r), node.Schema(), p.funcs)
		if err != nil {
			return nil, err
		}
		return &logical.Filter{Input: node, Cond: cond}, nil
	}
	typ := logical.SemiJoin
	if neg {
		typ = logical.AntiJoin
	}
	right, conds, err := p.correlatedSide(input, sq)
	if err != nil {
		return nil, err
	}
	return p.joinOn(input, right, typ, conds)
}

// correlatedSide plans an EXISTS or IN subquery as the right side of a
// join with outer and returns the join conditions bound over outer ++
// right: the correlated conjuncts, and for IN, lhs = the subquery's value.
func (p *planner) correlatedSide(outer logical.Node, sq *subquery) (logical.Node, []*expr.Expr, error) {
	blk, corr, err := p.splitCorrelated(outer, sq)
	if err != nil {
		return nil, nil, err
	}
	if corr == nil {
		return p.uncorrelatedSide(outer, sq)
	}
	if !blk.simple() {
		return nil, nil, unsupported("a correlated subquery with grouping, aggregates, DISTINCT or LIMIT is not supported in EXISTS or IN")
	}
	inner, err := (&Query{Input: blk.q.Input, Where: andAllOrNil(corr.local), subs: blk.q.subs}).Plan(p.funcs)
	if err != nil {
		return nil, nil, err
	}
	conds, err := corr.bind(outer, inner, p.funcs)
	if err != nil {
		return nil, nil, err
	}
	if sq.kind == subIn {
		v, err := blockValue(blk)
		if err != nil {
			return nil, nil, err
		}
		eq, err := p.inCondition(outer, inner, sq, v)
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, eq)
	}
	return inner, conds, nil
}

// uncorrelatedSide plans the subquery on its own. EXISTS needs one row at
// most; IN compares lhs with its only column.
func (p *planner) uncorrelatedSide(outer logical.Node, sq *subquery) (logical.Node, []*expr.Expr, error) {
	node, err := p.whole(outer, sq)
	if err != nil {
		return nil, nil, err
	}
	if sq.kind == subExists {
		return &logical.Limit{Input: node, N: 1}, nil, nil
	}
	if node.Schema().Len() != 1 {
		return nil, nil, planErr("the subquery of IN returns %d columns; it must return one", node.Schema().Len())
	}
	f := node.Schema().Fields[0]
	eq, err := p.inCondition(outer, node, sq, expr.BoundCol(0, f))
	if err != nil {
		return nil, nil, err
	}
	return node, []*expr.Expr{eq}, nil
}

// inCondition is lhs op v (op: = for IN) bound over outer ++ inner: lhs
// names outer columns only, v (unbound or bound) inner ones only. For
// non-NULL operands it is never NULL, which inMark's answer relies on.
func (p *planner) inCondition(outer, inner logical.Node, sq *subquery, v *expr.Expr) (*expr.Expr, error) {
	l, err := expr.Bind(sq.lhs, outer.Schema(), p.funcs)
	if err != nil {
		return nil, err
	}
	r, err := expr.Bind(v, inner.Schema(), p.funcs)
	if err != nil {
		return nil, err
	}
	both := outer.Schema().Concat(inner.Schema())
	op := sq.op
	if op == "" {
		op = expr.FnEq
	}
	return bindPredicate(expr.Call(op, l, shift(r, outer.Schema().Len())), both, p.funcs)
}

// blockValue is the single select item of an IN subquery block.
func blockValue(blk *subBlock) (*expr.Expr, error) {
	if len(blk.q.Select) != 1 || blk.q.Select[0].Star || blk.q.Select[0].Expr == nil {
		return nil, planErr("the subquery of IN must select exactly one expression")
	}
	return blk.q.Select[0].Expr, nil
}

// existsMark attaches EXISTS as a mark join: its column is the answer.
func (p *planner) existsMark(input logical.Node, sq *subquery) (logical.Node, *expr.Expr, error) {
	right, conds, err := p.correlatedSide(input, sq)
	if err != nil {
		return nil, nil, err
	}
	node, err := p.markJoin(input, right, conds, sq.name)
	if err != nil {
		return nil, nil, err
	}
	return node, expr.Col("", sq.name), nil
}

// inMark attaches IN as a mark join plus the counts its NULL semantics
// need: x IN (s) is true on a match, false when s is empty, NULL when x is
// NULL or s holds a NULL, false otherwise.
func (p *planner) inMark(input logical.Node, sq *subquery) (logical.Node, *expr.Expr, error) {
	right, conds, err := p.correlatedSide(input, sq)
	if err != nil {
		return nil, nil, err
	}
	marked, err := p.markJoin(input, right, conds, sq.name)
	if err != nil {
		return nil, nil, err
	}
	node, rows, nonNull, err := p.inCounts(marked, sq)
	if err != nil {
		return nil, nil, err
	}
	null := expr.Lit(types.NullValue(types.BoolType))
	falseLit := expr.Lit(types.BoolValue(false))
	r := expr.Call(expr.FnCase,
		expr.Col("", sq.name), expr.Lit(types.BoolValue(true)),
		expr.Call(expr.FnEq, rows, expr.Lit(types.Int64Value(0))), falseLit,
		expr.Call(expr.FnOr, expr.Call(expr.FnIsNull, sq.lhs), expr.Call(expr.FnLt, nonNull, rows)), null,
		falseLit)
	return node, r, nil
}

// inCounts attaches the number of rows and of non-NULL values of an IN
// subquery (per correlation key when correlated) and returns expressions
// for both over the new input.
func (p *planner) inCounts(input logical.Node, sq *subquery) (logical.Node, *expr.Expr, *expr.Expr, error) {
	cn, nn := sq.name+"_rows", sq.name+"_values"
	blk, corr, err := p.splitCorrelated(input, sq)
	if err != nil {
		return nil, nil, nil, err
	}
	if corr == nil {
		node, err := p.whole(input, sq)
		if err != nil {
			return nil, nil, nil, err
		}
		f := node.Schema().Fields[0]
		counts := &logical.Aggregate{Input: node, Aggs: []logical.AggExpr{
			{Func: expr.AggCountStar, Name: cn, Type: types.Int64Type},
			{Func: expr.AggCount, Arg: expr.BoundCol(0, f), Name: nn, Type: types.Int64Type},
		}}
		out, err := p.joinOn(input, counts, logical.InnerJoin, nil)
		return out, expr.Col("", cn), expr.Col("", nn), err
	}
	v, err := blockValue(blk)
	if err != nil {
		return nil, nil, nil, err
	}
	keys, err := corr.equiKeys()
	if err != nil {
		return nil, nil, nil, err
	}
	q := &Query{Name: sq.name, Input: blk.q.Input, Where: andAllOrNil(corr.local), subs: blk.q.subs}
	for i, k := range keys {
		q.GroupBy = append(q.GroupBy, Item{Expr: k.inner, Alias: keyName(sq, i)})
	}
	q.Aggregates = []Item{
		{Expr: aggCall(expr.AggCountStar, false, nil), Alias: cn},
		{Expr: aggCall(expr.AggCount, false, v), Alias: nn},
	}
	counts, err := q.Plan(p.funcs)
	if err != nil {
		return nil, nil, nil, err
	}
	node, err := p.keyJoin(input, counts, keys, sq)
	if err != nil {
		return nil, nil, nil, err
	}
	zero := expr.Lit(types.Int64Value(0))
	return node, expr.Call(expr.FnCoalesce, expr.Col(sq.name, cn), zero), expr.Call(expr.FnCoalesce, expr.Col(sq.name, nn), zero), nil
}

func keyName(sq *subquery, i int) string { return sq.name + "_k" + strconv.Itoa(i+1) }

// scalarJoin attaches a scalar subquery's value.
func (p *planner) scalarJoin(input logical.Node, sq *subquery) (logical.Node, *expr.Expr, error) {
	blk, corr, err := p.splitCorrelated(input, sq)
	if err != nil {
		return nil, nil, err
	}
	if corr == nil {
		return p.uncorrelatedScalar(input, sq)
	}
	q := blk.q
	if len(q.GroupBy) > 0 || len(q.Aggregates) > 0 || q.Having != nil || q.Limit != nil || q.Distinct {
		return nil, nil, unsupported("a correlated scalar subquery with GROUP BY, HAVING, DISTINCT or LIMIT is not supported")
	}
	v, err := blockValue(blk)
	if err != nil {
		return nil, nil, planErr("a scalar subquery must select exactly one expression")
	}
	keys, err := corr.equiKeys()
	if err != nil {
		return nil, nil, err
	}
	aggregated := HasAggregate(v)
	if !aggregated {
		// One value per outer row at most; more is an error at run time.
		v = aggCall(expr.AggSingleValue, false, v)
	}
	vn := sq.name + "_v"
	g := &Query{Name: sq.name, Input: q.Input, Where: andAllOrNil(corr.local), subs: q.subs}
	for i, k := range keys {
		g.GroupBy = append(g.GroupBy, Item{Expr: k.inner, Alias: keyName(sq, i)})
		g.Select = append(g.Select, Item{Expr: expr.Col("", keyName(sq, i)), Alias: keyName(sq, i)})
	}
	g.Select = append(g.Select, Item{Expr: v, Alias: vn})
	// A group that matched: an outer row with no group gets the value of
	// the expression over no rows (count is 0 there, not NULL).
	g.Select = append(g.Select, Item{Expr: expr.Lit(types.BoolValue(true)), Alias: sq.name + "_m"})
	grouped, err := g.Plan(p.funcs)
	if err != nil {
		return nil, nil, err
	}
	node, err := p.keyJoin(input, grouped, keys, sq)
	if err != nil {
		return nil, nil, err
	}
	val := expr.Col(sq.name, vn)
	if aggregated {
		if empty := emptyValue(v); empty != nil {
			val = expr.Call(expr.FnCase, expr.Call(expr.FnIsNull, expr.Col(sq.name, sq.name+"_m")), empty, val)
		}
	}
	return node, val, nil
}

// uncorrelatedScalar left-joins the subquery's single row (no row: NULL).
func (p *planner) uncorrelatedScalar(input logical.Node, sq *subquery) (logical.Node, *expr.Expr, error) {
	node, err := p.whole(input, sq)
	if err != nil {
		return nil, nil, err
	}
	if node.Schema().Len() != 1 {
		return nil, nil, planErr("a scalar subquery must return one column, this one returns %d", node.Schema().Len())
	}
	f := node.Schema().Fields[0]
	var one logical.Node
	if singleRow(node) {
		one = &logical.Project{Input: node, Exprs: []*expr.Expr{expr.BoundCol(0, f)}, Names: []string{sq.name}}
	} else {
		t, err := expr.AggResultType(expr.AggSingleValue, f.Type)
		if err != nil {
			return nil, nil, err
		}
		one = &logical.Aggregate{Input: node, Aggs: []logical.AggExpr{
			{Func: expr.AggSingleValue, Arg: expr.BoundCol(0, f), Name: sq.name, Type: t},
		}}
	}
	out, err := p.joinOn(input, one, logical.LeftJoin, nil)
	return out, expr.Col("", sq.name), err
}

// singleRow reports whether n yields one row at most: a global aggregate,
// possibly filtered (HAVING) or projected.
func singleRow(n logical.Node) bool {
	switch x := n.(type) {
	case *logical.Aggregate:
		return len(x.GroupBy) == 0
	case *logical.Project, *logical.Filter, *logical.Alias, *logical.Sort:
		return singleRow(n.Children()[0])
	case *logical.Limit:
		return x.N <= 1 || singleRow(x.Input)
	}
	return false
}

// emptyValue is a scalar subquery's value over no rows, for the outer rows
// no group matched: the expression with the counting aggregates replaced
// by 0 and the others by NULL (coalesce(sum(x), 0) gives 0, count(*) + 1
// gives 1). nil when the value is a lone aggregate that is NULL anyway.
func emptyValue(v *expr.Expr) *expr.Expr {
	if f, _, _, ok := asAgg(v); ok && !expr.AggNeverNull(f) {
		return nil
	}
	out, _ := expr.Transform(v, func(n *expr.Expr) (*expr.Expr, error) {
		f, _, _, ok := asAgg(n)
		switch {
		case !ok:
			return n, nil
		case expr.AggNeverNull(f):
			return expr.Lit(types.Int64Value(0)), nil
		}
		return expr.Lit(types.Value{Null: true}), nil
	})
	return out
}

// keyJoin left-joins a subquery grouped by its correlation keys (columns
// keyName(sq, i) of grouped) onto input by the outer sides of the keys.
func (p *planner) keyJoin(input, grouped logical.Node, keys []corrKey, sq *subquery) (logical.Node, error) {
	nIn := input.Schema().Len()
	both := input.Schema().Concat(grouped.Schema())
	var conds []*expr.Expr
	for i, k := range keys {
		l, err := expr.Bind(k.outer, input.Schema(), p.funcs)
		if err != nil {
			return nil, err
		}
		idx, err := grouped.Schema().Resolve(sq.name, keyName(sq, i))
		if err != nil {
			return nil, err
		}
		r := expr.BoundCol(nIn+idx, both.Fields[nIn+idx])
		c, err := bindPredicate(expr.Call(expr.FnEq, l, r), both, p.funcs)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	return p.joinOn(input, grouped, logical.LeftJoin, conds)
}

func andAllOrNil(es []*expr.Expr) *expr.Expr {
	if len(es) == 0 {
		return nil
	}
	return andAll(es)
}

// whole plans a subquery that names no outer column in its WHERE on its
// own. A name it cannot resolve that the outer query has is a correlation
// outside WHERE (select list, HAVING, a join's ON), which is not planned.
func (p *planner) whole(outer logical.Node, sq *subquery) (logical.Node, error) {
	if !sq.didPlan {
		sq.planned, sq.plannedErr = sq.src.whole()
		sq.didPlan = true
	}
	node, err := sq.planned, sq.plannedErr
	var uc *types.UnknownColumnError
	if errors.As(err, &uc) {
		q, n, _ := strings.Cut(uc.Ref, ".")
		if n == "" {
			q, n = "", q
		}
		if _, oerr := outer.Schema().Resolve(q, n); oerr == nil {
			return nil, unsupported("not supported: the subquery names the outer column %s outside its WHERE clause (correlation is supported in WHERE conditions only)", uc.Ref)
		}
	}
	return node, err
}
