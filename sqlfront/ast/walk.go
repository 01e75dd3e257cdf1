package ast

import "reflect"

// Inspect calls f on n and, while f returns true, on the children of n,
// depth first: every expression, table reference and nested query
// (subqueries included). Nil children are skipped.
func Inspect(n Node, f func(Node) bool) {
	if isNil(n) || !f(n) {
		return
	}
	for _, c := range Children(n) {
		Inspect(c, f)
	}
}

// Children lists the direct children of n in source order.
func Children(n Node) []Node {
	var out []Node
	add := func(ns ...Node) {
		for _, c := range ns {
			if !isNil(c) {
				out = append(out, c)
			}
		}
	}
	switch x := n.(type) {
	case *Query:
		if x.With != nil {
			add(x.With)
		}
		add(x.Body)
		addAll(add, x.OrderBy)
		add(x.Limit, x.Offset)
	case *With:
		addAll(add, x.CTEs)
	case *CTE:
		add(x.Query)
	case *Select:
		addAll(add, x.Items)
		addAll(add, x.From)
		add(x.Where)
		addAll(add, x.GroupBy)
		add(x.Having)
		addAll(add, x.Windows)
		add(x.Qualify)
	case *SelectItem:
		add(x.Expr)
	case *SetOp:
		add(x.Left, x.Right)
	case *Values:
		for _, r := range x.Rows {
			addAll(add, r)
		}
	case *OrderItem:
		add(x.Expr)
	case *GroupItem:
		addAll(add, x.Exprs)
		addAll(add, x.Items)
	case *NamedWindow:
		add(x.Spec)
	case *Table:
	case *Derived:
		add(x.Query)
	case *Join:
		add(x.Left, x.Right, x.On)
	default:
		exprChildren(n, add)
	}
	return out
}

func exprChildren(n Node, add func(...Node)) {
	switch x := n.(type) {
	case *Interval:
		add(x.Value)
	case *Unary:
		add(x.X)
	case *Binary:
		add(x.L, x.R)
	case *IsNull:
		add(x.X)
	case *IsBool:
		add(x.X)
	case *IsDistinct:
		add(x.L, x.R)
	case *Between:
		add(x.X, x.Lo, x.Hi)
	case *InList:
		add(x.X)
		addAll(add, x.List)
	case *InSubquery:
		add(x.X, x.Query)
	case *Like:
		add(x.X, x.Pattern, x.Escape)
	case *Exists:
		add(x.Query)
	case *Subquery:
		add(x.Query)
	case *Quantified:
		add(x.L, x.Query)
	case *Case:
		add(x.Operand)
		addAll(add, x.Whens)
		add(x.Else)
	case *When:
		add(x.Cond, x.Result)
	case *Cast:
		add(x.X)
	case *FuncCall:
		addAll(add, x.Args)
		for _, o := range x.WithinGroup {
			add(o)
		}
		add(x.Filter)
		if x.Over != nil {
			add(x.Over)
		}
	case *WindowSpec:
		addAll(add, x.PartitionBy)
		addAll(add, x.OrderBy)
		if x.Frame != nil {
			add(x.Frame)
		}
	case *Frame:
		if x.Start != nil {
			add(x.Start)
		}
		if x.End != nil {
			add(x.End)
		}
	case *FrameBound:
		add(x.Offset)
	case *Extract:
		add(x.X)
	case *Trim:
		add(x.Chars, x.X)
	}
}

func addAll[T Node](add func(...Node), ns []T) {
	for _, n := range ns {
		add(n)
	}
}

// isNil reports whether n is nil or a typed nil pointer in an interface
// (a nil Expr field), which a plain == nil misses.
func isNil(n Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
