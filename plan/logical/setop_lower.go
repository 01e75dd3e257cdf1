package logical

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Names of the multiplicity columns a lowered SetOp computes.
const (
	setOpLeftCount  = "__setop_left"
	setOpRightCount = "__setop_right"
)

// Lower rewrites s into nodes the engine executes, the way Spark and
// DataFusion plan INTERSECT/EXCEPT ALL:
//
//	Union(Project(left, cols…, 1, 0), Project(right, cols…, 0, 1))
//	→ Aggregate by all cols: sum of each tag (the row's count per side)
//	→ Filter on the counts (INTERSECT: both > 0; EXCEPT: l > 0 and r = 0;
//	  EXCEPT ALL: l > r)
//	→ for ALL: Replicate by min(l, r) or l − r
//	→ Project cols.
//
// Grouping treats NULLs as equal, which is exactly the set operations'
// row comparison, and the two-phase aggregate shuffles by all columns.
func (s *SetOp) Lower() (Node, error) {
	ls, rs := s.Left.Schema(), s.Right.Schema()
	if ls.Len() != rs.Len() {
		return nil, fmt.Errorf("%w: %s inputs have %d and %d columns", ErrSetOp, s.Kind, ls.Len(), rs.Len())
	}
	for i, f := range ls.Fields {
		if f.Type != rs.Fields[i].Type {
			return nil, fmt.Errorf("%w: %s column %d is %s on the left and %s on the right (build it with NewSetOp)", ErrSetOp, s.Kind, i+1, f.Type, rs.Fields[i].Type)
		}
	}
	width := ls.Len()
	u := &Union{Inputs: []Node{tagRows(s.Left, 1, 0), tagRows(s.Right, 0, 1)}}
	us := u.Schema()
	agg := &Aggregate{Input: u}
	for i := 0; i < width; i++ {
		agg.GroupBy = append(agg.GroupBy, expr.BoundCol(i, us.Fields[i]))
		agg.GroupNames = append(agg.GroupNames, us.Fields[i].Name)
	}
	for i, name := range []string{setOpLeftCount, setOpRightCount} {
		agg.Aggs = append(agg.Aggs, AggExpr{Func: expr.AggSum, Arg: expr.BoundCol(width+i, us.Fields[width+i]), Name: name, Type: types.Int64Type})
	}
	as := agg.Schema()
	l, r := expr.BoundCol(width, as.Fields[width]), expr.BoundCol(width+1, as.Fields[width+1])
	cond, count, err := s.countExprs(l, r)
	if err != nil {
		return nil, err
	}
	var out Node = &Filter{Input: agg, Cond: cond}
	if s.All {
		out = &Replicate{Input: out, Count: count}
	}
	p := &Project{Input: out}
	for i, f := range s.Schema().Fields {
		p.Exprs = append(p.Exprs, expr.BoundCol(i, as.Fields[i]))
		p.Names = append(p.Names, f.Name)
	}
	return p, nil
}

// tagRows appends the constant columns (left, right) to n's columns.
func tagRows(n Node, left, right int64) Node {
	s := n.Schema()
	p := &Project{Input: n, Names: s.Names()}
	for i, f := range s.Fields {
		p.Exprs = append(p.Exprs, expr.BoundCol(i, f))
	}
	p.Exprs = append(p.Exprs, expr.Lit(types.Int64Value(left)), expr.Lit(types.Int64Value(right)))
	p.Names = append(p.Names, setOpLeftCount, setOpRightCount)
	return p
}

// countExprs returns the filter on the per-side counts l and r and, for
// the ALL forms, how many copies of a row survive.
func (s *SetOp) countExprs(l, r *expr.Expr) (cond, count *expr.Expr, err error) {
	zero := expr.Lit(types.Int64Value(0))
	switch {
	case s.Kind == Intersect && s.All:
		cond = expr.Call(expr.FnAnd, expr.Call(expr.FnGt, l, zero), expr.Call(expr.FnGt, r, zero))
		count = expr.Call(expr.FnCase, expr.Call(expr.FnLt, l, r), l, r)
	case s.Kind == Intersect:
		cond = expr.Call(expr.FnAnd, expr.Call(expr.FnGt, l, zero), expr.Call(expr.FnGt, r, zero))
	case s.Kind == Except && s.All:
		cond = expr.Call(expr.FnGt, l, r)
		count = expr.Call(expr.FnSub, l, r)
	case s.Kind == Except:
		cond = expr.Call(expr.FnAnd, expr.Call(expr.FnGt, l, zero), expr.Call(expr.FnEq, r, zero))
	default:
		return nil, nil, fmt.Errorf("%w: unknown kind %d", ErrSetOp, s.Kind)
	}
	in := &types.Schema{Fields: make([]types.Field, r.Index+1)}
	in.Fields[l.Index] = types.Field{Name: l.Name, Type: l.Type, Nullable: l.Nullable}
	in.Fields[r.Index] = types.Field{Name: r.Name, Type: r.Type, Nullable: r.Nullable}
	if cond, err = expr.Bind(cond, in, nil); err != nil {
		return nil, nil, err
	}
	if count != nil {
		if count, err = expr.Bind(count, in, nil); err != nil {
			return nil, nil, err
		}
	}
	return cond, count, nil
}
