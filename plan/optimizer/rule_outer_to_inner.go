package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// OuterToInner turns outer joins whose NULL-extended rows a filter above
// would drop anyway into joins that do not make them: a filter that cannot
// be TRUE when a column of the outer-joined side is NULL (b.x > 5 over a
// LEFT JOIN b) rejects every unmatched row, so the left join is an inner
// join; over a full join such a filter on one side makes it a left or right
// join, on both sides an inner join. The null-rejected columns flow down
// through filters, column-only projects, inner joins, the preserved side of
// outer joins and the left side of semi, anti and mark joins, so a WHERE
// over a chain of joins reaches every one. Inner joins then get their
// predicates pushed and can be reordered.
//
// It runs after push_predicates, which leaves the filters it cannot push
// right above the outer joins; when it changes a join it pushes again (the
// new inner join takes more predicates, which may reach another outer join
// below), until nothing changes.
var OuterToInner = Rule{Name: "outer_to_inner", Apply: outerToInner}

// maxOuterToInnerRounds bounds the convert-and-push rounds; each round that
// changes something turns at least one join type into a stricter one, so
// the count of outer joins bounds it anyway.
const maxOuterToInnerRounds = 16

func outerToInner(n logical.Node, _ Config) (logical.Node, error) {
	for range maxOuterToInnerRounds {
		next := rejectNulls(n, nil)
		if logical.Format(next) == logical.Format(n) {
			return n, nil
		}
		n = pushDown(next, nil)
	}
	return n, nil
}

// rejectNulls rewrites n knowing that rows whose columns in rejected are
// NULL are dropped above it (rejected is nil or has one flag per column).
func rejectNulls(n logical.Node, rejected colSet) logical.Node {
	switch t := n.(type) {
	case *logical.Filter:
		r := make(colSet, t.Input.Schema().Len())
		copy(r, rejected)
		for _, c := range conjuncts(t.Cond) {
			for _, col := range expr.Columns(c) {
				if col < len(r) && nullRejects(c, col) {
					r[col] = true
				}
			}
		}
		return t.WithChildren(rejectNulls(t.Input, r))
	case *logical.Project:
		return t.WithChildren(rejectNulls(t.Input, throughProject(t, rejected)))
	case *logical.Join:
		return rejectNullsJoin(t, rejected)
	}
	kids := n.Children()
	if len(kids) == 0 {
		return n
	}
	nk := make([]logical.Node, len(kids))
	for i, k := range kids {
		nk[i] = rejectNulls(k, nil)
	}
	return n.WithChildren(nk...)
}

func throughProject(p *logical.Project, rejected colSet) colSet {
	r := make(colSet, p.Input.Schema().Len())
	for i, e := range p.Exprs {
		if i < len(rejected) && rejected[i] && e.Kind == expr.KindColumn && e.Index < len(r) {
			r[e.Index] = true
		}
	}
	return r
}

func rejectNullsJoin(j *logical.Join, rejected colSet) logical.Node {
	nl, nr := j.Left.Schema().Len(), j.Right.Schema().Len()
	onLeft, onRight := anySet(rejected, 0, nl), anySet(rejected, nl, nl+nr)
	c := *j
	switch {
	case j.Type == logical.LeftJoin && onRight, j.Type == logical.RightJoin && onLeft,
		j.Type == logical.FullJoin && onLeft && onRight:
		c.Type = logical.InnerJoin
	case j.Type == logical.FullJoin && onLeft:
		c.Type = logical.LeftJoin
	case j.Type == logical.FullJoin && onRight:
		c.Type = logical.RightJoin
	}
	var left, right colSet
	if c.Type == logical.InnerJoin || c.Type == logical.LeftJoin || !c.Type.EmitsRight() {
		left = sub(rejected, 0, nl)
	}
	if c.Type == logical.InnerJoin || c.Type == logical.RightJoin {
		right = sub(rejected, nl, nl+nr)
	}
	c.Left, c.Right = rejectNulls(j.Left, left), rejectNulls(j.Right, right)
	return &c
}

func anySet(s colSet, from, to int) bool {
	for i := from; i < to && i < len(s); i++ {
		if s[i] {
			return true
		}
	}
	return false
}

func sub(s colSet, from, to int) colSet {
	out := make(colSet, to-from)
	for i := from; i < to && i < len(s); i++ {
		out[i-from] = s[i]
	}
	return out
}

// nullRejects reports whether the predicate p is never TRUE when column col
// is NULL (it is then NULL or FALSE, and a filter drops the row).
func nullRejects(p *expr.Expr, col int) bool {
	switch {
	case p.IsCall(expr.FnAnd):
		for _, a := range p.Args {
			if nullRejects(a, col) {
				return true
			}
		}
		return false
	case p.IsCall(expr.FnOr):
		for _, a := range p.Args {
			if !nullRejects(a, col) {
				return false
			}
		}
		return len(p.Args) > 0
	case p.IsCall(expr.FnIsNotNull), p.IsCall(expr.FnNot):
		return len(p.Args) == 1 && nullIfNull(p.Args[0], col)
	}
	return nullIfNull(p, col)
}

// nullIfNull reports whether e is NULL whenever column col is: col itself,
// or a strict function (NULL in, NULL out) of such an expression.
func nullIfNull(e *expr.Expr, col int) bool {
	if e.Kind == expr.KindColumn {
		return e.Index == col
	}
	if e.Kind != expr.KindCall || !strictFunctions[e.Name] {
		return false
	}
	args := e.Args
	if e.Name == expr.FnIn && len(args) > 0 {
		args = args[:1] // NULL IN (…) is NULL; a NULL in the list is not
	}
	for _, a := range args {
		if nullIfNull(a, col) {
			return true
		}
	}
	return false
}

// strictFunctions return NULL when any argument is NULL.
var strictFunctions = map[string]bool{
	expr.FnAdd: true, expr.FnSub: true, expr.FnMul: true, expr.FnDiv: true, expr.FnMod: true, expr.FnNeg: true,
	expr.FnEq: true, expr.FnNe: true, expr.FnLt: true, expr.FnLe: true, expr.FnGt: true, expr.FnGe: true,
	expr.FnIn: true, expr.FnLike: true, expr.FnILike: true, expr.FnCast: true, expr.FnConcat: true,
	expr.FnLower: true, expr.FnUpper: true, expr.FnLength: true, expr.FnSubstr: true, expr.FnTrim: true,
	expr.FnLTrim: true, expr.FnRTrim: true, expr.FnStartsWith: true, expr.FnEndsWith: true, expr.FnContains: true,
	expr.FnAbs: true, expr.FnFloor: true, expr.FnCeil: true, expr.FnYear: true, expr.FnMonth: true,
	expr.FnDay: true, expr.FnHour: true, expr.FnDayOfWeek: true,
}
